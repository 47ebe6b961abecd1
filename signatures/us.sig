# us.sig - United States: classified national security information
# (CAPCO banners and portion marks), CUI, legacy FOUO/SBU/LES and DoD
# distribution statements. Triggers from the markings specification §15;
# the validators parse the // grammar (levels, NOFORN, REL TO lists, SCI,
# SAR) and reject the traps of §14.

rule us-banner
  title      US classification banner
  category   marking
  level      4
  validator  us-banner
  scope      subject body attachment filename metadata
  pattern    /\b(TOP SECRET|SECRET|CONFIDENTIAL|UNCLASSIFIED)\/\/[A-Z]/
  pattern    /\/\/(COSMIC TOP SECRET|NATO (SECRET|CONFIDENTIAL|RESTRICTED|UNCLASSIFIED)|[A-Z]{3} (TOP SECRET|SECRET|CONFIDENTIAL|RESTRICTED)|JOINT (TOP SECRET|SECRET|CONFIDENTIAL))\b/
  match      SECRET//NOFORN
  match      TOP SECRET//HCS/SI/TK//NOFORN
  match      SECRET//REL TO USA, AUS, CAN, GBR, NZL
  match      CONFIDENTIAL//REL TO USA, GBR
  match      UNCLASSIFIED//FOR OFFICIAL USE ONLY
  match      //GBR SECRET//REL TO USA, GBR
  match      TOP SECRET//SAR-XYZ//NOFORN
  nomatch    HTTPS://EXAMPLE.COM
  nomatch    C://Users/x

rule us-portion
  title      US portion mark
  category   marking
  level      4
  validator  us-portion
  scope      subject body attachment metadata
  pattern    /(^|[ \t])\((TS|S|C|U|R)(\/\/[A-Z0-9][A-Z0-9 ,\/-]*)?\)([ \t]|$)/
  pattern    /(^|[ \t])\(\/\/[A-Z][A-Z0-9 ,\/-]*\)([ \t]|$)/
  match      (S//NF) The unit moved.
  match      (TS//SI//NF) The source reports.
  match      SECRET\n(S) The unit moved.
  nomatch    (S)-ibuprofen and (R)-enantiomer
  nomatch    (C) 2024 Acme Corp. All rights reserved.
  nomatch    TypeScript (TS) is typed.
  nomatch    (a) first (b) second (c) third

# A bare SECRET / TOP SECRET / CONFIDENTIAL line counts in bodies and
# documents only: as a whole subject it is a scam and spam favourite
# (markings.md §14.3); a classified subject carries a portion mark or
# the // grammar (us-portion, us-banner).
rule us-class-line
  title      SECRET alone on a line
  category   marking
  level      4
  validator  line-alone
  scope      body attachment metadata
  pattern    /^[ \t]*SECRET[ \t]*$/
  match      SECRET\n\nThe plan is attached.
  nomatch    Secret

rule us-top-secret-line
  title      TOP SECRET alone on a line
  category   marking
  level      5
  validator  line-alone
  scope      body attachment metadata
  pattern    /^[ \t]*TOP[ -]SECRET[ \t]*$/
  match      TOP SECRET\nBriefing follows.
  nomatch    TOP SECRET: our Black Friday deals!

rule us-confidential-line
  title      CONFIDENTIAL alone on a line
  category   marking
  level      3
  validator  line-alone
  scope      body attachment metadata
  pattern    /^[ \t]*CONFIDENTIAL[ \t]*$/
  match      CONFIDENTIAL\nMinutes of the meeting.
  nomatch    CONFIDENTIALITY NOTICE: This email and any files transmitted with it are confidential.
  nomatch    Strictly Private & Confidential

rule us-cui
  title      Controlled Unclassified Information (CUI)
  category   marking
  level      2
  validator  cui
  scope      subject body attachment filename metadata
  pattern    /\b(CUI|CONTROLLED)\/\/[A-Z]/
  pattern    /^[ \t]*(CUI|CONTROLLED)[ \t]*$/
  pattern    /\(CUI(\/\/[A-Z0-9 ,\/-]+)?\)/
  pattern    /(^CUI\b|\bContains CUI\b)/
  match      CUI//SP-CTI//FEDCON
  match      CONTROLLED//SP-PRVCY
  match      CUI\nControlled by: DoD
  match      (CUI) Paragraph text.
  nomatch    CUI: RO12345678
  nomatch    UNCONTROLLED COPY WHEN PRINTED
  nomatch    Cui Tiankai said

rule us-distribution
  title      DoD distribution statement
  category   marking
  level      2
  validator  dist-statement
  scope      body attachment metadata
  pattern    /\bDISTRIBUTION STATEMENT [A-F]\b/
  match      DISTRIBUTION STATEMENT D. Distribution authorized to the Department of Defense and U.S. DoD contractors only
  nomatch    DISTRIBUTION STATEMENT A. Approved for public release; distribution is unlimited.
