/* scheduler.c - the build driver (see scheduler.h). */
#include "engine/scheduler.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "base/hash.h"
#include "base/json.h"
#include "base/log.h"
#include "base/pool.h"
#include "base/rng.h"

#define BODY_MAX ((size_t)8 << 20)     /* one request body */
#define REPAIR_ECHO_MAX 2000           /* bytes of a bad reply echoed back */
#define FAIL_LOG_MAX 20                /* item failures printed one by one */
#define HELD_WINDOWS 2                 /* items held, in windows */
#define RENDER_BATCH 64                /* items rendered at once */
#define JOB_MAX 2048                   /* items rendered in the background
					* at once (start_job): each job ends
					* with the workers waiting for the
					* loop's next fill, so fewer, larger
					* jobs idle them less (10k persona
					* layer: 5.15 s wall at 256, 4.7 s
					* at 2,048; memory: two batches of
					* ~40 KB) */
#define PREP_MAX 128                   /* units prepared ahead of their
					* opening (memory: as many units) */
#define DEAD_MAX 1024                  /* ended units freed in the
					* background at once (more are freed
					* on the loop thread) */

enum istate { I_WAIT, I_READY, I_QUEUED, I_RUNNING, I_DONE, I_FAILED,
	I_LEFT };

struct urun;
struct sched;

struct item {
	struct urun *ur;
	struct item *next;          /* start or send queue */
	int stage;                  /* index in the stage table */
	uint32_t idx;
	enum istate state;
	uint32_t pending;           /* prerequisites not yet done */
	uint32_t out_first, nout;   /* its dependents in urun.edges */
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
	cJSON *parsed;              /* offline, rendered on the pool: the
				     * offline reply parsed and checked
				     * against the schema there, or NULL */
	void *pre;                  /* the stage's pre_accept of parsed,
				     * or NULL */
	struct llm_call call;
};

/* One unit while its items run. */
struct urun {
	struct unit u;
	struct item *items;         /* stage by stage, in table order */
	int nitems;
	int first[STAGE_MAX];       /* index of each stage's first item */
	uint32_t *edges;            /* dependents (item indices), per item */
	int open;                   /* items not yet done or failed */
	int outstanding;            /* items queued or running: a reply of
				     * the unit may arrive */
	int opened;                 /* hooks.prepare or hooks.open ran:
				     * hooks.close must run */
	int prep_rc;                /* hooks.prepare's */
	struct pf_error prep_err;   /* why, when prep_rc != 0 */
	int ended;                  /* on the ended list */
	struct urun *next, *prev;   /* active list */
	struct urun *next_ended;
};

struct queue {
	struct item *head, *tail;
};

/* One rendering thread's scratch: the system and user prompts, and why
 * a render failed. */
struct scratch {
	struct buf sys, user;
	struct pf_error err;
};

/* Fresh items rendered together on the pool, then started in order. */
struct batch {
	struct sched *s;
	struct item *it[JOB_MAX];
	int rc[JOB_MAX];                   /* render's */
	struct pf_error *err[JOB_MAX];     /* why, when rc != 0: copied out
					    * of the thread's scratch only
					    * then (NULL: no memory for it) */
	size_t n;
	struct urun *unit[PREP_MAX];       /* units to prepare (after the
					    * items, in index order) */
	size_t nunits;
	struct urun *dead[DEAD_MAX];       /* ended units to free (after
					    * those) */
	size_t ndead;
};

struct sched {
	const struct sched_opts *o;
	const struct pf_config *cfg;
	const struct stage_table *tab;
	struct runner *rn;
	int64_t next;               /* next unit index to open */
	unsigned active;            /* units open */
	int64_t held;               /* items of the open units (memory) */
	int64_t unfinished;         /* of those, not yet done or failed */
	int64_t per_unit;           /* items per unit */
	struct urun *units;         /* active list head */
	struct urun *ended;         /* units to free once the event is over */
	struct urun *dead;          /* ended and counted: to free on the
				     * pool (start_job) */
	struct queue ready;         /* prerequisites done: to start */
	struct queue send;          /* rendered, to send */
	struct queue fresh;         /* ready, with no journal history: to
				     * render in batches */
	int fatal;
	int journal_empty;          /* no item has any history */
	struct sched_result *res;
	struct pf_error *err;
	struct scratch scratch[POOL_MAX_THREADS]; /* per rendering thread;
						   * [0]: the loop thread's */
	struct pool *pool;          /* renders fresh items in batches */
	struct batch *batch;        /* rendered while the loop waits */
	struct batch *job;          /* rendered while the loop goes on */
	int job_on;                 /* job started, not yet finished */
	struct urun *prep[PREP_MAX]; /* prepared units s->next.. in index
				      * order: a ring from prep_head */
	unsigned prep_head, nprep;
	char params[96];            /* the fixed request parameters */
	char model_hash[65];        /* of o->model, stored with each reply
				     * so a resume can say why it sends an
				     * item again */
	unsigned fail_logged;
};

static void start_item(struct sched *s, struct item *it);
static void free_unit(struct sched *s, struct urun *ur);

const char *const sched_resend_names[RESEND_N] = {
	[RESEND_TEMPLATE] = "template changed",
	[RESEND_MODEL] = "model changed",
	[RESEND_REQUEST] = "request changed otherwise",
	[RESEND_FAILED] = "earlier failure",
	[RESEND_DAMAGED] = "damaged reply",
	[RESEND_REJECTED] = "stored reply no longer accepted",
};

/* ---- queues ---- */

static void
q_push(struct queue *q, struct item *it)
{
	it->next = NULL;
	if (q->tail != NULL)
		q->tail->next = it;
	else
		q->head = it;
	q->tail = it;
}

static struct item *
q_pop(struct queue *q)
{
	struct item *it = q->head;

	if (it != NULL && (q->head = it->next) == NULL)
		q->tail = NULL;
	return it;
}

/* Items queued or running are their unit's outstanding ones: while a
 * unit has none, no reply of it can arrive and no accept can touch it,
 * so its fresh items may render while the loop thread goes on
 * (start_job). */
static void
set_state(struct item *it, enum istate st)
{
	int was = it->state == I_QUEUED || it->state == I_RUNNING;
	int is = st == I_QUEUED || st == I_RUNNING;

	it->ur->outstanding += is - was;
	it->state = st;
}

/* Put `it` back at the head of q. */
static void
q_unpop(struct queue *q, struct item *it)
{
	if ((it->next = q->head) == NULL)
		q->tail = it;
	q->head = it;
}

/* ---- transactions ---- */

static void
set_fatal(struct sched *s, const char *fmt, const char *what)
{
	if (s->fatal)
		return;
	s->fatal = 1;
	pf_error_set(s->err, fmt, what, journal_errmsg(s->o->journal));
}

static void
commit(struct sched *s)
{
	if (journal_tx_commit(s->o->journal) != 0)
		set_fatal(s, "cannot %s: %s", "commit");
}

static void
write_failed(struct sched *s, const char *what)
{
	set_fatal(s, "cannot write %s: %s", what);
}

/* ---- rendering ---- */

static void
stage_ctx_init(struct sched *s, struct item *it, struct stage_ctx *sc)
{
	memset(sc, 0, sizeof(*sc));
	sc->cfg = s->cfg;
	sc->u = &it->ur->u;
	sc->idx = it->idx;
	sc->item_id = it->id;
	sc->seed = it->seed;
	sc->rerun = it->rerun;
	sc->model = s->o->model;
	sc->offline = s->o->offline;
}

/* Free the item's offline reply parsed on the pool and what its stage
 * worked out from it (pre_accept). */
static void
drop_parsed(struct item *it)
{
	const struct stage *st = it->ur->u.table->stages[it->stage];

	cJSON_Delete(it->parsed);
	it->parsed = NULL;
	if (it->pre != NULL)
		st->pre_free(it->pre);
	it->pre = NULL;
}

/* The render context: the unit's variables, the run, and whatever the
 * stage adds. Shared parts are referenced, not copied. */
static cJSON *
item_vars(struct sched *s, struct item *it, struct stage_ctx *sc,
	  struct pf_error *err)
{
	const struct unit_hooks *h = &s->tab->hooks;
	cJSON *v = cJSON_CreateObject(), *run;

	if (v == NULL) {
		pf_error_set(err, "out of memory");
		return NULL;
	}
	if ((h->vars != NULL && h->vars(s->o->hooks_ud, &it->ur->u, v) != 0) ||
	    (run = cJSON_AddObjectToObject(v, "run")) == NULL ||
	    !cJSON_AddStringToObject(run, "name", s->cfg->name)) {
		pf_error_set(err, "out of memory");
		cJSON_Delete(v);
		return NULL;
	}
	if (s->tab->stages[it->stage]->vars(sc, v, err) == 0)
		return v;
	cJSON_Delete(v);
	return NULL;
}

static int
quote(struct buf *b, const struct buf *text)
{
	return json_quote(b, text->data ? text->data : "", text->len);
}

/* The repair turns: the rejected reply and the reason. */
static int
put_repair(struct item *it, struct buf *b)
{
	size_t n = it->bad_reply ? strlen(it->bad_reply) : 0;
	struct buf r;
	int rc;

	rc = buf_puts(b, ",{\"role\":\"assistant\",\"content\":");
	rc |= json_quote(b, it->bad_reply ? it->bad_reply : "",
			 n > REPAIR_ECHO_MAX ? REPAIR_ECHO_MAX : n);
	rc |= buf_puts(b, "},{\"role\":\"user\",\"content\":");
	buf_init(&r, 4096);
	rc |= buf_printf(&r, "That reply was not accepted: %s. Reply again "
			 "with only a JSON object that matches the schema.",
			 it->repair);
	rc |= quote(b, &r);
	buf_free(&r);
	return rc | buf_putc(b, '}');
}

/* The messages array; with a repair, the rejected reply and the reason
 * follow as two more turns. */
static int
put_messages(const struct scratch *x, struct item *it, struct buf *b)
{
	int rc = buf_puts(b, "{\"messages\":[{\"role\":\"system\","
			  "\"content\":");

	rc |= quote(b, &x->sys);
	rc |= buf_puts(b, "},{\"role\":\"user\",\"content\":");
	rc |= quote(b, &x->user);
	rc |= buf_putc(b, '}');
	if (it->repair != NULL)
		rc |= put_repair(it, b);
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
build_body(struct sched *s, struct item *it, const struct scratch *x,
	   struct pf_error *err)
{
	const struct stage_templates *t = &s->o->prompts->st[it->stage];
	struct buf *b = &it->body;
	int rc;

	buf_reset(b);
	/* Room for the body at once, not by doubling (some ten reallocs
	 * of an item's ~12 KB): the prompts, a sixteenth more for their
	 * escapes, and the rest. Only a hint: short of it (or past
	 * BODY_MAX with the margin), the appends grow it or fail. */
	(void)buf_reserve(b, x->sys.len + x->user.len +
			  (x->sys.len + x->user.len) / 16 +
			  sizeof(s->params) + strlen(t->response_format) + 128);
	rc = put_messages(x, it, b);
	rc |= buf_puts(b, s->params);
	rc |= put_uint(b, (uint32_t)(it->seed & 0x7fffffff));
	rc |= buf_printf(b, ",\"max_tokens\":%d,\"response_format\":",
			 s->cfg->max_tokens);
	rc |= buf_puts(b, t->response_format);
	rc |= buf_putc(b, '}');
	return rc == 0 ? 0 : pf_error_set(err, "%s: request body too large",
					  it->id);
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
 * it->offline with scratch x. Reads only what other items'
 * renders read (engine/stage.h: vars), so the pool runs it on any thread.
 * Returns 0 or -1 with err filled. */
static int
render_on(struct sched *s, struct item *it, struct scratch *x,
	  struct pf_error *err)
{
	const struct prompts *p = s->o->prompts;
	const struct stage_templates *t = &p->st[it->stage];
	struct stage_ctx sc;
	cJSON *v;
	int rc = -1;

	drop_parsed(it);            /* of an earlier offline reply */
	stage_ctx_init(s, it, &sc);
	v = item_vars(s, it, &sc, err);
	if (v == NULL)
		return -1;
	buf_reset(&x->sys);
	buf_reset(&x->user);
	buf_reset(&it->offline);
	if (prompts_render(p, p->system, v, 0, &x->sys, err) != 0 ||
	    prompts_render(p, t->prompt, v, 0, &x->user, err) != 0)
		goto out;
	if (s->o->offline &&
	    prompts_render(p, t->offline, v, 1, &it->offline, err) != 0)
		goto out;
	rc = build_body(s, it, x, err);
out:
	cJSON_Delete(v);
	return rc;
}

/* render_on, on the loop thread. */
static int
render(struct sched *s, struct item *it)
{
	return render_on(s, it, &s->scratch[0], s->err);
}

/* ---- item outcomes ---- */

static void
item_release(struct item *it)
{
	buf_free(&it->body);
	buf_free(&it->offline);
	drop_parsed(it);
	free(it->repair);
	free(it->bad_reply);
	it->repair = it->bad_reply = NULL;
}

static void
unit_item_ended(struct sched *s, struct item *it)
{
	struct urun *ur = it->ur;

	s->res->items++;
	s->unfinished--;
	item_release(it);
	if (--ur->open == 0 && !ur->ended) {
		ur->ended = 1;
		ur->next_ended = s->ended;
		s->ended = ur;
	}
}

/* An item that failed this time must not leave rows from an earlier reply
 * behind: the dataset holds what the journal stands behind, once. */
static void
forget_rows(struct sched *s, struct item *it)
{
	const struct stage *st = s->tab->stages[it->stage];
	struct journal_row row;
	struct stage_ctx sc;

	/* An item blocked before it started, or failed at its render, has
	 * not looked at its row. */
	if ((it->state == I_WAIT || it->state == I_READY) && !it->fresh &&
	    journal_item_get(s->o->journal, it->id, &row) == 0)
		it->rerun = row.state == JOURNAL_DONE || row.damaged;
	if (!it->rerun || st->forget == NULL)
		return;
	stage_ctx_init(s, it, &sc);
	sc.w = s->o->sink;
	if (st->forget(&sc) < 0)
		write_failed(s, "the deletion of earlier rows");
}

static void fail_item(struct sched *s, struct item *it, const char *reason);

/* The items waiting for `it` cannot run: fail them, and theirs. */
static void
block_dependents(struct sched *s, struct item *it)
{
	struct urun *ur = it->ur;
	char why[200];
	uint32_t k;

	snprintf(why, sizeof(why), JOURNAL_BLOCKED "it needs %s, which "
		 "failed", it->id);
	for (k = 0; k < it->nout && !s->fatal; k++) {
		struct item *d = &ur->items[ur->edges[it->out_first + k]];

		if (d->state == I_WAIT)
			fail_item(s, d, why);
	}
}

static void
fail_item(struct sched *s, struct item *it, const char *reason)
{
	if (s->fail_logged++ < FAIL_LOG_MAX)
		log_item(PF_LOG_WARN, it->id, "item %s failed: %s", it->id,
			 reason);
	else if (s->fail_logged == FAIL_LOG_MAX + 1)
		log_warn("more items failed; 'personaforge stats --failed' "
			 "lists them all");
	if (journal_item_fail(s->o->journal, it->id,
			      it->hash[0] ? it->hash : NULL,
			      it->prior_attempts + it->tries, reason) != 0)
		write_failed(s, "the journal");
	forget_rows(s, it);
	journal_unit_end(s->o->journal);
	set_state(it, I_FAILED);
	s->res->failed++;
	unit_item_ended(s, it);
	block_dependents(s, it);
}

/* Store the accepted reply and release the items that waited for it. */
static void
done_item(struct sched *s, struct item *it, cJSON *reply)
{
	struct urun *ur = it->ur;
	uint32_t k;

	ur->u.reply[it->stage][it->idx] = reply;
	set_state(it, I_DONE);
	unit_item_ended(s, it);
	for (k = 0; k < it->nout; k++) {
		struct item *d = &ur->items[ur->edges[it->out_first + k]];

		if (--d->pending == 0 && d->state == I_WAIT) {
			d->state = I_READY;
			q_push(&s->ready, d);
		}
	}
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
	set_state(it, I_QUEUED);
	q_push(&s->send, it);
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

/* The offline backend answers with the reply just rendered, byte for
 * byte: parse and check it here, on the pool, and let its stage work
 * out what it can ahead (pre_accept), so that accept_reply() on the
 * loop thread finds the tree and that work ready (it_reply). A reply
 * that fails is left for accept_reply() to parse again and reject. */
static void
preparse(struct sched *s, struct item *it)
{
	const struct stage *st = s->tab->stages[it->stage];
	struct stage_ctx sc;
	char why[8];

	drop_parsed(it);
	it->parsed = check_reply(s, it, it->offline.data ? it->offline.data
				 : "", it->offline.len, why, sizeof(why));
	if (it->parsed == NULL || st->pre_accept == NULL)
		return;
	stage_ctx_init(s, it, &sc);
	it->pre = st->pre_accept(&sc, it->parsed);
}

/* The checked tree of the reply the backend sent for it (taken from
 * it->parsed, it->pre kept with it, when that is the same text), or
 * NULL with why filled. */
static cJSON *
it_reply(struct sched *s, struct item *it, char *why, size_t nwhy)
{
	const struct llm_call *c = &it->call;
	cJSON *r = it->parsed;

	it->parsed = NULL;
	if (r != NULL && c->content != NULL &&
	    c->content_len == it->offline.len &&
	    memcmp(c->content, it->offline.data, c->content_len) == 0)
		return r;
	cJSON_Delete(r);
	drop_parsed(it);
	return check_reply(s, it, c->content ? c->content : "",
			   c->content_len, why, nwhy);
}

/* Hand a checked reply to its stage, with what the stage worked out
 * from it ahead (pre, or NULL). w == NULL replays. Returns 0 accepted,
 * 1 rejected (why filled), -1 write error. */
static int
stage_accept(struct sched *s, struct item *it, const cJSON *r,
	     const void *pre, void *w, const char *model, char *why,
	     size_t nwhy)
{
	struct stage_ctx sc;
	struct pf_error e;
	int rc;

	stage_ctx_init(s, it, &sc);
	sc.w = w;
	sc.pre = pre;
	if (model != NULL && model[0] != '\0')
		sc.model = model;
	pf_error_clear(&e);
	rc = s->tab->stages[it->stage]->accept(&sc, r, &e);
	if (rc != 0)
		snprintf(why, nwhy, "%s", e.msg[0] ? e.msg : "rejected");
	return rc;
}

/* 1 if the item's hash covers the accepted reply: offline, accepted at
 * the first try (hash_item hashed the reply rendered then), and the
 * reply is that text. A resume renders it again (try_replay), so the
 * journal need not keep it. */
static int
reply_in_hash(const struct sched *s, const struct item *it)
{
	const struct llm_call *c = &it->call;

	return s->o->offline && it->tries == 1 && c->content != NULL &&
	       c->content_len == it->offline.len &&
	       memcmp(c->content, it->offline.data, c->content_len) == 0;
}

static void
record_done(struct sched *s, struct item *it)
{
	struct llm_call *c = &it->call;
	struct journal_result jr;

	memset(&jr, 0, sizeof(jr));
	jr.req_hash = it->hash;
	jr.model_hash = s->model_hash;
	jr.template_hash = s->o->prompts->st[it->stage].hash;
	jr.reply = c->content;
	jr.reply_len = c->content_len;
	jr.reply_in_hash = reply_in_hash(s, it);
	jr.finish_reason = c->finish_reason;
	jr.model = c->model[0] ? c->model : s->o->model;
	jr.attempts = it->prior_attempts + it->tries;
	jr.prompt_tokens = c->prompt_tokens;
	jr.completion_tokens = c->completion_tokens;
	if (journal_item_done(s->o->journal, it->id, &jr) != 0)
		write_failed(s, "the journal");
	journal_unit_end(s->o->journal);
}

static void
accept_reply(struct sched *s, struct item *it)
{
	struct llm_call *c = &it->call;
	char why[600];
	cJSON *r;
	int rc;

	if (strcmp(c->finish_reason, "length") == 0) {
		reject(s, it, "the reply was cut off at max_tokens "
		       "(finish_reason \"length\")");
		return;
	}
	if (c->refused || strcmp(c->finish_reason, "content_filter") == 0) {
		reject(s, it, c->refused ? SCHED_REFUSED " to answer" :
		       SCHED_REFUSED " to answer (finish_reason "
		       "\"content_filter\")");
		return;
	}
	r = it_reply(s, it, why, sizeof(why));
	if (r == NULL) {
		reject(s, it, why);
		return;
	}
	rc = stage_accept(s, it, r, it->pre, s->o->sink, c->model, why,
			  sizeof(why));
	drop_parsed(it);
	if (rc != 0) {
		cJSON_Delete(r);
		if (rc < 0)
			write_failed(s, "dataset rows");
		else
			reject(s, it, why);
		return;
	}
	record_done(s, it);
	done_item(s, it, r);
}

/* ---- starting and sending ---- */

/* Why a done item whose request hash changed is sent again: the hashes
 * stored with its reply against this run's. */
static enum sched_resend
changed_why(struct sched *s, struct item *it)
{
	char mh[65], th[65];

	if (journal_item_hashes(s->o->journal, it->id, mh, th) != 0 ||
	    mh[0] == '\0')
		return RESEND_REQUEST;
	if (strcmp(mh, s->model_hash) != 0)
		return RESEND_MODEL;
	if (strcmp(th, s->o->prompts->st[it->stage].hash) != 0)
		return RESEND_TEMPLATE;
	return RESEND_REQUEST;
}

/* Count (and log at debug level) why an item with a row is sent again;
 * returns 0, try_replay's "send it". */
static int
resend(struct sched *s, struct item *it, enum sched_resend why)
{
	s->res->resent[why]++;
	log_item(PF_LOG_DEBUG, it->id, "item %s: sending it again: %s",
		 it->id, sched_resend_names[why]);
	return 0;
}

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
		set_fatal(s, "cannot read the %s: %s", "journal");
		return 0;
	}
	it->prior_attempts = row.attempts;
	it->rerun = row.state == JOURNAL_DONE || row.damaged;
	if (row.damaged) {
		log_item(PF_LOG_WARN, it->id, "item %s: its journal reply is "
			 "damaged (checksum mismatch); sending it again",
			 it->id);
		return resend(s, it, RESEND_DAMAGED);
	}
	if (row.state == JOURNAL_FAILED)
		return resend(s, it, RESEND_FAILED);
	if (row.state != JOURNAL_DONE)
		return 0;
	if (row.req_hash == NULL || strcmp(row.req_hash, it->hash) != 0)
		return resend(s, it, changed_why(s, it));
	/* A reply the journal did not keep (journal_result.reply_in_hash)
	 * is the offline reply this same hash covers: just rendered. */
	if (row.reply == NULL && !s->o->offline)
		return 0;
	if (row.reply == NULL) {
		row.reply = it->offline.data ? it->offline.data : "";
		row.reply_len = it->offline.len;
	}
	r = check_reply(s, it, row.reply, row.reply_len, why, sizeof(why));
	if (r == NULL)
		return resend(s, it, RESEND_REJECTED);
	if (stage_accept(s, it, r, NULL, NULL, NULL, why, sizeof(why)) != 0) {
		cJSON_Delete(r);
		return resend(s, it, RESEND_REJECTED);
	}
	s->res->reused++;
	s->res->stage_reused[it->stage]++;
	done_item(s, it, r);
	return 1;
}

/* Start an item rendered with outcome rc (why in err): show its request,
 * replay it from the journal or queue it for sending. */
static void
start_rendered(struct sched *s, struct item *it, int rc,
	       const struct pf_error *err)
{
	if (rc != 0) {
		fail_item(s, it, err->msg);
		return;
	}
	if (s->o->on_request != NULL)
		s->o->on_request(s->o->request_ud, it->ur->u.index, it->stage,
				 it->idx, it->id, it->body.data, it->body.len);
	if (try_replay(s, it))
		return;
	set_state(it, I_QUEUED);
	q_push(&s->send, it);
}

static void
start_item(struct sched *s, struct item *it)
{
	int rc = render(s, it);

	if (rc == 0)
		hash_item(s, it);
	start_rendered(s, it, rc, s->err);
}

/* Set up a unit ahead of its opening (hooks.prepare; any thread). */
static void
prepare_unit(struct sched *s, struct urun *ur)
{
	const struct unit_hooks *h = &s->tab->hooks;

	pf_error_clear(&ur->prep_err);
	if (h->prepare == NULL)
		return;
	ur->opened = 1;
	ur->prep_rc = h->prepare(s->o->hooks_ud, &ur->u, &ur->prep_err);
}

/* pool_fn: render item i of batch ud on thread t; the indices past the
 * items prepare the batch's units, and those past them free its dead
 * units. */
static void
render_one(void *ud, size_t i, unsigned t)
{
	struct batch *b = ud;
	struct sched *s = b->s;

	if (i >= b->n + b->nunits) {
		free_unit(s, b->dead[i - b->n - b->nunits]);
		return;
	}
	if (i >= b->n) {
		prepare_unit(s, b->unit[i - b->n]);
		return;
	}
	pf_error_clear(&s->scratch[t].err);
	b->err[i] = NULL;
	b->rc[i] = render_on(s, b->it[i], &s->scratch[t], &s->scratch[t].err);
	if (b->rc[i] != 0) {
		b->err[i] = malloc(sizeof(*b->err[i]));
		if (b->err[i] != NULL)
			*b->err[i] = s->scratch[t].err;
		return;
	}
	hash_item(s, b->it[i]);
	if (s->o->offline)
		preparse(s, b->it[i]);
}

/* Start rendered item i of b (render_one's outcome), and free why it
 * failed. */
static void
start_one(struct sched *s, struct batch *b, size_t i)
{
	static const struct pf_error oom = { .msg = "out of memory" };

	start_rendered(s, b->it[i], b->rc[i],
		       b->err[i] != NULL ? b->err[i] : &oom);
	free(b->err[i]);
	b->err[i] = NULL;
}

/* Start the rendered items of b in order. A fresh item has no journal
 * history, so starting it only queues it: starting them after rendering
 * them all does what starting each in turn does. Those left unstarted (a
 * fatal error, a stop) go back to the ready queue's head. */
static void
start_batch(struct sched *s, struct batch *b)
{
	size_t i;

	for (i = 0; i < b->n && !s->fatal && !runner_stopping(s->rn); i++)
		start_one(s, b, i);
	while (i < b->n) {
		free(b->err[--b->n]);
		b->err[b->n] = NULL;
		q_unpop(&s->ready, b->it[b->n]);
	}
	b->n = 0;
}

/* Free why b's items failed to render, for a batch never started (a job
 * in flight when the run ends). Accepts NULL. */
static void
drop_errors(struct batch *b)
{
	size_t i;

	for (i = 0; b != NULL && i < b->n; i++) {
		free(b->err[i]);
		b->err[i] = NULL;
	}
}

/* Render on the pool now, and start, the fresh items of units with an
 * item outstanding: a reply of the unit may arrive before they are sent
 * (unit vars read replies), so they must not render in the background.
 * The others stay in the fresh queue, in order. */
static void
start_fresh_now(struct sched *s)
{
	struct batch *b = s->batch;
	struct queue keep = { NULL, NULL };
	struct item *it;

	b->n = 0;
	while (!s->fatal && (it = q_pop(&s->fresh)) != NULL) {
		if (it->ur->outstanding == 0) {
			q_push(&keep, it);
			continue;
		}
		b->it[b->n++] = it;
		if (b->n == RENDER_BATCH) {
			pool_run(s->pool, b->n, render_one, b);
			start_batch(s, b);
		}
	}
	if (b->n > 0) {
		pool_run(s->pool, b->n, render_one, b);
		start_batch(s, b);
	}
	while ((it = q_pop(&s->fresh)) != NULL)
		q_push(&keep, it);
	s->fresh = keep;
}

/* ---- units prepared ahead ---- */

/* A record for unit `index`, neither prepared nor open; NULL when memory
 * runs out. */
static struct urun *
new_urun(struct sched *s, int64_t index)
{
	struct urun *ur = calloc(1, sizeof(*ur));

	if (ur != NULL) {
		ur->u.index = index;
		ur->u.table = s->tab;
	}
	return ur;
}

/* Put into b the units after those prepared, up to PREP_MAX prepared in
 * all (fewer when memory runs out: opening them sets them up then). */
static void
add_units(struct sched *s, struct batch *b)
{
	int64_t index = s->next + s->nprep;

	b->nunits = 0;
	if (s->tab->hooks.prepare == NULL)
		return;
	while (s->nprep + b->nunits < PREP_MAX && index < s->o->end &&
	       (b->unit[b->nunits] = new_urun(s, index)) != NULL) {
		b->nunits++;
		index++;
	}
}

/* Queue the units b prepared (they follow those queued before). */
static void
keep_units(struct sched *s, struct batch *b)
{
	size_t i;

	for (i = 0; i < b->nunits; i++)
		s->prep[(s->prep_head + s->nprep++) % PREP_MAX] = b->unit[i];
	b->nunits = 0;
}

/* Put into b the ended units (at most DEAD_MAX; the loop thread frees
 * any more now, so that they stay bounded). Nothing reads them any
 * more: freeing them is the pool's. */
static void
add_dead(struct sched *s, struct batch *b)
{
	struct urun *ur;

	for (b->ndead = 0; b->ndead < DEAD_MAX && s->dead != NULL;
	     b->ndead++) {
		b->dead[b->ndead] = s->dead;
		s->dead = s->dead->next_ended;
	}
	while ((ur = s->dead) != NULL) {
		s->dead = ur->next_ended;
		free_unit(s, ur);
	}
}

/* The prepared unit s->next, or NULL (none prepared). */
static struct urun *
take_unit(struct sched *s)
{
	struct urun *ur;

	if (s->nprep == 0)
		return NULL;
	ur = s->prep[s->prep_head];
	s->prep_head = (s->prep_head + 1) % PREP_MAX;
	s->nprep--;
	return ur;
}

/* Nothing is queued to open: prepare the next units now, on the pool
 * (the loop thread helps). Without a pool, open_unit prepares the unit
 * it opens. */
static void
prepare_now(struct sched *s)
{
	struct batch *b = s->batch;

	if (s->pool == NULL)
		return;
	b->n = 0;
	add_units(s, b);
	if (b->nunits > 0)
		pool_run(s->pool, b->nunits, render_one, b);
	keep_units(s, b);
}

/* Render the fresh items (at most a job) on the pool's workers while the
 * loop thread goes on: their units have nothing outstanding, so until
 * finish_job() starts them nothing touches those units but the render,
 * and what the renders read (engine/stage.h: vars) stays as it was. */
static void
start_job(struct sched *s)
{
	struct batch *b = s->job;

	for (b->n = 0; b->n < JOB_MAX && s->fresh.head != NULL; b->n++)
		b->it[b->n] = q_pop(&s->fresh);
	add_units(s, b);
	add_dead(s, b);
	if (b->n + b->nunits + b->ndead == 0)
		return;
	s->job_on = 1;
	pool_start(s->pool, b->n + b->nunits + b->ndead, render_one, b);
}

/* Wait for the job and start its items. The loop thread does not help
 * render it (pool_join): the workers, one per core, are rendering it
 * already, and a third thread rendering would only take a core from
 * them and from the writer. */
static void
finish_job(struct sched *s)
{
	if (!s->job_on)
		return;
	pool_join(s->pool);
	s->job_on = 0;
	s->job->ndead = 0;
	keep_units(s, s->job);
	start_batch(s, s->job);
}

/* Start every item whose prerequisites are done; replays release their
 * dependents at once, which join the queue. With a pool, fresh items
 * only move to the fresh queue (start_fresh_now and start_job render
 * them). While stopping, nothing new starts. */
static void
start_ready(struct sched *s)
{
	struct item *it;

	while (!s->fatal && !runner_stopping(s->rn) &&
	       (it = q_pop(&s->ready)) != NULL) {
		if (s->pool != NULL && it->fresh)
			q_push(&s->fresh, it);
		else
			start_item(s, it);
	}
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
	c->ud = it;
	set_state(it, I_RUNNING);
	it->tries++;
	if (runner_submit(s->rn, c) != 0)
		set_state(it, I_LEFT);
}

static void
pump(struct sched *s)
{
	struct item *it;

	while (s->send.head != NULL && runner_capacity(s->rn) > 0) {
		it = q_pop(&s->send);
		send_item(s, it);
	}
}

/* ---- units ---- */

static void
free_unit(struct sched *s, struct urun *ur)
{
	const struct unit_hooks *h = &s->tab->hooks;
	int i, k;

	for (i = 0; i < ur->nitems; i++)
		item_release(&ur->items[i]);
	for (k = 0; k < s->tab->n; k++) {
		for (i = 0; ur->u.reply[k] && i < ur->u.count[k]; i++)
			cJSON_Delete(ur->u.reply[k][i]);
		free(ur->u.reply[k]);
	}
	if (ur->opened && h->close != NULL)
		h->close(s->o->hooks_ud, &ur->u);
	free(ur->edges);
	free(ur->items);
	free(ur);
}

static void
unlink_unit(struct sched *s, struct urun *ur)
{
	if (ur->prev)
		ur->prev->next = ur->next;
	else
		s->units = ur->next;
	if (ur->next)
		ur->next->prev = ur->prev;
	s->active--;
	s->held -= ur->nitems;
	s->unfinished -= ur->open;
}

/* Count the units whose items have all ended, and free them (with a
 * pool, the next job frees them: start_job). */
static void
reap(struct sched *s)
{
	struct urun *ur;

	while ((ur = s->ended) != NULL) {
		s->ended = ur->next_ended;
		unlink_unit(s, ur);
		s->res->units++;
		if (s->pool != NULL) {
			ur->next_ended = s->dead;
			s->dead = ur;
		} else {
			free_unit(s, ur);
		}
	}
}

static void
init_item(struct sched *s, struct urun *ur, struct item *it, int k,
	  uint32_t i)
{
	it->ur = ur;
	it->stage = k;
	it->idx = i;
	it->seed = rng_derive(s->cfg->seed, s->tab->stages[k]->name,
			      (uint64_t)ur->u.index, (uint64_t)i);
	stage_item_id(it->id, sizeof(it->id), &ur->u, k, i);
	buf_init(&it->body, BODY_MAX);
	buf_init(&it->offline, BODY_MAX);
}

static int
alloc_items(struct sched *s, struct urun *ur)
{
	int k, i, n = 0;

	for (k = 0; k < s->tab->n; k++) {
		ur->u.count[k] = s->tab->stages[k]->count(s->cfg);
		n += ur->u.count[k];
		if (ur->u.count[k] > 0 && (ur->u.reply[k] = calloc(
		    (size_t)ur->u.count[k], sizeof(cJSON *))) == NULL)
			return -1;
	}
	ur->items = calloc((size_t)n, sizeof(*ur->items));
	if (ur->items == NULL && n > 0)
		return -1;
	ur->nitems = ur->open = n;
	n = 0;
	for (k = 0; k < s->tab->n; k++) {
		ur->first[k] = n;
		for (i = 0; i < ur->u.count[k]; i++, n++)
			init_item(s, ur, &ur->items[n], k, (uint32_t)i);
	}
	return 0;
}

/* The item a prerequisite names, or NULL (a disabled stage, an index
 * past the stage's count). */
static struct item *
dep_item(struct urun *ur, const struct stage_dep *d)
{
	if (d->stage < 0 || d->stage >= ur->u.table->n ||
	    (int)d->idx >= ur->u.count[d->stage])
		return NULL;
	return &ur->items[ur->first[d->stage] + (int)d->idx];
}

/* Prerequisites point back (an earlier stage, or an earlier item of the
 * same stage): anything else could wait forever. */
static int
forward_dep(struct sched *s, const struct item *it, const struct item *di)
{
	pf_error_set(s->err, "stage table: %s depends on %s, which does not "
		     "come before it", it->id, di->id);
	return -2;
}

/* Count each item's prerequisites and list each item's dependents:
 * pass 0 counts, pass 1 fills the edge array. Returns 0, -1 out of
 * memory, -2 a prerequisite that does not point back (err set). */
static int
link_items(struct sched *s, struct urun *ur)
{
	struct stage_dep d[STAGE_MAX_DEPS];
	uint32_t nedges = 0, *fill = NULL;
	int pass, i, k, nd;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < ur->nitems; i++) {
			struct item *it = &ur->items[i];

			nd = s->tab->stages[it->stage]->deps(&ur->u, it->idx,
							     d);
			for (k = 0; k < nd; k++) {
				struct item *di = dep_item(ur, &d[k]);

				if (di == NULL)
					continue;
				if (di >= it)
					return forward_dep(s, it, di);
				if (pass == 0) {
					it->pending++;
					di->nout++;
					nedges++;
				} else {
					ur->edges[di->out_first +
						  fill[di - ur->items]++] =
						(uint32_t)i;
				}
			}
		}
		if (pass == 1)
			break;
		ur->edges = malloc(((size_t)nedges + 1) * sizeof(uint32_t));
		fill = calloc((size_t)ur->nitems + 1, sizeof(uint32_t));
		if (ur->edges == NULL || fill == NULL) {
			free(fill);
			return -1;
		}
		for (nedges = 0, i = 0; i < ur->nitems; i++) {
			ur->items[i].out_first = nedges;
			nedges += ur->items[i].nout;
		}
	}
	free(fill);
	return 0;
}

/* Open the unit (its rows; prepared ahead, or set up now when the hooks
 * have no prepare) and plan its items in the journal before any of them
 * is sent, in one write unit. */
static int
plan_unit(struct sched *s, struct urun *ur)
{
	const struct unit_hooks *h = &s->tab->hooks;
	char prefix[UNIT_ID_MAX + 2];
	int i, rc, fresh = s->journal_empty;

	if (ur->prep_rc != 0) {
		*s->err = ur->prep_err;
		s->fatal = 1;
		return -1;
	}
	ur->opened = 1;
	if (h->open(s->o->hooks_ud, &ur->u, s->o->sink, s->err) != 0) {
		s->fatal = 1;
		return -1;
	}
	if (!fresh) {
		snprintf(prefix, sizeof(prefix), "%s/", ur->u.id);
		fresh = journal_prefix_exists(s->o->journal, prefix) == 0;
	}
	if (alloc_items(s, ur) != 0 || (rc = link_items(s, ur)) == -1)
		return pf_error_set(s->err, "out of memory"), s->fatal = 1, -1;
	if (rc == -2)
		return s->fatal = 1, -1;
	for (i = 0; i < ur->nitems; i++) {
		rc = journal_item_plan(s->o->journal, ur->items[i].id,
				       s->tab->stages[ur->items[i].stage]->name,
				       ur->u.index, (int64_t)ur->items[i].idx);
		if (rc < 0) {
			write_failed(s, "the journal");
			return -1;
		}
		ur->items[i].fresh = rc == 1 || fresh;
	}
	journal_unit_end(s->o->journal);
	return 0;
}

/* Open unit s->next, prepared ahead or now. */
static void
open_unit(struct sched *s)
{
	struct urun *ur;
	int i;

	if (s->nprep == 0)
		prepare_now(s);
	if ((ur = take_unit(s)) == NULL) {
		if ((ur = new_urun(s, s->next)) == NULL) {
			s->fatal = 1;
			pf_error_set(s->err, "out of memory");
			return;
		}
		prepare_unit(s, ur);
	}
	s->next++;
	ur->next = s->units;
	if (s->units)
		s->units->prev = ur;
	s->units = ur;
	s->active++;
	if (plan_unit(s, ur) != 0)
		return;
	s->held += ur->nitems;
	s->unfinished += ur->nitems;
	if (s->held > s->res->max_held)
		s->res->max_held = s->held;
	if (s->unfinished > s->res->max_unfinished)
		s->res->max_unfinished = s->unfinished;
	for (i = 0; i < ur->nitems; i++) {
		if (ur->items[i].pending == 0) {
			ur->items[i].state = I_READY;
			q_push(&s->ready, &ur->items[i]);
		}
	}
	if (ur->nitems == 0) {
		ur->ended = 1;
		ur->next_ended = s->ended;
		s->ended = ur;
	}
}

/* Room for one more unit: its items fit in the window of unfinished
 * items, or nothing else is open. A unit holds its finished items until
 * its last one ends, so a few stragglers must not stop new work: the
 * window counts unfinished items, and memory is bounded apart, by
 * HELD_WINDOWS windows of items held in all. */
static int
room(const struct sched *s)
{
	int64_t w = (int64_t)s->o->window;

	return s->active == 0 ||
	       (s->unfinished + s->per_unit <= w &&
		s->held + s->per_unit <= HELD_WINDOWS * w);
}

/* ---- runner ops ---- */

static void
op_fill(struct runner *rn, void *ud)
{
	struct sched *s = ud;

	s->rn = rn;
	if (s->journal_empty < 0)
		s->journal_empty =
			journal_prefix_exists(s->o->journal, "") == 0;
	do {
		finish_job(s);
		for (;;) {
			start_ready(s);
			reap(s);
			if (s->fatal || runner_stopping(rn) ||
			    s->next >= s->o->end || !room(s))
				break;
			open_unit(s);
		}
		if (s->pool != NULL)
			start_fresh_now(s);
		if (s->fatal) {
			runner_fatal(rn);
			return;
		}
		pump(s);
		if (s->pool != NULL && !runner_stopping(rn))
			start_job(s);
		/* Nothing in flight: no reply will bring the loop back to
		 * finish the job, so finish it now. */
	} while (s->job_on && runner_inflight(rn) == 0);
}

static int
op_idle(void *ud)
{
	struct sched *s = ud;

	return s->next >= s->o->end && s->active == 0;
}

static void
op_done(struct runner *rn, void *ud, struct llm_call *c)
{
	struct sched *s = ud;
	struct item *it = c->ud;

	(void)rn;
	switch (c->result) {
	case LLM_OK:
		s->res->sent++;
		accept_reply(s, it);
		break;
	case LLM_FAILED:
		fail_item(s, it, c->error ? c->error : "request failed");
		break;
	default:
		set_state(it, I_LEFT);
		break;
	}
	llm_call_clear(c);
}

static void
op_commit(struct runner *rn, void *ud)
{
	struct sched *s = ud;

	/* A run that stops leaves its unfinished items pending, as if every
	 * plan had been written when its unit opened. */
	if (runner_stopping(rn) && journal_plans_write(s->o->journal) != 0)
		write_failed(s, "the journal");
	commit(s);
}

static void
op_sample(void *ud, struct progress_sample *ps)
{
	struct sched *s = ud;

	ps->done = (uint64_t)s->res->items;
	ps->total = (uint64_t)s->res->total;
	ps->failed = (uint64_t)s->res->failed;
	ps->reused = (uint64_t)s->res->reused;
}

static void
op_interrupted(void *ud, int signum)
{
	(void)ud;
	log_info("signal %d: stopping; finished work is kept, run the same "
		 "command again to resume", signum);
}

const struct runner_ops sched_runner_ops = {
	.fill = op_fill,
	.idle = op_idle,
	.done = op_done,
	.commit = op_commit,
	.sample = op_sample,
	.interrupted = op_interrupted,
};

/* ---- set-up ---- */

int
sched_new(const struct sched_opts *o, struct sched_result *res,
	  struct pf_error *err, struct sched **out)
{
	struct sched *s = calloc(1, sizeof(*s));
	unsigned cores;
	int i;

	*out = NULL;
	if (s == NULL)
		return -1;
	memset(res, 0, sizeof(*res));
	s->o = o;
	s->cfg = o->cfg;
	s->tab = o->table;
	s->res = res;
	s->err = err;
	s->next = o->first;
	s->per_unit = stage_table_items(o->table, o->cfg);
	res->total = s->per_unit * (o->end - o->first);
	s->journal_empty = -1;   /* looked up at the first fill */
	snprintf(s->params, sizeof(s->params), "],\"temperature\":%.4g,"
		 "\"top_p\":%.4g,\"seed\":", o->cfg->temperature,
		 o->cfg->top_p);
	hash_hex(o->model, strlen(o->model), s->model_hash);
	for (i = 0; i < POOL_MAX_THREADS; i++) {
		buf_init(&s->scratch[i].sys, BODY_MAX);
		buf_init(&s->scratch[i].user, BODY_MAX);
	}
	/* One render worker per core besides the loop thread, which waits
	 * for a job without rendering (finish_job): then the loop thread
	 * spends only its own work (accepting, opening units) and is never
	 * the one core the build waits for, while the workers keep the
	 * cores busy. Without a pool (one core, or no memory for it) items
	 * render one by one on the loop thread, as they would anyway. */
	cores = uv_available_parallelism();
	s->batch = calloc(1, sizeof(*s->batch));
	s->job = calloc(1, sizeof(*s->job));
	if (s->batch == NULL || s->job == NULL || cores < 2 ||
	    pool_new(cores + 1, &s->pool) != 0 || pool_threads(s->pool) < 2) {
		pool_free(s->pool);
		s->pool = NULL;
	}
	if (s->batch != NULL)
		s->batch->s = s;
	if (s->job != NULL)
		s->job->s = s;
	*out = s;
	return 0;
}

int
sched_free(struct sched *s)
{
	struct urun *ur;
	int fatal, i;

	if (s == NULL)
		return 0;
	/* the final commit ran in the runner; a failure there is fatal */
	if (s->pool != NULL)
		pool_wait(s->pool);
	while ((ur = s->units) != NULL) {
		unlink_unit(s, ur);
		free_unit(s, ur);
	}
	if (s->job != NULL)
		keep_units(s, s->job);
	drop_errors(s->batch);
	drop_errors(s->job);
	while ((ur = take_unit(s)) != NULL)
		free_unit(s, ur);
	while ((ur = s->dead) != NULL) {
		s->dead = ur->next_ended;
		free_unit(s, ur);
	}
	for (i = 0; i < POOL_MAX_THREADS; i++) {
		buf_free(&s->scratch[i].sys);
		buf_free(&s->scratch[i].user);
	}
	pool_free(s->pool);
	free(s->batch);
	free(s->job);
	fatal = s->fatal;
	free(s);
	return fatal ? -1 : 0;
}
