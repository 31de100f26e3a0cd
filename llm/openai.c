/* openai.c - the OpenAI-compatible network backend (see openai.h).
 *
 * Every call gets a job (pooled, and small: the response buffer, headers
 * and easy handle belong to the transport's pool of handles, as many as
 * requests on the wire). A job is on exactly one list at a time:
 *   ready    - may be sent as soon as admission allows (FIFO)
 *   delayed  - waiting for its backoff (not_before)
 *   inflight - on the wire
 *   donel    - outcome set, done() not yet called
 *   freel    - idle, call == NULL
 * One "pump" timer does all the work outside curl's callbacks: it calls
 * done() for finished jobs, moves due delayed jobs to ready, and sends
 * ready jobs while admission control says yes. So done() never runs inside
 * submit(), and the scheduler may submit from inside done().
 */
#include "llm/openai.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "llm/admission.h"
#include "base/buf.h"
#include "llm/http.h"
#include "base/jscan.h"
#include "base/json.h"
#include "base/log.h"
#include "base/rng.h"
#include "llm/wire.h"

#define MAX_BODY ((size_t)64 << 20)
#define RID_MAX 159                /* bytes of the X-Request-Id header */
#define WHY_MAX 200                /* bytes of a failure reason */

struct job;

struct jlist {
	struct job *head, *tail;
	unsigned n;
};

#define EP_MAX_SECRETS 16
#define REDACTED "[redacted]"

struct ep {
	char *url;                 /* .../chat/completions */
	struct buf prefix;         /* {"model":"<model>" */
	struct curl_slist *hdrs;   /* shared by all requests of this endpoint */
	struct adm_ep adm;
	double weight, cur;        /* smooth weighted round robin */
	double price_in, price_out;
	enum llm_result dead;      /* LLM_STOP_* once the server refused us */
	struct wire_opts wire;     /* what its server takes (llm/wire.h) */
	char unreach[WHY_MAX];     /* its last connect, DNS or TLS failure
				      * while nothing was reached; "" none */
	/* The secret values (API key, headers from the environment) inside
	 * hdrs' own strings: scrubbed from any server text we keep. */
	const char *secret[EP_MAX_SECRETS];
	size_t nsecret;
};

struct job {
	struct http_req req;       /* req.ud == this job */
	struct ob *b;
	struct llm_call *call;
	struct buf body;           /* the call's body with "model" spliced in */
	int own_model;             /* the body names its model: send as is */
	struct buf wire;           /* the body as the endpoint's profile
				      takes it, when that differs */
	struct curl_slist rid;     /* "X-Request-Id: <id>", then ep->hdrs */
	struct buf rid_text;       /* its text, at most RID_MAX bytes */
	struct ep *ep;             /* where the current attempt went */
	struct adm_ticket ticket;
	double resv_tok, resv_cost;
	uint64_t not_before;       /* ms, while delayed */
	unsigned n429;             /* 429 answers so far (own bound) */
	char *why;                 /* reason of the last failed attempt
				      (malloc'd; NULL while none) */
	struct jlist *on;
	struct job *prev, *next;
};

struct ob {
	struct backend base;
	struct http_client *http;
	struct ep *eps;
	size_t n_eps;
	struct adm_budget budget;
	unsigned max_attempts, max_429;
	size_t max_response;       /* response cap, for messages */
	uint64_t base_delay, max_delay, down_limit;
	uint64_t unreachable_ms;   /* start window (engine.unreachable_ms) */
	uint64_t start_ms;         /* first send, 0 before it */
	int reached;               /* some endpoint answered over HTTP */
	struct jlist ready, delayed, inflight, donel, freel;
	uv_timer_t pump, grace;
	uint64_t pump_at;          /* ms the pump is due, UINT64_MAX if idle */
	struct rng rng;
	enum llm_result stop;      /* 0 or LLM_STOP_* */
	int draining, closed, open_handles;
	struct llm_stats st;
};

static const struct backend_ops openai_ops;
static void pump_cb(uv_timer_t *t);

/* ---- lists ---- */

static void
jl_remove(struct job *j)
{
	struct jlist *l = j->on;

	if (l == NULL)
		return;
	if (j->prev != NULL)
		j->prev->next = j->next;
	else
		l->head = j->next;
	if (j->next != NULL)
		j->next->prev = j->prev;
	else
		l->tail = j->prev;
	l->n--;
	j->on = NULL;
	j->prev = j->next = NULL;
}

static void
jl_push(struct jlist *l, struct job *j, int front)
{
	jl_remove(j);
	j->on = l;
	if (front) {
		j->next = l->head;
		if (l->head != NULL)
			l->head->prev = j;
		else
			l->tail = j;
		l->head = j;
	} else {
		j->prev = l->tail;
		if (l->tail != NULL)
			l->tail->next = j;
		else
			l->head = j;
		l->tail = j;
	}
	l->n++;
}

/* ---- completion ---- */

/* Start (or pull in) the pump so it runs within `delay` ms. */
static void
kick(struct ob *b, uint64_t delay)
{
	uint64_t at = uv_now(b->base.loop) + delay;

	if (b->closed || b->pump_at <= at)
		return;
	b->pump_at = at;
	uv_timer_start(&b->pump, pump_cb, delay, 0);
}

/* Set the call's outcome and queue done(). The error text is malloc'd
 * (a failed malloc leaves error NULL; the result still tells). */
static void
finish(struct job *j, enum llm_result r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
finish(struct job *j, enum llm_result r, const char *fmt, ...)
{
	struct ob *b = j->b;
	char msg[400];
	va_list ap;

	j->call->result = r;
	if (fmt != NULL) {
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		free(j->call->error);
		j->call->error = strdup(msg);
	}
	if (r == LLM_OK)
		b->st.done++;
	else if (r == LLM_FAILED)
		b->st.failed++;
	else
		b->st.abandoned++;
	jl_push(&b->donel, j, 0);
	kick(b, 0);
}

/* Call done() for every finished job; done() may submit, drain or close. */
static void
flush_done(struct ob *b)
{
	struct llm_call *call;
	struct job *j;

	while ((j = b->donel.head) != NULL) {
		call = j->call;
		j->call = NULL;
		call->priv = NULL;
		jl_push(&b->freel, j, 0);
		call->done(call);
	}
}

/* Complete every queued (not in flight) call with `r`. */
static void
abandon_queued(struct ob *b, enum llm_result r, const char *why)
{
	while (b->ready.head != NULL)
		finish(b->ready.head, r, "%s", why);
	while (b->delayed.head != NULL)
		finish(b->delayed.head, r, "%s", why);
}

static const char *
stop_text(enum llm_result r)
{
	switch (r) {
	case LLM_STOP_BUDGET: return "budget reached";
	case LLM_STOP_QUOTA: return "quota exhausted";
	case LLM_STOP_AUTH: return "authentication failed";
	case LLM_STOP_UNREACHABLE: return "no endpoint could be reached";
	default: return "run stopping";
	}
}

/* What a call left over by a stop completes with: the stops that no
 * answer brings back (budget, unreachable) hand the reason to the
 * caller; after the others the answer that caused them did. */
static enum llm_result
stop_result(enum llm_result r)
{
	return r == LLM_STOP_BUDGET || r == LLM_STOP_UNREACHABLE ? r
	       : LLM_ABANDONED;
}

/* Stop the run for good: queued calls are refused (budget) or abandoned;
 * calls in flight finish, but are not retried. */
static void
stop_run(struct ob *b, enum llm_result r)
{
	char why[96];

	if (b->stop != 0)
		return;
	b->stop = r;
	log_error("openai backend: stopping: %s", stop_text(r));
	snprintf(why, sizeof(why), "not sent: %s", stop_text(r));
	abandon_queued(b, stop_result(r), why);
}

/* ---- sending ---- */

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* 1 if the JSON object text p[0..n) has a top-level member "model" (a
 * structural scan; the text is the caller's and is not validated here). */
static int
body_has_model(const char *p, size_t n)
{
	static const char *const key[] = { "model" };
	struct jspan v;

	jscan_object(p, n, key, 1, &v);
	return v.p != NULL;
}

/* The body to send: the call's own when it names its model, else the
 * call's body with the endpoint's "model" spliced in after the brace. */
static int
body_splice(struct job *j, const struct ep *e)
{
	const char *p = j->call->body, *end = p + j->call->body_len;

	while (p < end && is_space(*p))
		p++;
	if (p == end || *p != '{')
		return -1;
	if (j->own_model) {
		j->req.body = j->call->body;
		j->req.body_len = j->call->body_len;
		return 0;
	}
	p++;
	while (p < end && is_space(*p))
		p++;
	buf_reset(&j->body);
	if (buf_append(&j->body, e->prefix.data, e->prefix.len) != 0)
		return -1;
	if (p < end && *p != '}' && buf_putc(&j->body, ',') != 0)
		return -1;
	if (buf_append(&j->body, p, (size_t)(end - p)) != 0)
		return -1;
	j->req.body = j->body.data;
	j->req.body_len = j->body.len;
	return 0;
}

/* The spliced body in the form the endpoint's server takes (wire.h). */
static int
body_build(struct job *j, const struct ep *e)
{
	int rc;

	if (body_splice(j, e) != 0)
		return -1;
	rc = wire_body(&e->wire, j->req.body, j->req.body_len, &j->wire);
	if (rc == 0) {
		j->req.body = j->wire.data;
		j->req.body_len = j->wire.len;
	}
	return rc < 0 ? -1 : 0;
}

/* "X-Request-Id: <call id>" (printable ASCII only, bounded), so a server
 * can tell the attempts of one item from another item. Empty if no id. */
static void
rid_set(struct job *j)
{
	const char *id = j->call->id;
	struct buf *t = &j->rid_text;
	size_t n;

	j->rid.data = NULL;
	buf_reset(t);
	if (buf_puts(t, "X-Request-Id: ") != 0)
		return;
	n = t->len;
	for (; id != NULL && *id != '\0'; id++)
		if (*id > ' ' && *id < 0x7f && buf_putc(t, *id) != 0)
			break;
	if (t->len > n)
		j->rid.data = t->data;
}

/* The header list of an attempt: the request id, then the endpoint's. */
static const struct curl_slist *
headers_for(struct job *j, const struct ep *e)
{
	if (j->rid.data == NULL)
		return e->hdrs;
	j->rid.next = e->hdrs;
	return &j->rid;
}

/* Keep the reason of the failed attempt (a failed malloc keeps none). */
static void
why_printf(struct job *j, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Replace every secret of the endpoint in msg (NUL-terminated) with
 * REDACTED: some gateways echo the credentials they
 * refused, and a reason ends up in logs, the journal and outputs. */
static void
scrub(const struct ep *e, char *msg)
{
	size_t i, k, rl = strlen(REDACTED);
	char *p;

	for (i = 0; e != NULL && i < e->nsecret; i++) {
		k = strlen(e->secret[i]);
		while ((p = strstr(msg, e->secret[i])) != NULL) {
			if (rl <= k) {
				memcpy(p, REDACTED, rl);
				memmove(p + rl, p + k, strlen(p + k) + 1);
			} else {
				p[0] = '\0';   /* cannot grow in place: cut */
			}
		}
	}
}

static void
why_printf(struct job *j, const char *fmt, ...)
{
	char msg[WHY_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	scrub(j->ep, msg);
	free(j->why);
	j->why = strdup(msg);
}

static const char *
why_of(const struct job *j)
{
	return j->why != NULL ? j->why : "request failed";
}

static void retry(struct job *j, uint64_t min_delay);

static void
send_job(struct ob *b, struct job *j, struct ep *e, uint64_t now)
{
	struct llm_call *c = j->call;

	if (body_build(j, e) != 0) {
		finish(j, LLM_FAILED, "request body is not a JSON object "
		       "(or is over %zu bytes)", (size_t)MAX_BODY);
		return;
	}
	adm_ep_sent(&e->adm, c->est_prompt_tokens, c->max_tokens, now,
		    &j->ticket);
	j->resv_tok = (double)c->est_prompt_tokens + c->max_tokens;
	j->resv_cost = adm_cost(c->est_prompt_tokens, c->max_tokens,
				e->price_in, e->price_out);
	adm_budget_reserve(&b->budget, j->resv_tok, j->resv_cost);
	j->ep = e;
	if (b->start_ms == 0)
		b->start_ms = now > 0 ? now : 1;
	if (c->attempts++ > 0)
		b->st.retries++;
	b->st.sent++;
	j->req.url = e->url;
	j->req.headers = headers_for(j, e);
	jl_push(&b->inflight, j, 0);
	if (http_req_send(&j->req) != 0) {
		jl_remove(j);
		adm_budget_settle(&b->budget, j->resv_tok, j->resv_cost, 0, 0);
		e->adm.inflight--;
		why_printf(j, "could not start a transfer");
		retry(j, 0);
	}
}

/* Smooth weighted round robin over the endpoints admissible now. *wait
 * gets the shortest wait of the others. */
static struct ep *
pick(struct ob *b, const struct llm_call *c, uint64_t now, uint64_t *wait)
{
	struct ep *best = NULL, *e;
	double total = 0;
	uint64_t w;
	size_t i;

	*wait = UINT64_MAX;
	for (i = 0; i < b->n_eps; i++) {
		e = &b->eps[i];
		if (e->dead != 0)
			continue;
		w = adm_ep_wait(&e->adm, c->est_prompt_tokens, c->max_tokens,
				now);
		if (w > 0) {
			if (w < *wait)
				*wait = w;
			continue;
		}
		e->cur += e->weight;
		total += e->weight;
		if (best == NULL || e->cur > best->cur)
			best = e;
	}
	if (best != NULL)
		best->cur -= total;
	return best;
}

/* 1 if every live endpoint has been unreachable for over down_limit. */
static int
all_down(struct ob *b, uint64_t now)
{
	size_t i;

	for (i = 0; i < b->n_eps; i++) {
		const struct adm_ep *a = &b->eps[i].adm;

		if (b->eps[i].dead != 0)
			continue;
		if (a->breaker == ADM_CLOSED || a->fails == 0 ||
		    now - a->down_since < b->down_limit)
			return 0;
	}
	return 1;
}

/* Move delayed jobs whose time has come to the front of ready, in order;
 * returns the earliest not_before of those still waiting. */
static uint64_t
promote(struct ob *b, uint64_t now)
{
	struct job *j, *next, *first = NULL;
	uint64_t next_at = UINT64_MAX;

	for (j = b->delayed.head; j != NULL; j = next) {
		next = j->next;
		if (j->not_before > now) {
			if (j->not_before < next_at)
				next_at = j->not_before;
			continue;
		}
		if (first == NULL) {
			jl_push(&b->ready, j, 1);
		} else {
			jl_remove(j);
			j->on = &b->ready;
			j->prev = first;
			j->next = first->next;
			if (first->next != NULL)
				first->next->prev = j;
			else
				b->ready.tail = j;
			first->next = j;
			b->ready.n++;
		}
		first = j;
	}
	return next_at;
}

/* May the head job go within the budget? Stops the run when it can never
 * fit (nothing in flight could give room back). */
static int
budget_ok(struct ob *b, struct job *j, const struct ep *e)
{
	const struct llm_call *c = j->call;
	double tok = (double)c->est_prompt_tokens + c->max_tokens;
	double cost = adm_cost(c->est_prompt_tokens, c->max_tokens,
			       e->price_in, e->price_out);

	if (adm_budget_fits(&b->budget, tok, cost))
		return 1;
	if (b->inflight.n == 0)
		stop_run(b, LLM_STOP_BUDGET);
	return 0;
}

/* Send ready jobs while admission allows; returns the ms until it is
 * worth trying again (UINT64_MAX: when an answer arrives). */
static uint64_t
dispatch(struct ob *b, uint64_t now)
{
	struct job *j;
	struct ep *e;
	uint64_t wait = UINT64_MAX;

	while ((j = b->ready.head) != NULL && b->stop == 0 && !b->draining) {
		e = pick(b, j->call, now, &wait);
		if (e == NULL) {
			if (!b->reached || !all_down(b, now))
				break;
			finish(j, LLM_FAILED, "%s; server unreachable for "
			       "%llu s", j->why ? j->why : "could not connect",
			       (unsigned long long)(b->down_limit / 1000));
			continue;
		}
		if (!budget_ok(b, j, e))
			return UINT64_MAX;
		send_job(b, j, e, now);
	}
	return b->ready.head != NULL ? wait : UINT64_MAX;
}

/* When the start window ends (UINT64_MAX: it does not apply). */
static uint64_t
reach_deadline(const struct ob *b)
{
	if (b->reached || b->start_ms == 0 || b->stop != 0)
		return UINT64_MAX;
	return b->start_ms + b->unreachable_ms;
}

/* Nothing was ever reached, every live endpoint failed to connect, and
 * the start window is over: name each endpoint and its error, and stop
 * (calls come back LLM_STOP_UNREACHABLE; nothing is recorded failed). */
static void
check_unreachable(struct ob *b, uint64_t now)
{
	size_t i;

	if (now < reach_deadline(b))
		return;
	for (i = 0; i < b->n_eps; i++)
		if (b->eps[i].dead == 0 && b->eps[i].unreach[0] == '\0')
			return;
	for (i = 0; i < b->n_eps; i++)
		if (b->eps[i].dead == 0)
			log_error("endpoint %s: unreachable: %s", b->eps[i].url,
				  b->eps[i].unreach);
	stop_run(b, LLM_STOP_UNREACHABLE);
}

static void
pump_cb(uv_timer_t *t)
{
	struct ob *b = t->data;
	uint64_t now, at, wait;

	b->pump_at = UINT64_MAX;
	flush_done(b);
	if (b->closed)
		return;
	now = uv_now(b->base.loop);
	check_unreachable(b, now);
	at = promote(b, now);
	wait = dispatch(b, now);
	flush_done(b);
	if (b->closed)
		return;
	if (wait != UINT64_MAX && now + wait < at)
		at = now + wait;
	/* A deadline already past waits for the next connect failure
	 * (note_reach kicks the pump): a timer re-armed at 0 from its own
	 * callback would run again before the loop polls, forever. */
	if (reach_deadline(b) > now && reach_deadline(b) < at)
		at = reach_deadline(b);
	if (at != UINT64_MAX)
		kick(b, at > now ? at - now : 0);
}

/* ---- answers ---- */

/* Copy a JSON string or number member into out ("" if neither). */
static void
member_text(const cJSON *obj, const char *key, char *out, size_t n)
{
	const cJSON *it = json_get(obj, key);

	out[0] = '\0';
	if (cJSON_IsString(it))
		snprintf(out, n, "%s", it->valuestring);
	else if (cJSON_IsNumber(it))
		snprintf(out, n, "%g", it->valuedouble);
}
/* A token count from the server, 0 unless finite and in range: a
 * negative or absurd count must not reach the budget or the journal. */
static uint32_t
count_of(double d)
{
	if (!(d >= 0) || d > (double)UINT32_MAX)
		return 0;
	return (uint32_t)d;
}


/* Fill the call from a 2xx reply. Returns 1 if it is a usable reply. */
static int
reply_read(struct llm_call *c, const cJSON *root)
{
	const cJSON *ch = cJSON_GetArrayItem(json_get(root, "choices"), 0);
	const cJSON *msg = json_get(ch, "message");
	const cJSON *usage = json_get(root, "usage");
	const char *text;

	if (!cJSON_IsObject(msg))
		return 0;
	text = json_get_str(msg, "content", NULL);
	c->refused = text == NULL &&
		     json_get_str(msg, "refusal", NULL) != NULL;
	if (text == NULL)
		text = json_get_str(msg, "refusal", "");
	free(c->content);
	c->content = strdup(text);
	if (c->content == NULL)
		return 0;
	c->content_len = strlen(text);
	member_text(ch, "finish_reason", c->finish_reason,
		    sizeof(c->finish_reason));
	member_text(root, "model", c->model, sizeof(c->model));
	c->prompt_tokens = count_of(json_get_num(usage, "prompt_tokens", 0));
	c->completion_tokens =
		count_of(json_get_num(usage, "completion_tokens", 0));
	return 1;
}

/* Copy a plain string or number member's bytes into out ("" if absent or
 * null). Returns -1 when only the parser can say (escapes, other types). */
static int
span_text(const struct jspan *v, char *out, size_t n)
{
	size_t k;

	out[0] = '\0';
	if (v->p == NULL || (v->n == 4 && memcmp(v->p, "null", 4) == 0))
		return 0;
	if (!jscan_plain_string(v))
		return -1;
	k = v->n - 2 < n - 1 ? v->n - 2 : n - 1;
	memcpy(out, v->p + 1, k);
	out[k] = '\0';
	return 0;
}

/* A usage count: the member's number, 0 when absent. */
static uint32_t
span_count(const struct jspan *v)
{
	char *e;

	if (v->p == NULL || strchr("-0123456789", v->p[0]) == NULL)
		return 0;
	return count_of(strtod(v->p, &e));
}

/* Fill the call from a 2xx reply the cheap way: a strict check and a
 * scan, no tree. Returns 1 or 0 as reply_read, or -1 when the reply
 * takes the parser to tell (then nothing is set). */
static int
reply_scan(struct llm_call *c, const char *text, size_t len)
{
	static const char *const top[] = { "choices", "model", "usage" };
	static const char *const choice[] = { "message", "finish_reason" };
	static const char *const message[] = { "content", "refusal" };
	static const char *const usage[] = { "prompt_tokens",
		"completion_tokens" };
	struct jspan t[3], ch[2], m[2], u[2], first;
	char finish[sizeof(c->finish_reason)], model[sizeof(c->model)];
	size_t n = 0;
	char *content;

	if (!jscan_valid(text, len) || jscan_object(text, len, top, 3, t) ||
	    t[0].p == NULL || jscan_first(&t[0], &first) != 0 ||
	    jscan_object(first.p, first.n, choice, 2, ch) != 0 ||
	    ch[0].p == NULL || jscan_object(ch[0].p, ch[0].n, message, 2, m) ||
	    (t[2].p != NULL && jscan_object(t[2].p, t[2].n, usage, 2, u)) ||
	    span_text(&ch[1], finish, sizeof(finish)) != 0 ||
	    span_text(&t[1], model, sizeof(model)) != 0)
		return -1;
	if (t[2].p == NULL)
		memset(u, 0, sizeof(u));
	c->refused = 0;
	if (m[0].p != NULL && m[0].p[0] == '"')
		content = jscan_string(&m[0], &n);
	else if (m[1].p != NULL && m[1].p[0] == '"')
		content = jscan_string(&m[1], &n), c->refused = 1;
	else
		content = strdup("");
	if (content == NULL)
		return -1;
	free(c->content);
	c->content = content;
	c->content_len = n;
	memcpy(c->finish_reason, finish, sizeof(finish));
	memcpy(c->model, model, sizeof(model));
	c->prompt_tokens = span_count(&u[0]);
	c->completion_tokens = span_count(&u[1]);
	return 1;
}

/* What an answer says, gathered before classifying it. */
struct answer {
	enum adm_net net;
	int body_ok;
	char type[64], code[64], msg[160];
};

/* Read error.type/code/message of an error body ("error" may also be a
 * plain string). */
static void
error_read(struct answer *a, const cJSON *root)
{
	const cJSON *err = json_get(root, "error");

	if (cJSON_IsString(err)) {
		snprintf(a->msg, sizeof(a->msg), "%s", err->valuestring);
		return;
	}
	member_text(err, "type", a->type, sizeof(a->type));
	member_text(err, "code", a->code, sizeof(a->code));
	member_text(err, "message", a->msg, sizeof(a->msg));
}

static void
answer_read(struct job *j, struct answer *a)
{
	const struct http_req *r = &j->req;
	cJSON *root = NULL;

	memset(a, 0, sizeof(*a));
	a->net = http_req_net(r);
	if (a->net != ADM_NET_OK)
		return;
	if (r->status >= 200 && r->status < 300 &&
	    (a->body_ok = reply_scan(j->call, r->resp, r->resp_len)) >= 0)
		return;
	a->body_ok = 0;
	if (json_parse(r->resp, r->resp_len, &root,
		       NULL) != 0)
		return;
	if (r->status >= 200 && r->status < 300)
		a->body_ok = reply_read(j->call, root);
	else
		error_read(a, root);
	cJSON_Delete(root);
}

/* One line saying why an attempt failed, kept in j->why. */
static void
why_set(struct job *j, const struct answer *a)
{
	const struct http_req *r = &j->req;

	if (a->net == ADM_NET_TOO_BIG)
		why_printf(j, "response too large (over %zu bytes)",
			   j->b->max_response);
	else if (a->net == ADM_NET_TIMEOUT)
		why_printf(j, "timeout");
	else if (a->net != ADM_NET_OK)
		why_printf(j, "%.190s", r->errbuf[0] ? r->errbuf :
			   curl_easy_strerror(r->result));
	else if (r->status >= 200 && r->status < 300)
		why_printf(j, "HTTP %ld with an unusable body", r->status);
	else
		why_printf(j, "HTTP %ld%s%s", r->status, a->msg[0] ? ": " : "",
			   a->msg);
}

/* Back off and queue again, or give up with the last reason. */
static void
retry(struct job *j, uint64_t min_delay)
{
	struct ob *b = j->b;
	unsigned tries = j->call->attempts - j->n429;
	uint64_t d;

	if (b->stop != 0 || b->draining) {
		finish(j, b->draining ? LLM_ABANDONED : stop_result(b->stop),
		       "%s; not retried: %s", why_of(j), stop_text(b->stop));
		return;
	}
	/* Before any endpoint answered, the start window decides, not the
	 * attempts: nothing is recorded failed for a server that is down. */
	if ((b->reached || j->ep->unreach[0] == '\0') &&
	    (tries >= b->max_attempts || j->n429 >= b->max_429)) {
		finish(j, LLM_FAILED, "%s after %u attempts", why_of(j),
		       j->call->attempts);
		return;
	}
	d = adm_backoff_ms(tries > 0 ? tries : 1, b->base_delay, b->max_delay,
			   rng_uniform(&b->rng));
	if (d < min_delay)
		d = min_delay;
	j->not_before = uv_now(b->base.loop) + d;
	jl_push(&b->delayed, j, 0);
	log_item(PF_LOG_DEBUG, j->call->id, "call %s: %s; retry in %llu ms",
		 j->call->id ? j->call->id : "?", why_of(j),
		 (unsigned long long)d);
}

/* Delay before retrying a 429: Retry-After, else the request bucket's
 * reset when the server says nothing is left, else backoff. */
static uint64_t
wait_429(struct job *j)
{
	const struct adm_hdrs *h = j->req.hdrs;
	int64_t ra = adm_retry_after_ms(h, (int64_t)time(NULL));
	uint64_t ms;

	if (ra >= 0)
		return (uint64_t)ra;
	if (strcmp(h->v[ADM_H_REMAIN_REQ], "0") == 0 &&
	    adm_duration_parse(h->v[ADM_H_RESET_REQ], &ms) == 0)
		return ms < (uint64_t)ADM_WAIT_CAP_MS ? ms
		       : (uint64_t)ADM_WAIT_CAP_MS;
	return 0;
}

/* The server refused this endpoint for good (quota or key). Others may
 * still serve; with none left, the run stops. */
static void
endpoint_refused(struct job *j, enum llm_result r)
{
	struct ob *b = j->b;
	size_t i;

	if (j->ep->dead == 0)
		log_error("endpoint %s: %s (%s)", j->ep->url, stop_text(r),
			  why_of(j));
	j->ep->dead = r;
	for (i = 0; i < b->n_eps; i++)
		if (b->eps[i].dead == 0 && b->stop == 0) {
			jl_push(&b->ready, j, 1);
			return;
		}
	if (b->stop == 0)
		stop_run(b, r);
	finish(j, r, "%s: %s", stop_text(r), why_of(j));
}

static void
account(struct ob *b, struct job *j, const struct answer *a,
	enum adm_class cls, uint64_t now)
{
	const struct llm_call *c = j->call;
	double in = cls == ADM_C_OK ? c->prompt_tokens : 0;
	double out = cls == ADM_C_OK ? c->completion_tokens : 0;
	double cost;

	/* A server that reports no usage still spent tokens: charge the
	 * estimate, so budgets hold against such servers too. */
	if (cls == ADM_C_OK && in == 0 && out == 0) {
		in = c->est_prompt_tokens;
		out = (double)(c->content_len / 4 + 1);
	}
	cost = adm_cost(in, out, j->ep->price_in, j->ep->price_out);
	struct adm_answer aa = {
		.c = cls, .net = a->net, .in_used = in, .out_used = out,
		.h = j->req.hdrs, .wall_s = (int64_t)time(NULL),
	};

	adm_ep_answer(&j->ep->adm, &j->ticket, &aa, now);
	adm_budget_settle(&b->budget, j->resv_tok, j->resv_cost, in + out,
			  cost);
	b->st.tokens_in += (uint64_t)in;
	b->st.tokens_out += (uint64_t)out;
	b->st.cost += cost;
	if (cls == ADM_C_WAIT)
		b->st.rate_limited++;
}

/* 1 if the attempt never reached the server: connection refused, DNS or
 * TLS failure. */
static int
connect_failed(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CACERT_BADFILE:
		return 1;
	default:
		return 0;
	}
}

/* Keep what the start window needs: an HTTP answer from anywhere ends
 * it; a connect failure is remembered per endpoint. */
static void
note_reach(struct job *j, const struct answer *a)
{
	struct ob *b = j->b;
	const struct http_req *r = &j->req;

	if (a->net == ADM_NET_OK) {
		b->reached = 1;
		return;
	}
	if (b->reached || !connect_failed(r->result))
		return;
	snprintf(j->ep->unreach, sizeof(j->ep->unreach), "%.190s",
		 r->errbuf && r->errbuf[0] ? r->errbuf
		 : curl_easy_strerror(r->result));
	scrub(j->ep, j->ep->unreach);
	kick(b, 0);
}

static void
http_done(struct http_req *r)
{
	struct job *j = r->ud;
	struct ob *b = j->b;
	uint64_t now = uv_now(b->base.loop);
	struct answer a;
	enum adm_class cls;

	jl_remove(j);
	answer_read(j, &a);
	note_reach(j, &a);
	cls = adm_classify(a.net, r->status, a.type, a.code, a.body_ok);
	account(b, j, &a, cls, now);
	if (cls != ADM_C_OK)
		why_set(j, &a);
	kick(b, 0);
	switch (cls) {
	case ADM_C_OK:
		finish(j, LLM_OK, NULL);
		break;
	case ADM_C_WAIT:
		j->n429++;
		retry(j, wait_429(j));
		break;
	case ADM_C_RETRY:
		retry(j, 0);
		break;
	case ADM_C_FAIL:
		finish(j, LLM_FAILED, "%s", why_of(j));
		break;
	case ADM_C_STOP_QUOTA:
		endpoint_refused(j, LLM_STOP_QUOTA);
		break;
	case ADM_C_STOP_AUTH:
		endpoint_refused(j, LLM_STOP_AUTH);
		break;
	}
}

/* ---- backend ops ---- */

static struct job *
job_get(struct ob *b)
{
	struct job *j = b->freel.head;

	if (j != NULL) {
		jl_remove(j);
		return j;
	}
	j = calloc(1, sizeof(*j));
	if (j == NULL)
		return NULL;
	http_req_init(&j->req, b->http);
	j->req.done = http_done;
	j->req.ud = j;
	j->b = b;
	buf_init(&j->body, MAX_BODY);
	buf_init(&j->wire, MAX_BODY);
	buf_init(&j->rid_text, RID_MAX);
	return j;
}

static int
ob_submit(struct backend *base, struct llm_call *call)
{
	struct ob *b = (struct ob *)base;
	struct job *j;

	if (b->closed || (j = job_get(b)) == NULL)
		return -1;
	j->call = call;
	j->n429 = 0;
	free(j->why);
	j->why = NULL;
	j->own_model = call->body != NULL &&
		       body_has_model(call->body, call->body_len);
	rid_set(j);
	call->priv = j;
	call->attempts = 0;
	call->result = LLM_OK;
	if (b->stop != 0)
		finish(j, stop_result(b->stop), "not sent: %s",
		       stop_text(b->stop));
	else if (b->draining)
		finish(j, LLM_ABANDONED, "not sent: draining");
	else if (call->body == NULL || call->done == NULL)
		finish(j, LLM_FAILED, "no request body");
	else
		jl_push(&b->ready, j, 0);
	kick(b, 0);
	return 0;
}

/* Calls queued beyond the concurrency caps: a quarter of the caps (and a
 * few) is enough to refill every slot an answer frees at once, while
 * each queued job is memory the run holds for nothing. */
static unsigned
ob_capacity(struct backend *base)
{
	struct ob *b = (struct ob *)base;
	unsigned window = 4, used;
	size_t i;

	if (b->stop != 0 || b->draining || b->closed)
		return 0;
	for (i = 0; i < b->n_eps; i++)
		if (b->eps[i].dead == 0)
			window += b->eps[i].adm.cap + b->eps[i].adm.cap / 4;
	used = b->ready.n + b->delayed.n + b->inflight.n + b->donel.n;
	return window > used ? window - used : 0;
}

/* Abandon everything on the wire now. */
static void
cancel_inflight(struct ob *b)
{
	struct job *j;

	while ((j = b->inflight.head) != NULL) {
		http_req_cancel(&j->req);
		j->ep->adm.inflight--;
		adm_budget_settle(&b->budget, j->resv_tok, j->resv_cost, 0, 0);
		finish(j, LLM_ABANDONED, "abandoned: in flight when the run "
		       "stopped");
	}
}

static void
grace_cb(uv_timer_t *t)
{
	cancel_inflight(t->data);
}

static void
ob_drain(struct backend *base, uint64_t grace_ms)
{
	struct ob *b = (struct ob *)base;

	if (b->closed)
		return;
	if (!b->draining)
		abandon_queued(b, LLM_ABANDONED, "not sent: draining");
	b->draining = 1;
	uv_timer_start(&b->grace, grace_cb, grace_ms, 0);
	kick(b, 0);
}

static enum llm_result
ob_stopped(struct backend *base)
{
	return ((struct ob *)base)->stop;
}

static void ob_free(struct ob *b);

static void
handle_closed(uv_handle_t *h)
{
	struct ob *b = h->data;

	if (--b->open_handles == 0)
		ob_free(b);
}

static void
http_closed(void *arg)
{
	struct ob *b = arg;

	if (--b->open_handles == 0)
		ob_free(b);
}

static void
ob_close(struct backend *base)
{
	struct ob *b = (struct ob *)base;
	struct job *j;

	if (b == NULL || b->closed)
		return;
	b->closed = 1;     /* from here submit() refuses and kick() is off */
	abandon_queued(b, LLM_ABANDONED, "not sent: backend closed");
	cancel_inflight(b);
	flush_done(b);
	while ((j = b->freel.head) != NULL) {
		jl_remove(j);
		http_req_free(&j->req);
		buf_free(&j->body);
		buf_free(&j->wire);
		buf_free(&j->rid_text);
		free(j->why);
		free(j);
	}
	b->open_handles = 3;
	uv_close((uv_handle_t *)&b->pump, handle_closed);
	uv_close((uv_handle_t *)&b->grace, handle_closed);
	http_client_close(b->http, http_closed, b);
}

static void
ob_free(struct ob *b)
{
	size_t i;

	for (i = 0; i < b->n_eps; i++) {
		free(b->eps[i].url);
		buf_free(&b->eps[i].prefix);
		curl_slist_free_all(b->eps[i].hdrs);
	}
	free(b->eps);
	free(b);
}

static const struct backend_ops openai_ops = {
	.name = "openai",
	.submit = ob_submit,
	.capacity = ob_capacity,
	.drain = ob_drain,
	.stopped = ob_stopped,
	.stats = openai_backend_stats,
	.close = ob_close,
};

void
openai_backend_stats(struct backend *base, struct llm_stats *out)
{
	struct ob *b = (struct ob *)base;
	size_t i;

	*out = b->st;
	out->in_flight = b->inflight.n;
	out->queued = b->ready.n + b->delayed.n;
	out->concurrency = 0;
	out->rpm_limit = 0;
	for (i = 0; i < b->n_eps; i++) {
		out->concurrency += (unsigned)b->eps[i].adm.limit;
		out->rpm_limit += b->eps[i].adm.b[ADM_REQ].rate * 60000.0;
	}
}

/* ---- construction ---- */

/* Append "Name: value" to a header list; the text is wiped after curl
 * copied it, so a secret lives only in the list. */
static int
header_add(struct curl_slist **l, const char *name, const char *value)
{
	struct curl_slist *n;
	struct buf t;

	buf_init(&t, 16384);
	/* "Name:" with nothing after the colon removes curl's own header */
	if (buf_printf(&t, value[0] ? "%s: %s" : "%s:", name, value) != 0) {
		buf_free(&t);
		return -1;
	}
	n = curl_slist_append(*l, t.data);
	explicit_bzero(t.data, t.len);
	buf_free(&t);
	if (n == NULL)
		return -1;
	*l = n;
	return 0;
}

/* Value of environment variable `var`, or an error naming it. */
static const char *
env_need(const char *var, size_t idx, const char *what, struct pf_error *err)
{
	const char *v = getenv(var);

	if (v == NULL || v[0] == '\0') {
		snprintf(err->where, sizeof(err->where), "$.endpoints[%zu].%s",
			 idx, what);
		pf_error_set(err, "environment variable %s is not set", var);
		return NULL;
	}
	if (strpbrk(v, "\r\n") != NULL) {
		snprintf(err->where, sizeof(err->where), "$.endpoints[%zu].%s",
			 idx, what);
		pf_error_set(err, "environment variable %s holds a line break",
			     var);
		return NULL;
	}
	return v;
}

/* Remember where the value of the header just appended starts (after
 * `prefix`, or after "Name: "); secrets shorter than 4 bytes are not
 * worth scrubbing (they would match everywhere). */
static void
secret_note(struct ep *e, const char *prefix)
{
	struct curl_slist *n = e->hdrs;
	const char *v;

	while (n != NULL && n->next != NULL)
		n = n->next;
	if (n == NULL || e->nsecret == EP_MAX_SECRETS)
		return;
	if (prefix != NULL)
		v = n->data + strlen(prefix);
	else if ((v = strstr(n->data, ": ")) != NULL)
		v += 2;
	if (v != NULL && strlen(v) >= 4)
		e->secret[e->nsecret++] = v;
}

static int
headers_build(struct ep *e, const struct endpoint_cfg *c, size_t idx,
	      struct pf_error *err)
{
	const char *v;
	struct buf t;
	size_t i;
	int rc;

	if (header_add(&e->hdrs, "Content-Type", "application/json") ||
	    header_add(&e->hdrs, "Accept", "application/json") ||
	    header_add(&e->hdrs, "Expect", ""))
		return pf_error_set(err, "out of memory");
	if (c->api_key_env != NULL) {
		if ((v = env_need(c->api_key_env, idx, "api_key_env", err)) == NULL)
			return -1;
		buf_init(&t, 16384);
		rc = buf_puts(&t, "Bearer ") || buf_puts(&t, v) ||
		     header_add(&e->hdrs, "Authorization", t.data);
		if (t.data != NULL)
			explicit_bzero(t.data, t.len);
		buf_free(&t);
		if (rc != 0)
			return pf_error_set(err, "API key too long");
		secret_note(e, "Authorization: Bearer ");
	}
	for (i = 0; i < c->n_headers; i++) {
		v = c->headers[i].value;
		if (v == NULL && (v = env_need(c->headers[i].env, idx,
					       "headers", err)) == NULL)
			return -1;
		if (header_add(&e->hdrs, c->headers[i].name, v) != 0)
			return pf_error_set(err, "header %s too long",
					    c->headers[i].name);
		if (c->headers[i].value == NULL)
			secret_note(e, NULL);
	}
	return 0;
}

static int
ep_init(struct ep *e, const struct engine_config *cfg, size_t idx,
	uint64_t now, struct pf_error *err)
{
	const struct endpoint_cfg *c = &cfg->endpoints[idx];
	const char *tail = "/chat/completions";
	size_t n = strlen(c->base_url);
	struct buf u;

	while (n > 0 && c->base_url[n - 1] == '/')
		n--;
	buf_init(&u, 8192);
	buf_init(&e->prefix, 4096);
	if (buf_append(&u, c->base_url, n) != 0 ||
	    (!(n >= strlen(tail) && strncmp(c->base_url + n - strlen(tail),
					      tail, strlen(tail)) == 0) &&
	     buf_puts(&u, tail) != 0) ||
	    buf_puts(&e->prefix, "{\"model\":") != 0 ||
	    json_quote(&e->prefix, c->model, strlen(c->model)) != 0) {
		buf_free(&u);
		return pf_error_set(err, "endpoint %zu: URL or model too long",
				    idx);
	}
	e->url = buf_detach(&u);
	e->weight = c->weight > 0 ? c->weight : 1;
	e->price_in = c->price_in;
	e->price_out = c->price_out;
	e->wire = c->wire;
	wire_opts_resolve(&e->wire, &cfg->wire);
	adm_ep_init(&e->adm, c->rpm, c->input_tpm, c->output_tpm,
		    c->concurrency, cfg->min_concurrency, now);
	if (e->url == NULL)
		return pf_error_set(err, "out of memory");
	return headers_build(e, c, idx, err);
}

static void
ob_settings(struct ob *b, const struct engine_config *cfg)
{
	b->budget.max_tokens = cfg->max_tokens;
	b->budget.max_cost = cfg->max_cost;
	b->max_attempts = cfg->max_attempts > 0 ? cfg->max_attempts : 1;
	b->max_response = cfg->max_response_bytes;
	b->max_429 = b->max_attempts * 5 > 30 ? b->max_attempts * 5 : 30;
	b->base_delay = cfg->base_delay_ms;
	b->max_delay = cfg->max_delay_ms;
	b->down_limit = cfg->max_delay_ms > 10000 ? cfg->max_delay_ms : 10000;
	b->unreachable_ms = cfg->unreachable_ms;
	b->pump_at = UINT64_MAX;
	rng_seed(&b->rng, (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)b);
}

/* Handles are initialised last, so a failure before them frees plainly. */
static int
ob_handles(struct ob *b, uv_loop_t *loop, const struct engine_config *cfg)
{
	struct http_opts o = {
		.connect_timeout_ms = cfg->connect_timeout_ms,
		.timeout_ms = cfg->timeout_ms,
		.low_speed_time_s = cfg->low_speed_time_s,
		.max_host_conns = cfg->max_connections_per_host,
		.max_response = cfg->max_response_bytes,
	};
	size_t i;

	for (i = 0; i < cfg->n_endpoints; i++)
		o.max_idle_conns += (long)cfg->endpoints[i].concurrency + 4;

	if (http_client_new(loop, &o, &b->http) != 0)
		return -1;
	uv_timer_init(loop, &b->pump);
	uv_timer_init(loop, &b->grace);
	b->pump.data = b->grace.data = b;
	return 0;
}

int
openai_backend_new(uv_loop_t *loop, const struct engine_config *cfg,
		   struct backend **out, struct pf_error *err)
{
	struct ob *b;
	size_t i;

	*out = NULL;
	if (cfg->n_endpoints == 0)
		return pf_error_set(err, "no endpoint configured");
	b = calloc(1, sizeof(*b));
	if (b == NULL || (b->eps = calloc(cfg->n_endpoints,
					   sizeof(*b->eps))) == NULL) {
		free(b);
		return pf_error_set(err, "out of memory");
	}
	b->n_eps = cfg->n_endpoints;
	for (i = 0; i < cfg->n_endpoints; i++)
		if (ep_init(&b->eps[i], cfg, i, uv_now(loop), err) != 0) {
			ob_free(b);
			return -1;
		}
	if (ob_handles(b, loop, cfg) != 0) {
		ob_free(b);
		return pf_error_set(err, "cannot start libcurl");
	}
	ob_settings(b, cfg);
	b->base.ops = &openai_ops;
	b->base.loop = loop;
	*out = &b->base;
	return 0;
}
