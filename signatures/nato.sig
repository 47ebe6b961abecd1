# nato.sig - NATO classifications (English and French forms).
# Upper case only: "a NATO secret meeting" and "Nato restricted the
# airspace" are prose. The public-disclosure stamp suppresses.

rule nato-cosmic-top-secret
  title      COSMIC TOP SECRET (NATO)
  category   marking
  level      5
  flags      nato
  pattern    /\bCOSMIC (TOP SECRET|TRÈS SECRET)\b/
  unless     /PUBLIC(LY)? DISCLOSED/
  within     4000
  match      COSMIC TOP SECRET ATOMAL
  nomatch    cosmic ray detectors

rule nato-secret
  title      NATO SECRET
  category   marking
  level      4
  flags      nato
  pattern    /\b(NATO SECRET|SECRET OTAN)\b/
  unless     /PUBLIC(LY)? DISCLOSED/
  within     4000
  match      NATO SECRET\nRELEASABLE TO AUS
  match      SECRET OTAN
  nomatch    a NATO secret meeting

rule nato-confidential
  title      NATO CONFIDENTIAL
  category   marking
  level      3
  flags      nato
  pattern    /\b(NATO CONFIDENTIAL|CONFIDENTIEL OTAN)\b/
  unless     /PUBLIC(LY)? DISCLOSED/
  within     4000
  match      NATO CONFIDENTIAL
  match      CONFIDENTIEL OTAN

rule nato-restricted
  title      NATO RESTRICTED
  category   marking
  level      2
  flags      nato
  pattern    /\b(NATO RESTRICTED|DIFFUSION RESTREINTE OTAN)\b/
  unless     /PUBLIC(LY)? DISCLOSED/
  within     4000
  match      NATO RESTRICTED
  match      DIFFUSION RESTREINTE OTAN
  nomatch    Nato restricted the airspace

rule nato-unclassified
  title      NATO UNCLASSIFIED (NATO-owned, not public)
  category   marking
  level      1
  flags      nato
  pattern    /\bNATO UNCLASSIFIED\b/
  unless     /PUBLIC(LY)? DISCLOSED/
  within     4000
  match      NATO UNCLASSIFIED
  nomatch    NATO UNCLASSIFIED\nDECLASSIFIED/DECLASSIFIÉ - PUBLIC DISCLOSED/MISE EN LECTURE PUBLIQUE
