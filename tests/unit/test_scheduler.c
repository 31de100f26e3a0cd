/* test_scheduler.c - the stage-agnostic scheduler and the runner, with a
 * made-up stage table and a fake backend: nothing of generators/,
 * personas/, output/ or llm/'s backends takes part. Prerequisite order,
 * repair retries and failures that block dependents, resume from the
 * journal after a stopped run, the grace period after SIGINT, the
 * window of items held at once, and offline runs rendered on the pool
 * (pre_accept, a render that fails). The journal is a real SQLite file.
 */
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/json.h"
#include "base/schema.h"
#include "engine/journal.h"
#include "engine/prompts.h"
#include "engine/runner.h"
#include "engine/scheduler.h"
#include "engine/sqlq.h"
#include "templates/mustache.h"
#include "tests/unit/check_sql.h"
#include "tests/unit/check_tap.h"

#define NB 4               /* items of stage b per unit: a chain */
#define NC 3               /* items of stage c: each needs every b */
#define MAXLOG 4096

/* ---- the made-up stages ---- */

struct log {
	char ids[MAXLOG][64];   /* items accepted with rows, in order */
	int n;
	int replayed;           /* accepts on replay (no rows) */
};

static struct log lg;

static int
cnt_a(const struct pf_config *c) { (void)c; return 1; }
static int
cnt_b(const struct pf_config *c) { (void)c; return NB; }
static int
cnt_c(const struct pf_config *c) { (void)c; return NC; }

static int
deps_a(const struct unit *u, uint32_t i, struct stage_dep *d)
{
	(void)u; (void)i; (void)d;
	return 0;
}

static int
deps_b(const struct unit *u, uint32_t i, struct stage_dep *d)
{
	(void)u;
	d[0] = (struct stage_dep){ 0, 0 };
	if (i == 0)
		return 1;
	d[1] = (struct stage_dep){ 1, i - 1 };
	return 2;
}

static int
deps_c(const struct unit *u, uint32_t i, struct stage_dep *d)
{
	int k;

	(void)i;
	for (k = 0; k < u->count[1]; k++)
		d[k] = (struct stage_dep){ 1, (uint32_t)k };
	return u->count[1];
}

static int
vars_none(struct stage_ctx *sc, cJSON *v, struct pf_error *e)
{
	(void)e;
	return cJSON_AddStringToObject(v, "item", sc->item_id) ? 0 : -1;
}

/* The fake backend answers {"v": item id}; anything else is refused. */
static int
accept_v(struct stage_ctx *sc, const cJSON *r, struct pf_error *e)
{
	if (strcmp(json_get_str(r, "v", ""), sc->item_id) != 0)
		return pf_error_set(e, "wrong item"), 1;
	if (sc->w == NULL) {
		lg.replayed++;
		return 0;
	}
	ck_assert_int_lt(lg.n, MAXLOG);
	snprintf(lg.ids[lg.n++], 64, "%s", sc->item_id);
	return 0;
}

static const struct stage st_a = { .name = "a", .count = cnt_a,
	.deps = deps_a, .vars = vars_none, .accept = accept_v };
static const struct stage st_b = { .name = "b", .count = cnt_b,
	.deps = deps_b, .vars = vars_none, .accept = accept_v };
static const struct stage st_c = { .name = "c", .count = cnt_c,
	.deps = deps_c, .vars = vars_none, .accept = accept_v };
static const struct stage *const stages[] = { &st_a, &st_b, &st_c };

static int
u_open(void *ud, struct unit *u, void *w, struct pf_error *e)
{
	(void)ud; (void)w; (void)e;
	snprintf(u->id, sizeof(u->id), "u%03d", (int)u->index);
	return 0;
}

static const struct stage_table table = {
	.stages = stages, .n = 3, .hooks = { .open = u_open },
};

/* Stage a with pre_accept: the reply's "v", worked out on the pool; the
 * accept counts the replies that came with it and checks it is theirs. */
static atomic_int pre_made, pre_freed;
static int pre_seen, pre_wrong;

static void *
pre_v(struct stage_ctx *sc, const cJSON *r)
{
	(void)sc;
	atomic_fetch_add(&pre_made, 1);
	return strdup(json_get_str(r, "v", ""));
}

static void
pre_v_free(void *pre)
{
	if (pre != NULL)
		atomic_fetch_add(&pre_freed, 1);
	free(pre);
}

static int
accept_pre(struct stage_ctx *sc, const cJSON *r, struct pf_error *e)
{
	if (sc->pre != NULL) {
		pre_seen++;
		pre_wrong += strcmp(sc->pre, json_get_str(r, "v", "")) != 0;
	}
	return accept_v(sc, r, e);
}

static const struct stage st_pre = { .name = "a", .count = cnt_a,
	.deps = deps_a, .vars = vars_none, .accept = accept_pre,
	.pre_accept = pre_v, .pre_free = pre_v_free };
static const struct stage *const stages_pre[] = { &st_pre, &st_b, &st_c };
static const struct stage_table table_pre = {
	.stages = stages_pre, .n = 3, .hooks = { .open = u_open },
};

/* ---- the fake backend ---- */

struct fake {
	struct backend base;
	uv_timer_t timer;
	struct llm_call *q[1024];
	int n;
	unsigned cap;
	uint64_t delay_ms;        /* answer this long after submit */
	int draining;
	int answered, abandoned;
	int stop_after;           /* > 0: quota stop after this many */
	int sigint_after;         /* > 0: raise SIGINT after this many */
	const char *bad_id;       /* its replies fail the schema ... */
	int bad_times;            /* ... this many times (-1: always) */
	const char *fail_id;      /* LLM_FAILED for this item */
	int bad_seen;
	int open;
};

static struct fake fk;

static void
answer(struct llm_call *c)
{
	char buf[128];

	c->result = LLM_OK;
	snprintf(c->finish_reason, sizeof(c->finish_reason), "stop");
	snprintf(buf, sizeof(buf), "{\"v\":\"%s\"}", c->id);
	if (fk.bad_id && strcmp(c->id, fk.bad_id) == 0 &&
	    (fk.bad_times < 0 || fk.bad_seen++ < fk.bad_times))
		snprintf(buf, sizeof(buf), "{\"w\":1}");
	if (fk.fail_id && strcmp(c->id, fk.fail_id) == 0) {
		c->result = LLM_FAILED;
		c->error = strdup("server error");
		return;
	}
	if (fk.stop_after > 0 && fk.answered >= fk.stop_after) {
		c->result = LLM_STOP_QUOTA;
		return;
	}
	if (c->offline_reply != NULL && strcmp(buf, "{\"w\":1}") != 0)
		snprintf(buf, sizeof(buf), "%.*s", (int)c->offline_reply_len,
			 c->offline_reply);
	c->content = strdup(buf);
	c->content_len = strlen(buf);
	fk.answered++;
	if (fk.sigint_after > 0 && fk.answered == fk.sigint_after)
		raise(SIGINT);
}

static void
on_timer(uv_timer_t *t)
{
	struct llm_call *batch[1024];
	int i, n = fk.n;

	(void)t;
	memcpy(batch, fk.q, (size_t)n * sizeof(*batch));
	fk.n = 0;
	for (i = 0; i < n; i++) {
		if (fk.draining == 2) {
			batch[i]->result = LLM_ABANDONED;
			fk.abandoned++;
		} else {
			answer(batch[i]);
		}
		batch[i]->done(batch[i]);
	}
}

static int
f_submit(struct backend *b, struct llm_call *c)
{
	(void)b;
	if ((unsigned)fk.n >= fk.cap)
		return -1;
	fk.q[fk.n++] = c;
	if (fk.draining)
		return uv_timer_start(&fk.timer, on_timer, 0, 0), 0;
	uv_timer_start(&fk.timer, on_timer, fk.delay_ms, 0);
	return 0;
}

static unsigned
f_capacity(struct backend *b)
{
	(void)b;
	return fk.draining ? 0 : fk.cap - (unsigned)fk.n;
}

/* Grace 0 abandons what is in flight; otherwise it is answered. */
static void
f_drain(struct backend *b, uint64_t grace_ms)
{
	(void)b;
	fk.draining = grace_ms == 0 ? 2 : 1;
	if (grace_ms == 0 && fk.n > 0)
		uv_timer_start(&fk.timer, on_timer, 0, 0);
}

static enum llm_result
f_stopped(struct backend *b)
{
	(void)b;
	return LLM_OK;
}

static void
f_closed(uv_handle_t *h)
{
	(void)h;
	fk.open = 0;
}

static void
f_close(struct backend *b)
{
	(void)b;
	uv_close((uv_handle_t *)&fk.timer, f_closed);
}

static const struct backend_ops fake_ops = {
	.name = "fake", .submit = f_submit, .capacity = f_capacity,
	.drain = f_drain, .stopped = f_stopped, .close = f_close,
};

static int
fake_new(void *ud, uv_loop_t *loop, struct backend **out)
{
	(void)ud;
	fk.base.ops = &fake_ops;
	fk.base.loop = loop;
	uv_timer_init(loop, &fk.timer);
	fk.open = 1;
	*out = &fk.base;
	return 0;
}

static void
fake_reset(void)
{
	memset(&fk, 0, sizeof(fk));
	fk.cap = 64;
	memset(&lg, 0, sizeof(lg));
}

/* ---- the run ---- */

static char path[256];
static struct pf_config cfg;
static struct prompts *pr;

static struct mustache *
compile(const char *t)
{
	struct mustache *m;
	struct pf_error e;

	ck_assert_int_eq(mustache_compile(t, strlen(t), "t", &m, &e), 0);
	return m;
}

static void
setup(void)
{
	const char *sch = "{\"type\":\"object\",\"required\":[\"v\"],"
			  "\"properties\":{\"v\":{\"type\":\"string\"}}}";
	/* static: a compound literal would end with this function, and
	 * the renders read the name long after */
	static char name[] = "t";
	struct json_error je;
	struct pf_error e;
	cJSON *root;
	int k;

	snprintf(path, sizeof(path), "/tmp/pf-sched-%d.db", (int)getpid());
	unlink(path);
	memset(&cfg, 0, sizeof(cfg));
	cfg.name = name;
	cfg.seed = 7;
	cfg.accept_attempts = 3;
	cfg.max_tokens = 16;
	cfg.temperature = 0.5;
	cfg.top_p = 1;
	pr = calloc(1, sizeof(*pr));
	pr->cfg = &cfg;
	pr->system = compile("system");
	for (k = 0; k < 3; k++) {
		pr->st[k].prompt = compile("do {{item}} for {{run.name}}");
		pr->st[k].response_format =
			strdup("{\"type\":\"json_object\"}");
		ck_assert_int_eq(json_parse(sch, strlen(sch), &root, &je), 0);
		ck_assert_int_eq(schema_compile(root, &pr->st[k].schema, &e),
				 0);
		cJSON_Delete(root);
	}
}

static void
teardown(void)
{
	prompts_free(pr);
	pr = NULL;
	unlink(path);
}

struct world {
	sqlite3 *db;
	struct journal *j;
	struct sqlq *q;
};

static void
world_open(struct world *w)
{
	struct pf_error e;
	char *err = NULL;

	ck_assert_int_eq(sqlite3_open(path, &w->db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(w->db, "PRAGMA journal_mode=WAL;",
				      NULL, NULL, &err), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(w->db, journal_schema_sql, NULL, NULL,
				      &err), SQLITE_OK);
	ck_assert_int_eq(journal_open(w->db, &w->j, &e), 0);
	ck_assert_int_eq(sqlq_open(path, &w->q, &e), 0);
	ck_assert_int_eq(journal_attach_queue(w->j, w->q, &e), 0);
}

static void
world_close(struct world *w)
{
	struct pf_error e;

	ck_assert_int_eq(sqlq_close(w->q, &e), 0);
	journal_close(w->j);
	sqlite3_close(w->db);
}

/* Run the build o with the fake backend and `grace_ms`, into w's
 * journal; returns sched_free's status (why in *e). */
static int
run_opts(struct world *w, struct sched_opts *o, uint64_t grace_ms,
	 struct sched_result *res, struct pf_error *e)
{
	struct runner_opts ro = {
		.label = "test", .backend_new = fake_new,
		.grace_ms = grace_ms, .commit_ms = 5,
	};
	struct sched *s;

	o->journal = w->j;
	pf_error_clear(e);
	ck_assert_int_eq(sched_new(o, res, e, &s), 0);
	ro.ud = s;
	ck_assert_int_eq(runner_run(&ro, &sched_runner_ops, &res->run), 0);
	ck_assert_int_eq(fk.open, 0);
	ck_assert_int_eq(sqlq_sync(w->q), 0);
	return sched_free(s);
}

/* Run `units` units of the table with `window` and `grace_ms`; returns
 * sched_free's status. */
static int
run(struct world *w, int units, unsigned window, uint64_t grace_ms,
    struct sched_result *res)
{
	struct sched_opts o = {
		.cfg = &cfg, .table = &table, .sink = &lg, .prompts = pr,
		.model = "m", .first = 0, .end = units, .window = window,
	};
	struct pf_error e;

	return run_opts(w, &o, grace_ms, res, &e);
}

static int
pos(const char *id)
{
	int i;

	for (i = 0; i < lg.n; i++)
		if (strcmp(lg.ids[i], id) == 0)
			return i;
	return -1;
}

/* Every accepted item came after the items it needs. */
static void
check_order(int units)
{
	char id[64], dep[64];
	int u, i, k;

	for (u = 0; u < units; u++) {
		for (i = 0; i < NB; i++) {
			snprintf(id, sizeof(id), "u%03d/b/%d", u, i);
			snprintf(dep, sizeof(dep), "u%03d/a/0", u);
			ck_assert_int_gt(pos(id), pos(dep));
			if (i == 0)
				continue;
			snprintf(dep, sizeof(dep), "u%03d/b/%d", u, i - 1);
			ck_assert_int_gt(pos(id), pos(dep));
		}
		for (i = 0; i < NC; i++) {
			snprintf(id, sizeof(id), "u%03d/c/%d", u, i);
			for (k = 0; k < NB; k++) {
				snprintf(dep, sizeof(dep), "u%03d/b/%d", u, k);
				ck_assert_int_gt(pos(id), pos(dep));
				ck_assert_int_ge(pos(dep), 0);
			}
		}
	}
}

START_TEST(prerequisites_run_first)
{
	struct sched_result res;
	struct world w;

	fake_reset();
	world_open(&w);
	ck_assert_int_eq(run(&w, 6, 1000, 0, &res), 0);
	ck_assert_int_eq(res.total, 6 * (1 + NB + NC));
	ck_assert_int_eq(res.items, res.total);
	ck_assert_int_eq(res.sent, res.total);
	ck_assert_int_eq(res.failed, 0);
	ck_assert_int_eq(res.units, 6);
	ck_assert_int_eq(lg.n, res.total);
	check_order(6);
	ck_assert_int_eq(check_sql_int(w.db,
				       "SELECT count(*) FROM journal WHERE "
				       "state = 'done'"), res.total);
	world_close(&w);
}
END_TEST

START_TEST(retries_then_failure_blocks_dependents)
{
	struct sched_result res;
	struct world w;

	fake_reset();
	fk.bad_id = "u001/b/1";      /* bad twice, then good */
	fk.bad_times = 2;
	fk.fail_id = "u002/b/2";     /* the server fails it */
	world_open(&w);
	ck_assert_int_eq(run(&w, 3, 1000, 0, &res), 0);
	ck_assert_int_eq(res.retries, 2);
	ck_assert_int_ge(pos("u001/b/1"), 0);
	/* u002/b/2 failed; b/3 and every c of u002 are blocked */
	ck_assert_int_eq(res.failed, 1 + 1 + NC);
	ck_assert_int_eq(res.items, res.total);
	ck_assert_int_eq(check_sql_int(w.db,
				       "SELECT count(*) FROM journal WHERE "
				       "item_id = 'u002/b/3' AND last_error = "
				       "'blocked: it needs u002/b/2, "
				       "which failed'"),
			 1);
	ck_assert_int_eq(check_sql_int(w.db,
				       "SELECT count(*) FROM journal WHERE "
				       "state = 'failed'"), 1 + 1 + NC);
	ck_assert_int_eq(check_sql_int(w.db,
				       "SELECT attempts FROM journal WHERE "
				       "item_id = 'u001/b/1'"), 3);
	world_close(&w);

	/* a reply that never fits fails after accept_attempts tries */
	fake_reset();
	unlink(path);
	fk.bad_id = "u000/a/0";
	fk.bad_times = -1;
	world_open(&w);
	ck_assert_int_eq(run(&w, 1, 1000, 0, &res), 0);
	ck_assert_int_eq(res.failed, 1 + NB + NC);
	ck_assert_int_eq(lg.n, 0);
	ck_assert_int_eq(check_sql_int(w.db,
				       "SELECT attempts FROM journal WHERE "
				       "item_id = 'u000/a/0'"), 3);
	world_close(&w);
}
END_TEST

START_TEST(resume_sends_only_the_rest)
{
	struct sched_result res;
	struct world w;
	int done1;

	fake_reset();
	fk.stop_after = 10;
	world_open(&w);
	ck_assert_int_eq(run(&w, 4, 1000, 0, &res), 0);
	ck_assert_int_eq(res.run.stop, LLM_STOP_QUOTA);
	ck_assert_int_lt(res.items, res.total);
	done1 = check_sql_int(w.db, "SELECT count(*) FROM journal WHERE "
			      "state = 'done'");
	ck_assert_int_eq(done1, 10);
	world_close(&w);

	fake_reset();
	world_open(&w);
	ck_assert_int_eq(run(&w, 4, 1000, 0, &res), 0);
	ck_assert_int_eq(res.run.stop, LLM_OK);
	ck_assert_int_eq(res.reused, done1);
	ck_assert_int_eq(lg.replayed, done1);
	ck_assert_int_eq(res.sent, res.total - done1);
	ck_assert_int_eq(res.items, res.total);
	ck_assert_int_eq(check_sql_int(w.db,
				       "SELECT count(*) FROM journal WHERE "
				       "state = 'done'"), res.total);
	world_close(&w);
}
END_TEST

START_TEST(sigint_lets_calls_in_flight_finish)
{
	struct sched_result res;
	struct world w;
	int done;

	fake_reset();
	fk.delay_ms = 20;
	fk.sigint_after = 3;
	world_open(&w);
	ck_assert_int_eq(run(&w, 8, 1000, 5000, &res), 0);
	ck_assert_int_eq(res.run.interrupted, 1);
	ck_assert_int_eq(runner_exit_code(&res.run, &(struct runner_exits){
			 "q", "a", "b", "u" }), 130);
	ck_assert_int_lt(res.items, res.total);
	ck_assert_int_eq(fk.abandoned, 0);     /* the grace was enough */
	done = check_sql_int(w.db, "SELECT count(*) FROM journal WHERE "
			     "state = 'done'");
	ck_assert_int_eq(done, fk.answered);
	ck_assert_int_eq(done, res.items);
	world_close(&w);

	/* no grace: what is in flight is abandoned, nothing is lost */
	fake_reset();
	unlink(path);
	fk.delay_ms = 20;
	fk.sigint_after = 3;
	world_open(&w);
	ck_assert_int_eq(run(&w, 8, 1000, 0, &res), 0);
	ck_assert_int_eq(res.run.interrupted, 1);
	ck_assert_int_gt(fk.abandoned, 0);
	ck_assert_int_eq(check_sql_int(w.db,
				       "SELECT count(*) FROM journal WHERE "
				       "state = 'done'"), fk.answered);
	world_close(&w);
}
END_TEST

/* Options of an offline run of 40 units of table t, each stage's offline
 * reply the fake backend's answer; the fake backend reset. */
static struct sched_opts
offline_opts(const struct stage_table *t)
{
	struct sched_opts o = {
		.cfg = &cfg, .table = t, .sink = &lg, .prompts = pr,
		.model = "m", .first = 0, .end = 40, .window = 1000,
		.offline = 1,
	};
	int k;

	for (k = 0; k < 3; k++)
		pr->st[k].offline = compile("{\"v\":\"{{item}}\"}");
	fake_reset();
	return o;
}

/* Offline, a stage's pre_accept runs on the pool for the replies
 * rendered there and accept finds its result with that very reply; a
 * reply the backend changed (a bad one, then its repairs rendered on the
 * loop thread) comes without it; every result is freed. */
START_TEST(offline_pre_accept)
{
	struct sched_opts o = offline_opts(&table_pre);
	struct sched_result res;
	struct world w;
	struct pf_error e;

	fk.bad_id = "u003/a/0";      /* bad once: its repair has no pre */
	fk.bad_times = 1;
	atomic_store(&pre_made, 0);
	atomic_store(&pre_freed, 0);
	pre_seen = pre_wrong = 0;
	world_open(&w);
	ck_assert_int_eq(run_opts(&w, &o, 0, &res, &e), 0);
	ck_assert_int_eq(res.items, res.total);
	ck_assert_int_eq(res.retries, 1);
	check_order(40);
	ck_assert_int_eq(pre_wrong, 0);
	ck_assert_int_eq(atomic_load(&pre_freed), atomic_load(&pre_made));
	if (uv_available_parallelism() >= 2)   /* a pool renders */
		ck_assert_int_eq(pre_seen, 40 - 1);
	else
		ck_assert_int_eq(pre_seen, 0);
	world_close(&w);
}
END_TEST

/* Stage a, whose render fails for one item: the reason, set on the
 * rendering thread, is the one its journal row records. */
static int
vars_fail_one(struct stage_ctx *sc, cJSON *v, struct pf_error *e)
{
	if (strcmp(sc->item_id, "u005/a/0") == 0)
		return pf_error_set(e, "no variables for %s", sc->item_id);
	return vars_none(sc, v, e);
}

static const struct stage st_rfail = { .name = "a", .count = cnt_a,
	.deps = deps_a, .vars = vars_fail_one, .accept = accept_v };
static const struct stage *const stages_rfail[] = { &st_rfail, &st_b,
	&st_c };
static const struct stage_table table_rfail = {
	.stages = stages_rfail, .n = 3, .hooks = { .open = u_open },
};

START_TEST(render_failure_on_the_pool)
{
	struct sched_opts o = offline_opts(&table_rfail);
	struct sched_result res;
	struct world w;
	struct pf_error e;

	world_open(&w);
	ck_assert_int_eq(run_opts(&w, &o, 0, &res, &e), 0);
	ck_assert_int_eq(res.items, res.total);
	ck_assert_int_eq(res.failed, 1 + NB + NC);
	ck_assert_int_eq(check_sql_int(w.db,
				       "SELECT count(*) FROM journal WHERE "
				       "item_id = 'u005/a/0' AND last_error = "
				       "'no variables for u005/a/0'"), 1);
	world_close(&w);
}
END_TEST

START_TEST(window_bounds_items_held)
{
	struct sched_result res;
	struct world w;
	const int per = 1 + NB + NC;

	fake_reset();
	world_open(&w);
	ck_assert_int_eq(run(&w, 10, (unsigned)(2 * per + 1), 0, &res), 0);
	ck_assert_int_eq(res.items, res.total);
	ck_assert_int_le(res.max_unfinished, 2 * per + 1);
	ck_assert_int_ge(res.max_unfinished, 2 * per);
	ck_assert_int_le(res.max_held, 2 * (2 * per + 1));
	check_order(10);
	world_close(&w);

	/* a unit bigger than the window still runs, alone */
	fake_reset();
	unlink(path);
	world_open(&w);
	ck_assert_int_eq(run(&w, 3, 2, 0, &res), 0);
	ck_assert_int_eq(res.items, res.total);
	ck_assert_int_eq(res.max_held, per);
	world_close(&w);
}
END_TEST

/* A table whose first stage waits for the second: refused at once, not
 * a run that waits forever. */
static int
deps_fwd(const struct unit *u, uint32_t i, struct stage_dep *d)
{
	(void)u; (void)i;
	d[0] = (struct stage_dep){ 1, 0 };
	return 1;
}

static const struct stage st_fwd = { .name = "a", .count = cnt_a,
	.deps = deps_fwd, .vars = vars_none, .accept = accept_v };
static const struct stage *const stages_fwd[] = { &st_fwd, &st_b };
static const struct stage_table table_fwd = {
	.stages = stages_fwd, .n = 2, .hooks = { .open = u_open },
};

START_TEST(forward_dependency_is_refused)
{
	struct sched_opts o = {
		.cfg = &cfg, .table = &table_fwd, .sink = &lg, .prompts = pr,
		.model = "m", .first = 0, .end = 2, .window = 100,
	};
	struct sched_result res;
	struct world w;
	struct pf_error e;

	fake_reset();
	world_open(&w);
	ck_assert_int_eq(run_opts(&w, &o, 0, &res, &e), -1);
	ck_assert_int_eq(res.run.fatal, 1);
	ck_assert_ptr_nonnull(strstr(e.msg, "u000/a/0 depends on u000/b/0"));
	ck_assert_int_eq(fk.answered, 0);
	world_close(&w);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("scheduler");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, prerequisites_run_first);
	tcase_add_test(tc, retries_then_failure_blocks_dependents);
	tcase_add_test(tc, resume_sends_only_the_rest);
	tcase_add_test(tc, sigint_lets_calls_in_flight_finish);
	tcase_add_test(tc, window_bounds_items_held);
	tcase_add_test(tc, offline_pre_accept);
	tcase_add_test(tc, render_failure_on_the_pool);
	tcase_add_test(tc, forward_dependency_is_refused);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_tap_run(suite());
}
