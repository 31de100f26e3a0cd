/* scheduler.h - the build driver of the runner: units in, items through
 * the backend, replies accepted into the dataset.
 *
 * The scheduler knows no stage, backend or persona: it runs the stage
 * table its caller hands it (engine/stage.h). Units (personas) are opened
 * in index order while the items they hold fit in a window; each unit's
 * items are planned in the journal, and each item keeps the number of its
 * prerequisites not yet done: finishing one releases its dependents, so
 * the work is linear in items plus edges. A unit is freed once every item
 * is done or failed, so memory is bounded by the window, not the dataset.
 *
 * It is a driver of the runner (engine/runner.h), which owns the loop.
 *
 * Per item: render the prompt (templates, no escaping) -> build the request
 * body -> hash it -> reuse the journal's reply if the hash matches, else
 * submit to the backend -> parse -> check finish_reason and the schema ->
 * the stage accepts it (writing rows) -> the journal marks it done, all in
 * one write unit. Bad replies are retried with a repair message a bounded
 * number of times, then recorded as failed with the reason; the items that
 * needed them are recorded as failed too ("blocked: it needs ..."). Nothing
 * is dropped silently.
 *
 * Threads: fresh items (no journal history) that are ready together are
 * rendered and hashed on a thread pool of one worker per core (base/
 * pool.h; stage vars run on any thread: engine/stage.h; the loop thread
 * does not render a batch rendered in the background while it waits for
 * it), then started one by one in queue order on
 * the loop thread, so requests, hashes, the journal and the rows are
 * those of a one-thread run. Units are set up (hooks.prepare: sample,
 * plan, draw) on the pool too, up to PREP_MAX ahead of their opening,
 * and opened (their rows, their journal plan) on the loop thread in
 * index order; ended units are freed on the pool. Offline, an item
 * rendered on the pool has its offline reply parsed and checked against
 * the schema there too. Everything else runs on the loop thread.
 */
#ifndef PF_SCHEDULER_H
#define PF_SCHEDULER_H

#include <stdint.h>

/* How the journal's last_error of an item the model refused begins (a
 * refusal in place of content, or finish_reason "content_filter"):
 * output/metrics.c counts refusals by it. */
#define SCHED_REFUSED "the model refused"

#include "base/error.h"
#include "engine/config.h"
#include "engine/journal.h"
#include "engine/prompts.h"
#include "engine/runner.h"
#include "engine/stage.h"

struct sched_opts {
	const struct pf_config *cfg;
	const struct stage_table *table;
	void *hooks_ud;           /* for the table's unit hooks */
	void *sink;               /* row writer handed to stages and hooks */
	const struct prompts *prompts;
	struct journal *journal;
	const char *model;        /* model named in requests and hashes */
	int offline;              /* render offline replies for the backend */
	int64_t first, end;       /* unit index range [first, end) */
	unsigned window;          /* unfinished items at once (a unit bigger
				   * than the window still runs, alone);
				   * items held in all, finished ones of
				   * open units included, stay within two
				   * windows */
	/* Called with each item's request as first rendered (before the
	 * journal is asked for a reply): unit index, stage table index,
	 * item index, item id and the request body, valid during the call
	 * only. NULL: not called. `build --preview --show-prompts` prints
	 * them. */
	void (*on_request)(void *ud, int64_t unit, int stage, uint32_t idx,
			   const char *item_id, const char *body, size_t len);
	void *request_ud;
};

/* Why an item that had a row in the journal was sent again. */
enum sched_resend {
	RESEND_TEMPLATE,          /* its stage's templates or schema changed */
	RESEND_MODEL,             /* another model is asked */
	RESEND_REQUEST,           /* the request changed otherwise (a
				   * prerequisite's reply, a sampling
				   * setting, a partial) */
	RESEND_FAILED,            /* it failed in an earlier run */
	RESEND_DAMAGED,           /* its stored reply failed its checksum */
	RESEND_REJECTED,          /* its stored reply is no longer accepted */
	RESEND_N
};

/* The reasons as the summary words them ("template changed", ...). */
extern const char *const sched_resend_names[RESEND_N];

struct sched_result {
	int64_t units;            /* units completed */
	int64_t total;            /* items the run was to finish */
	int64_t items;            /* items that ended done or failed */
	int64_t sent;             /* items answered by the backend this run */
	int64_t reused;           /* items reused from the journal */
	int64_t stage_reused[STAGE_MAX]; /* the same, by stage table index */
	int64_t resent[RESEND_N]; /* items with a journal row sent again,
				   * by reason (items never answered
				   * before are not counted) */
	int64_t failed;           /* items recorded as failed */
	int64_t retries;          /* repair retries (schema, length, content) */
	int64_t max_held;         /* most items held at once (memory) */
	int64_t max_unfinished;   /* most of them not yet done or failed */
	struct runner_result run; /* stops, signals, tokens, time */
};

struct sched;

/* The scheduler's runner ops: runner_run() with these and the sched as
 * runner_opts.ud runs the build. */
extern const struct runner_ops sched_runner_ops;

/* Set up a build of o (which, with everything it points to, must outlive
 * the sched); results accumulate in *res and errors go to *err. Returns
 * 0 with *out set, or -1 (out of memory). */
int sched_new(const struct sched_opts *o, struct sched_result *res,
	      struct pf_error *err, struct sched **out);

/* Free the sched after runner_run() returned. Returns 0, or -1 when the
 * run hit a runtime error (a database write failed, a unit could not
 * open; *err says which). Accepts NULL. */
int sched_free(struct sched *s);

#endif
