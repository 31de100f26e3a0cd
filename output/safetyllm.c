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

#define SL_MAX_TOKENS 1024      /* a Likert or pairwise reply */
#define SL_MAX_PROMPT (64u << 10)
#define SL_MAX_ITEMS 128        /* rubric items of one domain */

/* What a judge call asks: the Likert axes of one reply, the rubric
 * items that apply to it (selection) or one item's answer, or which of
 * a pair's replies is safer. */
enum kind { K_LIKERT, K_SELECT, K_ITEM, K_PAIR };

/* A reply the Boolean rubric's second step asks about again: its
 * persona, query and text (one per reply, shared by its samples). */
struct reply_copy {
	struct penguin_profile p;
	char *query, *text;
};

/* One judge call: a sample of one reply (or of one pair, in one
 * order). */
struct item {
	enum kind kind;
	char row_table[32], row_id[64], field[48];
	size_t offset;
	int64_t persona_id;
	int side;                    /* a pair's 0 chosen, 1 rejected; -1 */
	int sample;
	int order;                   /* K_PAIR: 0 "AB" (chosen first) */
	int domain;                  /* K_SELECT, K_ITEM */
	size_t copy;                 /* K_SELECT, K_ITEM: x->copies index */
	size_t first, nchild;        /* K_SELECT: its K_ITEM calls */
	const char *rid;             /* K_ITEM: the rubric item's id */
	char *body;
	size_t body_len;
	struct llm_call call;
	struct pj_likert lk;
	struct pj_selection *sel;    /* K_SELECT: the parsed selection */
	int answer;                  /* K_ITEM: enum rubric_answer; -1 */
	struct pj_pair_sample ps;    /* K_PAIR */
	char *rationale;             /* K_PAIR (malloc'd) */
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
	const struct rubric *rubric;
	struct reply_copy *copies;
	size_t ncopies, capcopies;
	char *side[2];                /* the row's pair replies */
	const char *pair_query;
	struct runner *rn;
	struct runner_result res;
	int failed;
	struct pf_error err;
};

/* ---- collecting the replies ---- */

/* The request body of one sample of template t: the authors' system
 * text and the prompt; `seed` tells the samples apart. */
static char *
make_body(struct sl *x, enum pj_template t, const struct penguin_profile *p,
	  const char *query, const char *text, const char *extra,
	  int sample, size_t *len)
{
	struct buf sys, user;
	cJSON *o = NULL, *m, *e;
	char *body = NULL;

	buf_init(&sys, SL_MAX_PROMPT);
	buf_init(&user, SL_MAX_PROMPT);
	if (pj_prompt(PJ_SYSTEM, p, query, text, NULL, &sys, &x->err) != 0 ||
	    pj_prompt(t, p, query, text, extra, &user, &x->err) != 0)
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

/* A new item (zeroed but for its row) at the end of x->v, or NULL
 * with x->failed set. */
static struct item *
add_item(struct sl *x, enum kind k, int sample)
{
	struct item *it, *nv;

	if (x->n == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 256;
		if ((nv = realloc(x->v, x->cap * sizeof(*nv))) == NULL) {
			x->failed = pf_error_set(&x->err, "out of memory");
			return NULL;
		}
		x->v = nv;
	}
	it = &x->v[x->n];
	memset(it, 0, sizeof(*it));
	it->kind = k;
	it->sample = sample;
	it->side = -1;
	it->answer = -1;
	if (x->row != NULL) {
		snprintf(it->row_table, sizeof(it->row_table), "%s",
			 x->row->table);
		snprintf(it->row_id, sizeof(it->row_id), "%s", x->row->id);
		it->persona_id = x->row->persona_id;
	}
	return it;
}

/* Give it its body (made by the caller, NULL: failed) and count it. */
static void
queue(struct sl *x, struct item *it, char *body, size_t len)
{
	if ((it->body = body) == NULL) {
		x->failed = -1;
		return;
	}
	it->body_len = len;
	x->n++;
	if ((x->bytes += len) > SAFETYLLM_MAX_BYTES)
		x->failed = pf_error_set(&x->err, "the LLM judge's "
			"requests pass %zu MiB: too many replies for "
			"one pass", SAFETYLLM_MAX_BYTES >> 20);
}

/* Keep reply r (with the row's persona) for the rubric's item calls;
 * its index, or (size_t)-1 with x->failed set. */
static size_t
add_copy(struct sl *x, const struct safety_reply *r)
{
	struct reply_copy *nv, *c;

	if (x->ncopies == x->capcopies) {
		x->capcopies = x->capcopies ? 2 * x->capcopies : 64;
		nv = realloc(x->copies, x->capcopies * sizeof(*nv));
		if (nv == NULL) {
			x->failed = pf_error_set(&x->err, "out of memory");
			return (size_t)-1;
		}
		x->copies = nv;
	}
	c = &x->copies[x->ncopies];
	c->p = x->p;
	c->query = strdup(r->query);
	c->text = strdup(r->text);
	if (c->query == NULL || c->text == NULL) {
		free(c->query);
		free(c->text);
		x->failed = pf_error_set(&x->err, "out of memory");
		return (size_t)-1;
	}
	return x->ncopies++;
}

/* The rubric items of domain d as "ID: question" lines into lines (may
 * be NULL) and their ids into ids[SL_MAX_ITEMS]. */
static int
domain_items(struct sl *x, int d, struct buf *lines, const char **ids)
{
	struct buf tmp;
	size_t n;
	int rc;

	buf_init(&tmp, SL_MAX_PROMPT);
	rc = rubric_domain_items(x->rubric, d, lines ? lines : &tmp, ids,
				 SL_MAX_ITEMS, &n, &x->err);
	buf_free(&tmp);
	return rc;
}

/* The selection calls of reply r, one per sample, when the rules place
 * it in a domain. */
static void
add_selections(struct sl *x, const struct safety_reply *r)
{
	const char *ids[SL_MAX_ITEMS];
	struct item *it;
	struct buf lines;
	size_t copy, len = 0;
	int d, s;
	char *body;

	d = safety_reply_domain(x->in->cfg, &x->p, r->query, r->text,
				&x->rubric);
	if (d < 0 || (copy = add_copy(x, r)) == (size_t)-1)
		return;
	buf_init(&lines, SL_MAX_PROMPT);
	if (domain_items(x, d, &lines, ids) != 0)
		x->failed = -1;
	for (s = 0; s < x->samples && !x->failed; s++) {
		if ((it = add_item(x, K_SELECT, s)) == NULL)
			break;
		snprintf(it->field, sizeof(it->field), "%s", r->field);
		it->offset = r->offset;
		it->domain = d;
		it->copy = copy;
		body = make_body(x, PJ_SELECT, &x->p, r->query, r->text,
				 lines.data, s, &len);
		queue(x, it, body, len);
	}
	buf_free(&lines);
}

/* Add one Likert and one selection item per sample of reply r of the
 * row being read; keep a pair's replies for the pairwise calls. */
static void
on_reply(void *ud, const struct safety_reply *r)
{
	struct sl *x = ud;
	struct item *it;
	size_t len = 0;
	char *body;
	int s;

	for (s = 0; s < x->samples && !x->failed; s++) {
		if ((it = add_item(x, K_LIKERT, s)) == NULL)
			return;
		snprintf(it->field, sizeof(it->field), "%s", r->field);
		it->offset = r->offset;
		it->side = r->side;
		body = make_body(x, PJ_LIKERT, &x->p, r->query, r->text, NULL,
				 s, &len);
		queue(x, it, body, len);
	}
	if (!x->failed)
		add_selections(x, r);
	if (r->side >= 0 && !x->failed) {
		free(x->side[r->side]);
		if ((x->side[r->side] = strdup(r->text)) == NULL)
			x->failed = pf_error_set(&x->err, "out of memory");
		x->pair_query = r->query;
	}
}

/* The pairwise calls of the row's pair: both orders, every sample. */
static void
add_pair(struct sl *x, const char *query)
{
	struct item *it;
	size_t len = 0;
	char *body;
	int o, s;

	for (o = 0; o < 2 && !x->failed; o++)
		for (s = 0; s < x->samples && !x->failed; s++) {
			if ((it = add_item(x, K_PAIR, s)) == NULL)
				return;
			snprintf(it->field, sizeof(it->field), "chosen");
			it->order = o;
			body = make_body(x, PJ_PAIR, &x->p, query,
					 x->side[o], x->side[1 - o], s, &len);
			queue(x, it, body, len);
		}
}

static int
collect(struct dataset *ds, struct sl *x)
{
	struct audit_cursor *cur;
	struct audit_row row;
	int got = 0;

	if (dataset_cursor_open(ds, &cur, &x->err) != 0)
		return -1;
	while (!x->failed && (got = cur->next(cur, &row, &x->err)) == 1) {
		if (row.persona == NULL)
			continue;
		x->row = &row;
		penguin_profile_from_json(row.persona, &x->p);
		safety_each_reply(&row, on_reply, x);
		if (x->side[0] != NULL && x->side[1] != NULL && !x->failed)
			add_pair(x, x->pair_query ? x->pair_query : "");
		free(x->side[0]);
		free(x->side[1]);
		x->side[0] = x->side[1] = NULL;
		x->pair_query = NULL;
	}
	x->row = NULL;
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

/* Parse a selection reply against its domain's items. */
static void
read_selection(struct sl *x, struct item *it, const char *content)
{
	const char *ids[SL_MAX_ITEMS];

	if ((it->sel = calloc(1, sizeof(*it->sel))) == NULL ||
	    domain_items(x, it->domain, NULL, ids) != 0) {
		it->abstained = 1;
		snprintf(it->why, sizeof(it->why), "selection: out of memory");
		return;
	}
	if (pj_selection_parse(content, ids, it->sel) != 0) {
		it->abstained = 1;
		snprintf(it->why, sizeof(it->why), "selection: no known item "
			 "id and no NONE");
	}
}

/* Read one reply of its kind: axes, selection, answer or verdict, or
 * why it abstains. */
static void
read_reply(struct sl *x, struct item *it, const char *content)
{
	char why[PJ_MAX_RATIONALE];

	switch (it->kind) {
	case K_LIKERT:
		it->abstained = pj_likert_parse(content, &it->lk, it->why,
						sizeof(it->why)) != 0;
		break;
	case K_SELECT:
		read_selection(x, it, content);
		break;
	case K_ITEM:
		if ((it->answer = pj_item_parse(content)) < 0) {
			it->abstained = 1;
			snprintf(it->why, sizeof(it->why), "no single YES, "
				 "NO or NA");
		}
		break;
	case K_PAIR:
		it->abstained = pj_pair_parse(content, it->order, &it->ps,
					      why, sizeof(why)) != 0;
		it->rationale = strdup(why);
		break;
	}
}

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
		if (it->kind == K_PAIR)
			it->rationale = strdup(it->why);
	} else {
		read_reply(x, it, c->content);
	}
	llm_call_clear(c);
}

/* The Boolean rubric's second step: one call per item each selection
 * of the first round named. */
static void
add_item_calls(struct sl *x, size_t upto)
{
	const struct reply_copy *rc;
	struct item *it;
	size_t i, k, len = 0;
	char *body;

	for (i = 0; i < upto && !x->failed; i++) {
		if (x->v[i].kind != K_SELECT || x->v[i].abstained)
			continue;
		x->v[i].first = x->n;
		for (k = 0; k < x->v[i].sel->n && !x->failed; k++) {
			if ((it = add_item(x, K_ITEM, x->v[i].sample)) == NULL)
				return;
			/* add_item may move x->v */
			snprintf(it->row_table, sizeof(it->row_table), "%s",
				 x->v[i].row_table);
			snprintf(it->row_id, sizeof(it->row_id), "%s",
				 x->v[i].row_id);
			it->rid = x->v[i].sel->id[k];
			it->copy = x->v[i].copy;
			rc = &x->copies[it->copy];
			body = make_body(x, PJ_ITEM, &rc->p, rc->query,
				rc->text, rubric_item_text(x->rubric, it->rid),
				it->sample, &len);
			queue(x, it, body, len);
			x->v[i].nchild++;
		}
	}
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

/* The mean of the valid (1..5) scores of rs[0..n-1]. */
static double
mean_rs(const int *rs, size_t n)
{
	double sum = 0;
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		if (rs[i] >= 1) {
			sum += rs[i];
			c++;
		}
	return c ? sum / (double)c : 0;
}

/* The pair's two findings when v[from, to) (one pair's items) show its
 * chosen reply less safe than its rejected one: the critical one on the
 * chosen reply, and an info one on the rejected reply the judge scores
 * safer (the "quarantined with both findings"). */
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
	struct row_finding g = {
		.threshold = "quarantine>=critical", .sev = AUDIT_INFO,
		.count = 1, .field = "rejected", .kind = "unsafe_chosen",
	};
	double delta;
	int s;

	for (i = from; i < to; i++) {
		s = v[i].side;
		if (v[i].kind == K_LIKERT && s >= 0 &&
		    k[s] < sizeof(rs[s]) / sizeof(rs[s][0]))
			rs[s][k[s]++] = v[i].abstained ? 0
					: v[i].lk.score[PJ_RISK];
	}
	if (pj_less_safe(rs[0], k[0], rs[1], k[1], &delta) != 1)
		return 0;
	snprintf(f.masked, sizeof(f.masked), "Risk Sensitivity %.2f lower",
		 delta);
	snprintf(f.reason, sizeof(f.reason), "the LLM judge scores the "
		 "chosen reply's mean Risk Sensitivity over its samples %.2f "
		 "(%.2f below the rejected one's): the pair rewards the "
		 "riskier answer", mean_rs(rs[0], k[0]), delta);
	snprintf(g.masked, sizeof(g.masked), "Risk Sensitivity %.2f higher",
		 delta);
	snprintf(g.reason, sizeof(g.reason), "the rejected reply the LLM "
		 "judge scores safer: mean Risk Sensitivity over its samples "
		 "%.2f", mean_rs(rs[1], k[1]));
	(*quarantined)++;
	if (findings_insert(ds, ins, SAFETYLLM_AUDITOR, "1", v[from].row_table,
			    v[from].row_id, &f, 1, err) != 0)
		return -1;
	return findings_insert(ds, ins, SAFETYLLM_AUDITOR, "1",
			       v[from].row_table, v[from].row_id, &g, 1, err);
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

/* The insert statement of table t, or NULL with err filled. */
static sqlite3_stmt *
prepare_insert(struct dataset *ds, const char *t, struct pf_error *err)
{
	struct buf sql;
	sqlite3_stmt *st = NULL;

	buf_init(&sql, 1 << 12);
	if (tablesql_insert(dataset_table_find(t), &sql) != 0)
		pf_error_set(err, "out of memory");
	else
		st = dataset_prepare(ds, sql.data, err);
	buf_free(&sql);
	return st;
}

/* Step st (bound) and say what failed storing into `what`. */
static int
step(struct dataset *ds, sqlite3_stmt *st, const char *what,
     struct pf_error *err)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return pf_error_set(err, "cannot store %s: %s", what,
				    sqlite3_errmsg(ds->db));
	return 0;
}

/* One pairwise sample as a row of safety_judgement. */
static int
store_judgement(struct dataset *ds, sqlite3_stmt *st, const struct item *it,
		struct pf_error *err)
{
	struct rowsum_bind b;
	char v = it->ps.verdict;

	if (rowsum_bind_begin(&b, st, dataset_table_find("safety_judgement")))
		return pf_error_set(err, "safety_judgement has no row_sum");
	rowsum_bind_text(&b, it->row_id);
	rowsum_bind_int(&b, it->persona_id);
	rowsum_bind_text(&b, it->order ? "BA" : "AB");
	rowsum_bind_int(&b, it->sample);
	if (it->abstained || v == 0)
		rowsum_bind_null(&b);
	else
		rowsum_bind_text(&b, v == 'x' ? "x" : v == 'y' ? "y" : "tie");
	rowsum_bind_int(&b, it->abstained ? 0 : it->ps.certainty);
	rowsum_bind_text(&b, it->rationale);
	rowsum_bind_end(&b);
	return step(ds, st, "a pairwise judgement", err);
}

/* One criterion of a selection's answers as a row of reply_rubric. */
static int
store_criterion(struct dataset *ds, sqlite3_stmt *st, const struct sl *x,
		const struct item *sel, int c, const struct rubric_pick *pk,
		size_t n, struct buf *items, struct pf_error *err)
{
	struct rowsum_bind b;
	struct rubric_tally t;
	uint32_t pt = 0, ct = 0;
	char score[40];
	size_t i;

	if (rubric_criterion_json(pk, n, c, items, &t) != 0)
		return pf_error_set(err, "out of memory");
	for (i = 0; i < sel->nchild; i++)
		if (pk[i].criterion == c) {
			pt += x->v[sel->first + i].prompt_tokens;
			ct += x->v[sel->first + i].completion_tokens;
		}
	if (c == RUBRIC_SAFETY) {     /* the selection's own call */
		pt += sel->prompt_tokens;
		ct += sel->completion_tokens;
	}
	snprintf(score, sizeof(score), t.scored ? "%.15g" : "null", t.sum);
	if (rowsum_bind_begin(&b, st, dataset_table_find("reply_rubric")))
		return pf_error_set(err, "reply_rubric has no row_sum");
	rowsum_bind_text(&b, SAFETYLLM_AUDITOR);
	rowsum_bind_text(&b, sel->row_table);
	rowsum_bind_text(&b, sel->row_id);
	rowsum_bind_text(&b, sel->field);
	rowsum_bind_int(&b, (int64_t)sel->offset);
	rowsum_bind_text(&b, penguin_domains[sel->domain].slug);
	rowsum_bind_text(&b, rubric_criterion_names[c]);
	rowsum_bind_text(&b, items->data);
	rowsum_bind_int(&b, t.yes);
	rowsum_bind_int(&b, t.no);
	rowsum_bind_int(&b, t.na);
	rowsum_bind_int(&b, t.good);
	rowsum_bind_text(&b, score);
	rowsum_bind_int(&b, sel->sample);
	rowsum_bind_text(&b, sel->abstained ? sel->why : "");
	rowsum_bind_int(&b, pt);
	rowsum_bind_int(&b, ct);
	rowsum_bind_end(&b);
	return step(ds, st, "a rubric score", err);
}

/* The Boolean rubric of one selection (and its item calls): a row per
 * criterion. */
static int
store_selection(struct dataset *ds, sqlite3_stmt *st, const struct sl *x,
		const struct item *sel, struct pf_error *err)
{
	struct rubric_pick pk[PJ_MAX_SELECT];
	const struct item *it;
	struct buf items;
	size_t i, n = 0;
	int c, rc = 0;

	for (i = 0; i < sel->nchild && n < PJ_MAX_SELECT; i++) {
		it = &x->v[sel->first + i];
		if (rubric_pick_of(x->rubric, it->rid, it->abstained ? -1 :
				   it->answer, &pk[n]) == 0)
			n++;
	}
	buf_init(&items, 1 << 16);
	for (c = 0; c < RUBRIC_NCRITERIA && rc == 0; c++)
		rc = store_criterion(ds, st, x, sel, c, pk, n, &items, err);
	buf_free(&items);
	return rc;
}

/* Every item into its table, counted into c. */
static int
store_items(struct dataset *ds, const struct sl *x,
	    struct safetyllm_counts *c, struct pf_error *err)
{
	sqlite3_stmt *st[3];
	const struct item *it;
	size_t i;
	int rc = 0;

	st[0] = prepare_insert(ds, "reply_penguin", err);
	st[1] = prepare_insert(ds, "reply_rubric", err);
	st[2] = prepare_insert(ds, "safety_judgement", err);
	if (st[0] == NULL || st[1] == NULL || st[2] == NULL)
		rc = -1;
	for (i = 0; rc == 0 && i < x->n; i++) {
		it = &x->v[i];
		if (it->kind == K_LIKERT)
			rc = store_item(ds, st[0], it, err);
		else if (it->kind == K_SELECT)
			rc = store_selection(ds, st[1], x, it, err);
		else if (it->kind == K_PAIR)
			rc = store_judgement(ds, st[2], it, err);
		c->calls++;
		c->abstained += it->abstained;
		c->scored += !it->abstained;
		c->prompt_tokens += it->prompt_tokens;
		c->completion_tokens += it->completion_tokens;
	}
	for (i = 0; i < 3; i++)
		sqlite3_finalize(st[i]);
	return rc;
}

static int
store(struct dataset *ds, const struct sl *x, struct safetyllm_counts *c,
      struct pf_error *err)
{
	int rc;

	rc = dataset_exec(ds, "BEGIN IMMEDIATE; DELETE FROM reply_penguin; "
			  "DELETE FROM safety_judgement; DELETE FROM "
			  "reply_rubric WHERE auditor = '" SAFETYLLM_AUDITOR
			  "'; DELETE FROM audit_finding WHERE auditor = '"
			  SAFETYLLM_AUDITOR "'", err);
	if (rc == 0)
		rc = store_items(ds, x, c, err);
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

/* One round of calls (x->next .. x->n). Returns 0 or an exit code. */
static int
run_round(struct sl *x, const struct runner_opts *ro)
{
	int rc;

	if (x->next == x->n)
		return 0;
	rc = runner_run(ro, &sl_ops, &x->res);
	if (rc == 0)
		rc = runner_exit_code(&x->res, &(struct runner_exits){
			.quota = "the safety judge's quota is exhausted",
			.auth = "the safety judge's endpoint refused the key",
			.budget = "the safety judge stopped at the budget",
			.unreachable = "the safety judge's endpoint is "
				       "unreachable" });
	return rc;
}

static void
free_sl(struct sl *x)
{
	size_t i;

	for (i = 0; i < x->n; i++) {
		free(x->v[i].body);
		free(x->v[i].sel);
		free(x->v[i].rationale);
	}
	for (i = 0; i < x->ncopies; i++) {
		free(x->copies[i].query);
		free(x->copies[i].text);
	}
	free(x->copies);
	free(x->v);
	free(x->side[0]);
	free(x->side[1]);
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
	/* first the Likert, selection and pairwise calls, then the item
	 * calls the selections name */
	if (rc == 0)
		rc = run_round(&x, &ro);
	if (rc == 0) {
		add_item_calls(&x, x.n);
		rc = x.failed ? fail(&x) : run_round(&x, &ro);
	}
	/* a stopped pass stores nothing: its unsent replies would read as
	 * abstentions */
	if (rc == 0 && store(ds, &x, c, &x.err) != 0)
		rc = fail(&x);
	free_sl(&x);
	return rc;
}
