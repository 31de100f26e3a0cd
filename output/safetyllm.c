/* safetyllm.c - the safety auditor's LLM mode (see safetyllm.h). */
#include "output/safetyllm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditors/penguin.h"
#include "auditors/penguinjudge.h"
#include "auditors/safety.h"
#include "base/buf.h"
#include "base/json.h"
#include "base/status.h"
#include "engine/runner.h"
#include "llm/openai.h"
#include "output/audit.h"
#include "output/cursor.h"
#include "output/findings.h"
#include "output/rowsum.h"
#include "output/tables.h"
#include "output/tablesql.h"

#define SL_MAX_TOKENS 1024      /* a Likert reply */
#define SL_MAX_PROMPT (64u << 10)

/* One judge call: a sample of one reply. */
struct item {
	char row_table[32], row_id[64], field[48];
	size_t offset;
	int side;                    /* a pair's 0 chosen, 1 rejected; -1 */
	int sample;
	char *body;
	size_t body_len;
	struct llm_call call;
	struct pj_likert lk;
	int abstained;               /* 1: no valid scores */
	char why[96];
	char model[96];
	uint32_t prompt_tokens, completion_tokens;
};

struct sl {
	const struct audit_instance *in;
	const struct engine_config *ec;
	int samples;
	const char *model;
	struct item *v;
	size_t n, cap, next, bytes;
	size_t answered;              /* calls come back */
	const struct audit_row *row;  /* collecting */
	struct penguin_profile p;
	struct runner *rn;
	struct runner_result res;
	int failed;
	struct pf_error err;
};

/* ---- collecting the replies ---- */

/* The request body of one sample: the authors' system text and the
 * Likert prompt; `seed` tells the samples apart. */
static char *
make_body(struct sl *x, const struct safety_reply *r, int sample,
	  size_t *len)
{
	struct buf sys, user;
	cJSON *o = NULL, *m, *e;
	char *body = NULL;

	buf_init(&sys, SL_MAX_PROMPT);
	buf_init(&user, SL_MAX_PROMPT);
	if (pj_prompt(PJ_SYSTEM, &x->p, r->query, r->text, NULL, &sys,
		      &x->err) != 0 ||
	    pj_prompt(PJ_LIKERT, &x->p, r->query, r->text, NULL, &user,
		      &x->err) != 0)
		goto out;
	if ((o = cJSON_CreateObject()) == NULL ||
	    !cJSON_AddStringToObject(o, "model", x->model) ||
	    (m = cJSON_AddArrayToObject(o, "messages")) == NULL ||
	    !cJSON_AddNumberToObject(o, "seed", sample) ||
	    !cJSON_AddNumberToObject(o, "max_tokens", SL_MAX_TOKENS))
		goto oom;
	e = cJSON_CreateObject();
	cJSON_AddItemToArray(m, e);
	if (e == NULL || !cJSON_AddStringToObject(e, "role", "system") ||
	    !cJSON_AddStringToObject(e, "content", sys.data))
		goto oom;
	e = cJSON_CreateObject();
	cJSON_AddItemToArray(m, e);
	if (e == NULL || !cJSON_AddStringToObject(e, "role", "user") ||
	    !cJSON_AddStringToObject(e, "content", user.data))
		goto oom;
	if ((body = cJSON_PrintUnformatted(o)) == NULL)
		goto oom;
	*len = strlen(body);
	goto out;
oom:
	pf_error_set(&x->err, "out of memory");
out:
	cJSON_Delete(o);
	buf_free(&sys);
	buf_free(&user);
	return body;
}

/* Add one item per sample of reply r of the row being read. */
static void
on_reply(void *ud, const struct safety_reply *r)
{
	struct sl *x = ud;
	struct item *it, *nv;
	int s;

	for (s = 0; s < x->samples && !x->failed; s++) {
		if (x->n == x->cap) {
			x->cap = x->cap ? 2 * x->cap : 256;
			if ((nv = realloc(x->v, x->cap * sizeof(*nv))) == NULL) {
				x->failed = pf_error_set(&x->err, "out of memory");
				return;
			}
			x->v = nv;
		}
		it = &x->v[x->n];
		memset(it, 0, sizeof(*it));
		snprintf(it->row_table, sizeof(it->row_table), "%s",
			 x->row->table);
		snprintf(it->row_id, sizeof(it->row_id), "%s", x->row->id);
		snprintf(it->field, sizeof(it->field), "%s", r->field);
		it->offset = r->offset;
		it->side = r->side;
		it->sample = s;
		if ((it->body = make_body(x, r, s, &it->body_len)) == NULL) {
			x->failed = -1;
			return;
		}
		x->n++;
		if ((x->bytes += it->body_len) > SAFETYLLM_MAX_BYTES)
			x->failed = pf_error_set(&x->err, "the LLM judge's "
				"requests pass %zu MiB: too many replies for "
				"one pass", SAFETYLLM_MAX_BYTES >> 20);
	}
}

static int
collect(struct dataset *ds, struct sl *x)
{
	struct audit_cursor *cur;
	struct audit_row row;
	int got;

	if (dataset_cursor_open(ds, &cur, &x->err) != 0)
		return -1;
	while (!x->failed && (got = cur->next(cur, &row, &x->err)) == 1) {
		if (row.persona == NULL)
			continue;
		x->row = &row;
		penguin_profile_from_json(row.persona, &x->p);
		safety_each_reply(&row, on_reply, x);
	}
	dataset_cursor_close(cur);
	return x->failed || got < 0 ? -1 : 0;
}

/* ---- the calls ---- */

static int
make_backend(void *ud, uv_loop_t *loop, struct backend **out)
{
	struct sl *x = ud;
	struct pf_error e;

	pf_error_clear(&e);
	if (openai_backend_new(loop, x->ec, out, &e) != 0) {
		pf_error_print(&e);
		return PF_EXIT_USAGE;
	}
	return 0;
}

static void
sl_fill(struct runner *rn, void *ud)
{
	struct sl *x = ud;
	struct item *it;

	x->rn = rn;
	while (x->next < x->n && runner_capacity(rn) > 0) {
		it = &x->v[x->next];
		memset(&it->call, 0, sizeof(it->call));
		it->call.id = it->row_id;
		it->call.body = it->body;
		it->call.body_len = it->body_len;
		it->call.max_tokens = SL_MAX_TOKENS;
		it->call.est_prompt_tokens = (uint32_t)(it->body_len / 4);
		it->call.ud = it;
		if (runner_submit(rn, &it->call) != 0)
			return;
		x->next++;
	}
}

static int
sl_idle(void *ud)
{
	const struct sl *x = ud;

	return x->next == x->n;
}

/* Read one reply: its axes, or why it abstains. */
static void
sl_done(struct runner *rn, void *ud, struct llm_call *c)
{
	struct item *it = c->ud;
	struct sl *x = ud;

	(void)rn;
	x->answered++;
	it->prompt_tokens = c->prompt_tokens;
	it->completion_tokens = c->completion_tokens;
	snprintf(it->model, sizeof(it->model), "%s", c->model);
	if (c->result != LLM_OK || c->content == NULL || c->refused) {
		it->abstained = 1;
		snprintf(it->why, sizeof(it->why), "no reply: %s",
			 c->error != NULL ? c->error : c->refused ? "refused"
			 : "call failed");
	} else {
		it->abstained = pj_likert_parse(c->content, &it->lk, it->why,
						sizeof(it->why)) != 0;
	}
	llm_call_clear(c);
}

static void
sl_sample(void *ud, struct progress_sample *ps)
{
	const struct sl *x = ud;

	ps->total = x->n;
	ps->done = x->answered;
}

static const struct runner_ops sl_ops = {
	.fill = sl_fill, .idle = sl_idle, .done = sl_done,
	.sample = sl_sample,
};

/* ---- storing ---- */

static int
store_item(struct dataset *ds, sqlite3_stmt *st, const struct item *it,
	   struct pf_error *err)
{
	struct rowsum_bind b;
	int a, rc;

	if (rowsum_bind_begin(&b, st, dataset_table_find("reply_penguin")))
		return pf_error_set(err, "reply_penguin has no row_sum");
	rowsum_bind_text(&b, it->row_table);
	rowsum_bind_text(&b, it->row_id);
	rowsum_bind_text(&b, it->field);
	rowsum_bind_int(&b, (int64_t)it->offset);
	rowsum_bind_int(&b, it->sample);
	for (a = 0; a < PJ_NAXES; a++)
		rowsum_bind_int(&b, it->abstained ? 0 : it->lk.score[a]);
	rowsum_bind_int(&b, it->abstained ? 0 : it->lk.total);
	rowsum_bind_text(&b, it->abstained ? it->why : "");
	rowsum_bind_text(&b, it->model);
	rowsum_bind_int(&b, it->prompt_tokens);
	rowsum_bind_int(&b, it->completion_tokens);
	rowsum_bind_end(&b);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return pf_error_set(err, "cannot store a judge score: %s",
				    sqlite3_errmsg(ds->db));
	return 0;
}

/* The pair finding when v[from, to) (one pair's items) show its chosen
 * reply less safe than its rejected one. */
static int
judge_pair(struct dataset *ds, sqlite3_stmt *ins, const struct item *v,
	   size_t from, size_t to, long *quarantined, struct pf_error *err)
{
	int rs[2][2 * SAFETY_MAX_REPLIES * 8];
	size_t k[2] = { 0, 0 }, i;
	struct row_finding f = {
		.threshold = "quarantine>=critical", .sev = AUDIT_CRITICAL,
		.count = 1, .field = "chosen", .kind = "unsafe_chosen",
	};
	double delta;
	int s;

	for (i = from; i < to; i++) {
		s = v[i].side;
		if (s >= 0 && k[s] < sizeof(rs[s]) / sizeof(rs[s][0]))
			rs[s][k[s]++] = v[i].abstained ? 0
					: v[i].lk.score[PJ_RISK];
	}
	if (pj_less_safe(rs[0], k[0], rs[1], k[1], &delta) != 1)
		return 0;
	snprintf(f.masked, sizeof(f.masked), "Risk Sensitivity %.2f lower",
		 delta);
	snprintf(f.reason, sizeof(f.reason), "the LLM judge scores the "
		 "chosen reply's mean Risk Sensitivity over its samples %.2f "
		 "below the rejected one's: the pair rewards the riskier "
		 "answer", delta);
	(*quarantined)++;
	return findings_insert(ds, ins, SAFETYLLM_AUDITOR, "1",
			       v[from].row_table, v[from].row_id, &f, 1, err);
}

/* Items of one row lie together: judge each preference pair. */
static int
judge_pairs(struct dataset *ds, const struct sl *x, long *quarantined,
	    struct pf_error *err)
{
	sqlite3_stmt *ins = findings_insert_prepare(ds, err);
	size_t i = 0, j;
	int rc = ins != NULL ? 0 : -1;

	while (rc == 0 && i < x->n) {
		for (j = i; j < x->n && strcmp(x->v[j].row_table,
		     x->v[i].row_table) == 0 && strcmp(x->v[j].row_id,
		     x->v[i].row_id) == 0; j++)
			;
		if (x->v[i].side >= 0)
			rc = judge_pair(ds, ins, x->v, i, j, quarantined, err);
		i = j;
	}
	sqlite3_finalize(ins);
	return rc;
}

static int
store(struct dataset *ds, const struct sl *x, struct safetyllm_counts *c,
      struct pf_error *err)
{
	struct buf sql;
	sqlite3_stmt *st = NULL;
	size_t i;
	int rc;

	buf_init(&sql, 1 << 12);
	if (tablesql_insert(dataset_table_find("reply_penguin"), &sql) != 0) {
		buf_free(&sql);
		return pf_error_set(err, "out of memory");
	}
	rc = dataset_exec(ds, "BEGIN IMMEDIATE; DELETE FROM reply_penguin; "
			  "DELETE FROM audit_finding WHERE auditor = '"
			  SAFETYLLM_AUDITOR "'", err);
	if (rc == 0 && (st = dataset_prepare(ds, sql.data, err)) == NULL)
		rc = -1;
	buf_free(&sql);
	for (i = 0; rc == 0 && i < x->n; i++) {
		rc = store_item(ds, st, &x->v[i], err);
		c->calls++;
		c->abstained += x->v[i].abstained;
		c->scored += !x->v[i].abstained;
		c->prompt_tokens += x->v[i].prompt_tokens;
		c->completion_tokens += x->v[i].completion_tokens;
	}
	sqlite3_finalize(st);
	if (rc == 0)
		rc = judge_pairs(ds, x, &c->quarantined, err);
	if (rc == 0)
		rc = dataset_requarantine(ds, err);
	if (rc == 0)
		return dataset_exec(ds, "COMMIT", err);
	dataset_exec(ds, "ROLLBACK", NULL);
	return -1;
}

/* ---- the pass ---- */

static const struct audit_instance *
safety_of(const struct audit_instance *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].auditor->name, "safety") == 0 &&
		    safety_llm_samples(v[i].cfg) > 0)
			return &v[i];
	return NULL;
}

static int
fail(struct sl *x)
{
	pf_error_print(&x->err);
	return PF_EXIT_RUNTIME;
}

int
safetyllm_run(struct dataset *ds, const struct audit_instance *v, size_t n,
	      const struct engine_config *ec, int quiet,
	      struct safetyllm_counts *c)
{
	struct sl x = { .ec = ec };
	struct runner_opts ro = {
		.label = "safety judge", .backend_new = make_backend,
		.backend_ud = &x, .ud = &x, .grace_ms = ec->grace_ms,
		.progress = !quiet, .out_name = "reply_penguin",
	};
	size_t i;
	int rc;

	memset(c, 0, sizeof(*c));
	if ((x.in = safety_of(v, n)) == NULL)
		return 0;
	if (ec->n_endpoints == 0) {
		fprintf(stderr, "personaforge: $.audit.safety.mode \"llm\" "
			"needs an endpoint ($.endpoints)\n");
		return PF_EXIT_USAGE;
	}
	x.samples = safety_llm_samples(x.in->cfg);
	x.model = ec->endpoints[0].model != NULL ? ec->endpoints[0].model
		  : "default";
	rc = collect(ds, &x) != 0 ? fail(&x) : 0;
	if (rc == 0)
		rc = runner_run(&ro, &sl_ops, &x.res);
	if (rc == 0)
		rc = runner_exit_code(&x.res, &(struct runner_exits){
			.quota = "the safety judge's quota is exhausted",
			.auth = "the safety judge's endpoint refused the key",
			.budget = "the safety judge stopped at the budget",
			.unreachable = "the safety judge's endpoint is "
				       "unreachable" });
	/* a stopped pass stores nothing: its unsent replies would read as
	 * abstentions */
	if (rc == 0 && store(ds, &x, c, &x.err) != 0)
		rc = fail(&x);
	for (i = 0; i < x.n; i++)
		free(x.v[i].body);
	free(x.v);
	return rc;
}
