/*
 * address.c - pull addr-specs out of RFC 5322 address lists (To, Cc, Bcc,
 * From) as found in real mail.
 *
 * Trust: the header value is hostile. One pass, no recursion: comments
 * (nested, with escapes), quoted strings, groups "name: a, b;", angle
 * addresses, obsolete routes "<@relay:user@host>" and lists with missing
 * commas are handled; a token without '@' is skipped.
 * Limits: an address longer than 998 bytes (the line limit) is skipped.
 */
#include <string.h>

#include "address.h"

#define ADDR_MAX 998

struct acc {
	char buf[ADDR_MAX + 1];
	size_t len;
	bool overflow;
	bool angle; /* the current mailbox has an <addr-spec> */
	char angled[ADDR_MAX + 1];
	size_t alen;
};

static void
acc_put(struct acc *a, char c)
{
	if (a->len < ADDR_MAX)
		a->buf[a->len++] = c;
	else
		a->overflow = true;
}

/* Emit the mailbox collected so far. */
static enum dlp_status
flush(struct acc *a, dlp_address_fn fn, void *ctx)
{
	enum dlp_status st = DLP_OK;
	const char *s;
	size_t n;

	if (a->angle) {
		s = a->angled;
		n = a->alen;
	} else {
		s = a->buf;
		n = a->len;
		/* Without <>, the address is the last word with an '@'. */
		while (n > 0 && (s[n - 1] == ' '))
			n--;
		for (size_t i = n; i > 0; i--)
			if (s[i - 1] == ' ') {
				s += i;
				n -= i;
				break;
			}
	}
	/* An obsolete route "@a,@b:user@host" keeps only user@host. */
	if (n > 0 && s[0] == '@') {
		const char *colon = memchr(s, ':', n);

		if (colon != NULL) {
			n -= (size_t)(colon + 1 - s);
			s = colon + 1;
		}
	}
	while (n > 0 && s[0] == ' ')
		s++, n--;
	while (n > 0 && s[n - 1] == ' ')
		n--;
	if (!a->overflow && n > 0 && memchr(s, '@', n) != NULL) {
		char tmp[ADDR_MAX + 1];

		for (size_t i = 0; i < n; i++)
			tmp[i] = s[i] == '\x01' ? ' ' : s[i];
		tmp[n] = '\0';
		st = fn(ctx, tmp, n);
	}
	a->len = a->alen = 0;
	a->angle = a->overflow = false;
	return st;
}

enum dlp_status
dlp_address_list(const struct dlp_mem *mem, const char *in, size_t len,
    dlp_address_fn fn, void *ctx)
{
	struct acc a;
	enum dlp_status st = DLP_OK;
	size_t i = 0;
	int depth;

	(void)mem;
	memset(&a, 0, sizeof(a));
	while (i < len && st == DLP_OK) {
		char c = in[i];

		switch (c) {
		case '(': /* comment, possibly nested */
			depth = 0;
			for (; i < len; i++) {
				if (in[i] == '\\') {
					i++;
					continue;
				}
				if (in[i] == '(')
					depth++;
				else if (in[i] == ')' && --depth == 0)
					break;
			}
			i++;
			acc_put(&a, ' ');
			break;
		case '"': /* quoted string: kept, it may be a local part */
			acc_put(&a, '"');
			for (i++; i < len && in[i] != '"'; i++) {
				if (in[i] == '\\' && i + 1 < len)
					i++;
				acc_put(&a, in[i] == ' ' ? '\x01' : in[i]);
			}
			acc_put(&a, '"');
			i++;
			break;
		case '<':
			a.alen = 0;
			for (i++; i < len && in[i] != '>'; i++) {
				if (in[i] == ' ' || in[i] == '\t' ||
				    in[i] == '\r' || in[i] == '\n')
					continue;
				if (a.alen < ADDR_MAX)
					a.angled[a.alen++] = in[i];
				else
					a.overflow = true;
			}
			a.angle = true;
			i++;
			break;
		case ':': /* group display name ends: "team: a@x, b@y;" */
			if (!a.angle) {
				a.len = 0;
				a.overflow = false;
			}
			i++;
			break;
		case ',':
		case ';':
			st = flush(&a, fn, ctx);
			i++;
			break;
		case ' ':
		case '\t':
		case '\r':
		case '\n':
			/* A bare address followed by another bare one with no
			 * comma ("a@x b@y"): split at the blank. */
			if (!a.angle && a.len > 0 &&
			    memchr(a.buf, '@', a.len) != NULL) {
				size_t j = i;

				while (j < len &&
				       (in[j] == ' ' || in[j] == '\t' ||
				           in[j] == '\r' || in[j] == '\n'))
					j++;
				if (j < len && in[j] != '<' && in[j] != ',' &&
				    in[j] != ';' && in[j] != '(') {
					st = flush(&a, fn, ctx);
					i = j;
					break;
				}
			}
			acc_put(&a, ' ');
			i++;
			break;
		default:
			acc_put(&a, c);
			i++;
			break;
		}
	}
	if (st == DLP_OK)
		st = flush(&a, fn, ctx);
	return st;
}
