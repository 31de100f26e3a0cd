/* runner.c - the one event loop (see runner.h). */
#include "engine/runner.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/status.h"
#include "engine/interrupt.h"

#define CLOSE_PASSES 100   /* loop passes allowed to close everything */

struct runner {
	const struct runner_opts *o;
	const struct runner_ops *ops;
	struct runner_result *res;
	uv_loop_t loop;
	struct backend *be;
	uv_signal_t sigint, sigterm;
	uv_timer_t commit_timer;
	uv_idle_t refill;          /* fill once after the calls that came
				    * back in one loop pass */
	struct progress *progress;
	unsigned inflight;
	int stopping, finished;
	int open_handles;          /* ours, not yet closed */
	uint64_t start_ms;
};

static void check_end(struct runner *rn);

int
runner_stopping(const struct runner *rn)
{
	return rn->stopping;
}

unsigned
runner_inflight(const struct runner *rn)
{
	return rn->inflight;
}

uint64_t
runner_now(struct runner *rn)
{
	return uv_now(&rn->loop);
}

unsigned
runner_capacity(struct runner *rn)
{
	return rn->stopping ? 0 : rn->be->ops->capacity(rn->be);
}

void
runner_stop(struct runner *rn, enum llm_result why)
{
	if (why != LLM_OK && rn->res->stop == LLM_OK)
		rn->res->stop = why;
	if (rn->stopping)
		return;
	rn->stopping = 1;
	rn->be->ops->drain(rn->be, rn->o->grace_ms);
}

void
runner_fatal(struct runner *rn)
{
	rn->res->fatal = 1;
	runner_stop(rn, LLM_OK);
	rn->be->ops->drain(rn->be, 0);
}

static void
fill(struct runner *rn)
{
	if (!rn->finished)
		rn->ops->fill(rn, rn->o->ud);
	check_end(rn);
}

static void
on_refill(uv_idle_t *h)
{
	struct runner *rn = h->data;

	uv_idle_stop(h);
	fill(rn);
}

/* Fill once the calls that came back in this loop pass are all done: the
 * driver then starts their dependents together (the scheduler renders
 * them as a batch on its pool) rather than one by one. */
static void
on_call_done(struct llm_call *c)
{
	struct runner *rn = c->owner;
	enum llm_result result = c->result;

	rn->inflight--;
	rn->res->answered += c->result == LLM_OK;
	rn->res->prompt_tokens += c->prompt_tokens;
	rn->res->completion_tokens += c->completion_tokens;
	rn->ops->done(rn, rn->o->ud, c);
	/* After the driver has seen its call (and may have cleared it),
	 * so the reason is read first. */
	if (result != LLM_OK && result != LLM_FAILED &&
	    result != LLM_ABANDONED)
		runner_stop(rn, result);
	if (!rn->finished)
		uv_idle_start(&rn->refill, on_refill);
}

int
runner_submit(struct runner *rn, struct llm_call *c)
{
	c->done = on_call_done;
	c->owner = rn;
	rn->inflight++;
	if (rn->be->ops->submit(rn->be, c) == 0)
		return 0;
	rn->inflight--;
	/* No reason of its own: a quota or auth stop of a call still in
	 * flight must still be the one reported. */
	runner_stop(rn, LLM_OK);
	return -1;
}

static void
commit(struct runner *rn)
{
	if (rn->ops->commit != NULL)
		rn->ops->commit(rn, rn->o->ud);
}

static void
on_commit_timer(uv_timer_t *t)
{
	struct runner *rn = t->data;

	commit(rn);
	fill(rn);
}

static void
on_signal(uv_signal_t *h, int signum)
{
	struct runner *rn = h->data;

	if (rn->stopping) {
		/* A second signal: do not wait for the grace period. */
		rn->be->ops->drain(rn->be, 0);
		return;
	}
	interrupt_note(signum);
	if (rn->ops->interrupted != NULL)
		rn->ops->interrupted(rn->o->ud, signum);
	rn->res->interrupted = 1;
	runner_stop(rn, LLM_OK);
	fill(rn);
}

/* Progress figures: the driver's counts, and the backend's, or the
 * runner's own count of calls when the backend keeps none. */
static void
sample(void *ud, struct progress_sample *ps)
{
	struct runner *rn = ud;

	memset(ps, 0, sizeof(*ps));
	if (rn->ops->sample != NULL)
		rn->ops->sample(rn->o->ud, ps);
	if (rn->be->ops->stats != NULL) {
		rn->be->ops->stats(rn->be, &ps->st);
		return;
	}
	ps->st.sent = ps->st.done = rn->res->answered;
	ps->st.in_flight = ps->st.concurrency = rn->inflight;
	ps->st.tokens_in = rn->res->prompt_tokens;
	ps->st.tokens_out = rn->res->completion_tokens;
}

static void
close_cb(uv_handle_t *h)
{
	struct runner *rn = h->data;

	rn->open_handles--;
}

/* Progress first: if it cannot start, nothing else has. */
static int
start_handles(struct runner *rn)
{
	struct progress_opts po = {
		.tty = -1, .label = rn->o->label, .sample = sample, .ud = rn,
	};
	uint64_t ms = rn->o->commit_ms;

	if (rn->o->progress &&
	    progress_start(&rn->loop, &po, &rn->progress) != 0)
		return -1;
	uv_signal_init(&rn->loop, &rn->sigint);
	uv_signal_init(&rn->loop, &rn->sigterm);
	uv_timer_init(&rn->loop, &rn->commit_timer);
	uv_idle_init(&rn->loop, &rn->refill);
	rn->sigint.data = rn->sigterm.data = rn->commit_timer.data = rn;
	rn->refill.data = rn;
	rn->open_handles = 4;
	uv_signal_start(&rn->sigint, on_signal, SIGINT);
	uv_signal_start(&rn->sigterm, on_signal, SIGTERM);
	/* A signal before the loop ran (engine/interrupt.h): stop now. */
	if (interrupt_caught() != 0)
		on_signal(&rn->sigint, interrupt_caught());
	if (ms > 0)
		uv_timer_start(&rn->commit_timer, on_commit_timer, ms, ms);
	return 0;
}

/* The driver is idle (or the run stopped) and nothing is in flight:
 * commit, report and let the loop end. */
static void
check_end(struct runner *rn)
{
	struct progress_sample ps;

	if (rn->finished || rn->inflight > 0)
		return;
	if (!rn->stopping && !rn->ops->idle(rn->o->ud))
		return;
	rn->finished = 1;
	commit(rn);
	sample(rn, &ps);
	rn->res->st = ps.st;
	if (rn->o->own_summary)
		progress_end(rn->progress);
	else
		progress_finish(rn->progress, rn->o->out_name);
	rn->progress = NULL;
	uv_close((uv_handle_t *)&rn->sigint, close_cb);
	uv_close((uv_handle_t *)&rn->sigterm, close_cb);
	interrupt_closed(&rn->sigint, SIGINT);
	interrupt_closed(&rn->sigterm, SIGTERM);
	uv_close((uv_handle_t *)&rn->commit_timer, close_cb);
	uv_close((uv_handle_t *)&rn->refill, close_cb);
	/* Our handles are closed; the backend's may keep the loop alive. */
	uv_stop(&rn->loop);
}

/* Close the backend and run the loop until every handle is closed. */
static void
close_loop(struct runner *rn)
{
	int i;

	if (rn->be != NULL)
		rn->be->ops->close(rn->be);
	rn->be = NULL;
	/* A stop flag left behind ends the first pass early. */
	for (i = 0; i < CLOSE_PASSES &&
	     uv_run(&rn->loop, UV_RUN_DEFAULT) != 0; i++)
		;
	uv_run(&rn->loop, UV_RUN_NOWAIT);
	if (uv_loop_close(&rn->loop) != 0)
		log_warn("event loop closed with handles still open");
}

static void
run_loop(struct runner *rn)
{
	enum llm_result why;

	fill(rn);
	if (!rn->finished)
		uv_run(&rn->loop, UV_RUN_DEFAULT);
	/* Only check_end() stops the loop, and our signal handles keep it
	 * alive until then; should anything else stop it, go on waiting for
	 * the calls in flight rather than free them under the backend. */
	while (!rn->finished)
		uv_run(&rn->loop, UV_RUN_ONCE);
	/* Run our close callbacks; with closing handles pending, a ONCE
	 * pass never blocks. */
	while (rn->open_handles > 0)
		uv_run(&rn->loop, UV_RUN_ONCE);
	why = rn->be->ops->stopped(rn->be);
	if (rn->res->stop == LLM_OK && why != LLM_OK)
		rn->res->stop = why;
}

int
runner_run(const struct runner_opts *o, const struct runner_ops *ops,
	   struct runner_result *res)
{
	struct runner rn;
	int rc;

	memset(&rn, 0, sizeof(rn));
	memset(res, 0, sizeof(*res));
	rn.o = o;
	rn.ops = ops;
	rn.res = res;
	if (uv_loop_init(&rn.loop) != 0)
		return PF_EXIT_RUNTIME;
	rc = o->backend_new(o->backend_ud, &rn.loop, &rn.be);
	if (rc == 0 && o->prepare != NULL)
		rc = o->prepare(o->backend_ud);
	if (rc == 0 && start_handles(&rn) != 0)
		rc = PF_EXIT_RUNTIME;
	if (rc != 0) {
		close_loop(&rn);
		return rc;
	}
	uv_update_time(&rn.loop);
	rn.start_ms = uv_now(&rn.loop);
	run_loop(&rn);
	uv_update_time(&rn.loop);
	res->seconds = (uv_now(&rn.loop) - rn.start_ms) / 1000.0;
	close_loop(&rn);
	return 0;
}

int
runner_exit_code(const struct runner_result *res,
		 const struct runner_exits *m)
{
	int code = PF_EXIT_OK;

	switch (res->stop) {
	case LLM_STOP_QUOTA:
		log_error("%s", m->quota);
		code = PF_EXIT_QUOTA;
		break;
	case LLM_STOP_AUTH:
		log_error("%s", m->auth);
		code = PF_EXIT_AUTH;
		break;
	case LLM_STOP_BUDGET:
		log_error("%s", m->budget);
		code = PF_EXIT_BUDGET;
		break;
	case LLM_STOP_UNREACHABLE:
		log_error("%s", m->unreachable);
		code = PF_EXIT_UNREACHABLE;
		break;
	default:
		break;
	}
	if (res->interrupted)
		code = status_merge(code, PF_EXIT_INTERRUPTED);
	return code;
}
