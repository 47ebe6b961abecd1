# commonwealth.sig - Australia (PSPF, Email Protective Marking Standard),
# Canada and New Zealand markings, and the Traffic Light Protocol.

rule au-epms
  title      Australian protective marking (EPMS)
  category   marking
  level      2
  validator  au-epms
  scope      subject headers body attachment filename metadata
  pattern    /\[SEC=(UNOFFICIAL|OFFICIAL(:[ ]?Sensitive)?|PROTECTED|SECRET|TOP-SECRET|UNCLASSIFIED|CONFIDENTIAL|HIGHLY[ -]PROTECTED)[,\]]/i
  pattern    /\[(SEC=[A-Za-z-]+, )?DLM=(For-Official-Use-Only|Sensitive(:(Personal|Legal|Cabinet))?)\]/i
  pattern    /^X-Protective-Marking:/i
  match      Budget [SEC=OFFICIAL:Sensitive]
  match      Report [SEC=PROTECTED, CAVEAT=SH:CABINET]
  nomatch    https://example.com/?sec=protected

rule ca-marking
  title      Canadian security marking
  category   marking
  level      2
  validator  ca
  scope      subject body attachment metadata
  pattern    /\b(PROTECTED|PROTÉGÉ|PROTEGE) [ABC]\b/
  pattern    /\bCANADIAN EYES ONLY\b/
  match      PROTECTED B
  match      PROTÉGÉ A
  nomatch    Please keep this protected a while longer

rule nz-marking
  title      New Zealand security marking
  category   marking
  level      2
  validator  nz
  scope      subject body attachment metadata
  pattern    /\[(IN-CONFIDENCE|SENSITIVE|RESTRICTED|SEEMAIL|TRUSTED)\]/
  pattern    /\bMEDICAL IN-CONFIDENCE\b/
  nomatch    [sensitive] lower case

rule tlp
  title      Traffic Light Protocol label
  category   marking
  level      1
  validator  tlp
  scope      subject body attachment metadata
  pattern    /\bTLP:(CLEAR|WHITE|GREEN|AMBER(\+STRICT)?|RED)\b/i
  match      TLP:RED
  match      TLP:AMBER+STRICT
