/*
 * domain_addr.c - the address side of recipient-domain risk: split an
 * envelope or header address into local part and domain (quotes,
 * comments, angle brackets, SMTPUTF8 local parts), and the message-level
 * combination of per-recipient results (spec section 12: a lookalike
 * next to the entry it resembles, internal mixed with unknown external).
 *
 * Trusts nothing in the address: a NUL byte, an unterminated quote or
 * comment, an empty or over-long local part or invalid UTF-8 gives a
 * reason (the address is then invalid), never a failure. Addresses over
 * ADDR_MAX octets are refused. No allocation, no global state.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "domain_int.h"

void
dlp_dom_cat(char *buf, size_t cap, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n + 1 >= cap)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, cap - n, fmt, ap);
	va_end(ap);
}

/* Trim ASCII blanks from both ends of (*s, *len). */
static void
trim(const char **s, size_t *len)
{
	while (*len > 0 && ((*s)[0] == ' ' || (*s)[0] == '\t' ||
	                       (*s)[0] == '\r' || (*s)[0] == '\n'))
		(*s)++, (*len)--;
	while (
	    *len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t' ||
	                    (*s)[*len - 1] == '\r' || (*s)[*len - 1] == '\n'))
		(*len)--;
}

static bool
utf8_ok(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		size_t k = c < 0x80         ? 1
		           : (c >> 5) == 6  ? 2
		           : (c >> 4) == 14 ? 3
		           : (c >> 3) == 30 ? 4
		                            : 0;

		if (k == 0 || i + k > n || (c < 0x20 && c != '\t') ||
		    c == 0x7f || c == 0xc0 || c == 0xc1 || c > 0xf4)
			return false;
		for (size_t j = 1; j < k; j++)
			if ((s[i + j] & 0xc0) != 0x80)
				return false;
		i += k;
	}
	return true;
}

/*
 * Split an address into local part and domain: drop comments outside
 * quotes, take the last '@' outside quotes (RFC 5321 section 4.1.2).
 * No '@' at all: the input is a bare domain. Returns a reason if invalid.
 */
const char *
dlp_dom_parse_addr(const char *s, size_t len, char *buf, char **local,
    char **dom, const char **kind)
{
	size_t n = 0, at = SIZE_MAX;
	bool q = false;
	int depth = 0;

	if (memchr(s, '\0', len) != NULL) {
		*kind = "bad-character";
		return "a NUL byte";
	}
	trim(&s, &len);
	if (len > ADDR_MAX) {
		*kind = "too-long";
		return "longer than any deliverable address";
	}
	if (len > 0 && s[0] == '<') {
		if (len < 2 || s[len - 1] != '>') {
			*kind = "malformed";
			return "an unbalanced '<'";
		}
		s++;
		len -= 2;
		trim(&s, &len);
	}
	if (len == 0) {
		*kind = "null-address";
		return "the null address '<>'";
	}
	for (size_t i = 0; i < len; i++) {
		char ch = s[i];

		if (depth > 0) {
			if (ch == '\\')
				i++;
			else if (ch == '(')
				depth++;
			else if (ch == ')')
				depth--;
			continue;
		}
		if (q) {
			if (ch == '\\' && i + 1 < len) {
				buf[n++] = ch;
				ch = s[++i];
			} else if (ch == '"')
				q = false;
			buf[n++] = ch;
			continue;
		}
		if (ch == '(') {
			depth = 1;
			continue;
		}
		if (ch == '"')
			q = true;
		else if (ch == '@')
			at = n;
		buf[n++] = ch;
	}
	buf[n] = '\0';
	if (q || depth > 0) {
		*kind = "malformed";
		return "an unterminated quote or comment";
	}
	if (at == SIZE_MAX) {
		*local = buf + n; /* "" */
		*dom = buf;
		if (strchr(buf, '"') != NULL || n == 0) {
			*kind = "no-domain";
			return "no domain after the quotes and comments";
		}
		return NULL;
	}
	buf[at] = '\0';
	*local = buf;
	*dom = buf + at + 1;
	{
		const char *l = buf;
		size_t ll = at;

		trim(&l, &ll);
		if (ll == 0) {
			*kind = "empty-local-part";
			return "an empty local part";
		}
		if (ll > 64) {
			*kind = "local-too-long";
			return "a local part longer than 64 octets";
		}
		if (!utf8_ok((const unsigned char *)l, ll)) {
			*kind = "bad-local-part";
			return "a local part that is not valid UTF-8 text";
		}
	}
	return NULL;
}

enum dlp_status
dlp_domain_assess(struct dlp_domain_result *res, size_t n, unsigned *msg_flags)
{
	unsigned f = 0;
	bool internal = false;

	if (msg_flags != NULL)
		*msg_flags = 0;
	if (res == NULL && n > 0)
		return DLP_ERR_INVAL;
	if (n == 0)
		f |= DLP_DOMAIN_MSG_EMPTY;
	for (size_t i = 0; i < n; i++)
		internal |= res[i].cls == DLP_RCPT_INTERNAL;
	for (size_t i = 0; i < n; i++) {
		struct dlp_domain_result *t = &res[i];
		unsigned same = 0;

		if (t->cls == DLP_RCPT_UNKNOWN && internal) {
			t->score = t->score + 10 > 100 ? 100 : t->score + 10;
			t->flags |= DLP_DOMAIN_F_MIXED_INTERNAL;
			f |= DLP_DOMAIN_MSG_MIXED_EXTERNAL;
			dlp_dom_cat(t->explain, sizeof(t->explain), "%s",
			    " The message also goes to your organisation's own "
			    "recipients.");
		}
		if (t->cls != DLP_RCPT_TYPO || t->matched[0] == '\0')
			continue;
		for (size_t j = 0; j < n; j++)
			if ((res[j].cls == DLP_RCPT_INTERNAL ||
			        res[j].cls == DLP_RCPT_TRUSTED) &&
			    strcmp(res[j].matched, t->matched) == 0)
				same++;
		if (same == 0)
			continue;
		if (t->score < 90)
			t->score = 90;
		t->flags |= DLP_DOMAIN_F_MIXED_INTERNAL;
		f |= DLP_DOMAIN_MSG_MIXED_TYPO;
		dlp_dom_cat(t->explain, sizeof(t->explain),
		    " This message also goes to %u recipient%s at "
		    "'%s'; '%s' is "
		    "probably a mistyped '%s'.",
		    same, same == 1 ? "" : "s", t->matched, t->alabel,
		    t->matched);
	}
	if (msg_flags != NULL)
		*msg_flags = f;
	return DLP_OK;
}
