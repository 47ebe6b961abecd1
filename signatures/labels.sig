# labels.sig - machine-readable labels in headers and document metadata.
#
# Microsoft Purview (MIP) labels are organisation-defined: the name in
# MSIP_Label_<guid>_Name is read with upper-case marking words only; a
# deployment maps its own label GUIDs in its own rules (copy a rule and
# match the GUID). Names that merely say "Confidential" are reported at
# low confidence (not counted): corporate labels need configuration.

rule mip-official-sensitive
  title      Sensitivity label OFFICIAL-SENSITIVE
  category   label
  level      2
  confidence 3
  scope      headers metadata
  pattern    /MSIP_Label_[0-9A-Fa-f-]{36}_Name=(UK )?OFFICIAL[- ]SENSITIVE/
  match      MSIP_Label_11111111-2222-3333-4444-555555555555_Name=OFFICIAL-SENSITIVE;
  nomatch    MSIP_Label_11111111-2222-3333-4444-555555555555_Name=OFFICIAL;

rule mip-official
  title      Sensitivity label OFFICIAL
  category   label
  level      1
  confidence 3
  scope      headers metadata
  pattern    /MSIP_Label_[0-9A-Fa-f-]{36}_Name=(UK )?OFFICIAL[;\r\n"<]/
  match      MSIP_Label_11111111-2222-3333-4444-555555555555_Name=OFFICIAL;

rule mip-secret
  title      Sensitivity label SECRET or TOP SECRET
  category   label
  level      4
  confidence 3
  scope      headers metadata
  pattern    /MSIP_Label_[0-9A-Fa-f-]{36}_Name=(UK )?(TOP )?SECRET\b/
  match      MSIP_Label_11111111-2222-3333-4444-555555555555_Name=SECRET;

rule mip-label-name
  title      Corporate sensitivity label (needs a GUID mapping to count)
  category   label
  level      2
  confidence 1
  scope      headers metadata
  pattern    /MSIP_Label_[0-9A-Fa-f-]{36}_Name=[^;\r\n]*(Confidential|Restricted|Secret|Sensitive)/i
  nomatch    MSIP_Label_11111111-2222-3333-4444-555555555555_Name=Highly Confidential;

rule sensitivity-header
  title      Sensitivity header (RFC 2156)
  category   label
  level      2
  confidence 1
  scope      header:Sensitivity
  pattern    /^Sensitivity:[ \t]*(Personal|Private|Company-Confidential)\b/i
  nomatch    Sensitivity: Normal
