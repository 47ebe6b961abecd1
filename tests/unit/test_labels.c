/*
 * test_labels.c - structured labels (markings.md §9): the label map
 * (tests/data/labels/labels.map) and the label validators through the
 * shipped signatures, one vector per row: the text, its scope and header,
 * and the label finding it must give (or none).
 */
#include "engine.h"
#include "labelmap.h"
#include "test.h"

#define G1   "11111111-2222-3333-4444-555555555555" /* mapped, any site: L2 */
#define G3   "33333333-2222-3333-4444-555555555555" /* site S4: L3 */
#define G9   "99999999-2222-3333-4444-555555555555" /* not mapped */
#define S4   "44444444-2222-3333-4444-555555555555"
#define AMD  "dce362fe-1558-4fb5-9f64-8a6240d76441"
#define AMDS "3dd8961f-e488-4e60-8e11-a82d994e183d"
#define BJP  "5e216652-7cb1-42d3-a22f-fb5c7f348db5"
#define SISL(uid)                                                              \
	"<?xml version=\"1.0\" encoding=\"us-ascii\"?><sisl "                  \
	"xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "             \
	"xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" sislVersion=\"0\" "    \
	"policy=\"" BJP "\" origin=\"defaultValue\" "                          \
	"xmlns=\"http://www.boldonjames.com/2008/01/sie/internal/label\">"     \
	"<element uid=\"" uid "\" value=\"\" /></sisl>"
#define SLAB(policy, cls)                                                      \
	"<slab:originatorConfidentialityLabel "                                \
	"xmlns:slab=\"urn:nato:stanag:4774:confidentialitymetadatalabel:1:"    \
	"0\">"                                                                 \
	"<slab:ConfidentialityInformation><slab:PolicyIdentifier "             \
	"URI=\"urn:oid:1.3.26.1.3.1\">" policy                                 \
	"</slab:PolicyIdentifier><slab:Classification>" cls                    \
	"</slab:Classification><slab:Category Type=\"PERMISSIVE\" "            \
	"TagName=\"Releasable To\" URI=\"urn:oid:1\"><slab:GenericValue>GBR"   \
	"</slab:GenericValue></slab:Category></"                               \
	"slab:ConfidentialityInformation>"                                     \
	"</slab:originatorConfidentialityLabel>"
#define TITUS_EXAMPLE                                                          \
	"eyJDYXRlZ29yeUxhYmVscyI6IiIsIk1ldGFkYXRhIjp7Im5zIjoiaHR0cDpcL1wvd3d3" \
	"Ln"                                                                   \
	"RpdHVzLmNvbVwvbnNcL0V4YW1wbGUiLCJpZCI6IjBhMWIyYzNkLTExMTEtMjIyMi0zMz" \
	"Mz"                                                                   \
	"LTQ0NDQ1NTU1NjY2NiIsInByb3BzIjpbeyJuIjoiQ2xhc3NpZmljYXRpb24iLCJ2YWxz" \
	"Ij"                                                                   \
	"pbeyJ2YWx1ZSI6IlNFQ1JFVCJ9XX1dfSwiU3ViamVjdExhYmVscyI6W10sIlRNQ1Zlcn" \
	"Np"                                                                   \
	"b24iOiIxOC44LjE5MjkuMTY3IiwiVHJ1c3RlZExhYmVsSGFzaCI6ImFiYyJ9"
#define TITUS_OTHER                                                            \
	"eyJDYXRlZ29yeUxhYmVscyI6IiIsIk1ldGFkYXRhIjp7Im5zIjoiaHR0cDpcL1wvd3d3" \
	"Ln"                                                                   \
	"RpdHVzLmNvbVwvbnNcL090aGVyIiwiaWQiOiIwYTFiMmMzZC0xMTExLTIyMjItMzMzMy" \
	"00"                                                                   \
	"NDQ0NTU1NTY2NjYiLCJwcm9wcyI6W3sibiI6IkNsYXNzaWZpY2F0aW9uIiwidmFscyI6" \
	"W3"                                                                   \
	"sidmFsdWUiOiJTRUNSRVQifV19XX0sIlN1YmplY3RMYWJlbHMiOltdLCJUTUNWZXJzaW" \
	"9u"                                                                   \
	"IjoiMTguOC4xOTI5LjE2NyIsIlRydXN0ZWRMYWJlbEhhc2giOiJhYmMifQ=="

#define H DLP_SCOPE_HEADERS
#define M DLP_SCOPE_METADATA
#define A DLP_SCOPE_ATTACHMENT
#define B DLP_SCOPE_BODY

static const struct {
	const char *id;
	unsigned scope;
	const char *header, *text;
	const char *rule; /* NULL: no label finding at all */
	unsigned level, confidence;
	const char *rel_to; /* NULL: not checked */
} vectors[] = {
    {"MIP-P1", H, "msip_labels",
        "msip_labels: MSIP_Label_" G1 "_Enabled=true; MSIP_Label_" G1
        "_Method=Standard; MSIP_Label_" G1 "_Name=Project Alpha;",
        "mip-label", 2, 3, NULL},
    {"MIP-AMD", H, "msip_labels",
        "msip_labels: MSIP_Label_" AMD "_ActionId=e422abfc-0000;\n "
        "MSIP_Label_" AMD "_ContentBits=0;\n MSIP_Label_" AMD
        "_Enabled=true;\n MSIP_Label_" AMD "_Method=Standard;\n MSIP_Label_" AMD
        "_Name=AMD\n Internal Distribution Only;\n MSIP_Label_" AMD
        "_SetDate=2024-05-14T08:52:10Z;\n MSIP_Label_" AMD "_SiteId=" AMDS
        ";\n MSIP_Label_" AMD "_Tag=10, 3, 0, 1;",
        "mip-label", 1, 3, NULL},
    {"MIP-old-header", H, "msip_label_" AMD "_enabled",
        "msip_label_" AMD "_enabled: true", "mip-label", 1, 3, NULL},
    {"MIP-P2-unmapped", M, NULL,
        "MSIP_Label_" G9 "_Enabled=true\nMSIP_Label_" G9
        "_Name=Highly Confidential\nMSIP_Label_" G9 "_SiteId=" S4 "\n",
        "mip-label", 3, 1, NULL},
    {"MIP-P2-mapped", M, NULL,
        "MSIP_Label_" G3 "_Enabled=true\nMSIP_Label_" G3
        "_Name=Highly Confidential\nMSIP_Label_" G3 "_SiteId=" S4 "\n",
        "mip-label", 3, 3, NULL},
    {"MIP-P2-xml", M, NULL,
        "<property fmtid=\"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\" pid=\"2\" "
        "name=\"MSIP_Label_" G3
        "_Enabled\"><vt:lpwstr>true</vt:lpwstr></property><property "
        "name=\"MSIP_Label_" G3 "_SiteId\"><vt:lpwstr>" S4
        "</vt:lpwstr></property>",
        "mip-label", 3, 3, NULL},
    {"MIP-P3", M, NULL,
        "<clbl:labelList xmlns:clbl=\"http://schemas.microsoft.com/office/"
        "2020/mipLabelMetadata\"><clbl:label id=\"{" G3
        "}\" enabled=\"1\" method=\"Standard\" siteId=\"{" S4
        "}\" contentBits=\"0\" removed=\"0\"/></clbl:labelList>",
        "mip-labelinfo", 3, 3, NULL},
    {"MIP-P3-extracted", M, NULL,
        "labelList\nlabel id={" G3 "} enabled=1 method=Standard siteId={" S4
        "} contentBits=0 removed=0\n",
        "mip-labelinfo", 3, 3, NULL},
    {"MIP-P3-unmapped", M, NULL,
        "label id={" G9 "} enabled=1 method=Standard siteId={" S4
        "} removed=0\n",
        "mip-labelinfo", 2, 1, NULL},
    {"MIP-N1-general", H, "msip_labels",
        "msip_labels: MSIP_Label_" G9 "_Enabled=true; MSIP_Label_" G9
        "_Name=General;",
        "mip-label", 1, 1, NULL},
    {"MIP-N1-public", H, "msip_labels",
        "msip_labels: MSIP_Label_" G9 "_Enabled=true; MSIP_Label_" G9
        "_Name=Public-AIP 2.0;",
        "mip-label", 0, 1, NULL},
    {"MIP-N2-removed", M, NULL,
        "<clbl:label id=\"{" G3 "}\" enabled=\"1\" siteId=\"{" S4
        "}\" removed=\"1\"/>",
        NULL, 0, 0, NULL},
    {"MIP-N2-disabled", M, NULL,
        "MSIP_Label_" G3 "_Enabled=false\nMSIP_Label_" G3 "_Name=Secret\n",
        NULL, 0, 0, NULL},
    {"MIP-N3", A, NULL,
        "To check a file, look for MSIP_Label_" G3
        "_Enabled = true in docProps/custom.xml.\n",
        NULL, 0, 0, NULL},
    {"MIP-N4", H, "msip_labels",
        "msip_labels: MSIP_Label_" G9 "_Enabled=true; MSIP_Label_" G9
        "_Name=OFFICIAL-SENSITIVE; MSIP_Label_" G9
        "_SiteId=abababab-2222-3333-4444-555555555555;",
        "mip-label", 2, 1, NULL},
    {"TIT-P1", H, "x-titus-metadata-40", "x-titus-metadata-40: " TITUS_EXAMPLE,
        "titus-label", 4, 3, NULL},
    {"TIT-P1-unmapped", H, "x-titus-metadata-40",
        "x-titus-metadata-40: " TITUS_OTHER, "titus-label", 4, 1, NULL},
    {"TIT-N1", H, "x-tituslabs-classifications-30",
        "x-tituslabs-classifications-30: TLPropertyRoot=UTC;TechnicalData=No;",
        "titus-label", 0, 1, NULL},
    {"TIT-30-mapped", H, "x-tituslabs-classifications-30",
        "x-tituslabs-classifications-30: TLPropertyRoot=UTC;TechnicalData=Yes;",
        "titus-label", 2, 3, NULL},
    {"TIT-DOC", M, NULL,
        "TitusGUID=0a1b2c3d-1111-2222-3333-444455556666\n"
        "InterpolClassification=Unclassified\n",
        "titus-document", 0, 1, NULL},
    {"BJ-P1", H, "x-bjprotectivemarking",
        "x-bjprotectivemarking: " SISL(
            "id_protective_marking_official_sensitive"),
        "bj-label", 2, 3, NULL},
    {"BJ-P1-internal", H, "x-bjprotectivemarking",
        "x-bjprotectivemarking: " SISL("id_classification_internalonly"),
        "bj-label", 1, 3, NULL},
    {"BJ-P2", M, NULL,
        "bjDocumentLabelXML=<?xml version=\"1.0\" encoding=\"us-ascii\"?><sisl "
        "sislVersion=\"0\" policy=\"" BJP
        "\" origin=\"userSelected\"><element uid=\"id_protective_mar\n"
        "bjDocumentLabelXML-0=king_official_sensitive\" value=\"\" /></sisl>\n"
        "bjDocumentSecurityLabel=OFFICIAL-SENSITIVE\n",
        "bj-document", 2, 3, NULL},
    {"BJ-N1", H, "x-bjprotectivemarking",
        "x-bjprotectivemarking: " SISL("id_classification_nonbusiness"),
        "bj-label", 0, 1, NULL},
    {"BJ-N1-text", H, "bjclassification", "bjclassification: Public",
        "bj-classification", 0, 1, NULL},
    {"SIO-P1", H, "SIO-Label",
        "SIO-Label: marking=\"SECRET\"; fgcolor=black; bgcolor=red; "
        "type=\":ess\"; label=\"MQYGASkCAQM=\"",
        "sio-label", 4, 3, NULL},
    {"SIO-P2", H, "SIO-Label",
        "SIO-Label: type=\":xml\"; label*0=\"<?xml version=\\\"1.0\\\"?>"
        "<originatorConfidentialityLabel><ConfidentialityInformation>"
        "<PolicyIdentifier URI=\\\"urn:oid:1.3.26.1.3.1\\\">NATO</Policy\"; "
        "label*1=\"Identifier><Classification>SECRET</Classification>"
        "</ConfidentialityInformation></originatorConfidentialityLabel>\"",
        "sio-label", 4, 3, NULL},
    {"SIO-P3", H, "SIO-Label", "SIO-Label: marking=\"OFFICIAL-SENSITIVE\"",
        "sio-label", 2, 3, NULL},
    {"SIO-N1", A, NULL,
        "; CHECK: foo\n// SIO-LABEL: define{{.*}} void @_Z14constexpr_testv\n",
        NULL, 0, 0, NULL},
    {"SIO-N3", H, "SIO-Label-History", "SIO-Label-History: marking=\"SECRET\"",
        "sio-label-history", 4, 1, NULL},
    {"4774-P1", M, NULL, SLAB("NATO", "SECRET"), "stanag-4774", 4, 3, "GBR"},
    {"4774-P1-extracted", M, NULL,
        "originatorConfidentialityLabel ReviewDateTime=2025-01-01\n"
        "PolicyIdentifier URI=urn:oid:1.3.26.1.3.1\nPolicyIdentifier=NATO\n"
        "Classification=NATO SECRET\nCategory Type=PERMISSIVE "
        "TagName=Releasable To URI=urn:oid:1\nGenericValue=GBR\n",
        "stanag-4774", 4, 3, "GBR"},
    {"4774-P1-customXml", M, NULL,
        "PolicyIdentifier URI=urn:oid:1.3.26.1.3.1\nPolicyIdentifier=NATO\n"
        "Classification=SECRET\nCategory Type=PERMISSIVE "
        "TagName=Releasable To URI=urn:oid:1\nGenericValue=GBR\n"
        "GenericValue=USA\nOriginatorID IDType=rfc822Name\n",
        "stanag-4774", 4, 3, "GBR USA"},
    {"BJ-customXml", M, NULL,
        "sisl sislVersion=0 policy=" BJP " origin=userSelected\n"
        "element uid=id_protective_marking_official_sensitive value=\n",
        "bj-document", 2, 3, NULL},
    {"4774-P2", M, NULL, SLAB("GBR", "CONFIDENTIAL"), "stanag-4774", 3, 3,
        NULL},
    {"4774-N1", A, NULL,
        "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" "
        "targetNamespace=\"urn:nato:stanag:4774:confidentialitymetadatalabel:"
        "1:0\"><xs:enumeration value=\"SECRET\"/><xs:element "
        "name=\"Classification\">TOP SECRET</xs:element></xs:schema>",
        NULL, 0, 0, NULL},
    {"4774-N2", M, NULL, SLAB("NATO", "UNCLASSIFIED"), "stanag-4774", 1, 3,
        NULL},
    {"4774-N3", A, NULL,
        "An example label: <originatorConfidentialityLabel xmlns=\"urn:nato:"
        "stanag:4774:confidentialitymetadatalabel:1:0\"><Classification>"
        "SECRET</Classification></originatorConfidentialityLabel>\n",
        "stanag-4774-document", 4, 1, NULL},
    {"EXCH-mapped", H, "X-MS-Exchange-Organization-Classification",
        "X-MS-Exchange-Organization-Classification: "
        "aaaaaaaa-0000-4000-8000-000000000001",
        "exchange-classification", 3, 3, NULL},
    {"EXCH-system", H, "X-MS-Exchange-Organization-Classification",
        "X-MS-Exchange-Organization-Classification: "
        "bbbbbbbb-0000-4000-8000-000000000002",
        NULL, 0, 0, NULL},
    {"SENS-N1", H, "Sensitivity", "Sensitivity: Company-Confidential",
        "sensitivity-header", 2, 1, NULL},
};

static struct dlp_engine *
label_engine(void)
{
	struct dlp_config *cfg;
	struct dlp_engine *e = NULL;
	struct dlp_error err;
	char dir[4096], map[4096];

	snprintf(dir, sizeof(dir), "%s/signatures", test_source_dir());
	snprintf(map, sizeof(map), "%s/tests/data/labels", test_source_dir());
	if (dlp_config_new(&cfg) != DLP_OK ||
	    dlp_config_set_data_dir(cfg, dir) != DLP_OK ||
	    dlp_config_add_signatures(cfg, map) != DLP_OK)
		return NULL;
	if (dlp_engine_new(cfg, &e, &err) != DLP_OK)
		fprintf(stderr, "engine: %s:%u: %s\n", err.file, err.line,
		    err.message);
	dlp_config_free(cfg);
	return e;
}

TEST(vectors)
{
	struct dlp_engine *e = label_engine();
	struct dlp_scan *s = NULL;

	CHECK(e != NULL);
	if (e == NULL)
		return;
	CHECK(e->sigdb->labels != NULL);
	CHECK(dlp_scan_new(e, &s) == DLP_OK);
	for (size_t i = 0; i < DLP_NITEMS(vectors); i++) {
		struct dlp_result *r = NULL;
		const struct dlp_finding_x *f = NULL;
		bool limited;
		size_t nlabel = 0;

		CHECK(dlp_result_new(&e->mem, 100, &r) == DLP_OK);
		CHECK(dlp_match_text(s->matcher, r, vectors[i].scope,
		          vectors[i].header, "t", vectors[i].text,
		          strlen(vectors[i].text), &limited) == DLP_OK);
		for (size_t k = 0; k < r->nfindings; k++) {
			if (strcmp(r->findings[k].pub.category, "label") != 0)
				continue;
			nlabel++;
			if (vectors[i].rule != NULL &&
			    strcmp(r->findings[k].pub.rule, vectors[i].rule) ==
			        0)
				f = &r->findings[k];
		}
		if (vectors[i].rule == NULL) {
			CHECK_MSG(nlabel == 0, "%s: %zu label findings",
			    vectors[i].id, nlabel);
		} else if (f == NULL) {
			CHECK_MSG(false, "%s: no %s finding", vectors[i].id,
			    vectors[i].rule);
		} else {
			CHECK_MSG(
			    f->pub.level == vectors[i].level &&
			        f->pub.confidence == vectors[i].confidence,
			    "%s: L%u C%u, want L%u C%u (%s)", vectors[i].id,
			    f->pub.level, f->pub.confidence, vectors[i].level,
			    vectors[i].confidence, f->pub.detail);
			CHECK_MSG(f->pub.count == 1, "%s: count %zu",
			    vectors[i].id, f->pub.count);
			if (vectors[i].rel_to != NULL)
				CHECK_MSG(
				    strcmp(f->rel_to, vectors[i].rel_to) == 0,
				    "%s: rel_to \"%s\"", vectors[i].id,
				    f->rel_to);
		}
		dlp_result_free(r);
	}
	dlp_scan_free(s);
	dlp_engine_free(e);
}

/* Every vector cut short at every length, in every scope: the
 * validators read only inside the text (run under the sanitizers) and
 * never count a cut label twice. */
TEST(truncated)
{
	struct dlp_engine *e = label_engine();
	struct dlp_scan *s = NULL;
	static const unsigned scopes[] = {H, M, A};

	CHECK(e != NULL);
	if (e == NULL)
		return;
	CHECK(dlp_scan_new(e, &s) == DLP_OK);
	for (size_t i = 0; s != NULL && i < DLP_NITEMS(vectors); i++) {
		size_t len = strlen(vectors[i].text);

		for (size_t k = 0; k < DLP_NITEMS(scopes); k++)
			for (size_t n = 0; n <= len; n++) {
				struct dlp_result *r = NULL;
				bool limited;
				char *cut = malloc(n ? n : 1);

				CHECK(cut != NULL);
				if (cut == NULL)
					return;
				memcpy(cut, vectors[i].text, n);
				CHECK(
				    dlp_result_new(&e->mem, 100, &r) == DLP_OK);
				CHECK(dlp_match_text(s->matcher, r, scopes[k],
				          vectors[i].header, "t", cut, n,
				          &limited) == DLP_OK);
				for (size_t f = 0; f < r->nfindings; f++)
					if (strcmp(r->findings[f].pub.category,
					        "label") == 0)
						CHECK_MSG(
						    r->findings[f].pub.count ==
						        1,
						    "%s cut at %zu: count %zu",
						    vectors[i].id, n,
						    r->findings[f].pub.count);
				dlp_result_free(r);
				free(cut);
			}
	}
	dlp_scan_free(s);
	dlp_engine_free(e);
}

/* The map file: entries, lookups, and every error with its position. */
static const struct {
	const char *text;
	unsigned line, col; /* 0: accepted */
	const char *msg;
} maps[] = {
    {"# c\n\nmip * {" G1 "} 2 A name\n", 0, 0, NULL},
    {"titus ns \"Classification=TOP SECRET\" 5 TS\n", 0, 0, NULL},
    {"mip * " G1 "\n", 1, 1, "expected"},
    {"\nfoo * x 2\n", 2, 1, "unknown scheme"},
    {"exchange * {" G1 "} 3 x\n", 0, 0, NULL},
    {"mip * x 7 n\n", 1, 9, "level must be 0-5"},
    {"bj * \"unterminated 2\n", 1, 1, "expected"},
};

TEST(map_parse)
{
	for (size_t i = 0; i < DLP_NITEMS(maps); i++) {
		struct dlp_labelmap *m = NULL;
		struct dlp_error err;
		enum dlp_status st;

		memset(&err, 0, sizeof(err));
		st = dlp_labelmap_parse(&test_mem, &m, "labels.map",
		    maps[i].text, strlen(maps[i].text), &err);
		if (maps[i].line == 0) {
			CHECK_MSG(st == DLP_OK, "map %zu: %s", i, err.message);
		} else {
			CHECK_MSG(st == DLP_ERR_CONFIG, "map %zu", i);
			CHECK_MSG(err.line == maps[i].line &&
			              err.column == maps[i].col &&
			              strstr(err.message, maps[i].msg) != NULL,
			    "map %zu: %u:%u %s", i, err.line, err.column,
			    err.message);
		}
		dlp_labelmap_free(m);
	}
	CHECK_INT(test_live(), 0);
}

TEST(map_lookup)
{
	static const char text[] = "mip * " G1 " 2 any\nmip " S4 " {" G1
	                           "} 3 site\ntitus ns F=V 4 t\n";
	struct dlp_labelmap *m = NULL;
	struct dlp_error err;
	const struct dlp_label_entry *e;

	CHECK(dlp_labelmap_parse(&test_mem, &m, "labels.map", text,
	          strlen(text), &err) == DLP_OK);
	e = dlp_labelmap_find(m, DLP_LABEL_MIP, "{" S4 "}", 38, G1, 36);
	CHECK(e != NULL && e->level == 3);
	e = dlp_labelmap_find(m, DLP_LABEL_MIP, G9, 36, "{" G1 "}", 38);
	CHECK(e != NULL && e->level == 2);
	e = dlp_labelmap_find(m, DLP_LABEL_BJ, NULL, 0, G1, 36);
	CHECK(e == NULL);
	e = dlp_labelmap_find(m, DLP_LABEL_TITUS, "NS", 2, "f=v", 3);
	CHECK(e != NULL && e->level == 4);
	CHECK(dlp_labelmap_find(NULL, DLP_LABEL_MIP, NULL, 0, G1, 36) == NULL);
	{
		bool any;

		CHECK(dlp_labelmap_knows_site(
		    m, DLP_LABEL_MIP, "{" S4 "}", 38, &any));
		CHECK(any);
		CHECK(!dlp_labelmap_knows_site(m, DLP_LABEL_MIP, G9, 36, &any));
		CHECK(any);
		CHECK(!dlp_labelmap_knows_site(m, DLP_LABEL_BJ, S4, 36, &any));
		CHECK(!any);
	}
	dlp_labelmap_free(m);
	/* Out of memory at each allocation: an error, never a leak. */
	for (unsigned long n = 1; n < 12; n++) {
		enum dlp_status st;

		m = NULL;
		test_fail_after(n);
		st = dlp_labelmap_parse(
		    &test_mem, &m, "labels.map", text, strlen(text), &err);
		test_fail_after(0);
		CHECK(st == DLP_OK || st == DLP_ERR_NOMEM);
		dlp_labelmap_free(m);
		CHECK_INT(test_live(), 0);
	}
}

TEST_MAIN()
