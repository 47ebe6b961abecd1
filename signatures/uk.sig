# uk.sig - United Kingdom: Government Security Classifications Policy
# (GSCP 2024) and the legacy Government Protective Marking Scheme.
#
# Triggers follow the markings specification §15; the C validators
# (docs/validators.md) parse the tolerant grammar of §5.4, set the level
# from the tier, flags from handling instructions, descriptors and
# caveats, and the confidence from case and position (mixed case in
# prose is C1: reported, not counted).

rule uk-marking
  title      UK classification marking
  category   marking
  level      2
  validator  uk-marking
  scope      subject body attachment filename metadata
  pattern    /\b(UK )?OFFICIAL ?[-:]? ?SENSITIVE\b/i
  pattern    /\b(UK )?(TOP SECRET|SECRET)( - [A-Z][A-Z \/()-]*)*( - )?(UK|FIVE|[A-Z]{2,3}(\/[A-Z]{2,3})+) EYES ONLY\b/
  pattern    /\bUK EYES ONLY\b/
  pattern    /\b(RECIPIENTS ONLY|HMG USE ONLY|EMBARGOED|FOR PUBLIC RELEASE|REL[ -]EU)\b/
  pattern    /\[(UK )?OFFICIAL\]/
  match      OFFICIAL-SENSITIVE: Draft submission to Minister
  match      OFFICIAL-SENSITIVE - RECIPIENTS ONLY - Budget options
  match      UK OFFICIAL-SENSITIVE\nREL-EU
  match      OFFICIAL-SENSITIVE [PERSONAL]
  match      OFFICIAL-SENSITIVE: COMMERCIAL
  match      UK SECRET - CODEWORD - UK EYES ONLY
  match      SECRET - RECIPIENTS ONLY - COMMERCIAL
  match      TOP SECRET - UK/US EYES ONLY
  nomatch    Please treat this as official sensitive information
  nomatch    in breach of the Official Secrets Act 1989
  nomatch    OFFICIAL - FOR PUBLIC RELEASE
  nomatch    ...the file was stamped UK EYES ONLY, according to the BBC...
  nomatch    FOR YOUR EYES ONLY

rule uk-official-line
  title      UK OFFICIAL marking line
  category   marking
  level      1
  validator  uk-line
  scope      subject body attachment metadata
  pattern    /^[ \t]*(UK )?OFFICIAL[ \t]*$/i
  pattern    /^[ \t]*(Security )?Classification:[ \t]*(UK )?OFFICIAL\b/i
  match      OFFICIAL\nDear colleague,
  match      Classification: OFFICIAL
  nomatch    OFFICIAL RULES
  nomatch    Difficulty: Easy  Classification: Official

rule uk-gpms
  title      Legacy UK protective marking (PROTECT, RESTRICTED) on a line
  category   marking
  level      2
  validator  line-alone
  scope      subject body attachment metadata
  pattern    /^[ \t]*(UK )?(PROTECT|RESTRICTED)([ \t]*-[ \t]*[A-Z]+)?[ \t]*$/
  match      RESTRICTED - COMMERCIAL
  match      PROTECT - PERSONAL
  nomatch    RESTRICTED ACCESS AREA
  nomatch    PROTECT YOUR ACCOUNT

rule uk-npm
  title      Legacy UK NOT PROTECTIVELY MARKED
  category   marking
  level      1
  pattern    /\bNOT PROTECTIVELY MARKED\b/
  match      NOT PROTECTIVELY MARKED
  nomatch    not protectively marked
