/* coherence_scan - run the coherence rule table (personas/coherence.h)
 * over an exported JSONL dataset: every persona with its facts, and every
 * text of every persona.
 *
 *   coherence_scan DIR
 *
 * DIR holds the JSONL export of a build. A persona's attributes come
 * from personas.jsonl, its facts from facts.jsonl (with a relative's
 * relation word and sex) and its relatives from contacts.jsonl (by full
 * name, relation word and sex, as the build's own critic sees them).
 * Every relation word must agree with its sex (a "mother" is female),
 * and every string in every record of the other files is checked with
 * the persona's facts, but for the interview critic's verdict (its
 * reason quotes what it rejected).
 * Prints the personas, texts, relation/sex mismatches and violations per
 * rule; exit 0 when there is none, 1 when there is one, 2 on bad
 * input.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "personas/coherence.h"

#define LINE_MAX_BYTES ((size_t)1 << 22)
#define FIELD 128

#define MAX_FACTS 96   /* facts and relatives of one persona */

/* The attributes the rules read, copied out of the JSON line, and the
 * persona's facts and relatives (strings owned). */
struct attrs {
	struct persona p;
	char employment[FIELD], occupation[FIELD], education[FIELD],
	     marital[FIELD], household[FIELD], gender[FIELD], city[FIELD],
	     county[FIELD], state[FIELD], urban_rural[FIELD];
	struct coherence_fact f[MAX_FACTS];
	int nf;
};

static struct attrs **people; /* each on its own: p points into it */
static size_t npeople;
static int counts[64], examples;
static long ntexts, nbad, mismatch, toomany;

static const char *
copy(char *dst, const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	snprintf(dst, FIELD, "%s", cJSON_IsString(v) ? v->valuestring : "");
	return dst;
}

/* Index of "p000042" in people[], or -1. */
static long
person_of(const cJSON *o)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "persona_id");
	unsigned long i;

	if (!cJSON_IsString(v) || sscanf(v->valuestring, "p%lu", &i) != 1 ||
	    i >= npeople)
		return -1;
	return (long)i;
}

/* Personas come in id order: p000000, p000001, ... */
static int
load_person(const cJSON *o)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "persona_id");
	const cJSON *age = cJSON_GetObjectItemCaseSensitive(o, "age");
	unsigned long k;
	struct attrs **n, *a;

	if (!cJSON_IsString(id) || !cJSON_IsNumber(age) ||
	    sscanf(id->valuestring, "p%lu", &k) != 1 || k != npeople) {
		fprintf(stderr, "personas.jsonl: persona %zu is not "
			"p%06zu with an age\n", npeople, npeople);
		return -1;
	}
	if ((n = realloc(people, (npeople + 1) * sizeof(*n))) == NULL)
		return -1;
	people = n;
	if ((a = people[npeople] = calloc(1, sizeof(*a))) == NULL)
		return -1;
	a->p.index = npeople++;
	a->p.age = age->valueint;
	a->p.employment_status = copy(a->employment, o, "employment_status");
	a->p.occupation = copy(a->occupation, o, "occupation");
	a->p.education = copy(a->education, o, "education");
	a->p.marital_status = copy(a->marital, o, "marital_status");
	a->p.household = copy(a->household, o, "household");
	a->p.gender = copy(a->gender, o, "gender");
	a->p.city = copy(a->city, o, "city");
	a->p.county = copy(a->county, o, "county");
	a->p.state = copy(a->state, o, "state");
	a->p.urban_rural = copy(a->urban_rural, o, "urban_rural");
	return 0;
}

static void
report(const struct coherence_input *in, const char *where)
{
	char why[512];

	if (coherence_check(in, counts, why, sizeof(why)) == 0)
		return;
	nbad++;
	if (examples++ < 10)
		printf("# p%06" PRIu64 " %s: %s\n", in->p->index, where, why);
}

/* Check every string inside j (recursively) as a text of persona a. */
static void
check_strings(const cJSON *j, const struct attrs *a,
	      const struct coherence_fact *cf, int n, const char *file)
{
	const cJSON *c;
	struct coherence_input in = { .p = &a->p, .facts = cf, .nfacts = n };

	if (cJSON_IsString(j)) {
		in.text = j->valuestring;
		ntexts++;
		report(&in, file);
		return;
	}
	/* The critic's reason quotes the contradiction it rejected. */
	cJSON_ArrayForEach(c, j)
		if (c->string == NULL || strcmp(c->string, "critic") != 0)
			check_strings(c, a, cf, n, file);
}

static const char *
str_dup(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(v) && v->valuestring[0] != '\0' ?
	       strdup(v->valuestring) : NULL;
}

/* A facts.jsonl or contacts.jsonl row: one more fact of its persona; a
 * relation word that names the other sex is a mismatch. */
static void
add_fact(struct attrs *a, const cJSON *o, int contact)
{
	struct coherence_fact *f;
	const char *want;

	if (a->nf == MAX_FACTS) {
		toomany++;
		return;
	}
	f = &a->f[a->nf++];
	f->key = contact ? strdup("contact") : str_dup(o, "fact_key");
	f->value = str_dup(o, contact ? "name" : "fact_value");
	f->relation = str_dup(o, "relation");
	f->sex = f->relation != NULL ? str_dup(o, "sex") : NULL;
	want = coherence_relation_sex(f->relation);
	if (want != NULL && (f->sex == NULL || strcmp(want, f->sex) != 0)) {
		mismatch++;
		if (examples++ < 10)
			printf("# p%06" PRIu64 " %s is %s\n", a->p.index,
			       f->relation, f->sex ? f->sex : "?");
	}
}

static void
free_facts(struct attrs *a)
{
	int i;

	for (i = 0; i < a->nf; i++) {
		free((char *)a->f[i].key);
		free((char *)a->f[i].value);
		free((char *)a->f[i].relation);
		free((char *)a->f[i].sex);
	}
}

/* Read file name of DIR: load the personas (pass 0), their facts and
 * relatives (pass 1), or check every text (pass 2). */
static int
scan(const char *dir, const char *name, int pass)
{
	char path[4096], *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *f;
	cJSON *o;
	long i;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "r")) == NULL)
		return pass == 0 ? (perror(path), -1) : 0;
	while ((len = getline(&line, &cap, f)) > 0) {
		if ((size_t)len > LINE_MAX_BYTES ||
		    (o = cJSON_Parse(line)) == NULL) {
			fprintf(stderr, "%s: a line is not JSON\n", path);
			return fclose(f), free(line), -1;
		}
		if (pass == 0 && load_person(o) != 0)
			return cJSON_Delete(o), fclose(f), free(line), -1;
		if ((i = person_of(o)) >= 0 && pass == 1)
			add_fact(people[i], o,
				 strcmp(name, "contacts.jsonl") == 0);
		if (i >= 0 && pass == 2)
			check_strings(o, people[i], people[i]->f,
				      people[i]->nf, name);
		cJSON_Delete(o);
	}
	free(line);
	fclose(f);
	return 0;
}

/* Each persona's attributes with its facts and relatives. */
static void
check_people(void)
{
	size_t i;

	for (i = 0; i < npeople; i++) {
		struct coherence_input in = { .p = &people[i]->p,
			.facts = people[i]->f, .nfacts = people[i]->nf };

		report(&in, "attributes and facts");
	}
}

int
main(int argc, char **argv)
{
	static const char *const files[] = { "facts.jsonl", "contacts.jsonl",
		"backstory_turns.jsonl", "documents.jsonl", "qa.jsonl",
		"preference_pairs.jsonl" };
	size_t i;
	int pass;

	if (argc != 2) {
		fprintf(stderr, "usage: coherence_scan DIR\n");
		return 2;
	}
	if (coherence_nrules > sizeof(counts) / sizeof(counts[0]) ||
	    scan(argv[1], "personas.jsonl", 0) != 0)
		return 2;
	for (pass = 1; pass <= 2; pass++) {
		for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
			if (scan(argv[1], files[i], pass) != 0)
				return 2;
		if (pass == 1)
			check_people();
	}
	printf("personas %zu, texts %ld, relation/sex mismatches %ld, "
	       "personas past %d facts %ld\n", npeople, ntexts, mismatch,
	       MAX_FACTS, toomany);
	for (i = 0; i < coherence_nrules; i++)
		printf("rule %-24s violations %d\n", coherence_rules[i].id,
		       counts[i]);
	for (i = 0; i < npeople; i++) {
		free_facts(people[i]);
		free(people[i]);
	}
	free(people);
	return nbad == 0 && mismatch == 0 && toomany == 0 && npeople > 0 ?
	       0 : 1;
}
