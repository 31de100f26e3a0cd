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

#include "auditors/pii.h"

#define CUE_WINDOW 32         /* bytes before a bare number searched for cues */
#define MAX_GROUPS 8          /* digit groups read per number candidate */
#define EMAIL_LOCAL_MAX 64
#define EMAIL_DOMAIN_MAX 253
#define EMAIL_LABEL_MAX 63

enum { T_NONE, T_DIGIT, T_AT, T_PAREN, T_PLUS };

static const unsigned char trigger[256] = {
	['0'] = T_DIGIT, ['1'] = T_DIGIT, ['2'] = T_DIGIT, ['3'] = T_DIGIT,
	['4'] = T_DIGIT, ['5'] = T_DIGIT, ['6'] = T_DIGIT, ['7'] = T_DIGIT,
	['8'] = T_DIGIT, ['9'] = T_DIGIT,
	['@'] = T_AT, ['('] = T_PAREN, ['+'] = T_PLUS,
};

/* Published test card numbers (Visa, Mastercard, Amex, Discover, JCB,
 * Diners, UnionPay sandboxes). All are Luhn-valid; the tests check it. */
static const char *const test_cards[] = {
	"4111111111111111", "4242424242424242", "4012888888881881",
	"4000056655665556", "4222222222222", "4005519200000004",
	"4009348888881881", "4012000033330026", "4012000077777777",
	"4217651111111119", "4500600000000061", "4000000000000002",
	"4000000000000077", "4000000000003220", "4000000000009995",
	"5555555555554444", "5105105105105100", "5200828282828210",
	"5431111111111111", "2223003122003222", "2223000048400011",
	"378282246310005", "371449635398431", "378734493671000",
	"340000000000009", "6011111111111117", "6011000990139424",
	"6011601160116611", "6011000000000004", "3530111333300000",
	"3566002020360505", "3566111111111113", "30569309025904",
	"38520000023237", "36227206271667", "6200000000000005",
};

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

/* A matched number or email, before classification. */
struct match {
	enum pii_kind kind;
	size_t off, end;       /* byte span */
	char digits[20];       /* numbers: the digits, NUL-terminated */
	size_t at;             /* emails: offset of the '@' */
};

static int
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int
is_alpha(unsigned char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static int
is_alnum(unsigned char c)
{
	return is_digit(c) || is_alpha(c);
}

static unsigned char
lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c | 0x20 : c;
}

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

/* Does one of `cues` (lower-case words) start a word in the CUE_WINDOW
 * bytes before `start`? */
static int
cue_near(const char *s, size_t start, const char *const *cues)
{
	size_t lo = start > CUE_WINDOW ? start - CUE_WINDOW : 0, p, k, j, len;

	for (p = lo; p < start; p++) {
		if (p > 0 && is_alpha((unsigned char)s[p - 1]))
			continue;
		for (k = 0; cues[k] != NULL; k++) {
			len = strlen(cues[k]);
			if (p + len > start)
				continue;
			j = 0;
			while (j < len && lower((unsigned char)s[p + j]) ==
			       (unsigned char)cues[k][j])
				j++;
			if (j == len)
				return 1;
		}
	}
	return 0;
}

static const char *const phone_cues[] = {
	"phone", "tel", "call", "mobile", "cell", "fax", "text", "sms",
	"contact", "whatsapp", NULL
};
static const char *const ssn_cues[] = {
	"ssn", "ss#", "social security", NULL
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

int
pii_luhn_valid(const char *d)
{
	size_t len = strlen(d), i;
	unsigned sum = 0;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++) {
		unsigned v = (unsigned char)d[len - 1 - i] - '0';

		if (v > 9)
			return 0;
		if (i % 2 == 1)
			v = v * 2 > 9 ? v * 2 - 9 : v * 2;
		sum += v;
	}
	return sum % 10 == 0;
}

int
pii_card_is_test(const char *digits)
{
	size_t i;

	for (i = 0; i < sizeof(test_cards) / sizeof(test_cards[0]); i++)
		if (strcmp(digits, test_cards[i]) == 0)
			return 1;
	return 0;
}

/* Card shape: 13-19 digits, bare or grouped (first group 4, others 3-6,
 * one ' ' or '-' throughout), first digit 2-6, Luhn-valid. */
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
	if (nd < 13 || nd > 19 || m->digits[0] < '2' || m->digits[0] > '6')
		return 0;
	return pii_luhn_valid(m->digits);
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

/* "+1" then an optional ' ', '-' or '.', then a parenthesized or grouped
 * phone, or 10 bare digits (E.164). */
static int
match_plus(const struct scan *sc, size_t i, struct match *m)
{
	const char *s = sc->s;
	size_t n = sc->n, j = i + 2;

	if (j >= n || s[i + 1] != '1')
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
	if (e - at - 1 > EMAIL_DOMAIN_MAX || !domain_ok(s, at + 1, e))
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

static void
classify_ssn(const struct match *m, struct pii_finding *f)
{
	const char *d = m->digits;

	verdict(f, memcmp(d, "000", 3) == 0 || memcmp(d, "666", 3) == 0 ||
		   d[0] == '9' || memcmp(d + 3, "00", 2) == 0 ||
		   memcmp(d + 5, "0000", 4) == 0,
		AUDIT_HIGH, "SSN in a never-issued range",
		"SSN in an issuable range", "###-##-####", d);
}

static void
classify_card(const struct match *m, struct pii_finding *f)
{
	static const char layout[] = "###################";  /* 19 */
	size_t nd = strlen(m->digits);

	verdict(f, pii_card_is_test(m->digits), AUDIT_HIGH,
		"well-known test card number",
		"Luhn-valid card number not in the test list",
		layout + (sizeof(layout) - 1 - nd), m->digits);
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
	switch (m->kind) {
	case PII_EMAIL: classify_email(sc, m, &f); break;
	case PII_PHONE: classify_phone(m, &f); break;
	case PII_SSN: classify_ssn(m, &f); break;
	case PII_CARD: classify_card(m, &f); break;
	}
	sc->last_end = m->end;
	sc->count++;
	if (sc->fn != NULL && sc->fn(sc->ud, &f) != 0)
		sc->stop = 1;
}

/* Try a match anchored at i (a trigger byte of type t). */
static int
match_at(const struct scan *sc, size_t i, int t, struct match *m)
{
	m->off = i;
	if (t == T_AT)
		return match_email(sc, i, m);
	if (!left_ok(sc->s, i) || (i > 0 && sc->s[i - 1] == '+'))
		return 0;
	if (t == T_DIGIT)
		return match_groups(sc, i, 0, m);
	return t == T_PAREN ? match_paren(sc, i, m) : match_plus(sc, i, m);
}

/* Where to resume after a failed candidate at i: past a whole digit run
 * (its inner digits cannot start a number), else the next byte. */
static size_t
skip_failed(const struct scan *sc, size_t i, int t)
{
	if (t != T_DIGIT)
		return i + 1;
	while (i < sc->n && is_digit((unsigned char)sc->s[i]))
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
		if (match_at(&sc, i, t, &m)) {
			emit(&sc, &m);
			i = m.end;
		} else {
			i = skip_failed(&sc, i, t);
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
	}
	return "unknown";
}

/* Adapter from the PII callback to the generic auditor report: the row
 * and field being scanned, and where findings go. */
struct relay {
	const struct audit_row *row;
	const char *field;
	audit_emit_fn report;
	void *ud;
};

static int
relay_finding(void *ud, const struct pii_finding *f)
{
	const struct relay *r = ud;
	struct audit_hit h = {
		.table = r->row->table, .row_id = r->row->id,
		.field = r->field, .kind = pii_kind_name(f->kind),
		.severity = f->severity, .synthetic = f->synthetic,
		.masked = f->masked, .reason = f->reason, .offset = f->offset,
	};

	r->report(r->ud, &h);
	return 0;
}

/* auditor_pii.scan_row: every text field in turn; never fails; a NULL
 * report only counts. */
static int
pii_scan_row(const void *cfg, const struct audit_row *row,
	     audit_emit_fn report, void *ud)
{
	struct relay r = { row, NULL, report, ud };
	size_t i;

	(void)cfg;
	for (i = 0; i < row->nfields; i++) {
		if (row->texts[i] == NULL)
			continue;
		r.field = row->names[i];
		pii_scan(row->texts[i], strlen(row->texts[i]),
			 report != NULL ? relay_finding : NULL, &r);
	}
	return 0;
}

const struct auditor auditor_pii = {
	.name = "pii",
	.version = "1",
	.label = "PII",
	.defaults = { .enabled = 1, .quarantine = AUDIT_HIGH,
		      .gate_severity = AUDIT_HIGH, .gate_max = -1 },
	.scan_row = pii_scan_row,
};
