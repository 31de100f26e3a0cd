/* scheduler.c - the build loop (see scheduler.h). */
#include "engine/scheduler.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/hash.h"
#include "base/json.h"
#include "base/log.h"
#include "llm/openai.h"
#include "engine/progress.h"
#include "base/rng.h"
#include "engine/stage.h"
#include "generators/facts.h"
#include "output/writer.h"
#include "personas/sampler.h"

#define BODY_MAX ((size_t)8 << 20)     /* one request body */
#define COMMIT_ROWS 4000               /* writes per transaction when the
					* journal writes directly; with the
					* write queue, chunks are cut by size
					* (SQLQ_CHUNK_BYTES) and commit_ms */
#define COMMIT_MS 100                  /* and at least this often, unless
					* sched_opts.commit_ms says */
#define REPAIR_ECHO_MAX 2000           /* bytes of a bad reply echoed back */
#define FAIL_LOG_MAX 20                /* item failures printed one by one */

enum istate { I_WAIT, I_QUEUED, I_RUNNING, I_DONE, I_FAILED, I_LEFT };

struct prun;
struct sched;

struct item {
	struct sched *s;
	struct prun *pr;
	struct item *next;          /* ready queue */
	enum stage_id stage;
	uint32_t idx;
	enum istate state;
	int rerun;                  /* rows of an earlier reply exist */
	int fresh;                  /* planned just now: no journal history */
	uint32_t tries;             /* backend calls this run */
	uint32_t prior_attempts;    /* from the journal */
	uint64_t seed;
	char id[64];
	char hash[65];
	char *repair;               /* why the last reply was rejected */
	char *bad_reply;            /* that reply, echoed in the repair turn */
	struct buf body;
	struct buf offline;
	struct llm_call call;
};

struct prun {
	struct persona_run run;
	struct fact_plan facts;
	struct item *items;
	int nitems;
	int first[STAGE_COUNT];     /* index of each stage's first item */
	int open;                   /* items not yet done or failed */
	struct prun *next, *prev;   /* active list */
};

struct sched {
	const struct sched_opts *o;
	const struct pf_config *cfg;
	uv_loop_t *loop;
	uv_signal_t sigint, sigterm;
	uv_timer_t commit_timer;
	struct progress *progress;
	int64_t next;               /* next persona index to start */
	unsigned active;
	struct prun *personas;      /* active list head */
	struct item *qhead, *qtail;
	unsigned inflight;
	int stopping, finished, fatal;
	int open_handles;           /* our uv handles not yet closed */
	int journal_empty;          /* no item has any history */
	uint64_t start_ms;          /* loop time at the start */
	int64_t total_items;
	struct sched_result *res;
	struct pf_error *err;
	struct buf sys, user;       /* render scratch */
	char params[96];            /* the fixed request parameters */
	unsigned fail_logged;
};

static void advance(struct sched *s, struct prun *pr);
static void fill(struct sched *s);
static void submit_item(struct sched *s, struct item *it);

/* ---- transactions ---- */

static int
tx(struct sched *s)
{
	if (journal_tx_begin(s->o->journal) != 0) {
		s->fatal = 1;
		pf_error_set(s->err, "cannot start a transaction: %s",
			     journal_errmsg(s->o->journal));
		return -1;
	}
	return 0;
}

static void
commit(struct sched *s)
{
	if (journal_tx_commit(s->o->journal) != 0 && !s->fatal) {
		s->fatal = 1;
		pf_error_set(s->err, "cannot commit: %s",
			     journal_errmsg(s->o->journal));
	}
}

static void
maybe_commit(struct sched *s)
{
	if (journal_tx_pending(s->o->journal) >= COMMIT_ROWS)
		commit(s);
}

static void
on_commit_timer(uv_timer_t *t)
{
	commit(t->data);
}

static void
write_failed(struct sched *s, const char *what)
{
	if (s->fatal)
		return;
	s->fatal = 1;
	pf_error_set(s->err, "cannot write %s: %s", what,
		     journal_errmsg(s->o->journal));
}

/* ---- rendering ---- */

/* The render context: the persona, the narrative once accepted, the run,
 * and whatever the stage adds. Shared parts are referenced, not copied. */
static cJSON *
item_vars(struct sched *s, struct item *it, struct stage_ctx *sc)
{
	const struct stage *st = stage_registry[it->stage];
	const cJSON *narr = stage_reply(&it->pr->run, STAGE_NARRATIVE, 0);
	cJSON *v = cJSON_CreateObject(), *run;

	if (v == NULL)
		return NULL;
	cJSON_AddItemReferenceToObject(v, "persona", it->pr->run.persona_json);
	if (narr != NULL)
		cJSON_AddItemReferenceToObject(v, "narrative", (cJSON *)narr);
	run = cJSON_AddObjectToObject(v, "run");
	cJSON_AddStringToObject(run, "name", s->cfg->name);
	if (st->vars(sc, v, s->err) != 0) {
		cJSON_Delete(v);
		return NULL;
	}
	return v;
}

static void
stage_ctx_init(struct sched *s, struct item *it, struct stage_ctx *sc)
{
	memset(sc, 0, sizeof(*sc));
	sc->cfg = s->cfg;
	sc->pr = &it->pr->run;
	sc->idx = it->idx;
	sc->item_id = it->id;
	sc->seed = it->seed;
	sc->rerun = it->rerun;
	sc->model = s->o->model;
}

static int
quote(struct buf *b, const struct buf *text)
{
	return json_quote(b, text->data ? text->data : "", text->len);
}

/* The messages array; with a repair, the rejected reply and the reason
 * follow as two more turns. */
static int
put_messages(struct sched *s, struct item *it, struct buf *b)
{
	int rc = buf_puts(b, "{\"messages\":[{\"role\":\"system\","
			  "\"content\":");

	rc |= quote(b, &s->sys);
	rc |= buf_puts(b, "},{\"role\":\"user\",\"content\":");
	rc |= quote(b, &s->user);
	rc |= buf_putc(b, '}');
	if (it->repair != NULL) {
		size_t n = it->bad_reply ? strlen(it->bad_reply) : 0;
		struct buf r;

		rc |= buf_puts(b, ",{\"role\":\"assistant\",\"content\":");
		rc |= json_quote(b, it->bad_reply ? it->bad_reply : "",
				 n > REPAIR_ECHO_MAX ? REPAIR_ECHO_MAX : n);
		rc |= buf_puts(b, "},{\"role\":\"user\",\"content\":");
		buf_init(&r, 4096);
		rc |= buf_printf(&r, "That reply was not accepted: %s. Reply "
				 "again with only a JSON object that matches "
				 "the schema.", it->repair);
		rc |= quote(b, &r);
		buf_free(&r);
		rc |= buf_putc(b, '}');
	}
	return rc == 0 ? 0 : -1;
}

static int
put_uint(struct buf *b, uint32_t v)
{
	char tmp[12], *p = tmp + sizeof(tmp);

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	return buf_append(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

static int
build_body(struct sched *s, struct item *it)
{
	const struct stage_templates *t = &s->o->prompts->st[it->stage];
	struct buf *b = &it->body;
	int rc;

	buf_reset(b);
	rc = put_messages(s, it, b);
	rc |= buf_puts(b, s->params);
	rc |= put_uint(b, (uint32_t)(it->seed & 0x7fffffff));
	rc |= buf_printf(b, ",\"max_tokens\":%d,\"response_format\":",
			 s->cfg->max_tokens);
	rc |= buf_puts(b, t->response_format);
	rc |= buf_putc(b, '}');
	return rc == 0 ? 0 : pf_error_set(s->err, "%s: request body too "
					  "large", it->id);
}

static void
hash_item(struct sched *s, struct item *it)
{
	struct sha256 c;

	sha256_init(&c);
	sha256_update(&c, s->o->model, strlen(s->o->model));
	sha256_update(&c, "\n", 1);
	sha256_update(&c, it->body.data, it->body.len);
	/* Offline, the reply is part of what was asked for: a changed offline
	 * template must re-run its items like a changed prompt does. */
	if (s->o->offline) {
		sha256_update(&c, "\n", 1);
		sha256_update(&c, it->offline.data, it->offline.len);
	}
	sha256_hex(&c, it->hash);
}

/* Render the item's request (and offline reply) into it->body and
 * it->offline. Returns 0 or -1 with s->err filled. */
static int
render(struct sched *s, struct item *it)
{
	const struct prompts *p = s->o->prompts;
	const struct stage_templates *t = &p->st[it->stage];
	struct stage_ctx sc;
	cJSON *v;
	int rc = -1;

	stage_ctx_init(s, it, &sc);
	v = item_vars(s, it, &sc);
	if (v == NULL)
		return -1;
	buf_reset(&s->sys);
	buf_reset(&s->user);
	buf_reset(&it->offline);
	if (prompts_render(p, p->system, v, 0, &s->sys, s->err) != 0 ||
	    prompts_render(p, t->prompt, v, 0, &s->user, s->err) != 0)
		goto out;
	if (s->o->offline &&
	    prompts_render(p, t->offline, v, 1, &it->offline, s->err) != 0)
		goto out;
	rc = build_body(s, it);
out:
	cJSON_Delete(v);
	return rc;
}

/* ---- item outcomes ---- */

static void
item_release(struct item *it)
{
	buf_free(&it->body);
	buf_free(&it->offline);
	free(it->repair);
	free(it->bad_reply);
	it->repair = it->bad_reply = NULL;
}

/* An item that failed this time must not leave rows from an earlier reply
 * behind: the dataset holds what the journal stands behind, once. */
static void
forget_rows(struct sched *s, struct item *it)
{
	const struct stage *st = stage_registry[it->stage];
	struct journal_row row;
	struct stage_ctx sc;

	/* An item blocked before it started has not looked at its row. */
	if (it->state == I_WAIT && !it->fresh &&
	    journal_item_get(s->o->journal, it->id, &row) == 0)
		it->rerun = row.state == JOURNAL_DONE;
	if (!it->rerun || st->forget == NULL)
		return;
	stage_ctx_init(s, it, &sc);
	sc.w = s->o->writer;
	st->forget(&sc);
}

static void
fail_item(struct sched *s, struct item *it, const char *reason)
{
	if (s->fail_logged++ < FAIL_LOG_MAX)
		log_warn("item %s failed: %s", it->id, reason);
	else if (s->fail_logged == FAIL_LOG_MAX + 1)
		log_warn("more items failed; 'personaforge stats' and the "
			 "journal's last_error list them all");
	if (tx(s) != 0)
		return;
	if (journal_item_fail(s->o->journal, it->id,
			      it->hash[0] ? it->hash : NULL,
			      it->prior_attempts + it->tries, reason) != 0)
		write_failed(s, "the journal");
	forget_rows(s, it);
	journal_unit_end(s->o->journal);
	it->state = I_FAILED;
	it->pr->open--;
	s->res->failed++;
	s->res->items++;
	item_release(it);
	maybe_commit(s);
}

static void
done_item(struct sched *s, struct item *it, cJSON *reply)
{
	it->pr->run.reply[it->stage][it->idx] = reply;
	it->state = I_DONE;
	it->pr->open--;
	s->res->items++;
	item_release(it);
}

/* A reply was not acceptable: ask again with the reason, or give up. */
static void
reject(struct sched *s, struct item *it, const char *reason)
{
	char msg[1024];

	if (it->tries >= (uint32_t)s->cfg->accept_attempts) {
		snprintf(msg, sizeof(msg), "%s (after %u attempts)", reason,
			 it->tries);
		fail_item(s, it, msg);
		return;
	}
	s->res->retries++;
	free(it->repair);
	free(it->bad_reply);
	it->repair = strdup(reason);
	it->bad_reply = it->call.content ? strndup(it->call.content,
					   REPAIR_ECHO_MAX) : NULL;
	if (render(s, it) != 0) {
		fail_item(s, it, s->err->msg);
		return;
	}
	submit_item(s, it);
}

/* Parse and schema-check reply text. Returns the tree, or NULL with the
 * reason in why. */
static cJSON *
check_reply(struct sched *s, struct item *it, const char *text, size_t n,
	    char *why, size_t nwhy)
{
	const struct stage_templates *t = &s->o->prompts->st[it->stage];
	struct json_error je;
	struct pf_error e;
	cJSON *r = NULL;

	if (json_parse(text, n, &r, &je) != 0) {
		snprintf(why, nwhy, "the reply is not valid JSON (line %d, "
			 "column %d: %s)", je.line, je.col, je.msg);
		return NULL;
	}
	pf_error_clear(&e);
	if (schema_validate(t->schema, r, &e) != 0) {
		snprintf(why, nwhy, "the reply does not match the schema "
			 "(%.200s: %.300s)", e.where, e.msg);
		cJSON_Delete(r);
		return NULL;
	}
	return r;
}

/* Hand a checked reply to its stage. w == NULL replays. Returns 0
 * accepted, 1 rejected (why filled), -1 write error. */
static int
stage_accept(struct sched *s, struct item *it, const cJSON *r,
	     struct writer *w, const char *model, char *why, size_t nwhy)
{
	struct stage_ctx sc;
	struct pf_error e;
	int rc;

	stage_ctx_init(s, it, &sc);
	sc.w = w;
	if (model != NULL && model[0] != '\0')
		sc.model = model;
	pf_error_clear(&e);
	rc = stage_registry[it->stage]->accept(&sc, r, &e);
	if (rc != 0)
		snprintf(why, nwhy, "%s", e.msg[0] ? e.msg : "rejected");
	return rc;
}

static void
accept_reply(struct sched *s, struct item *it)
{
	struct llm_call *c = &it->call;
	struct journal_result jr;
	char why[600];
	cJSON *r;
	int rc;

	if (strcmp(c->finish_reason, "length") == 0) {
		reject(s, it, "the reply was cut off at max_tokens "
		       "(finish_reason \"length\")");
		return;
	}
	r = check_reply(s, it, c->content ? c->content : "", c->content_len,
			why, sizeof(why));
	if (r == NULL) {
		reject(s, it, why);
		return;
	}
	if (tx(s) != 0) {
		cJSON_Delete(r);
		return;
	}
	rc = stage_accept(s, it, r, s->o->writer, c->model, why, sizeof(why));
	if (rc != 0) {
		cJSON_Delete(r);
		if (rc < 0)
			write_failed(s, "dataset rows");
		else
			reject(s, it, why);
		return;
	}
	memset(&jr, 0, sizeof(jr));
	jr.req_hash = it->hash;
	jr.reply = c->content;
	jr.reply_len = c->content_len;
	jr.finish_reason = c->finish_reason;
	jr.model = c->model[0] ? c->model : s->o->model;
	jr.attempts = it->prior_attempts + it->tries;
	jr.prompt_tokens = c->prompt_tokens;
	jr.completion_tokens = c->completion_tokens;
	if (journal_item_done(s->o->journal, it->id, &jr) != 0)
		write_failed(s, "the journal");
	journal_unit_end(s->o->journal);
	done_item(s, it, r);
	maybe_commit(s);
}

static void
stop_run(struct sched *s, enum llm_result why)
{
	if (why != LLM_OK && s->res->stop == LLM_OK)
		s->res->stop = why;
	if (s->stopping)
		return;
	s->stopping = 1;
	s->o->backend->ops->drain(s->o->backend, s->o->grace_ms);
}

static void
on_call_done(struct llm_call *c)
{
	struct item *it = c->ud;
	struct sched *s = it->s;

	s->inflight--;
	s->res->prompt_tokens += c->prompt_tokens;
	s->res->completion_tokens += c->completion_tokens;
	switch (c->result) {
	case LLM_OK:
		s->res->sent++;
		accept_reply(s, it);
		break;
	case LLM_FAILED:
		fail_item(s, it, c->error ? c->error : "request failed");
		break;
	case LLM_ABANDONED:
		it->state = I_LEFT;
		break;
	default:
		it->state = I_LEFT;
		stop_run(s, c->result);
		break;
	}
	llm_call_clear(c);
	if (!s->fatal)
		advance(s, it->pr);
	fill(s);
}

/* ---- the ready queue ---- */

static void
submit_item(struct sched *s, struct item *it)
{
	it->state = I_QUEUED;
	it->next = NULL;
	if (s->qtail != NULL)
		s->qtail->next = it;
	else
		s->qhead = it;
	s->qtail = it;
}

static void
send_item(struct sched *s, struct item *it)
{
	struct llm_call *c = &it->call;

	memset(c, 0, sizeof(*c));
	c->id = it->id;
	c->body = it->body.data;
	c->body_len = it->body.len;
	c->max_tokens = (uint32_t)s->cfg->max_tokens;
	c->est_prompt_tokens = (uint32_t)(it->body.len / 4);
	c->offline_reply = it->offline.data;
	c->offline_reply_len = it->offline.len;
	c->done = on_call_done;
	c->ud = it;
	it->state = I_RUNNING;
	it->tries++;
	s->inflight++;
	if (s->o->backend->ops->submit(s->o->backend, c) != 0) {
		s->inflight--;
		it->state = I_LEFT;
		stop_run(s, LLM_ABANDONED);
	}
}

static void
pump(struct sched *s)
{
	struct backend *b = s->o->backend;
	struct item *it;

	while (!s->stopping && (it = s->qhead) != NULL &&
	       b->ops->capacity(b) > 0) {
		s->qhead = it->next;
		if (s->qhead == NULL)
			s->qtail = NULL;
		send_item(s, it);
	}
}

/* ---- starting items ---- */

/* Reuse the journal's reply when the request is unchanged. Returns 1 if
 * the item is done from the journal, 0 if it must be sent. */
static int
try_replay(struct sched *s, struct item *it)
{
	struct journal_row row;
	char why[600];
	cJSON *r;

	if (it->fresh)
		return 0;
	if (journal_item_get(s->o->journal, it->id, &row) != 0) {
		if (!s->fatal) {
			s->fatal = 1;
			pf_error_set(s->err, "cannot read the journal: %s",
				     journal_errmsg(s->o->journal));
		}
		return 0;
	}
	it->prior_attempts = row.attempts;
	it->rerun = row.state == JOURNAL_DONE;
	if (row.state != JOURNAL_DONE || row.req_hash == NULL ||
	    strcmp(row.req_hash, it->hash) != 0 || row.reply == NULL)
		return 0;
	r = check_reply(s, it, row.reply, row.reply_len, why, sizeof(why));
	if (r == NULL)
		return 0;
	if (stage_accept(s, it, r, NULL, NULL, why, sizeof(why)) != 0) {
		cJSON_Delete(r);
		return 0;
	}
	s->res->reused++;
	done_item(s, it, r);
	return 1;
}

static void
start_item(struct sched *s, struct item *it)
{
	if (render(s, it) != 0) {
		fail_item(s, it, s->err->msg);
		return;
	}
	hash_item(s, it);
	if (try_replay(s, it))
		return;
	submit_item(s, it);
}

/* A dependency's item: items are laid out stage by stage. */
static struct item *
dep_item(struct prun *pr, const struct stage_dep *d)
{
	if ((int)d->idx >= pr->run.count[d->stage])
		return NULL;
	return &pr->items[pr->first[d->stage] + (int)d->idx];
}

/* 1 ready, 0 waiting, -1 blocked (reason in why). */
static int
deps_state(struct prun *pr, struct item *it, char *why, size_t n)
{
	struct stage_dep d[STAGE_MAX_DEPS];
	struct item *di;
	int k, nd, ready = 1;

	nd = stage_registry[it->stage]->deps(&pr->run, it->idx, d);
	for (k = 0; k < nd; k++) {
		di = dep_item(pr, &d[k]);
		if (di == NULL)
			continue;
		if (di->state == I_FAILED) {
			snprintf(why, n, "blocked: it needs %s, which failed",
				 di->id);
			return -1;
		}
		if (di->state != I_DONE)
			ready = 0;
	}
	return ready;
}

/* ---- personas ---- */

static void
free_persona(struct prun *pr)
{
	int i, k;

	for (i = 0; i < pr->nitems; i++)
		item_release(&pr->items[i]);
	for (k = 0; k < STAGE_COUNT; k++) {
		for (i = 0; pr->run.reply[k] && i < pr->run.count[k]; i++)
			cJSON_Delete(pr->run.reply[k][i]);
		free(pr->run.reply[k]);
	}
	cJSON_Delete(pr->run.persona_json);
	free(pr->items);
	free(pr);
}

static void
unlink_persona(struct sched *s, struct prun *pr)
{
	if (pr->prev)
		pr->prev->next = pr->next;
	else
		s->personas = pr->next;
	if (pr->next)
		pr->next->prev = pr->prev;
	s->active--;
}

static void
finish_persona(struct sched *s, struct prun *pr)
{
	unlink_persona(s, pr);
	s->res->personas++;
	free_persona(pr);
}

/* Start every waiting item whose dependencies are done; fail those whose
 * dependencies failed; repeat until nothing changes (replayed items make
 * their dependants ready at once). Frees the persona when it is done. */
static void
advance(struct sched *s, struct prun *pr)
{
	char why[200];
	int i, changed = 1, st;

	while (changed && !s->fatal) {
		changed = 0;
		for (i = 0; i < pr->nitems && !s->fatal; i++) {
			struct item *it = &pr->items[i];

			if (it->state != I_WAIT)
				continue;
			st = deps_state(pr, it, why, sizeof(why));
			if (st == 0)
				continue;
			changed = 1;
			if (st < 0 || s->stopping) {
				if (st < 0)
					fail_item(s, it, why);
				else
					changed = 0;
				continue;
			}
			start_item(s, it);
		}
	}
	if (pr->open == 0)
		finish_persona(s, pr);
}

static int
alloc_items(struct sched *s, struct prun *pr)
{
	int k, i, n = 0;

	for (k = 0; k < STAGE_COUNT; k++) {
		pr->run.count[k] = stage_registry[k]->count(s->cfg);
		n += pr->run.count[k];
		if (pr->run.count[k] > 0 && (pr->run.reply[k] = calloc(
		    (size_t)pr->run.count[k], sizeof(cJSON *))) == NULL)
			return -1;
	}
	pr->items = calloc((size_t)n, sizeof(*pr->items));
	if (pr->items == NULL && n > 0)
		return -1;
	pr->nitems = pr->open = n;
	n = 0;
	for (k = 0; k < STAGE_COUNT; k++) {
		pr->first[k] = n;
		for (i = 0; i < pr->run.count[k]; i++, n++) {
			struct item *it = &pr->items[n];

			it->s = s;
			it->pr = pr;
			it->stage = (enum stage_id)k;
			it->idx = (uint32_t)i;
			it->seed = rng_derive(s->cfg->seed,
					      stage_registry[k]->name,
					      (uint64_t)pr->run.index,
					      (uint64_t)i);
			stage_item_id(it->id, sizeof(it->id), &pr->run,
				      (enum stage_id)k, (uint32_t)i);
			buf_init(&it->body, BODY_MAX);
			buf_init(&it->offline, BODY_MAX);
		}
	}
	return 0;
}

/* Record the persona row and plan its items in the journal before any of
 * them is sent. */
static int
plan_persona(struct sched *s, struct prun *pr)
{
	char prefix[40];
	int i, fresh = s->journal_empty;

	if (!fresh) {
		snprintf(prefix, sizeof(prefix), "%s/", pr->run.persona.id);
		fresh = journal_prefix_exists(s->o->journal, prefix) == 0;
	}
	if (tx(s) != 0)
		return -1;
	if (writer_persona(s->o->writer, &pr->run.persona) != 0) {
		write_failed(s, "the persona");
		return -1;
	}
	for (i = 0; i < pr->nitems; i++) {
		int rc = journal_item_plan(s->o->journal, pr->items[i].id,
				stage_registry[pr->items[i].stage]->name,
				pr->run.index, (int64_t)pr->items[i].idx);

		if (rc < 0) {
			write_failed(s, "the journal");
			return -1;
		}
		pr->items[i].fresh = rc == 1 || fresh;
	}
	journal_unit_end(s->o->journal);
	maybe_commit(s);
	return 0;
}

/* Render the persona's profile once; every prompt shows it. */
static int
add_profile(struct sched *s, struct prun *pr)
{
	const struct prompts *p = s->o->prompts;
	cJSON *v = cJSON_CreateObject();
	int rc = -1;

	if (v == NULL)
		return -1;
	buf_reset(&s->user);
	cJSON_AddItemReferenceToObject(v, "persona", pr->run.persona_json);
	if (prompts_render(p, p->profile, v, 0, &s->user, s->err) == 0 &&
	    cJSON_AddStringToObject(pr->run.persona_json, "profile",
				    s->user.data ? s->user.data : "") != NULL)
		rc = 0;
	cJSON_Delete(v);
	return rc;
}

static void
start_persona(struct sched *s, int64_t index)
{
	const struct pf_config *c = s->cfg;
	struct prun *pr = calloc(1, sizeof(*pr));

	if (pr == NULL) {
		s->fatal = 1;
		pf_error_set(s->err, "out of memory");
		return;
	}
	pr->run.index = index;
	persona_sample(s->o->tables, c->seed, (uint64_t)index,
		       &pr->run.persona);
	pr->run.persona_json = persona_to_json(&pr->run.persona);
	facts_plan(&pr->facts, &pr->run.persona, c->seed,
		   c->documents * c->facts_per_document, c->documents);
	pr->run.facts = &pr->facts;
	pr->next = s->personas;
	if (s->personas)
		s->personas->prev = pr;
	s->personas = pr;
	s->active++;
	if (pr->run.persona_json == NULL || add_profile(s, pr) != 0 ||
	    alloc_items(s, pr) != 0) {
		s->fatal = 1;
		pf_error_set(s->err, "out of memory");
		return;
	}
	if (plan_persona(s, pr) == 0)
		advance(s, pr);
}

/* ---- the loop ---- */

static void
close_cb(uv_handle_t *h)
{
	struct sched *s = h->data;

	s->open_handles--;
}

/* Progress figures: the scheduler's counts, and the network engine's
 * when there is one. */
static void
sample(void *ud, struct progress_sample *ps)
{
	struct sched *s = ud;
	struct backend *b = s->o->backend;

	memset(ps, 0, sizeof(*ps));
	ps->done = (uint64_t)s->res->items;
	ps->total = (uint64_t)s->total_items;
	ps->failed = (uint64_t)s->res->failed;
	ps->reused = (uint64_t)s->res->reused;
	if (strcmp(b->ops->name, "openai") == 0) {
		openai_backend_stats(b, &ps->st);
		return;
	}
	ps->st.sent = ps->st.done = (uint64_t)s->res->sent;
	ps->st.in_flight = s->inflight;
	ps->st.concurrency = s->inflight;
	ps->st.tokens_in = (uint64_t)s->res->prompt_tokens;
	ps->st.tokens_out = (uint64_t)s->res->completion_tokens;
}

static int
start_progress(struct sched *s)
{
	struct progress_opts po;

	if (!s->o->progress)
		return 0;
	memset(&po, 0, sizeof(po));
	po.tty = -1;
	po.label = "build";
	po.sample = sample;
	po.ud = s;
	return progress_start(s->loop, &po, &s->progress);
}

/* Everything is done (or stopped and drained): commit and let the loop
 * end. The caller closes the backend. */
static void
maybe_finish(struct sched *s)
{
	int all = s->next >= s->o->end && s->active == 0;

	if (s->finished || s->inflight > 0)
		return;
	if (!all && !s->stopping && !s->fatal)
		return;
	s->finished = 1;
	commit(s);
	progress_finish(s->progress, s->o->out_name);
	s->progress = NULL;
	uv_close((uv_handle_t *)&s->sigint, close_cb);
	uv_close((uv_handle_t *)&s->sigterm, close_cb);
	uv_close((uv_handle_t *)&s->commit_timer, close_cb);
	/* Our handles are closed; the backend's may keep the loop alive. */
	uv_stop(s->loop);
}

static void
fill(struct sched *s)
{
	while (!s->stopping && !s->fatal && s->active < s->o->window &&
	       s->next < s->o->end)
		start_persona(s, s->next++);
	if (s->fatal && !s->stopping)
		stop_run(s, LLM_OK);
	pump(s);
	maybe_finish(s);
}

static void
on_signal(uv_signal_t *h, int signum)
{
	struct sched *s = h->data;

	if (s->stopping) {
		/* A second signal: do not wait for the grace period. */
		s->o->backend->ops->drain(s->o->backend, 0);
		return;
	}
	log_info("signal %d: stopping; finished work is kept, run the same "
		 "command again to resume", signum);
	s->res->interrupted = 1;
	stop_run(s, LLM_OK);
	fill(s);
}

static int
start_handles(struct sched *s)
{
	uv_signal_init(s->loop, &s->sigint);
	uv_signal_init(s->loop, &s->sigterm);
	uv_timer_init(s->loop, &s->commit_timer);
	s->sigint.data = s->sigterm.data = s;
	s->commit_timer.data = s;
	s->open_handles = 3;
	uv_signal_start(&s->sigint, on_signal, SIGINT);
	uv_signal_start(&s->sigterm, on_signal, SIGTERM);
	uv_timer_start(&s->commit_timer, on_commit_timer,
		       s->o->commit_ms ? s->o->commit_ms : COMMIT_MS,
		       s->o->commit_ms ? s->o->commit_ms : COMMIT_MS);
	return start_progress(s);
}

static void
free_all(struct sched *s)
{
	struct prun *pr;

	while ((pr = s->personas) != NULL) {
		unlink_persona(s, pr);
		free_persona(pr);
	}
	buf_free(&s->sys);
	buf_free(&s->user);
}

static int64_t
items_per_persona(const struct pf_config *c)
{
	int64_t n = 0;
	int k;

	for (k = 0; k < STAGE_COUNT; k++)
		n += stage_registry[k]->count(c);
	return n;
}

int
sched_run(uv_loop_t *loop, const struct sched_opts *o,
	  struct sched_result *res, struct pf_error *err)
{
	struct sched s;

	memset(&s, 0, sizeof(s));
	memset(res, 0, sizeof(*res));
	s.o = o;
	s.cfg = o->cfg;
	s.loop = loop;
	s.res = res;
	s.err = err;
	s.next = o->first;
	s.total_items = items_per_persona(o->cfg) * (o->end - o->first);
	res->total = s.total_items;
	s.journal_empty = journal_prefix_exists(o->journal, "p") == 0;
	snprintf(s.params, sizeof(s.params), "],\"temperature\":%.4g,"
		 "\"top_p\":%.4g,\"seed\":", o->cfg->temperature,
		 o->cfg->top_p);
	buf_init(&s.sys, BODY_MAX);
	buf_init(&s.user, BODY_MAX);
	uv_update_time(loop);
	s.start_ms = uv_now(loop);
	start_handles(&s);
	fill(&s);
	if (!s.finished)
		uv_run(loop, UV_RUN_DEFAULT);
	/* Only maybe_finish() stops the loop, and our commit timer keeps it
	 * alive until then; should anything else stop it, go on waiting
	 * for the calls in flight rather than free them under the backend. */
	while (!s.finished)
		uv_run(loop, UV_RUN_ONCE);
	/* Run our close callbacks; with closing handles pending, a ONCE
	 * pass never blocks. */
	while (s.open_handles > 0)
		uv_run(loop, UV_RUN_ONCE);
	uv_update_time(loop);
	res->seconds = (uv_now(loop) - s.start_ms) / 1000.0;
	free_all(&s);
	return s.fatal ? -1 : 0;
}
