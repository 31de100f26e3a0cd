/* runner.h - the one event loop every run goes through.
 *
 * The runner owns the libuv loop, SIGINT/SIGTERM, the commit timer, the
 * progress reports, the grace period and the exit-code precedence. What
 * it runs comes from a driver: `build` feeds work items from a stage table
 * (engine/scheduler.h), `batch` lines from a JSONL file. The driver starts
 * calls with runner_submit() when asked to fill, hears of each finished
 * call through its done op, and says when it has nothing more to start;
 * the run ends when the driver is idle and no call is in flight, or when
 * it is stopped (a signal, a budget/quota/auth stop, a fatal error) and
 * every call in flight has come back.
 *
 * This is the only file that calls uv_loop_init, uv_run and
 * uv_signal_start; drivers see a loop only to create their backend.
 */
#ifndef PF_RUNNER_H
#define PF_RUNNER_H

#include <stdint.h>
#include <uv.h>

#include "base/error.h"
#include "engine/progress.h"
#include "llm/backend.h"

struct runner;

/* What a driver does; `ud` is runner_opts.ud. */
struct runner_ops {
	/* Start what there is room for (runner_capacity) with
	 * runner_submit. Called once at the start, once after the calls
	 * that finished in one loop pass (not after each: their dependents
	 * start together), and after every commit tick and signal. */
	void (*fill)(struct runner *rn, void *ud);
	/* Nonzero once the driver will start nothing more: the run ends
	 * when, besides, no call is in flight. */
	int (*idle)(void *ud);
	/* A submitted call came back (its result set); the runner has
	 * counted it. Its outputs are the driver's to free
	 * (llm_call_clear) once it is done with them. */
	void (*done)(struct runner *rn, void *ud, struct llm_call *c);
	/* Hand accepted work to storage: every commit_ms and once at the
	 * end. May be NULL. */
	void (*commit)(struct runner *rn, void *ud);
	/* The driver's progress figures (done, total, failed, reused); the
	 * runner adds the backend's. May be NULL. */
	void (*sample)(void *ud, struct progress_sample *ps);
	/* The first SIGINT/SIGTERM: say what happens to the work (log). */
	void (*interrupted)(void *ud, int signum);
};

struct runner_opts {
	const char *label;          /* "build", "batch": leads the summary */
	/* Create the backend on `loop`. Returns 0, or an exit code
	 * (enum pf_exit) after printing why. */
	int (*backend_new)(void *ud, uv_loop_t *loop, struct backend **out);
	/* Called once the backend exists, before the first fill: open
	 * the output. Returns 0, or an exit code after printing why. May
	 * be NULL. */
	int (*prepare)(void *ud);
	void *backend_ud;           /* for backend_new and prepare */
	void *ud;                   /* the driver's, for every op */
	uint64_t grace_ms;          /* calls in flight may finish after a
				     * stop for this long */
	uint64_t commit_ms;         /* commit period (0: no timer); also how
				     * often fill runs when no call comes
				     * back (a driver waiting on time, like
				     * batch's reorder ring, needs it) */
	int progress;               /* report progress on stderr */
	const char *out_name;       /* the output, named in the summary */
	int own_summary;            /* the driver prints the summary line
				     * (progress_line) once its output is
				     * committed; the runner only ends the
				     * progress reports */
};

struct runner_result {
	enum llm_result stop;       /* LLM_OK, or the first stop reason */
	int interrupted;            /* stopped by a signal */
	int fatal;                  /* runner_fatal() was called */
	uint64_t answered;          /* calls that came back LLM_OK */
	uint64_t prompt_tokens, completion_tokens;
	double seconds;
	struct llm_stats st;        /* the backend's counters at the end */
};

/* Run until the driver is idle and nothing is in flight, or a stop has
 * drained. Returns 0 when the loop ran (see *res for the outcome) or an
 * exit code when the loop or the backend could not start. Everything the
 * driver committed stands either way; the backend is closed and the loop
 * closed before it returns. */
int runner_run(const struct runner_opts *o, const struct runner_ops *ops,
	       struct runner_result *res);

/* Submit a call: its done and owner are the runner's to set, its ud stays
 * the driver's. Returns 0, or -1 when the backend refused it (the run is
 * stopping then; the call is the driver's again). */
int runner_submit(struct runner *rn, struct llm_call *c);

/* How many more calls the backend takes now; 0 while stopping. */
unsigned runner_capacity(struct runner *rn);

/* Stop starting work: calls not yet sent come back abandoned, calls in
 * flight get the grace period. `why` (LLM_OK for none) is kept if it is
 * the first reason. */
void runner_stop(struct runner *rn, enum llm_result why);

/* A fatal error (a write failed): stop with no grace. */
void runner_fatal(struct runner *rn);

int runner_stopping(const struct runner *rn);
unsigned runner_inflight(const struct runner *rn);

/* The loop's clock, in milliseconds. */
uint64_t runner_now(struct runner *rn);

/* Messages for the stops, in the driver's words. */
struct runner_exits {
	const char *quota, *auth, *budget;
	const char *unreachable;    /* the backend named each endpoint */
};

/* The exit code of a run's stops and interruption (0 if none applies),
 * logging the driver's message for a stop. Precedence: status_merge(). */
int runner_exit_code(const struct runner_result *res,
		     const struct runner_exits *m);

#endif
