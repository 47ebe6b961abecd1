# us.sig - United States: classified national security information
# (CAPCO banners and portion marks), CUI and legacy FOUO/SBU/LES.
# Case-sensitive: banners are written in capitals.

rule us-banner-top-secret
  title      US TOP SECRET banner
  category   marking
  level      5
  confidence 3
  pattern    /\bTOP SECRET\/\/[A-Z]/
  match      TOP SECRET//HCS/SI/TK//NOFORN
  nomatch    a top secret//plan

rule us-banner-secret
  title      US SECRET banner
  category   marking
  level      4
  confidence 3
  pattern    /\bSECRET\/\/[A-Z]/
  match      SECRET//NOFORN
  match      SECRET//REL TO USA, AUS, CAN, GBR, NZL
  nomatch    HTTPS://EXAMPLE.COM

rule us-banner-confidential
  title      US CONFIDENTIAL banner
  category   marking
  level      3
  confidence 3
  pattern    /\bCONFIDENTIAL\/\/[A-Z]/
  match      CONFIDENTIAL//REL TO USA, GBR
  nomatch    CONFIDENTIALITY NOTICE: This e-mail message is for the sole use of the intended recipient(s)

rule us-noforn
  title      NOFORN dissemination control (no foreign nationals)
  category   marking
  level      2
  confidence 3
  flags      national-only
  pattern    /\/\/([A-Z0-9 ,\/-]*\/)?(NOFORN|NF)\b/
  match      SECRET//NOFORN
  match      CUI//SP-EXPT//NOFORN
  match      (S//NF) The unit moved.
  nomatch    see http://example.com/NOFORN

rule us-rel-to
  title      REL TO releasability list
  category   marking
  level      2
  confidence 3
  flags      rel-list
  pattern    /\/\/([A-Z0-9 ,\/-]*\/)?REL TO [A-Z]{3}/
  match      SECRET//REL TO USA, AUS, CAN, GBR, NZL

rule us-class-line
  title      US classification alone on a top or bottom line
  category   marking
  level      4
  position   edge-lines 3
  pattern    /^[ \t]*SECRET[ \t]*$/
  match      SECRET\n\nThe plan is attached.
  nomatch    Intro\nline 2\nline 3\nSECRET\nline 5\nline 6\nline 7\nend

rule us-ts-line
  title      US TOP SECRET alone on a top or bottom line
  category   marking
  level      5
  position   edge-lines 3
  pattern    /^[ \t]*TOP SECRET[ \t]*$/
  match      TOP SECRET\nBriefing follows.

rule us-confidential-line
  title      CONFIDENTIAL alone on a top or bottom line
  category   marking
  level      3
  position   edge-lines 3
  pattern    /^[ \t]*CONFIDENTIAL[ \t]*$/
  match      CONFIDENTIAL\nMinutes of the meeting.
  nomatch    CONFIDENTIALITY NOTICE: This email and any files transmitted with it are confidential.
  nomatch    Strictly Private & Confidential

rule us-portion-top-secret
  title      US TOP SECRET portion mark with controls
  category   marking
  level      5
  pattern    /(^|[ \t])\(TS\/\/[A-Z][A-Z0-9 ,\/-]*\)[ \t]/
  match      (TS//SI//NF) The source reports.
  nomatch    TypeScript (TS) is typed.

rule us-portion-secret
  title      US SECRET portion mark with controls
  category   marking
  level      4
  pattern    /(^|[ \t])\(S\/\/[A-Z][A-Z0-9 ,\/-]*\)[ \t]/
  match      (S//NF) The unit moved.
  match      (S//REL TO USA, GBR) Summary.
  nomatch    (S)-ibuprofen is an enantiomer.

rule us-portion-confidential
  title      US CONFIDENTIAL portion mark with controls
  category   marking
  level      3
  pattern    /(^|[ \t])\(C\/\/[A-Z][A-Z0-9 ,\/-]*\)[ \t]/
  match      (C//REL TO USA, GBR) Summary.
  nomatch    (C) 2024 Acme Corp. All rights reserved.

rule us-subject-portion
  title      US SECRET or TOP SECRET portion mark on the subject
  category   marking
  level      4
  scope      subject
  pattern    /^\((TS|S)(\/\/[A-Z0-9 ,\/-]+)?\) /
  match      (S//NF) Update on the exercise
  match      (S) Update on the exercise
  nomatch    (U) Meeting notes

rule us-cui-banner
  title      CUI banner
  category   marking
  level      2
  confidence 3
  pattern    /\b(CUI|CONTROLLED)\/\/[A-Z]/
  match      CUI//SP-CTI//FEDCON
  match      CONTROLLED//SP-PRVCY
  nomatch    CUI: RO12345678

rule us-cui-line
  title      CUI alone on a line
  category   marking
  level      2
  pattern    /^[ \t]*(CUI|CONTROLLED)[ \t]*$/
  match      CUI\nControlled by: DoD
  nomatch    UNCONTROLLED COPY WHEN PRINTED
  nomatch    Cui Tiankai said

rule us-cui-portion
  title      CUI portion mark
  category   marking
  level      2
  pattern    /(^|[ \t])\(CUI(\/\/[A-Z0-9 ,\/-]+)?\)[ \t]/
  match      (CUI) Paragraph text.

rule us-cui-subject
  title      CUI on the subject line
  category   marking
  level      2
  scope      subject
  pattern    /^CUI\b/
  pattern    /\bContains CUI\b/
  match      CUI - Contract data package
  match      Contains CUI
  nomatch    Cui îi pasă?

rule us-legacy-fouo
  title      Legacy US control marking (FOUO, LES, SBU)
  category   marking
  level      2
  confidence 3
  pattern    /\bUNCLASSIFIED\/\/(FOR OFFICIAL USE ONLY|FOUO|LAW ENFORCEMENT SENSITIVE|LES|SENSITIVE BUT UNCLASSIFIED|SBU)\b/
  pattern    /\(U\/\/(FOUO|LES|SBU|SBU-NF|LES-NF|SSI|DSEN)\)/
  match      UNCLASSIFIED//FOR OFFICIAL USE ONLY
  match      (U//FOUO) Schedule.

rule us-distribution
  title      DoD distribution statement B-F (controlled technical information)
  category   marking
  level      2
  pattern    /\bDISTRIBUTION STATEMENT [B-F]\b/
  match      DISTRIBUTION STATEMENT D. Distribution authorized to the Department of Defense and U.S. DoD contractors only
  nomatch    DISTRIBUTION STATEMENT A. Approved for public release; distribution is unlimited.
