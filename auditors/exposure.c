/* exposure.c - individual item fairness of top-k lists (see exposure.h).
 *
 * Notation of seeds-spec.md section 7: c_i the slots item i fills,
 * S = m*k, f = floor(S/n), r = S mod n, U the items exposed at all.
 * Integer forms are used wherever a measure's definedness hangs on an
 * equality (S is kept at most 2^31, so S^2 and n*S fit an int64).
 */
#include "auditors/exposure.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define GAMMA 0.8                      /* II-D, AI-D: rank-biased decay */
#define SLOTS_MAX ((int64_t)1 << 31)   /* m*k */
#define SNAP 1e-12                     /* corrected values near 0 or 1 */

enum {
	JAIN_ORI, JAIN_OUR, QF_ORI, QF_OUR, ENT_ORI, ENT_OUR, GINI_ORI,
	GINI_OUR, GINIW_ORI, GINIW_OUR, FSAT_ORI, FSAT_OUR, VOCD_ORI, IID_ORI,
	AID_ORI
};

const char *const exposure_keys[EXPOSURE_NKEYS] = {
	[JAIN_ORI] = "Jain_ori", [JAIN_OUR] = "Jain_our",
	[QF_ORI] = "QF_ori", [QF_OUR] = "QF_our",
	[ENT_ORI] = "Ent_ori", [ENT_OUR] = "Ent_our",
	[GINI_ORI] = "Gini_ori", [GINI_OUR] = "Gini_our",
	[GINIW_ORI] = "Gini-w_ori", [GINIW_OUR] = "Gini-w_our",
	[FSAT_ORI] = "FSat_ori", [FSAT_OUR] = "FSat_our",
	[VOCD_ORI] = "VoCD_ori", [IID_ORI] = "II-D_ori", [AID_ORI] = "AI-D_ori",
};

int
exposure_init(struct exposure *x, int64_t n, int ordered,
	      struct pf_error *err)
{
	memset(x, 0, sizeof(*x));
	if (n < 1 || n > EXPOSURE_MAX_ITEMS)
		return pf_error_set(err, "the catalogue must hold 1 to %lld "
				    "items", (long long)EXPOSURE_MAX_ITEMS);
	x->n = n;
	x->ordered = ordered != 0;
	x->count = calloc((size_t)n, sizeof(*x->count));
	x->wsum = calloc((size_t)n, sizeof(*x->wsum));
	x->esum = calloc((size_t)n, sizeof(*x->esum));
	x->seen = calloc((size_t)n, 1);
	if (x->count == NULL || x->wsum == NULL || x->esum == NULL ||
	    x->seen == NULL) {
		exposure_free(x);
		return pf_error_set(err, "out of memory");
	}
	return 0;
}

void
exposure_free(struct exposure *x)
{
	free(x->count);
	free(x->wsum);
	free(x->esum);
	free(x->seen);
	memset(x, 0, sizeof(*x));
}

/* Check a list: length, range, repeats. Leaves x->seen clear. */
static int
check_list(struct exposure *x, const int64_t *ids, size_t k,
	   struct pf_error *err)
{
	size_t i, j;
	int rc = 0;

	if (k == 0 || k > EXPOSURE_MAX_K || (int64_t)k > x->n)
		return pf_error_set(err, "a list holds %zu items; it must hold "
				    "1 to %lld", k, (long long)(x->n <
				    EXPOSURE_MAX_K ? x->n : EXPOSURE_MAX_K));
	if (x->k != 0 && k != x->k)
		return pf_error_set(err, "a list of %zu items among lists of "
				    "%zu", k, x->k);
	if ((x->m + 1) * (int64_t)k > SLOTS_MAX)
		return pf_error_set(err, "more than %lld slots in all",
				    (long long)SLOTS_MAX);
	for (i = 0; i < k && rc == 0; i++) {
		if (ids[i] < 1 || ids[i] > x->n)
			rc = pf_error_set(err, "item %lld is not in 1..%lld",
					  (long long)ids[i], (long long)x->n);
		else if (x->seen[ids[i] - 1])
			rc = pf_error_set(err, "item %lld appears twice",
					  (long long)ids[i]);
		else
			x->seen[ids[i] - 1] = 1;
	}
	for (j = 0; j < i; j++)
		if (ids[j] >= 1 && ids[j] <= x->n)
			x->seen[ids[j] - 1] = 0;
	return rc;
}

int
exposure_add(struct exposure *x, const int64_t *ids, size_t k,
	     struct pf_error *err)
{
	size_t l;

	if (check_list(x, ids, k, err) != 0)
		return -1;
	for (l = 0; l < k; l++) {
		x->count[ids[l] - 1]++;
		x->wsum[ids[l] - 1] += 1.0 / log2((double)l + 2.0);
		x->esum[ids[l] - 1] += pow(GAMMA, (double)l);
	}
	x->k = k;
	x->m++;
	return 0;
}

/* The measures' inputs, derived once. */
struct ctx {
	const struct exposure *x;
	int64_t n, m, k, S, f, r, U;
	double *sorted;       /* counts, then weights, ascending */
	struct exposure_result *res;
};

static void
put(struct ctx *c, int key, double v)
{
	c->res->value[key] = v;
	c->res->defined[key] = 1;
}

/* A corrected value: snapped to 0 or 1 when within rounding of it. */
static void
put_our(struct ctx *c, int key, double v)
{
	if (fabs(v) < SNAP)
		v = 0.0;
	else if (fabs(v - 1.0) < SNAP)
		v = 1.0;
	put(c, key, v);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* (1/n) sum_j (2j - n - 1) v_(j) / total over c->sorted (ascending). */
static double
gini_of(const struct ctx *c, double total)
{
	double acc = 0.0;
	int64_t j;

	for (j = 1; j <= c->n; j++)
		acc += (double)(2 * j - c->n - 1) * c->sorted[j - 1];
	return acc / total / (double)c->n;
}

static void
jain(struct ctx *c)
{
	double sq = 0.0, j, jmax, kn = (double)c->k / (double)c->n;
	int64_t i, d2 = c->n * c->f * c->f + c->r * (2 * c->f + 1);

	for (i = 0; i < c->n; i++)
		sq += (double)c->x->count[i] * (double)c->x->count[i];
	j = (double)c->S * (double)c->S / ((double)c->n * sq);
	put(c, JAIN_ORI, j);
	/* J_max = k/n exactly when S^2 = k * d2: nothing to rescale. */
	if (c->S * c->S == c->k * d2)
		return;
	jmax = (double)c->S * (double)c->S / ((double)c->n * (double)d2);
	put_our(c, JAIN_OUR, (j - kn) / (jmax - kn));
}

static void
qf(struct ctx *c)
{
	put(c, QF_ORI, (double)c->U / (double)c->n);
	if (c->S >= c->n && c->n != c->k)
		put_our(c, QF_OUR, (double)(c->U - c->k) /
			(double)(c->n - c->k));
	else if (c->S < c->n && c->m > 1)
		put_our(c, QF_OUR, (double)(c->U - c->k) /
			(double)(c->k * (c->m - 1)));
}

/* -p log_n p, with 0 log 0 = 0. */
static double
plogp(double p, double ln_n)
{
	return p > 0.0 ? -p * log(p) / ln_n : 0.0;
}

static void
entropy(struct ctx *c)
{
	double ln_n = log((double)c->n), h = 0.0, hmax, den, S = (double)c->S;
	int64_t i;

	if (c->n == 1)
		return;               /* log base 1 */
	for (i = 0; i < c->n; i++)
		h += plogp((double)c->x->count[i] / S, ln_n);
	put(c, ENT_ORI, h);
	if (c->S >= c->n) {
		if (c->n == c->k)
			return;
		hmax = (double)(c->n - c->r) * plogp((double)c->f / S, ln_n) +
		       (double)c->r * plogp((double)(c->f + 1) / S, ln_n);
		den = hmax - log((double)c->k) / ln_n;
	} else {
		if (c->m == 1)
			return;
		den = log((double)c->m) / ln_n;
	}
	put_our(c, ENT_OUR, (h - log((double)c->k) / ln_n) / den);
}

static void
gini(struct ctx *c)
{
	int64_t i, gmin_num = (c->n - c->r) * c->r;
	int64_t den_num = c->n * c->S - c->k * c->S - gmin_num;
	double g;

	for (i = 0; i < c->n; i++)
		c->sorted[i] = (double)c->x->count[i];
	qsort(c->sorted, (size_t)c->n, sizeof(double), cmp_double);
	g = gini_of(c, (double)c->S);
	put(c, GINI_ORI, g);
	/* 1 - k/n - G_min, times n*S, is den_num: zero means no range. */
	if (den_num != 0)
		put_our(c, GINI_OUR, (g - (double)gmin_num /
			((double)c->n * (double)c->S)) /
			((double)den_num / ((double)c->n * (double)c->S)));
}

/* Gini with position weights, and its reachable range (closed forms of
 * seeds-spec.md: everyone the same list; every slot a different item,
 * when S <= n, else 0 as the authors' code has it). */
static void
gini_w(struct ctx *c)
{
	double lam, sum_lam = 0.0, total = 0.0, gmax = 0.0, gmin = 0.0, d, g;
	double n = (double)c->n, m = (double)c->m;
	int64_t i, l;

	if (!c->x->ordered)
		return;
	for (i = 0; i < c->n; i++) {
		c->sorted[i] = c->x->wsum[i];
		total += c->x->wsum[i];
	}
	qsort(c->sorted, (size_t)c->n, sizeof(double), cmp_double);
	g = gini_of(c, total);
	put(c, GINIW_ORI, g);
	for (l = 1; l <= c->k; l++) {
		lam = 1.0 / log2((double)l + 1.0);
		sum_lam += lam;
		gmax += (n + 1.0 - 2.0 * (double)l) * m * lam;
		/* sum of (2j - n - 1) over j = n-lm+1 .. n-lm+m */
		gmin += lam * m * (n + m - 2.0 * (double)l * m);
	}
	d = n * m * sum_lam;
	gmax /= d;
	gmin = c->S <= c->n ? gmin / d : 0.0;
	if (fabs(gmax - gmin) > SNAP)
		put_our(c, GINIW_OUR, (g - gmin) / (gmax - gmin));
}

static void
fsat(struct ctx *c)
{
	int64_t i, sat = 0;
	double v;

	for (i = 0; i < c->n; i++)
		sat += c->x->count[i] >= c->f;
	v = (double)sat / (double)c->n;
	put(c, FSAT_ORI, v);
	if (c->n != c->k)
		put_our(c, FSAT_OUR, (v - (double)c->k / (double)c->n) /
			(1.0 - (double)c->k / (double)c->n));
}

/* Mean over pairs of exposed items of |c_u - c_v| / max(c_u, c_v): with
 * counts ascending, the pairs ending at j add (j - 1) - prefix / c_j. */
static void
vocd(struct ctx *c)
{
	double prefix = 0.0, acc = 0.0, cj, pairs;
	int64_t i, j = 0;

	if (c->U < 2)
		return;
	for (i = 0; i < c->n; i++)
		c->sorted[i] = (double)c->x->count[i];
	qsort(c->sorted, (size_t)c->n, sizeof(double), cmp_double);
	for (i = c->n - c->U; i < c->n; i++, j++) {
		cj = c->sorted[i];
		acc += (double)j - prefix / cj;
		prefix += cj;
	}
	pairs = (double)c->U * (double)(c->U - 1) / 2.0;
	put(c, VOCD_ORI, acc / pairs);
}

/* II-D over every (user, item) cell: its sum of squares depends only on
 * k (each list holds gamma^0 .. gamma^(k-1)); AI-D from the per-item
 * sums. */
static void
disparity(struct ctx *c)
{
	double n = (double)c->n, m = (double)c->m, e1 = 0.0, e2 = 0.0, et;
	double acc = 0.0, d;
	int64_t l, i;

	if (!c->x->ordered)
		return;
	for (l = 0; l < c->k; l++) {
		e1 += pow(GAMMA, (double)l);
		e2 += pow(GAMMA, 2.0 * (double)l);
	}
	et = (1.0 - pow(GAMMA, (double)c->k)) / ((1.0 - GAMMA) * n);
	put(c, IID_ORI, (m * e2 - 2.0 * et * m * e1 + m * n * et * et) /
	    (m * n));
	for (i = 0; i < c->n; i++) {
		d = c->x->esum[i] / m - et;
		acc += d * d;
	}
	put(c, AID_ORI, acc / n);
}

int
exposure_compute(const struct exposure *x, struct exposure_result *r,
		 struct pf_error *err)
{
	struct ctx c = { .x = x, .res = r };
	int64_t i;

	memset(r, 0, sizeof(*r));
	if (x->m == 0)
		return 0;             /* no lists: nothing is defined */
	c.n = x->n;
	c.m = x->m;
	c.k = (int64_t)x->k;
	c.S = c.m * c.k;
	c.f = c.S / c.n;
	c.r = c.S % c.n;
	for (i = 0; i < c.n; i++)
		c.U += x->count[i] > 0;
	c.sorted = malloc((size_t)c.n * sizeof(double));
	if (c.sorted == NULL)
		return pf_error_set(err, "out of memory");
	jain(&c);
	qf(&c);
	entropy(&c);
	gini(&c);
	gini_w(&c);
	fsat(&c);
	vocd(&c);
	disparity(&c);
	free(c.sorted);
	return 0;
}
