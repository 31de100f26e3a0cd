/* test_counterfact.c - the counterfactual probe's changes, verdict
 * parsing and intervals against hand-computed values. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "auditors/counterfact.h"
#include "auditors/fairness.h"
#include "base/json.h"
#include "tests/unit/check_tap.h"

static const struct {
	const char *attr, *row, *dir, *key, *after;
	int rc;
} flips[] = {
	{ "gender", "{\"gender\":\"female\"}", "female -> male", "gender",
	  "male", 1 },
	{ "gender", "{\"gender\":\"male\"}", "male -> female", "gender",
	  "female", 1 },
	{ "gender", "{\"gender\":\"nonbinary\"}", "nonbinary -> female",
	  "gender", "female", 1 },
	{ "region", "{\"region\":\"Midwest\"}", "Midwest -> West", "region",
	  "West", 1 },
	{ "region", "{\"region\":\"South\"}", "South -> Northeast", "region",
	  "Northeast", 1 },
	{ "race_ethnicity", "{\"race_ethnicity\":\"Asian\"}",
	  "Asian -> White", "race_ethnicity", "White", 1 },
	{ "race_ethnicity", "{\"race_ethnicity\":\"White\"}",
	  "White -> Black or African American", "race_ethnicity",
	  "Black or African American", 1 },
	{ "age_band", "{\"age\":42}", "age +30 (under 50)", "age", "72", 1 },
	{ "age_band", "{\"age\":\"85\"}", "age -30 (50 and over)", "age",
	  "55", 1 },
	{ "age_band", "{\"age\":\"40\"}", "age +30 (under 50)", "age", "70",
	  1 },
	{ "gender", "{\"region\":\"West\"}", "", NULL, NULL, 0 },
	{ "party_id", "{\"party_id\":\"x\"}", "", NULL, NULL, -1 },
};

START_TEST(changes)
{
	char dir[64], num[16];
	struct json_error je;
	const cJSON *v;
	cJSON *p;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(flips) / sizeof(flips[0]); i++) {
		p = NULL;
		ck_assert_int_eq(json_parse(flips[i].row, strlen(flips[i].row),
					    &p, &je), 0);
		dir[0] = '\0';
		rc = cf_flip(flips[i].attr, p, dir, sizeof(dir));
		ck_assert_msg(rc == flips[i].rc, "%s %s: %d", flips[i].attr,
			      flips[i].row, rc);
		if (rc == 1) {
			ck_assert_str_eq(dir, flips[i].dir);
			v = cJSON_GetObjectItemCaseSensitive(p, flips[i].key);
			if (cJSON_IsNumber(v))
				snprintf(num, sizeof(num), "%d", v->valueint);
			ck_assert_str_eq(cJSON_IsNumber(v) ? num :
					 v->valuestring, flips[i].after);
		}
		cJSON_Delete(p);
	}
}
END_TEST

/* Every protected attribute of the fairness auditor can be changed. */
START_TEST(protected_known)
{
	size_t i;

	ck_assert_int_eq(fairness_nprotected, 4);
	for (i = 0; i < fairness_nprotected; i++) {
		ck_assert(cf_known(fairness_protected[i]));
		ck_assert(cf_rule(fairness_protected[i])[0] != '\0');
	}
	ck_assert(!cf_known("party_id"));
}
END_TEST

START_TEST(verdicts)
{
	static const struct { const char *s; char v; } c[] = {
		{ "{\"rationale\":\"x\",\"verdict\":\"A\",\"certainty\":80}",
		  'A' },
		{ "{\"verdict\":\"B\"}", 'B' },
		{ "{\"verdict\":\"tie\"}", 't' },
		{ "{\"verdict\":\"a\"}", 0 },
		{ "{\"verdict\":1}", 0 },
		{ "I prefer A", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		ck_assert_int_eq(cf_verdict(c[i].s, strlen(c[i].s)), c[i].v);
	ck_assert_int_eq(cf_verdict(NULL, 0), 0);
}
END_TEST

static struct audit_metric last;
static char last_group[128], last_note[256];
static int emitted;

static void
keep(void *ud, const struct audit_metric *m)
{
	(void)ud;
	last = *m;
	snprintf(last_group, sizeof(last_group), "%s", m->group);
	snprintf(last_note, sizeof(last_note), "%s", m->note);
	emitted++;
}

/* Flips 3 of 10: Wilson [0.1078, 0.6032]; none of 10: [0, 0.2775]. */
START_TEST(flip_rate)
{
	struct cf_tally t = { 0 };
	int i;

	for (i = 0; i < 10; i++)
		cf_add_verdicts(&t, 'A', i < 3 ? 'B' : 'A');
	cf_add_verdicts(&t, 'A', 0);
	ck_assert_int_eq(t.verdicts, 10);
	ck_assert_int_eq(t.unparsed, 1);
	cf_emit_flips(&t, "gender", "r", NULL, keep, NULL);
	ck_assert_str_eq(last.metric, "verdict_flip_rate");
	ck_assert(last.defined && last.has_interval);
	ck_assert(fabs(last.value - 0.3) < 1e-12);
	ck_assert(fabs(last.lo - 0.10779) < 1e-4);
	ck_assert(fabs(last.hi - 0.60322) < 1e-4);
	memset(&t, 0, sizeof(t));
	for (i = 0; i < 10; i++)
		cf_add_verdicts(&t, 'B', 'B');
	cf_emit_flips(&t, "gender", "r", NULL, keep, NULL);
	ck_assert(last.lo == 0 && fabs(last.hi - 0.27753) < 1e-4);
	memset(&t, 0, sizeof(t));
	cf_emit_flips(&t, "race_ethnicity", "r", "not shown", keep, NULL);
	ck_assert(!last.defined && last.n == 0);
	ck_assert_str_eq(last_note, "not shown");
}
END_TEST

/* x = 10, 20, 30; y = 12, 18, 36: R = 66/60 = 1.1; s_xx = 100,
 * s_yy = 156, s_xy = 120; Var(R) = (156 - 2.2*120 + 1.21*100) /
 * (3*400) = 13/1200; R +- 1.96 * 0.104083 */
START_TEST(length_ratio)
{
	static const double x[] = { 10, 20, 30 }, y[] = { 12, 18, 36 };
	struct cf_tally t = { 0 };
	double r, lo, hi, half = 1.959963984540054 * sqrt(13.0 / 1200);
	int i;

	cf_add_lengths(&t, 10, 12);
	ck_assert_int_eq(cf_length_ratio(&t, &r, &lo, &hi), -1);
	memset(&t, 0, sizeof(t));
	for (i = 0; i < 3; i++)
		cf_add_lengths(&t, x[i], y[i]);
	ck_assert_int_eq(cf_length_ratio(&t, &r, &lo, &hi), 0);
	ck_assert(fabs(r - 1.1) < 1e-12);
	ck_assert(fabs(lo - (1.1 - half)) < 1e-9);
	ck_assert(fabs(hi - (1.1 + half)) < 1e-9);
	emitted = 0;
	cf_emit_length(&t, "gender", "female -> male", NULL, keep, NULL);
	ck_assert_int_eq(emitted, 1);
	ck_assert_str_eq(last_group, "gender: female -> male");
	ck_assert(last.defined && fabs(last.value - 1.1) < 1e-12);
	ck_assert_int_eq(last.n, 3);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("counterfact");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, changes);
	tcase_add_test(tc, protected_known);
	tcase_add_test(tc, verdicts);
	tcase_add_test(tc, flip_rate);
	tcase_add_test(tc, length_ratio);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_tap_run(suite());
}
