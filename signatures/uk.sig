# uk.sig - United Kingdom: Government Security Classifications Policy
# (GSCP 2024) and the legacy Government Protective Marking Scheme.
# Levels and traps: docs/signatures.md and the markings specification.
#
# Markings are matched case-sensitively: the policy requires CAPITALS,
# and mixed-case words in prose ("official sensitive information") are
# not markings.

rule uk-official-sensitive
  title      UK OFFICIAL-SENSITIVE marking
  category   marking
  level      2
  confidence 2
  scope      subject body attachment filename metadata
  pattern    /\b(UK )?OFFICIAL ?[-:]? ?SENSITIVE\b/
  match      OFFICIAL-SENSITIVE: Draft submission to Minister
  match      OFFICIAL-SENSITIVE - RECIPIENTS ONLY - Budget options
  match      UK OFFICIAL-SENSITIVE\nREL-EU
  match      OFFICIAL-SENSITIVE [PERSONAL]
  match      OFFICIAL SENSITIVE
  nomatch    Please treat this as official sensitive information
  nomatch    OFFICIAL SECRETS ACT

rule uk-official
  title      UK OFFICIAL marking alone on a line
  category   marking
  level      1
  pattern    /^[ \t]*(UK )?OFFICIAL[ \t]*$/
  match      OFFICIAL\nDear colleague,
  nomatch    OFFICIAL RULES
  nomatch    OFFICIAL - FOR PUBLIC RELEASE

rule uk-official-label
  title      UK OFFICIAL classification label
  category   marking
  level      1
  pattern    /^[ \t]*(Security )?Classification: ?(UK )?OFFICIAL\b/
  pattern    /\[(UK )?OFFICIAL\]/
  match      Classification: OFFICIAL
  match      Weekly report [OFFICIAL]
  nomatch    Difficulty: Easy  Classification: Official

rule uk-secret
  title      UK SECRET marking alone on a line
  category   marking
  level      4
  pattern    /^[ \t]*(UK )?SECRET([ \t]*-[ \t]*[A-Z][A-Z0-9 \/()-]*)?[ \t]*$/
  match      SECRET
  match      UK SECRET - CODEWORD - UK EYES ONLY
  match      SECRET - RECIPIENTS ONLY - COMMERCIAL
  nomatch    SECRET SANTA
  nomatch    the secret to good bread
  nomatch    in breach of the Official Secrets Act 1989

rule uk-top-secret
  title      UK TOP SECRET marking alone on a line
  category   marking
  level      5
  pattern    /^[ \t]*(UK )?TOP[ -]SECRET([ \t]*-[ \t]*[A-Z][A-Z0-9 \/()-]*)?[ \t]*$/
  match      TOP SECRET
  match      TOP SECRET - UK/US EYES ONLY
  nomatch    TOP SECRET: our Black Friday deals!
  nomatch    Top Secret recipe

rule uk-eyes-only
  title      National caveat (EYES ONLY)
  category   marking
  level      4
  flags      national-only
  pattern    /\b(UK|US|FIVE|AUS|CAN|NZ|[A-Z]{2,3}(\/[A-Z]{2,3})+) EYES ONLY\b/
  match      UK SECRET - CODEWORD - UK EYES ONLY
  match      TOP SECRET - UK/US EYES ONLY
  nomatch    FOR YOUR EYES ONLY

rule uk-gpms
  title      Legacy UK protective marking (PROTECT, RESTRICTED) on a line
  category   marking
  level      2
  pattern    /^[ \t]*(UK )?(PROTECT|RESTRICTED)([ \t]*-[ \t]*[A-Z]+)?[ \t]*$/
  match      RESTRICTED - COMMERCIAL
  match      PROTECT - PERSONAL
  nomatch    RESTRICTED ACCESS AREA
  nomatch    PROTECT YOUR ACCOUNT
