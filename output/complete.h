/* complete.h - is a dataset finished, and which of its personas are
 * complete.
 *
 * A persona is complete when every journal item of it is done (the
 * scheduler plans all of a persona's items in the same commit that
 * writes its row, so a persona row always comes with its items; a fresh
 * build writes one of those plans as a pending row that stays until the
 * last item ends: engine/jplan.h). A
 * dataset is finished when no journal item is left undone (pending or
 * failed) and it holds as many personas as its run row asks for.
 * `export` refuses an unfinished dataset unless --partial, which keeps
 * the complete personas only (DATASET_COMPLETE in the walk's SQL);
 * `stats` shows it. Owned by output/; reads only.
 */
#ifndef PF_COMPLETE_H
#define PF_COMPLETE_H

#include <stdint.h>

#include "base/error.h"
#include "output/dataset.h"

/* SQL, true when the persona whose persona_id is the expression X is
 * complete. The subquery is uncorrelated: SQLite runs it once per
 * statement, so the test costs one pass over the journal. */
#define DATASET_COMPLETE(X) "(" X " NOT IN (SELECT persona_id FROM" \
	" journal WHERE state != 'done'))"

struct dataset_progress {
	int64_t expected;     /* personas the run row asks for (its shard's
			       * when it is a shard; 0: no row) */
	int64_t personas;     /* persona rows */
	int64_t complete;     /* persona rows whose every item is done */
	int64_t undone;       /* journal items pending or failed */
};

/* Count into *p in one read transaction. Returns 0, or -1 with err
 * filled (err->file = the dataset). */
int dataset_progress_read(struct dataset *ds, struct dataset_progress *p,
			  struct pf_error *err);

/* 1 if p describes a finished dataset, else 0. */
int dataset_progress_finished(const struct dataset_progress *p);

#endif
