/* test_calib.c - the judge auditor against hand-computed values: four
 * pairs with known judgements, planted views and labels, read through a
 * stand-in audit source. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "auditors/calib.h"
#include "tests/unit/check_tap.h"

/* x is view_a, y view_b. */
static const struct audit_pair pairs[] = {
	/* both orders say x (concise), planted concise: right, 2 samples
	 * in bin 9 */
	{ .pair_id = "p1-r1", .view_a = "concise", .view_b = "verbose",
	  .view_chosen = "concise", .view_stated = "concise",
	  .label = "chosen", .bpde = 0, .certainty = 92,
	  .judgements = "[{\"order\":\"AB\",\"verdict\":\"x\",\"certainty\":"
	  "91},{\"order\":\"BA\",\"verdict\":\"x\",\"certainty\":93}]" },
	/* AB says x, BA says y: an order-swap conflict, labelled tie;
	 * planted y: the BA sample (bin 8) right, the AB one (bin 8) wrong */
	{ .pair_id = "p1-r2", .view_a = "formal", .view_b = "casual",
	  .view_chosen = "formal", .view_stated = "casual", .label = "tie",
	  .bpde = 0.693147, .certainty = 85,
	  .judgements = "[{\"order\":\"AB\",\"verdict\":\"x\",\"certainty\":"
	  "85},{\"order\":\"BA\",\"verdict\":\"y\",\"certainty\":85}]" },
	/* no stated view: counts for conflicts and coverage only */
	{ .pair_id = "p2-r1", .view_a = "novice", .view_b = "expert",
	  .view_chosen = "expert", .view_stated = "", .label = "chosen",
	  .bpde = 0, .certainty = 90,
	  .judgements = "[{\"order\":\"AB\",\"verdict\":\"y\",\"certainty\":"
	  "90},{\"order\":\"BA\",\"verdict\":\"y\",\"certainty\":90}]" },
	/* ties in both orders, abstained; planted x: both samples wrong,
	 * bin 5 and bin 10 (certainty 100) */
	{ .pair_id = "p2-r2", .view_a = "positive", .view_b = "negative",
	  .view_chosen = "positive", .view_stated = "positive",
	  .label = "abstain", .bpde = 0, .certainty = 75,
	  .judgements = "[{\"order\":\"AB\",\"verdict\":\"tie\",\"certainty\""
	  ":50},{\"order\":\"BA\",\"verdict\":\"tie\",\"certainty\":100}]" },
};

#define NPAIRS ((int)(sizeof(pairs) / sizeof(pairs[0])))

struct stand_in {
	struct audit_source base;
	int next;
};

static int
next_pair(struct audit_source *s, struct audit_pair *p, struct pf_error *e)
{
	struct stand_in *x = (struct stand_in *)s;

	(void)e;
	if (x->next == NPAIRS)
		return 0;
	*p = pairs[x->next++];
	return 1;
}

static const struct {
	const char *metric, *group;
	double value;
	long long n;
} want[] = {
	{ "order_swap_conflict_rate", "preference", 1.0 / 4, 4 },
	{ "bpde.mean", "preference", 0.693147 / 4, 4 },
	{ "bpde.share", "bpde=[0.6,0.8)", 1.0 / 4, 4 },
	{ "bpde.share", "bpde=[0.0,0.2)", 3.0 / 4, 4 },
	{ "accuracy", "certainty=9", 1.0, 2 },
	{ "accuracy", "certainty=8", 0.5, 2 },
	{ "accuracy", "certainty=5", 0.0, 1 },
	{ "accuracy", "certainty=10", 0.0, 1 },
	{ "accuracy", "preference", 3.0 / 6, 6 },
	{ "coverage", "preference", 2.0 / 4, 4 },
	{ "accuracy.covered", "preference", 1.0, 1 },
	{ "needs_human", "preference", 2.0 / 4, 4 },
};

struct seen {
	int found[sizeof(want) / sizeof(want[0])];
	char human_note[256];
};

static void
on_metric(void *ud, const struct audit_metric *m)
{
	struct seen *s = ud;
	size_t i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (strcmp(m->metric, want[i].metric) != 0 ||
		    strcmp(m->group, want[i].group) != 0)
			continue;
		s->found[i]++;
		ck_assert_msg(fabs(m->value - want[i].value) < 1e-9,
			      "%s %s: %g, want %g", m->metric, m->group,
			      m->value, want[i].value);
		ck_assert_int_eq(m->n, want[i].n);
	}
	if (strcmp(m->metric, "needs_human") == 0)
		snprintf(s->human_note, sizeof(s->human_note), "%s", m->note);
}

START_TEST(calibration_by_hand)
{
	struct stand_in src = { .base = { .next_pair = next_pair } };
	struct pf_error err = { 0 };
	struct seen s = { .found = { 0 } };
	size_t i;

	ck_assert_int_eq(auditor_judge.measure(NULL, &src.base, on_metric,
					       &s, &err), 0);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ck_assert_msg(s.found[i] == 1, "%s %s emitted %d times",
			      want[i].metric, want[i].group, s.found[i]);
	/* no pair ids: the measures travel with partial exports */
	ck_assert_ptr_null(strstr(s.human_note, "p1-r2"));
}
END_TEST

START_TEST(no_pairs_no_measures)
{
	struct stand_in src = { .base = { .next_pair = NULL } };
	struct pf_error err = { 0 };
	struct seen s = { .found = { 0 } };

	ck_assert_int_eq(auditor_judge.measure(NULL, &src.base, on_metric,
					       &s, &err), 0);
	ck_assert_int_eq(s.found[0], 0);
}
END_TEST

/* ---- the generic calibration, on planted comparisons ---- */

/* Four pairs of a judge that stores no label (the safety auditor's
 * comparisons): a sample a row, a pair's rows together. */
static const struct audit_comparison cmps[] = {
	/* s1: x in both orders, mean certainty 88.75: decided x */
	{ "s1", "AB", "x", 90 }, { "s1", "AB", "x", 85 },
	{ "s1", "BA", "x", 88 }, { "s1", "BA", "x", 92 },
	/* s2: x then y: an order-swap conflict, BPDE ln 2, undecided */
	{ "s2", "AB", "x", 90 }, { "s2", "BA", "y", 90 },
	/* s3: y in both orders but mean certainty 65 < 80: abstains */
	{ "s3", "AB", "y", 60 }, { "s3", "BA", "y", 70 },
	/* s4: a tie, and an unparsable BA sample: one order only */
	{ "s4", "AB", "tie", 90 }, { "s4", "BA", NULL, 0 },
};

#define NCMPS ((int)(sizeof(cmps) / sizeof(cmps[0])))

static int
next_cmp(struct audit_source *s, struct audit_comparison *c,
	 struct pf_error *e)
{
	struct stand_in *x = (struct stand_in *)s;

	(void)e;
	if (x->next == NCMPS)
		return 0;
	*c = cmps[x->next++];
	return 1;
}

struct got {
	char metric[40], group[48];
	double value;
	int defined;
	long long n;
};

struct gots {
	struct got g[64];
	int n;
};

static void
keep(void *ud, const struct audit_metric *m)
{
	struct gots *s = ud;
	struct got *g;

	ck_assert_int_lt(s->n, 64);
	g = &s->g[s->n++];
	snprintf(g->metric, sizeof(g->metric), "%s", m->metric);
	snprintf(g->group, sizeof(g->group), "%s", m->group);
	g->value = m->value;
	g->defined = m->defined;
	g->n = m->n;
}

static const struct got *
find(const struct gots *s, const char *metric, const char *group)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->g[i].metric, metric) == 0 &&
		    strcmp(s->g[i].group, group) == 0)
			return &s->g[i];
	return NULL;
}

static void
expect(const struct gots *s, const char *metric, const char *group,
       double value, long long n)
{
	const struct got *g = find(s, metric, group);

	ck_assert_msg(g != NULL, "%s %s not emitted", metric, group);
	ck_assert_msg(g->defined && fabs(g->value - value) < 1e-9,
		      "%s %s: %g, want %g", metric, group, g->value, value);
	ck_assert_int_eq(g->n, n);
}

START_TEST(safety_comparisons)
{
	struct stand_in src = { .base = { .next_comparison = next_cmp } };
	struct pf_error err = { 0 };
	struct gots s = { .n = 0 };
	int i;

	ck_assert_int_eq(auditor_judge.measure(NULL, &src.base, keep, &s,
					       &err), 0);
	expect(&s, "order_swap_conflict_rate", "safety", 1.0 / 3, 3);
	expect(&s, "bpde.mean", "safety", log(2) / 4, 4);
	expect(&s, "bpde.share", "safety bpde=[0.6,0.8)", 1.0 / 4, 4);
	expect(&s, "bpde.share", "safety bpde=[0.0,0.2)", 3.0 / 4, 4);
	expect(&s, "coverage", "safety", 1.0 / 4, 4);
	expect(&s, "needs_human", "safety", 3.0 / 4, 4);
	/* no reference: no accuracy at all */
	ck_assert_ptr_null(find(&s, "accuracy", "safety"));
	ck_assert_ptr_null(find(&s, "accuracy.covered", "safety"));
	for (i = 0; i < s.n; i++) {
		ck_assert_ptr_null(strstr(s.g[i].group, "certainty="));
		ck_assert_ptr_null(strstr(s.g[i].group, "preference"));
	}
}
END_TEST

/* The same comparisons with references planted: s1 right side x, s2
 * y. s1's four samples are right (bins 9, 8, 8, 9); s2's AB x is wrong
 * and its BA y right (bin 9 both). */
START_TEST(planted_references)
{
	static const char ref[] = { 'x', 'y', 0, 0 };
	struct calib_sample smp[4][4];
	struct calib_item it;
	struct calib_tally t;
	struct calib_words w = { .group = "planted", .prefix = "planted ",
				 .accuracy_bin = "", .accuracy_all = "",
				 .coverage = "", .covered = "", .human = "" };
	struct gots s = { .n = 0 };
	int i, k = -1, n[4] = { 0 };

	for (i = 0; i < NCMPS; i++) {
		k = cmps[i].pair_id[1] - '1';
		smp[k][n[k]].order = strcmp(cmps[i].ord, "BA") == 0;
		smp[k][n[k]].verdict = cmps[i].verdict == NULL ? 0 :
			strcmp(cmps[i].verdict, "tie") == 0 ? 't' :
			cmps[i].verdict[0];
		smp[k][n[k]++].certainty = cmps[i].certainty;
	}
	calib_tally_init(&t);
	for (k = 0; k < 4; k++) {
		it = (struct calib_item){ .s = smp[k], .n = (size_t)n[k],
					  .reference = ref[k] };
		calib_item_settle(&it, CALIB_ABSTAIN_BELOW);
		ck_assert_int_eq(it.decided, k == 0);
		ck_assert_int_eq(it.chosen, k == 0 ? 'x' : 0);
		calib_tally_add(&t, &it);
	}
	calib_tally_emit(&t, &w, keep, &s);
	expect(&s, "accuracy", "planted certainty=9", 3.0 / 4, 4);
	expect(&s, "accuracy", "planted certainty=8", 1.0, 2);
	expect(&s, "accuracy", "planted", 5.0 / 6, 6);
	expect(&s, "accuracy.covered", "planted", 1.0, 1);
	expect(&s, "coverage", "planted", 1.0 / 4, 4);
	ck_assert_ptr_null(find(&s, "accuracy", "planted certainty=6"));
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("calib");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, calibration_by_hand);
	tcase_add_test(tc, no_pairs_no_measures);
	tcase_add_test(tc, safety_comparisons);
	tcase_add_test(tc, planted_references);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_tap_run(suite());
}
