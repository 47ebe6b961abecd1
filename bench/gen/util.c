/*
 * util.c - generator basics: byte buffer, PRNG, prose, base64,
 * quoted-printable and XML escaping. Deterministic for a given seed.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

void *
dlp_gen_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL) {
		fprintf(stderr, "dlpgen: out of memory\n");
		exit(1);
	}
	return p;
}

void
dlp_gbuf_add(struct dlp_gbuf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *np;

		while (cap < b->len + n + 1)
			cap *= 2;
		if ((np = realloc(b->p, cap)) == NULL) {
			fprintf(stderr, "dlpgen: out of memory\n");
			exit(1);
		}
		b->p = np;
		b->cap = cap;
	}
	if (n > 0)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
dlp_gbuf_puts(struct dlp_gbuf *b, const char *s)
{
	dlp_gbuf_add(b, s, strlen(s));
}

void
dlp_gbuf_printf(struct dlp_gbuf *b, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(tmp)) {
		dlp_gbuf_add(b, tmp, (size_t)n);
		return;
	}
	{
		char *big = dlp_gen_xmalloc((size_t)n + 1);

		va_start(ap, fmt);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
		dlp_gbuf_add(b, big, (size_t)n);
		free(big);
	}
}

void
dlp_gbuf_free(struct dlp_gbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void
dlp_rng_seed(struct dlp_rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t
dlp_rng_next(struct dlp_rng *r)
{
	uint64_t *s = r->s;
	uint64_t res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

uint64_t
dlp_rng_below(struct dlp_rng *r, uint64_t n)
{
	return n ? dlp_rng_next(r) % n : 0;
}

double
dlp_rng_unit(struct dlp_rng *r)
{
	return (double)(dlp_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

double
dlp_rng_lognormal(struct dlp_rng *r, double mean, double sigma)
{
	/* Box-Muller; mu chosen so that E[X] = mean. */
	double u1 = dlp_rng_unit(r), u2 = dlp_rng_unit(r);
	double z, mu = log(mean) - sigma * sigma / 2;

	if (u1 < 1e-300)
		u1 = 1e-300;
	z = sqrt(-2 * log(u1)) * cos(6.283185307179586 * u2);
	return exp(mu + sigma * z);
}

static const char *const words[] = {
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "for",
    "is",
    "on",
    "that",
    "by",
    "this",
    "with",
    "you",
    "it",
    "not",
    "or",
    "be",
    "are",
    "from",
    "at",
    "as",
    "your",
    "all",
    "have",
    "new",
    "more",
    "an",
    "was",
    "we",
    "will",
    "can",
    "about",
    "if",
    "page",
    "my",
    "has",
    "free",
    "but",
    "our",
    "one",
    "other",
    "do",
    "no",
    "information",
    "time",
    "they",
    "site",
    "he",
    "up",
    "may",
    "what",
    "which",
    "their",
    "news",
    "out",
    "use",
    "any",
    "there",
    "see",
    "only",
    "so",
    "his",
    "when",
    "contact",
    "here",
    "business",
    "who",
    "web",
    "also",
    "now",
    "help",
    "get",
    "view",
    "online",
    "first",
    "been",
    "would",
    "how",
    "were",
    "me",
    "services",
    "some",
    "these",
    "click",
    "its",
    "like",
    "service",
    "than",
    "find",
    "price",
    "date",
    "back",
    "top",
    "people",
    "had",
    "list",
    "name",
    "just",
    "over",
    "state",
    "year",
    "day",
    "into",
    "email",
    "two",
    "health",
    "world",
    "next",
    "used",
    "go",
    "work",
    "last",
    "most",
    "products",
    "music",
    "buy",
    "data",
    "make",
    "them",
    "should",
    "product",
    "system",
    "post",
    "her",
    "city",
    "add",
    "policy",
    "number",
    "such",
    "please",
    "available",
    "copyright",
    "support",
    "message",
    "after",
    "best",
    "software",
    "then",
    "jan",
    "good",
    "video",
    "well",
    "where",
    "info",
    "rights",
    "public",
    "books",
    "high",
    "school",
    "through",
    "each",
    "links",
    "she",
    "review",
    "years",
    "order",
    "very",
    "privacy",
    "book",
    "items",
    "company",
    "read",
    "group",
    "need",
    "many",
    "user",
    "said",
    "does",
    "set",
    "under",
    "general",
    "research",
    "university",
    "january",
    "mail",
    "full",
    "map",
    "reviews",
    "program",
    "life",
    "know",
    "games",
    "way",
    "days",
    "management",
    "part",
    "could",
    "great",
    "united",
    "hotel",
    "real",
    "item",
    "international",
    "center",
    "must",
    "store",
    "travel",
    "comments",
    "made",
    "development",
    "report",
    "off",
    "member",
    "details",
    "line",
    "terms",
    "before",
    "hotels",
    "did",
    "send",
    "right",
    "type",
    "because",
    "local",
    "those",
    "using",
    "results",
    "office",
    "education",
    "national",
    "car",
    "design",
    "take",
    "posted",
    "internet",
    "address",
    "community",
    "within",
    "states",
    "area",
    "want",
    "phone",
    "shipping",
    "reserved",
    "subject",
    "between",
    "forum",
    "family",
    "long",
    "based",
    "code",
    "show",
    "even",
    "black",
    "check",
    "special",
    "prices",
    "website",
    "index",
    "being",
    "women",
    "much",
    "sign",
    "file",
    "link",
    "open",
    "today",
    "technology",
    "south",
    "case",
    "project",
    "same",
    "pages",
    "version",
    "section",
    "own",
    "found",
    "sports",
    "house",
    "related",
    "security",
    "both",
    "county",
    "american",
    "photo",
    "game",
    "members",
    "power",
    "while",
    "care",
    "network",
    "down",
    "computer",
    "systems",
    "three",
    "total",
    "place",
    "end",
    "following",
    "download",
    "him",
    "without",
    "per",
    "access",
    "think",
    "north",
    "resources",
    "current",
    "posts",
    "big",
    "media",
    "law",
    "control",
    "water",
    "history",
    "pictures",
    "size",
    "art",
    "personal",
    "since",
    "including",
    "guide",
    "shop",
    "directory",
    "board",
    "location",
    "change",
    "white",
    "text",
    "small",
    "rating",
    "rate",
    "government",
    "children",
    "during",
    "return",
    "students",
    "shopping",
    "account",
    "times",
    "sites",
    "level",
    "digital",
    "profile",
    "previous",
    "form",
    "events",
    "love",
    "old",
    "budget",
    "meeting",
    "schedule",
    "draft",
    "minutes",
    "agenda",
    "quarter",
    "forecast",
    "invoice",
    "contract",
};

void
dlp_gen_sentence(struct dlp_rng *r, struct dlp_gbuf *out)
{
	size_t n = 6 + dlp_rng_below(r, 14);

	for (size_t i = 0; i < n; i++) {
		const char *w =
		    words[dlp_rng_below(r, sizeof(words) / sizeof(words[0]))];
		if (i > 0)
			dlp_gbuf_add(
			    out, i % 9 == 8 ? ", " : " ", i % 9 == 8 ? 2 : 1);
		if (i == 0) {
			char c = (char)(w[0] - 'a' + 'A');

			dlp_gbuf_add(out, &c, 1);
			dlp_gbuf_puts(out, w + 1);
		} else {
			dlp_gbuf_puts(out, w);
		}
	}
	dlp_gbuf_add(out, ".", 1);
}

void
dlp_gen_prose(struct dlp_rng *r, struct dlp_gbuf *out, size_t n, int crlf)
{
	struct dlp_gbuf s = {0};
	size_t start = out->len, col = 0;
	const char *eol = crlf ? "\r\n" : "\n";

	while (out->len - start < n) {
		s.len = 0;
		dlp_gen_sentence(r, &s);
		if (col > 0 && col + 1 + s.len > 72) {
			dlp_gbuf_puts(out, eol);
			col = 0;
		}
		/* Wrap inside long sentences at word boundaries. */
		for (size_t i = 0; i < s.len;) {
			size_t j = i;

			while (j < s.len && s.p[j] != ' ')
				j++;
			if (col > 0 && col + 1 + (j - i) > 72) {
				dlp_gbuf_puts(out, eol);
				col = 0;
			} else if (col > 0) {
				dlp_gbuf_add(out, " ", 1);
				col++;
			}
			dlp_gbuf_add(out, s.p + i, j - i);
			col += j - i;
			i = j < s.len ? j + 1 : j;
		}
		if (dlp_rng_below(r, 6) == 0) {
			dlp_gbuf_puts(out, eol);
			dlp_gbuf_puts(out, eol);
			col = 0;
		}
	}
	dlp_gbuf_puts(out, eol);
	dlp_gbuf_free(&s);
}

void
dlp_gen_base64(struct dlp_gbuf *out, const void *vp, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                          "abcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = vp;
	char line[80];
	size_t k = 0;

	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;

		if (i + 1 < n)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		line[k++] = tab[(v >> 18) & 63];
		line[k++] = tab[(v >> 12) & 63];
		line[k++] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
		line[k++] = i + 2 < n ? tab[v & 63] : '=';
		if (k == 76) {
			line[k++] = '\r';
			line[k++] = '\n';
			dlp_gbuf_add(out, line, k);
			k = 0;
		}
	}
	if (k > 0) {
		line[k++] = '\r';
		line[k++] = '\n';
		dlp_gbuf_add(out, line, k);
	}
}

void
dlp_gen_qp(struct dlp_gbuf *out, const char *p, size_t n)
{
	size_t col = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		char enc[4];
		size_t elen;

		if (c == '\r' && i + 1 < n && p[i + 1] == '\n') {
			dlp_gbuf_add(out, "\r\n", 2);
			col = 0;
			i++;
			continue;
		}
		if (c == '\n') {
			dlp_gbuf_add(out, "\r\n", 2);
			col = 0;
			continue;
		}
		if ((c >= 33 && c <= 126 && c != '=') ||
		    (c == ' ' && i + 1 < n && p[i + 1] != '\r' &&
		        p[i + 1] != '\n')) {
			enc[0] = (char)c;
			elen = 1;
		} else {
			snprintf(enc, sizeof(enc), "=%02X", c);
			elen = 3;
		}
		if (col + elen > 75) {
			dlp_gbuf_add(out, "=\r\n", 3);
			col = 0;
		}
		dlp_gbuf_add(out, enc, elen);
		col += elen;
	}
}

void
dlp_gen_xml_escape(struct dlp_gbuf *out, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (p[i]) {
		case '<':
			dlp_gbuf_puts(out, "&lt;");
			break;
		case '>':
			dlp_gbuf_puts(out, "&gt;");
			break;
		case '&':
			dlp_gbuf_puts(out, "&amp;");
			break;
		case '"':
			dlp_gbuf_puts(out, "&quot;");
			break;
		default:
			dlp_gbuf_add(out, p + i, 1);
		}
	}
}
