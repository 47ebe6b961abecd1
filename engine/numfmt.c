/*
 * numfmt.c - spreadsheet number formats rendered as displayed text.
 *
 * Covers what documents commonly use: sections (positive;negative;zero),
 * quoted and escaped literals, _x spacing, [colour] and [$-locale]
 * brackets (ignored), digit placeholders 0 # ? with thousands separators
 * and decimals, percent, simple fractions (# ?/?, up to three-digit
 * denominators), and dates and times in the 1900 date system (y m d h s,
 * AM/PM, month names). Anything else (exponents, text sections, General)
 * renders as nothing; the caller reports the raw value anyway. Input is a
 * format string from the document, trusted for nothing: every loop is
 * bounded by its length.
 */
#include <math.h> /* isnan, isinf only: the engine does not link libm */
#include <string.h>

#include "numfmt.h"

static double
fl(double x)
{
	double t;

	if (x >= 4503599627370496.0 || x <= -4503599627370496.0)
		return x; /* already integral */
	t = (double)(long long)x;
	return t > x ? t - 1 : t;
}

static double
p10(int n)
{
	double r = 1;

	while (n-- > 0)
		r *= 10;
	return r;
}

static double
fab(double x)
{
	return x < 0 ? -x : x;
}

const char *
dlp_numfmt_builtin(unsigned id)
{
	static const struct {
		unsigned id;
		const char *code;
	} b[] = {{1, "0"}, {2, "0.00"}, {3, "#,##0"}, {4, "#,##0.00"},
	    {9, "0%"}, {10, "0.00%"}, {12, "# ?/?"}, {13, "# ?\?/??"},
	    {14, "m/d/yy"}, {15, "d-mmm-yy"}, {16, "d-mmm"}, {17, "mmm-yy"},
	    {18, "h:mm AM/PM"}, {19, "h:mm:ss AM/PM"}, {20, "h:mm"},
	    {21, "h:mm:ss"}, {22, "m/d/yy h:mm"}, {37, "#,##0 ;(#,##0)"},
	    {38, "#,##0 ;[Red](#,##0)"}, {39, "#,##0.00;(#,##0.00)"},
	    {40, "#,##0.00;[Red](#,##0.00)"}, {45, "mm:ss"}, {46, "[h]:mm:ss"},
	    {47, "mmss.0"}};
	size_t i;

	for (i = 0; i < sizeof(b) / sizeof(b[0]); i++)
		if (b[i].id == id)
			return b[i].code;
	return NULL;
}

const char *
dlp_numfmt_builtin_iso(unsigned id)
{
	return id == 14 ? "yyyy-mm-dd" : id == 22 ? "yyyy-mm-dd h:mm" : NULL;
}

static bool
lower_eq(const char *p, size_t n, const char *word)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (word[i] == '\0' ||
		    dlp_tolower((unsigned char)p[i]) != word[i])
			return false;
	return word[n] == '\0';
}

/* Is this section a date/time format (y m d h s outside literals)? */
static bool
is_date(const char *c, size_t n)
{
	size_t i;
	int ch;

	for (i = 0; i < n; i++) {
		ch = dlp_tolower((unsigned char)c[i]);
		if (c[i] == '"') {
			for (i++; i < n && c[i] != '"'; i++)
				;
		} else if (c[i] == '\\' || c[i] == '_' || c[i] == '*') {
			i++;
		} else if (c[i] == '[') {
			if (i + 1 < n &&
			    (dlp_tolower((unsigned char)c[i + 1]) == 'h' ||
			        dlp_tolower((unsigned char)c[i + 1]) == 'm' ||
			        dlp_tolower((unsigned char)c[i + 1]) == 's'))
				return true;
			for (; i < n && c[i] != ']'; i++)
				;
		} else if (ch == 'y' || ch == 'd' || ch == 'h' || ch == 's' ||
		           ch == 'm') {
			return true;
		}
	}
	return false;
}

static const char *const months[] = {"January", "February", "March", "April",
    "May", "June", "July", "August", "September", "October", "November",
    "December"};
static const char *const days[] = {"Sunday", "Monday", "Tuesday", "Wednesday",
    "Thursday", "Friday", "Saturday"};

/* Serial day (1900 system, with Excel's 29 Feb 1900) to civil date. */
static void
civil(long serial, int *y, int *m, int *d, int *wday)
{
	long z, era, doe, yoe, doy, mp;

	*wday = (int)((serial + 6) % 7);
	if (serial == 60) {
		*y = 1900, *m = 2, *d = 29;
		return;
	}
	if (serial < 60)
		serial++;
	/* days since 1970-01-01: serial 25569 is 1970-01-01 */
	z = serial - 25569 + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static bool
render_date(const char *c, size_t n, double v, struct dlp_buf *out)
{
	long serial = (long)fl(v), secs;
	int y, mo, d, wd, h, mi, s, k;
	bool ampm = false, prev_h = false;
	size_t i, j;
	char ch;

	if (v < 0 || v > 2958465.0)
		return true;
	secs = (long)fl((v - (double)serial) * 86400.0 + 0.5);
	if (secs >= 86400) {
		secs -= 86400;
		serial++;
	}
	civil(serial, &y, &mo, &d, &wd);
	h = (int)(secs / 3600), mi = (int)(secs / 60 % 60),
	s = (int)(secs % 60);
	for (i = 0; i + 1 < n; i++)
		if (lower_eq(c + i, 2, "am") || lower_eq(c + i, 2, "a/"))
			ampm = true;
	for (i = 0; i < n;) {
		ch = (char)dlp_tolower((unsigned char)c[i]);
		for (j = i; j < n && dlp_tolower((unsigned char)c[j]) == ch;
		     j++)
			;
		k = (int)(j - i);
		if (c[i] == '"') {
			for (j = i + 1; j < n && c[j] != '"'; j++)
				if (!dlp_buf_putc(out, c[j]))
					return false;
			i = j + 1;
			continue;
		}
		if (c[i] == '\\' && i + 1 < n) {
			if (!dlp_buf_putc(out, c[i + 1]))
				return false;
			i += 2;
			continue;
		}
		if (c[i] == '[') {
			for (; i < n && c[i] != ']'; i++)
				;
			i++;
			continue;
		}
		if (c[i] == '_' || c[i] == '*') {
			i += 2;
			continue;
		}
		if (i + 4 < n + 0 && lower_eq(c + i, 5, "am/pm")) {
			if (!dlp_buf_puts(out, h >= 12 ? "PM" : "AM"))
				return false;
			i += 5;
			continue;
		}
		if (i + 2 < n + 0 && lower_eq(c + i, 3, "a/p")) {
			if (!dlp_buf_putc(out, h >= 12 ? 'P' : 'A'))
				return false;
			i += 3;
			continue;
		}
		switch (ch) {
		case 'y':
			if (!dlp_buf_printf(out, k <= 2 ? "%02d" : "%04d",
			        k <= 2 ? y % 100 : y))
				return false;
			break;
		case 'm': {
			/* minutes after an hour or before seconds */
			size_t q = j;
			bool minutes = prev_h;
			while (q < n && (c[q] == ':' || c[q] == ' '))
				q++;
			if (q < n && dlp_tolower((unsigned char)c[q]) == 's')
				minutes = true;
			if (minutes && k <= 2) {
				if (!dlp_buf_printf(
				        out, k == 2 ? "%02d" : "%d", mi))
					return false;
			} else if (k >= 4) {
				if (!dlp_buf_puts(out, months[mo - 1]))
					return false;
			} else if (k == 3) {
				if (!dlp_buf_append(out, months[mo - 1], 3))
					return false;
			} else if (!dlp_buf_printf(
			               out, k == 2 ? "%02d" : "%d", mo)) {
				return false;
			}
			break;
		}
		case 'd':
			if (k >= 4) {
				if (!dlp_buf_puts(out, days[wd]))
					return false;
			} else if (k == 3) {
				if (!dlp_buf_append(out, days[wd], 3))
					return false;
			} else if (!dlp_buf_printf(
			               out, k == 2 ? "%02d" : "%d", d)) {
				return false;
			}
			break;
		case 'h': {
			int hh = ampm ? (h % 12 == 0 ? 12 : h % 12) : h;
			if (!dlp_buf_printf(out, k >= 2 ? "%02d" : "%d", hh))
				return false;
			break;
		}
		case 's':
			if (!dlp_buf_printf(out, k >= 2 ? "%02d" : "%d", s))
				return false;
			break;
		default:
			if (!dlp_buf_append(out, c + i, j - i))
				return false;
			break;
		}
		prev_h = ch == 'h' || (prev_h && (ch == ':' || ch == ' '));
		i = j;
	}
	return true;
}

/* Thousands-grouped integer with at least mind digits. */
static bool
put_int(struct dlp_buf *out, double ip, int mind, bool group)
{
	char digits[64];
	int nd = 0, i;

	if (ip >= 1e18)
		return dlp_buf_printf(out, "%.0f", ip);
	unsigned long long u = (unsigned long long)ip;
	do {
		digits[nd++] = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0 && nd < 40);
	if (nd == 1 && digits[0] == '0' && mind == 0)
		nd = 0;
	while (nd < mind && nd < 40)
		digits[nd++] = '0';
	for (i = nd - 1; i >= 0; i--) {
		if (!dlp_buf_putc(out, digits[i]))
			return false;
		if (group && i > 0 && i % 3 == 0 && !dlp_buf_putc(out, ','))
			return false;
	}
	return true;
}

static bool
render_number(
    const char *c, size_t n, double v, bool neg_sign, struct dlp_buf *out)
{
	int mind = 0, decs = 0, fracw = 0;
	bool group = false, pct = false, frac = false, seen_dot = false;
	bool emitted = false;
	double ip, fp, scale;
	size_t i, j;
	long num = 0, den = 1, best_n = 0, best_d = 1;
	double best = 2;

	for (i = 0; i < n; i++) { /* measure */
		if (c[i] == '"') {
			for (i++; i < n && c[i] != '"'; i++)
				;
		} else if (c[i] == '\\' || c[i] == '_' || c[i] == '*') {
			i++;
		} else if (c[i] == '[') {
			for (; i < n && c[i] != ']'; i++)
				;
		} else if (c[i] == 'E' || c[i] == 'e' || c[i] == '@') {
			return true; /* not rendered */
		} else if (c[i] == '/') {
			frac = true;
		} else if (c[i] == '.') {
			seen_dot = true;
		} else if (c[i] == '%') {
			pct = true;
		} else if (c[i] == ',' && !seen_dot) {
			group = true;
		} else if (c[i] == '0' || c[i] == '#' || c[i] == '?') {
			if (frac)
				fracw++;
			else if (seen_dot)
				decs++;
			else if (c[i] == '0')
				mind++;
		}
	}
	if (pct)
		v *= 100;
	if (decs > 10)
		decs = 10;
	if (frac) {
		fracw = fracw > 3 ? 3 : fracw;
		ip = fl(v);
		fp = v - ip;
		for (den = 1; den < (fracw >= 3      ? 1000
		                        : fracw == 2 ? 100
		                                     : 10);
		     den++) {
			num = (long)fl(fp * (double)den + 0.5);
			if (fab(fp - (double)num / (double)den) < best) {
				best = fab(fp - (double)num / (double)den);
				best_n = num, best_d = den;
			}
		}
		if (best_n == best_d) {
			ip += 1;
			best_n = 0;
		}
	} else {
		scale = p10(decs);
		v = fl(v * scale + 0.5) / scale;
		ip = fl(v);
		fp = v - ip;
	}
	if (neg_sign && !dlp_buf_putc(out, '-'))
		return false;
	for (i = 0; i < n; i++) {
		if (c[i] == '"') {
			for (j = i + 1; j < n && c[j] != '"'; j++)
				if (!dlp_buf_putc(out, c[j]))
					return false;
			i = j;
		} else if (c[i] == '\\' && i + 1 < n) {
			if (!dlp_buf_putc(out, c[++i]))
				return false;
		} else if (c[i] == '_' && i + 1 < n) {
			i++;
			if (!dlp_buf_putc(out, ' '))
				return false;
		} else if (c[i] == '*' && i + 1 < n) {
			i++;
		} else if (c[i] == '[') {
			for (; i < n && c[i] != ']'; i++)
				;
		} else if (c[i] == '0' || c[i] == '#' || c[i] == '?' ||
		           c[i] == ',' || c[i] == '.' || c[i] == '/') {
			if (emitted)
				continue;
			emitted = true;
			if (frac) {
				if ((ip != 0 || best_n == 0) &&
				    !put_int(out, ip, 1, group))
					return false;
				if (best_n != 0 &&
				    !dlp_buf_printf(out, "%s%ld/%ld",
				        ip != 0 ? " " : "", best_n, best_d))
					return false;
				/* skip the rest of the number pattern */
			} else {
				if (!put_int(out, ip, mind, group))
					return false;
				if (decs > 0 &&
				    !dlp_buf_printf(out, ".%0*.0f", decs,
				        fl(fp * p10(decs) + 0.5)))
					return false;
			}
		} else if (c[i] == ' ' && frac && emitted) {
			/* spaces inside "# ?/?" belong to the pattern */
		} else if (!dlp_buf_putc(out, c[i])) {
			return false;
		}
	}
	return true;
}

bool
dlp_numfmt_render(const char *code, size_t len, double v, struct dlp_buf *out)
{
	const char *sec[4];
	size_t sl[4], ns = 0, i, start = 0;
	bool neg = false;
	const char *c;
	size_t n;

	if (len == 0 || len > 256 || lower_eq(code, len, "general") ||
	    isnan(v) || isinf(v))
		return true;
	for (i = 0; i <= len && ns < 4; i++) {
		if (i < len && code[i] == '"') {
			for (i++; i < len && code[i] != '"'; i++)
				;
			continue;
		}
		if (i < len && code[i] == '\\') {
			i++;
			continue;
		}
		if (i == len || code[i] == ';') {
			sec[ns] = code + start;
			sl[ns++] = i - start;
			start = i + 1;
		}
	}
	c = sec[0], n = sl[0];
	if (v < 0 && ns >= 2) {
		c = sec[1], n = sl[1];
		v = -v;
	} else if (v == 0 && ns >= 3) {
		c = sec[2], n = sl[2];
	} else if (v < 0) {
		neg = true;
		v = -v;
	}
	if (n == 0)
		return true;
	if (is_date(c, n))
		return neg ? true : render_date(c, n, v, out);
	return render_number(c, n, v, neg, out);
}

static bool
put_roman(struct dlp_buf *b, long v, bool upper)
{
	static const struct {
		int v;
		const char *s;
	} r[] = {{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"},
	    {90, "xc"}, {50, "l"}, {40, "xl"}, {10, "x"}, {9, "ix"}, {5, "v"},
	    {4, "iv"}, {1, "i"}};
	const char *c;

	for (size_t k = 0; k < DLP_NITEMS(r); k++)
		for (; v >= r[k].v; v -= r[k].v)
			for (c = r[k].s; *c != '\0'; c++)
				if (!dlp_buf_putc(b, upper ? *c - 32 : *c))
					return false;
	return true;
}

bool
dlp_numfmt_counter(struct dlp_buf *b, long v, unsigned nfc)
{
	switch (nfc) {
	case DLP_CNT_UROMAN:
	case DLP_CNT_LROMAN:
		if (v > 0 && v < 4000)
			return put_roman(b, v, nfc == DLP_CNT_UROMAN);
		break;
	case DLP_CNT_ULETTER:
	case DLP_CNT_LLETTER: /* a..z, then aa..zz, aaa... */
		if (v > 0 && v <= 780) {
			for (long k = 0; k <= (v - 1) / 26; k++)
				if (!dlp_buf_putc(b,
				        (nfc == DLP_CNT_ULETTER ? 'A' : 'a') +
				            (int)((v - 1) % 26)))
					return false;
			return true;
		}
		break;
	case DLP_CNT_ORDINAL: /* 1st, 2nd, 3rd, 4th, 11th */
		return dlp_buf_printf(b, "%ld%s", v,
		    (v % 100 >= 11 && v % 100 <= 13) ? "th"
		    : v % 10 == 1                    ? "st"
		    : v % 10 == 2                    ? "nd"
		    : v % 10 == 3                    ? "rd"
		                                     : "th");
	case DLP_CNT_ZERO:
		return dlp_buf_printf(b, "%02ld", v);
	}
	return dlp_buf_printf(b, "%ld", v);
}
