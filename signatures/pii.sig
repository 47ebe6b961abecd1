# pii.sig - personal data: payment cards, IBANs, US Social Security and UK
# National Insurance numbers. The trigger finds digit runs; the validator
# confirms them (Luhn and issuer ranges, mod-97 and national lengths,
# SSA and HMRC rules) and masks the value in the detail. One number is
# common in ordinary mail; min-count is how many confirmed numbers of a
# kind make the message level 2 (edit to taste). A hotword ("card
# number", "IBAN", "SSN", "National Insurance") within the window of a
# confirmed number raises its confidence and lets the kind count at
# hotword-min-count instead: two numbers with a hotword near one of
# them, or five without. One number stays under both counts. "som no":
# the validators walk back from the match end, which is cheaper.

rule pii-card
  title      Payment card numbers
  category   pii
  level      2
  min-count  5
  hotword    /\b(card ?(number|no\b|num\b|#)|credit card|debit card|card ending|PAN\b|CVV|CVC|expiry|exp\.? date)/i within 80
  hotword-min-count 2
  som        no
  validator  card
  scope      body attachment metadata
  pattern    /\b[0-9]{4}[0-9 -]{8,18}[0-9]\b/
  match      4111 1111 1111 1111\n5500 0000 0000 0004\n3400 0000 0000 009\n6011 0000 0000 0004\n4012888888881881
  nomatch    4111 1111 1111 1111
  nomatch    Card number: 4111 1111 1111 1111
  match      Card number: 4111 1111 1111 1111\nCard number: 5500 0000 0000 0004
  nomatch    Order 4111 1111 1111 1111\nOrder 5500 0000 0000 0004
  nomatch    4111 1111 1111 1112\n4111 1111 1111 1113\n4111 1111 1111 1114\n4111 1111 1111 1115\n4111 1111 1111 1116

rule pii-iban
  title      IBAN account numbers
  category   pii
  level      2
  min-count  5
  hotword    /\b(IBAN|account (number|no\b)|bank account|BIC|SWIFT)/i within 80
  hotword-min-count 2
  som        no
  validator  iban
  scope      body attachment metadata
  pattern    /\b[A-Z]{2}[0-9]{2}[A-Z0-9 ]{10,36}[A-Z0-9]\b/
  match      GB82 WEST 1234 5698 7654 32\nDE89 3704 0044 0532 0130 00\nFR14 2004 1010 0505 0001 3M02 606\nNL91 ABNA 0417 1643 00\nES91 2100 0418 4502 0005 1332
  match      IBAN: GB82 WEST 1234 5698 7654 32, DE89 3704 0044 0532 0130 00
  nomatch    IBAN: GB82 WEST 1234 5698 7654 32
  nomatch    GB82 WEST 1234 5698 7654 32, DE89 3704 0044 0532 0130 00
  nomatch    GB82 WEST 1234 5698 7654 33\nDE89 3704 0044 0532 0130 01\nFR14 2004 1010 0505 0001 3M02 607\nNL91 ABNA 0417 1643 01\nES91 2100 0418 4502 0005 1333

rule pii-us-ssn
  title      US Social Security numbers
  category   pii
  level      2
  min-count  5
  hotword    /\b(SSN|SSNs|social security (number|no\b|#)|SS#)/i within 60
  hotword-min-count 2
  som        no
  validator  us-ssn
  scope      body attachment metadata
  pattern    /\b[0-9]{3}[- ]?[0-9]{2}[- ]?[0-9]{4}\b/
  match      SSN 536-22-1234\nSSN 536-22-1235\nSSN 536-22-1236\nSSN 536-22-1237\nSSN 536-22-1238
  match      SSN: 536-22-1234, 536-22-1235
  nomatch    SSN: 536-22-1234
  nomatch    Ref 536-22-1234 and 536-22-1235
  nomatch    536221234\n536221235\n536221236\n536221237\n536221238
  match      SSN 536221234\nSSN 536221235
  nomatch    000-12-3456\n666-12-3456\n900-12-3456\n536-00-1234\n536-22-0000

rule pii-uk-nino
  title      UK National Insurance numbers
  category   pii
  level      2
  min-count  5
  hotword    /\b(National Insurance( number| no\b)?|NI (number|no\b)|NINO)/i within 60
  hotword-min-count 2
  som        no
  validator  uk-nino
  scope      body attachment metadata
  pattern    /\b[A-Z]{2} ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-D]\b/
  match      AB123456C\nAB123457C\nAB123458C\nAB123459C\nAB123450C
  match      National Insurance numbers: AB123456C, AB123457C
  nomatch    National Insurance number AB123456C
  nomatch    BG123456C\nGB123456C\nNK123456C\nTN123456C\nZZ123456C
