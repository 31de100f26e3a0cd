/* pii.c - the PII scanner (see pii.h for the rules and heuristics).
 *
 * One forward pass. A 256-entry table marks the only bytes that can start
 * or anchor a finding: digits, '(' and '+' (numbers) and '@' (emails); all
 * other bytes cost one load and a branch. A number candidate is read as up
 * to MAX_GROUPS digit groups joined by single separators, and the longest
 * prefix of groups that forms a card, an SSN or a phone wins. An email is
 * anchored at its '@' and its local part is found by looking back, never
 * past the end of the previous finding, so findings come out in text order
 * and never overlap. Every lookahead is bounded, so the scan is linear.
 */
#include <string.h>

#include "auditors/cards.h"
#include "auditors/dates.h"
#include "auditors/iban.h"
#include "auditors/ipaddr.h"
#include "auditors/pii.h"
#include "auditors/street.h"
#include "auditors/textscan.h"

#define CUE_WINDOW 32         /* bytes before a bare number searched for cues */
#define MAX_GROUPS 8          /* digit groups read per number candidate */
#define EMAIL_LOCAL_MAX 64
#define EMAIL_DOMAIN_MAX 253
#define EMAIL_LABEL_MAX 63

enum { T_NONE, T_DIGIT, T_AT, T_PAREN, T_PLUS, T_UPPER, T_COLON };

#define U(c) [c] = T_UPPER
static const unsigned char trigger[256] = {
	['0'] = T_DIGIT, ['1'] = T_DIGIT, ['2'] = T_DIGIT, ['3'] = T_DIGIT,
	['4'] = T_DIGIT, ['5'] = T_DIGIT, ['6'] = T_DIGIT, ['7'] = T_DIGIT,
	['8'] = T_DIGIT, ['9'] = T_DIGIT,
	['@'] = T_AT, ['('] = T_PAREN, ['+'] = T_PLUS, [':'] = T_COLON,
	U('A'), U('B'), U('C'), U('D'), U('E'), U('F'), U('G'), U('H'),
	U('I'), U('J'), U('K'), U('L'), U('M'), U('N'), U('O'), U('P'),
	U('Q'), U('R'), U('S'), U('T'), U('U'), U('V'), U('W'), U('X'),
	U('Y'), U('Z'),
};
#undef U

struct scan {
	const char *s;
	size_t n;
	size_t last_end;      /* end of the last finding */
	pii_finding_fn fn;
	void *ud;
	size_t count;         /* findings reported */
	int stop;             /* callback asked to stop */
};

/* Digit groups of a number candidate: "4111 1111 1111 1111" is 4 groups. */
struct groups {
	size_t start[MAX_GROUPS];
	size_t len[MAX_GROUPS];
	char sep[MAX_GROUPS];  /* separator after group i; '\0' after the last */
	int n;
};

/* A matched value, before classification. */
struct match {
	enum pii_kind kind;
	size_t off, end;       /* byte span */
	char digits[40];       /* numbers: the digits, NUL-terminated; IBANs:
				* the characters without spaces */
	size_t at;             /* emails: offset of the '@' */
	int intl;              /* phones: E.164 outside North America */
};

/* What a candidate turned out to be. */
enum { M_NONE, M_FOUND, M_SKIP /* not PII: resume at m->end */ };

#define is_digit ts_digit
#define is_alpha ts_alpha
#define is_alnum ts_alnum
#define lower ts_tolower

/* Punctuation that joins numeric tokens: "2024-10-14", "10.0.0.1". */
static int
is_joiner(unsigned char c)
{
	return c == '.' || c == '-' || c == '/' || c == ':' || c == ',';
}

/* May a number start at i? Not inside a word or a larger numeric token,
 * and not an amount or an id ("$", "#", "%"). */
static int
left_ok(const char *s, size_t i)
{
	unsigned char p;

	if (i == 0)
		return 1;
	p = (unsigned char)s[i - 1];
	if (is_alnum(p) || p == '_' || p == '@' || p == '$' || p == '#' ||
	    p == '%')
		return 0;
	return !(is_joiner(p) && i >= 2 && is_digit((unsigned char)s[i - 2]));
}

/* May a number end at `end` (exclusive)? */
static int
right_ok(const char *s, size_t n, size_t end)
{
	unsigned char c;

	if (end >= n)
		return 1;
	c = (unsigned char)s[end];
	if (is_alnum(c) || c == '_' || c == '@' || c == '%')
		return 0;
	return !(is_joiner(c) && end + 1 < n &&
		 is_digit((unsigned char)s[end + 1]));
}

/* Does one of `cues` stand in the CUE_WINDOW bytes before `start`? */
static int
cue_near(const char *s, size_t start, const char *const *cues)
{
	return ts_cue_before(s, start, CUE_WINDOW, cues);
}

static const char *const phone_cues[] = {
	"phone", "phones", "telephone", "tel", "tel.", "call", "mobile",
	"cell", "fax", "text", "sms", "contact", "whatsapp", NULL
};
static const char *const ssn_cues[] = {
	"ssn", "ssn#", "ss#", "social security", NULL
};

/* Read digit groups joined by single ' ', '-' or '.' starting at i (a
 * digit). Stops at MAX_GROUPS groups. */
static void
groups_read(const char *s, size_t n, size_t i, struct groups *g)
{
	g->n = 0;
	while (g->n < MAX_GROUPS && i < n && is_digit((unsigned char)s[i])) {
		size_t st = i;
		char c;

		while (i < n && is_digit((unsigned char)s[i]))
			i++;
		g->start[g->n] = st;
		g->len[g->n] = i - st;
		g->sep[g->n] = '\0';
		g->n++;
		if (i + 1 >= n || !is_digit((unsigned char)s[i + 1]))
			break;
		c = s[i];
		if (c != ' ' && c != '-' && c != '.')
			break;
		g->sep[g->n - 1] = c;
		i++;
	}
}

/* Copy the digits of groups [0, k) into out (cap bytes with the NUL).
 * Returns the digit count, or -1 if they do not fit. */
static int
groups_digits(const char *s, const struct groups *g, int k, char *out,
	      size_t cap)
{
	size_t total = 0;
	int i;

	for (i = 0; i < k; i++) {
		if (total + g->len[i] >= cap)
			return -1;
		memcpy(out + total, s + g->start[i], g->len[i]);
		total += g->len[i];
	}
	out[total] = '\0';
	return (int)total;
}

/* Do groups [0, k) use one separator throughout, from `allowed`? */
static int
groups_one_sep(const struct groups *g, int k, const char *allowed)
{
	int i;

	if (k < 2)
		return 1;
	if (strchr(allowed, g->sep[0]) == NULL || g->sep[0] == '\0')
		return 0;
	for (i = 1; i < k - 1; i++)
		if (g->sep[i] != g->sep[0])
			return 0;
	return 1;
}

/* Are groups [0, k) exactly these lengths (lens ends with 0)? */
static int
groups_shape(const struct groups *g, int k, const unsigned char *lens)
{
	int i;

	for (i = 0; i < k; i++)
		if (lens[i] == 0 || g->len[i] != lens[i])
			return 0;
	return lens[k] == 0;
}

/* Card shape: 12-19 digits, bare or grouped (first group 4, others 3-6,
 * one ' ' or '-' throughout), Luhn-valid, and a published test number or
 * in an issuer range with an issued length. */
static int
card_groups(const char *s, const struct groups *g, int k, struct match *m)
{
	int i, nd;

	if (k > 1) {
		if (g->len[0] != 4 || !groups_one_sep(g, k, " -"))
			return 0;
		for (i = 1; i < k; i++)
			if (g->len[i] < 3 || g->len[i] > 6)
				return 0;
	}
	nd = groups_digits(s, g, k, m->digits, sizeof(m->digits));
	if (nd < 12 || nd > 19 || !card_luhn_valid(m->digits))
		return 0;
	return card_is_test(m->digits) ||
	       card_issuer_find(m->digits) != NULL;
}

static const unsigned char ssn_lens[] = { 3, 2, 4, 0 };
static const unsigned char nine[] = { 9, 0 };

/* SSN shape: 3-2-4 joined by one '-' or ' ', or 9 bare digits after a
 * cue. */
static int
ssn_groups(const char *s, const struct groups *g, int k, struct match *m)
{
	if (groups_shape(g, k, ssn_lens)) {
		if (!groups_one_sep(g, k, " -"))
			return 0;
	} else if (!groups_shape(g, k, nine) ||
		   !cue_near(s, g->start[0], ssn_cues)) {
		return 0;
	}
	return groups_digits(s, g, k, m->digits, sizeof(m->digits)) == 9;
}

/* NANP: area and exchange start with 2-9. d holds exactly 10 digits. */
static int
nanp_ok(const char *d)
{
	return d[0] >= '2' && d[3] >= '2';
}

static const unsigned char ph_334[] = { 3, 3, 4, 0 };
static const unsigned char ph_1334[] = { 1, 3, 3, 4, 0 };
static const unsigned char ph_10[] = { 10, 0 };
static const unsigned char ph_11[] = { 11, 0 };

/* Phone shape from groups: 3-3-4 or 1-3-3-4 with one separator, or a bare
 * 10 digits (11 with a leading 1) after a cue. `prefixed`: the groups
 * follow "+1", so bare 10 digits need no cue and no further 1 may lead.
 * Leaves the 10 national digits in m->digits. */
static int
phone_groups(const char *s, const struct groups *g, int k, int prefixed,
	     struct match *m)
{
	char d[20];
	int nd;

	if (groups_shape(g, k, ph_10) ||
	    (!prefixed && groups_shape(g, k, ph_11))) {
		if (!prefixed && !cue_near(s, g->start[0], phone_cues))
			return 0;
	} else if (!groups_shape(g, k, ph_334) &&
		   (prefixed || !groups_shape(g, k, ph_1334))) {
		return 0;
	} else if (!groups_one_sep(g, k, " -.")) {
		return 0;
	}
	nd = groups_digits(s, g, k, d, sizeof(d));
	if (nd == 11 && d[0] != '1')
		return 0;
	memcpy(m->digits, d + nd - 10, 11);
	return nanp_ok(m->digits);
}

/* Longest prefix of the groups at i that is a card, SSN or phone and ends
 * on a boundary. `prefixed`: i follows "+1" (bare 10 digits are a phone,
 * a further leading 1 is not). */
static int
match_groups(const struct scan *sc, size_t i, int prefixed, struct match *m)
{
	struct groups g;
	int k;

	groups_read(sc->s, sc->n, i, &g);
	for (k = g.n; k >= 1; k--) {
		size_t end = g.start[k - 1] + g.len[k - 1];

		if (!right_ok(sc->s, sc->n, end))
			continue;
		m->end = end;
		if (!prefixed && card_groups(sc->s, &g, k, m))
			m->kind = PII_CARD;
		else if (!prefixed && ssn_groups(sc->s, &g, k, m))
			m->kind = PII_SSN;
		else if (phone_groups(sc->s, &g, k, prefixed, m))
			m->kind = PII_PHONE;
		else
			continue;
		return 1;
	}
	return 0;
}

/* Take exactly `cnt` digits at *j into out; advance *j. */
static int
take_digits(const char *s, size_t n, size_t *j, size_t cnt, char *out)
{
	size_t k;

	for (k = 0; k < cnt; k++)
		if (*j + k >= n || !is_digit((unsigned char)s[*j + k]))
			return 0;
	memcpy(out, s + *j, cnt);
	*j += cnt;
	return 1;
}

/* "(212) 555-0142" at i (the '('): optional one space after ')', and one
 * optional '-', '.' or ' ' between exchange and line. */
static int
match_paren(const struct scan *sc, size_t i, struct match *m)
{
	const char *s = sc->s;
	size_t n = sc->n, j = i + 1;

	if (!take_digits(s, n, &j, 3, m->digits) || j >= n || s[j] != ')')
		return 0;
	j++;
	if (j < n && s[j] == ' ')
		j++;
	if (!take_digits(s, n, &j, 3, m->digits + 3))
		return 0;
	if (j < n && (s[j] == '-' || s[j] == '.' || s[j] == ' '))
		j++;
	if (!take_digits(s, n, &j, 4, m->digits + 6))
		return 0;
	m->digits[10] = '\0';
	if (!right_ok(s, n, j) || !nanp_ok(m->digits))
		return 0;
	m->kind = PII_PHONE;
	m->end = j;
	return 1;
}

#define E164_MIN 8
#define E164_MAX 15

/* E.164 outside North America: '+', a digit 2-9 starting the country
 * code, then digit groups joined by single ' ' or '-' (or none): 8-15
 * digits in all, the longest run of groups that fits. */
static int
match_intl(const struct scan *sc, size_t i, struct match *m)
{
	const char *s = sc->s;
	size_t n = sc->n, j = i + 1, end = 0, nd = 0, st;

	if (j >= n || s[j] < '2' || s[j] > '9')
		return 0;
	while (j < n && is_digit((unsigned char)s[j])) {
		for (st = j; j < n && is_digit((unsigned char)s[j]); j++)
			;
		if (nd + (j - st) > E164_MAX)
			break;
		memcpy(m->digits + nd, s + st, j - st);
		nd += j - st;
		end = j;
		if (j + 1 >= n || (s[j] != ' ' && s[j] != '-') ||
		    !is_digit((unsigned char)s[j + 1]))
			break;
		j++;
	}
	if (nd < E164_MIN || !right_ok(s, n, end))
		return 0;
	m->digits[nd] = '\0';
	m->kind = PII_PHONE;
	m->intl = 1;
	m->end = end;
	return 1;
}

/* "+1" then an optional ' ', '-' or '.', then a parenthesized or grouped
 * phone, or 10 bare digits (E.164); any other country code is
 * match_intl's. */
static int
match_plus(const struct scan *sc, size_t i, struct match *m)
{
	const char *s = sc->s;
	size_t n = sc->n, j = i + 2;

	if (i + 1 < n && s[i + 1] != '1')
		return match_intl(sc, i, m);
	if (j >= n)
		return 0;
	if (s[j] == ' ' || s[j] == '-' || s[j] == '.')
		j++;
	if (j >= n)
		return 0;
	if (s[j] == '(')
		return match_paren(sc, j, m);
	return is_digit((unsigned char)s[j]) && match_groups(sc, j, 1, m);
}

static int
is_local(unsigned char c)
{
	return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' ||
	       c == '-';
}

static int
is_domain(unsigned char c)
{
	return is_alnum(c) || c == '.' || c == '-';
}

/* Check the domain [d, e): 2+ labels of 1-63 bytes, no label starting or
 * ending with '-', last label 2+ letters. */
static int
domain_ok(const char *s, size_t d, size_t e)
{
	size_t p = d, labels = 0, ls = d;

	while (p <= e) {
		ls = p;
		while (p < e && s[p] != '.')
			p++;
		if (p == ls || p - ls > EMAIL_LABEL_MAX || s[ls] == '-' ||
		    s[p - 1] == '-')
			return 0;
		labels++;
		if (p == e)
			break;
		p++;
	}
	if (labels < 2 || e - ls < 2)
		return 0;
	for (p = ls; p < e; p++)
		if (!is_alpha((unsigned char)s[p]))
			return 0;
	return 1;
}

static int domain_under(const char *s, size_t d, size_t e, const char *suf);

/* Email anchored at the '@' at `at`. */
static int
match_email(const struct scan *sc, size_t at, struct match *m)
{
	const char *s = sc->s;
	size_t lo = sc->last_end, b = at, e = at + 1;

	while (b > lo && at - b < EMAIL_LOCAL_MAX &&
	       is_local((unsigned char)s[b - 1]))
		b--;
	if (b > lo && is_local((unsigned char)s[b - 1]))
		return 0;  /* local part longer than 64 bytes */
	while (b < at && s[b] == '.')
		b++;
	if (b == at || s[at - 1] == '.')
		return 0;
	while (e < sc->n && e - at <= EMAIL_DOMAIN_MAX &&
	       is_domain((unsigned char)s[e]))
		e++;
	while (e > at + 1 && (s[e - 1] == '.' || s[e - 1] == '-'))
		e--;
	/* "localhost" is the one reserved name of a single label. */
	if (e - at - 1 > EMAIL_DOMAIN_MAX || (!domain_ok(s, at + 1, e) &&
	    !(e - at - 1 == 9 && domain_under(s, at + 1, e, "localhost"))))
		return 0;
	m->kind = PII_EMAIL;
	m->off = b;
	m->end = e;
	m->at = at;
	return 1;
}

/* Case-insensitive: is [d, e) equal to `suf` or a subdomain of it? */
static int
domain_under(const char *s, size_t d, size_t e, const char *suf)
{
	size_t len = strlen(suf), i;

	if (e - d < len)
		return 0;
	for (i = 0; i < len; i++)
		if (lower((unsigned char)s[e - len + i]) != (unsigned char)suf[i])
			return 0;
	return e - d == len || s[e - len - 1] == '.';
}

static const char *const reserved_domains[] = {
	"example.com", "example.org", "example.net", "test", "example",
	"invalid", "localhost", NULL
};

/* Append at most what fits of [p, p + len) to out (cap bytes with NUL). */
static void
put(char *out, size_t cap, const char *p, size_t len)
{
	size_t have = strlen(out);

	if (have + len >= cap)
		len = cap - 1 - have;
	memcpy(out + have, p, len);
	out[have + len] = '\0';
}

/* Append [p, p + len), keeping its tail behind "..." if it does not fit. */
static void
put_tail(char *out, size_t cap, const char *p, size_t len)
{
	size_t room = cap - 1 - strlen(out);

	if (len > room && room > 3) {
		put(out, cap, "...", 3);
		p += len - (room - 3);
		len = room - 3;
	}
	put(out, cap, p, len);
}

/* Append [p, p + len), cut to `max` bytes ending in "..." if longer. */
static void
put_head(char *out, size_t cap, const char *p, size_t len, size_t max)
{
	if (len <= max) {
		put(out, cap, p, len);
		return;
	}
	put(out, cap, p, max - 3);
	put(out, cap, "...", 3);
}

#define MASK_LOCAL_MAX 30  /* synthetic local parts shown up to this */

/* Email: synthetic ones in full (shortened to fit), real ones as the
 * first byte of a 2+ byte local part, "***@" and the domain. */
static void
classify_email(const struct scan *sc, const struct match *m,
	       struct pii_finding *f)
{
	const char *s = sc->s;
	size_t d = m->at + 1, k, llen = m->at - m->off;

	f->synthetic = 0;
	for (k = 0; reserved_domains[k] != NULL; k++)
		if (domain_under(s, d, m->end, reserved_domains[k]))
			f->synthetic = 1;
	if (f->synthetic) {
		f->severity = AUDIT_INFO;
		f->reason = "reserved example domain";
		put_head(f->masked, sizeof(f->masked), s + m->off, llen,
			 MASK_LOCAL_MAX);
		put(f->masked, sizeof(f->masked), "@", 1);
	} else {
		f->severity = AUDIT_MEDIUM;
		f->reason = "email address at a non-reserved domain";
		put(f->masked, sizeof(f->masked), s + m->off, llen > 1);
		put(f->masked, sizeof(f->masked), "***@", 4);
	}
	put_tail(f->masked, sizeof(f->masked), s + d, m->end - d);
}

/* Lay the digits d out as in `layout`, whose '#' take them in turn; all
 * but the last four become '*' unless `full`. */
static void
render(char *out, size_t cap, const char *layout, const char *d, int full)
{
	size_t nd = strlen(d), k = 0, i;

	for (i = 0; layout[i] != '\0'; i++) {
		if (layout[i] != '#') {
			put(out, cap, layout + i, 1);
			continue;
		}
		put(out, cap, full || k + 4 >= nd ? d + k : "*", 1);
		k++;
	}
}

/* Synthetic values are INFO and shown in full; real ones get `sev` and
 * are masked. */
static void
verdict(struct pii_finding *f, int synthetic, enum audit_severity sev,
	const char *why_synthetic, const char *why_real, const char *layout,
	const char *d)
{
	f->synthetic = synthetic;
	f->severity = synthetic ? AUDIT_INFO : sev;
	f->reason = synthetic ? why_synthetic : why_real;
	render(f->masked, sizeof(f->masked), layout, d, synthetic);
}

static void
classify_phone(const struct match *m, struct pii_finding *f)
{
	const char *d = m->digits;
	int x555 = memcmp(d + 3, "555", 3) == 0;

	verdict(f, x555 && d[6] == '0' && d[7] == '1', AUDIT_MEDIUM,
		"fictional 555-01xx number",
		x555 ? "555 exchange outside the fictional 0100-0199 range"
		     : "North American phone number",
		"###-###-####", d);
}

/* Is the group of a 9xx number one the IRS issues: IRSN 01-10, 17-19,
 * 28-29, 37-39; ITIN 50-65, 70-88, 90-92, 94-99; ATIN 93? */
static int
irs_group(int g)
{
	return (g >= 1 && g <= 10) || (g >= 17 && g <= 19) ||
	       (g >= 28 && g <= 29) || (g >= 37 && g <= 39) ||
	       (g >= 50 && g <= 65) || (g >= 70 && g <= 88) ||
	       (g >= 90 && g <= 99);
}

/* Never-issued SSNs are synthetic: area 000 or 666, group 00, serial
 * 0000, the SSA's advertising numbers 987-65-4320..4329, and 9xx numbers
 * whose group the IRS does not issue. Other 9xx numbers are ITINs, ATINs
 * or IRSNs: issued to people, so real. */
static void
classify_ssn(const struct match *m, struct pii_finding *f)
{
	const char *d = m->digits;
	int group = (d[3] - '0') * 10 + (d[4] - '0');
	const char *why = "SSN in a never-issued range";
	int never = memcmp(d, "000", 3) == 0 || memcmp(d, "666", 3) == 0 ||
		    group == 0 || memcmp(d + 5, "0000", 4) == 0;

	if (!never && memcmp(d, "98765432", 8) == 0) {
		never = 1;
		why = "SSA advertising number 987-65-4320 to 4329";
	} else if (!never && d[0] == '9' && !irs_group(group)) {
		never = 1;
		why = "9xx number in a group the IRS never issues";
	}
	verdict(f, never, AUDIT_HIGH, why, d[0] == '9' ?
		"IRS number (ITIN, ATIN or IRSN): issued to a person" :
		"SSN in an issuable range", "###-##-####", d);
}

static void
classify_card(const struct match *m, struct pii_finding *f)
{
	static const char layout[] = "###################";  /* 19 */
	size_t nd = strlen(m->digits);

	verdict(f, card_is_test(m->digits), AUDIT_HIGH,
		"well-known test card number",
		"Luhn-valid card number not in the test list",
		layout + (sizeof(layout) - 1 - nd), m->digits);
}

/* Copy [p, p + len) with every letter and digit but the last few as
 * '*': a third of them, at most four, so a short value keeps little. */
static void
mask_tail(char *out, size_t cap, const char *p, size_t len)
{
	size_t i, nal = 0, keep, seen = 0;

	for (i = 0; i < len; i++)
		nal += is_alnum((unsigned char)p[i]) != 0;
	keep = nal / 3 < 4 ? nal / 3 : 4;
	for (i = 0; i < len; i++) {
		int al = is_alnum((unsigned char)p[i]);

		seen += al != 0;
		put(out, cap, al && seen + keep <= nal ? "*" : p + i, 1);
	}
}

/* A finding shown as mask_tail renders it, or in full when synthetic. */
static void
verdict_text(const struct scan *sc, const struct match *m,
	     struct pii_finding *f, const char *reserved,
	     enum audit_severity sev, const char *why_real)
{
	f->synthetic = reserved != NULL;
	f->severity = reserved != NULL ? AUDIT_INFO : sev;
	f->reason = reserved != NULL ? reserved : why_real;
	if (reserved != NULL)
		put_head(f->masked, sizeof(f->masked), sc->s + m->off,
			 m->end - m->off, sizeof(f->masked) - 1);
	else
		mask_tail(f->masked, sizeof(f->masked), sc->s + m->off,
			  m->end - m->off);
}

static void
classify_other(const struct scan *sc, const struct match *m,
	       struct pii_finding *f)
{
	switch (m->kind) {
	case PII_PHONE:
		verdict_text(sc, m, f, NULL, AUDIT_MEDIUM,
			     "international phone number (E.164)");
		break;
	case PII_IBAN:
		verdict_text(sc, m, f, NULL, AUDIT_HIGH, "IBAN with a valid "
			     "mod-97 check and its country's length");
		break;
	case PII_IP:
		verdict_text(sc, m, f, ip_reserved(sc->s + m->off, m->end -
			     m->off), AUDIT_LOW, "public IP address");
		break;
	case PII_ADDRESS:
		verdict_text(sc, m, f, NULL, AUDIT_MEDIUM, "street address "
			     "(house number, street name and type)");
		break;
	default:
		verdict_text(sc, m, f, NULL, AUDIT_MEDIUM,
			     "date of birth next to a name");
		break;
	}
}

/* Classify the match and hand it to the callback. */
static void
emit(struct scan *sc, const struct match *m)
{
	struct pii_finding f;

	memset(&f, 0, sizeof(f));
	f.kind = m->kind;
	f.offset = m->off;
	f.len = m->end - m->off;
	if (m->kind == PII_EMAIL)
		classify_email(sc, m, &f);
	else if (m->kind == PII_PHONE && !m->intl)
		classify_phone(m, &f);
	else if (m->kind == PII_SSN)
		classify_ssn(m, &f);
	else if (m->kind == PII_CARD)
		classify_card(m, &f);
	else
		classify_other(sc, m, &f);
	sc->last_end = m->end;
	sc->count++;
	if (sc->fn != NULL && sc->fn(sc->ud, &f) != 0)
		sc->stop = 1;
}

static int
is_iban_char(unsigned char c)
{
	return is_digit(c) || ts_upper(c);
}

/* IBAN at i (a capital): country code, check digits and BBAN, compact
 * or in groups of four joined by single spaces, of the country's length
 * and passing mod 97. */
static int
match_iban(const struct scan *sc, size_t i, struct match *m)
{
	const char *s = sc->s;
	size_t n = sc->n, j = i, k, len;
	int grouped;

	if (i + 5 > n || !ts_upper((unsigned char)s[i + 1]) ||
	    !is_digit((unsigned char)s[i + 2]) ||
	    !is_digit((unsigned char)s[i + 3]) ||
	    (len = iban_length(s + i)) == 0 || len >= sizeof(m->digits))
		return 0;
	grouped = s[i + 4] == ' ';
	for (k = 0; k < len; k++) {
		if (grouped && k > 0 && k % 4 == 0) {
			if (j >= n || s[j] != ' ')
				return 0;
			j++;
		}
		if (j >= n || !is_iban_char((unsigned char)s[j]))
			return 0;
		m->digits[k] = s[j++];
	}
	if (j < n && is_alnum((unsigned char)s[j]))
		return 0;
	m->digits[len] = '\0';
	m->kind = PII_IBAN;
	m->end = j;
	return iban_valid(m->digits, len);
}

/* A date at i: a date of birth (M_FOUND), or any other date, which is
 * skipped whole so none of its numbers is read as something else. */
static int
match_date(const struct scan *sc, size_t i, struct match *m)
{
	if (!date_match(sc->s, sc->n, i, &m->end))
		return M_NONE;
	m->kind = PII_DOB;
	return date_is_birth(sc->s, i) ? M_FOUND : M_SKIP;
}

/* Capitals start IBANs and month-first dates. */
static int
match_upper(const struct scan *sc, size_t i, struct match *m)
{
	if (i > 0 && is_alnum((unsigned char)sc->s[i - 1]))
		return M_NONE;
	if (match_iban(sc, i, m))
		return M_FOUND;
	return match_date(sc, i, m);
}

/* IPv4 at i (a digit): its own left edge, since "admin@10.0.0.1" and
 * "ip:8.8.8.8" are addresses too. */
static int
match_ipv4(const struct scan *sc, size_t i, struct match *m)
{
	unsigned char p = i > 0 ? (unsigned char)sc->s[i - 1] : ' ';
	enum ip_match r;

	if (is_alnum(p) || p == '_' || p == '.' || p == '$' || p == '#')
		return M_NONE;
	r = ip_match_v4(sc->s, sc->n, i, &m->end);
	m->kind = PII_IP;
	return r == IP_ADDRESS ? M_FOUND : r == IP_VERSION ? M_SKIP : M_NONE;
}

static int
match_digit(const struct scan *sc, size_t i, struct match *m)
{
	int r = match_ipv4(sc, i, m);

	if (r != M_NONE)
		return r;
	if (!left_ok(sc->s, i) || (i > 0 && sc->s[i - 1] == '+'))
		return M_NONE;
	if ((r = match_date(sc, i, m)) != M_NONE)
		return r;
	if (match_groups(sc, i, 0, m))
		return M_FOUND;
	if (street_match(sc->s, sc->n, i, &m->end)) {
		m->kind = PII_ADDRESS;
		return M_FOUND;
	}
	return M_NONE;
}

static int
match_colon(const struct scan *sc, size_t i, struct match *m)
{
	if (ip_match_v6(sc->s, sc->n, sc->last_end, i, &m->off,
			&m->end) != IP_ADDRESS)
		return M_NONE;
	m->kind = PII_IP;
	return M_FOUND;
}

/* Try a match anchored at i (a trigger byte of type t): M_NONE, M_FOUND
 * or M_SKIP. */
static int
match_at(const struct scan *sc, size_t i, int t, struct match *m)
{
	m->off = i;
	m->intl = 0;
	switch (t) {
	case T_AT: return match_email(sc, i, m) ? M_FOUND : M_NONE;
	case T_DIGIT: return match_digit(sc, i, m);
	case T_UPPER: return match_upper(sc, i, m);
	case T_COLON: return match_colon(sc, i, m);
	default: break;
	}
	if (!left_ok(sc->s, i) || (i > 0 && sc->s[i - 1] == '+'))
		return M_NONE;
	return (t == T_PAREN ? match_paren(sc, i, m) : match_plus(sc, i, m))
	       ? M_FOUND : M_NONE;
}

/* Where to resume after a failed candidate at i: past a whole digit run
 * or word (their inner bytes cannot start anything), else the next
 * byte. */
static size_t
skip_failed(const struct scan *sc, size_t i, int t)
{
	if (t == T_DIGIT)
		while (i < sc->n && is_digit((unsigned char)sc->s[i]))
			i++;
	else if (t == T_UPPER)
		while (i < sc->n && is_alpha((unsigned char)sc->s[i]))
			i++;
	else
		i++;
	return i;
}

size_t
pii_scan(const char *text, size_t n, pii_finding_fn fn, void *ud)
{
	struct scan sc = { text, n, 0, fn, ud, 0, 0 };
	const unsigned char *u = (const unsigned char *)text;
	struct match m;
	size_t i = 0;

	while (i < n && !sc.stop) {
		int t = trigger[u[i]];

		if (t == T_NONE) {
			i++;
			continue;
		}
		switch (match_at(&sc, i, t, &m)) {
		case M_FOUND:
			emit(&sc, &m);
			i = m.end;
			break;
		case M_SKIP:
			i = m.end;
			break;
		default:
			i = skip_failed(&sc, i, t);
			break;
		}
	}
	return sc.count;
}

const char *
pii_kind_name(enum pii_kind k)
{
	switch (k) {
	case PII_EMAIL: return "email";
	case PII_PHONE: return "phone";
	case PII_SSN: return "ssn";
	case PII_CARD: return "card";
	case PII_IBAN: return "iban";
	case PII_IP: return "ip";
	case PII_ADDRESS: return "address";
	case PII_DOB: return "dob";
	}
	return "unknown";
}

/* Adapter from the PII callback to the generic auditor report. */
static int
relay_finding(void *ud, const struct pii_finding *f)
{
	const struct audit_relay *r = ud;
	struct audit_hit h = {
		.table = r->row->table, .row_id = r->row->id,
		.field = r->field, .kind = pii_kind_name(f->kind),
		.severity = f->severity, .synthetic = f->synthetic,
		.masked = f->masked, .reason = f->reason, .offset = f->offset,
		.len = f->len,
	};

	r->report(r->ud, &h);
	return 0;
}

static void
pii_scan_field(struct audit_relay *r, const char *text, size_t len)
{
	pii_scan(text, len, r->report != NULL ? relay_finding : NULL, r);
}

/* auditor_pii.scan_row: every text field in turn; never fails; a NULL
 * report only counts. */
static int
pii_scan_row(const void *cfg, const struct audit_row *row,
	     audit_emit_fn report, void *ud)
{
	audit_row_fields(row, cfg, report, ud, pii_scan_field);
	return 0;
}

const struct auditor auditor_pii = {
	.name = "pii",
	/* 2: IBANs, IPs, street addresses, dates of birth, E.164 phones,
	 * issuer ranges, IRS numbers in area 9xx. */
	.version = "2",
	.label = "PII",
	.defaults = { .enabled = 1, .quarantine = AUDIT_HIGH,
		      .gate_severity = AUDIT_HIGH, .gate_max = -1 },
	.scan_row = pii_scan_row,
};
