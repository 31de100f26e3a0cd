/* fairstats.h - the statistics of the fairness auditor: how a sample's
 * counts compare with target shares (representation), and how an adverse
 * outcome's rate compares across groups (parity).
 *
 * Representation: total variation distance, Pearson's chi-square with
 * its p-value (cells expected under 5 merged first, the merge counted),
 * the largest cell gap, and the empty cells with whether empty is
 * surprising ((1 - p)^N < 0.01). Parity: Wilson 95% intervals per group,
 * the four-fifths rule on the favourable rate 1 - r (lowest group over
 * highest, the EEOC form) with a Katz log interval, and the adverse-rate
 * ratio and difference beside it; groups under min_n are left out of the
 * comparison (and reported by the caller). Pure functions: no I/O, no
 * allocation beyond what is documented.
 */
#ifndef PF_FAIRSTATS_H
#define PF_FAIRSTATS_H

#include <stddef.h>
#include <stdint.h>

#define FAIR_Z95 1.959963984540054     /* two-sided 95% normal quantile */
#define FAIR_EXPECTED_MIN 5.0          /* chi-square: smallest expected */
#define FAIR_SURPRISE 0.01             /* (1 - p)^N below this: surprising */

#define FAIR_MAX_CELLS 4096

/* Counts against shares, over n cells (at most FAIR_MAX_CELLS; shares
 * sum to 1). */
struct fair_repr {
	int64_t total;         /* N: the sum of the counts */
	double tvd;            /* 1/2 sum |c_i/N - p_i| */
	double max_gap;        /* max |c_i/N - p_i| */
	size_t max_gap_cell;   /* its cell */
	double chi2;           /* over the merged cells */
	int df;                /* merged cells - 1; 0: no test (p undefined) */
	double p_value;
	size_t merged;         /* cells folded into others (expected < 5) */
	size_t empty;          /* cells of share > 0 with no count */
	size_t surprising;     /* of which (1 - p)^N < FAIR_SURPRISE */
};

/* Compare counts c[] with shares p[] over n cells into *out. Returns 0,
 * or -1 when N is 0, n is 0 or above FAIR_MAX_CELLS (*out zeroed). */
int fair_repr_compute(const int64_t *c, const double *p, size_t n,
		      struct fair_repr *out);

/* 1 when an empty cell of share p among N draws is surprising. */
int fair_empty_surprising(double p, int64_t N);

/* P(X >= x) for X chi-square with df degrees of freedom (df >= 1). */
double fair_chi2_sf(double x, int df);

/* Wilson score interval of x successes in n (n >= 1) at FAIR_Z95. */
void fair_wilson(int64_t x, int64_t n, double *lo, double *hi);

/* Katz log interval of the ratio (x1/n1) / (x2/n2) at FAIR_Z95:
 * exp(ln ratio +- z sqrt(1/x1 - 1/n1 + 1/x2 - 1/n2)). Returns 0, or -1
 * when x1 or x2 is 0, or both proportions are 1 (the interval is then
 * undefined). */
int fair_katz(int64_t x1, int64_t n1, int64_t x2, int64_t n2, double *lo,
	      double *hi);

/* The median of v[0..n) (n >= 1; the mean of the middle two when n is
 * even), reordering v: a selection, not a sort (the lengths of every
 * row of a text table, per group of each attribute). */
double fair_median_u32(uint32_t *v, size_t n);

/* One group's adverse outcomes: x of n. */
struct fair_group {
	int64_t x, n;
};

/* The parity of groups g[0..ng) with n >= min_n. */
struct fair_parity {
	size_t compared;        /* groups at or above min_n */
	size_t low, high;       /* indexes: lowest and highest favourable */
	double ratio;           /* four-fifths: lowest favourable / highest
				 * (1 when every rate is 0) */
	double lo, hi;          /* its Katz interval */
	int has_interval;
	double adverse_ratio;   /* lowest adverse rate / highest (1 when
				 * every rate is 0) */
	double adverse_diff;    /* highest adverse rate - lowest */
};

/* Compare the groups of at least min_n. Returns 0, or -1 when fewer than
 * two groups qualify (*out then only says how many did). */
int fair_parity_compute(const struct fair_group *g, size_t ng,
			int64_t min_n, struct fair_parity *out);

#endif
