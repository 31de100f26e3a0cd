/* life.c - one persona's shared life details (see life.h). */
#include "generators/life.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/rng.h"
#include "generators/text.h"
#include "personas/coherence.h"

#define DRAW_MAX 512        /* bytes of one drawn value */
#define LIST_TRIES 16       /* draws to find distinct list items */

struct draw {
	const struct grammar *g;
	cJSON *vars, *life;
	uint64_t seed, index;
	uint32_t k;             /* draws so far: each gets its own seed */
	struct rng r;           /* years and coin flips */
	struct buf b;
	struct pf_error *err;
};

static int
eq(const char *a, const char *b)
{
	return a != NULL && strcmp(a, b) == 0;
}

/* Render `rule` with the next seed into d->b. Returns 0 or -1. */
static int
render(struct draw *d, const char *rule)
{
	buf_reset(&d->b);
	return grammar_render(d->g, rule, d->vars,
			      rng_derive(d->seed, "life", d->index, d->k++),
			      0, &d->b, d->err);
}

static int
put(struct draw *d, const char *key, const char *rule)
{
	if (render(d, rule) != 0)
		return -1;
	return cJSON_AddStringToObject(d->life, key, d->b.data ? d->b.data
				       : "") ? 0 : pf_error_set(d->err,
								"out of memory");
}

static int
put_str(struct draw *d, const char *key, const char *v)
{
	return cJSON_AddStringToObject(d->life, key, v) ? 0 :
	       pf_error_set(d->err, "out of memory");
}

static int
put_num(struct draw *d, const char *key, int v)
{
	return cJSON_AddNumberToObject(d->life, key, v) ? 0 :
	       pf_error_set(d->err, "out of memory");
}

static int
put_bool(struct draw *d, const char *key, int v)
{
	return cJSON_AddBoolToObject(d->life, key, v) ? 0 :
	       pf_error_set(d->err, "out of memory");
}

static int
has_item(const cJSON *a, const char *s)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, a)
		if (strcmp(e->valuestring, s) == 0)
			return 1;
	return 0;
}

/* A list of n distinct draws of `rule` (fewer when the rule has fewer
 * values), starting with `first` when not NULL. */
static int
put_list(struct draw *d, const char *key, const char *rule, int n,
	 const char *first)
{
	cJSON *a = cJSON_AddArrayToObject(d->life, key);
	int t;

	if (a == NULL)
		return pf_error_set(d->err, "out of memory");
	if (first != NULL)
		cJSON_AddItemToArray(a, cJSON_CreateString(first));
	for (t = 0; t < LIST_TRIES && cJSON_GetArraySize(a) < n; t++) {
		if (render(d, rule) != 0)
			return -1;
		if (d->b.len > 0 && !has_item(a, d->b.data))
			cJSON_AddItemToArray(a, cJSON_CreateString(d->b.data));
	}
	return 0;
}

/* A uniform year in [lo, hi] (lo when the range is empty). */
static int
year(struct draw *d, int lo, int hi)
{
	return hi <= lo ? lo : lo + (int)rng_below(&d->r, (uint32_t)(hi - lo
								   + 1));
}

static const struct fact *
fact(const struct fact_plan *fp, const char *key)
{
	int i;

	for (i = 0; fp != NULL && i < fp->n; i++)
		if (eq(fp->f[i].key, key))
			return &fp->f[i];
	return NULL;
}

/* The register flags the grammars branch on (doc/grammar.md). */
static int
voice(struct draw *d, const struct persona *p)
{
	static const char *const degrees[] = { "bachelor's degree",
		"master's degree", "professional degree", "doctorate" };
	cJSON *v = cJSON_AddObjectToObject(d->life, "voice");
	int formal = 0, plain;
	size_t i;

	for (i = 0; i < sizeof(degrees) / sizeof(degrees[0]); i++)
		formal |= eq(p->education, degrees[i]);
	plain = eq(p->education, "less than high school") ||
		eq(p->education, "high school diploma");
	if (v == NULL ||
	    !cJSON_AddBoolToObject(v, "formal", formal) ||
	    !cJSON_AddBoolToObject(v, "plain", plain) ||
	    !cJSON_AddBoolToObject(v, "open",
				   p->big5[PERSONA_OPENNESS].score >= 55) ||
	    !cJSON_AddBoolToObject(v, "careful",
				   p->big5[PERSONA_CONSCIENTIOUSNESS].score
				   >= 55) ||
	    !cJSON_AddBoolToObject(v, "outgoing",
				   p->big5[PERSONA_EXTRAVERSION].score >= 55) ||
	    !cJSON_AddBoolToObject(v, "warm",
				   p->big5[PERSONA_AGREEABLENESS].score >= 55) ||
	    !cJSON_AddBoolToObject(v, "anxious",
				   p->big5[PERSONA_NEUROTICISM].score >= 58))
		return pf_error_set(d->err, "out of memory");
	return 0;
}

/* Years of school's end by education (typical ages, not a table). */
static int
school_years(const char *education)
{
	static const struct { const char *e; int years; } t[] = {
		{ "less than high school", 16 }, { "high school diploma", 18 },
		{ "some college", 20 }, { "associate degree", 20 },
		{ "bachelor's degree", 22 }, { "master's degree", 24 },
		{ "professional degree", 25 }, { "doctorate", 28 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (eq(education, t[i].e))
			return t[i].years;
	return 18;
}

static int
places(struct draw *d, const struct persona *p)
{
	int born = LIFE_YEAR - p->age, here = rng_below(&d->r, 2);
	int school = born + school_years(p->education);

	if (school > LIFE_YEAR)
		school = LIFE_YEAR;
	return put_num(d, "birth_year", born) || put_num(d, "school_year",
							 school) ||
	       put_bool(d, "grew_up_here", here) ||
	       put_num(d, "moved_year", year(d, born + 18, LIFE_YEAR - 1)) ||
	       put(d, "hometown", "life.hometown") ||
	       put(d, "street", "life.street") ||
	       put(d, "house_number", "life.house_number") ||
	       put(d, "moved_date", "life.date") ||
	       put(d, "birth_date", "life.date") ||
	       put(d, "friend_last", "life.last") ||
	       put(d, "coworker_last", "life.last") ||
	       put(d, "neighbor_last", "life.last") ||
	       put(d, "neighbor_name", "life.name.female") ||
	       put(d, "school", "life.school") ||
	       put(d, "teacher", "life.teacher") ||
	       put(d, "first_job", "life.first_job") ||
	       put(d, "first_car", "life.first_car") ||
	       put(d, "saying", "life.saying") ||
	       put(d, "landmark", "life.landmark") ||
	       put_num(d, "job_year", year(d, school, LIFE_YEAR - 1)) ||
	       put_num(d, "married_year", year(d, born + 20 < LIFE_YEAR ?
					       born + 20 : born + 18,
					       LIFE_YEAR - 1)) ? -1 : 0;
}

/* A relative: KEY_sex, KEY_name and KEY_word (word_f or word_m). */
static int
relative(struct draw *d, const char *key, const char *word_f,
	 const char *word_m, const char *sex, const char *name)
{
	char k[64], rule[64];
	int f;

	f = sex != NULL ? eq(sex, "female") : (int)rng_below(&d->r, 2);
	snprintf(k, sizeof(k), "%s_sex", key);
	if (put_str(d, k, f ? "female" : "male") != 0)
		return -1;
	snprintf(k, sizeof(k), "%s_word", key);
	if (put_str(d, k, f ? word_f : word_m) != 0)
		return -1;
	snprintf(k, sizeof(k), "%s_name", key);
	snprintf(rule, sizeof(rule), "life.name.%s", f ? "female" : "male");
	return name != NULL ? put_str(d, k, name) : put(d, k, rule);
}

static int
family(struct draw *d, const struct persona *p, const struct fact_plan *fp)
{
	const struct fact *sib = fact(fp, "sibling");
	const char *h = p->household, *m = p->marital_status;
	int kids = eq(h, "with partner and children") ||
		   eq(h, "single parent") || eq(h, "with adult children");
	int adult = eq(h, "with adult children"), lo, hi;

	if (relative(d, "sibling", "sister", "brother", sib ? sib->sex : NULL,
		     sib ? sib->value : NULL) != 0 ||
	    relative(d, "friend", "friend", "friend", NULL, NULL) != 0 ||
	    relative(d, "parent", "mother", "father", NULL, NULL) != 0)
		return -1;
	if ((eq(m, "married") && relative(d, "partner", "wife", "husband",
					  NULL, NULL) != 0) ||
	    (!eq(m, "married") && strncmp(h, "with partner", 12) == 0 &&
	     relative(d, "partner", "partner", "partner", NULL, NULL) != 0) ||
	    (eq(m, "widowed") && relative(d, "late", "late wife",
					  "late husband", NULL, NULL) != 0) ||
	    ((eq(m, "divorced") || eq(m, "separated")) &&
	     relative(d, "ex", "ex-wife", "ex-husband", NULL, NULL) != 0))
		return -1;
	if (!kids)
		return 0;
	hi = adult ? p->age - 18 : p->age - 18 < 17 ? p->age - 18 : 17;
	lo = adult ? 18 : 1;
	if (hi < lo)
		hi = lo;
	return relative(d, "child", "daughter", "son", NULL, NULL) ||
	       put_num(d, "child_age", year(d, lo, hi)) ||
	       put_num(d, "children", 1 + (int)rng_below(&d->r, 3)) ? -1 : 0;
}

static int
work_and_tastes(struct draw *d, const struct persona *p,
		const struct fact_plan *fp)
{
	const struct fact *f;

	if (coherence_has_job(p)) {
		f = fact(fp, "employer");
		if ((f ? put_str(d, "employer", f->value)
		       : put(d, "employer", "life.employer")) != 0 ||
		    relative(d, "coworker", "colleague", "colleague", NULL,
			     NULL) != 0)
			return -1;
	}
	if ((f = fact(fp, "pet")) != NULL && put_str(d, "pet", f->value))
		return -1;
	if (put(d, "field", "life.field") != 0 ||
	    put(d, "dish", "life.dish") != 0)
		return -1;
	f = fact(fp, "favorite_cuisine");
	if ((f ? put_str(d, "cuisine", f->value)
	       : put(d, "cuisine", "life.cuisine")) != 0)
		return -1;
	f = fact(fp, "hobby");
	return put_list(d, "hobbies", "life.hobby", 3, f ? f->value : NULL) ||
	       put_list(d, "skills", "life.skill", 4, NULL) ||
	       put_list(d, "goals", "life.goal", 3, NULL) ||
	       put_list(d, "cultural", "life.cultural", 3, NULL) ||
	       put(d, "sport", "life.sport") ||
	       put(d, "art", "life.art") ||
	       put(d, "trip", "life.trip") ? -1 : 0;
}

cJSON *
life_json(const struct pf_config *cfg, const struct persona *p,
	  const cJSON *persona_json, const struct fact_plan *fp,
	  uint64_t run_seed, struct pf_error *err)
{
	struct draw d = { .seed = run_seed, .index = p->index, .err = err };
	int rc = -1;

	if ((d.g = gen_grammar(cfg, "life", err)) == NULL)
		return NULL;
	d.vars = cJSON_CreateObject();
	d.life = cJSON_CreateObject();
	buf_init(&d.b, DRAW_MAX);
	rng_seed(&d.r, rng_derive(run_seed, "life-years", p->index, 0));
	if (d.vars != NULL && d.life != NULL &&
	    cJSON_AddItemReferenceToObject(d.vars, "persona",
					   (cJSON *)persona_json) &&
	    cJSON_AddItemToObject(d.vars, "life", d.life))
		rc = voice(&d, p) || places(&d, p) || family(&d, p, fp) ||
		     work_and_tastes(&d, p, fp) ? -1 : 0;
	else
		pf_error_set(err, "out of memory");
	buf_free(&d.b);
	/* life grows while its rules read it, so it sits in vars itself (a
	 * reference would keep the empty object's first child) until now. */
	if (d.life != NULL && cJSON_GetObjectItemCaseSensitive(d.vars, "life"))
		cJSON_DetachItemViaPointer(d.vars, d.life);
	cJSON_Delete(d.vars);
	if (rc != 0) {
		cJSON_Delete(d.life);
		return NULL;
	}
	return d.life;
}
