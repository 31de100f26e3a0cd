/* test_fairness.c - the fairness statistics: the fifteen exposure
 * measures against the worked values of seeds-spec.md section 7 and
 * against edge cases computed by hand (one user, n = 1, one exposed
 * item, uniform with and without remainder, everyone on the same list,
 * n much larger than k) and a random Zipf run against the definitions
 * computed the long way; representation (TVD, chi-square, gaps, empty
 * cells) on a hand-computed example; parity (four-fifths, Wilson, Katz,
 * min_n). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "auditors/exposure.h"
#include "auditors/fairness.h"
#include "auditors/fairstats.h"
#include "base/buf.h"
#include "base/json.h"
#include "output/dataset.h"
#include "output/metrics.h"
#include "output/tables.h"
#include "tests/unit/check_tap.h"

#define NUL (-1.0)      /* in a case: the measure is undefined */
#define L2 (1.0 / log2(3.0))   /* lambda_2 = 1/log2(3) */

/* Run the measures over m lists of k items of a catalogue of n. */
static void
measure(int64_t n, const int64_t *ids, int64_t m, size_t k, int ordered,
	struct exposure_result *r)
{
	struct exposure x;
	struct pf_error err;
	int64_t u;

	ck_assert_int_eq(exposure_init(&x, n, ordered, &err), 0);
	for (u = 0; u < m; u++)
		ck_assert_msg(exposure_add(&x, ids + u * (int64_t)k, k, &err)
			      == 0, "list %lld: %s", (long long)u, err.msg);
	ck_assert_int_eq(exposure_compute(&x, r, &err), 0);
	exposure_free(&x);
}

static void
expect(const struct exposure_result *r, const double *want, double tol,
       const char *name)
{
	int i;

	for (i = 0; i < EXPOSURE_NKEYS; i++) {
		if (want[i] == NUL) {
			ck_assert_msg(!r->defined[i], "%s: %s should be null, "
				      "is %.12g", name, exposure_keys[i],
				      r->value[i]);
			continue;
		}
		ck_assert_msg(r->defined[i], "%s: %s is null", name,
			      exposure_keys[i]);
		ck_assert_msg(fabs(r->value[i] - want[i]) <= tol,
			      "%s: %s = %.12g, want %.12g", name,
			      exposure_keys[i], r->value[i], want[i]);
	}
}

/* Key order: Jain o/c, QF o/c, Ent o/c, Gini o/c, Gini-w o/c, FSat o/c,
 * VoCD, II-D, AI-D. */
static const struct {
	const char *name;
	int64_t n, m;
	size_t k;
	int64_t ids[40];
	double want[EXPOSURE_NKEYS];
	double tol;
} cases[] = {
	/* seeds-spec.md worked values, to their printed 6 decimals */
	{ "worked 1", 5, 3, 2, { 1, 2, 1, 3, 1, 2 },
	  { .514286, .228571, .6, .333333, .628421, .366840, .533333,
	    .857143, .593679, .920063, .6, .333333, .5, .1984, .141511 },
	  5e-7 },
	{ "worked 2", 5, 3, 2, { 1, 2, 3, 4, 5, 1 },
	  { .9, 1, 1, 1, .969724, 1, .133333, 0, .193679, .300156, 1, 1, .2,
	    .1984, .015289 }, 5e-7 },
	{ "worked 3", 5, 3, 2, { 1, 2, 1, 2, 1, 2 },
	  { .4, 0, .4, 0, .430677, 0, .6, 1, .645259, 1, .4, 0, 0, .1984,
	    .1984 }, 5e-7 },
	/* one user, S < n: no range to rescale Jain, QF, Ent, Gini, Gini-w
	 * over; FSat's floor is 0, so every item is satisfied */
	{ "one user", 5, 1, 2, { 1, 2 },
	  { .4, NUL, .4, NUL, 0.43067655807339306, NUL, .6, NUL,
	    (4 + 2 * L2) / (5 * (1 + L2)), NUL, 1, 1, 0, .1984, .1984 },
	  1e-9 },
	/* n = 1: log base 1 and every range empty */
	{ "n = 1", 1, 2, 1, { 1, 1 },
	  { 1, NUL, 1, NUL, NUL, NUL, 0, NUL, 0, NUL, 1, NUL, NUL, 0, 0 },
	  1e-9 },
	/* one exposed item among 3, k = 1, 4 users */
	{ "one exposed item", 3, 4, 1, { 2, 2, 2, 2 },
	  { 1.0 / 3, 0, 1.0 / 3, 0, 0, 0, 2.0 / 3, 1, 2.0 / 3, 1, 1.0 / 3,
	    0, NUL, 2.0 / 9, 2.0 / 9 }, 1e-9 },
	/* uniform, no remainder: n = 4, k = 2, two disjoint lists */
	{ "uniform", 4, 2, 2, { 1, 2, 3, 4 },
	  { 1, 1, 1, 1, 1, 1, 0, 0, (1 - L2) / (2 * (1 + L2)), 0, 1, 1, 0,
	    .2075, .0025 }, 1e-9 },
	/* uniform with remainder: n = 3, k = 2, counts 2, 1, 1 */
	{ "uniform + remainder", 3, 2, 2, { 1, 2, 3, 1 },
	  { 8.0 / 9, 1, 1, 1, .946394630357186, 1, 1.0 / 6, 0,
	    .204382397588486, .5, 1, 1, 1.0 / 3, .186666666666667,
	    .0466666666666667 }, 1e-9 },
	/* everyone on the same list, n >> k (S < n: FSat's floor is 0) */
	{ "same list", 1000, 10, 3,
	  { 5, 6, 7, 5, 6, 7, 5, 6, 7, 5, 6, 7, 5, 6, 7, 5, 6, 7, 5, 6, 7,
	    5, 6, 7, 5, 6, 7, 5, 6, 7 },
	  { .003, 0, .003, 0, .159040418239888, 0, .997, 1, .997469278726023,
	    1, 1, 1, 0, .0020436464, .0020436464 }, 1e-9 },
	/* n >> k, every slot a different item: the fairest reachable */
	{ "n >> k", 1000, 10, 2,
	  { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
	    19, 20 },
	  { .02, 1, .02, 1, .433676665221327, 1, .98, 0, .982262943855309, 0,
	    1, 1, 0, .00163676, .00016076 }, 1e-9 },
};

START_TEST(test_cases)
{
	struct exposure_result r;

	measure(cases[_i].n, cases[_i].ids, cases[_i].m, cases[_i].k, 1, &r);
	expect(&r, cases[_i].want, cases[_i].tol, cases[_i].name);
}
END_TEST

/* The exact fractions of the worked values: Jain 18/35, Gini_our 6/7. */
START_TEST(test_exact)
{
	struct exposure_result r;

	measure(5, cases[0].ids, 3, 2, 1, &r);
	ck_assert(fabs(r.value[0] - 18.0 / 35) < 1e-15);
	ck_assert(fabs(r.value[7] - 6.0 / 7) < 1e-15);
}
END_TEST

/* Some values of the cases again from their closed forms: Ent_ori of
 * counts 2, 1, 1 (n = 3), entropies of the n >> k cases, II-D and AI-D
 * of everyone on one list of 3. */
START_TEST(test_derived)
{
	struct exposure_result r;
	double h, et, s;

	measure(3, cases[7].ids, 2, 2, 1, &r);
	h = -(0.5 * log(0.5) + 2 * 0.25 * log(0.25)) / log(3.0);
	ck_assert(fabs(r.value[4] - h) < 1e-12);
	/* Gini-w, counts 2, 1, 1 with weights 1 + L2, 1, L2 over W =
	 * 2(1 + L2): sorted L2, 1, 1 + L2 */
	s = (-2 * L2 + 0 + 2 * (1 + L2)) / (2 * (1 + L2)) / 3;
	ck_assert(fabs(r.value[8] - s) < 1e-12);
	measure(1000, cases[8].ids, 10, 3, 1, &r);
	ck_assert(fabs(r.value[4] - log(3.0) / log(1000.0)) < 1e-12);
	/* II-D of k = 3, n = 1000: one list holds 1, .8, .64 */
	et = (1 - 0.512) / (0.2 * 1000);
	s = (pow(1 - et, 2) + pow(.8 - et, 2) + pow(.64 - et, 2) +
	     997 * et * et) / 1000;
	ck_assert(fabs(r.value[13] - s) < 1e-12);
	ck_assert(fabs(r.value[14] - s) < 1e-12);   /* everyone the same */
	measure(1000, cases[9].ids, 10, 2, 1, &r);
	ck_assert(fabs(r.value[4] - log(20.0) / log(1000.0)) < 1e-12);
}
END_TEST

/* Unordered lists: no position weights, so no Gini-w, II-D, AI-D. */
START_TEST(test_unordered)
{
	struct exposure_result r;

	measure(5, cases[0].ids, 3, 2, 0, &r);
	ck_assert(r.defined[0] && !r.defined[8] && !r.defined[9] &&
		  !r.defined[13] && !r.defined[14]);
	ck_assert(fabs(r.value[12] - 0.5) < 1e-12);
}
END_TEST

/* Bad lists are refused and not counted. */
START_TEST(test_bad_lists)
{
	static const int64_t ok[] = { 1, 2 }, rep[] = { 3, 3 },
		out[] = { 0, 1 }, big[] = { 4, 6 }, three[] = { 1, 2, 3 };
	struct exposure x;
	struct pf_error err;

	ck_assert_int_eq(exposure_init(&x, 5, 1, &err), 0);
	ck_assert_int_eq(exposure_add(&x, ok, 2, &err), 0);
	ck_assert_int_eq(exposure_add(&x, rep, 2, &err), -1);
	ck_assert(strstr(err.msg, "item 3 appears twice") != NULL);
	ck_assert_int_eq(exposure_add(&x, out, 2, &err), -1);
	ck_assert(strstr(err.msg, "item 0 is not in 1..5") != NULL);
	ck_assert_int_eq(exposure_add(&x, big, 2, &err), -1);
	ck_assert_int_eq(exposure_add(&x, three, 3, &err), -1);
	ck_assert(strstr(err.msg, "a list of 3 items among lists of 2"));
	ck_assert_int_eq(exposure_add(&x, rep + 1, 1, &err), -1);
	ck_assert_int_eq(x.m, 1);
	ck_assert_int_eq(x.count[2], 0);
	exposure_free(&x);
	ck_assert_int_eq(exposure_init(&x, 0, 1, &err), -1);
}
END_TEST

/* A random Zipf run against the definitions computed the long way: every
 * pair for VoCD, the whole user x item matrix for II-D and AI-D, Gini by
 * its sorted sum, Jain and Ent by their sums. */
#define ZN 60
#define ZM 200
#define ZK 5

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void
zipf_lists(int64_t *ids)
{
	double cum[ZN], t = 0.0, u;
	unsigned s = 12345;
	int i, l, j, dup;
	int64_t id;

	for (i = 0; i < ZN; i++)
		cum[i] = (t += 1.0 / (i + 1));
	for (i = 0; i < ZM; i++)
		for (l = 0; l < ZK; ) {
			s = s * 1103515245u + 12345u;
			u = (double)(s >> 8) / (double)(1u << 24) * t;
			for (j = 0; j < ZN - 1 && cum[j] < u; j++)
				;
			id = j + 1;
			for (dup = 0, j = 0; j < l; j++)
				dup |= ids[i * ZK + j] == id;
			if (!dup)
				ids[i * ZK + l++] = id;
		}
}

START_TEST(test_zipf)
{
	static int64_t ids[ZM * ZK];
	static double e[ZM][ZN];
	double c[ZN] = { 0 }, w[ZN] = { 0 }, srt[ZN], sq = 0, h = 0, g = 0;
	double pairs = 0, v = 0, et, iid = 0, aid = 0, mean, W = 0;
	struct exposure_result r;
	int i, j, l, U = 0;

	zipf_lists(ids);
	measure(ZN, ids, ZM, ZK, 1, &r);
	memset(e, 0, sizeof(e));
	for (i = 0; i < ZM; i++)
		for (l = 0; l < ZK; l++) {
			c[ids[i * ZK + l] - 1] += 1;
			w[ids[i * ZK + l] - 1] += 1 / log2(l + 2.0);
			e[i][ids[i * ZK + l] - 1] = pow(0.8, l);
		}
	for (i = 0; i < ZN; i++) {
		sq += c[i] * c[i];
		h -= c[i] > 0 ? c[i] / (ZM * ZK) * log(c[i] / (ZM * ZK)) /
			log(ZN) : 0;
		U += c[i] > 0;
		W += w[i];
		for (j = i + 1; j < ZN; j++)
			if (c[i] > 0 && c[j] > 0) {
				v += fabs(c[i] - c[j]) / fmax(c[i], c[j]);
				pairs++;
			}
	}
	ck_assert(fabs(r.value[0] - (double)(ZM * ZK) * (ZM * ZK) /
		       (ZN * sq)) < 1e-9);
	ck_assert(fabs(r.value[2] - (double)U / ZN) < 1e-9);
	ck_assert(fabs(r.value[4] - h) < 1e-9);
	ck_assert(fabs(r.value[12] - v / pairs) < 1e-9);
	memcpy(srt, c, sizeof(srt));
	qsort(srt, ZN, sizeof(double), cmp_d);
	for (i = 0; i < ZN; i++)
		g += (2.0 * (i + 1) - ZN - 1) * srt[i] / (ZM * ZK) / ZN;
	ck_assert(fabs(r.value[6] - g) < 1e-9);
	memcpy(srt, w, sizeof(srt));
	qsort(srt, ZN, sizeof(double), cmp_d);
	for (g = 0, i = 0; i < ZN; i++)
		g += (2.0 * (i + 1) - ZN - 1) * srt[i] / W / ZN;
	ck_assert(fabs(r.value[8] - g) < 1e-9);
	et = (1 - pow(0.8, ZK)) / (0.2 * ZN);
	for (j = 0; j < ZN; j++) {
		for (mean = 0, i = 0; i < ZM; i++) {
			iid += (e[i][j] - et) * (e[i][j] - et) / (ZM * ZN);
			mean += e[i][j] / ZM;
		}
		aid += (mean - et) * (mean - et) / ZN;
	}
	ck_assert(fabs(r.value[13] - iid) < 1e-9);
	ck_assert(fabs(r.value[14] - aid) < 1e-9);
	for (i = 0; i < EXPOSURE_NKEYS; i++)
		ck_assert_msg(r.defined[i], "%s null", exposure_keys[i]);
	for (i = 1; i < 12; i += 2)   /* corrected values stay in [0, 1] */
		ck_assert(r.value[i] >= 0 && r.value[i] <= 1);
}
END_TEST

/* Representation, by hand: counts 30, 50, 20 of 100 against shares
 * .25, .5, .25: TVD .05, largest gap .05 (cell 0), chi-square 2 on 2
 * degrees of freedom, p = exp(-1). */
static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* The selected median is the sorted one: odd and even counts, repeats,
 * sorted, reversed and random values. */
START_TEST(test_median)
{
	static uint32_t v[1001], w[1001];
	size_t n, i, shape;
	double want;

	srand(7);
	for (n = 1; n <= 1001; n += n < 20 ? 1 : 97)
		for (shape = 0; shape < 4; shape++) {
			for (i = 0; i < n; i++)
				v[i] = shape == 0 ? (uint32_t)i : shape == 1 ?
				       (uint32_t)(n - i) : shape == 2 ?
				       (uint32_t)(rand() % 5) :
				       (uint32_t)rand();
			memcpy(w, v, n * sizeof(*v));
			qsort(w, n, sizeof(*w), cmp_u32);
			want = n % 2 ? w[n / 2] :
			       ((double)w[n / 2 - 1] + w[n / 2]) / 2.0;
			ck_assert(fair_median_u32(v, n) == want);
		}
}
END_TEST

START_TEST(test_repr)
{
	static const int64_t c1[] = { 30, 50, 20 }, c2[] = { 10, 0, 0 },
		c3[] = { 1000, 0 };
	static const double p1[] = { .25, .5, .25 }, p2[] = { .9, .06, .04 },
		p3[] = { .99, .01 };
	struct fair_repr r;

	ck_assert_int_eq(fair_repr_compute(c1, p1, 3, &r), 0);
	ck_assert(fabs(r.tvd - 0.05) < 1e-12);
	ck_assert(fabs(r.max_gap - 0.05) < 1e-12);
	ck_assert_int_eq(r.max_gap_cell, 0);
	ck_assert(fabs(r.chi2 - 2.0) < 1e-12);
	ck_assert_int_eq(r.df, 2);
	ck_assert(fabs(r.p_value - exp(-1.0)) < 1e-12);
	ck_assert_int_eq(r.merged, 0);
	ck_assert_int_eq(r.empty, 0);
	/* expected 9, .6, .4: .4 folds into .6, 1.0 into 9: no test left;
	 * two empty cells, neither surprising ((1-.06)^10 = .54) */
	ck_assert_int_eq(fair_repr_compute(c2, p2, 3, &r), 0);
	ck_assert_int_eq(r.merged, 2);
	ck_assert_int_eq(r.df, 0);
	ck_assert_int_eq(r.empty, 2);
	ck_assert_int_eq(r.surprising, 0);
	ck_assert(fabs(r.tvd - 0.1) < 1e-12);
	/* .99^1000 = 4.3e-5: an empty cell of 1% among 1000 is surprising */
	ck_assert_int_eq(fair_repr_compute(c3, p3, 2, &r), 0);
	ck_assert_int_eq(r.empty, 1);
	ck_assert_int_eq(r.surprising, 1);
	ck_assert(fabs(r.chi2 - (10.0 * 10 / 990 + 10.0)) < 1e-9);
	/* chi-square quantiles */
	ck_assert(fabs(fair_chi2_sf(3.841458820694124, 1) - 0.05) < 1e-9);
	ck_assert(fabs(fair_chi2_sf(9.487729036781154, 4) - 0.05) < 1e-9);
	ck_assert(fabs(fair_chi2_sf(30.0, 3) - 1.3800570312932e-06) < 1e-15);
	ck_assert_int_eq(fair_repr_compute(c1, p1, 0, &r), -1);
}
END_TEST

/* Parity: two groups of 500 with a true favourable ratio of 0.70 fail a
 * 0.8 gate, 0.95 passes; a group of 10 is below min_n and left out. */
START_TEST(test_parity)
{
	struct fair_group g[3] = { { 150, 500 }, { 0, 500 }, { 9, 10 } };
	struct fair_parity p;
	double lo, hi;

	ck_assert_int_eq(fair_parity_compute(g, 3, 30, &p), 0);
	ck_assert_int_eq(p.compared, 2);
	ck_assert_int_eq(p.low, 0);
	ck_assert_int_eq(p.high, 1);
	ck_assert(fabs(p.ratio - 0.70) < 1e-12);
	ck_assert(p.ratio < 0.8);
	ck_assert(p.has_interval && p.lo < 0.70 && p.hi > 0.70 && p.hi < 0.8);
	ck_assert(fabs(p.lo - 0.7 * exp(-FAIR_Z95 * sqrt(1.0 / 350 -
							   1.0 / 500))) < 1e-12);
	ck_assert(fabs(p.adverse_ratio - 0.0) < 1e-12);
	ck_assert(fabs(p.adverse_diff - 0.30) < 1e-12);
	g[0].x = 25;
	ck_assert_int_eq(fair_parity_compute(g, 3, 30, &p), 0);
	ck_assert(fabs(p.ratio - 0.95) < 1e-12 && p.ratio >= 0.8);
	/* the group of 10 alone would have failed: 0.1 / 1.0 */
	ck_assert_int_eq(fair_parity_compute(g, 3, 10, &p), 0);
	ck_assert_int_eq(p.compared, 3);
	ck_assert(fabs(p.ratio - 0.1) < 1e-12);
	/* every rate 0: ratio 1 */
	g[0].x = g[1].x = 0;
	ck_assert_int_eq(fair_parity_compute(g, 2, 30, &p), 0);
	ck_assert(p.ratio == 1.0 && p.adverse_ratio == 1.0 &&
		  p.adverse_diff == 0.0);
	/* one group at or above min_n: nothing to compare */
	ck_assert_int_eq(fair_parity_compute(g + 1, 2, 30, &p), -1);
	ck_assert_int_eq(p.compared, 1);
	/* Wilson of 0 of 10: [0, z^2 / (n + z^2)] */
	fair_wilson(0, 10, &lo, &hi);
	ck_assert(lo == 0.0 &&
		  fabs(hi - FAIR_Z95 * FAIR_Z95 / (10 + FAIR_Z95 * FAIR_Z95))
		  < 1e-12);
	fair_wilson(150, 500, &lo, &hi);
	ck_assert(lo < 0.3 && hi > 0.3 && fabs((lo + hi) / 2 - (0.3 +
		  FAIR_Z95 * FAIR_Z95 / 1000) / (1 + FAIR_Z95 * FAIR_Z95 /
		  500)) < 1e-12);
	ck_assert_int_eq(fair_katz(0, 10, 5, 10, &lo, &hi), -1);
	ck_assert_int_eq(fair_katz(10, 10, 5, 5, &lo, &hi), -1);
	ck_assert_int_eq(fair_katz(10, 10, 4, 5, &lo, &hi), 0);
	ck_assert(lo < 1.25 && hi > 1.25);
}
END_TEST

/* The auditor over a source of its own: personas of three genders, 500
 * women of whom `bad` are quarantined, 500 men none, 10 nonbinary people
 * of whom 9 are; no target tables, no lists. */
struct fake {
	struct audit_source base;
	int i, bad;
	const char *names[2], *values[2];
	char id[16];
	int64_t by[AUDIT_NSEVERITY];     /* one finding auditor, "pii" */
	int64_t rows, bytes, lens[3];    /* one text table, "t" */
	size_t nlens;
	const int64_t *lensp;
};

static const char *const fake_finders[] = { "pii" };
static const char *const fake_texts[] = { "t" };

static int
fake_next(struct audit_source *b, struct audit_person *p,
	  struct pf_error *err)
{
	struct fake *f = (struct fake *)b;
	int i = f->i++;

	(void)err;
	if (i >= 1010)
		return 0;
	memset(p, 0, sizeof(*p));
	snprintf(f->id, sizeof(f->id), "p%06d", i);
	f->values[0] = f->id;
	f->values[1] = i < 500 ? "female" : i < 1000 ? "male" : "nonbinary";
	p->persona_id = i;
	p->nattrs = 2;
	p->names = f->names;
	p->values = f->values;
	p->quarantined = (i < 500 && i < f->bad) || (i >= 1000 && i < 1009);
	/* 60 women have a high pii finding: 440/500 over 500/500 */
	memset(f->by, 0, sizeof(f->by));
	f->by[AUDIT_HIGH] = i < 60;
	p->findings[AUDIT_HIGH] = i < 60;
	p->nauditors = 1;
	p->auditor_names = fake_finders;
	p->by_auditor = f->by;
	/* 4 journal items each; 100 women have one the model refused */
	p->items = 4;
	p->failed = p->refused = i < 100;
	/* text rows: women 10, 10, 40 bytes (mean 20, median 10), men and
	 * everyone else 20 (mean and median 20) */
	f->lens[0] = i < 500 ? 10 : 20;
	f->lens[1] = 10;
	f->lens[2] = 40;
	f->nlens = i < 500 ? 3 : 1;
	f->rows = (int64_t)f->nlens;
	f->bytes = i < 500 ? 60 : 20;
	f->lensp = f->lens;
	p->ntexts = 1;
	p->text_tables = fake_texts;
	p->text_rows = &f->rows;
	p->text_bytes = &f->bytes;
	p->text_lens = &f->lensp;
	p->text_nlens = &f->nlens;
	/* 10 judged pairs each, on stated axes: the judge decides for the
	 * stated view in 7 of a woman's, 10 of a man's */
	p->prefs = 10;
	p->own_wins = i < 500 ? 7 : 10;
	return 1;
}

static int
fake_rewind(struct audit_source *b, struct pf_error *err)
{
	(void)err;
	((struct fake *)b)->i = 0;
	return 0;
}

static int
fake_list(struct audit_source *b, struct audit_list *l, struct pf_error *e)
{
	(void)b;
	(void)l;
	(void)e;
	return 0;
}

/* What the auditor emitted: the rows that matter here. */
struct seen {
	double ratio, lo, hi, pii_high, pii_medium;
	int pii_critical;
	char thr[16], small_note[96];
	int nrates, has_ci, tvd_null;
	double refusal, refused_items_f, median_f, median_m, length_ratio;
	double own, own_rate_f;
};

static void
on_metric(void *ud, const struct audit_metric *m)
{
	struct seen *s = ud;

	if (strcmp(m->metric, "quarantine.fourfifths") == 0 &&
	    strcmp(m->group, "gender") == 0) {
		s->ratio = m->value;
		s->lo = m->lo;
		s->hi = m->hi;
		s->has_ci = m->has_interval;
		snprintf(s->thr, sizeof(s->thr), "%s", m->threshold);
	}
	if (strcmp(m->metric, "quarantine.rate") == 0) {
		s->nrates++;
		if (strcmp(m->group, "gender=nonbinary") == 0)
			snprintf(s->small_note, sizeof(s->small_note), "%s",
				 m->note);
	}
	if (strcmp(m->metric, "tvd") == 0)
		s->tvd_null = !m->defined;
	if (strcmp(m->group, "gender") == 0 &&
	    strcmp(m->metric, "finding.pii.high.fourfifths") == 0)
		s->pii_high = m->value;
	if (strcmp(m->group, "gender") == 0 &&
	    strcmp(m->metric, "finding.pii.medium.fourfifths") == 0)
		s->pii_medium = m->value;
	s->pii_critical |= strncmp(m->metric, "finding.pii.critical", 20) == 0;
	if (strcmp(m->metric, "refusal.fourfifths") == 0)
		s->refusal = m->value;
	if (strcmp(m->metric, "refused_items.rate") == 0 &&
	    strcmp(m->group, "gender=female") == 0)
		s->refused_items_f = m->value;
	if (strcmp(m->metric, "length.t.median") == 0 &&
	    strcmp(m->group, "gender=female") == 0)
		s->median_f = m->value;
	if (strcmp(m->metric, "length.t.median") == 0 &&
	    strcmp(m->group, "gender=male") == 0)
		s->median_m = m->value;
	if (strcmp(m->metric, "length.t.ratio") == 0)
		s->length_ratio = m->value;
	if (strcmp(m->metric, "judge_own_view.fourfifths") == 0)
		s->own = m->value;
	if (strcmp(m->metric, "judge_own_view.rate") == 0 &&
	    strcmp(m->group, "gender=female") == 0)
		s->own_rate_f = m->value;
}

static void
run_auditor(int bad, const char *cfg_json, struct seen *seen)
{
	struct fake f = { .base = { fake_next, fake_rewind, fake_list, 0,
				    NULL, 0 }, .bad = bad,
			  .names = { "id", "gender" } };
	struct json_error je;
	struct pf_error err;
	cJSON *sec;
	void *cfg;

	memset(seen, 0, sizeof(*seen));
	ck_assert_int_eq(json_parse(cfg_json, strlen(cfg_json), &sec, &je),
			 0);
	ck_assert_int_eq(auditor_fairness.parse(sec, "$.audit.fairness", &cfg,
						&err), 0);
	ck_assert_int_eq(auditor_fairness.measure(cfg, &f.base, on_metric,
						  seen, &err), 0);
	auditor_fairness.free_config(cfg);
	cJSON_Delete(sec);
}

/* Two groups of 500 with a true ratio of 0.70 fail a 0.8 gate, 0.95
 * passes; the group of 10 (90% quarantined) is reported below min_n and
 * not compared, so it does not drag the ratio to 0.1. */
START_TEST(test_auditor_parity)
{
	struct seen s;

	run_auditor(150, "{\"attributes\": [\"gender\"], \"min_ratio\": 0.8}",
		    &s);
	ck_assert(fabs(s.ratio - 0.70) < 1e-12);
	ck_assert_str_eq(s.thr, ">=0.8");
	ck_assert(s.has_ci && s.lo < 0.7 && s.hi > 0.7 && s.hi < 0.8);
	ck_assert_int_eq(s.nrates, 3);
	ck_assert_str_eq(s.small_note,
			 "below min_n 30: reported, not compared");
	ck_assert(s.tvd_null);
	/* one finding auditor: its outcomes at or below the severity it
	 * found, none above */
	ck_assert(fabs(s.pii_high - 0.88) < 1e-12);
	ck_assert(fabs(s.pii_medium - 0.88) < 1e-12);
	ck_assert(!s.pii_critical);
	/* refusals: 400/500 women without one over 500/500 men; 100 of
	 * 2000 women's items; lengths: equal means (ratio 1), the medians
	 * tell the women's skew */
	ck_assert(fabs(s.refusal - 0.8) < 1e-12);
	ck_assert(fabs(s.refused_items_f - 0.05) < 1e-12);
	ck_assert(fabs(s.median_f - 10) < 1e-12);
	ck_assert(fabs(s.median_m - 20) < 1e-12);
	ck_assert(fabs(s.length_ratio - 1) < 1e-12);
	/* the judge's win rate of the persona's own view: 0.7 over 1.0 */
	ck_assert(fabs(s.own_rate_f - 0.7) < 1e-12);
	ck_assert(fabs(s.own - 0.7) < 1e-12);
	run_auditor(25, "{\"attributes\": [\"gender\"], \"min_ratio\": 0.8}",
		    &s);
	ck_assert(fabs(s.ratio - 0.95) < 1e-12 && s.ratio >= 0.8);
	/* with min_n 5 the small group is compared: 0.1 / 1.0 */
	run_auditor(25, "{\"attributes\": [\"gender\"], \"min_n\": 5}", &s);
	ck_assert(fabs(s.ratio - 0.1) < 1e-12);
	ck_assert_str_eq(s.thr, "");
}
END_TEST

/* Config errors name their path. */
START_TEST(test_auditor_config)
{
	static const struct {
		const char *json, *msg;
	} bad[] = {
		{ "{\"attributes\": [\"shoe_size\"]}", "shoe_size" },
		{ "{\"min_ratio\": 2}", "min_ratio" },
		{ "{\"min_n\": 0}", "min_n" },
	};
	struct json_error je;
	struct pf_error err;
	cJSON *sec;
	void *cfg;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(json_parse(bad[i].json, strlen(bad[i].json),
					    &sec, &je), 0);
		pf_error_clear(&err);
		ck_assert_int_eq(auditor_fairness.parse(sec, "$.audit.fairness",
							&cfg, &err), -1);
		ck_assert_msg(strstr(err.where, bad[i].msg) != NULL ||
			      strstr(err.msg, bad[i].msg) != NULL,
			      "%s: %s: %s", bad[i].json, err.where, err.msg);
		cJSON_Delete(sec);
	}
}
END_TEST

/* Exposure inside a dataset: a stage's list table (here a stand-in for
 * the world stage's contacts: persona_id, contact_id as "p000001", idx)
 * read through a list source gives the measures of the same lists given
 * to `metrics exposure` (the first worked example: 5 personas, lists
 * [1,2], [1,3], [1,2] as persona ids + 1). */
START_TEST(test_dataset_lists)
{
	static const struct metrics_list_source lists[] = {
		{ .name = "contacts", .table = "contact", .user = "persona_id",
		  .item = "contact_id", .rank = "idx" },
		/* text users, items the distinct names, k from the data */
		{ .name = "answers", .table = "answers", .user = "q",
		  .item = "who", .distinct = 1,
		  .count_sql = "count(DISTINCT slot)" },
		{ .name = NULL }
	};
	static const int pairs[][3] = {
		{ 0, 0, 0 }, { 0, 1, 1 }, { 1, 0, 0 }, { 1, 2, 1 },
		{ 2, 0, 0 }, { 2, 1, 1 }
	};
	struct audit_instance in = { &auditor_fairness,
				     { 1, AUDIT_CRITICAL, AUDIT_HIGH, -1 },
				     NULL };
	const struct dataset_table *pt = dataset_table_role(DATASET_PERSONAS);
	struct dataset_col c;
	struct dataset *ds = NULL;
	struct pf_error err;
	struct buf sql;
	char dir[256], path[300], cmd[320];
	sqlite3_stmt *st;
	size_t i;
	int p, rows = 0;

	snprintf(dir, sizeof(dir), "%s/pf-fair.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.db", dir);
	pf_error_clear(&err);
	ck_assert_msg(dataset_open(path, DATASET_WRITE, &ds, &err) == 0, "%s",
		      err.msg);
	buf_init(&sql, 1 << 16);
	for (p = 0; p < 5; p++) {
		buf_printf(&sql, "INSERT INTO \"%s\" VALUES (", pt->name);
		/* persona_id, the first column, is the primary key */
		for (i = 0; dataset_col_at(pt, i, &c) == 0; i++)
			buf_printf(&sql, i == 0 ? "%d" : c.type == DATASET_INT ?
				   ", 0" : ", 'x'", p);
		buf_puts(&sql, ");");
	}
	buf_puts(&sql, "DROP TABLE IF EXISTS contact; "
		 "CREATE TABLE contact (persona_id INTEGER, contact_id "
		 "TEXT, idx INTEGER, quarantined INTEGER NOT NULL DEFAULT 0);");
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		buf_printf(&sql, "INSERT INTO contact VALUES (%d, 'p%06d', %d, 0);",
			   pairs[i][0], pairs[i][1], pairs[i][2]);
	/* lists [x,y], [x,z], [x,y] over the catalogue {x, y, z}; q_d
	 * repeats x and is dropped; q_e's empty answerer is left out, so
	 * its list is too short and dropped */
	buf_puts(&sql, "CREATE TABLE answers (q TEXT, who TEXT, slot INT);"
		 "INSERT INTO answers VALUES ('q_a', 'x', 1), ('q_a', 'y', 2),"
		 " ('q_b', 'x', 1), ('q_b', 'z', 2), ('q_c', 'y', 1),"
		 " ('q_c', 'x', 2), ('q_d', 'x', 1), ('q_d', 'x', 2),"
		 " ('q_e', 'y', 1), ('q_e', '', 2);");
	ck_assert_msg(dataset_exec(ds, sql.data, &err) == 0, "%s", err.msg);
	buf_free(&sql);
	ck_assert_msg(dataset_measure_lists(ds, &in, 1, lists, &err) == 0,
		      "%s", err.msg);
	/* counts x 3, y 2, z 1 over n = 3: Jain 36 / (3 * 14) */
	st = dataset_prepare(ds, "SELECT value, n, note FROM audit_metric "
			     "WHERE \"group\" = 'answers' AND metric = "
			     "'Jain_ori'", &err);
	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert(fabs(sqlite3_column_double(st, 0) - 6.0 / 7) < 1e-12);
	ck_assert_int_eq(sqlite3_column_int(st, 1), 3);
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 2), "2 lists "
			 "dropped (another length than 2, or an item "
			 "repeated)");
	sqlite3_finalize(st);
	st = dataset_prepare(ds, "SELECT metric, value, n FROM audit_metric "
			     "WHERE \"group\" = 'contacts' ORDER BY metric_id",
			     &err);
	ck_assert_ptr_nonnull(st);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *m = (const char *)sqlite3_column_text(st, 0);
		double v = sqlite3_column_double(st, 1);

		ck_assert_str_eq(m, exposure_keys[rows]);
		ck_assert_int_eq(sqlite3_column_int(st, 2), 3);
		if (rows == 0)
			ck_assert(fabs(v - 18.0 / 35) < 1e-12);
		if (rows == 8)   /* Gini-w_ori: ranked by idx */
			ck_assert(fabs(v - .593679) < 5e-7);
		rows++;
	}
	sqlite3_finalize(st);
	ck_assert_int_eq(rows, EXPOSURE_NKEYS);
	dataset_close(ds);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("fairness");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_cases, 0,
			    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_exact);
	tcase_add_test(tc, test_derived);
	tcase_add_test(tc, test_unordered);
	tcase_add_test(tc, test_bad_lists);
	tcase_add_test(tc, test_zipf);
	tcase_add_test(tc, test_median);
	tcase_add_test(tc, test_repr);
	tcase_add_test(tc, test_parity);
	tcase_add_test(tc, test_auditor_parity);
	tcase_add_test(tc, test_auditor_config);
	tcase_add_test(tc, test_dataset_lists);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_tap_run(suite());
}
