/* dedup.c - near-duplicate control of the narratives (see dedup.h). */
#include "generators/dedup.h"

#include <stdlib.h>

struct gen_dedup {
	struct minhash_index *x;   /* NULL until the first narrative */
	struct gen_dedup_counts n;
};

struct gen_dedup *
gen_dedup_new(void)
{
	return calloc(1, sizeof(struct gen_dedup));
}

void
gen_dedup_free(struct gen_dedup *d)
{
	if (d == NULL)
		return;
	minhash_index_free(d->x);
	free(d);
}

/* The run's state with its index made (room for the run's personas, at
 * most GEN_DEDUP_MAX), or NULL with err set. */
static struct gen_dedup *
state(const struct pf_config *cfg, struct pf_error *err)
{
	const struct gen_config *g = gen_cfg(cfg);
	struct gen_dedup *d = g->dedup_run;
	int64_t max = cfg->personas;

	if (d == NULL)
		return pf_error_set(err, "out of memory"), NULL;
	if (d->x != NULL)
		return d;
	if (max <= 0 || max > GEN_DEDUP_MAX)
		max = GEN_DEDUP_MAX;
	d->x = minhash_index_new((size_t)max, g->dedup.bands, g->dedup.rows,
				 g->dedup.threshold);
	if (d->x == NULL)
		return pf_error_set(err, "out of memory"), NULL;
	return d;
}

/* Store m under index; a full index keeps what it has. */
static void
store(struct gen_dedup *d, const struct minhash *m, int64_t index)
{
	if (minhash_index_size(d->x) < GEN_DEDUP_MAX)
		(void)minhash_index_add(d->x, m, index);
}

int
gen_dedup_check(const struct pf_config *cfg, int64_t index,
		const struct minhash *m, int redraws, int64_t *dup_of,
		struct pf_error *err)
{
	const struct gen_config *g = gen_cfg(cfg);
	struct gen_dedup *d = state(cfg, err);
	int dup;

	if (d == NULL)
		return -1;
	dup = minhash_index_find_below(d->x, m, index, dup_of);
	if (redraws == 0) {
		d->n.checked++;
		d->n.duplicates += dup;
	}
	if (dup && redraws < g->dedup.redraws &&
	    redraws + 1 < cfg->accept_attempts) {
		d->n.redraws++;
		return 1;
	}
	d->n.kept += dup;
	store(d, m, index);
	return 0;
}

int
gen_dedup_add(const struct pf_config *cfg, int64_t index,
	      const struct minhash *m, struct pf_error *err)
{
	struct gen_dedup *d = state(cfg, err);

	if (d == NULL)
		return -1;
	store(d, m, index);
	return 0;
}

void
gen_dedup_counts(const struct pf_config *cfg, struct gen_dedup_counts *out)
{
	const struct gen_dedup *d = gen_cfg(cfg)->dedup_run;

	*out = d != NULL ? d->n : (struct gen_dedup_counts){ 0 };
}
