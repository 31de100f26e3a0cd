/* prefview.c - preference traits, views, stated preferences and the text
 * checks (see prefview.h). The marker words below are ours, chosen so
 * the offline grammar (templates/offline/preference.grammar) and the
 * offline judge read a view the same way; they carry no frequency. */
#include "generators/prefview.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "auditors/textscan.h"
#include "base/rng.h"

const struct pref_views pref_view_pairs[] = {
	{ "concise", "verbose", AXIS_LENGTH },
	{ "concise", "detailed", AXIS_LENGTH },
	{ "negative", "positive", AXIS_TONE },
	{ "cautious", "enthusiastic", AXIS_TONE },
	{ "novice", "expert", AXIS_EXPERTISE },
	{ "formal", "casual", AXIS_REGISTER },
	{ "persona_l", "persona_w", AXIS_PERSONA },
};
const size_t pref_nview_pairs = sizeof(pref_view_pairs) /
	sizeof(pref_view_pairs[0]);

const char *const pref_axis_names[AXIS_N] = {
	"length", "tone", "expertise", "register", "persona"
};

const char *const pref_view_names[] = {
	"concise", "verbose", "detailed", "positive", "negative",
	"enthusiastic", "cautious", "novice", "expert", "formal", "casual",
	"persona_w", "persona_l", NULL
};

int
pref_view_axis(const char *v, int *high)
{
	size_t i;

	for (i = 0; i < pref_nview_pairs; i++) {
		if (strcmp(v, pref_view_pairs[i].low) == 0 ||
		    strcmp(v, pref_view_pairs[i].high) == 0) {
			*high = strcmp(v, pref_view_pairs[i].high) == 0;
			return (int)pref_view_pairs[i].axis;
		}
	}
	return -1;
}

const char *const pref_trait_names[PREF_NTRAITS] = {
	"openness", "conscientiousness", "extraversion", "agreeableness",
	"neuroticism", "age", "occupation", "household"
};

const char *const pref_type_names[PREF_NTYPES] = {
	"advice", "opinion", "recommendation", "planning", "explanation"
};

void
pref_trait_of(uint64_t seed, int64_t persona, int idx, int *trait,
	      int *type)
{
	int perm[PREF_COMBOS], i, j, t;
	struct rng r;

	for (i = 0; i < PREF_COMBOS; i++)
		perm[i] = i;
	rng_seed(&r, rng_derive(seed, "pref-traits", (uint64_t)persona, 0));
	for (i = PREF_COMBOS - 1; i > 0; i--) {   /* Fisher-Yates */
		j = (int)rng_below(&r, (uint32_t)i + 1);
		t = perm[i];
		perm[i] = perm[j];
		perm[j] = t;
	}
	t = perm[idx % PREF_COMBOS];
	*trait = t / PREF_NTYPES;
	*type = t % PREF_NTYPES;
}

void
pref_trait_value(const struct persona *p, int t, char *out, size_t n)
{
	if (t < PERSONA_NTRAITS && t <= 4)
		snprintf(out, n, "%s %s", p->big5[t].band,
			 pref_trait_names[t]);
	else if (t == 5)
		snprintf(out, n, "%d years old", p->age);
	else if (t == 6)
		snprintf(out, n, "%s", p->occupation);
	else   /* a household value is a phrase ("with partner"), not an
		* adjective (the coherence rule household_phrase) */
		snprintf(out, n, "household: %s", p->household);
}

static int
band_level(const char *band)
{
	if (strcmp(band, "very low") == 0)
		return -2;
	if (strcmp(band, "low") == 0)
		return -1;
	if (strcmp(band, "high") == 0)
		return 1;
	if (strcmp(band, "very high") == 0)
		return 2;
	return 0;
}

static int
graduate(const char *edu)
{
	return strstr(edu, "master") || strstr(edu, "doctor") ||
	       strstr(edu, "professional");
}

static int
school_only(const char *edu)
{
	return strstr(edu, "high school") || strstr(edu, "less than") ||
	       strstr(edu, "grade");
}

/* The rule (ours, stated here, not fitted to anything): length follows
 * conscientiousness (high: thorough), else openness; tone follows
 * agreeableness (high: upbeat) against neuroticism (high: frank about
 * risks); expertise follows education; register follows age and
 * extraversion. */
void
pref_stated(const struct persona *p, int out[AXIS_N])
{
	int c = band_level(p->big5[PERSONA_CONSCIENTIOUSNESS].band);
	int o = band_level(p->big5[PERSONA_OPENNESS].band);
	int a = band_level(p->big5[PERSONA_AGREEABLENESS].band);
	int ne = band_level(p->big5[PERSONA_NEUROTICISM].band);
	int e = band_level(p->big5[PERSONA_EXTRAVERSION].band);

	out[AXIS_LENGTH] = c != 0 ? (c > 0 ? 1 : -1) : o > 0 ? 1 : o < 0 ?
		-1 : 0;
	out[AXIS_TONE] = a > 0 && ne <= 0 ? 1 : ne > 0 && a <= 0 ? -1 :
		a < 0 ? -1 : 0;
	out[AXIS_EXPERTISE] = graduate(p->education) ? 1 :
		school_only(p->education) ? -1 : 0;
	out[AXIS_REGISTER] = p->age >= 60 ? -1 : p->age < 35 || e > 0 ? 1 :
		e < 0 ? -1 : 0;
	out[AXIS_PERSONA] = 1;   /* an answer written for oneself */
}

const char *
pref_stated_text(enum pref_axis a, int s)
{
	static const char *const t[AXIS_N][3] = {
		[AXIS_LENGTH] = { "You like short, to-the-point answers.",
			"Answer length does not matter much to you.",
			"You like thorough answers that cover the details." },
		[AXIS_TONE] = { "You want answers that are frank about risks "
			"and downsides.", "You have no strong feeling about "
			"an answer's tone.", "You like warm, upbeat answers." },
		[AXIS_EXPERTISE] = { "You want plain words, without jargon.",
			"You do not mind whether an answer is plain or "
			"technical.", "You like precise, technical answers." },
		[AXIS_REGISTER] = { "You prefer a polite, formal register.",
			"You do not mind whether an answer is formal or "
			"casual.", "You like a relaxed, casual register." },
		[AXIS_PERSONA] = { "You like answers meant for someone "
			"else.", "You do not mind whom an answer was meant "
			"for.", "You want answers that fit your own life: "
			"where you live, your age, your work." },
	};

	return t[a][s < 0 ? 0 : s > 0 ? 2 : 1];
}

void
pref_user_desc(const struct persona *p, char *out, size_t n)
{
	static const char *const t[AXIS_N][3] = {
		[AXIS_LENGTH] = { "likes short, to-the-point answers",
			"does not mind how long an answer is",
			"likes thorough answers that cover the details" },
		[AXIS_TONE] = { "wants to hear about risks and downsides",
			"has no strong feeling about tone",
			"likes warm, upbeat answers" },
		[AXIS_EXPERTISE] = { "wants plain words without jargon",
			"is fine with plain or technical answers",
			"likes precise, technical answers" },
		[AXIS_REGISTER] = { "prefers a polite, formal register",
			"does not mind formal or casual",
			"likes a relaxed, casual register" },
		[AXIS_PERSONA] = { "likes answers meant for others",
			"does not mind whom an answer was meant for",
			"wants answers that fit their own life" },
	};
	int st[AXIS_N], i;
	size_t o;

	pref_stated(p, st);
	o = (size_t)snprintf(out, n, "The user is %s, %d, %s in %s. The user",
			     p->name, p->age, p->occupation, p->city);
	for (i = 0; i < AXIS_N && o < n; i++)
		o += (size_t)snprintf(out + o, n - o, "%s %s", i == 0 ? "" :
				      i == AXIS_N - 1 ? ", and" : ",",
				      t[i][st[i] + 1]);
	if (o < n)
		snprintf(out + o, n - o, ".");
}

/* Marker words per axis: [0] the low pole's, [1] the high pole's. */
static const char *const markers[AXIS_N][2][12] = {
	[AXIS_TONE] = {
		{ "risk", "risks", "careful", "downside", "downsides",
		  "problem", "problems", "costly", "warning", "avoid",
		  "unfortunately", NULL },
		{ "great", "enjoy", "glad", "rewarding", "fun", "exciting",
		  "worth", "wonderful", "delight", "love", "easy", NULL } },
	[AXIS_EXPERTISE] = {
		{ "simply", "basically", "start", "step", "easy", "beginner",
		  "plain", "little", NULL },
		{ "specifically", "evidence", "baseline", "trade-off",
		  "threshold", "protocol", "variables", "metric",
		  "systematically", "parameters", "calibrate", NULL } },
	[AXIS_REGISTER] = {
		{ "therefore", "however", "recommend", "consider",
		  "furthermore", "regarding", "advisable", "accordingly",
		  NULL },
		{ "just", "pretty", "stuff", "honestly", "kinda", "okay",
		  "totally", "hey", "yeah", NULL } },
};

/* The word scanner's byte tests, ASCII only as isalnum and tolower
 * are in the C locale the program runs in, without their per-byte
 * calls (judging reads every word of every answer several times).
 * next_word's byte classes: W_IN a byte a word holds (letters, digits,
 * '-', '\'', bytes >= 0x80), W_START one a word starts at (not '-' or
 * '\''); NUL is neither. */
#define W_IN 1
#define W_START 2
static const unsigned char word_class[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0, 0,
	0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0,
	0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
};

static int
is_marker(enum pref_axis a, int pole, const char *w, size_t n)
{
	const char *const *m;
	int c = ts_tolower((unsigned char)w[0]);

	/* The markers are lower-case: comparing the first letter first
	 * spares most strlen and strncasecmp calls (judging measures every
	 * word of every answer). */
	for (m = markers[a][pole]; *m != NULL; m++)
		if ((*m)[0] == c && strlen(*m) == n &&
		    strncasecmp(*m, w, n) == 0)
			return 1;
	return 0;
}

/* The next word of *p (letters, digits, '-', '\''), or 0 at the end. */
static size_t
next_word(const char **p, const char **w)
{
	const unsigned char *s = (const unsigned char *)*p;
	size_t n = 0;

	while (*s != '\0' && !(word_class[*s] & W_START))
		s++;
	*w = (const char *)s;
	while (word_class[s[n]] & W_IN)
		n++;
	*p = (const char *)s + n;
	return n;
}

/* The bit of a word's first byte c in a set of first letters: its
 * letter's, or bit 26 for any other byte. */
static uint32_t
letter_bit(unsigned char c)
{
	c = ts_tolower(c);
	return c >= 'a' && c <= 'z' ? 1u << (c - 'a') : 1u << 26;
}

/* The first letters of axis a's markers (both poles). */
static uint32_t
marker_letters(enum pref_axis a)
{
	const char *const *m;
	uint32_t set = 0;
	int pole;

	for (pole = 0; pole < 2; pole++)
		for (m = markers[a][pole]; *m != NULL; m++)
			set |= letter_bit((unsigned char)(*m)[0]);
	return set;
}

int
pref_measure(enum pref_axis a, const char *text)
{
	uint32_t first;
	const char *w;
	size_t n;
	int score = 0;

	if (a == AXIS_LENGTH)
		return pref_words(text);
	/* No marker is shorter than 3 letters or longer than 14, and only
	 * a word opening with a marker's first letter is looked up. */
	first = marker_letters(a);
	while ((n = next_word(&text, &w)) > 0)
		if (n >= 3 && n <= 14 &&
		    (first & letter_bit((unsigned char)w[0])))
			score += is_marker(a, 1, w, n) - is_marker(a, 0, w, n);
	return score;
}

/* Times pat occurs in text as a whole word (ASCII case ignored). */
static int
count_word(const char *text, const char *pat)
{
	size_t n = pat ? strlen(pat) : 0;
	const char *s;
	int c = 0;

	if (n == 0)
		return 0;
	/* The first byte compared first: strncasecmp at every byte of an
	 * answer is what costs. */
	for (s = text; *s != '\0'; s++)
		if (ts_tolower((unsigned char)*s) ==
		    ts_tolower((unsigned char)*pat) &&
		    strncasecmp(s, pat, n) == 0 && (s == text ||
		    !isalnum((unsigned char)s[-1])) &&
		    !isalnum((unsigned char)s[n]))
			c++;
	return c;
}

int
pref_fit(const char *text, const char *first, const char *city,
	 const char *job, int age)
{
	char a[16];

	snprintf(a, sizeof(a), "%d", age);
	return count_word(text, first) + count_word(text, city) +
	       count_word(text, job) + (age > 0 ? count_word(text, a) : 0);
}

int
pref_words(const char *text)
{
	const char *w;
	int n = 0;

	while (next_word(&text, &w) > 0)
		n++;
	return n;
}

int
pref_has_label(const char *text)
{
	const char *const *v, *p;
	size_t n;

	for (v = pref_view_names; *v != NULL; v++) {
		n = strlen(*v);
		if (strncasecmp(text, *v, n) == 0 && text[n] == ':')
			return 1;
	}
	/* "[view]" or "(view)" anywhere, ignoring case: the views are tried
	 * after each bracket only, not at every byte of the text. */
	for (p = text; (p = strpbrk(p, "[(")) != NULL; p++)
		for (v = pref_view_names; *v != NULL; v++) {
			n = strlen(*v);
			if (strncasecmp(p + 1, *v, n) == 0 &&
			    p[1 + n] == (*p == '[' ? ']' : ')'))
				return 1;
		}
	return 0;
}

#define RUN_WORDS 4096   /* words of a text the run check reads */

/* The hash of word w[n], lower-cased (FNV-1a). */
static uint64_t
word_hash(const char *w, size_t n)
{
	uint64_t x = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < n; i++)
		x = (x ^ (uint64_t)ts_tolower((unsigned char)w[i])) *
		    1099511628211ULL;
	return x;
}

/* Lower-cased word hashes of text into h[max]; returns how many. */
static int
word_hashes(const char *text, uint64_t *h, int max)
{
	const char *w;
	size_t n;
	int k = 0;

	while (k < max && (n = next_word(&text, &w)) > 0)
		h[k++] = word_hash(w, n);
	return k;
}

/* Whether the n words hb[0 .. n - 1] of b are a run of a (na words). */
static int
run_at(const uint64_t *ha, int na, const uint64_t *hb, int n)
{
	int i, k;

	for (i = 0; i + n <= na; i++) {
		for (k = 0; k < n && ha[i + k] == hb[k]; k++)
			;
		if (k == n)
			return 1;
	}
	return 0;
}

#define RUN_TEXT 8192    /* bytes of a text whose hashes are kept */
#define RUN_KEPT 2       /* texts kept per thread: a pair's answers */

/* The word hashes of a text, kept for the next calls on the thread:
 * the run check reads a pair's two answers again and again (each quote
 * the judge tries, its rationale, each sample read back), and comparing
 * a text with a kept one costs a small part of hashing it. */
struct run_text {
	char text[RUN_TEXT];
	size_t len;          /* SIZE_MAX: not kept (too long) */
	uint64_t h[RUN_WORDS];
	int n;
};

/* The word hashes of b (its first RUN_WORDS words), from the kept
 * texts or made now in place of the older one. Zeroed, a slot keeps ""
 * (no words), which is right. */
static const struct run_text *
run_hashes(const char *b)
{
	static _Thread_local struct run_text kept[RUN_KEPT];
	static _Thread_local int older;
	size_t len = strlen(b);
	struct run_text *t;
	int i;

	for (i = 0; i < RUN_KEPT; i++)
		if (kept[i].len == len && memcmp(kept[i].text, b, len) == 0) {
			older = !i;     /* RUN_KEPT is 2: the other one */
			return &kept[i];
		}
	t = &kept[older];
	older = !older;
	t->n = word_hashes(b, t->h, RUN_WORDS);
	t->len = len < RUN_TEXT ? len : SIZE_MAX;
	if (len < RUN_TEXT)
		memcpy(t->text, b, len);
	return t;
}

int
pref_shares_run(const char *a, const char *b, int n)
{
	static _Thread_local uint64_t ha[RUN_WORDS];
	int na = word_hashes(a, ha, RUN_WORDS), j;
	uint64_t first = 0;   /* bit h % 64 of each word opening a run of a */
	const struct run_text *t;

	if (n <= 0)
		return n == 0;
	for (j = 0; j + n <= na; j++)
		first |= 1ull << (ha[j] & 63);
	if (first == 0)       /* a has fewer than n words */
		return 0;
	/* Only a run of b whose first word may open one of a is
	 * compared. */
	t = run_hashes(b);
	for (j = 0; j + n <= t->n; j++)
		if ((first >> (t->h[j] & 63) & 1) && run_at(ha, na, t->h + j, n))
			return 1;
	return 0;
}

/* 1 if the word before w (in r) is one that names an option. */
static int
after_option_word(const char *r, const char *w)
{
	static const char *const opt[] = { "answer", "response", "option",
		"choice", "prefer", "pick", "choose", "reply", NULL };
	const char *p = r, *v, *prev = NULL, *const *k;
	size_t n, pn = 0;

	while ((n = next_word(&p, &v)) > 0 && v < w) {
		prev = v;
		pn = n;
	}
	for (k = opt; prev != NULL && *k != NULL; k++)
		if (strlen(*k) == pn && strncasecmp(*k, prev, pn) == 0)
			return 1;
	return 0;
}

int
pref_names_position(const char *r)
{
	static const char *const words[] = { "first", "second", NULL };
	const char *w, *p = r, *s = r, *const *k;
	int quoted = 0;
	size_t n;

	while ((n = next_word(&p, &w)) > 0) {
		for (; s < w; s++)    /* the quotes before w, counted on */
			quoted ^= *s == '"';
		if (quoted)       /* quoted text is the answer's own words */
			continue;
		if (n == 1 && *w == 'B')
			return 1;
		/* "A" the article ("A short answer") is followed by a
		 * lower-case word; the option is not, or follows "answer". */
		if (n == 1 && *w == 'A' && (after_option_word(r, w) ||
		    !(w[1] == ' ' && islower((unsigned char)w[2]))))
			return 1;
		for (k = words; *k != NULL; k++)
			if (strlen(*k) == n && strncasecmp(*k, w, n) == 0)
				return 1;
	}
	return 0;
}

double
pref_bpde(int x, int y, int tie)
{
	int c[3] = { x, y, tie }, i, n = x + y + tie;
	double h = 0, p;

	for (i = 0; i < 3; i++) {
		if (c[i] == 0 || n == 0)
			continue;
		p = (double)c[i] / n;
		h -= p * log(p);
	}
	return h;
}
