# nato.sig - NATO classifications (English and French forms) and NATO
# portion marks. Upper case only; the public-disclosure stamp suppresses;
# ATOMAL/BOHEMIA/BALK raise to level 5 (validator "nato").

rule nato
  title      NATO classification
  category   marking
  level      2
  flags      nato
  validator  nato
  scope      subject body attachment filename metadata
  pattern    /\b(COSMIC TOP SECRET|NATO SECRET|NATO CONFIDENTIAL|NATO RESTRICTED|NATO UNCLASSIFIED)\b/
  pattern    /\b(SECRET OTAN|CONFIDENTIEL OTAN|DIFFUSION RESTREINTE OTAN)\b/
  pattern    /(^|[ \t])\((CTS|NS|NC|NR|NU|CTSA|NSAT|NCA)\)[ \t]/
  match      NATO RESTRICTED
  match      NATO SECRET\nRELEASABLE TO AUS
  match      COSMIC TOP SECRET ATOMAL
  match      CONFIDENTIEL OTAN
  nomatch    a NATO secret meeting
  nomatch    Nato restricted the airspace
  nomatch    cosmic ray detectors
  nomatch    NATO UNCLASSIFIED\nDECLASSIFIED/DECLASSIFIÉ - PUBLIC DISCLOSED/MISE EN LECTURE PUBLIQUE
