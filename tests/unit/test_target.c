/* test_target.c - sampled attributes against their tables
 * (personas/target.h), on small tables whose targets are computed by
 * hand: the most specific condition wins ("*" matches anything), a
 * value the table lacks counts against the TVD, the sex shares reweight
 * female and male personas only, age bands come from age ranges, and a
 * missing table is named. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "personas/target.h"
#include "tests/unit/check_tap.h"

static char dir[256];
static const char *dirs[] = { dir, NULL };

static void
put(const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static void
setup(void)
{
	snprintf(dir, sizeof(dir), "%s/pf-target.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	put("one.tsv", "# condition\tvalue\tweight\n"
	    "a\tx\t3\na\ty\t1\nb\tx\t1\nb\ty\t1\n*\tz\t1\n");
	put("two.tsv", "a/*\tp\t1\na/m\tq\t1\n*/m\tr\t1\n");
	put("occ.tsv", "*\tdoc\t1\n*\tnurse\t1\n");
	put("occ_sex.tsv", "doc\tfemale\t25\ndoc\tmale\t75\n"
	    "*\tfemale\t50\n*\tmale\t50\n");
	put("ages.tsv", "18-21/male\t18-19\t1\n18-21/male\t20-21\t1\n"
	    "100+/female\t100+\t1\n");
	put("mh.tsv", "*\tnone\t60\n*\tsad\t30\n*\tanxious\t10\n");
	put("mh_any.tsv", "young\tany\t40\nyoung\tnone\t60\n"
	    "old\tany\t10\nold\tnone\t90\n");
}

static void
teardown(void)
{
	static const char *const files[] = { "one.tsv", "two.tsv", "occ.tsv",
		"occ_sex.tsv", "ages.tsv", "bad.tsv", "mh.tsv", "mh_any.tsv" };
	char path[512];
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

/* The target count of value v in r (-1 when absent). */
static double
expected(const struct target_result *r, const char *v, int64_t *sampled)
{
	size_t i;

	for (i = 0; i < r->nvalues; i++)
		if (strcmp(r->values[i], v) == 0) {
			*sampled = r->sampled[i];
			return r->expected[i];
		}
	return -1;
}

START_TEST(mixture_and_tvd)
{
	static const struct target_check c = { .table = "one.tsv",
		.field = "f", .conds = { "c" }, .nconds = 1 };
	static const struct { const char *cond, *value; } rows[] = {
		{ "a", "x" }, { "a", "x" }, { "b", "y" }, { "c", "z" },
	};
	struct target_result r;
	struct target *t;
	struct pf_error e;
	const char *parts[1];
	int64_t s;
	size_t i;

	pf_error_clear(&e);
	ck_assert_int_eq(target_load(dirs, &c, &t, &e), 0);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		parts[0] = rows[i].cond;
		ck_assert_int_eq(target_add(t, parts, NULL, rows[i].value), 0);
	}
	ck_assert_int_eq(target_result(t, &r), 0);
	/* a: 2 x (3/4, 1/4); b: 1 x (1/2, 1/2); c: the "*" group, z */
	ck_assert_double_eq_tol(expected(&r, "x", &s), 2.0, 1e-12);
	ck_assert_int_eq(s, 2);
	ck_assert_double_eq_tol(expected(&r, "y", &s), 1.0, 1e-12);
	ck_assert_double_eq_tol(expected(&r, "z", &s), 1.0, 1e-12);
	ck_assert_double_eq_tol(r.tvd, 0, 1e-12);
	/* a value the table lacks, in group a: x 2.75, y 1.25, w 0 */
	parts[0] = "a";
	ck_assert_int_eq(target_add(t, parts, NULL, "w"), 0);
	ck_assert_int_eq(target_result(t, &r), 0);
	ck_assert_double_eq_tol(expected(&r, "x", &s), 2.75, 1e-12);
	ck_assert_double_eq_tol(expected(&r, "w", &s), 0, 1e-12);
	ck_assert_int_eq(s, 1);
	ck_assert_int_eq(r.n, 5);
	ck_assert_double_eq_tol(r.tvd, 0.2, 1e-12);   /* (.75+.25+1)/2/5 */
	target_free(t);
}
END_TEST

START_TEST(most_specific_group)
{
	static const struct target_check c = { .table = "two.tsv",
		.field = "f", .conds = { "c1", "c2" }, .nconds = 2 };
	static const struct { const char *p1, *p2, *want; } rows[] = {
		{ "a", "m", "q" },    /* "a/m" (3) beats "a/ *" (2), "* /m" (1) */
		{ "a", "f", "p" },    /* only "a/ *" fits */
		{ "b", "m", "r" },    /* only "* /m" fits */
	};
	struct target_result r;
	struct target *t;
	struct pf_error e;
	const char *parts[2];
	int64_t s;
	size_t i;

	pf_error_clear(&e);
	ck_assert_int_eq(target_load(dirs, &c, &t, &e), 0);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		parts[0] = rows[i].p1;
		parts[1] = rows[i].p2;
		ck_assert_int_eq(target_add(t, parts, NULL, rows[i].want), 0);
	}
	ck_assert_int_eq(target_result(t, &r), 0);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		ck_assert_double_eq_tol(expected(&r, rows[i].want, &s), 1.0,
					1e-12);
	ck_assert_double_eq_tol(r.tvd, 0, 1e-12);
	target_free(t);
}
END_TEST

START_TEST(sex_reweighting)
{
	static const struct target_check c = { .table = "occ.tsv",
		.field = "occupation", .sex_table = "occ_sex.tsv" };
	struct target_result r;
	struct target *t;
	struct pf_error e;
	int64_t s;

	pf_error_clear(&e);
	ck_assert_int_eq(target_load(dirs, &c, &t, &e), 0);
	ck_assert_int_eq(target_add(t, NULL, "female", "nurse"), 0);
	ck_assert_int_eq(target_add(t, NULL, "male", "doc"), 0);
	ck_assert_int_eq(target_add(t, NULL, "nonbinary", "doc"), 0);
	ck_assert_int_eq(target_result(t, &r), 0);
	/* female: doc .25/.75, nurse .5/.75; male: doc .75/1.25, nurse
	 * .5/1.25; nonbinary: not reweighted, 1/2 each */
	ck_assert_double_eq_tol(expected(&r, "doc", &s),
				1.0 / 3 + 0.6 + 0.5, 1e-12);
	ck_assert_int_eq(s, 2);
	ck_assert_double_eq_tol(expected(&r, "nurse", &s),
				2.0 / 3 + 0.4 + 0.5, 1e-12);
	target_free(t);
}
END_TEST

/* Under an any table the no-condition share comes from it, not from the
 * main table's own "none" row (mental health, drawn as the sampler does):
 * 2 young (any .4) and 3 old (any .1) personas. */
START_TEST(any_table)
{
	static const struct target_check c = { .table = "mh.tsv",
		.field = "m", .conds = { "band" }, .nconds = 1,
		.any_table = "mh_any.tsv" };
	static const char *const band[] = { "young", "young", "old", "old",
		"old" };
	struct target_result r;
	struct target *t;
	struct pf_error e;
	const char *parts[1];
	int64_t s;
	size_t i;

	pf_error_clear(&e);
	ck_assert_int_eq(target_load(dirs, &c, &t, &e), 0);
	for (i = 0; i < 5; i++) {
		parts[0] = band[i];
		ck_assert_int_eq(target_add(t, parts, NULL, "none"), 0);
	}
	ck_assert_int_eq(target_result(t, &r), 0);
	/* none: 2 x .6 + 3 x .9; sad: (2 x .4 + 3 x .1) x 3/4 */
	ck_assert_double_eq_tol(expected(&r, "none", &s), 3.9, 1e-12);
	ck_assert_double_eq_tol(expected(&r, "sad", &s), 0.825, 1e-12);
	ck_assert_double_eq_tol(expected(&r, "anxious", &s), 0.275, 1e-12);
	target_free(t);
}
END_TEST

START_TEST(age_bands_and_missing_table)
{
	static const struct target_check ages = { .table = "ages.tsv",
		.field = "age_range", .conds = { "age_band" }, .nconds = 1 };
	static const struct target_check gone = { .table = "gone.tsv",
		.field = "f" };
	struct target *t = NULL;
	struct pf_error e;
	char band[32];

	pf_error_clear(&e);
	ck_assert_int_eq(target_load(dirs, &ages, &t, &e), 0);
	ck_assert_int_eq(target_age_band(t, 19, band, sizeof(band)), 0);
	ck_assert_str_eq(band, "18-21");
	ck_assert_int_eq(target_age_band(t, 21, band, sizeof(band)), 0);
	ck_assert_str_eq(band, "18-21");
	ck_assert_int_eq(target_age_band(t, 103, band, sizeof(band)), 0);
	ck_assert_str_eq(band, "100+");
	ck_assert_int_eq(target_age_band(t, 17, band, sizeof(band)), -1);
	ck_assert_int_eq(target_age_band(t, 105, band, sizeof(band)), -1);
	target_free(t);
	ck_assert_int_eq(target_load(dirs, &gone, &t, &e), -1);
	ck_assert_ptr_null(t);
	ck_assert_ptr_nonnull(strstr(e.msg, "gone.tsv: not found"));
	put("bad.tsv", "a\tx\tzero\n");
	ck_assert_int_eq(target_load(dirs, &(struct target_check){
		.table = "bad.tsv", .field = "f" }, &t, &e), -1);
	ck_assert_int_eq(e.line, 1);
	ck_assert_ptr_nonnull(strstr(e.file, "bad.tsv"));
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("target");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, mixture_and_tvd);
	tcase_add_test(tc, most_specific_group);
	tcase_add_test(tc, sex_reweighting);
	tcase_add_test(tc, any_table);
	tcase_add_test(tc, age_bands_and_missing_table);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_tap_run(suite());
}
