/* life.c - one persona's shared life details (see life.h). */
#include "generators/life.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/rng.h"
#include "generators/text.h"
#include "generators/world.h"
#include "personas/coherence.h"

#define DRAW_MAX 512        /* bytes of one drawn value */
#define LIST_TRIES 16       /* draws to find distinct list items */

struct draw {
	const struct grammar *g;
	const struct world *w;  /* the persona's contacts and profile */
	cJSON *vars, *life;
	uint64_t seed, index;
	uint32_t k;             /* draws so far: each gets its own seed */
	struct rng r;           /* years and coin flips */
	struct buf b;
	char key[64];           /* a relative's key (KEY_sex): copied */
	const cJSON *last;      /* the item add() added last */
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

/* Add item to life under key: a literal, not copied (json_put), or
 * d->key, copied. Life is built per persona: a copy per key and value
 * was a third of its allocations. */
static int
add(struct draw *d, const char *key, cJSON *item)
{
	d->last = item;
	if (key != d->key ? json_put(d->life, key, item) != NULL :
	    item != NULL && cJSON_AddItemToObject(d->life, key, item))
		return 0;
	if (key == d->key)
		cJSON_Delete(item);
	return pf_error_set(d->err, "out of memory");
}

/* d->key: "KEY_suffix" (cut to fit, as snprintf would: a persona
 * makes some thirty of these keys, and printf was a third of the time
 * its relatives took). */
static const char *
key_of(struct draw *d, const char *key, const char *suffix)
{
	size_t n = strlen(key), m = strlen(suffix), room = sizeof(d->key) - 1;

	if (n > room)
		n = room;
	if (m > room - n)
		m = room - n;
	memcpy(d->key, key, n);
	memcpy(d->key + n, suffix, m);
	d->key[n + m] = '\0';
	return d->key;
}

static int
put(struct draw *d, const char *key, const char *rule)
{
	if (render(d, rule) != 0)
		return -1;
	return add(d, key, cJSON_CreateString(d->b.data ? d->b.data : ""));
}

/* v not copied: a literal, the tables' or the persona's world's or
 * facts' (they outlive life: generators/stages.h, struct gen_unit). */
static int
put_str(struct draw *d, const char *key, const char *v)
{
	return add(d, key, cJSON_CreateStringReference(v));
}

/* v copied (a local buffer). */
static int
put_copy(struct draw *d, const char *key, const char *v)
{
	return add(d, key, cJSON_CreateString(v));
}

static int
put_num(struct draw *d, const char *key, int v)
{
	return add(d, key, cJSON_CreateNumber(v));
}

static int
put_bool(struct draw *d, const char *key, int v)
{
	return add(d, key, cJSON_CreateBool(v));
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
	cJSON *a = json_put(d->life, key, cJSON_CreateArray());
	int t;

	if (a == NULL)
		return pf_error_set(d->err, "out of memory");
	if (first != NULL)   /* a planted fact's: not copied (put_str) */
		cJSON_AddItemToArray(a, cJSON_CreateStringReference(first));
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
	cJSON *v = json_put(d->life, "voice", cJSON_CreateObject());
	int formal = 0, plain;
	size_t i;

	for (i = 0; i < sizeof(degrees) / sizeof(degrees[0]); i++)
		formal |= eq(p->education, degrees[i]);
	plain = eq(p->education, "less than high school") ||
		eq(p->education, "high school diploma");
	if (v == NULL ||
	    !json_put(v, "formal", cJSON_CreateBool(formal)) ||
	    !json_put(v, "plain", cJSON_CreateBool(plain)) ||
	    !json_put(v, "open", cJSON_CreateBool(
		      p->big5[PERSONA_OPENNESS].score >= 55)) ||
	    !json_put(v, "careful", cJSON_CreateBool(
		      p->big5[PERSONA_CONSCIENTIOUSNESS].score >= 55)) ||
	    !json_put(v, "outgoing", cJSON_CreateBool(
		      p->big5[PERSONA_EXTRAVERSION].score >= 55)) ||
	    !json_put(v, "warm", cJSON_CreateBool(
		      p->big5[PERSONA_AGREEABLENESS].score >= 55)) ||
	    !json_put(v, "anxious", cJSON_CreateBool(
		      p->big5[PERSONA_NEUROTICISM].score >= 58)))
		return pf_error_set(d->err, "out of memory");
	/* fit: strenuous scenes (a pickup game, a hike) fit the persona */
	return put_bool(d, "fit", p->age < 75 &&
			!eq(p->health_status, "living with a physical "
			    "disability") &&
			!eq(p->health_status, "recovering from recent surgery"));
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

	/* born where the profile says: here when its birth city is the
	 * persona's city (generators/world.c) */
	if (d->w != NULL && d->w->profile.birth_city != NULL)
		here = eq(d->w->profile.birth_city, p->city);

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
	       put(d, "neighbor_last", "life.last") ||
	       put(d, "neighbor_name", "life.name.female") ||
	       put(d, "school", "life.school") ||
	       put(d, "teacher", "life.teacher") ||
	       put(d, "first_job", "life.first_job") ||
	       put(d, "first_car", "life.first_car") ||
	       put(d, "saying", "life.saying") ||
	       put(d, "landmark", "life.landmark") ||
	       put(d, "water", "life.water") ||
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
	const char *rule;
	int f;

	f = sex != NULL ? eq(sex, "female") : (int)rng_below(&d->r, 2);
	if (put_str(d, key_of(d, key, "_sex"), f ? "female" : "male") != 0 ||
	    put_str(d, key_of(d, key, "_word"), f ? word_f : word_m) != 0)
		return -1;
	rule = f ? "life.name.female" : "life.name.male";
	/* name copied: a planted sibling's first name is a local buffer */
	return name != NULL ? put_copy(d, key_of(d, key, "_name"), name) :
	       put(d, key_of(d, key, "_name"), rule);
}

/* The world contact of relationship rel (generators/world.h), so that
 * the texts name the relatives the contacts, documents and QA name;
 * NULL when the world has none. */
static const struct world_contact *
contact(const struct draw *d, const char *rel)
{
	const struct world_contact *c;

	if (d->w == NULL)
		return NULL;
	if (!eq(rel, "sibling"))
		return world_contact_find(d->w, rel);
	c = world_contact_find(d->w, "sister");
	return c != NULL ? c : world_contact_find(d->w, "brother");
}

/* "a nurse in Omaha", "retired in Omaha", "a student in Omaha". */
static void
what(char *out, size_t n, const struct world_contact *c)
{
	const char *j = c->job;

	if (eq(j, "retired"))
		snprintf(out, n, "retired in %s", c->city);
	else if (eq(c->relationship, "service provider"))
		snprintf(out, n, "based in %s", c->city);
	else
		snprintf(out, n, "%s %s in %s", strchr("aeiou", j[0]) ? "an" :
			 "a", j, c->city);
}

/* 1 when a relative already named has first name `first` and another
 * sex than `sex`: two contacts may share a name across sexes (a husband
 * and a sister both Logan), and the texts must not call one name both
 * "he" and "she" (coherence rule earlier_answer). */
static int
clash(const struct draw *d, const char *first, const char *sex)
{
	const cJSON *e, *s;
	char k[64];
	size_t n;

	cJSON_ArrayForEach(e, d->life) {
		n = strlen(e->string);
		if (n < 5 || n >= sizeof(k) || strcmp(e->string + n - 5,
						      "_name") != 0 ||
		    !eq(cJSON_GetStringValue(e), first))
			continue;
		snprintf(k, sizeof(k), "%.*s_sex", (int)(n - 5), e->string);
		s = cJSON_GetObjectItemCaseSensitive(d->life, k);
		if (!eq(cJSON_GetStringValue(s), sex))
			return 1;
	}
	return 0;
}

/* One contact as a life.people entry appended to array a: name, first,
 * word (what the persona calls them: "neighbour", "dentist"), job, city,
 * likes and what ("a nurse in Omaha"). */
static int
person(struct draw *d, cJSON *a, const struct world_contact *c)
{
	char w[128];
	cJSON *o;

	what(w, sizeof(w), c);
	if ((o = cJSON_CreateObject()) == NULL ||
	    !cJSON_AddItemToArray(a, o) ||
	    !json_put_ref(o, "name", c->name) ||
	    !json_put_ref(o, "first", c->first ? c->first : c->name) ||
	    !json_put_ref(o, "word", eq(c->word, "neighbour") ? "neighbor"
			  : c->word) ||
	    !json_put_ref(o, "job", c->job) ||
	    !json_put_ref(o, "city", c->city) ||
	    !json_put_ref(o, "likes", c->likes) ||
	    !json_put(o, "what", cJSON_CreateString(w)))
		return pf_error_set(d->err, "out of memory");
	return 0;
}

/* life.people: up to LIFE_PEOPLE of the world's contacts outside the
 * family, other than the friend and colleague named above (entries as
 * person() writes them); life.others: up to LIFE_OTHERS more of them,
 * in the same order, for texts that name more people (the detailed
 * narrative). */
static int
people(struct draw *d)
{
	const struct world_contact *f = contact(d, "friend"),
				   *co = contact(d, "colleague"), *c;
	cJSON *a = json_put(d->life, "people", cJSON_CreateArray()),
	      *b = json_put(d->life, "others", cJSON_CreateArray());
	int i;

	if (a == NULL || b == NULL)
		return pf_error_set(d->err, "out of memory");
	for (i = 0; d->w != NULL && i < d->w->ncontacts &&
	     cJSON_GetArraySize(b) < LIFE_OTHERS; i++) {
		c = &d->w->c[i];
		if (c == f || c == co || !(eq(c->relationship, "friend") ||
		    eq(c->relationship, "colleague") ||
		    eq(c->relationship, "neighbour") ||
		    eq(c->relationship, "cousin") ||
		    eq(c->relationship, "service provider")))
			continue;
		if (person(d, cJSON_GetArraySize(a) < LIFE_PEOPLE ? a : b,
			   c) != 0)
			return -1;
	}
	return 0;
}

/* Relative KEY from contact c when there is one (its first name and
 * sex; KEY_full its whole name, KEY_what "a nurse in Omaha", KEY_likes,
 * KEY_job "nurse", "retired" or "student"),
 * else drawn (KEY_full the first name alone); and KEY_last, the
 * contact's last name or a drawn one, when last is set. */
static int
relative_of(struct draw *d, const char *key, const char *word_f,
	    const char *word_m, const struct world_contact *c, int last)
{
	size_t n = c != NULL && c->first != NULL ? strlen(c->first) : 0;
	char w[128];
	const char *first, *surname = NULL, *k;

	if (c != NULL && c->first != NULL && clash(d, c->first, c->sex))
		c = NULL, n = 0;
	if (relative(d, key, word_f, word_m, c ? c->sex : NULL,
		     c ? c->first : NULL) != 0)
		return -1;
	/* KEY_name, the last relative() adds (found without a walk of
	 * life's keys; so is KEY_last) */
	first = cJSON_GetStringValue(d->last);
	k = key_of(d, key, "_last");
	if (last && (n > 0 && strncmp(c->name, c->first, n) == 0 &&
		     c->name[n] == ' ' ? put_str(d, k, c->name + n + 1)
		     : put(d, k, "life.last")) != 0)
		return -1;
	if (last)
		surname = cJSON_GetStringValue(d->last);
	if (c != NULL) {
		if (put_str(d, key_of(d, key, "_full"), c->name) != 0)
			return -1;
	} else {
		snprintf(w, sizeof(w), "%s%s%s", first ? first : "",
			 surname ? " " : "", surname ? surname : "");
		return put_copy(d, key_of(d, key, "_full"), w);
	}
	what(w, sizeof(w), c);
	return put_copy(d, key_of(d, key, "_what"), w) ||
	       put_str(d, key_of(d, key, "_likes"), c->likes) ||
	       put_str(d, key_of(d, key, "_job"), c->job) ? -1 : 0;
}

/* A child of the household: the contact child when its age fits the
 * household (grown children 18 or more, else under 18) and the parent
 * was 18 to 45 at the birth, else drawn; two or three children, as the
 * household phrases say "children". A parent past 62 whose household
 * has children gets a grown child at home, not a toddler. */
static int
child(struct draw *d, const struct persona *p)
{
	const struct world_contact *c = contact(d, "child");
	int adult = eq(p->household, "with adult children"), lo, hi;

	hi = adult ? p->age - 18 : p->age - 18 < 17 ? p->age - 18 : 17;
	lo = adult ? 18 : 1;
	if (p->age - 45 > lo)
		lo = p->age - 45;
	if (hi < lo)
		hi = lo;
	if (c != NULL && (c->age < lo || c->age > hi))
		c = NULL;
	return relative_of(d, "child", "daughter", "son", c, 0) ||
	       put_num(d, "child_age", c ? c->age : year(d, lo, hi)) ||
	       put_num(d, "children", 2 + (int)rng_below(&d->r, 2)) ? -1 : 0;
}

static int
family(struct draw *d, const struct persona *p, const struct fact_plan *fp)
{
	const struct fact *sib = fact(fp, "sibling");
	const struct world_contact *sc = contact(d, "sibling");
	const char *h = p->household, *m = p->marital_status;
	char first[64];
	int kids = eq(h, "with partner and children") ||
		   eq(h, "single parent") || eq(h, "with adult children");

	if (sib != NULL && sc != NULL && !eq(sib->value, sc->first))
		sc = NULL;  /* a planted sibling: its own name, as planted */
	/* The fact holds a whole name (facts.c: the contact's); the texts
	 * say "my sister Amy", not "my sister Amy Felix" (sibling_full
	 * keeps the whole). */
	if (sib != NULL)
		snprintf(first, sizeof(first), "%.*s",
			 (int)strcspn(sib->value, " "), sib->value);
	if ((sib && sc == NULL ? relative(d, "sibling", "sister", "brother",
					  sib->sex, first)
	     : relative_of(d, "sibling", "sister", "brother", sc, 0)) ||
	    (sib && sc == NULL && put_str(d, "sibling_full", sib->value)) ||
	    relative_of(d, "friend", "friend", "friend", contact(d, "friend"),
			1) ||
	    relative_of(d, "parent", "mother", "father", contact(d, "parent"),
			0))
		return -1;
	if ((eq(m, "married") &&
	     relative_of(d, "partner", "wife", "husband",
			 contact(d, "partner"), 0) != 0) ||
	    (!eq(m, "married") && strncmp(h, "with partner", 12) == 0 &&
	     relative_of(d, "partner", "partner", "partner",
			 contact(d, "partner"), 0) != 0) ||
	    (eq(m, "widowed") && relative(d, "late", "late wife",
					  "late husband", NULL, NULL) != 0) ||
	    ((eq(m, "divorced") || eq(m, "separated")) &&
	     relative(d, "ex", "ex-wife", "ex-husband", NULL, NULL) != 0))
		return -1;
	return people(d) || (kids ? child(d, p) : 0);
}

/* The employer is the profile's (generators/world.c), the one the
 * documents and QA name; a planted employer fact is drawn from it too. */
static int
work_and_tastes(struct draw *d, const struct persona *p,
		const struct fact_plan *fp)
{
	const struct fact *f;

	if (coherence_has_job(p)) {
		f = fact(fp, "employer");
		if (put_str(d, "employer", f ? f->value :
			    d->w != NULL ? d->w->profile.employer : "") != 0 ||
		    relative_of(d, "coworker", "colleague", "colleague",
				contact(d, "colleague"), 1) != 0)
			return -1;
	}
	if ((f = fact(fp, "pet")) != NULL && put_str(d, "pet", f->value))
		return -1;
	if (put(d, "field", "life.field") != 0 ||
	    put(d, "food", "life.food") != 0 ||
	    put(d, "dish", "life.dish") != 0)
		return -1;
	f = fact(fp, "favorite_cuisine");
	if ((f ? put_str(d, "cuisine", f->value)
	       : put(d, "cuisine", "life.cuisine")) != 0)
		return -1;
	/* the diet before the hobbies: life.hobby reads it */
	if (d->w != NULL && put_str(d, "diet", d->w->profile.diet) != 0)
		return -1;
	f = fact(fp, "hobby");
	return put_list(d, "hobbies", "life.hobby", 3, f ? f->value : NULL) ||
	       put(d, "hobby_place", "life.hobby_place") ||
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
	  const struct world *w, uint64_t run_seed, struct pf_error *err)
{
	struct draw d = { .seed = run_seed, .index = p->index, .err = err,
			  .w = w };
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
