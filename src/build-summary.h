/* build-summary.h - the end-of-build summary, counted from the journal.
 *
 * After any end of a build (finished, failed items, a signal, a stop, a
 * disk-full error) the summary says what the journal holds for the run's
 * units, never what the run meant to do: items per stage by outcome
 * (done, reused, failed, blocked, unfinished), the personas whose every
 * item is done, and the figures of this run's traffic. The exit status
 * follows the same counts (build_tally_code). Owned by `build`
 * (src/cmd-build.c); reads only, once the write queue is closed: on the
 * dataset's connection, or on one of its own while the build's
 * dataset-wide passes run (build_tally_ahead_start).
 */
#ifndef PF_SRC_BUILD_SUMMARY_H
#define PF_SRC_BUILD_SUMMARY_H

#include <stdint.h>
#include <stdio.h>

#include "base/error.h"
#include "engine/journal.h"
#include "engine/scheduler.h"
#include "engine/stage.h"

struct build_tally {
	struct journal_outcome st[STAGE_MAX];   /* by stage table index */
	int64_t expect[STAGE_MAX];  /* items of the stage in the run */
	int64_t done;               /* items done, reused ones included */
	int64_t failed, blocked;
	int64_t unfinished;         /* planned or not, neither done nor
				     * failed */
	int64_t units, units_complete;
};

/* Count what the journal holds for units [o->first, o->end) of the run
 * `o` describes. Returns 0, or -1 with err filled (a read error). */
int build_tally(struct journal *j, const struct sched_opts *o,
		struct build_tally *out, struct pf_error *err);

/* build_tally on a read connection of its own to dataset file `path`, on
 * another thread, while the caller's thread goes on with its connection:
 * a build starts it when the loop has ended (every journal row is
 * committed) and runs its dataset-wide passes meanwhile, which write no
 * journal row. Returns a handle, or NULL when it could not start (the
 * caller then counts on its own connection). */
struct build_tally_ahead;
struct build_tally_ahead *build_tally_ahead_start(const char *path,
						  const struct sched_opts *o);

/* Wait for the tally a began and free a (accepts NULL). Returns 0 with
 * *out filled, or -1 when a is NULL or its count failed (the caller then
 * counts on its own connection). Call it before the dataset leaves WAL
 * mode: its connection reads until then. */
int build_tally_ahead_end(struct build_tally_ahead *a,
			  struct build_tally *out);

/* Print the summary for dataset `db` on `out`: the traffic line (figures
 * from res, items from the tally), the personas complete, and the table
 * of items by stage. */
void build_tally_print(FILE *out, const char *db, const struct sched_opts *o,
		       const struct build_tally *t,
		       const struct sched_result *res);

/* The exit status the tally gives (0, PF_EXIT_PARTIAL when an item failed
 * or was blocked), logging why. */
int build_tally_code(const struct build_tally *t);

#endif
