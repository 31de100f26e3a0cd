/* fairstats.c - representation and parity statistics (see fairstats.h). */
#include "auditors/fairstats.h"

#include <math.h>
#include <string.h>

#define GAMMA_ITER 500
#define GAMMA_EPS 1e-15

int
fair_empty_surprising(double p, int64_t N)
{
	return p > 0.0 && pow(1.0 - p, (double)N) < FAIR_SURPRISE;
}

/* Regularized lower gamma P(a, x) by its series (x < a + 1). */
static double
gamma_p_series(double a, double x)
{
	double sum = 1.0 / a, term = sum, ap = a;
	int i;

	for (i = 0; i < GAMMA_ITER; i++) {
		ap += 1.0;
		term *= x / ap;
		sum += term;
		if (fabs(term) < fabs(sum) * GAMMA_EPS)
			break;
	}
	return sum * exp(-x + a * log(x) - lgamma(a));
}

/* Regularized upper gamma Q(a, x) by its continued fraction (modified
 * Lentz; x >= a + 1). */
static double
gamma_q_fraction(double a, double x)
{
	double b = x + 1.0 - a, c = 1.0 / 1e-300, d = 1.0 / b, h = d, an, del;
	int i;

	for (i = 1; i < GAMMA_ITER; i++) {
		an = -i * (i - a);
		b += 2.0;
		d = an * d + b;
		if (fabs(d) < 1e-300)
			d = 1e-300;
		c = b + an / c;
		if (fabs(c) < 1e-300)
			c = 1e-300;
		d = 1.0 / d;
		del = d * c;
		h *= del;
		if (fabs(del - 1.0) < GAMMA_EPS)
			break;
	}
	return exp(-x + a * log(x) - lgamma(a)) * h;
}

double
fair_chi2_sf(double x, int df)
{
	double a = df / 2.0, h = x / 2.0;

	if (x <= 0.0)
		return 1.0;
	return h < a + 1.0 ? 1.0 - gamma_p_series(a, h)
			   : gamma_q_fraction(a, h);
}

/* Merge cells expected under FAIR_EXPECTED_MIN: the smallest into the
 * next smallest, until every cell reaches it or one is left. Returns the
 * cells left in o[] and e[]; *merged counts the folds. */
static size_t
merge_small(const int64_t *c, const double *p, size_t n, double N,
	    double *o, double *e, size_t *merged)
{
	size_t m = 0, i, a, b;

	for (i = 0; i < n; i++)
		if (p[i] > 0.0) {
			o[m] = (double)c[i];
			e[m++] = p[i] * N;
		}
	*merged = 0;
	while (m > 1) {
		for (a = 0, i = 1; i < m; i++)
			if (e[i] < e[a])
				a = i;
		if (e[a] >= FAIR_EXPECTED_MIN)
			break;
		for (b = a == 0 ? 1 : 0, i = 0; i < m; i++)
			if (i != a && e[i] < e[b])
				b = i;
		o[b] += o[a];
		e[b] += e[a];
		o[a] = o[m - 1];
		e[a] = e[m - 1];
		m--;
		(*merged)++;
	}
	return m;
}

int
fair_repr_compute(const int64_t *c, const double *p, size_t n,
		  struct fair_repr *out)
{
	double o[FAIR_MAX_CELLS], e[FAIR_MAX_CELLS], gap, N;
	size_t i, m;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < n && n <= FAIR_MAX_CELLS; i++)
		out->total += c[i];
	if (n == 0 || n > FAIR_MAX_CELLS || out->total == 0)
		return -1;
	N = (double)out->total;
	for (i = 0; i < n; i++) {
		gap = fabs((double)c[i] / N - p[i]);
		out->tvd += gap / 2.0;
		if (gap > out->max_gap) {
			out->max_gap = gap;
			out->max_gap_cell = i;
		}
		if (c[i] == 0 && p[i] > 0.0) {
			out->empty++;
			out->surprising += fair_empty_surprising(p[i],
								 out->total);
		}
	}
	m = merge_small(c, p, n, N, o, e, &out->merged);
	for (i = 0; i < m; i++)
		out->chi2 += (o[i] - e[i]) * (o[i] - e[i]) / e[i];
	out->df = m > 1 ? (int)m - 1 : 0;
	out->p_value = out->df > 0 ? fair_chi2_sf(out->chi2, out->df) : 0.0;
	return 0;
}

void
fair_wilson(int64_t x, int64_t n, double *lo, double *hi)
{
	double z = FAIR_Z95, nn = (double)n, ph = (double)x / nn;
	double den = 1.0 + z * z / nn;
	double mid = (ph + z * z / (2.0 * nn)) / den;
	double half = z * sqrt(ph * (1.0 - ph) / nn + z * z / (4.0 * nn * nn))
		      / den;

	*lo = mid - half < 0.0 ? 0.0 : mid - half;
	*hi = mid + half > 1.0 ? 1.0 : mid + half;
}

int
fair_katz(int64_t x1, int64_t n1, int64_t x2, int64_t n2, double *lo,
	  double *hi)
{
	double l, se;

	/* No event, or both rates at 1: no spread to put an interval on. */
	if (x1 <= 0 || x2 <= 0 || n1 <= 0 || n2 <= 0 ||
	    (x1 == n1 && x2 == n2))
		return -1;
	l = log(((double)x1 / (double)n1) / ((double)x2 / (double)n2));
	se = sqrt(1.0 / (double)x1 - 1.0 / (double)n1 + 1.0 / (double)x2 -
		  1.0 / (double)n2);
	*lo = exp(l - FAIR_Z95 * se);
	*hi = exp(l + FAIR_Z95 * se);
	return 0;
}

int
fair_parity_compute(const struct fair_group *g, size_t ng, int64_t min_n,
		    struct fair_parity *out)
{
	double r, rlo = 2.0, rhi = -1.0;
	size_t i, alo = 0;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < ng; i++) {
		if (g[i].n < min_n || g[i].n <= 0)
			continue;
		out->compared++;
		r = (double)g[i].x / (double)g[i].n;
		/* favourable 1 - r: the lowest has the highest adverse rate */
		if (r > rhi) {
			rhi = r;
			out->low = i;
		}
		if (r < rlo) {
			rlo = r;
			alo = i;
		}
	}
	if (out->compared < 2)
		return -1;
	out->high = alo;
	out->adverse_diff = rhi - rlo;
	out->adverse_ratio = rhi > 0.0 ? rlo / rhi : 1.0;
	out->ratio = (1.0 - rhi) / (1.0 - rlo);   /* rlo < 1 unless all 1 */
	if (rlo >= 1.0)
		out->ratio = 1.0;
	out->has_interval = fair_katz(g[out->low].n - g[out->low].x,
				      g[out->low].n, g[alo].n - g[alo].x,
				      g[alo].n, &out->lo, &out->hi) == 0;
	return 0;
}

/* The middle of three values. */
static uint32_t
mid3(uint32_t a, uint32_t b, uint32_t c)
{
	if (a > b) {
		uint32_t t = a;

		a = b;
		b = t;
	}
	return c <= a ? a : c >= b ? b : c;
}

/* Hoare's partition of v[lo..hi] (lo < hi) around the middle of its
 * ends and centre: returns j with v[lo..j] <= v[j+1..hi], lo <= j < hi
 * (the pivot is one of three values, so neither scan runs off the range
 * and not every value but v[hi] is below it). */
static size_t
partition(uint32_t *v, size_t lo, size_t hi)
{
	uint32_t p = mid3(v[lo], v[lo + (hi - lo) / 2], v[hi]), t;
	size_t i = lo, j = hi;

	for (;;) {
		while (v[i] < p)
			i++;
		while (v[j] > p)
			j--;
		if (i >= j)
			return j;
		t = v[i];
		v[i] = v[j];
		v[j] = t;
		i++;
		j--;
	}
}

double
fair_median_u32(uint32_t *v, size_t n)
{
	size_t lo = 0, hi = n - 1, k = n / 2, j;
	uint32_t below;

	/* v[k] becomes the k-th smallest, none greater before it */
	while (lo < hi) {
		j = partition(v, lo, hi);
		if (k <= j)
			hi = j;
		else
			lo = j + 1;
	}
	if (n % 2)
		return v[k];
	for (below = v[0], j = 1; j < k; j++)
		if (v[j] > below)
			below = v[j];
	return ((double)below + v[k]) / 2.0;
}
