/*
 * test_mime.c - the MIME parser and walker (engine/mime.c, mime_emit.c),
 * nested messages (message.c) and TNEF (tnef.c), through the recording
 * sink.
 */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <ftw.h>
#include <time.h>

#include "extract.h"
#include "mime_int.h"
#include "test.h"

/*
 * A recording sink whose object callback recurses into message/rfc822
 * the way the engine's dispatcher does. t must stay first: the stock
 * callbacks take the test_sink as ctx.
 */
struct rsink {
	struct test_sink t;
	struct dlp_xctx x;
	struct dlp_sink sink;
};

static enum dlp_status
r_object(void *ctx, const char *where, const char *name, const char *type,
    const uint8_t *data, size_t len, unsigned depth)
{
	struct rsink *r = ctx;
	enum dlp_status st;

	st = r->t.sink.object(&r->t, where, name, type, data, len, depth);
	if (st == DLP_OK && type != NULL && strcmp(type, "message/rfc822") == 0)
		st = dlp_extract_message(&r->x, where, data, len, depth);
	return st;
}

static void
rsink_init(struct rsink *r, const struct dlp_mem *mem)
{
	test_sink_init(&r->t);
	r->sink = r->t.sink;
	r->sink.object = r_object;
	r->sink.ctx = r;
	r->x.mem = mem;
	r->x.lim = &r->t.limits;
	r->x.cs = NULL;
	r->x.sink = &r->sink;
}

/* Parse and emit msg with lim (NULL = defaults); the log is in r->t. */
static enum dlp_status
run(struct rsink *r, const struct dlp_mem *mem, const struct dlp_limits *lim,
    const void *msg, size_t len)
{
	struct dlp_mime *m = NULL;
	enum dlp_status st;

	rsink_init(r, mem);
	if (lim != NULL) {
		r->t.limits = *lim;
		r->t.budget.parts_left = lim->max_parts;
		r->t.budget.expanded_left = lim->max_expanded_bytes;
	}
	st = dlp_mime_parse(mem, &r->t.limits, msg, len, &m);
	if (st == DLP_OK)
		st = dlp_mime_emit(m, NULL, &r->sink, "", 0);
	dlp_mime_free(m);
	return st;
}

#define MAXN 8
struct ecase {
	const char *name;
	const char *msg;
	const char *want[MAXN];   /* log lines that must appear */
	const char *unwant[MAXN]; /* substrings that must not */
};

static const struct ecase cases[] = {
    {"unfold", "Subject: hello\r\n\tworld\r\nX-A: a\r\n b\r\n\r\nbody\r\n",
        {"text 1 subject hello\tworld", "text 2 header:X-A X-A X-A: a b",
            "text 4 body/text body"},
        {"unscanned"}},
    /* Unfolding drops every CR and LF, a bare CR inside a line too. */
    {"unfold_bare_cr", "X-A: a\rb\r\n c\r\n\tdd\n e\r\n\r\nbody\r\n",
        {"text 2 header:X-A X-A X-A: ab c\tdd e\n"}, {"unscanned"}},
    {"bare_lf_and_mbox_from",
        "From someone@example.com Mon Jan  1 00:00:00 2024\n"
        "Subject: lf only\nContent-Type: text/plain\n\nline one\nline two\n",
        {"text 1 subject lf only", "text 4 body/text line one\nline two"},
        {"header:From someone", "unscanned"}},
    /* As GMime and mime4j: a non-header line inside the header block is
     * skipped (and still scanned); only the first line starts a body. */
    {"no_blank_line_after_headers", "Subject: x\r\nThis line is body text\r\n",
        {"text 4 header/invalid This line is body text"}, {"unscanned"}},
    {"duplicate_headers", "X-L: one\r\nX-L: two\r\n\r\nb",
        {"header:X-L X-L X-L: one", "header:X-L X-L X-L: two"}, {"unscanned"}},
    {"name_space_before_colon", "Subject : spaced\r\n\r\nb",
        {"text 1 subject spaced"}, {0}},
    {"subject_prefix_chain",
        "Subject: RE: Fwd: [EXTERNAL] AW:  Re[2]: SV: TOP SECRET\r\n\r\n",
        {"text 1 subject TOP SECRET\n"}, {0}},
    {"subject_not_a_prefix", "Subject: Rest of it\r\n\r\n",
        {"text 1 subject Rest of it\n"}, {0}},
    {"multipart_alternative",
        "Content-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n"
        "preamble\r\n--b1\r\nContent-Type: text/plain\r\n\r\nplain one\r\n"
        "--b1\r\nContent-Type: text/html\r\n\r\n<p>html&amp;one</p>\r\n"
        "--b1--\r\nepilogue\r\n",
        {"text 4 body/text plain one\n", "text 4 body/html "},
        {"preamble", "epilogue", "unscanned"}},
    {"nested_and_attachment",
        "Content-Type: multipart/mixed; boundary=outer\r\n\r\n"
        "--outer\r\nContent-Type: multipart/alternative; boundary=inner\r\n"
        "\r\n--inner\r\n\r\nfirst\r\n--inner\r\n\r\nsecond\r\n--inner--\r\n"
        "--outer\r\nContent-Type: application/pdf; name=\"r.pdf\"\r\n"
        "Content-Transfer-Encoding: 7bit\r\n\r\n%PDF-1.4\r\n--outer--\r\n",
        {"text 4 body/text first\n", "text 4 body/text[2] second\n",
            "text 16 attachment:r.pdf r.pdf",
            "object attachment:r.pdf r.pdf application/pdf 8 1"},
        {"unscanned"}},
    {"rfc2231_continuations",
        "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
        "Content-Type: application/octet-stream\r\n"
        "Content-Disposition: attachment;\r\n filename*0*=utf-8''r%C3%A9;\r\n"
        " filename*1=\"port.doc\"\r\n\r\nxx\r\n--b--\r\n",
        {"text 16 attachment:r\xc3\xa9port.doc r\xc3\xa9port.doc"}, {0}},
    {"unnamed_attachment",
        "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nt\r\n"
        "--b\r\nContent-Type: image/png\r\n\r\nPNG\r\n--b--\r\n",
        {"object attachment:part2 - image/png 3 1"}, {0}},
    {"missing_close_boundary",
        "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\n"
        "still shown\r\n",
        {"text 4 body/text still shown"}, {"unscanned"}},
    {"boundary_trailing_space",
        "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b  \r\n\r\n"
        "one\r\n--b-- \t\r\nepilogue\r\n",
        {"text 4 body/text one\n"}, {"epilogue"}},
    {"inner_missing_close_outer_continues",
        "Content-Type: multipart/mixed; boundary=o\r\n\r\n--o\r\n"
        "Content-Type: multipart/mixed; boundary=i\r\n\r\n--i\r\n\r\nin\r\n"
        "--o\r\n\r\nafter\r\n--o--\r\n",
        {"text 4 body/text in\n", "text 4 body/text[2] after\n"}, {0}},
    {"multipart_without_parts",
        "Content-Type: multipart/mixed; boundary=zz\r\n\r\norphan text\r\n",
        {"text 4 body/text orphan text", "unscanned message malformed"}, {0}},
    {"multipart_without_boundary",
        "Content-Type: multipart/mixed\r\n\r\nno boundary text\r\n",
        {"text 4 body/text no boundary text"}, {0}},
    {"nul_bytes_in_header_name_line", "Subject: a\r\nX\x01Y: b\r\n\r\n",
        {"text 1 subject a", "text 4 header/invalid X\x01Y: b"}, {0}},
    {"blank_line_then_text", "   \r\nno headers here\r\n",
        {"unscanned message malformed no header block",
            "text 4 body/text no headers here"},
        {0}},
    {"empty", "", {"unscanned message malformed empty message"}, {0}},
    {"garbage_no_header", "\x89PNG\x0d\x0a\x1a\x0a binary",
        {"unscanned message malformed no header block"}, {0}},
    {"multipart_encrypted",
        "Content-Type: multipart/encrypted; boundary=e;\r\n"
        " protocol=\"application/pgp-encrypted\"\r\n\r\n--e\r\n"
        "Content-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n--e\r\n"
        "Content-Type: application/octet-stream\r\n\r\n-----BEGIN PGP "
        "MESSAGE-----\r\n--e--\r\n",
        {"unscanned message encrypted multipart/encrypted"},
        {"object", "body/text"}},
    {"smime_enveloped",
        "Content-Type: application/pkcs7-mime; smime-type=enveloped-data;"
        " name=smime.p7m\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        "MIAGCSqGSIb3DQEHA6CAMIACAQAx\r\n",
        {"unscanned attachment:smime.p7m encrypted enveloped-data"},
        {"object"}},
    {"inline_pgp",
        "Subject: s\r\n\r\nhi\r\n-----BEGIN PGP MESSAGE-----\r\nhQEM\r\n"
        "-----END PGP MESSAGE-----\r\n",
        {"unscanned body/text encrypted inline PGP message",
            "text 4 body/text hi"},
        {0}},
    /* The armour line is found after longer dash runs, near misses and
     * with more dashes in front; four dashes are not it. */
    {"inline_pgp_after_dashes",
        "Subject: s\r\n\r\n-----Original Message-----\r\n------------\r\n"
        "-----BEGIN PGP SIGNED-----\r\n--------BEGIN PGP MESSAGE-----\r\n"
        "hQEM\r\n",
        {"unscanned body/text encrypted inline PGP message"}, {0}},
    {"no_pgp_with_four_dashes",
        "Subject: s\r\n\r\n----BEGIN PGP MESSAGE-----\r\n-----BEGIN PGP "
        "MESSAGE----\r\n-----BEGIN PGP MESSAG",
        {"text 4 body/text ----BEGIN"}, {"unscanned"}},
    {"multipart_signed_scans_content",
        "Content-Type: multipart/signed; boundary=s;"
        " protocol=\"application/pgp-signature\"\r\n\r\n--s\r\n"
        "Content-Type: text/plain\r\n\r\nsigned words\r\n--s\r\n"
        "Content-Type: application/pgp-signature\r\n\r\nsig\r\n--s--\r\n",
        {"text 4 body/text signed words"}, {"object", "unscanned"}},
    {"unknown_cte", "Content-Transfer-Encoding: x-weird\r\n\r\nraw text\r\n",
        {"unscanned body/text unsupported unknown transfer encoding",
            "text 4 body/text raw text"},
        {0}},
    {"rfc822_recursion",
        "Subject: outer\r\nContent-Type: multipart/mixed; boundary=m\r\n\r\n"
        "--m\r\n\r\nouter body\r\n--m\r\nContent-Type: message/rfc822\r\n\r\n"
        "Subject: FW: inner subject\r\nMsip_labels: "
        "MSIP_Label_x_Enabled=true\r\n"
        "\r\ninner body\r\n--m--\r\n",
        {"object message/rfc822[1] - message/rfc822",
            "text 1 message/rfc822[1]:subject inner subject",
            "text 2 message/rfc822[1]:header:Msip_labels Msip_labels "
            "Msip_labels: MSIP_Label_x_Enabled=true",
            "text 4 message/rfc822[1]:body/text inner body"},
        {0}},
    {"digest_defaults_to_rfc822",
        "Content-Type: multipart/digest; boundary=d\r\n\r\n--d\r\n\r\n"
        "Subject: digested\r\n\r\nd body\r\n--d--\r\n",
        {"text 1 message/rfc822[1]:subject digested"}, {0}},
    {"header_only_rfc822_headers",
        "Content-Type: multipart/report; boundary=r\r\n\r\n--r\r\n"
        "Content-Type: text/rfc822-headers\r\n\r\nSubject: bounced\r\n"
        "--r--\r\n",
        {"text 1 message/rfc822[1]:subject bounced"}, {0}},
    {"rfc2047_subject",
        "Subject: =?UTF-8?B?VE9QIFNFQ1JFVA==?= =?iso-8859-1?q?caf=E9?=\r\n\r\n",
        {"text 1 subject TOP SECRETcaf\xc3\xa9\n"}, {0}},
    {"base64_body", "Content-Transfer-Encoding: base64\r\n\r\nU0VD\r\nUkVU\r\n",
        {"text 4 body/text SECRET\n"}, {"unscanned"}},
    {"base64_invalid",
        "Content-Transfer-Encoding: base64\r\n\r\nU0VD\x01\x02UkVU\r\n",
        {"unscanned body/text malformed base64 body"}, {0}},
    {"qp_soft_break",
        "Content-Transfer-Encoding: quoted-printable\r\n\r\nSEC=\r\nRET =3D "
        "x\r\n",
        {"text 4 body/text SECRET = x"}, {"unscanned"}},
    {"unknown_charset_8bit",
        "Content-Type: text/plain; charset=x-no-such-42\r\n\r\ncaf\xe9\r\n",
        {"unscanned body/text unsupported unknown charset \"x-no-such-42\"",
            "text 4 body/text caf\xc3\xa9"},
        {0}},
    {"unknown_charset_ascii",
        "Content-Type: text/plain; charset=x-no-such-42\r\n\r\nplain\r\n",
        {"text 4 body/text plain"}, {"unscanned"}},
    {"inline_uuencode",
        "Subject: u\r\n\r\nbefore\r\nbegin 644 a.txt\r\n#86)C\r\n`\r\nend\r\n"
        "after\r\n",
        {"text 16 attachment:a.txt a.txt",
            "object attachment:a.txt a.txt application/octet-stream 3 1",
            "text 4 body/text before\r\nafter"},
        {"#86)C"}},
    {"rfc2047_filename",
        "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
        "Content-Type: application/pdf;\r\n "
        "name=\"=?utf-8?Q?r=C3=A9sum=C3=A9.pdf?=\"\r\n"
        "\r\nx\r\n--b--\r\n",
        {"text 16 attachment:r\xc3\xa9sum\xc3\xa9.pdf "
         "r\xc3\xa9sum\xc3\xa9.pdf"},
        {0}},
    {"inline_yenc",
        "Subject: y\r\n\r\nhead\r\n=ybegin line=128 size=3 name=y.bin\r\n"
        "\x8b\x8c\x8d\r\n=yend size=3\r\ntail\r\n",
        {"object attachment:y.bin y.bin application/octet-stream 3 1",
            "text 4 body/text head\r\ntail"},
        {0}},
    /* Boundary lines are found by their leading '-': dashes inside a
     * line, runs of dashes and a dash line just before the boundary
     * must neither hide it nor be taken for it. */
    {"dashes_before_boundaries",
        "Content-Type: multipart/mixed; boundary=\"-b-\"\r\n\r\n"
        "pre--amble ---\r\n---b-\r\n\r\none - two--\r\n--------\r\n"
        "-- -b-\r\n---b-x\r\n---b-\nContent-Type: text/plain\n\nthree\n"
        "---b---\r\n",
        {"text 4 body/text one - two--\r\n--------\r\n-- -b-\r\n---b-x\n",
            "text 4 body/text[2] three\n"},
        {"unscanned", "amble"}},
    {"boundary_first_line",
        "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\n"
        "x-\r\n-\r\n--b--\r\n",
        {"text 4 body/text x-\r\n-\n"}, {"unscanned"}},
    /* Inline blocks start only at a line start, also right after a line
     * that starts with 'b' or '=' but opens nothing. */
    {"inline_uu_after_near_misses",
        "Subject: u\r\n\r\nbegin here\r\n=y\r\nabegin 644 no.txt\r\n"
        "begin 644 u.txt\r\n#0V%T\r\n`\r\nend\r\nafter\r\n",
        {"object attachment:u.txt u.txt application/octet-stream 3 1",
            "text 4 body/text begin here\r\n=y\r\nabegin 644 "
            "no.txt\r\nafter\r\n"},
        {"no.txt no.txt"}},
    /* A fragment of a split message: reported unscanned (the rest is in
     * other mails) and still read. */
    {"message_partial",
        "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
        "Content-Type: message/partial; id=\"x@y\"; number=2; "
        "total=3\r\n\r\nSECRET middle\r\n--b--\r\n",
        {"unscanned part1 unsupported message/partial fragment 2 of 3:",
            "object attachment:part1 - message/partial 13 1"},
        {0}},
    {"message_partial_top_level",
        "Content-Type: message/partial; id=\"x@y\"\r\n\r\n"
        "Subject: s\r\n\r\nfirst\r\n",
        {"unscanned message unsupported message/partial fragment ? of ?:"},
        {0}},
    {"message_external_body",
        "Content-Type: message/external-body; access-type=URL;\r\n"
        " URL=\"http://example.com/x\"\r\n\r\n"
        "Content-Type: text/plain\r\n\r\n",
        {"unscanned message unsupported message/external-body: the "
         "content is stored outside"},
        {0}},
    {"inline_begin_base64",
        "Subject: b\r\n\r\nhead\r\nbegin-base64 644 s.txt\r\n"
        "VE9QIFNFQ1JFVAo=\r\n====\r\ntail\r\n",
        {"object attachment:s.txt s.txt application/octet-stream 11 1",
            "text 4 body/text head\r\ntail\r\n"},
        {"VE9Q", "unscanned"}},
    {"uuencode_cte_begin_base64",
        "Content-Type: application/octet-stream; name=s.txt\r\n"
        "Content-Transfer-Encoding: x-uuencode\r\n\r\n"
        "begin-base64 644 s.txt\r\nVE9QIFNFQ1JFVAo=\r\n====\r\n",
        {"object attachment:s.txt s.txt application/octet-stream 11 1"},
        {"unscanned"}},
    {"named_forward",
        "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
        "Content-Type: message/rfc822; name=\"fwd [SEC=OFFICIAL].eml\"\r\n\r\n"
        "Subject: inner\r\n\r\nx\r\n--b--\r\n",
        {"text 16 message/rfc822[1] fwd [SEC=OFFICIAL].eml",
            "object message/rfc822[1] fwd [SEC=OFFICIAL].eml message/rfc822",
            "text 1 message/rfc822[1]:subject inner"},
        {0}},
};

static const char *
case_msg(const char *name)
{
	size_t i;

	for (i = 0; i < DLP_NITEMS(cases); i++)
		if (strcmp(cases[i].name, name) == 0)
			return cases[i].msg;
	return NULL;
}

TEST(emit_table)
{
	size_t i, k;

	for (i = 0; i < DLP_NITEMS(cases); i++) {
		const struct ecase *c = &cases[i];
		struct rsink r;
		enum dlp_status st;

		st = run(&r, &test_mem, NULL, c->msg, strlen(c->msg));
		CHECK_MSG(st == DLP_OK, "%s: status %d", c->name, st);
		for (k = 0; k < MAXN && c->want[k]; k++)
			CHECK_MSG(test_sink_has(&r.t, c->want[k]),
			    "%s: missing \"%s\" in\n%s", c->name, c->want[k],
			    (const char *)r.t.log.p);
		for (k = 0; k < MAXN && c->unwant[k]; k++)
			CHECK_MSG(!test_sink_has(&r.t, c->unwant[k]),
			    "%s: unexpected \"%s\" in\n%s", c->name,
			    c->unwant[k], (const char *)r.t.log.p);
		test_sink_fini(&r.t);
		CHECK_MSG(test_live() == 0, "%s: %ld blocks leaked", c->name,
		    test_live());
	}
}

/*
 * Inline blocks are found wherever their opening line falls: after
 * filler of every length from 0 to 40 bytes (so it lands at every
 * offset of a 16-byte step), behind near misses ("be", "=y"), each of
 * uuencode, begin-base64 and yEnc is reported as its object.
 */
TEST(inline_blocks_every_offset)
{
	static const struct {
		const char *block, *want;
	} blocks[] = {
	    {"begin 644 u.txt\r\n#0V%T\r\n`\r\nend\r\n",
	        "object attachment:u.txt u.txt application/octet-stream 3 1"},
	    {"begin-base64 644 s.txt\r\nVE9QIFNFQ1JFVAo=\r\n====\r\n",
	        "object attachment:s.txt s.txt application/octet-stream 11 "
	        "1"},
	    {"=ybegin line=128 size=3 name=y.bin\r\n\x8b\x8c\x8d\r\n"
	     "=yend size=3\r\n",
	        "object attachment:y.bin y.bin application/octet-stream 3 1"},
	};
	char msg[512];
	size_t b, k, n;

	for (b = 0; b < DLP_NITEMS(blocks); b++) {
		for (k = 0; k <= 40; k++) {
			struct rsink r;

			n = (size_t)snprintf(msg, sizeof(msg),
			    "Subject: b\r\n\r\nbe here\r\n=y\r\n%.*s\r\n%s"
			    "after\r\n",
			    (int)k,
			    "bexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
			    blocks[b].block);
			CHECK(run(&r, &test_mem, NULL, msg, n) == DLP_OK);
			CHECK_MSG(test_sink_has(&r.t, blocks[b].want),
			    "block %zu after %zu bytes: missing \"%s\" in\n%s",
			    b, k, blocks[b].want, (const char *)r.t.log.p);
			test_sink_fini(&r.t);
		}
	}
	CHECK_INT(test_live(), 0);
}

/* Cases whose input is not a C string. */
TEST(nul_bytes_in_body)
{
	static const char msg[] = "Subject: n\r\n\r\nab\0cd\r\n";
	struct rsink r;

	CHECK_INT(run(&r, &test_mem, NULL, msg, sizeof(msg) - 1), DLP_OK);
	CHECK(test_sink_has(&r.t, "text 4 body/text ab"));
	test_sink_fini(&r.t);
}

/* A header's where is "header:" and its name, cut at 255 bytes; the
 * name itself is passed whole. */
TEST(long_header_name_where)
{
	char msg[700], want[700];
	struct rsink r;
	size_t i, n = 0;

	for (i = 0; i < 300; i++)
		msg[n++] = (char)('a' + i % 26);
	memcpy(msg + n, ": v\r\n\r\nb\r\n", 10);
	n += 10;
	CHECK_INT(run(&r, &test_mem, NULL, msg, n), DLP_OK);
	snprintf(want, sizeof(want), "text 2 header:%.248s %.300s %.300s: v",
	    msg, msg, msg);
	CHECK_MSG(test_sink_has(&r.t, want), "missing %s in\n%s", want,
	    (const char *)r.t.log.p);
	test_sink_fini(&r.t);
}

TEST(header_lookup)
{
	static const char msg[] = "To: a@example.com\r\nX-Dup: 1\r\n"
	                          "x-dup: 2\r\n  folded\r\n\r\nbody";
	struct dlp_limits lim;
	struct dlp_mime *m;
	const char *v;
	size_t n;

	dlp_limits_default(&lim);
	CHECK_INT(dlp_mime_parse(&test_mem, &lim, (const uint8_t *)msg,
	              sizeof(msg) - 1, &m),
	    DLP_OK);
	CHECK(dlp_mime_header(m, "to", 0, &v, &n));
	CHECK_MEM(v, n, "a@example.com", 13, "to");
	CHECK(dlp_mime_header(m, "X-DUP", 1, &v, &n));
	CHECK_MEM(v, n, "2  folded", 9, "x-dup[1]");
	CHECK(!dlp_mime_header(m, "X-Dup", 2, &v, &n));
	CHECK(!dlp_mime_header(m, "Cc", 0, &v, &n));
	dlp_mime_free(m);
	CHECK_INT(test_live(), 0);
	CHECK_INT(dlp_mime_parse(&test_mem, NULL, (const uint8_t *)msg, 1, &m),
	    DLP_ERR_INVAL);
}

TEST(params)
{
	static const struct {
		const char *hdr, *name, *want;
	} t[] = {
	    {"text/plain; charset=\"us-ascii\"", "charset", "us-ascii"},
	    {"text/plain; CHARSET=utf-8 (comment)", "charset", "utf-8"},
	    {"a/b; name=\"q\\\"uote\"", "name", "q\"uote"},
	    {"a/b; name=my file.pdf", "name", "my file.pdf"},
	    {"a/b; name*=us-ascii'en'%41%42c", "name", "ABc"},
	    {"a/b; name*1=\"two\"; name*0=\"one\"", "name", "onetwo"},
	    {"a/b; name=plain; name*=''ext", "name", "ext"},
	    {"a/b; filename=\"x\"; name=\"y\"", "name", "y"},
	    {"a/b; xname=no; name=yes", "name", "yes"},
	};
	size_t i;

	for (i = 0; i < DLP_NITEMS(t); i++) {
		struct dlp_buf b;
		int rc;

		dlp_buf_init(&b, &test_mem);
		rc = dlp_mime_param(&test_mem, NULL, (const uint8_t *)t[i].hdr,
		    strlen(t[i].hdr), t[i].name, &b);
		CHECK_MSG(rc == 1, "%s: rc %d", t[i].hdr, rc);
		CHECK_MEM(b.p, b.len, t[i].want, strlen(t[i].want), t[i].hdr);
		dlp_buf_fini(&b);
	}
}

/* Build a message of n sibling parts, or n-deep nesting. */
static char *
gen(size_t n, bool nested, size_t *len)
{
	struct dlp_mem libc;
	struct dlp_buf b;
	size_t i;

	dlp_mem_init_default(&libc);
	dlp_buf_init(&b, &libc);
	if (nested) {
		for (i = 0; i < n; i++)
			dlp_buf_printf(&b,
			    "Content-Type: multipart/mixed; "
			    "boundary=\"b%zu\"\r\n"
			    "\r\n--b%zu\r\n",
			    i, i);
		dlp_buf_puts(&b, "\r\ndeepest\r\n");
		for (i = n; i-- > 0;)
			dlp_buf_printf(&b, "--b%zu--\r\n", i);
	} else {
		dlp_buf_puts(
		    &b, "Content-Type: multipart/mixed; boundary=x\r\n\r\n");
		for (i = 0; i < n; i++)
			dlp_buf_printf(&b, "--x\r\n\r\npart %zu\r\n", i);
		dlp_buf_puts(&b, "--x--\r\n");
	}
	return dlp_buf_take(&b, len);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t
count_lines(const struct test_sink *t, const char *prefix)
{
	const char *p = (const char *)t->log.p;
	size_t n = 0, pl = strlen(prefix);

	while (p != NULL && *p) {
		if (strncmp(p, prefix, pl) == 0)
			n++;
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
	return n;
}

TEST(hundred_thousand_parts)
{
	struct dlp_limits lim;
	struct rsink r;
	size_t len;
	char *msg = gen(100000, false, &len);
	double t0 = now_s();

	/* Default limit: stops at max_parts and says so. */
	CHECK_INT(run(&r, &test_mem, NULL, msg, len), DLP_OK);
	CHECK(test_sink_has(&r.t, "unscanned message limit more than 10000"));
	CHECK_INT(count_lines(&r.t, "text 4 body/text"), 9999);
	test_sink_fini(&r.t);
	/* Raised limit: every part is read. */
	dlp_limits_default(&lim);
	lim.max_parts = 200000;
	CHECK_INT(run(&r, &test_mem, &lim, msg, len), DLP_OK);
	CHECK_INT(count_lines(&r.t, "text 4 body/text"), 100000);
	CHECK(test_sink_has(&r.t, "body/text[100000] part 99999"));
	CHECK(!test_sink_has(&r.t, "unscanned"));
	test_sink_fini(&r.t);
	CHECK_MSG(now_s() - t0 < 10.0, "took %.1f s", now_s() - t0);
	CHECK_INT(test_live(), 0);
	free(msg);
}

TEST(thousand_deep_nesting)
{
	struct dlp_limits lim;
	struct rsink r;
	size_t len;
	char *msg = gen(1000, true, &len);
	double t0 = now_s();

	CHECK_INT(run(&r, &test_mem, NULL, msg, len), DLP_OK);
	CHECK(test_sink_has(&r.t, "limit MIME nesting deeper than 32"));
	CHECK(!test_sink_has(&r.t, "deepest"));
	test_sink_fini(&r.t);
	dlp_limits_default(&lim);
	lim.max_depth = 2000;
	CHECK_INT(run(&r, &test_mem, &lim, msg, len), DLP_OK);
	CHECK(test_sink_has(&r.t, "text 4 body/text deepest"));
	CHECK(!test_sink_has(&r.t, "unscanned"));
	test_sink_fini(&r.t);
	CHECK_MSG(now_s() - t0 < 10.0, "took %.1f s", now_s() - t0);
	CHECK_INT(test_live(), 0);
	free(msg);
}

TEST(ten_megabyte_header)
{
	struct dlp_mem libc;
	struct dlp_buf b;
	struct rsink r;
	size_t i, len;
	char *msg;
	double t0 = now_s();

	dlp_mem_init_default(&libc);
	dlp_buf_init(&b, &libc);
	dlp_buf_puts(&b, "X-Big: start");
	for (i = 0; i < 10 * 1024 * 1024 / 64; i++)
		dlp_buf_puts(&b,
		    "\r\n aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaaa");
	dlp_buf_puts(&b, "\r\nSubject: after\r\n\r\nbody\r\n");
	msg = dlp_buf_take(&b, &len);
	CHECK_INT(run(&r, &test_mem, NULL, msg, len), DLP_OK);
	CHECK(test_sink_has(&r.t, "unscanned message limit header X-Big "
	                          "truncated at 1048576 bytes"));
	CHECK(test_sink_has(&r.t, "text 1 subject after"));
	CHECK(test_sink_has(&r.t, "text 4 body/text body"));
	test_sink_fini(&r.t);
	CHECK_MSG(now_s() - t0 < 10.0, "took %.1f s", now_s() - t0);
	CHECK_INT(test_live(), 0);
	free(msg);
}

TEST(header_field_cap)
{
	struct dlp_mem libc;
	struct dlp_buf b;
	struct rsink r;
	size_t i, len;
	char *msg;

	dlp_mem_init_default(&libc);
	dlp_buf_init(&b, &libc);
	for (i = 0; i < 150000; i++)
		dlp_buf_puts(&b, "A: b\r\n");
	dlp_buf_puts(&b, "\r\nbody\r\n");
	msg = dlp_buf_take(&b, &len);
	CHECK_INT(run(&r, &test_mem, NULL, msg, len), DLP_OK);
	CHECK(test_sink_has(
	    &r.t, "unscanned message limit more than 100000 header fields"));
	CHECK(test_sink_has(&r.t, "text 4 body/text body"));
	CHECK_INT(count_lines(&r.t, "text 2 header:A"), 100000);
	test_sink_fini(&r.t);
	CHECK_INT(test_live(), 0);
	free(msg);
}

TEST(part_budget)
{
	struct rsink r;
	size_t len;
	char *msg = gen(20, false, &len);
	struct dlp_mime *m;

	rsink_init(&r, &test_mem);
	r.t.budget.parts_left = 5;
	CHECK_INT(
	    dlp_mime_parse(&test_mem, &r.t.limits, (uint8_t *)msg, len, &m),
	    DLP_OK);
	CHECK_INT(dlp_mime_emit(m, NULL, &r.sink, "", 0), DLP_OK);
	CHECK(test_sink_has(&r.t, "limit MIME part budget exhausted"));
	CHECK_INT(count_lines(&r.t, "text 4 body/text"), 4);
	dlp_mime_free(m);
	test_sink_fini(&r.t);
	free(msg);
}

TEST(byte_budget)
{
	static const char msg[] = "Subject: b\r\n\r\n0123456789abcdef\r\n";
	struct rsink r;
	struct dlp_mime *m;

	rsink_init(&r, &test_mem);
	r.t.budget.expanded_left = 4;
	CHECK_INT(dlp_mime_parse(&test_mem, &r.t.limits, (const uint8_t *)msg,
	              sizeof(msg) - 1, &m),
	    DLP_OK);
	CHECK_INT(dlp_mime_emit(m, NULL, &r.sink, "", 0), DLP_OK);
	CHECK(test_sink_has(&r.t, "unscanned body/text limit decoded-bytes"));
	CHECK(!test_sink_has(&r.t, "0123456789"));
	dlp_mime_free(m);
	test_sink_fini(&r.t);
}

TEST(nested_message_depth_limit)
{
	struct rsink r;
	struct dlp_buf b;
	struct dlp_mem libc;
	size_t i, len;
	char *msg;

	/* 40 forwarded-as-attachment levels. */
	dlp_mem_init_default(&libc);
	dlp_buf_init(&b, &libc);
	for (i = 0; i < 40; i++)
		dlp_buf_puts(&b, "Content-Type: message/rfc822\r\n\r\n");
	dlp_buf_puts(&b, "Subject: bottom\r\n\r\nx\r\n");
	msg = dlp_buf_take(&b, &len);
	CHECK_INT(run(&r, &test_mem, NULL, msg, len), DLP_OK);
	CHECK(test_sink_has(&r.t, "limit message nesting deeper than 32"));
	CHECK(!test_sink_has(&r.t, "bottom"));
	test_sink_fini(&r.t);
	free(msg);
}

/* Fail the n-th allocation for n = 1, 2, ... until a run succeeds. */
TEST(oom_sweep)
{
	const char *msgs[] = {
	    case_msg("nested_and_attachment"),
	    case_msg("rfc2231_continuations"),
	    case_msg("rfc822_recursion"),
	    case_msg("rfc2047_filename"),
	    case_msg("inline_uuencode"),
	    "X: \r\n a\r\n\r\n",
	};
	size_t i;

	for (i = 0; i < DLP_NITEMS(msgs); i++) {
		unsigned long n;
		enum dlp_status st = DLP_ERR_NOMEM;

		for (n = 1; n < 10000 && st == DLP_ERR_NOMEM; n++) {
			struct rsink r;

			test_fail_after(n);
			st = run(&r, &test_mem, NULL, msgs[i], strlen(msgs[i]));
			test_fail_after(0);
			test_sink_fini(&r.t);
			CHECK_MSG(st == DLP_OK || st == DLP_ERR_NOMEM,
			    "msg %zu n=%lu: status %d", i, n, st);
			CHECK_MSG(test_live() == 0, "msg %zu n=%lu: %ld leaked",
			    i, n, test_live());
		}
		CHECK_MSG(st == DLP_OK, "msg %zu never succeeded", i);
		CHECK_MSG(n > 2, "msg %zu: no allocation failed", i);
	}
}

/* S/MIME signed-data (opaque signing): the signed entity is read. */
TEST(smime_signed_data)
{
	static const char inner[] = "Subject: signed inner\r\n\r\nsigned body";
	static const uint8_t oid_signed[] = {
	    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02};
	static const uint8_t oid_data[] = {
	    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01};
	uint8_t der[256], b64[400];
	size_t n = 0, il = sizeof(inner) - 1, k, o;
	static const char al[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	struct dlp_mem libc;
	struct dlp_buf msg;
	struct rsink r;
	/* Lengths, inside out (all short form). */
	size_t os = 2 + il, eci = sizeof(oid_data) + 2 + os;
	size_t seq = 3 + 2 + 2 + eci, a0 = 2 + seq,
	       ci = sizeof(oid_signed) + 2 + a0;

	der[n++] = 0x30, der[n++] = (uint8_t)ci;
	memcpy(der + n, oid_signed, sizeof(oid_signed)),
	    n += sizeof(oid_signed);
	der[n++] = 0xa0, der[n++] = (uint8_t)a0;
	der[n++] = 0x30, der[n++] = (uint8_t)seq;
	der[n++] = 0x02, der[n++] = 0x01, der[n++] = 0x01; /* version */
	der[n++] = 0x31, der[n++] = 0x00;                  /* digestAlgs */
	der[n++] = 0x30, der[n++] = (uint8_t)eci;
	memcpy(der + n, oid_data, sizeof(oid_data)), n += sizeof(oid_data);
	der[n++] = 0xa0, der[n++] = (uint8_t)os;
	der[n++] = 0x04, der[n++] = (uint8_t)il;
	memcpy(der + n, inner, il), n += il;
	for (k = 0, o = 0; k < n; k += 3) {
		uint32_t v = (uint32_t)der[k] << 16 |
		             (k + 1 < n ? (uint32_t)der[k + 1] << 8 : 0) |
		             (k + 2 < n ? der[k + 2] : 0);

		b64[o++] = (uint8_t)al[v >> 18 & 63];
		b64[o++] = (uint8_t)al[v >> 12 & 63];
		b64[o++] = k + 1 < n ? (uint8_t)al[v >> 6 & 63] : '=';
		b64[o++] = k + 2 < n ? (uint8_t)al[v & 63] : '=';
	}
	dlp_mem_init_default(&libc);
	dlp_buf_init(&msg, &libc);
	dlp_buf_puts(&msg, "Content-Type: application/pkcs7-mime;"
	                   " smime-type=signed-data; name=smime.p7m\r\n"
	                   "Content-Transfer-Encoding: base64\r\n\r\n");
	dlp_buf_append(&msg, b64, o);
	dlp_buf_puts(&msg, "\r\n");
	CHECK_INT(run(&r, &test_mem, NULL, msg.p, msg.len), DLP_OK);
	CHECK_MSG(
	    test_sink_has(&r.t, "object attachment:smime.p7m - message/rfc822"),
	    "%s", (const char *)r.t.log.p);
	CHECK(test_sink_has(
	    &r.t, "text 1 attachment:smime.p7m:subject signed inner"));
	CHECK(test_sink_has(
	    &r.t, "text 4 attachment:smime.p7m:body/text signed body"));
	test_sink_fini(&r.t);
	/* Damaged DER: reported, not dropped. */
	msg.p[msg.len - 20] = '!';
	msg.p[msg.len - 30] = '!';
	memset(msg.p + msg.len - 60, 'A', 8);
	CHECK_INT(run(&r, &test_mem, NULL, msg.p, msg.len), DLP_OK);
	CHECK(test_sink_has(&r.t, "unscanned attachment:smime.p7m"));
	test_sink_fini(&r.t);
	dlp_buf_fini(&msg);
	CHECK_INT(test_live(), 0);
}

/* A minimal TNEF stream: signature, key, one attribute per record. */
static void
tnef_attr(struct dlp_buf *b, unsigned level, uint32_t id, const void *data,
    size_t len)
{
	const uint8_t *d = data;
	uint32_t sum = 0;
	size_t i;
	uint8_t h[9] = {(uint8_t)level, (uint8_t)id, (uint8_t)(id >> 8),
	    (uint8_t)(id >> 16), (uint8_t)(id >> 24), (uint8_t)len,
	    (uint8_t)(len >> 8), (uint8_t)(len >> 16), (uint8_t)(len >> 24)};

	for (i = 0; i < len; i++)
		sum += d[i];
	dlp_buf_append(b, h, 9);
	dlp_buf_append(b, d, len);
	dlp_buf_putc(b, (int)(sum & 0xff));
	dlp_buf_putc(b, (int)((sum >> 8) & 0xff));
}

TEST(tnef_built)
{
	static const uint8_t sig[6] = {0x78, 0x9f, 0x3e, 0x22, 0x01, 0x00};
	static const uint8_t ver[4] = {0x00, 0x00, 0x01, 0x00};
	static const uint8_t rend[14] = {1, 0, 0xff, 0xff, 0xff, 0xff};
	struct dlp_mem libc;
	struct dlp_buf b;
	struct rsink r;
	enum dlp_status st;

	dlp_mem_init_default(&libc);
	dlp_buf_init(&b, &libc);
	dlp_buf_append(&b, sig, 6);
	tnef_attr(&b, 1, 0x00089006, ver, 4);             /* attTnefVersion */
	tnef_attr(&b, 1, 0x00018004, "TNEF subject", 13); /* attSubject */
	tnef_attr(&b, 1, 0x0002800c, "SECRET body", 11);  /* attBody */
	tnef_attr(
	    &b, 2, 0x00069002, rend, sizeof(rend));     /* attAttachRendData */
	tnef_attr(&b, 2, 0x00018010, "plan.txt", 9);    /* attAttachTitle */
	tnef_attr(&b, 2, 0x0006800f, "file bytes", 10); /* attAttachData */
	rsink_init(&r, &test_mem);
	st = dlp_extract_tnef(&r.x, "attachment:winmail.dat", b.p, b.len, 1);
	CHECK_INT(st, DLP_OK);
	CHECK(test_sink_has(
	    &r.t, "text 1 attachment:winmail.dat/subject TNEF subject"));
	CHECK(test_sink_has(
	    &r.t, "text 4 attachment:winmail.dat/body SECRET body"));
	CHECK(test_sink_has(
	    &r.t, "text 16 attachment:winmail.dat/plan.txt plan.txt"));
	CHECK(test_sink_has(
	    &r.t, "object attachment:winmail.dat/plan.txt plan.txt - 10 2"));
	test_sink_fini(&r.t);
	/* Truncated, then a bad checksum, then not TNEF at all. */
	rsink_init(&r, &test_mem);
	CHECK_INT(dlp_extract_tnef(&r.x, "w", b.p, b.len - 3, 1), DLP_OK);
	b.p[b.len - 1] ^= 0x55;
	CHECK_INT(dlp_extract_tnef(&r.x, "w", b.p, b.len, 1), DLP_OK);
	CHECK_INT(dlp_extract_tnef(&r.x, "w", (const uint8_t *)"hello", 5, 1),
	    DLP_OK);
	CHECK_INT(count_lines(&r.t, "unscanned w malformed"), 3);
	test_sink_fini(&r.t);
	dlp_buf_fini(&b);
	CHECK_INT(test_live(), 0);
}

/* The corpus TNEF files: every expected attachment name is reported. */
TEST(tnef_corpus)
{
	const char *dir = test_corpus_dir();
	char path[4096];
	struct dirent *de;
	DIR *d;
	size_t nfiles = 0;

	if (dir == NULL)
		TEST_SKIP("no corpus");
	snprintf(path, sizeof(path), "%s/tnef/tests/files/datafiles", dir);
	if ((d = opendir(path)) == NULL)
		TEST_SKIP("no tnef corpus");
	while ((de = readdir(d)) != NULL) {
		size_t nl = strlen(de->d_name), len, llen;
		unsigned char *data, *list;
		char *line, *save = NULL;
		struct rsink r;

		if (nl < 6 || strcmp(de->d_name + nl - 5, ".tnef") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/tnef/tests/files/datafiles/%s",
		    dir, de->d_name);
		if ((data = test_read_file(path, &len)) == NULL)
			continue;
		memcpy(path + strlen(path) - 5, ".list", 6);
		list = test_read_file(path, &llen);
		rsink_init(&r, &test_mem);
		CHECK_INT(dlp_extract_tnef(&r.x, "w", data, len, 1), DLP_OK);
		/* libytnef rejects these two (a zero-sized field, a block
		 * over its allocation cap): they must be reported. */
		if (strcmp(de->d_name, "data-before-name.tnef") == 0 ||
		    strcmp(de->d_name, "MAPI_OBJECT.tnef") == 0) {
			CHECK_MSG(test_sink_has(&r.t, "unscanned w malformed"),
			    "%s: not reported", de->d_name);
			free(list);
			list = NULL;
		}
		for (line = list ? strtok_r((char *)list, "\n", &save) : NULL;
		     line != NULL; line = strtok_r(NULL, "\n", &save)) {
			char want[600];

			/* The tnef tool's own body-file names are not ours. */
			if (strstr(line, "-body.") != NULL)
				continue;
			snprintf(want, sizeof(want), "object w/%s ", line);
			CHECK_MSG(test_sink_has(&r.t, want),
			    "%s: no \"%s\" in\n%s", de->d_name, want,
			    (const char *)r.t.log.p);
		}
		test_sink_fini(&r.t);
		free(data);
		free(list);
		nfiles++;
	}
	closedir(d);
	CHECK(nfiles > 0);
	CHECK_INT(test_live(), 0);
}

/*
 * Every message of the corpus mail sets through parse and emit, nested
 * messages recursed into: no error, and never silent (each message
 * reports some text or an unscanned entry). flanker's torture test and
 * endless-nesting message must finish quickly.
 */
static size_t corpus_n, corpus_bad;

static int
corpus_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	size_t n = strlen(path), len;
	unsigned char *msg;
	struct rsink r;
	enum dlp_status rc;
	double t0;

	(void)st;
	(void)f;
	if (flag != FTW_F || n < 5 ||
	    (strcmp(path + n - 4, ".eml") != 0 &&
	        strcmp(path + n - 4, ".msg") != 0 &&
	        strcmp(path + n - 4, ".raw") != 0))
		return 0;
	if ((msg = test_read_file(path, &len)) == NULL)
		return 0;
	t0 = now_s();
	rc = run(&r, &test_mem, NULL, msg, len);
	corpus_n++;
	if (rc != DLP_OK || (!test_sink_has(&r.t, "text ") &&
	                        !test_sink_has(&r.t, "unscanned "))) {
		corpus_bad++;
		fprintf(stderr, "%s: status %d, log:\n%s\n", path, rc,
		    r.t.log.p ? (const char *)r.t.log.p : "");
	}
	if (now_s() - t0 > 5.0) {
		corpus_bad++;
		fprintf(stderr, "%s: took %.1f s\n", path, now_s() - t0);
	}
	test_sink_fini(&r.t);
	free(msg);
	return 0;
}

TEST(corpus_messages)
{
	static const char *const sets[] = {"mime4j", "mimekit", "gmime",
	    "enmime", "rspamd", "flanker", "rubymail", "mailparser", "tika"};
	const char *dir = test_corpus_dir();
	char path[4096];
	size_t i;

	if (dir == NULL)
		TEST_SKIP("no corpus");
	for (i = 0; i < DLP_NITEMS(sets); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, sets[i]);
		nftw(path, corpus_one, 16, FTW_PHYS);
	}
	CHECK(corpus_n > 500);
	CHECK_INT(corpus_bad, 0);
	CHECK_INT(test_live(), 0);
}

TEST(flanker_torture_and_endless)
{
	static const char *const names[] = {
	    "torture.eml", "enclosed-endless.eml"};
	const char *dir = test_corpus_dir();
	size_t i;

	if (dir == NULL)
		TEST_SKIP("no corpus");
	for (i = 0; i < DLP_NITEMS(names); i++) {
		char path[4096];
		unsigned char *msg;
		size_t len;
		struct rsink r;
		double t0 = now_s();

		snprintf(path, sizeof(path),
		    "%s/flanker/tests/fixtures/messages/%s", dir, names[i]);
		if ((msg = test_read_file(path, &len)) == NULL)
			TEST_SKIP("flanker fixtures absent");
		CHECK_INT(run(&r, &test_mem, NULL, msg, len), DLP_OK);
		CHECK_MSG(now_s() - t0 < 2.0, "%s took %.1f s", names[i],
		    now_s() - t0);
		/* Both carry forwarded messages whose headers are scanned. */
		CHECK(test_sink_has(&r.t, "message/rfc822[1]:header:"));
		test_sink_fini(&r.t);
		free(msg);
	}
}

TEST_MAIN()
