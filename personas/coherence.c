/* coherence.c - the coherence rule table (see coherence.h). */
#include "personas/coherence.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Youngest ages at which a status or a degree is plausible, and the
 * youngest parent of an adult (18) child. */
#define RETIRE_MIN_AGE 40
#define DOCTORATE_MIN_AGE 24
#define ADULT_CHILD_PARENT_MIN_AGE 35

static int
eq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

#define NEEDLE_MAX 256   /* bytes of a phrase searched in the lower-cased text */

/* c lower-cased as tolower() does in the C locale the program runs in
 * (ASCII only), without its call. */
static inline char
fold(char c)
{
	unsigned char u = (unsigned char)c;

	return (char)((unsigned)(u - 'A') < 26u ? u + ('a' - 'A') : u);
}

/* needle lower-cased into low[NEEDLE_MAX]: 0, or -1 when it does not
 * fit (the caller then folds case while searching). */
static int
lower_needle(const char *needle, char *low)
{
	size_t i;

	for (i = 0; needle[i] != '\0'; i++) {
		if (i == NEEDLE_MAX - 1)
			return -1;
		low[i] = fold(needle[i]);
	}
	low[i] = '\0';
	return 0;
}

/* Whether in's text holds needle, ignoring ASCII case. With in->lower
 * the needle is lower-cased and found by strstr, which is much faster
 * than strcasestr; a needle too long for the buffer falls back. */
static int
has(const struct coherence_input *in, const char *needle)
{
	char low[NEEDLE_MAX];

	if (in->text == NULL || needle == NULL || needle[0] == '\0')
		return 0;
	if (in->lower == NULL || lower_needle(needle, low) != 0)
		return strcasestr(in->text, needle) != NULL;
	return strstr(in->lower, low) != NULL;
}

int
coherence_has_job(const struct persona *p)
{
	return eq(p->employment_status, "employed");
}

static const struct { const char *word, *sex; int spouse; } relations[] = {
	{ "sister", "female", 0 }, { "brother", "male", 0 },
	{ "wife", "female", 1 }, { "husband", "male", 1 },
	{ "mother", "female", 0 }, { "father", "male", 0 },
	{ "daughter", "female", 0 }, { "son", "male", 0 },
	{ "aunt", "female", 0 }, { "uncle", "male", 0 },
	{ "niece", "female", 0 }, { "nephew", "male", 0 },
	{ "grandmother", "female", 0 }, { "grandfather", "male", 0 },
	{ "cousin", NULL, 0 }, { "spouse", NULL, 1 },
};

const char *
coherence_relation_sex(const char *relation)
{
	size_t i;

	for (i = 0; relation != NULL && i < N(relations); i++)
		if (strcmp(relations[i].word, relation) == 0)
			return relations[i].sex;
	return NULL;
}

static const struct { const char *value, *phrase; } households[] = {
	{ "lives alone", "living alone" },
	{ "shared housing", "sharing a house with housemates" },
	{ "single parent", "raising children as a single parent" },
	{ "with adult children", "living with grown children" },
	{ "with parents", "living with parents" },
	{ "with partner", "living with a partner" },
	{ "with partner and children", "living with a partner and children" },
};

const char *
coherence_household_phrase(const char *household)
{
	size_t i;

	for (i = 0; i < N(households); i++)
		if (eq(households[i].value, household))
			return households[i].phrase;
	return household;
}

/* Phrases that say the speaker holds a job. */
static const char *const job_phrases[] = { "I work as", "work as a",
	"my employer", "outside work", "weekdays are work", "my job as" };

static int
no_job_employer(const struct coherence_input *in, char *why, size_t n)
{
	int i;

	if (coherence_has_job(in->p))
		return 0;
	for (i = 0; i < in->nfacts; i++)
		if (eq(in->facts[i].key, "employer"))
			return snprintf(why, n, "%s persona has employer "
					"'%s'", in->p->employment_status,
					in->facts[i].value), 1;
	return 0;
}

static int
no_job_work_text(const struct coherence_input *in, char *why, size_t n)
{
	size_t i;
	int k;

	if (coherence_has_job(in->p))
		return 0;
	for (k = 0; k < in->nfacts; k++)
		if (eq(in->facts[k].key, "occupation"))
			return snprintf(why, n, "%s persona has an occupation "
					"fact", in->p->employment_status), 1;
	for (i = 0; i < N(job_phrases); i++)
		if (has(in, job_phrases[i]))
			return snprintf(why, n, "%s persona says '%s'",
					in->p->employment_status,
					job_phrases[i]), 1;
	return 0;
}

/* "a Retired", "become a Unemployed, looking for work": a status used as
 * if it were a job title. */
static int
status_as_job(const struct coherence_input *in, char *why, size_t n)
{
	static const char *const statuses[] = { "retired", "unemployed",
		"unable to work" };
	static const char *const articles[] = { "a %s", "an %s" };
	char needle[160];
	size_t i, j;

	for (i = 0; i < N(statuses); i++) {
		if (!eq(in->p->employment_status, statuses[i]))
			continue;
		for (j = 0; j < N(articles); j++) {
			snprintf(needle, sizeof(needle), articles[j],
				 in->p->occupation);
			if (has(in, needle))
				return snprintf(why, n, "text says '%s'",
						needle), 1;
		}
	}
	return 0;
}

/* 1 with why set when attribute value `have` is `want` at an age below
 * `min`. */
static int
too_young(const char *have, const char *want, int age, int min, char *why,
	  size_t n)
{
	if (!eq(have, want) || age >= min)
		return 0;
	return snprintf(why, n, "%s at %d", want, age), 1;
}

static int
retiree_age(const struct coherence_input *in, char *why, size_t n)
{
	return too_young(in->p->employment_status, "retired", in->p->age,
			 RETIRE_MIN_AGE, why, n);
}

static int
doctorate_age(const struct coherence_input *in, char *why, size_t n)
{
	return too_young(in->p->education, "doctorate", in->p->age,
			 DOCTORATE_MIN_AGE, why, n);
}

/* A relative fact whose relation word names the other sex, in the fact
 * itself or in the text ("my brother is called Keiko"). */
static int
relative_sex(const struct coherence_input *in, char *why, size_t n)
{
	const struct coherence_fact *f;
	const char *s;
	char needle[160];
	size_t j;
	int i, called;

	/* Every needle below holds " is called ": one search for it spares
	 * the eight per relative in the usual text that names no one so. */
	called = has(in, " is called ");
	for (i = 0; i < in->nfacts; i++) {
		f = &in->facts[i];
		if (f->sex == NULL)
			continue;
		s = coherence_relation_sex(f->relation);
		if (s != NULL && !eq(s, f->sex))
			return snprintf(why, n, "%s '%s' is %s", f->relation,
					f->value, f->sex), 1;
		for (j = 0; called && j < N(relations); j++) {
			if (relations[j].sex == NULL ||
			    eq(relations[j].sex, f->sex))
				continue;
			snprintf(needle, sizeof(needle), "my %s is called %s",
				 relations[j].word, f->value);
			if (has(in, needle))
				return snprintf(why, n, "text says '%s' of a "
						"%s relative", needle,
						f->sex), 1;
		}
	}
	return 0;
}

static int
widowed_spouse(const struct coherence_input *in, char *why, size_t n)
{
	char needle[64];
	size_t j;
	int i;

	if (!eq(in->p->marital_status, "widowed"))
		return 0;
	for (i = 0; i < in->nfacts; i++)
		for (j = 0; j < N(relations); j++)
			if (relations[j].spouse &&
			    eq(in->facts[i].relation, relations[j].word))
				return snprintf(why, n, "widowed persona has "
						"a current %s",
						relations[j].word), 1;
	for (j = 0; j < N(relations); j++) {
		if (!relations[j].spouse)
			continue;
		snprintf(needle, sizeof(needle), "my %s", relations[j].word);
		if (has(in, needle))
			return snprintf(why, n, "widowed persona says '%s'",
					needle), 1;
	}
	return 0;
}

static int
household_marital(const struct coherence_input *in, char *why, size_t n)
{
	const char *h = in->p->household;

	if (eq(in->p->marital_status, "married") && h != NULL &&
	    strncmp(h, "with partner", 12) != 0)
		return snprintf(why, n, "married persona's household is "
				"'%s'", h), 1;
	return 0;
}

static int
household_children_age(const struct coherence_input *in, char *why,
		       size_t n)
{
	return too_young(in->p->household, "with adult children", in->p->age,
			 ADULT_CHILD_PARENT_MIN_AGE, why, n);
}

/* "I am <status>" in a text, for an employment or marital status other
 * than the persona's own: the answer contradicts the attributes. */
static const struct { const char *phrase, *value; int marital; }
stated[] = {
	{ "I am retired", "retired", 0 },
	{ "I am unemployed", "unemployed", 0 },
	{ "I am a homemaker", "homemaker", 0 },
	{ "I am a student", "student", 0 },
	{ "I am unable to work", "unable to work", 0 },
	{ "I am never married", "never married", 1 },
	{ "I am married", "married", 1 },
	{ "I am divorced", "divorced", 1 },
	{ "I am separated", "separated", 1 },
	{ "I am widowed", "widowed", 1 },
};

static int
stated_status(const struct coherence_input *in, char *why, size_t n)
{
	const char *own;
	size_t i;

	/* every phrase starts so: one search spares ten in most texts */
	if (!has(in, "I am "))
		return 0;
	for (i = 0; i < N(stated); i++) {
		own = stated[i].marital ? in->p->marital_status :
		      in->p->employment_status;
		if (!eq(own, stated[i].value) && has(in, stated[i].phrase))
			return snprintf(why, n, "text says '%s' of a persona "
					"who is %s", stated[i].phrase,
					own ? own : "?"), 1;
	}
	return 0;
}

/* "the with partner and children household": a household value is a
 * phrase, not an adjective. */
static int
household_phrase(const struct coherence_input *in, char *why, size_t n)
{
	char needle[160];

	if (in->p->household == NULL)
		return 0;
	snprintf(needle, sizeof(needle), "%s household", in->p->household);
	if (has(in, needle))
		return snprintf(why, n, "text says '%s'", needle), 1;
	return 0;
}

int
coherence_can_vote(const struct persona *p)
{
	return p->citizenship == NULL ||
	       strncmp(p->citizenship, "Not a ", 6) != 0;
}

static const char *const resting_health[] = {
	"living with a physical disability", "living with chronic back pain",
	"managing heart disease", "recovering from recent surgery"
};

int
coherence_can_exercise(const struct persona *p)
{
	size_t i;

	for (i = 0; p->health_status != NULL && i < N(resting_health); i++)
		if (strcmp(p->health_status, resting_health[i]) == 0)
			return 0;
	return 1;
}

/* Phrases that say the speaker votes. */
static const char *const vote_phrases[] = { "I vote", "I voted",
	"my vote", "I always vote", "I cast my ballot" };

/* The kinds of town a text may say a persona grew up in, each followed
 * by " in " and a place ("a farm town in Cook County"). */
static const char *const town_kinds[] = { "small town", "farm town",
	"rail town", "lake town", "mill town", "river town", "army town",
	"crossroads town", "county seat" };

/* A town in the persona's own county fits only a rural persona: an urban
 * persona's county is a city's (a farm town in Philadelphia County), and
 * the District of Columbia has no towns at all. */
static int
county_town(const struct coherence_input *in, char *why, size_t n)
{
	const char *county = in->p->county;
	int dc = in->p->state != NULL &&
		 strcmp(in->p->state, "District of Columbia") == 0;
	char phrase[NEEDLE_MAX];
	size_t i;

	/* most texts do not name the county: one search rules them out */
	if (county == NULL || county[0] == '\0' ||
	    (!dc && (in->p->urban_rural == NULL ||
		     strcmp(in->p->urban_rural, "urban") != 0)) ||
	    !has(in, county))
		return 0;
	for (i = 0; i < N(town_kinds); i++) {
		snprintf(phrase, sizeof(phrase), "%s in %s", town_kinds[i],
			 county);
		if (has(in, phrase))
			return snprintf(why, n, "%s persona in %s says '%s'",
					dc ? "a District of Columbia" :
					"an urban", county, phrase), 1;
	}
	return 0;
}

static int
noncitizen_votes(const struct coherence_input *in, char *why, size_t n)
{
	size_t i;

	if (coherence_can_vote(in->p))
		return 0;
	for (i = 0; i < N(vote_phrases); i++)
		if (has(in, vote_phrases[i]))
			return snprintf(why, n, "%s persona says '%s'",
					in->p->citizenship, vote_phrases[i]), 1;
	return 0;
}

/* How a text states a party identification, and the party_id value it
 * implies. */
static const struct { const char *phrase, *party; } party_phrases[] = {
	{ "as a Democrat", "Democrat" }, { "I am a Democrat", "Democrat" },
	{ "I'm a Democrat", "Democrat" }, { "lifelong Democrat", "Democrat" },
	{ "as a Republican", "Republican" },
	{ "I am a Republican", "Republican" },
	{ "I'm a Republican", "Republican" },
	{ "lifelong Republican", "Republican" },
	{ "as an independent", "Independent" },
	{ "I am an independent", "Independent" },
	{ "I'm an independent", "Independent" },
};

/* Whether in's text names `party` at all (every phrase of it does):
 * named[k] keeps the answer for party k of party_names (-1: not looked
 * for yet). */
static int
names_party(const struct coherence_input *in, const char *party,
	    int *named)
{
	static const char *const party_names[] = { "Democrat", "Republican",
		"Independent" };
	size_t k;

	for (k = 0; k < N(party_names); k++)
		if (strcmp(party_names[k], party) == 0)
			break;
	if (k == N(party_names))
		return 1;
	if (named[k] < 0)
		named[k] = has(in, party);
	return named[k];
}

static int
party_text(const struct coherence_input *in, char *why, size_t n)
{
	int named[3] = { -1, -1, -1 };
	size_t i;

	for (i = 0; i < N(party_phrases); i++)
		if (!eq(in->p->party_id, party_phrases[i].party) &&
		    names_party(in, party_phrases[i].party, named) &&
		    has(in, party_phrases[i].phrase))
			return snprintf(why, n, "text says '%s' of a persona "
					"whose party is %s",
					party_phrases[i].phrase,
					in->p->party_id ? in->p->party_id :
					"?"), 1;
	return 0;
}

/* ---- claims an answer makes that a later answer must not contradict ----
 * The phrasings the offline interview grammar uses for them
 * (templates/offline/interview.grammar); a model's answer that states
 * the same facts in other words is not read. */

#define CLAIM_MAX COHERENCE_CLAIMS
#define CLAIM_VALUE COHERENCE_CLAIM_VALUE

enum claim_kind { C_HOMETOWN, C_BORN, C_EMPLOYER, C_JOB_YEAR, C_MOVED,
	C_MOVED_YEAR, C_JOB, C_NAME_SEX };

static const char *const claim_names[] = {
	[C_HOMETOWN] = "grew up in", [C_BORN] = "was born in",
	[C_EMPLOYER] = "has worked at", [C_JOB_YEAR] = "has worked there "
	"since", [C_MOVED] = "moved to", [C_MOVED_YEAR] = "moved in",
	[C_JOB] = "works as", [C_NAME_SEX] = "calls a relative",
};

/* Copy the value at s up to a sentence or clause end (or `stop`) into
 * out. Returns the length. */
static size_t
value_at(const char *s, const char *stop, char *out)
{
	size_t n = 0;
	const char *e = stop != NULL ? strstr(s, stop) : NULL;

	while (s[n] != '\0' && strchr(".,;:!?\n", s[n]) == NULL &&
	       (e == NULL || s + n < e) && n < CLAIM_VALUE - 1)
		n++;
	memcpy(out, s, n);
	out[n] = '\0';
	return n;
}

static int
add_claim(struct coherence_claim *c, int *n, enum claim_kind k,
	  const char *key, const char *value)
{
	if (*n >= CLAIM_MAX || value[0] == '\0')
		return 0;
	c[*n].kind = k;
	snprintf(c[*n].key, sizeof(c[*n].key), "%s", key);
	snprintf(c[*n].value, sizeof(c[*n].value), "%s", value);
	(*n)++;
	return 1;
}

/* A text whose claims are read: the text and, when there is one, its
 * lower-cased copy (the same length: case is folded byte by byte). */
struct claim_text {
	const char *text, *lower;
};

/* The first place at or after s (in t->text) holding needle, ignoring
 * ASCII case, or NULL: one plain strstr in the lower-cased copy (as in
 * has()), or strcasestr without one. */
static const char *
find_ci(const struct claim_text *t, const char *s, const char *needle)
{
	char low[NEEDLE_MAX];
	const char *f;

	if (t->lower == NULL || lower_needle(needle, low) != 0)
		return strcasestr(s, needle);
	f = strstr(t->lower + (s - t->text), low);
	return f != NULL ? t->text + (f - t->lower) : NULL;
}

/* Every "PREFIX value" of text as a claim of kind k. */
static void
phrase_claims(const struct claim_text *t, const char *prefix,
	      const char *stop, enum claim_kind k, struct coherence_claim *c,
	      int *n)
{
	const char *s = t->text;
	char v[CLAIM_VALUE];

	while ((s = find_ci(t, s, prefix)) != NULL) {
		s += strlen(prefix);
		value_at(s, stop, v);
		add_claim(c, n, k, "", v);
	}
}

/* "I was born in 1974" or "I was born on March 3, 1974": the year. */
static void
born_claims(const struct claim_text *t, struct coherence_claim *c, int *n)
{
	const char *s = t->text, *y;
	char v[8];

	while ((s = find_ci(t, s, "I was born ")) != NULL) {
		s += 11;
		for (y = s; *y != '\0' && *y != '.' && y - s < 24; y++)
			if (strspn(y, "0123456789") == 4) {
				snprintf(v, sizeof(v), "%.4s", y);
				add_claim(c, n, C_BORN, "", v);
				break;
			}
	}
}

/* "my sister Nora": the sex the relation word gives the name. */
static void
relative_claims(const struct claim_text *t, struct coherence_claim *c,
		int *n)
{
	static const char lower[] = "abcdefghijklmnopqrstuvwxyz";
	char word[24], name[CLAIM_VALUE];
	const char *s = t->text, *sex, *nm;
	size_t k;

	while ((s = find_ci(t, s, "my ")) != NULL) {
		s += 3;
		k = strspn(s, lower);
		if (k == 0 || k >= sizeof(word) || s[k] != ' ')
			continue;
		snprintf(word, sizeof(word), "%.*s", (int)k, s);
		nm = s + k + 1;
		if ((sex = coherence_relation_sex(word)) == NULL ||
		    *nm < 'A' || *nm > 'Z')
			continue;
		k = 1 + strspn(nm + 1, lower);
		snprintf(name, sizeof(name), "%.*s", (int)k, nm);
		add_claim(c, n, C_NAME_SEX, name, sex);
	}
}

/* The year after PREFIX ("since 2012" of "I have worked at X since
 * 2012", "in 2003" of "I moved to X in 2003"), as a claim of kind k. */
static void
year_claims(const struct claim_text *t, const char *prefix,
	    enum claim_kind k, struct coherence_claim *c, int *n)
{
	const char *s = t->text, *y;
	char v[8];

	while ((s = find_ci(t, s, prefix)) != NULL) {
		s += strlen(prefix);
		for (y = s; *y != '\0' && *y != '.' && y - s < 80; y++)
			if (y[0] == ' ' && strspn(y + 1, "0123456789") == 4) {
				snprintf(v, sizeof(v), "%.4s", y + 1);
				add_claim(c, n, k, "", v);
				break;
			}
	}
}

/* Every claim of text (lower: its lower-cased copy, or NULL) into c (at
 * most CLAIM_MAX); returns how many. */
static int
read_claims(const char *text, const char *lower, struct coherence_claim *c)
{
	const struct claim_text t = { text, lower };
	int n = 0;

	if (text == NULL)
		return 0;
	phrase_claims(&t, "I grew up in ", " where ", C_HOMETOWN, c, &n);
	phrase_claims(&t, "I have worked at ", " since ", C_EMPLOYER, c, &n);
	phrase_claims(&t, "I work as ", NULL, C_JOB, c, &n);
	phrase_claims(&t, "I moved to ", " in ", C_MOVED, c, &n);
	year_claims(&t, "I have worked at ", C_JOB_YEAR, c, &n);
	year_claims(&t, "I moved to ", C_MOVED_YEAR, c, &n);
	born_claims(&t, c, &n);
	relative_claims(&t, c, &n);
	return n;
}

/* A text lower-cased: in `small` when it fits, else in `big`. */
struct lowered {
	char *big;
	char small[4096];
};

static const char *lower_of(struct lowered *l, const char *text);
static void lowered_free(struct lowered *l);

void
coherence_claims_read(const char *text, struct coherence_claims *out)
{
	struct lowered l;

	out->n = read_claims(text, lower_of(&l, text), out->c);
	lowered_free(&l);
}

/* 1 with why set when claim a (of the new text) contradicts b (of an
 * earlier answer). */
static int
contradicts(const struct coherence_claim *a,
	    const struct coherence_claim *b, char *why, size_t n)
{
	if (a->kind != b->kind)
		return 0;
	if (a->kind == C_NAME_SEX) {
		if (strcmp(a->key, b->key) != 0 ||
		    strcmp(a->value, b->value) == 0)
			return 0;
		return snprintf(why, n, "'%s' is %s here but %s in an "
				"earlier answer", a->key, a->value, b->value),
		       1;
	}
	if (strcasecmp(a->value, b->value) == 0)
		return 0;
	return snprintf(why, n, "%s '%s' here but '%s' in an earlier "
			"answer", claim_names[a->kind], a->value, b->value),
	       1;
}

static int
earlier_answer(const struct coherence_input *in, char *why, size_t n)
{
	struct coherence_claims now, then;
	const struct coherence_claims *c;
	int i, j, e;

	if (in->nearlier == 0 ||
	    (now.n = read_claims(in->text, in->lower, now.c)) == 0)
		return 0;
	for (e = 0; e < in->nearlier; e++) {
		c = in->earlier_claims != NULL ? in->earlier_claims[e] : NULL;
		if (c == NULL) {
			coherence_claims_read(in->earlier[e], &then);
			c = &then;
		}
		for (i = 0; i < now.n; i++)
			for (j = 0; j < c->n; j++)
				if (contradicts(&now.c[i], &c->c[j], why, n))
					return 1;
	}
	return 0;
}

const struct coherence_rule coherence_rules[] = {
	{ .id = "no_job_employer", .check = no_job_employer,
	  .reason = "a retired, unemployed, homemaker, student or disabled "
	  "persona has no employer" },
	{ .id = "no_job_work_text", .check = no_job_work_text,
	  .reason = "a persona without a job neither states an occupation "
	  "fact nor says 'I work as'" },
	{ .id = "status_as_job", .check = status_as_job,
	  .reason = "an employment status such as 'Retired' is not a job "
	  "title ('I work as a Retired')" },
	{ .id = "retiree_age", .check = retiree_age,
	  .reason = "nobody retires before 40 in the employment table's "
	  "population" },
	{ .id = "doctorate_age", .check = doctorate_age,
	  .reason = "a doctorate takes until at least 24" },
	{ .id = "relative_sex", .check = relative_sex,
	  .reason = "a relative's relation word (brother, sister) fits that "
	  "relative's sex" },
	{ .id = "widowed_spouse", .check = widowed_spouse,
	  .reason = "a widowed persona has a late spouse, not a current one" },
	{ .id = "household_marital", .check = household_marital,
	  .reason = "a married persona lives with a partner (with or "
	  "without children)" },
	{ .id = "household_children_age", .check = household_children_age,
	  .reason = "a persona living with adult children is old enough to "
	  "have them (35+: a child of 18 born when the persona was 17)" },
	{ .id = "stated_status", .check = stated_status,
	  .reason = "a text saying 'I am retired' or 'I am divorced' states "
	  "the persona's own employment or marital status" },
	{ .id = "household_phrase", .check = household_phrase,
	  .reason = "a household value is a phrase ('with partner'), not an "
	  "adjective ('the with partner household')" },
	{ .id = "noncitizen_votes", .check = noncitizen_votes,
	  .reason = "a persona who is not a U.S. citizen cannot vote in "
	  "U.S. elections, so does not say 'I vote'" },
	{ .id = "county_town", .check = county_town,
	  .reason = "a town in the persona's own county (where it grew up) "
	  "fits a rural persona, not an urban one's city county nor the "
	  "District of Columbia" },
	{ .id = "party_text", .check = party_text,
	  .reason = "a text stating a party identification ('as a "
	  "Republican') states the persona's own party_id" },
	{ .id = "earlier_answer", .check = earlier_answer,
	  .reason = "an interview answer keeps to the places, years, "
	  "relatives, employer and job of the persona's earlier answers" },
};

const size_t coherence_nrules = N(coherence_rules);

/* The eight bytes of w with their ASCII capitals lower-cased, others
 * (bytes from 0x80 too) as they are: a byte's 0x20 bit is set when its
 * low seven bits are in 'A'..'Z' and its top bit is clear. */
static uint64_t
fold8(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ULL;
	uint64_t low7 = w & (0x7f * ones);
	uint64_t ge_a = low7 + (0x80 - 'A') * ones;   /* 0x80: >= 'A' */
	uint64_t gt_z = low7 + (0x7f - 'Z') * ones;   /* 0x80: > 'Z' */
	uint64_t up = ge_a & ~gt_z & ~w & (0x80 * ones);

	return w | (up >> 2);
}

/* text lower-cased (ASCII, as tolower() in the C locale the program
 * runs in) into l, or NULL when text is NULL or memory runs out: the
 * rules then fold case themselves. Most texts fit l->small; free a
 * longer one's copy with lowered_free(). */
static const char *
lower_of(struct lowered *l, const char *text)
{
	size_t i = 0, n = text != NULL ? strlen(text) : 0;
	char *low = l->small;
	uint64_t w;

	l->big = NULL;
	if (text == NULL)
		return NULL;
	if (n >= sizeof(l->small) && (low = l->big = malloc(n + 1)) == NULL)
		return NULL;
	for (; i + 8 <= n; i += 8) {    /* eight bytes at a time */
		memcpy(&w, text + i, 8);
		w = fold8(w);
		memcpy(low + i, &w, 8);
	}
	for (; i <= n; i++)
		low[i] = fold(text[i]);
	return low;
}

static void
lowered_free(struct lowered *l)
{
	free(l->big);
}

int
coherence_check(const struct coherence_input *in, int *counts, char *why,
		size_t n)
{
	struct coherence_input x = *in;
	struct lowered low;
	char d[256];
	size_t i;
	int bad = 0;

	low.big = NULL;
	if (x.lower == NULL)
		x.lower = lower_of(&low, in->text);
	if (why != NULL && n > 0)
		why[0] = '\0';
	for (i = 0; i < N(coherence_rules); i++) {
		if (!coherence_rules[i].check(&x, d, sizeof(d)))
			continue;
		if (counts != NULL)
			counts[i]++;
		if (bad++ == 0 && why != NULL)
			snprintf(why, n, "%s: %s", coherence_rules[i].id, d);
	}
	lowered_free(&low);
	return bad;
}
