/*
 * test_validate.c - the validators and the context check against every
 * test vector of ../shared/spec/markings.md that reaches a validator, plus
 * PII vectors (published test card numbers and IBAN examples).
 *
 * Each case gives the normalised text, the validator a signature would
 * name, and the substring a §15 trigger would match; the test derives
 * start/end from it and runs the case twice, with the start known (SOM)
 * and unknown (walk back from the end). The expected level, confidence
 * and flags are the spec's. The outcome combines what the matcher does:
 * a rejected candidate counts as level 0 / C0, and a marking hit whose
 * span dlp_context_suppressed() flags counts as C0.
 */
#include "test.h"
#include "validate.h"

#define NAT   DLP_F_NATIONAL_ONLY
#define REL   DLP_F_REL_LIST
#define ORIG  DLP_F_ORIGINATOR
#define PRIV  DLP_F_PRIVACY_LEGAL
#define CAB   DLP_F_CABINET
#define EMB   DLP_F_EMBARGO
#define COMM  DLP_F_COMMERCIAL
#define NATOF DLP_F_NATO
#define SUP   DLP_F_SUPPRESSOR

#define B    DLP_SCOPE_BODY
#define SUBJ DLP_SCOPE_SUBJECT
#define HDR  DLP_SCOPE_HEADERS

struct vcase {
	const char *id;
	const char *validator;
	unsigned scope;
	const char *text;
	const char *trigger; /* where the trigger matches */
	int last;            /* 1: the last occurrence of trigger */
	unsigned deflevel;   /* the signature's level */
	unsigned lmin, lmax, cmin, cmax;
	unsigned want, deny; /* flags that must / must not be set */
	const char *rel;     /* expected rel_to, or NULL */
};

/* Shorthands: the rejected/suppressed outcome, and "any accepted". */
#define C0   0, 5, 0, 0
#define ANYC 1, 3

static const struct vcase marking_cases[] = {
    /* UK GSCP, markings.md §5.6 */
    {"UK-P1", "uk-marking", SUBJ,
        "OFFICIAL-SENSITIVE: Draft submission to Minister",
        "OFFICIAL-SENSITIVE", 0, 2, 2, 2, 2, 2, 0, 0, NULL},
    {"UK-P2", "uk-marking", SUBJ,
        "OFFICIAL-SENSITIVE - RECIPIENTS ONLY - Budget options",
        "OFFICIAL-SENSITIVE", 0, 2, 2, 2, 2, 2, ORIG, 0, NULL},
    {"UK-P3 top", "uk-marking", B,
        "OFFICIAL-SENSITIVE\n\nDear colleague,\nThe draft is attached.\n\n"
        "OFFICIAL-SENSITIVE",
        "OFFICIAL-SENSITIVE", 0, 2, 2, 2, 2, 2, 0, 0, NULL},
    {"UK-P3 bottom", "uk-marking", B,
        "OFFICIAL-SENSITIVE\n\nDear colleague,\nThe draft is attached.\n\n"
        "OFFICIAL-SENSITIVE",
        "OFFICIAL-SENSITIVE", 1, 2, 2, 2, 2, 2, 0, 0, NULL},
    {"UK-P3 line", "line-alone", B,
        "OFFICIAL-SENSITIVE\n\nDear colleague,\nThe draft is attached.\n\n"
        "OFFICIAL-SENSITIVE",
        "OFFICIAL-SENSITIVE", 1, 2, 2, 2, 2, 2, 0, 0, NULL},
    {"UK-P4", "uk-marking", B,
        "Minutes\nUK SECRET - CODEWORD - UK EYES ONLY\nThe meeting opened.",
        "UK SECRET - CODEWORD - UK EYES ONLY", 0, 4, 4, 4, 3, 3, NAT, 0, NULL},
    {"UK-P5", "uk-marking", B, "SECRET - RECIPIENTS ONLY - COMMERCIAL",
        "RECIPIENTS ONLY", 0, 4, 4, 4, ANYC, ORIG | COMM, 0, NULL},
    {"UK-P6", "uk-marking", B, "UK OFFICIAL-SENSITIVE\nREL-EU\n\nText.",
        "UK OFFICIAL-SENSITIVE", 0, 2, 2, 2, ANYC, REL, 0, "EU"},
    {"UK-P7", "uk-marking", B, "OFFICIAL-SENSITIVE\nBriefing note",
        "OFFICIAL-SENSITIVE", 0, 2, 2, 2, ANYC, 0, 0, NULL},
    {"UK-P8", "uk-marking", B, "TOP SECRET - UK/US EYES ONLY",
        "TOP SECRET - UK/US EYES ONLY", 0, 5, 5, 5, ANYC, NAT, 0, NULL},
    {"UK-P9", "uk-line", B, "Regards,\nJane\n\nClassification: OFFICIAL",
        "Classification: OFFICIAL", 0, 1, 1, 1, 2, 2, 0, 0, NULL},
    {"UK-P10", "line-alone", B,
        "RESTRICTED - COMMERCIAL\n\nMinutes of the 2012 board meeting.",
        "RESTRICTED - COMMERCIAL", 0, 2, 2, 2, 2, 2, COMM, 0, NULL},
    {"UK-P11 bracket", "uk-marking", B, "OFFICIAL-SENSITIVE [PERSONAL]",
        "OFFICIAL-SENSITIVE", 0, 2, 2, 2, ANYC, PRIV, 0, NULL},
    {"UK-P11 colon", "uk-marking", B, "OFFICIAL-SENSITIVE: COMMERCIAL",
        "OFFICIAL-SENSITIVE", 0, 2, 2, 2, ANYC, COMM, 0, NULL},
    {"UK-N1 act", "uk-marking", B,
        "This is in breach of the Official Secrets Act 1989.",
        "Official Secrets", 0, 1, C0, 0, 0, NULL},
    {"UK-N1 sign", "uk-line", B, "OFFICIAL SECRETS ACT", "OFFICIAL", 0, 1, C0,
        0, 0, NULL},
    {"UK-N2", "uk-line", B, "Difficulty: Easy Classification: Official",
        "Classification: Official", 0, 1, 0, 1, 0, 1, 0, 0, NULL},
    {"UK-N3 deals", "uk-marking", SUBJ, "TOP SECRET: our Black Friday deals!",
        "TOP SECRET", 0, 5, 0, 5, 0, 0, 0, 0, NULL},
    {"UK-N3 secret to", "uk-marking", SUBJ, "THE SECRET TO a great BBQ",
        "SECRET", 0, 4, 0, 5, 0, 0, 0, 0, NULL},
    {"UK-N4", "uk-marking", B,
        "Please treat this as official sensitive information.",
        "official sensitive", 0, 2, 0, 2, 0, 1, 0, 0, NULL},
    {"UK-N5 area", "line-alone", B, "RESTRICTED ACCESS AREA", "RESTRICTED", 0,
        2, C0, 0, 0, NULL},
    {"UK-N5 stock", "line-alone", B, "Restricted Stock Units vest on 1 May",
        "Restricted", 0, 2, C0, 0, 0, NULL},
    {"UK-N5 protect", "line-alone", B, "PROTECT YOUR ACCOUNT", "PROTECT", 0, 2,
        C0, 0, 0, NULL},
    {"UK-N6 alone", "uk-marking", B, "FOR PUBLIC RELEASE", "FOR PUBLIC RELEASE",
        0, 1, 0, 0, ANYC, SUP, 0, NULL},
    {"UK-N6 official", "uk-marking", B, "OFFICIAL - FOR PUBLIC RELEASE",
        "FOR PUBLIC RELEASE", 0, 1, 0, 0, ANYC, SUP, 0, NULL},
    {"UK-N7", "uk-marking", B,
        "...the file was stamped UK EYES ONLY, according to the BBC...",
        "UK EYES ONLY", 0, 4, 0, 5, 1, 1, 0, 0, NULL},
    {"UK-N8 rules", "uk-line", B, "OFFICIAL RULES", "OFFICIAL", 0, 1, C0, 0, 0,
        NULL},
    {"UK-N8 receipt", "uk-marking", B, "OFFICIAL RECEIPT", "OFFICIAL", 0, 1, C0,
        0, 0, NULL},
    {"UK-N8 website", "uk-marking", B, "Visit the official website.",
        "official", 0, 1, C0, 0, 0, NULL},
    {"UK-N9", "uk-marking", B,
        "We limit the processing of personal data under GDPR.", "personal data",
        0, 2, C0, 0, 0, NULL},

    /* US classified, §6.4 */
    {"US-P1 top", "us-banner", B,
        "SECRET//NOFORN\n\nThe report follows.\n\nSECRET//NOFORN", "SECRET//N",
        0, 4, 4, 4, 3, 3, NAT, 0, NULL},
    {"US-P1 bottom", "us-banner", B,
        "SECRET//NOFORN\n\nThe report follows.\n\nSECRET//NOFORN", "SECRET//N",
        1, 4, 4, 4, 3, 3, NAT, 0, NULL},
    {"US-P2", "us-banner", B, "TOP SECRET//HCS/SI/TK//NOFORN", "TOP SECRET//H",
        0, 5, 5, 5, 3, 3, NAT, 0, NULL},
    {"US-P3 list", "us-banner", B, "SECRET//REL TO USA, AUS, CAN, GBR, NZL",
        "SECRET//R", 0, 4, 4, 4, 3, 3, REL, NAT, "USA AUS CAN GBR NZL"},
    {"US-P3 fvey", "us-banner", B, "SECRET//REL TO USA, FVEY", "SECRET//R", 0,
        4, 4, 4, 3, 3, REL, 0, "USA FVEY"},
    {"US-P4 subject", "us-portion", SUBJ, "(S//NF) Update on the exercise",
        "(S//NF) ", 0, 4, 4, 4, 2, 3, NAT, 0, NULL},
    {"US-P4 body", "us-portion", B, "(S//NF) The unit moved north.", "(S//NF) ",
        0, 4, 4, 4, 2, 3, NAT, 0, NULL},
    {"US-P5", "us-portion", B, "(TS//SCI) The source reported.", "(TS//SCI) ",
        0, 5, 5, 5, 2, 2, 0, 0, NULL},
    {"US-P6", "us-banner", B,
        "CONFIDENTIAL//REL TO USA, GBR\n\nClassified By: J. Smith\n"
        "Derived From: Multiple Sources\nDeclassify On: 20351231",
        "CONFIDENTIAL//R", 0, 3, 3, 3, 3, 3, REL, 0, "USA GBR"},
    {"US-P7 cnwdi", "us-banner", B, "SECRET//RD-CNWDI", "SECRET//R", 0, 4, 4, 5,
        3, 3, 0, 0, NULL},
    {"US-P7 frd", "us-banner", B, "SECRET//FRD", "SECRET//F", 0, 4, 4, 5, 3, 3,
        0, 0, NULL},
    {"US-P8 gbr", "us-banner", B, "//GBR SECRET//REL TO USA, GBR",
        "//GBR SECRET", 0, 4, 4, 4, 3, 3, REL, 0, "USA GBR"},
    {"US-P8 cosmic", "us-banner", B, "//COSMIC TOP SECRET//ATOMAL",
        "//COSMIC TOP SECRET", 0, 5, 5, 5, 3, 3, 0, 0, NULL},
    {"US-P9", "us-banner", B, "TOP SECRET//SAR-XYZ//NOFORN", "TOP SECRET//S", 0,
        5, 5, 5, 3, 3, NAT, 0, NULL},
    {"US-P10 banner", "us-banner", B, "UNCLASSIFIED//FOR OFFICIAL USE ONLY",
        "UNCLASSIFIED//F", 0, 0, 2, 2, 3, 3, 0, 0, NULL},
    {"US-P10 portion", "us-portion", B, "(U//FOUO)", "(U//FOUO)", 0, 0, 2, 2, 3,
        3, 0, 0, NULL},
    {"US-N1 year", "us-portion", B, "(C) 2024 Acme Corp. All rights reserved.",
        "(C) ", 0, 3, C0, 0, 0, NULL},
    {"US-N1 copyright", "us-portion", B, "(c) Copyright Acme", "(c) ", 0, 3, C0,
        0, 0, NULL},
    {"US-N2 ibuprofen", "us-portion", B,
        "(S)-ibuprofen is the active enantiomer.", "(S)", 0, 4, C0, 0, 0, NULL},
    {"US-N2 enantiomer", "us-portion", B, "(R)-enantiomer", "(R)", 0, 2, C0, 0,
        0, NULL},
    {"US-N2 trademark", "us-portion", B, "Acme(R) widgets", "(R) ", 0, 2, C0, 0,
        0, NULL},
    {"US-N2 success", "us-portion", B, "(S)uccess stories", "(S)", 0, 4, C0, 0,
        0, NULL},
    {"US-N2 plural", "us-portion", B, "Each employee(s) must sign.", "(s) ", 0,
        4, C0, 0, 0, NULL},
    {"US-N2 party", "us-portion", B, "THE PARTY(S) AGREE", "(S) ", 0, 4, C0, 0,
        0, NULL},
    {"US-N3 lower", "us-portion", B,
        "(a) first option (b) second option (c) third option", "(c) ", 0, 3, C0,
        0, 0, NULL},
    {"US-N3 inline", "us-portion", B, "(A) Yes (B) No (C) Maybe (D) Unsure",
        "(C) ", 0, 3, C0, 0, 0, NULL},
    {"US-N3 lines", "us-portion", B, "(A) Yes\n(B) No\n(C) Maybe\n(D) Unsure",
        "(C) ", 0, 3, C0, 0, 0, NULL},
    {"US-N4 typescript", "us-portion", B, "Written in TypeScript (TS) today",
        "(TS) ", 0, 5, C0, 0, 0, NULL},
    {"US-N4 spec", "us-portion", B, "Technical Specification (TS) v2", "(TS) ",
        0, 5, C0, 0, 0, NULL},
    {"US-N4 stream", "us-portion", B, "Transport Stream (TS) packets", "(TS) ",
        0, 5, C0, 0, 0, NULL},
    {"US-N5 key", "line-alone", B, "SECRET_KEY=abc123", "SECRET", 0, 4, C0, 0,
        0, NULL},
    {"US-N5 kind", "uk-marking", B, "kind: Secret", "Secret", 0, 4, C0, 0, 0,
        NULL},
    {"US-N5 victoria", "uk-marking", B, "Victoria's Secret sale", "Secret", 0,
        4, C0, 0, 0, NULL},
    {"US-N5 santa", "uk-marking", SUBJ, "Secret Santa this Friday", "Secret", 0,
        4, C0, 0, 0, NULL},
    {"US-N6", "line-alone", B,
        "CONFIDENTIALITY NOTICE: This e-mail message, including any "
        "attachments, is for the sole use of the intended recipient(s) and "
        "may contain confidential and privileged information.",
        "CONFIDENTIAL", 0, 3, C0, 0, 0, NULL},
    {"US-N7", "us-banner", B,
        "a document marked \"TOP SECRET//SI//NOFORN\" was posted online",
        "TOP SECRET//S", 0, 5, 5, 5, 1, 1, NAT, 0, NULL},
    {"US-N8", "us-banner", B,
        "(U) Example banner: SECRET//NOFORN - FOR TRAINING PURPOSES ONLY",
        "SECRET//N", 0, 4, 0, 4, 0, 2, 0, 0, NULL},
    {"US-N9 https", "us-banner", B, "HTTPS://EXAMPLE.COM", "HTTPS://E", 0, 4,
        C0, 0, 0, NULL},
    {"US-N9 drive", "us-banner", B, "C://Users/admin", "C://U", 0, 3, C0, 0, 0,
        NULL},
    {"US-N10", "uk-line", B, "// Classification: UNCLASSIFIED",
        "Classification: UNCLASSIFIED", 0, 1, 0, 0, 0, 3, 0, 0, NULL},
    {"US-N11 isp", "us-banner", B, "Write to support@orcon.net.nz", "orcon", 0,
        4, C0, 0, 0, NULL},
    {"US-N11 film", "uk-marking", B, "FOR YOUR EYES ONLY", "EYES ONLY", 0, 4,
        C0, 0, 0, NULL},
    {"US-N12 field", "us-banner", B, "Fill in the REL TO field", "REL TO", 0, 4,
        C0, 0, 0, NULL},
    {"US-N12 comment", "us-banner", B, "// TS// fix this later", "TS//", 0, 5,
        C0, 0, 0, NULL},

    /* CUI, §7.3 */
    {"CUI-P1", "cui", B,
        "CUI\n\nControlled by: DoD / OUSD(A&S)\nThe data package follows.\n"
        "\nCUI",
        "CUI", 0, 2, 2, 2, 2, 3, 0, 0, NULL},
    {"CUI-P2 fedcon", "cui", B, "CUI//SP-CTI//FEDCON", "CUI//S", 0, 2, 2, 2, 3,
        3, 0, NAT, NULL},
    {"CUI-P2 noforn", "cui", B, "CUI//SP-EXPT//NOFORN", "CUI//S", 0, 2, 2, 2, 3,
        3, NAT, 0, NULL},
    {"CUI-P3", "cui", B, "CONTROLLED//SP-PRVCY", "CONTROLLED//S", 0, 2, 2, 2, 3,
        3, PRIV, 0, NULL},
    {"CUI-P4 prefix", "cui", SUBJ, "CUI - Contract data package", "CUI", 0, 2,
        2, 2, 2, 2, 0, 0, NULL},
    {"CUI-P4 contains", "cui", SUBJ, "Contains CUI", "CUI", 0, 2, 2, 2, 2, 2, 0,
        0, NULL},
    {"CUI-P5", "cui", B,
        "(CUI) Paragraph text one.\n\n(CUI) Paragraph text two.", "(CUI)", 1, 2,
        2, 2, 2, 2, 0, 0, NULL},
    {"CUI-P6 fouo", "us-banner", B, "UNCLASSIFIED//FOR OFFICIAL USE ONLY",
        "UNCLASSIFIED//F", 0, 2, 2, 2, 3, 3, 0, 0, NULL},
    {"CUI-P6 les", "us-banner", B, "UNCLASSIFIED//LAW ENFORCEMENT SENSITIVE",
        "UNCLASSIFIED//L", 0, 2, 2, 2, 3, 3, 0, 0, NULL},
    {"CUI-P7", "dist-statement", B,
        "DISTRIBUTION STATEMENT D. Distribution authorized to the "
        "Department of Defense and U.S. DoD contractors only",
        "DISTRIBUTION STATEMENT D", 0, 2, 2, 2, ANYC, 0, 0, NULL},
    {"CUI-N1 invoice", "cui", B, "CUI: RO12345678", "CUI", 0, 2, C0, 0, 0,
        NULL},
    {"CUI-N1 subject", "cui", SUBJ, "CUI: RO12345678", "CUI", 0, 2, C0, 0, 0,
        NULL},
    {"CUI-N1 phrase", "cui", B, "Cui \xc3\xaei pas\xc4\x83?", "Cui", 0, 2, C0,
        0, 0, NULL},
    {"CUI-N2 name", "cui", B, "Cui Tiankai met the minister", "Cui", 0, 2, C0,
        0, 0, NULL},
    {"CUI-N2 ui", "cui", B, "CUI (character user interface) tools", "CUI", 0, 2,
        C0, 0, 0, NULL},
    {"CUI-N2 lib", "cui", B, "link against libcui", "cui", 0, 2, C0, 0, 0,
        NULL},
    {"CUI-N3 uncontrolled", "cui", B, "UNCONTROLLED COPY WHEN PRINTED",
        "CONTROLLED", 0, 2, C0, 0, 0, NULL},
    {"CUI-N3 copy", "cui", B, "CONTROLLED COPY No. 3", "CONTROLLED", 0, 2, C0,
        0, 0, NULL},
    {"CUI-N4", "cui", B, "see fedconnect NOCONFIG", "NOCON", 0, 2, C0, 0, 0,
        NULL},
    {"CUI-N5", "dist-statement", B,
        "DISTRIBUTION STATEMENT A. Approved for public release",
        "DISTRIBUTION STATEMENT A", 0, 2, 0, 0, ANYC, SUP, 0, NULL},
    {"CUI-N6 les", "us-banner", B, "LES enfants jouent", "LES", 0, 2, C0, 0, 0,
        NULL},
    {"CUI-N6 si", "us-banner", B, "SI SENOR", "SI", 0, 5, C0, 0, 0, NULL},

    /* NATO, §8.2 */
    {"NATO-P1", "nato", B,
        "NATO RESTRICTED\n\nExercise plan.\n\nNATO RESTRICTED",
        "NATO RESTRICTED", 0, 2, 2, 2, 2, 2, NATOF, 0, NULL},
    {"NATO-P2", "nato", B, "NATO SECRET\nRELEASABLE TO AUS\n\nText.",
        "NATO SECRET", 0, 4, 4, 4, ANYC, REL, 0, "AUS"},
    {"NATO-P3 atomal", "nato", B, "COSMIC TOP SECRET ATOMAL",
        "COSMIC TOP SECRET", 0, 5, 5, 5, ANYC, 0, 0, NULL},
    {"NATO-P3 bohemia", "nato", B, "COSMIC TOP SECRET - BOHEMIA",
        "COSMIC TOP SECRET", 0, 5, 5, 5, ANYC, 0, 0, NULL},
    {"NATO-P4", "nato", B,
        "NATO CONFIDENTIAL\n\n(NC) The exercise starts on Monday.", "(NC) ", 0,
        3, 3, 3, 2, 2, 0, 0, NULL},
    {"NATO-P5 fr", "nato", B, "CONFIDENTIEL OTAN", "CONFIDENTIEL OTAN", 0, 3, 3,
        3, ANYC, 0, 0, NULL},
    {"NATO-P5 dr", "nato", B, "DIFFUSION RESTREINTE OTAN",
        "DIFFUSION RESTREINTE OTAN", 0, 2, 2, 2, ANYC, 0, 0, NULL},
    {"NATO-P6 banner", "us-banner", B, "//NATO SECRET//ATOMAL", "//NATO SECRET",
        0, 4, 5, 5, 3, 3, 0, 0, NULL},
    {"NATO-P6 nato", "nato", B, "//NATO SECRET//ATOMAL", "NATO SECRET", 0, 4, 5,
        5, 3, 3, 0, 0, NULL},
    {"NATO-N1", "nato", B,
        "NATO UNCLASSIFIED\nDECLASSIFIED/DECLASSIFI\xc3\x89 - PUBLIC "
        "DISCLOSED/MISE EN LECTURE PUBLIQUE\n\nText.",
        "NATO UNCLASSIFIED", 0, 1, 0, 0, 0, 3, 0, 0, NULL},
    {"NATO-N2 meeting", "nato", B, "a NATO secret meeting", "NATO secret", 0, 4,
        C0, 0, 0, NULL},
    {"NATO-N2 verb", "nato", B, "Nato restricted the airspace",
        "Nato restricted", 0, 2, C0, 0, 0, NULL},
    {"NATO-N3 ray", "nato", B, "cosmic ray flux", "cosmic", 0, 5, C0, 0, 0,
        NULL},
    {"NATO-N3 collab", "nato", B, "the COSMIC collaboration", "COSMIC", 0, 5,
        C0, 0, 0, NULL},
    {"NATO-N4 bare", "nato", B, "NC and NS offices", "NS", 0, 4, C0, 0, 0,
        NULL},
    {"NATO-N4 portion", "nato", B, "(NS) Name server settings", "(NS) ", 0, 4,
        C0, 0, 0, NULL},
    {"NATO-N5", "nato", B,
        "Security briefing: NATO documents are marked NATO SECRET, NATO "
        "CONFIDENTIAL, NATO RESTRICTED or NATO UNCLASSIFIED.",
        "NATO SECRET", 0, 4, 0, 4, 0, 1, 0, 0, NULL},

    /* Australia, §10.2 */
    {"AU-P1", "au-epms", SUBJ, "Budget brief [SEC=OFFICIAL:Sensitive]",
        "[SEC=OFFICIAL:Sensitive]", 0, 2, 2, 2, 3, 3, 0, 0, NULL},
    {"AU-P2", "au-epms", SUBJ,
        "s56 Request [SEC=OFFICIAL:Sensitive, ACCESS=Personal-Privacy]",
        "[SEC=OFFICIAL:Sensitive,", 0, 2, 2, 2, 3, 3, PRIV, 0, NULL},
    {"AU-P3 folded", "au-epms", HDR,
        "X-Protective-Marking: VER=2024.1, NS=gov.au,\n SEC=SECRET,\n "
        "CAVEAT=SH:ACCOUNTABLE-MATERIAL,\n CAVEAT=RI:AUSTEO,\n "
        "ORIGIN=neville.jones@entity.gov.au",
        "X-Protective-Marking:", 0, 2, 4, 4, 3, 3, NAT, 0, NULL},
    {"AU-P3 unfolded", "au-epms", HDR,
        "X-Protective-Marking: VER=2024.1, NS=gov.au, SEC=SECRET, "
        "CAVEAT=SH:ACCOUNTABLE-MATERIAL, CAVEAT=RI:AUSTEO, "
        "ORIGIN=neville.jones@entity.gov.au",
        "X-Protective-Marking:", 0, 2, 4, 4, 3, 3, NAT, 0, NULL},
    {"AU-P4", "au-epms", SUBJ,
        "[SEC=PROTECTED, EXPIRES=2019-07-01, DOWNTO=OFFICIAL]",
        "[SEC=PROTECTED,", 0, 3, 3, 3, ANYC, EMB, 0, NULL},
    {"AU-P5", "au-epms", SUBJ,
        "[SEC=TOP-SECRET, CAVEAT=C:LOBSTER, CAVEAT=RI:REL AUS/GBR/USA]",
        "[SEC=TOP-SECRET,", 0, 5, 5, 5, ANYC, REL, 0, "AUS GBR USA"},
    {"AU-P6 dlm", "au-epms", SUBJ,
        "[SEC=UNCLASSIFIED, DLM=For-Official-Use-Only]",
        "[SEC=UNCLASSIFIED, DLM=For-Official-Use-Only]", 0, 2, 2, 2, ANYC, 0, 0,
        NULL},
    {"AU-P6 personal", "au-epms", SUBJ, "[DLM=Sensitive:Personal]",
        "[DLM=Sensitive:Personal]", 0, 2, 2, 2, ANYC, PRIV, 0, NULL},
    {"AU-P7", "au-epms", SUBJ,
        "[SEC=OFFICIAL:Sensitive, CAVEAT=SH:NATIONAL-CABINET]",
        "[SEC=OFFICIAL:Sensitive,", 0, 2, 2, 2, ANYC, CAB, 0, NULL},
    {"AU-N1 unofficial", "au-epms", SUBJ, "Team lunch [SEC=UNOFFICIAL]",
        "[SEC=UNOFFICIAL]", 0, 0, 0, 0, 0, 3, 0, 0, NULL},
    {"AU-N1 official", "au-epms", SUBJ, "Team lunch [SEC=OFFICIAL]",
        "[SEC=OFFICIAL]", 0, 1, 1, 1, 0, 3, 0, 0, NULL},
    {"AU-N2", "au-epms", B,
        "The header looks like X-Protective-Marking: VER=2024.1, "
        "NS=gov.au, SEC=SECRET, ORIGIN=a@b.gov.au",
        "X-Protective-Marking:", 0, 4, C0, 0, 0, NULL},
    {"AU-N3 password", "ca", B, "The file is password protected", "protected",
        0, 2, C0, 0, 0, NULL},
    {"AU-N3 view", "au-epms", B,
        "PROTECTED VIEW Be careful - files from the Internet", "PROTECTED", 0,
        3, C0, 0, 0, NULL},
    {"AU-N4 first", "au-epms", SUBJ,
        "Meeting [SEC=OFFICIAL] re [SEC=OFFICIAL:Sensitive]", "[SEC=OFFICIAL]",
        0, 1, 1, 1, ANYC, 0, 0, NULL},
    {"AU-N4 second", "au-epms", SUBJ,
        "Meeting [SEC=OFFICIAL] re [SEC=OFFICIAL:Sensitive]",
        "[SEC=OFFICIAL:Sensitive]", 0, 2, C0, 0, 0, NULL},
    {"AU-N5 url", "au-epms", B, "https://example.com/?sec=protected",
        "sec=protected", 0, 3, C0, 0, 0, NULL},
    {"AU-N5 other", "au-epms", B, "SEC=PROTECTED in the config",
        "SEC=PROTECTED", 0, 3, C0, 0, 0, NULL},
    {"AU-N6", "au-epms", SUBJ, "[SEC=Protected]", "[SEC=Protected]", 0, 3, 3, 3,
        2, 2, 0, 0, NULL},

    /* Canada, §11 */
    {"CA-P1", "ca", B,
        "PROTECTED B / PROT\xc3\x89G\xc3\x89 B\n\nApplication form",
        "PROTECTED B", 0, 2, 2, 2, 2, 2, 0, 0, NULL},
    {"CA-P1 fr", "ca", B,
        "PROTECTED B / PROT\xc3\x89G\xc3\x89 B\n\nApplication form",
        "PROT\xc3\x89G\xc3\x89 B", 0, 2, 2, 2, 2, 2, 0, 0, NULL},
    {"CA-P2", "ca", SUBJ, "PROTECTED B - Security screening questionnaire",
        "PROTECTED B", 0, 2, 2, 2, 2, 2, 0, 0, NULL},
    {"CA-P3 long", "us-banner", B, "SECRET//CANADIAN EYES ONLY", "SECRET//C", 0,
        4, 4, 4, ANYC, NAT, 0, NULL},
    {"CA-P3 ceo", "us-banner", B, "SECRET//CEO", "SECRET//C", 0, 4, 4, 4, ANYC,
        NAT, 0, NULL},
    {"CA-P4", "ca", B,
        "PROT\xc3\x89G\xc3\x89 C\n\nPage one.\n\nPROT\xc3\x89G\xc3\x89 C",
        "PROT\xc3\x89G\xc3\x89 C", 1, 3, 3, 3, ANYC, 0, 0, NULL},
    {"CA-N1 mentor", "ca", B, "le mentor et son prot\xc3\xa9g\xc3\xa9",
        "prot\xc3\xa9g\xc3\xa9", 0, 2, C0, 0, 0, NULL},
    {"CA-N1 espace", "ca", B, "un espace prot\xc3\xa9g\xc3\xa9",
        "prot\xc3\xa9g\xc3\xa9", 0, 2, C0, 0, 0, NULL},
    {"CA-N2", "ca", B,
        "PROTECTED B when completed / PROT\xc3\x89G\xc3\x89 B une fois "
        "rempli",
        "PROTECTED B", 0, 2, 0, 2, 1, 1, 0, 0, NULL},
    {"CA-N3", "ca", B,
        "Security requirement: Reliability status with access to "
        "PROTECTED B information",
        "PROTECTED B", 0, 2, 0, 2, 1, 1, 0, 0, NULL},
    {"CA-N4", "us-banner", B, "Our CEO will attend", "CEO", 0, 4, C0, 0, 0,
        NULL},

    /* New Zealand, §12 (rules and traps; the spec names no vectors) */
    {"NZ in-confidence", "nz", SUBJ, "[IN-CONFIDENCE] Staff review",
        "[IN-CONFIDENCE]", 0, 2, 2, 2, 1, 1, 0, 0, NULL},
    {"NZ restricted trap", "nz", SUBJ, "[RESTRICTED] Internal roadmap",
        "[RESTRICTED]", 0, 3, 3, 3, 1, 1, 0, 0, NULL},
    {"NZ medical", "nz", B, "MEDICAL IN-CONFIDENCE\nFrom: nurse@health.govt.nz",
        "MEDICAL IN-CONFIDENCE", 0, 2, 2, 2, 2, 2, PRIV, 0, NULL},
    {"NZ trusted trap", "nz", SUBJ, "[TRUSTED] build passed", "[TRUSTED]", 0, 1,
        0, 1, 0, 1, 0, 0, NULL},

    /* TLP, §13 */
    {"TLP amber", "tlp", SUBJ, "[TLP:AMBER] Incident report", "TLP:AMBER", 0, 2,
        2, 2, 2, 2, 0, 0, NULL},
    {"TLP red", "tlp", B, "TLP:RED\n\nIndicators follow.", "TLP:RED", 0, 3, 3,
        3, 2, 2, 0, 0, NULL},
    {"TLP strict", "tlp", B, "TLP:AMBER+STRICT", "TLP:AMBER+STRICT", 0, 2, 2, 2,
        2, 2, 0, 0, NULL},
    {"TLP clear", "tlp", B, "TLP:CLEAR", "TLP:CLEAR", 0, 0, 0, 0, ANYC, 0, 0,
        NULL},
    {"TLP blog", "tlp", B,
        "Line one.\nLine two.\nLine three.\nLine four.\nLine five.\n"
        "Use TLP:RED, TLP:AMBER and TLP:GREEN as follows.\n"
        "Line seven.\nLine eight.\nLine nine.\nLine ten.\nLine eleven.\n"
        "Line twelve.",
        "TLP:AMBER", 0, 2, 0, 2, 0, 1, 0, 0, NULL},

    /* Position validators */
    {"line-alone top", "line-alone", B, "SECRET\n\nThe plan is attached.",
        "SECRET", 0, 4, 4, 4, 2, 2, 0, 0, NULL},
    {"line-alone middle", "line-alone", B,
        "a\nb\nc\nd\ne\nf\nSECRET\ng\nh\ni\nj\nk\nl", "SECRET", 0, 4, 4, 4, 1,
        1, 0, 0, NULL},
    {"line-alone prose", "line-alone", B, "It is a SECRET plan", "SECRET", 0, 4,
        C0, 0, 0, NULL},
    {"first-last top", "first-last-lines", B, "SECRET\na\nb\nc\nd\ne\nf\ng",
        "SECRET", 0, 4, 4, 4, 2, 2, 0, 0, NULL},
    {"first-last bottom", "first-last-lines", B, "a\nb\nc\nd\ne\nf\ng\nSECRET",
        "SECRET", 0, 4, 4, 4, 2, 2, 0, 0, NULL},
    {"first-last middle", "first-last-lines", B,
        "a\nb\nc\nd\ne\nf\nSECRET\ng\nh\ni\nj\nk\nl", "SECRET", 0, 4, C0, 0, 0,
        NULL},
};

static bool
is_pii(const char *v)
{
	return strcmp(v, "card") == 0 || strcmp(v, "iban") == 0 ||
	       strcmp(v, "us-ssn") == 0 || strcmp(v, "uk-nino") == 0;
}

/* Find the trigger; returns false when the case is malformed. */
static bool
locate(const struct vcase *c, size_t *s, size_t *e)
{
	const char *p = strstr(c->text, c->trigger), *q;

	if (p == NULL)
		return false;
	while (c->last && (q = strstr(p + 1, c->trigger)) != NULL)
		p = q;
	*s = (size_t)(p - c->text);
	*e = *s + strlen(c->trigger);
	return true;
}

static void
run_case(const struct vcase *c, bool som)
{
	dlp_validator_fn fn = dlp_validator_lookup(c->validator);
	struct dlp_vin in;
	struct dlp_vout out;
	size_t s, e;
	unsigned level = 0, conf = 0, flags = 0;
	const char *mode = som ? "som" : "nosom";

	CHECK_MSG(fn != NULL, "%s: no validator %s", c->id, c->validator);
	CHECK_MSG(locate(c, &s, &e), "%s: trigger not in text", c->id);
	if (fn == NULL || !locate(c, &s, &e))
		return;
	in = (struct dlp_vin){(const uint8_t *)c->text, strlen(c->text),
	    som ? s : DLP_VSTART_UNKNOWN, e, c->scope, c->deflevel, 0};
	memset(&out, 0x5a, sizeof(out));
	out.detail[0] = '\0';
	if (fn(&in, &out)) {
		CHECK_MSG(out.start <= out.end && out.end <= in.len,
		    "%s/%s: span %zu..%zu", c->id, mode, out.start, out.end);
		CHECK_MSG(memchr(out.detail, 0, sizeof(out.detail)) != NULL &&
		              memchr(out.rel_to, 0, sizeof(out.rel_to)) != NULL,
		    "%s/%s: strings not terminated", c->id, mode);
		level = out.level;
		flags = out.flags;
		conf = out.confidence;
		if (!is_pii(c->validator) && out.start <= out.end &&
		    out.end <= in.len &&
		    dlp_context_suppressed(in.text, in.len, out.start, out.end))
			conf = 0;
	}
	CHECK_MSG(level >= c->lmin && level <= c->lmax,
	    "%s/%s: level %u, want %u..%u", c->id, mode, level, c->lmin,
	    c->lmax);
	CHECK_MSG(conf >= c->cmin && conf <= c->cmax,
	    "%s/%s: confidence %u (validator %u), want %u..%u [%s]", c->id,
	    mode, conf, out.confidence, c->cmin, c->cmax, out.detail);
	CHECK_MSG((flags & c->want) == c->want && (flags & c->deny) == 0,
	    "%s/%s: flags 0x%x, want 0x%x, deny 0x%x", c->id, mode, flags,
	    c->want, c->deny);
	if (c->rel != NULL)
		CHECK_MSG(strcmp(out.rel_to, c->rel) == 0,
		    "%s/%s: rel_to \"%s\", want \"%s\"", c->id, mode,
		    out.rel_to, c->rel);
}

TEST(marking_vectors)
{
	for (size_t i = 0; i < DLP_NITEMS(marking_cases); i++) {
		run_case(&marking_cases[i], true);
		run_case(&marking_cases[i], false);
	}
}

#include "validate_cases_pii.h"

TEST(pii_vectors)
{
	for (size_t i = 0; i < DLP_NITEMS(pii_cases); i++) {
		const struct pcase *p = &pii_cases[i];
		struct vcase c = {p->id, p->validator, B, p->text, p->trigger,
		    0, 2, p->ok ? 2 : 0, p->ok ? 2 : 0, p->ok ? 1 : 0,
		    p->ok ? 3 : 0, 0, 0, NULL};

		run_case(&c, true);
		run_case(&c, false);
	}
}

/* Confidence of accepted PII: bare nine digits are weak (a hotword in
 * pii.sig raises them), separated ones strong. */
static const struct vcase pii_conf_cases[] = {
    {"ssn bare weak", "us-ssn", B, "sectors 117304992 ", "117304992", 0, 2, 2,
        2, 1, 1, 0, 0, NULL},
    {"ssn dashed strong", "us-ssn", B, "SSN 536-22-1234", "536-22-1234", 0, 2,
        2, 2, 2, 2, 0, 0, NULL},
    {"ssn spaced strong", "us-ssn", B, "SSN 536 22 1234", "536 22 1234", 0, 2,
        2, 2, 2, 2, 0, 0, NULL},
};

TEST(pii_confidence)
{
	for (size_t i = 0; i < DLP_NITEMS(pii_conf_cases); i++) {
		run_case(&pii_conf_cases[i], true);
		run_case(&pii_conf_cases[i], false);
	}
}

/* dlp_context_suppressed(), markings.md §14. */
static const struct {
	const char *id, *text, *span;
	bool want;
} ctx_cases[] = {
    {"§14.1 notice",
        "CONFIDENTIALITY NOTICE: This e-mail message, including any "
        "attachments, is for the sole use of the intended recipient(s) and "
        "may contain confidential and privileged information.",
        "confidential", true},
    {"§14.1 notice head",
        "CONFIDENTIALITY NOTICE: This e-mail message is for the sole use "
        "of the intended recipient(s).",
        "CONFIDENTIAL", true},
    {"§14.1 solely",
        "This email and any files transmitted with it are confidential and "
        "intended solely for the use of the individual or entity to whom "
        "they are addressed.",
        "confidential", true},
    {"§14.1 received",
        "This message is confidential.\nIf you have received this in error "
        "please delete it.",
        "confidential", true},
    {"§14.1 attorney",
        "Privileged & Confidential - Attorney-Client "
        "Communication",
        "Confidential", true},
    {"§14.4 act", "in breach of the Official Secrets Act 1989", "Secret", true},
    {"UK-N1 sign", "OFFICIAL SECRETS ACT", "OFFICIAL", true},
    {"§14.2 key", "SECRET_KEY=abc123", "SECRET", true},
    {"§14.2 client", "client_secret: abc", "secret", true},
    {"§14.2 kind", "kind: Secret", "Secret", true},
    {"§14.2 actions", "secrets: inherit", "secret", true},
    {"§14.2 aws", "Stored in AWS Secrets Manager", "Secret", true},
    {"§14.2 assign", "$SECRET = 1", "SECRET", true},
    {"§14.3 recipe", "Our Top Secret recipe is back", "Top Secret", true},
    {"§14.3 victoria", "Victoria's Secret sale", "Secret", true},
    {"§14.3 santa", "Secret Santa this Friday", "Secret", true},
    {"§14.3 trade", "this is a trade secret", "secret", true},
    {"UK-N3 deals", "TOP SECRET: our Black Friday deals!", "TOP SECRET", true},
    {"§14.6 such as",
        "Banners such as SECRET//NOFORN appear at the top of each page.",
        "SECRET//N", true},
    {"§14.6 e.g.", "Mark it, e.g. TOP SECRET, at the top.", "TOP SECRET", true},
    {"§14.6 for example", "For example OFFICIAL-SENSITIVE is common.",
        "OFFICIAL-SENSITIVE", true},
    {"§14.6 levels",
        "The levels are UNCLASSIFIED, CONFIDENTIAL, SECRET and TOP SECRET.",
        "CONFIDENTIAL", true},
    {"AU-N3 password", "The file is password protected", "protected", true},
    {"AU-N3 view", "PROTECTED VIEW Be careful", "PROTECTED", true},
    {"AU-N3 cpp", "class A {\nprotected:\n int x;\n};", "protected", true},
    {"UK-N5 stock", "Restricted Stock Units vest on 1 May", "Restricted", true},
    /* Real markings must not be suppressed. */
    {"banner", "SECRET//NOFORN\n\nThe report follows.", "SECRET//N", false},
    {"os footer",
        "OFFICIAL-SENSITIVE\nThis email is intended for the named "
        "recipient only.",
        "OFFICIAL-SENSITIVE", false},
    {"confidential line", "CONFIDENTIAL\n\nThe plan is attached.",
        "CONFIDENTIAL", false},
    {"uk caveat", "UK SECRET - CODEWORD - UK EYES ONLY", "UK SECRET", false},
    {"sentence end", "The plan is SECRET.", "SECRET", false},
    {"filename", "Budget_OFFICIAL-SENSITIVE_v2.docx", "OFFICIAL-SENSITIVE",
        false},
    {"sale of marking", "OFFICIAL-SENSITIVE: discount rates for 2025",
        "OFFICIAL-SENSITIVE", false},
    {"ts banner", "TOP SECRET//SI//NOFORN", "TOP SECRET//S", false},
    {"banner above disclaimer",
        "Regards\n\nCONFIDENTIAL\nThis email is intended for the named "
        "recipient only. If you have received this in error, delete it.",
        "CONFIDENTIAL", false},
    {"notice heading", "CONFIDENTIALITY NOTICE\nThis email is private.",
        "CONFIDENTIAL", true},
    {"disclaimer elsewhere",
        "SECRET\n\nBody.\n\nIf you have received this in error, delete it.",
        "SECRET", false},
};

TEST(context_suppressed)
{
	for (size_t i = 0; i < DLP_NITEMS(ctx_cases); i++) {
		const char *t = ctx_cases[i].text;
		const char *p = strstr(t, ctx_cases[i].span);

		CHECK_MSG(p != NULL, "%s: span not in text", ctx_cases[i].id);
		if (p == NULL)
			continue;
		CHECK_MSG(dlp_context_suppressed((const uint8_t *)t, strlen(t),
		              (size_t)(p - t),
		              (size_t)(p - t) + strlen(ctx_cases[i].span)) ==
		              ctx_cases[i].want,
		    "%s: want %d", ctx_cases[i].id, ctx_cases[i].want);
	}
	/* Bad spans are never suppressed and never read out of bounds. */
	CHECK(!dlp_context_suppressed(NULL, 0, 0, 0));
	CHECK(!dlp_context_suppressed((const uint8_t *)"abc", 3, 2, 1));
	CHECK(!dlp_context_suppressed((const uint8_t *)"abc", 3, 0, 4));
}

static const char *const names[] = {"card", "iban", "us-ssn", "uk-nino",
    "us-banner", "us-portion", "cui", "dist-statement", "uk-marking", "uk-line",
    "line-alone", "first-last-lines", "nato", "au-epms", "ca", "nz", "tlp"};

TEST(lookup)
{
	for (size_t i = 0; i < DLP_NITEMS(names); i++)
		CHECK_MSG(
		    dlp_validator_lookup(names[i]) != NULL, "%s", names[i]);
	CHECK(dlp_validator_lookup("no-such-validator") == NULL);
	CHECK(dlp_validator_lookup("") == NULL);
	CHECK(dlp_validator_lookup(NULL) == NULL);
}

/* Every validator at every end offset of awkward texts: spans stay in
 * the text and strings stay terminated. */
TEST(any_offset)
{
	static const char *const texts[] = {"", "(", ")", "//", "(S//",
	    "SECRET//", "[SEC=", "X-Protective-Marking:", "TLP:", "4111",
	    "DE89 ", "AB 12 34 56 ", "CUI//", "NATO SECRET RELEASABLE TO ",
	    "OFFICIAL-SENSITIVE - ", "PROT\xc3\x89G\xc3\x89 ",
	    "\n\n(C) \n(S)\n", "UK EYES ONLY", "/ EYES ONLY"};

	for (size_t n = 0; n < DLP_NITEMS(names); n++) {
		dlp_validator_fn fn = dlp_validator_lookup(names[n]);

		for (size_t i = 0; fn != NULL && i < DLP_NITEMS(texts); i++) {
			size_t len = strlen(texts[i]);

			for (size_t e = 0; e <= len + 1; e++) {
				struct dlp_vin in = {(const uint8_t *)texts[i],
				    len, DLP_VSTART_UNKNOWN, e, B, 2, 0};
				struct dlp_vout out;

				if (!fn(&in, &out))
					continue;
				CHECK_MSG(
				    out.start <= out.end && out.end <= len,
				    "%s on \"%s\" end %zu: span %zu..%zu",
				    names[n], texts[i], e, out.start, out.end);
				CHECK(memchr(out.detail, 0,
				          sizeof(out.detail)) != NULL);
				CHECK(out.confidence <= 3 &&
				      out.level <= DLP_LEVEL_MAX);
			}
		}
	}
}

/* The second-signal search for a lone portion mark is bounded: a banner
 * 40 KB away does not count, one nearby does. */
TEST(portion_signal_bounded)
{
	static const char filler[] = "The quick brown fox jumps.\n";
	dlp_validator_fn fn = dlp_validator_lookup("us-portion");
	struct dlp_buf b;
	struct dlp_vin in;
	struct dlp_vout out;
	bool ok = true;

	CHECK(fn != NULL);
	if (fn == NULL)
		return;
	dlp_buf_init(&b, &test_mem);
	ok &= dlp_buf_puts(&b, "SECRET//NOFORN\n");
	for (int i = 0; i < 40960 / (int)(sizeof(filler) - 1); i++)
		ok &= dlp_buf_puts(&b, filler);
	ok &= dlp_buf_puts(&b, "(S) The unit moved.\n");
	CHECK(ok);
	in = (struct dlp_vin){
	    b.p, b.len, DLP_VSTART_UNKNOWN, b.len - 16, B, 4, 0};
	CHECK(!fn(&in, &out));
	in.text = (const uint8_t *)"SECRET\n\n(S) The unit moved.\n\nSECRET";
	in.len = strlen((const char *)in.text);
	in.end = 12;
	CHECK(fn(&in, &out));
	CHECK_INT(out.level, 4);
	dlp_buf_fini(&b);
	CHECK_INT(test_live(), 0);
}

/* Random texts built from marking fragments, in exact-size heap buffers
 * (so a sanitizer build catches any read past the end): every validator
 * at every end offset keeps its span inside the text. */
TEST(random_fragments)
{
	static const char *const frags[] = {"SECRET", "//", "/", "(", ")", " ",
	    "\n", "TOP ", "NOFORN", "REL TO ", "USA, ", "GBR", "[SEC=", "]",
	    ", ", "CAVEAT=RI:REL ", "OFFICIAL", "-SENSITIVE", " - ",
	    "UK EYES ONLY", "CUI", "NATO ", "RELEASABLE TO ", "PROTECTED B",
	    "TLP:", "AMBER", "4111", "1111", "-", "DE89", "3704", "AB",
	    "123456", "C", "S", "TS", "(NC)", "X-Protective-Marking:", ":",
	    "Classification: ", "EYES ONLY", "\xc3\x89", "confidential",
	    "intended recipient", "DISTRIBUTION STATEMENT ", "A", "e.g."};
	unsigned long seed = 12345;

	for (int round = 0; round < 400; round++) {
		char tmp[256];
		size_t len = 0;
		uint8_t *buf;
		int nf;

		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		nf = (int)((seed >> 33) % 24) + 1;
		for (int k = 0; k < nf; k++) {
			const char *f;

			seed = seed * 6364136223846793005UL +
			       1442695040888963407UL;
			f = frags[(seed >> 33) % DLP_NITEMS(frags)];
			if (len + strlen(f) >= sizeof(tmp))
				break;
			memcpy(tmp + len, f, strlen(f));
			len += strlen(f);
		}
		if ((buf = dlp_malloc(&test_mem, len ? len : 1)) == NULL)
			continue;
		memcpy(buf, tmp, len);
		for (size_t n = 0; n < DLP_NITEMS(names); n++) {
			dlp_validator_fn fn = dlp_validator_lookup(names[n]);

			for (size_t e = 0; fn != NULL && e <= len; e++) {
				struct dlp_vin in = {buf, len,
				    e % 3 ? DLP_VSTART_UNKNOWN : e / 2, e,
				    1u << (e % 3), 3, 0};
				struct dlp_vout out;

				if (!fn(&in, &out))
					continue;
				CHECK_MSG(
				    out.start <= out.end && out.end <= len,
				    "%s on \"%.*s\" end %zu", names[n],
				    (int)len, tmp, e);
				(void)dlp_context_suppressed(
				    buf, len, out.start, out.end);
			}
		}
		for (size_t a = 0; a <= len; a += 3)
			(void)dlp_context_suppressed(buf, len, a, len);
		dlp_free(&test_mem, buf);
	}
	CHECK_INT(test_live(), 0);
}

/* A text with no line break: validators look at a bounded piece of the
 * line around the candidate and still parse it. */
TEST(long_line)
{
	static const char tail[] = " the banner SECRET//NOFORN ends it";
	size_t fill = 1 << 20, len = fill + sizeof(tail) - 1;
	uint8_t *buf = dlp_malloc(&test_mem, len);
	dlp_validator_fn fn = dlp_validator_lookup("us-banner");
	struct dlp_vin in;
	struct dlp_vout out;

	CHECK(buf != NULL && fn != NULL);
	if (buf == NULL || fn == NULL) {
		dlp_free(&test_mem, buf);
		return;
	}
	for (size_t i = 0; i < fill; i++)
		buf[i] = i % 7 == 6 ? ' ' : 'x';
	memcpy(buf + fill, tail, sizeof(tail) - 1);
	in = (struct dlp_vin){buf, len, DLP_VSTART_UNKNOWN,
	    fill + strlen(" the banner SECRET//N"), B, 4, 0};
	for (int k = 0; k < 2000; k++)
		CHECK(fn(&in, &out));
	CHECK_INT(out.level, 4);
	CHECK_INT(out.confidence, 2);
	CHECK(out.flags & NAT);
	for (size_t n = 0; n < DLP_NITEMS(names); n++) {
		dlp_validator_fn f = dlp_validator_lookup(names[n]);

		for (int k = 0; f != NULL && k < 200; k++)
			(void)f(&in, &out);
		CHECK(!dlp_context_suppressed(buf, len, fill + 12, fill + 26));
	}
	dlp_free(&test_mem, buf);
	CHECK_INT(test_live(), 0);
}

TEST_MAIN()
