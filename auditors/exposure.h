/* exposure.h - individual item fairness of top-k lists (Rampisela et al.,
 * ACM TORS 2024; ../shared/reference/seeds-spec.md section 7): how evenly
 * m lists of k items each spread their m*k slots over a catalogue of n
 * items.
 *
 * Fifteen measures, under the keys of the authors' code (exposure_keys):
 * the original ("_ori") Jain, QF, Ent, Gini, Gini-w, FSat, VoCD, II-D and
 * AI-D, and the corrected ("_our") Jain, QF, Ent, Gini, Gini-w and FSat,
 * rescaled to the range the measure can reach for the given n, m and k.
 * Higher is fairer for Jain, QF, Ent and FSat; lower for the others.
 * A value the formula leaves undefined for (n, m, k) (a zero
 * denominator, a logarithm of base 1, fewer than two exposed items for
 * VoCD, no lists at all) is reported as undefined, never as a number;
 * 0 log 0 = 0. Gini-w, II-D and AI-D weigh slots by rank, so they are
 * undefined for unordered lists. Corrected values within 1e-12 of 0 or
 * 1 are set to it (rounding only).
 *
 * Lists are added one at a time and only per-item sums are kept: memory
 * is O(n), whatever m is.
 */
#ifndef PF_EXPOSURE_H
#define PF_EXPOSURE_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

#define EXPOSURE_NKEYS 15
#define EXPOSURE_MAX_ITEMS ((int64_t)1 << 24)  /* catalogue size */
#define EXPOSURE_MAX_K 4096                    /* list length */

/* The keys in output order: "Jain_ori", "Jain_our", ..., "AI-D_ori". */
extern const char *const exposure_keys[EXPOSURE_NKEYS];

/* The exposure of n items over the lists added so far. */
struct exposure {
	int64_t n;            /* catalogue size */
	int64_t m;            /* lists added */
	size_t k;             /* their length (0 before the first) */
	int ordered;          /* 1: a list's order is its ranking */
	int64_t *count;       /* per item: slots it fills */
	double *wsum;         /* per item: sum of 1/log2(rank + 1) */
	double *esum;         /* per item: sum of 0.8^(rank - 1) */
	unsigned char *seen;  /* scratch: ids of the list being added */
};

/* The measures: value[i] of exposure_keys[i], defined[i] 0 when the
 * measure is undefined (value[i] is then 0). */
struct exposure_result {
	double value[EXPOSURE_NKEYS];
	int defined[EXPOSURE_NKEYS];
};

/* Start over n items (1 <= n <= EXPOSURE_MAX_ITEMS); `ordered` says
 * whether lists are rankings. Returns 0, or -1 with err filled (bad n,
 * out of memory). Release with exposure_free. */
int exposure_init(struct exposure *x, int64_t n, int ordered,
		  struct pf_error *err);

void exposure_free(struct exposure *x);   /* accepts a zeroed struct */

/* Add one list of k ids (1..n, no repeats; k the same for every list,
 * 1 <= k <= min(n, EXPOSURE_MAX_K)). Returns 0, or -1 with err's msg
 * saying what is wrong (the list is then not counted). */
int exposure_add(struct exposure *x, const int64_t *ids, size_t k,
		 struct pf_error *err);

/* Compute every measure over the lists added. Returns 0, or -1 when out
 * of memory (err filled). */
int exposure_compute(const struct exposure *x, struct exposure_result *r,
		     struct pf_error *err);

#endif
