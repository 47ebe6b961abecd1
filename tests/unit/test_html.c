/*
 * test_html.c - HTML to text: tags, dropped elements, line breaks,
 * entities, attributes, malformed markup, linear time, OOM.
 */
#include "charset.h"
#include "html.h"
#include "test.h"

struct html_case {
	const char *in;
	const char *want;
};

static const struct html_case cases[] = {
    {"<p>TOP SECRET</p>", "TOP SECRET\n"},
    {"a<b>b</b>c", "abc"},
    {"&#83;ECRET", "SECRET"},
    {"&#x53;ECRET &#X53;", "SECRET S"},
    {"OFFICIAL&#8209;SENSITIVE", "OFFICIAL\xe2\x80\x91SENSITIVE"},
    {"OFFICIAL&ndash;SENSITIVE", "OFFICIAL\xe2\x80\x93SENSITIVE"},
    {"a&amp;b &lt;c&gt; &quot;", "a&b <c> \""},
    {"&amp &nbsp;x &nbspy", "& \xc2\xa0x \xc2\xa0y"},
    {"&notit; &notin;", "\xc2\xacit; \xe2\x88\x89"},
    {"&NotEqualTilde;", "\xe2\x89\x82\xcc\xb8"},
    {"&bogus; & &; &#; &#x;", "&bogus; & &; &#; &#x;"},
    {"&#0; &#x110000; &#xD800; &#99999999999;", "\xef\xbf\xbd \xef\xbf\xbd "
                                                "\xef\xbf\xbd \xef\xbf\xbd"},
    {"&#150; &#x80;", "\xe2\x80\x93 \xe2\x82\xac"},
    {"&#83", "S"},
    {"x<script>var a = '<p>SECRET</p>';</script>y", "xy"},
    {"x<SCRIPT type=x>SECRET</SCRIPT >y", "xy"},
    {"x<style>p { color: red }</style>y", "xy"},
    {"x<template><p>SECRET</p></template>y", "xy"},
    {"<noscript>SECRET</noscript>", "SECRET"},
    {"<head><title>TOP SECRET</title></head>", "TOP SECRET\n"},
    {"<div style=\"display:none\">SECRET</div>", "SECRET\n"},
    {"a<!-- SECRET -->b", "ab"},
    {"a<!---->b<!-->c<!--->d", "abcd"},
    {"a<![CDATA[ SECRET ]]>b", "ab"},
    {"<!--[if mso]><p>TOP SECRET</p><![endif]-->x", "TOP SECRET\nx"},
    {"<!--[if !mso]><!-->SECRET<!--<![endif]-->", "SECRET"},
    {"<!DOCTYPE html><?xml version=\"1.0\"?>a", "a"},
    {"TOP<br>SECRET<br/>X", "TOP\nSECRET\nX"},
    {"<p>a</p><p>b</p>", "a\nb\n"},
    {"<ul><li>a<li>b</ul>", "a\nb\n"},
    {"<table><tr><td>a</td><td>b</td></tr></table>", "a\nb\n"},
    {"TOP\r\nSECRET\tX", "TOP SECRET X"},
    /* White space as a browser shows it: a run is one space, none at
     * the start or after a line break, and none before a line break. */
    {"  TOP \t SECRET", "TOP SECRET"},
    {"<p>a</p>\r\n  <p>b</p>", "a\nb\n"},
    {"line<br>\r\nnext<br>\r\n", "line\nnext\n"},
    {"<p>text \r\n</p>x", "text\nx"},
    {"a <br> b", "a\nb"},
    {"a <span> b </span> c", "a b c"},
    {"a&amp; b", "a& b"},
    {"\xef\xbb\xbf<p>x</p>", "x\n"},
    {"<pre>a\r\n b\tc</pre>", "a\n b\tc\n"},
    /* In pre a space before <br> or <p> stays (none is collapsed). */
    {"<pre>a <br>b <p>c</pre>", "a \nb \nc\n"},
    {"<img src=x alt=\"TOP SECRET\">", " TOP SECRET "},
    {"<a href=x title='OFFICIAL&ndash;SENSITIVE'>l</a>",
        " OFFICIAL\xe2\x80\x93SENSITIVE l"},
    {"<img alt=SECRET>", " SECRET "},
    {"<a title=\"x > y\">z</a>", " x > y z"},
    {"a < b and c > d", "a < b and c > d"},
    {"a <3 b", "a <3 b"},
    {"x<b", "x<b"},
    {"x <b class=\"never closed>SECRET", "x SECRET"},
    {"<b title=\"open>TOP SECRET", "TOP SECRET"},
    {"a<!-- unterminated SECRET", "a unterminated SECRET"},
    {"a<script>SECRET", "aSECRET"},
    {"a</>b", "ab"},
    {"a</ x>b", "ab"},
    {"a<plaintext><b>SECRET", "a\n<b>SECRET"},
    {"<p>caf\xc3\xa9</p>", "caf\xc3\xa9\n"},
    {"", ""},
};

TEST(to_text)
{
	struct dlp_buf b;
	size_t i, n;

	for (i = 0; i < DLP_NITEMS(cases); i++) {
		dlp_buf_init(&b, &test_mem);
		n = strlen(cases[i].in);
		CHECK(dlp_html_to_text((const uint8_t *)cases[i].in, n, &b));
		CHECK_MEM(b.p ? (const char *)b.p : "", b.len, cases[i].want,
		    strlen(cases[i].want), cases[i].in);
		dlp_buf_fini(&b);
	}
	CHECK_INT(test_live(), 0);
}

/* Every block element breaks the line (checks the sorted tag table). */
TEST(block_elements)
{
	static const char *names[] = {"address", "article", "aside",
	    "blockquote", "body", "caption", "center", "dd", "details",
	    "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption",
	    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
	    "head", "header", "hgroup", "hr", "html", "legend", "li", "main",
	    "menu", "nav", "ol", "option", "p", "section", "summary", "table",
	    "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul", "pre",
	    "textarea", "listing", "BR", "Div"};
	static const char *raw[] = {"script", "style", "template", "iframe",
	    "noembed", "noframes", "xmp", "STYLE"};
	char in[64], want[8];
	struct dlp_buf b;
	size_t i;

	for (i = 0; i < DLP_NITEMS(names); i++) {
		dlp_buf_init(&b, &test_mem);
		snprintf(in, sizeof(in), "a<%s>b", names[i]);
		CHECK(dlp_html_to_text((const uint8_t *)in, strlen(in), &b));
		CHECK_MEM(b.p, b.len, "a\nb", 3, names[i]);
		dlp_buf_fini(&b);
	}
	for (i = 0; i < DLP_NITEMS(raw); i++) {
		dlp_buf_init(&b, &test_mem);
		snprintf(in, sizeof(in), "a<%s>x</%s>b", raw[i], raw[i]);
		snprintf(want, sizeof(want), "ab");
		CHECK(dlp_html_to_text((const uint8_t *)in, strlen(in), &b));
		CHECK_MEM(b.p, b.len, want, 2, raw[i]);
		dlp_buf_fini(&b);
	}
}

/* NUL bytes cannot split a word. */
TEST(nul_dropped)
{
	struct dlp_buf b;

	dlp_buf_init(&b, &test_mem);
	CHECK(dlp_html_to_text((const uint8_t *)"SEC\0RET", 7, &b));
	CHECK_STR((char *)b.p, "SECRET");
	dlp_buf_fini(&b);
}

/*
 * Plain text is copied in blocks: white space, NUL, '<' and '&' at every
 * offset of a long run come out as one byte at a time would give them
 * (white space as one space a run and none at the start, NUL dropped, a
 * '<' or '&' that starts nothing kept), and so does a second such byte
 * right after the first.
 */
TEST(text_runs_every_offset)
{
	static const char specials[] = "\t\n\r\f\0<&";
	char in[80], want[80];
	struct dlp_buf b;
	size_t pos, k, j, n, w;

	for (k = 0; k < sizeof(specials) - 1; k++) {
		for (pos = 0; pos < 48; pos++) {
			for (j = 0; j < 2; j++) {
				n = w = 0;
				while (n < 70) {
					char c = n == pos || (j && n == pos + 1)
					             ? specials[k]
					             : (char)('a' + n % 7);

					in[n++] = c;
					if (c == '\0')
						continue;
					/* white space: one space per run,
					 * none at the start */
					if (strchr("\t\n\r\f", c) != NULL &&
					    (w == 0 || want[w - 1] == ' '))
						continue;
					want[w++] =
					    strchr("\t\n\r\f", c) ? ' ' : c;
				}
				dlp_buf_init(&b, &test_mem);
				CHECK(dlp_html_to_text(
				    (const uint8_t *)in, n, &b));
				CHECK_MSG(
				    b.len == w && memcmp(b.p, want, w) == 0,
				    "byte %#x at %zu (twice: %zu): %.*s",
				    (unsigned)(uint8_t)specials[k], pos, j,
				    (int)b.len, b.p ? (char *)b.p : "");
				dlp_buf_fini(&b);
			}
		}
	}
	CHECK_INT(test_live(), 0);
}

/*
 * Tag lookups are remembered per document: names that share a length and
 * first and last letter, case variants and unknown names in between
 * still get their own kind.
 */
TEST(tag_memo)
{
	static const struct html_case memo_cases[] = {
	    {"a<td>b<tbody>c<td>d", "a\nb\nc\nd"},
	    {"a<dd>b<dl>c<dd>d<dt>e<dl>f", "a\nb\nc\nd\ne\nf"},
	    {"a<tr>b<tar>c<TR>d<tar>e", "a\nbc\nde"},
	    {"a<h1>b<h1x>c<H1>d<h1x>e", "a\nbc\nde"},
	    {"a<br>b<bar>c<BR>d<Br>e<bar>f", "a\nbc\nd\nef"},
	    {"a<script>x</script>b<scrip>c<SCRIPT>y</script>d", "abcd"},
	    {"a<table>b<tacle>c<TABLE>d<tacle>e", "a\nbc\nde"},
	    {"a<thead>b<tread>c<thead>d", "a\nbc\nd"},
	    {"a<p>b<pre>c</pre>d<p>e<b>f<p>g", "a\nb\nc\nd\nef\ng"},
	};
	struct dlp_buf b;
	size_t i;

	for (i = 0; i < DLP_NITEMS(memo_cases); i++) {
		dlp_buf_init(&b, &test_mem);
		CHECK(dlp_html_to_text((const uint8_t *)memo_cases[i].in,
		    strlen(memo_cases[i].in), &b));
		CHECK_MEM(b.p ? (const char *)b.p : "", b.len,
		    memo_cases[i].want, strlen(memo_cases[i].want),
		    memo_cases[i].in);
		dlp_buf_fini(&b);
	}
	CHECK_INT(test_live(), 0);
}

/* Appending keeps what the buffer held; the first block adds no break. */
TEST(appends)
{
	struct dlp_buf b;

	dlp_buf_init(&b, &test_mem);
	CHECK(dlp_buf_puts(&b, "pre:"));
	CHECK(dlp_html_to_text((const uint8_t *)"<p>x</p>", 8, &b));
	CHECK_STR((char *)b.p, "pre:x\n");
	dlp_buf_fini(&b);
}

struct ent_case {
	const char *in;
	const char *want;
};

static const struct ent_case ent_cases[] = {
    {"TOP&#32;SECRET", "TOP SECRET"},
    {"<w:t>A&amp;B</w:t>", "<w:t>A&B</w:t>"},
    {"&apos;&quot;&lt;&gt;", "'\"<>"},
    {"&Aacute;&aacute", "\xc3\x81\xc3\xa1"},
    {"no refs", "no refs"},
    {"&", "&"},
};

TEST(decode_entities)
{
	struct dlp_buf b;
	size_t i;

	for (i = 0; i < DLP_NITEMS(ent_cases); i++) {
		dlp_buf_init(&b, &test_mem);
		CHECK(dlp_html_decode_entities((const uint8_t *)ent_cases[i].in,
		    strlen(ent_cases[i].in), &b));
		CHECK_MEM(b.p ? (const char *)b.p : "", b.len,
		    ent_cases[i].want, strlen(ent_cases[i].want),
		    ent_cases[i].in);
		dlp_buf_fini(&b);
	}
}

/* Pathological inputs finish quickly and keep their text. */
struct big_case {
	const char *unit;
	const char *tail; /* what must appear in the output */
};

static const struct big_case big_cases[] = {
    {"<a x=\">\"", "TAILTEXT"},
    {"<script>", "TAILTEXT"},
    {"<!--", "TAILTEXT"},
    {"<a title='", "TAILTEXT"},
    {"<", "TAILTEXT"},
    {"&amp", "TAILTEXT"},
    {"<b ", "TAILTEXT"},
};

TEST(pathological_linear)
{
	struct dlp_buf in, b;
	size_t i, k;
	uint64_t t0;

	for (i = 0; i < DLP_NITEMS(big_cases); i++) {
		dlp_buf_init(&in, &test_mem);
		dlp_buf_init(&b, &test_mem);
		for (k = 0; k < 200000; k++)
			CHECK(dlp_buf_puts(&in, big_cases[i].unit));
		CHECK(dlp_buf_puts(&in, " TAILTEXT"));
		t0 = dlp_now_ns();
		CHECK(dlp_html_to_text(in.p, in.len, &b));
		CHECK_MSG(dlp_now_ns() - t0 < 2000000000ull, "%s: too slow",
		    big_cases[i].unit);
		CHECK_MSG(strstr((char *)b.p, big_cases[i].tail) != NULL,
		    "%s: tail lost", big_cases[i].unit);
		dlp_buf_fini(&in);
		dlp_buf_fini(&b);
	}
}

/* Random markup soup: true, and ASCII in gives valid UTF-8 out. */
TEST(random_markup)
{
	static const char *tok[] = {"<", ">", "</", "/", "!", "--", "-->",
	    "<!--", "<![CDATA[", "]]>", "\"", "'", "=", " ", "\n", "&", ";",
	    "#", "x", "53", "amp", "nbsp", "notin", "p", "br", "script",
	    "style", "title", "alt", "pre", "plaintext", "a", "SECRET"};
	struct dlp_buf in, b;
	uint32_t seed = 7;
	unsigned round, k, n;

	dlp_buf_init(&in, &test_mem);
	dlp_buf_init(&b, &test_mem);
	for (round = 0; round < 5000; round++) {
		dlp_buf_reset(&in);
		seed = seed * 1103515245u + 12345u;
		n = (seed >> 16) % 80;
		for (k = 0; k < n; k++) {
			seed = seed * 1103515245u + 12345u;
			CHECK(dlp_buf_puts(
			    &in, tok[(seed >> 12) % DLP_NITEMS(tok)]));
		}
		dlp_buf_reset(&b);
		CHECK(dlp_html_to_text(in.p, in.len, &b));
		CHECK(b.len == 0 || dlp_utf8_valid(b.p, b.len));
		dlp_buf_reset(&b);
		CHECK(dlp_html_decode_entities(in.p, in.len, &b));
		CHECK(b.len == 0 || dlp_utf8_valid(b.p, b.len));
	}
	dlp_buf_fini(&in);
	dlp_buf_fini(&b);
	CHECK_INT(test_live(), 0);
}

/* One input through every text-loop width: the outputs must agree. */
static void
check_widths(const uint8_t *in, size_t len, struct dlp_buf *want,
    struct dlp_buf *got, const char *what)
{
	int w;

	dlp_buf_reset(want);
	CHECK(dlp_html_to_text_width(in, len, want, 0));
	for (w = 1; w <= dlp_html_width_max(); w++) {
		dlp_buf_reset(got);
		CHECK(dlp_html_to_text_width(in, len, got, w));
		CHECK_MSG(got->len == want->len &&
		              memcmp(got->p, want->p, want->len) == 0,
		    "width %d differs from scalar on %s: [%.*s] vs [%.*s]", w,
		    what, (int)got->len, got->p ? (char *)got->p : "",
		    (int)want->len, want->p ? (char *)want->p : "");
	}
}

/*
 * The vector text loops (and the tags they take without leaving the
 * loop: <br>, </p>, <b>, and the AVX2 loop's own quick <br>, <p>, </p>)
 * give what the scalar loop gives: every case
 * above after text of every length from 0 to 70 (so the markup falls at
 * every offset of a 16 or 32-byte step), and random lines of text and
 * markup.
 */
TEST(widths_agree)
{
	static const char *tok[] = {"<br>", "<BR>", "<br/>", "<br />", "<p>",
	    "</p>", "<P>", "<div>", "</div>", "<b>", "</b>", "<o:p>", "</o:p>",
	    "<td>", "<pre>", "</pre>", "<textarea>", "</textarea>", "<script>",
	    "</script>", "<plaintext>", "<h1>", "<blockquote>",
	    "<span class=x>", "<img alt=SECRET>", "<a href=\"x\">", "</a>",
	    "<abcdefghij>", "<p1>", "<br", "< p>", "</ p>", "<!-- c -->",
	    "<Br>", "</P>", "<bR >", "<brr>", "<pp>", "</pr>", "<\x0fp>",
	    "<p\x1e", "&amp;", "&nbsp;", "&#83;", "\r\n", "\n", " ", "  ", "\t",
	    "word", "TOP SECRET", "OFFICIAL-SENSITIVE, "};
	struct dlp_buf in, want, got;
	uint32_t x = 2463534242u;
	size_t i, pad, k, n;
	char what[64];

	dlp_buf_init(&in, &test_mem);
	dlp_buf_init(&want, &test_mem);
	dlp_buf_init(&got, &test_mem);
	for (i = 0; i < DLP_NITEMS(cases); i++) {
		for (pad = 0; pad <= 70; pad++) {
			dlp_buf_reset(&in);
			for (k = 0; k < pad; k++)
				CHECK(
				    dlp_buf_putc(&in, (uint8_t)('a' + k % 7)));
			CHECK(dlp_buf_puts(&in, cases[i].in));
			snprintf(
			    what, sizeof(what), "case %zu after %zu", i, pad);
			check_widths(in.p, in.len, &want, &got, what);
		}
	}
	for (i = 0; i < 4000; i++) {
		dlp_buf_reset(&in);
		n = 1 + i % 60;
		for (k = 0; k < n; k++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			/* Text of 1 to 80 bytes, then a token. */
			for (size_t j = x % 80; j > 0; j--)
				CHECK(dlp_buf_putc(&in,
				    (uint8_t)(j % 9 == 0 ? ' ' : 'a' + j % 5)));
			CHECK(
			    dlp_buf_puts(&in, tok[(x >> 8) % DLP_NITEMS(tok)]));
		}
		snprintf(what, sizeof(what), "random input %zu", i);
		check_widths(in.p, in.len, &want, &got, what);
	}
	dlp_buf_fini(&in);
	dlp_buf_fini(&want);
	dlp_buf_fini(&got);
	CHECK_INT(test_live(), 0);
}

/* MimeKit's one page in five encodings: the same text from each. */
TEST(corpus_any_encoding)
{
	static const char *files[][2] = {
	    {"utf-8", "utf-8"},
	    {"utf-16", "utf-16"},
	    {"utf-16BE", "utf-16be"},
	    {"utf-32", "utf-32"},
	    {"utf-32BE", "utf-32be"},
	};
	const char *dir = test_corpus_dir();
	struct dlp_buf u, t, first;
	struct dlp_charset *cs;
	unsigned char *in;
	char path[4096];
	unsigned flags;
	size_t i, n, off;

	if (dir == NULL)
		TEST_SKIP("no corpus");
	CHECK_INT(dlp_charset_new(&test_mem, &cs), DLP_OK);
	dlp_buf_init(&first, &test_mem);
	for (i = 0; i < DLP_NITEMS(files); i++) {
		snprintf(path, sizeof(path),
		    "%s/mimekit/UnitTests/TestData/html/"
		    "Gimhae_Kim_clan.%s.html",
		    dir, files[i][0]);
		if ((in = test_read_file(path, &n)) == NULL) {
			printf("  missing %s\n", files[i][0]);
			continue;
		}
		dlp_buf_init(&u, &test_mem);
		dlp_buf_init(&t, &test_mem);
		flags = 0;
		CHECK(dlp_charset_to_utf8(cs, files[i][1], in, n, &u, &flags));
		CHECK_MSG(flags == 0, "%s: flags %#x", files[i][0], flags);
		CHECK(dlp_html_to_text(u.p, u.len, &t));
		CHECK(t.len > 1000 && dlp_utf8_valid(t.p, t.len));
		/* A BOM may survive as U+FEFF at the start; skip it. */
		off = t.len >= 3 && memcmp(t.p, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
		if (first.len == 0)
			CHECK(dlp_buf_append(&first, t.p + off, t.len - off));
		else
			CHECK_MSG(
			    t.len - off == first.len &&
			        memcmp(t.p + off, first.p, first.len) == 0,
			    "%s differs", files[i][0]);
		dlp_buf_fini(&u);
		dlp_buf_fini(&t);
		free(in);
	}
	dlp_buf_fini(&first);
	dlp_charset_free(cs);
	CHECK_INT(test_live(), 0);
}

/* A 1 MB tag, then text. */
TEST(huge_tag)
{
	struct dlp_buf in, b;
	size_t k;

	dlp_buf_init(&in, &test_mem);
	dlp_buf_init(&b, &test_mem);
	CHECK(dlp_buf_puts(&in, "<div class=\""));
	for (k = 0; k < (1u << 20); k++)
		CHECK(dlp_buf_putc(&in, 'a' + k % 26));
	CHECK(dlp_buf_puts(&in, "\">TOP SECRET</div>"));
	CHECK(dlp_html_to_text(in.p, in.len, &b));
	CHECK_STR((char *)b.p, "TOP SECRET\n");
	dlp_buf_fini(&in);
	dlp_buf_fini(&b);
}

/* Every entity in the table decodes (through the generated table). */
TEST(entity_table_sorted_and_found)
{
	static const char *names[] = {"&AElig;", "&zwnj;", "&zwj;", "&hyphen;",
	    "&dash;", "&mdash;", "&shy;", "&nbsp;", "&ZeroWidthSpace;",
	    "&Abreve;", "&zscr;"};
	struct dlp_buf b;
	size_t i;

	for (i = 0; i < DLP_NITEMS(names); i++) {
		dlp_buf_init(&b, &test_mem);
		CHECK(dlp_html_decode_entities(
		    (const uint8_t *)names[i], strlen(names[i]), &b));
		CHECK_MSG(
		    b.len > 0 && b.p[0] != '&', "%s not decoded", names[i]);
		dlp_buf_fini(&b);
	}
}

TEST(oom)
{
	static const char *in = "<p title=T>a&amp;b</p><img alt=x><br>"
	                        "<script>x</script>&#83;";
	struct dlp_buf b;
	unsigned long n;
	bool ok = false;

	for (n = 1; n < 50; n++) {
		dlp_buf_init(&b, &test_mem);
		test_fail_after(n);
		ok = dlp_html_to_text((const uint8_t *)in, strlen(in), &b);
		test_fail_after(0);
		dlp_buf_fini(&b);
		CHECK_INT(test_live(), 0);
		if (ok)
			break;
	}
	CHECK(ok);
	for (n = 1; n < 50; n++) {
		dlp_buf_init(&b, &test_mem);
		test_fail_after(n);
		ok = dlp_html_decode_entities(
		    (const uint8_t *)in, strlen(in), &b);
		test_fail_after(0);
		dlp_buf_fini(&b);
		CHECK_INT(test_live(), 0);
		if (ok)
			break;
	}
	CHECK(ok);
}

TEST_MAIN()
