/* test_personas.c - unit tests for personas/: table loading and its errors,
 * seeded order-independent sampling, Big Five bands, marginals, conditional
 * consistency, reserved identifiers, the field table and JSON. */
#include <dirent.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/json.h"
#include "personas/persona.h"
#include "personas/quota.h"
#include "personas/sampler.h"
#include "tests/unit/check_tap.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define NSAMPLES 100000

static struct persona_tables *tables;
static char datadir[4096];

static void
setup(void)
{
	const char *top = getenv("PERSONAFORGE_DATADIR");
	struct pf_error err;
	char msg[1400];

	snprintf(datadir, sizeof(datadir), "%.4000s/personas/data",
		 top != NULL ? top : check_tap_srcpath("."));
	if (persona_tables_load(datadir, &tables, &err) != 0) {
		pf_error_format(&err, msg, sizeof(msg));
		ck_abort_msg("load %s: %s", datadir, msg);
	}
}

static void
teardown(void)
{
	persona_tables_free(tables);
	tables = NULL;
}

/* Whether two personas agree on every field of the field table and on the
 * Big Five descriptions. */
static int
same(const struct persona *a, const struct persona *b)
{
	const struct persona_field *f;
	size_t i;

	for (i = 0; i < persona_nfields; i++) {
		f = &persona_fields[i];
		if (f->type == PERSONA_INT ? f->num(a) != f->num(b) :
		    strcmp(f->text(a), f->text(b)) != 0)
			return 0;
	}
	for (i = 0; i < PERSONA_NTRAITS; i++)
		if (a->big5[i].description != b->big5[i].description)
			return 0;
	return a->index == b->index;
}

START_TEST(sample_is_deterministic)
{
	struct persona a, b;
	uint64_t i;

	for (i = 0; i < 1000; i++) {
		persona_sample(tables, 42, i, &a);
		persona_sample(tables, 42, i, &b);
		ck_assert(same(&a, &b));
	}
	persona_sample(tables, 42, 42, &a);
	ck_assert_str_eq(a.id, "p000042");
	persona_sample(tables, 42, 1234567, &a);
	ck_assert_str_eq(a.id, "p1234567");
}
END_TEST

START_TEST(sample_is_order_independent)
{
	struct persona alone, after, other;
	uint64_t i;

	persona_sample(tables, 7, 5, &alone);
	for (i = 0; i < 5; i++)
		persona_sample(tables, 7, i, &other);
	persona_sample(tables, 7, 5, &after);
	ck_assert(same(&alone, &after));
	persona_sample(tables, 7, 900, &other);
	persona_sample(tables, 7, 5, &after);
	ck_assert(same(&alone, &after));
}
END_TEST

START_TEST(seeds_differ)
{
	struct persona a, b;
	int i, differ = 0;

	for (i = 0; i < 100; i++) {
		persona_sample(tables, 1, (uint64_t)i, &a);
		persona_sample(tables, 2, (uint64_t)i, &b);
		differ += strcmp(a.email, b.email) != 0;
		ck_assert_str_eq(a.id, b.id);
		ck_assert_str_ne(a.uuid, b.uuid);
	}
	ck_assert_int_ge(differ, 95);
}
END_TEST

static const struct {
	double raw;
	int score, band;
} big5_cases[] = {
	{ -3.0, 20, 0 }, { 19.4, 20, 0 }, { 20.0, 20, 0 }, { 34.4, 34, 0 },
	{ 34.5, 35, 1 }, { 35.0, 35, 1 }, { 44.0, 44, 1 }, { 45.0, 45, 2 },
	{ 54.0, 54, 2 }, { 55.0, 55, 3 }, { 64.0, 64, 3 }, { 65.0, 65, 4 },
	{ 80.0, 80, 4 }, { 80.6, 80, 4 }, { 1e9, 80, 4 }, { NAN, 50, 2 },
};

START_TEST(big5_clip_and_band)
{
	int s = persona_big5_score(big5_cases[_i].raw);

	ck_assert_int_eq(s, big5_cases[_i].score);
	ck_assert_int_eq(persona_big5_band(s), big5_cases[_i].band);
}
END_TEST

START_TEST(big5_sampled_scores)
{
	struct persona p;
	int i, t, at_min = 0, at_max = 0;
	double sum = 0;

	ck_assert_int_eq(persona_tables_plan(tables, 3, NSAMPLES), 0);
	for (i = 0; i < NSAMPLES; i++) {
		persona_sample(tables, 3, (uint64_t)i, &p);
		for (t = 0; t < PERSONA_NTRAITS; t++) {
			ck_assert_int_ge(p.big5[t].score, 20);
			ck_assert_int_le(p.big5[t].score, 80);
			ck_assert_str_eq(p.big5[t].band, persona_band_names[
				persona_big5_band(p.big5[t].score)]);
			ck_assert(p.big5[t].description[0] != '\0');
			at_min += p.big5[t].score == 20;
			at_max += p.big5[t].score == 80;
			sum += p.big5[t].score;
		}
	}
	/* P(T <= 20.5) is about 0.16%: some hundreds of 500k draws. */
	ck_assert_int_gt(at_min, 300);
	ck_assert_int_gt(at_max, 300);
	ck_assert(fabs(sum / (NSAMPLES * PERSONA_NTRAITS) - 50.0) < 0.2);
}
END_TEST

/* Read "*<TAB>value<TAB>weight" rows of `file` into names/shares (percent
 * of the total); returns the number of rows. */
static int
read_marginal(const char *file, char names[][64], double *share, int max)
{
	char path[4200], line[256], cond[64];
	double total = 0;
	int n = 0, i;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", datadir, file);
	fp = fopen(path, "r");
	ck_assert_ptr_nonnull(fp);
	while (n < max && fgets(line, sizeof(line), fp) != NULL) {
		if (line[0] == '#' ||
		    sscanf(line, "%63[^\t]\t%63[^\t]\t%lf", cond, names[n],
			   &share[n]) != 3)
			continue;
		ck_assert_str_eq(cond, "*");
		total += share[n++];
	}
	fclose(fp);
	for (i = 0; i < n; i++)
		share[i] = 100.0 * share[i] / total;
	return n;
}

/* Compare the sampled share of each value of an unconditional table with
 * its weight, within 1.5 points. `get` picks the attribute. */
static void
check_marginal(const char *file, const char *(*get)(const struct persona *))
{
	char names[16][64];
	double share[16];
	int count[16] = { 0 }, n, i, k;
	struct persona p;

	n = read_marginal(file, names, share, 16);
	ck_assert_int_gt(n, 1);
	ck_assert_int_eq(persona_tables_plan(tables, 11, NSAMPLES), 0);
	for (i = 0; i < NSAMPLES; i++) {
		persona_sample(tables, 11, (uint64_t)i, &p);
		for (k = 0; k < n; k++)
			count[k] += strcmp(get(&p), names[k]) == 0;
	}
	for (k = 0; k < n; k++)
		ck_assert_msg(fabs(100.0 * count[k] / NSAMPLES - share[k]) <
			      1.5, "%s %s: %.2f%% vs %.2f%%", file, names[k],
			      100.0 * count[k] / NSAMPLES, share[k]);
}

START_TEST(marginals_match_tables)
{
	check_marginal("gender.tsv", persona_field_find("gender")->text);
	check_marginal("region.tsv", persona_field_find("region")->text);
	check_marginal("race_ethnicity.tsv",
		       persona_field_find("race_ethnicity")->text);
}
END_TEST

static int
is_one_of(const char *s, const char *const *set)
{
	for (; *set != NULL; set++)
		if (strcmp(s, *set) == 0)
			return 1;
	return 0;
}

static const char *const doctoral[] = {
	"professional degree", "doctorate", NULL
};
static const char *const md_jobs[] = {
	"Physician", "Lawyer", "Dentist", "Veterinarian", NULL
};
static const char *const low_econ[] = {
	"financially struggling", "low income", NULL
};
static const char *const high_econ[] = {
	"upper-middle income", "high income", NULL
};
static const char *const no_wage[] = {
	"student", "unemployed", "homemaker", "unable to work", NULL
};
static const char *const partnered[] = {
	"with partner", "with partner and children", NULL
};

/* The conditional chain holds for one persona: the age lies in its band
 * ("LO-HI" or "LO+") and its birth decade, and the tables' rules hold. */
static void
check_consistent(const struct persona *p)
{
	int lo, hi = 120, decade, year = 2020 - p->age;

	ck_assert_int_ge(sscanf(p->age_band, "%d-%d", &lo, &hi), 1);
	ck_assert(p->age >= lo && p->age <= hi);
	ck_assert_int_eq(sscanf(p->birth_decade, "%ds", &decade), 1);
	if (year >= 1911 && year <= 2009)
		ck_assert_msg(decade == (year - 1) / 10 * 10 ||
			      decade == year / 10 * 10, "age %d: %s",
			      p->age, p->birth_decade);
	ck_assert(strcmp(p->urban_rural, "urban") == 0 ||
		  strcmp(p->urban_rural, "rural") == 0);
	ck_assert(p->county[0] != '\0');
	if (is_one_of(p->occupation, md_jobs))
		ck_assert_msg(is_one_of(p->education, doctoral), "%s: %s",
			      p->occupation, p->education);
	if (strcmp(p->occupation, "Retired") == 0)
		ck_assert_int_ge(p->age, 45);
	if (is_one_of(p->employment_status, no_wage))
		ck_assert_str_ne(p->income_band, "$150,000 or more");
	if (strcmp(p->income_band, "$150,000 or more") == 0 ||
	    strcmp(p->income_band, "$100,000-$149,999") == 0)
		ck_assert(!is_one_of(p->economic_status, low_econ));
	if (strcmp(p->income_band, "under $25,000") == 0)
		ck_assert(!is_one_of(p->economic_status, high_econ));
	if (strcmp(p->marital_status, "married") == 0)
		ck_assert(is_one_of(p->household, partnered));
}

START_TEST(conditionals_are_consistent)
{
	struct persona p;
	int i, doctors = 0, retired = 0;

	ck_assert_int_eq(persona_tables_plan(tables, 5, NSAMPLES), 0);
	for (i = 0; i < NSAMPLES; i++) {
		persona_sample(tables, 5, (uint64_t)i, &p);
		check_consistent(&p);
		doctors += strcmp(p.occupation, "Physician") == 0;
		retired += strcmp(p.occupation, "Retired") == 0;
	}
	ck_assert_int_gt(doctors, 0);
	ck_assert_int_gt(retired, NSAMPLES / 20);
}
END_TEST

/* Occupations in which CPS table 11b counts no worker under 25: their
 * occupation_age.tsv rows have no 18-21 or 22-24 band, so the sampler
 * never keeps them for a younger persona. */
static const char *const no_young[] = { "Physician", "Dentist",
	"Veterinarian", "Nurse practitioner", NULL };

START_TEST(occupations_follow_age)
{
	struct persona p;
	int i, old = 0, young = 0, cash_young = 0, cash_old = 0;

	ck_assert_int_eq(persona_tables_plan(tables, 9, NSAMPLES), 0);
	for (i = 0; i < NSAMPLES; i++) {
		persona_sample(tables, 9, (uint64_t)i, &p);
		if (is_one_of(p.occupation, no_young))
			ck_assert_msg(p.age >= 25, "%s aged %d",
				      p.occupation, p.age);
		if (strcmp(p.employment_status, "employed") != 0)
			continue;
		if (p.age < 25) {
			young++;
			cash_young += strcmp(p.occupation, "Cashier") == 0;
		} else if (p.age >= 45) {
			old++;
			cash_old += strcmp(p.occupation, "Cashier") == 0;
		}
	}
	/* Cashiers are young (median age 26.1 in table 11b): a larger share
	 * of employed personas under 25 than of those 45 or older. */
	ck_assert_int_gt(young, 0);
	ck_assert_int_gt(old, 0);
	ck_assert_msg((double)cash_young / young > 2.0 * cash_old / old,
		      "cashiers: %d of %d young, %d of %d old", cash_young,
		      young, cash_old, old);
}
END_TEST

static const char *const test_cards[] = {
	"4111111111111111", "4242424242424242", "4012888888881881",
	"5555555555554444", "5105105105105100", "378282246310005",
	"371449635398431", "6011111111111117", "6011000990139424",
	"3566002020360505", "30569309025904", NULL
};

static int
luhn_ok(const char *s)
{
	int sum = 0, dbl = 0, d;
	size_t i = strlen(s);

	while (i-- > 0) {
		d = s[i] - '0';
		if (dbl && (d *= 2) > 9)
			d -= 9;
		sum += d;
		dbl = !dbl;
	}
	return sum % 10 == 0;
}

static const struct {
	const char *field, *pattern;
} id_patterns[] = {
	{ "id", "^p[0-9]{6,}$" },
	{ "uuid", "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
		  "[0-9a-f]{12}$" },
	{ "email", "^[a-z0-9]+\\.[a-z0-9]+\\.[0-9]{6}"
		   "@example\\.(com|org|net)$" },
	{ "phone", "^\\([2-9][0-9]{2}\\) 555-01[0-9]{2}$" },
	{ "national_id", "^(000|666)-(0[1-9]|[1-9][0-9])-"
			 "([0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}"
			 "|[1-9][0-9]{3})$" },
};

START_TEST(identifiers_are_reserved)
{
	regex_t re[N(id_patterns)];
	const struct persona_field *f;
	struct persona p;
	int i, k;

	for (k = 0; k < N(id_patterns); k++)
		ck_assert_int_eq(regcomp(&re[k], id_patterns[k].pattern,
					 REG_EXTENDED | REG_NOSUB), 0);
	ck_assert_int_eq(persona_tables_plan(tables, 9, 20000), 0);
	for (i = 0; i < 20000; i++) {
		persona_sample(tables, 9, (uint64_t)i, &p);
		for (k = 0; k < N(id_patterns); k++) {
			f = persona_field_find(id_patterns[k].field);
			ck_assert_msg(regexec(&re[k], f->text(&p), 0, NULL,
					      0) == 0, "%s '%s'", f->name,
				      f->text(&p));
		}
		ck_assert(is_one_of(p.card_number, test_cards));
		ck_assert(luhn_ok(p.card_number));
	}
	for (k = 0; k < N(id_patterns); k++)
		regfree(&re[k]);
	for (k = 0; test_cards[k] != NULL; k++)
		ck_assert(luhn_ok(test_cards[k]));
}
END_TEST

START_TEST(languages_are_distinct)
{
	struct persona p;
	int i, a, b, count[4] = { 0 };

	ck_assert_int_eq(persona_tables_plan(tables, 13, 20000), 0);
	for (i = 0; i < 20000; i++) {
		persona_sample(tables, 13, (uint64_t)i, &p);
		ck_assert(p.nlanguages >= 1 && p.nlanguages <= 3);
		count[p.nlanguages]++;
		for (a = 0; a < p.nlanguages; a++)
			for (b = a + 1; b < p.nlanguages; b++)
				ck_assert_str_ne(p.language[a], p.language[b]);
		ck_assert(strstr(p.languages, "none") == NULL);
		ck_assert(strncmp(p.languages, p.language[0],
				  strlen(p.language[0])) == 0);
	}
	ck_assert_int_gt(count[2], 0);
	ck_assert_int_gt(count[3], 0);
}
END_TEST

START_TEST(field_table_is_sane)
{
	const struct persona_field *f;
	struct persona p;
	size_t i, j;
	const char *c;

	persona_sample(tables, 1, 0, &p);
	ck_assert_uint_ge(persona_nfields, 30);
	for (i = 0; i < persona_nfields; i++) {
		f = &persona_fields[i];
		for (c = f->name; *c; c++)
			ck_assert((*c >= 'a' && *c <= 'z') || *c == '_' ||
				  (*c >= '0' && *c <= '9'));
		ck_assert(f->type == PERSONA_INT ? f->num != NULL :
			  f->text != NULL && f->text(&p)[0] != '\0');
		for (j = 0; j < i; j++)
			ck_assert_str_ne(f->name, persona_fields[j].name);
	}
	ck_assert_int_eq(persona_field_find("age")->type, PERSONA_INT);
	ck_assert_int_eq(persona_field_find("big5_neuroticism")->num(&p),
			 p.big5[PERSONA_NEUROTICISM].score);
	ck_assert_ptr_null(persona_field_find("nope"));
}
END_TEST

/* The big5 array of a JSON persona agrees with the struct. */
static void
check_big5_json(const cJSON *arr, const struct persona *p)
{
	const cJSON *o;
	int i;

	ck_assert_int_eq(cJSON_GetArraySize(arr), PERSONA_NTRAITS);
	for (i = 0; i < PERSONA_NTRAITS; i++) {
		o = cJSON_GetArrayItem(arr, i);
		ck_assert_str_eq(json_get_str(o, "trait", ""),
				 persona_trait_names[i]);
		ck_assert_int_eq((int)json_get_num(o, "score", -1),
				 p->big5[i].score);
		ck_assert_str_eq(json_get_str(o, "band", ""), p->big5[i].band);
		ck_assert_str_eq(json_get_str(o, "description", ""),
				 p->big5[i].description);
	}
}

START_TEST(json_round_trip)
{
	const struct persona_field *f;
	struct persona p;
	cJSON *obj, *back = NULL;
	const cJSON *v;
	char *text;
	size_t i;

	persona_sample(tables, 77, 3, &p);
	obj = persona_to_json(&p);
	ck_assert_ptr_nonnull(obj);
	text = json_print(obj);
	ck_assert_ptr_nonnull(text);
	ck_assert_int_eq(json_parse(text, strlen(text), &back, NULL), 0);
	for (i = 0; i < persona_nfields; i++) {
		f = &persona_fields[i];
		v = json_get(back, f->name);
		ck_assert_ptr_nonnull(v);
		if (f->type == PERSONA_INT)
			ck_assert(cJSON_IsNumber(v) &&
				  (long)v->valuedouble == f->num(&p));
		else
			ck_assert_str_eq(cJSON_GetStringValue(v), f->text(&p));
	}
	check_big5_json(json_get(back, "big5"), &p);
	free(text);
	cJSON_Delete(obj);
	cJSON_Delete(back);
}
END_TEST

static const struct {
	const char *file, *text; /* NULL text: the file is missing */
	int line;
	const char *msg;
} bad_tables[] = {
	{ "education.tsv", "# c\tv\tw\n18-21/male\thigh school diploma\tabc\n",
	  2, "weight 'abc'" },
	{ "education.tsv", "18-21/*\thigh school diploma\t-1\n", 1, "weight" },
	{ "age.tsv", "# header\n\n*  18-21  5\n", 3, "3 tab-separated" },
	{ "age_detail.tsv", "85+/*\t30-20\t1\n", 1, "age range '30-20'" },
	{ "age_detail.tsv", "85+/*\t100+1\t1\n", 1, "age range '100+1'" },
	{ "birth_decade.tsv", "*\t1950\t1\n", 1, "birth decade '1950'" },
	{ "city.tsv", "Maine/urban\tPortland\t1\n", 1, "want 4" },
	{ "state.tsv", "Northeast\tMaine\t1\r\nNowhere\tOhio\t1\n", 2,
	  "'Nowhere' is not a value of region.tsv" },
	{ "household.tsv", "married\twith partner\t1\n", 1, "part" },
	{ "gender.tsv", "female\tfemale\t1\n", 1, "must be '*'" },
	{ "city.tsv", "New York/*\tBuffalo\t1\tErie County\n", 0,
	  "no rows for condition" },
	{ "area_code.tsv", "New York\t21\t1\n", 1, "three digits" },
	{ "state_neighbor.tsv", "Ohio\tAtlantis\t1\n", 1,
	  "neighbour 'Atlantis' is not a value of state.tsv" },
	{ "last_name.tsv", "# only comments\n", 0, "no rows" },
	{ "big5.tsv", "openness\tlow\tconventional\n", 0, "no description" },
	{ "big5.tsv", "openness\tlow\tx\nopenes\thigh\ty\n", 2,
	  "unknown trait" },
	{ "gender.tsv", NULL, 0, "cannot read" },
	{ "occupation_age.tsv", "*\t18-21\t1\nCashier\told\t1\n", 2,
	  "'old' is not a value of age.tsv" },
	{ "occupation_sex.tsv", "*\tfemale\t1\nCashier\twoman\t1\n", 2,
	  "'woman' is not a value of gender.tsv" },
};

/* A scratch data dir: symlinks to every real table, then `file` replaced
 * by `text` (or removed). Returns the dir in `dir`. */
static void
make_bad_dir(char *dir, size_t n, const char *file, const char *text)
{
	char from[8400], to[8400];
	struct dirent *de;
	DIR *d;
	FILE *fp;

	snprintf(dir, n, "/tmp/pf-personas-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	d = opendir(datadir);
	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL) {
		if (strstr(de->d_name, ".tsv") == NULL ||
		    strcmp(de->d_name, file) == 0)
			continue;
		snprintf(from, sizeof(from), "%s/%s", datadir, de->d_name);
		snprintf(to, sizeof(to), "%s/%s", dir, de->d_name);
		ck_assert_int_eq(symlink(from, to), 0);
	}
	closedir(d);
	if (text == NULL)
		return;
	snprintf(to, sizeof(to), "%s/%s", dir, file);
	fp = fopen(to, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
}

static void
remove_dir(const char *dir)
{
	char path[8400];
	struct dirent *de;
	DIR *d = opendir(dir);

	while (d != NULL && (de = readdir(d)) != NULL) {
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (de->d_name[0] != '.')
			unlink(path);
	}
	if (d != NULL)
		closedir(d);
	rmdir(dir);
}

START_TEST(bad_table_names_file_line)
{
	struct persona_tables *t = (struct persona_tables *)1;
	char dir[64], want[200], msg[1400];
	struct pf_error err;
	size_t fl, wl;

	make_bad_dir(dir, sizeof(dir), bad_tables[_i].file,
		     bad_tables[_i].text);
	ck_assert_int_eq(persona_tables_load(dir, &t, &err), -1);
	remove_dir(dir);
	ck_assert_ptr_null(t);
	fl = strlen(err.file);
	wl = strlen(bad_tables[_i].file);
	ck_assert(fl > wl && err.file[fl - wl - 1] == '/' &&
		  strcmp(err.file + fl - wl, bad_tables[_i].file) == 0);
	ck_assert_int_eq(err.line, bad_tables[_i].line);
	ck_assert_msg(strstr(err.msg, bad_tables[_i].msg) != NULL, "msg: %s",
		      err.msg);
	pf_error_format(&err, msg, sizeof(msg));
	snprintf(want, sizeof(want), "%s:%d:", bad_tables[_i].file,
		 bad_tables[_i].line);
	if (bad_tables[_i].line > 0)
		ck_assert_msg(strstr(msg, want) != NULL, "%s", msg);
	persona_tables_free(NULL);
}
END_TEST

/* Many samples in a row: every one is a valid persona (ages 18..104 from
 * a row of age.tsv, at least one language). Speed is bench/'s business. */
START_TEST(many_samples_are_valid)
{
	struct persona p;
	uint64_t i, n = 500000;

	ck_assert_int_eq(persona_tables_plan(tables, 99, n), 0);
	for (i = 0; i < n; i++) {
		persona_sample(tables, 99, i, &p);
		ck_assert_int_ge(p.age, 18);
		ck_assert_int_le(p.age, 104);
		ck_assert_ptr_nonnull(p.age_band);
		ck_assert_int_ge(p.nlanguages, 1);
		ck_assert_ptr_nonnull(p.language[0]);
	}
}
END_TEST

/* A phone plan changes no persona: persona i is the same with a plan of
 * any size as without one (its redraws read only lower indexes). */
START_TEST(plan_is_exact)
{
	struct persona a[300], b;
	uint64_t i;

	for (i = 0; i < 300; i++)
		persona_sample(tables, 21, i, &a[i]);
	ck_assert_int_eq(persona_tables_plan(tables, 21, 100), 0);
	for (i = 0; i < 300; i++) {
		persona_sample(tables, 21, i, &b);
		ck_assert(same(&a[i], &b));
	}
	ck_assert_int_eq(persona_tables_plan(tables, 21, 5000), 0);
	for (i = 0; i < 300; i++) {
		persona_sample(tables, 21, i, &b);
		ck_assert(same(&a[i], &b));
	}
	ck_assert_int_eq(persona_tables_plan(tables, 22, 5000), 0);
	persona_sample(tables, 21, 299, &b);
	ck_assert(same(&a[299], &b));
}
END_TEST

#define NPOP 10000

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* How many distinct strings v[0..n) holds (sorts v). */
static int
distinct(char **v, int n)
{
	int i, d = n > 0;

	qsort(v, (size_t)n, sizeof(*v), cmp_str);
	for (i = 1; i < n; i++)
		d += strcmp(v[i - 1], v[i]) != 0;
	return d;
}

/* Whether table `file` has a row "cond<TAB>value<TAB>..." (value cut to
 * `vlen` bytes, 0 for all). */
static int
has_row(const char *file, const char *cond, const char *value, int vlen)
{
	char path[4200], line[256], want[200];
	int found = 0;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", datadir, file);
	snprintf(want, sizeof(want), "%s\t%.*s\t", cond,
		 vlen > 0 ? vlen : 100, value);
	fp = fopen(path, "r");
	ck_assert_ptr_nonnull(fp);
	while (!found && fgets(line, sizeof(line), fp) != NULL)
		found = strncmp(line, want, strlen(want)) == 0;
	fclose(fp);
	return found;
}

/* Whether area_code.tsv lists `code` (its first 3 bytes) for `state`. */
static int
area_of_state(const char *state, const char *code)
{
	return has_row("area_code.tsv", state, code, 3);
}

enum { K_NAME, K_FIRST, K_LAST, K_STATE, K_CITY, K_PHONE, K_SSN, K_MAIL,
       K_N };

/* On 10,000 personas: phones, national ids and emails are unique, phones
 * carry an area code of the persona's state, and the name, place and age
 * bars of the population hold. */
START_TEST(population_bars)
{
	static char buf[K_N][NPOP][128];
	static char *v[K_N][NPOP];
	static const int bar[K_N] = { 9000, 1000, 3000, 51, 1000, NPOP, NPOP,
				      NPOP };
	struct persona p;
	int i, k, old = 0;

	ck_assert_int_eq(persona_tables_plan(tables, 42, NPOP), 0);
	for (i = 0; i < NPOP; i++) {
		persona_sample(tables, 42, (uint64_t)i, &p);
		snprintf(buf[K_NAME][i], 128, "%s", p.name);
		snprintf(buf[K_FIRST][i], 128, "%s", p.first_name);
		snprintf(buf[K_LAST][i], 128, "%s", p.last_name);
		snprintf(buf[K_STATE][i], 128, "%s", p.state);
		snprintf(buf[K_CITY][i], 128, "%s/%s", p.state, p.city);
		snprintf(buf[K_PHONE][i], 128, "%s", p.phone);
		snprintf(buf[K_SSN][i], 128, "%s", p.national_id);
		snprintf(buf[K_MAIL][i], 128, "%s", p.email);
		for (k = 0; k < K_N; k++)
			v[k][i] = buf[k][i];
		ck_assert_msg(area_of_state(p.state, p.phone + 1), "%s %s",
			      p.state, p.phone);
		old += p.age >= 90;
	}
	for (k = 0; k < K_N; k++)
		ck_assert_int_ge(distinct(v[k], NPOP), bar[k]);
	ck_assert_int_gt(old, 0);
}
END_TEST

/* Quotas by a non-root attribute pair are met exactly, by redraws. */
START_TEST(quota_counts_are_exact)
{
	const char *json = "{\"by\": [\"education\", \"urban_rural\"], "
		"\"counts\": {\"doctorate/rural\": 30, "
		"\"high school diploma/urban\": 70}}";
	struct persona_quota *q = NULL;
	struct pf_error err;
	struct jfield x = { "q.json", &err };
	struct persona p;
	cJSON *j = cJSON_Parse(json);
	int i, doc = 0, hs = 0;

	ck_assert_ptr_nonnull(j);
	ck_assert_int_eq(persona_quota_parse(&x, j, &q), 0);
	ck_assert_int_eq(persona_tables_plan_quota(tables, 5, 100, q, &x), 0);
	for (i = 0; i < 100; i++) {
		persona_sample(tables, 5, (uint64_t)i, &p);
		doc += strcmp(p.education, "doctorate") == 0 &&
		       strcmp(p.urban_rural, "rural") == 0;
		hs += strcmp(p.education, "high school diploma") == 0 &&
		      strcmp(p.urban_rural, "urban") == 0;
	}
	ck_assert_int_eq(doc, 30);
	ck_assert_int_eq(hs, 70);
	ck_assert_int_eq(persona_tables_plan_quota(tables, 5, 99, q, &x), -1);
	ck_assert_msg(strstr(err.msg, "add up to 100") != NULL, "%s",
		      err.msg);
	persona_quota_free(q);
	cJSON_Delete(j);
}
END_TEST

/* Whether state_neighbor.tsv lists `n` as a neighbour of `state`. */
static int
is_neighbor(const char *state, const char *n)
{
	return has_row("state_neighbor.tsv", state, n, 0);
}

/* Wyoming has one area code, so 100 numbers: its 101st persona on
 * borrows a neighbouring state's code; the first 100 are distinct. */
START_TEST(phones_borrow_from_neighbors)
{
	static const char *const states[] = { "Colorado", "Idaho", "Montana",
		"Nebraska", "South Dakota", "Utah" };
	static char seen[100][24];
	struct persona p;
	int i, k, n = 0, borrowed = 0, ok;

	ck_assert_int_eq(persona_tables_plan(tables, 8, 90000), 0);
	for (i = 0; i < 90000; i++) {
		persona_sample(tables, 8, (uint64_t)i, &p);
		if (strcmp(p.state, "Wyoming") != 0)
			continue;
		if (n < 100) {
			ck_assert(area_of_state("Wyoming", p.phone + 1));
			for (k = 0; k < n; k++)
				ck_assert_str_ne(seen[k], p.phone);
			snprintf(seen[n], sizeof(seen[n]), "%s", p.phone);
		} else {
			for (k = 0, ok = 0; k < N(states); k++)
				ok |= is_neighbor("Wyoming", states[k]) &&
				      area_of_state(states[k], p.phone + 1);
			ck_assert_msg(ok, "%s", p.phone);
			borrowed++;
		}
		n++;
	}
	ck_assert_int_gt(borrowed, 0);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("personas");
	TCase *tc = tcase_create("sampler");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, sample_is_deterministic);
	tcase_add_test(tc, sample_is_order_independent);
	tcase_add_test(tc, seeds_differ);
	tcase_add_loop_test(tc, big5_clip_and_band, 0, N(big5_cases));
	tcase_add_test(tc, big5_sampled_scores);
	tcase_add_test(tc, marginals_match_tables);
	tcase_add_test(tc, conditionals_are_consistent);
	tcase_add_test(tc, occupations_follow_age);
	tcase_add_test(tc, identifiers_are_reserved);
	tcase_add_test(tc, languages_are_distinct);
	tcase_add_test(tc, field_table_is_sane);
	tcase_add_test(tc, json_round_trip);
	tcase_add_loop_test(tc, bad_table_names_file_line, 0, N(bad_tables));
	tcase_add_test(tc, many_samples_are_valid);
	tcase_add_test(tc, plan_is_exact);
	tcase_add_test(tc, population_bars);
	tcase_add_test(tc, quota_counts_are_exact);
	tcase_add_test(tc, phones_borrow_from_neighbors);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_tap_run(suite());
}
