/* test_prefview.c - the text checks of the preference and judge stages
 * (generators/prefview.h): labels, shared word runs, answers named by
 * position, BPDE, trait combinations that never repeat. */
#include <math.h>
#include <string.h>

#include "generators/prefview.h"
#include "check_tap.h"

START_TEST(labels)
{
	static const struct {
		const char *text;
		int label;
	} t[] = {
		{ "[concise] Set a stop time.", 1 },
		{ "Here is a fuller plan (verbose): first...", 1 },
		{ "Expert: measure a baseline.", 1 },
		{ "A concise answer helps.", 0 },
		{ "Keep it casual and short.", 0 },
		{ "[Formal] Regarding your question", 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ck_assert_msg(pref_has_label(t[i].text) == t[i].label,
			      "%s", t[i].text);
}
END_TEST

START_TEST(runs)
{
	const char *a = "Pick one small change and keep it going.";

	ck_assert(pref_shares_run("I like \"one small change and\" here", a,
				  4));
	ck_assert(!pref_shares_run("one small change", a, 4));
	ck_assert(pref_shares_run("PICK one, small CHANGE!", a, 4));
	ck_assert(!pref_shares_run("keep it going", a, 4));
}
END_TEST

START_TEST(positions)
{
	static const struct {
		const char *r;
		int named;
	} t[] = {
		{ "Answer A is better for me.", 1 },
		{ "I prefer B.", 1 },
		{ "The first one suits me.", 1 },
		{ "The second reply is too long.", 1 },
		{ "I prefer A, clearly.", 1 },
		{ "A short answer suits me: \"pick one small change\".", 0 },
		{ "It says \"first, write down the goal\", which I like.", 0 },
		{ "\"Set a ten-minute limit\" respects my time.", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ck_assert_msg(pref_names_position(t[i].r) == t[i].named,
			      "%s", t[i].r);
}
END_TEST

START_TEST(bpde)
{
	ck_assert_double_eq_tol(pref_bpde(6, 0, 0), 0.0, 1e-12);
	ck_assert_double_eq_tol(pref_bpde(3, 3, 0), log(2), 1e-12);
	ck_assert_double_eq_tol(pref_bpde(2, 2, 2), log(3), 1e-12);
	ck_assert_double_eq_tol(pref_bpde(0, 0, 0), 0.0, 1e-12);
}
END_TEST

START_TEST(traits_never_repeat)
{
	int seen[PREF_COMBOS], i, tr, ty;
	int64_t p;

	for (p = 0; p < 100; p++) {
		memset(seen, 0, sizeof(seen));
		for (i = 0; i < PREF_COMBOS; i++) {
			pref_trait_of(3, p, i, &tr, &ty);
			ck_assert(tr >= 0 && tr < PREF_NTRAITS);
			ck_assert(ty >= 0 && ty < PREF_NTYPES);
			ck_assert_int_eq(seen[tr * PREF_NTYPES + ty]++, 0);
		}
	}
}
END_TEST

START_TEST(measures)
{
	ck_assert_int_eq(pref_words("one two, three-four five."), 4);
	ck_assert_int_gt(pref_measure(AXIS_TONE, "Great fun, worth it."), 0);
	ck_assert_int_lt(pref_measure(AXIS_TONE, "Be careful: risks."), 0);
	ck_assert_int_gt(pref_measure(AXIS_EXPERTISE, "Set a baseline "
				      "threshold."), 0);
	ck_assert_int_lt(pref_measure(AXIS_REGISTER, "Therefore I "
				      "recommend it."), 0);
}
END_TEST

/* The persona axis counts whole-word mentions of one person's details. */
START_TEST(fit)
{
	static const struct {
		const char *text, *first, *city, *job;
		int age, want;
	} t[] = {
		{ "Ana, at 34 in Reno, a nurse can plan shifts.", "Ana", "Reno",
		  "Nurse", 34, 4 },
		{ "Anabel lives in Renotown at 340.", "Ana", "Reno", "nurse",
		  34, 0 },
		{ "ana and ANA in Reno", "Ana", "Reno", NULL, 0, 3 },
		{ "Nothing here.", "Ana", "", "", 34, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ck_assert_msg(pref_fit(t[i].text, t[i].first, t[i].city,
				       t[i].job, t[i].age) == t[i].want,
			      "case %zu", i);
	ck_assert_str_eq(pref_axis_names[AXIS_PERSONA], "persona");
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("prefview");
	TCase *tc = tcase_create("checks");

	tcase_add_test(tc, labels);
	tcase_add_test(tc, runs);
	tcase_add_test(tc, positions);
	tcase_add_test(tc, bpde);
	tcase_add_test(tc, traits_never_repeat);
	tcase_add_test(tc, measures);
	tcase_add_test(tc, fit);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_tap_run(suite());
}
