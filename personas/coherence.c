/* coherence.c - the coherence rule table (see coherence.h). */
#include "personas/coherence.h"

#include <stdio.h>
#include <string.h>

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

static int
has(const char *text, const char *needle)
{
	return text != NULL && needle != NULL && needle[0] != '\0' &&
	       strcasestr(text, needle) != NULL;
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
		if (has(in->text, job_phrases[i]))
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
			if (has(in->text, needle))
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
	int i;

	for (i = 0; i < in->nfacts; i++) {
		f = &in->facts[i];
		if (f->sex == NULL)
			continue;
		s = coherence_relation_sex(f->relation);
		if (s != NULL && !eq(s, f->sex))
			return snprintf(why, n, "%s '%s' is %s", f->relation,
					f->value, f->sex), 1;
		for (j = 0; j < N(relations); j++) {
			if (relations[j].sex == NULL ||
			    eq(relations[j].sex, f->sex))
				continue;
			snprintf(needle, sizeof(needle), "my %s is called %s",
				 relations[j].word, f->value);
			if (has(in->text, needle))
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
		if (has(in->text, needle))
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

	for (i = 0; i < N(stated); i++) {
		own = stated[i].marital ? in->p->marital_status :
		      in->p->employment_status;
		if (!eq(own, stated[i].value) && has(in->text,
						     stated[i].phrase))
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
	if (has(in->text, needle))
		return snprintf(why, n, "text says '%s'", needle), 1;
	return 0;
}

int
coherence_can_vote(const struct persona *p)
{
	return p->citizenship == NULL ||
	       strncmp(p->citizenship, "Not a ", 6) != 0;
}

/* Phrases that say the speaker votes. */
static const char *const vote_phrases[] = { "I vote", "I voted",
	"my vote", "I always vote", "I cast my ballot" };

static int
noncitizen_votes(const struct coherence_input *in, char *why, size_t n)
{
	size_t i;

	if (coherence_can_vote(in->p))
		return 0;
	for (i = 0; i < N(vote_phrases); i++)
		if (has(in->text, vote_phrases[i]))
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

static int
party_text(const struct coherence_input *in, char *why, size_t n)
{
	size_t i;

	for (i = 0; i < N(party_phrases); i++)
		if (!eq(in->p->party_id, party_phrases[i].party) &&
		    has(in->text, party_phrases[i].phrase))
			return snprintf(why, n, "text says '%s' of a persona "
					"whose party is %s",
					party_phrases[i].phrase,
					in->p->party_id ? in->p->party_id :
					"?"), 1;
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
	{ .id = "party_text", .check = party_text,
	  .reason = "a text stating a party identification ('as a "
	  "Republican') states the persona's own party_id" },
};

const size_t coherence_nrules = N(coherence_rules);

int
coherence_check(const struct coherence_input *in, int *counts, char *why,
		size_t n)
{
	char d[256];
	size_t i;
	int bad = 0;

	if (why != NULL && n > 0)
		why[0] = '\0';
	for (i = 0; i < N(coherence_rules); i++) {
		if (!coherence_rules[i].check(in, d, sizeof(d)))
			continue;
		if (counts != NULL)
			counts[i]++;
		if (bad++ == 0 && why != NULL)
			snprintf(why, n, "%s: %s", coherence_rules[i].id, d);
	}
	return bad;
}
