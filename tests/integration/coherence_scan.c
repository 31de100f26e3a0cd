/* coherence_scan - run the coherence rule table (personas/coherence.h)
 * over an exported JSONL dataset: every persona with its facts, and every
 * text of every persona.
 *
 *   coherence_scan DIR SEED NFACTS NDOCS
 *
 * DIR holds the JSONL export of a build with run seed SEED and NFACTS
 * facts over NDOCS documents per persona. A persona's attributes come
 * from personas.jsonl; its facts are planned again with facts_plan()
 * (a pure function of seed and persona, which gives the relation and sex
 * of relatives) and must equal the rows of facts.jsonl. Every string in
 * every record of the other files is checked with the persona's facts,
 * but for the interview critic's verdict (its reason quotes what it
 * rejected).
 * Prints the personas, texts and violations per rule; exit 0 when there
 * is none, 1 when there is one or a fact differs, 2 on bad input.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "generators/facts.h"
#include "personas/coherence.h"

#define LINE_MAX_BYTES ((size_t)1 << 22)
#define FIELD 128

/* The attributes the rules read, copied out of the JSON line. */
struct attrs {
	struct persona p;
	char employment[FIELD], occupation[FIELD], education[FIELD],
	     marital[FIELD], household[FIELD], gender[FIELD], city[FIELD];
};

static struct attrs **people; /* each on its own: p points into it */
static size_t npeople;
static uint64_t seed;
static int nfacts, ndocs, counts[64], examples;
static long ntexts, nbad, fact_mismatch;

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

/* 1 when member name of o is the string want ("" for NULL). */
static int
same(const cJSON *o, const char *name, const char *want)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(v) && strcmp(v->valuestring,
					   want ? want : "") == 0;
}

/* A facts.jsonl row equals the planned fact of the same number, its
 * relative's relation and sex included. */
static void
check_fact(const cJSON *o, const struct fact_plan *fp)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "fact_id");
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "fact_value");
	const char *dash;
	int k;

	if (!cJSON_IsString(id) || !cJSON_IsString(v) ||
	    (dash = strrchr(id->valuestring, 'f')) == NULL ||
	    (k = atoi(dash + 1)) < 1 || k > fp->n ||
	    strcmp(fp->f[k - 1].value, v->valuestring) != 0 ||
	    !same(o, "relation", fp->f[k - 1].relation) ||
	    !same(o, "sex", fp->f[k - 1].sex))
		fact_mismatch++;
}

static int
scan(const char *dir, const char *name, int persons)
{
	char path[4096], *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *f;
	cJSON *o;
	long i;
	struct fact_plan fp;
	struct coherence_fact cf[FACTS_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "r")) == NULL)
		return persons ? (perror(path), -1) : 0;
	while ((len = getline(&line, &cap, f)) > 0) {
		if ((size_t)len > LINE_MAX_BYTES ||
		    (o = cJSON_Parse(line)) == NULL) {
			fprintf(stderr, "%s: a line is not JSON\n", path);
			return fclose(f), free(line), -1;
		}
		if (persons && load_person(o) != 0)
			return cJSON_Delete(o), fclose(f), free(line), -1;
		if ((i = person_of(o)) >= 0) {
			facts_plan(&fp, &people[i]->p, seed, nfacts, ndocs);
			facts_coherence(&fp, cf);
			if (persons) {
				struct coherence_input in = {
					.p = &people[i]->p, .facts = cf,
					.nfacts = fp.n };
				report(&in, "attributes and facts");
			}
			if (strcmp(name, "facts.jsonl") == 0)
				check_fact(o, &fp);
			check_strings(o, people[i], cf, fp.n, name);
		}
		cJSON_Delete(o);
	}
	free(line);
	fclose(f);
	return 0;
}

int
main(int argc, char **argv)
{
	static const char *const files[] = { "facts.jsonl",
		"backstory_turns.jsonl", "documents.jsonl", "qa.jsonl",
		"preference_pairs.jsonl" };
	size_t i;

	if (argc != 5) {
		fprintf(stderr, "usage: coherence_scan DIR SEED NFACTS "
			"NDOCS\n");
		return 2;
	}
	seed = strtoull(argv[2], NULL, 10);
	nfacts = atoi(argv[3]);
	ndocs = atoi(argv[4]);
	if (coherence_nrules > sizeof(counts) / sizeof(counts[0]) ||
	    scan(argv[1], "personas.jsonl", 1) != 0)
		return 2;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (scan(argv[1], files[i], 0) != 0)
			return 2;
	printf("personas %zu, texts %ld, facts differing from the plan %ld\n",
	       npeople, ntexts, fact_mismatch);
	for (i = 0; i < coherence_nrules; i++)
		printf("rule %-24s violations %d\n", coherence_rules[i].id,
		       counts[i]);
	for (i = 0; i < npeople; i++)
		free(people[i]);
	free(people);
	return nbad == 0 && fact_mismatch == 0 && npeople > 0 ? 0 : 1;
}
