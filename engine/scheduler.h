/* scheduler.h - the build loop: personas in, items through the backend,
 * replies accepted into the dataset.
 *
 * Personas are processed in index order through a bounded window: a
 * persona enters when there is room, its items are planned in the journal,
 * each item runs when the items it waits for are done, and the persona
 * leaves (its memory freed) when every item is done or failed. Memory is
 * therefore bounded by the window, not the dataset.
 *
 * Per item: render the prompt (templates, no escaping) -> build the request
 * body -> hash it -> reuse the journal's reply if the hash matches, else
 * submit to the backend -> parse -> check finish_reason and the schema ->
 * the stage accepts it (writing rows, auditing them) -> the journal marks
 * it done, all in one transaction. Bad replies are retried with a repair
 * message a bounded number of times, then recorded as failed with the
 * reason; the items that needed them are recorded as failed too
 * ("blocked by ..."). Nothing is dropped silently.
 */
#ifndef PF_SCHEDULER_H
#define PF_SCHEDULER_H

#include <stdint.h>
#include <uv.h>

#include "llm/backend.h"
#include "engine/config.h"
#include "base/error.h"
#include "engine/journal.h"
#include "engine/prompts.h"

struct writer;
struct persona_tables;

struct sched_opts {
	const struct pf_config *cfg;
	const struct prompts *prompts;
	struct journal *journal;
	struct writer *writer;
	const struct persona_tables *tables;
	struct backend *backend;
	const char *model;        /* model named in requests and hashes */
	int offline;              /* render offline replies for the backend */
	int64_t first, end;       /* persona index range [first, end) */
	unsigned window;          /* personas in memory at once */
	uint64_t grace_ms;        /* SIGINT/SIGTERM grace for in-flight calls */
	uint64_t commit_ms;       /* commit accepted replies at least this
				   * often (0: 100 ms); a crash re-sends at
				   * most what arrived in that window plus
				   * what was in flight */
	int progress;             /* print progress on stderr */
	const char *out_name;     /* the dataset, named in the summary */
};

struct sched_result {
	int64_t personas;         /* personas completed */
	int64_t total;            /* items the run was to finish */
	int64_t items;            /* items that ended done or failed */
	int64_t sent;             /* items answered by the backend this run */
	int64_t reused;           /* items reused from the journal */
	int64_t failed;           /* items recorded as failed */
	int64_t retries;          /* repair retries (schema, length, content) */
	int64_t prompt_tokens, completion_tokens;
	enum llm_result stop;     /* LLM_OK, or why the run stopped early */
	int interrupted;          /* stopped by a signal */
	double seconds;
};

/* Run the build on `loop` until every persona in range is done, a stop
 * condition hits, or a signal arrives. Returns 0 when the loop ran (see
 * *res for the outcome), -1 on a runtime error (database write failure),
 * with err filled. Commits everything accepted before returning. */
int sched_run(uv_loop_t *loop, const struct sched_opts *o,
	      struct sched_result *res, struct pf_error *err);

#endif
