# labels.sig - machine-readable labels in headers and document metadata
# (markings.md §9). The triggers find the label; the validators parse it
# (validators.md) and look organisation-defined ids up in labels.map:
# a mapped label counts at its mapped level (C3). Without a mapping, an
# upper-case government name (SECRET, OFFICIAL-SENSITIVE ...) counts at
# its level (C2); corporate names ("Highly Confidential") are reported at
# C1 and do not count: corporate labels need configuration.
# Scopes are headers and metadata only: a document or script that quotes
# MSIP_Label_... or SIO-Label: in its text is not a label (§14.9).

rule mip-label
  title      Microsoft Purview sensitivity label
  category   label
  level      2
  scope      headers metadata
  validator  mip-label
  pattern    /MSIP_Label_[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}_Enabled[ \t]*["=:]/i
  match      msip_labels: MSIP_Label_11111111-2222-3333-4444-555555555555_Enabled=true; MSIP_Label_11111111-2222-3333-4444-555555555555_Name=OFFICIAL-SENSITIVE;
  match      msip_labels: MSIP_Label_22222222-2222-3333-4444-555555555555_Enabled=True; MSIP_Label_22222222-2222-3333-4444-555555555555_Name=SECRET;
  match      msip_labels: MSIP_Label_11111111-2222-3333-4444-555555555555_Enabled=true; MSIP_Label_11111111-2222-3333-4444-555555555555_Name=OFFICIAL;
  nomatch    msip_labels: MSIP_Label_11111111-2222-3333-4444-555555555555_Enabled=true; MSIP_Label_11111111-2222-3333-4444-555555555555_Name=PUBLIC;
  nomatch    msip_labels: MSIP_Label_11111111-2222-3333-4444-555555555555_Enabled=false; MSIP_Label_11111111-2222-3333-4444-555555555555_Name=SECRET;
  nomatch    msip_labels: MSIP_Label_33333333-2222-3333-4444-555555555555_Enabled=true; MSIP_Label_33333333-2222-3333-4444-555555555555_Name=Highly Confidential;
  nomatch    msip_labels: MSIP_Label_33333333-2222-3333-4444-555555555555_Enabled=true; MSIP_Label_33333333-2222-3333-4444-555555555555_Name=General;

rule mip-labelinfo
  title      Microsoft Purview label in LabelInfo.xml
  category   label
  level      2
  scope      metadata
  validator  mip-labelinfo
  pattern    /(<clbl:label|^label)[ \t]/
  nomatch    <clbl:label id="{33333333-2222-3333-4444-555555555555}" enabled="1" method="Standard" siteId="{44444444-2222-3333-4444-555555555555}" removed="0"/>
  nomatch    label id={33333333-2222-3333-4444-555555555555} enabled=1 removed=1

rule titus-label
  title      Titus classification header
  category   label
  level      2
  scope      headers
  validator  titus
  pattern    /^x-titus-metadata-40:/i
  pattern    /^x-tituslabs-classifications-30:/i
  nomatch    x-tituslabs-classifications-30: TLPropertyRoot=UTC;TechnicalData=No;

rule titus-document
  title      Titus document properties
  category   label
  level      2
  scope      metadata
  validator  titus
  pattern    /^TitusGUID=[^\n]*\n/
  nomatch    TitusGUID=0a1b2c3d-1111-2222-3333-444455556666\nInterpolClassification=Unclassified

rule bj-label
  title      Boldon James label header
  category   label
  level      2
  scope      headers
  validator  bj-label
  pattern    /<sisl[ \t>]/
  nomatch    x-bjprotectivemarking: <?xml version="1.0"?><sisl sislVersion="0" policy="5e216652-7cb1-42d3-a22f-fb5c7f348db5" origin="defaultValue"><element uid="id_classification_nonbusiness" value="" /></sisl>

rule bj-document
  title      Boldon James document label
  category   label
  level      2
  scope      metadata
  validator  bj-label
  pattern    /^bjDocumentLabelXML=/
  pattern    /^sisl [^\n]*policy=/
  nomatch    sisl sislVersion=0 policy=5e216652-7cb1-42d3-a22f-fb5c7f348db5 origin=userSelected\nelement uid=id_protective_marking_official_sensitive value=

rule bj-classification
  title      Boldon James display classification
  category   label
  level      2
  confidence 1
  scope      header:bjclassification
  validator  label-text
  pattern    /^bjclassification:/i
  nomatch    bjclassification: Internal Use Only

rule sio-label
  title      Security label header (RFC 7444 SIO-Label)
  category   label
  level      2
  scope      header:SIO-Label
  validator  sio-label
  pattern    /^SIO-Label:/i
  match      SIO-Label: marking="SECRET"; fgcolor=black; bgcolor=red; type=":ess"; label="MQYGASkCAQM="
  match      SIO-Label: marking="OFFICIAL-SENSITIVE"
  nomatch    SIO-Label: marking="UNCLASSIFIED"

rule sio-label-history
  title      Security label history header (RFC 7444)
  category   label
  level      2
  scope      header:SIO-Label-History
  validator  sio-label
  pattern    /^SIO-Label-History:/i
  nomatch    SIO-Label-History: marking="SECRET"

# In customXml parts the extractor writes elements as "Name=text" lines
# and drops namespace declarations: the PolicyIdentifier line is the
# trigger there.
rule stanag-4774
  title      NATO confidentiality metadata label (STANAG 4774)
  category   label
  level      2
  scope      metadata
  validator  stanag-4774
  pattern    "urn:nato:stanag:4774:confidentialitymetadatalabel"
  pattern    /^(originator|alternative|successor)ConfidentialityLabel\b/
  pattern    /^PolicyIdentifier=/
  match      PolicyIdentifier URI=urn:oid:1.3.26.1.3.1\nPolicyIdentifier=NATO\nClassification=SECRET\nCategory Type=PERMISSIVE TagName=Releasable To\nGenericValue=GBR
  match      <slab:originatorConfidentialityLabel xmlns:slab="urn:nato:stanag:4774:confidentialitymetadatalabel:1:0"><slab:ConfidentialityInformation><slab:PolicyIdentifier URI="urn:oid:1.3.26.1.3.1">NATO</slab:PolicyIdentifier><slab:Classification>RESTRICTED</slab:Classification></slab:ConfidentialityInformation></slab:originatorConfidentialityLabel>
  nomatch    schema targetNamespace=urn:nato:stanag:4774:confidentialitymetadatalabel:1:0\nelement name=Classification\nelement=SECRET
  nomatch    PolicyIdentifier=GBR\nClassification=UNCLASSIFIED

# A 4774 label in a document or attachment counts only when it is bound
# (a STANAG 4778 binding): otherwise it is an example in documentation or
# code (4774-N3), reported at C1.
rule stanag-4774-document
  title      NATO confidentiality metadata label in a document (STANAG 4774)
  category   label
  level      2
  scope      attachment
  validator  stanag-4774
  pattern    "urn:nato:stanag:4774:confidentialitymetadatalabel"
  match      <BindingInformation xmlns="urn:nato:stanag:4778:bindinginformation:1:0"><MetadataBindingContainer><MetadataBinding><Metadata><slab:originatorConfidentialityLabel xmlns:slab="urn:nato:stanag:4774:confidentialitymetadatalabel:1:0"><slab:ConfidentialityInformation><slab:PolicyIdentifier URI="urn:oid:1.3.26.1.3.1">NATO</slab:PolicyIdentifier><slab:Classification>SECRET</slab:Classification></slab:ConfidentialityInformation></slab:originatorConfidentialityLabel></Metadata></MetadataBinding></MetadataBindingContainer></BindingInformation>
  nomatch    An example label: <originatorConfidentialityLabel xmlns="urn:nato:stanag:4774:confidentialitymetadatalabel:1:0"><ConfidentialityInformation><PolicyIdentifier>NATO</PolicyIdentifier><Classification>SECRET</Classification></ConfidentialityInformation></originatorConfidentialityLabel>
  nomatch    <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:nato:stanag:4774:confidentialitymetadatalabel:1:0"><xs:enumeration value="SECRET"/></xs:schema>

rule exchange-classification
  title      Exchange message classification (mapped GUIDs only)
  category   label
  level      2
  scope      header:X-MS-Exchange-Organization-Classification
  validator  exchange-class
  pattern    /^X-MS-Exchange-Organization-Classification:/i
  nomatch    X-MS-Exchange-Organization-Classification: 0f1e2d3c-0000-4000-8000-000000000000

rule sensitivity-header
  title      Sensitivity header (RFC 2156)
  category   label
  level      2
  confidence 1
  scope      header:Sensitivity
  pattern    /^Sensitivity:[ \t]*(Personal|Private|Company-Confidential)\b/i
  nomatch    Sensitivity: Normal
  nomatch    Sensitivity: Company-Confidential
