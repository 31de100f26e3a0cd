/* admission.c - token buckets, AIMD, breaker, budgets (see admission.h). */
#include "llm/admission.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <curl/curl.h>

/* Learned limits are paced a little under the server's, so clock skew
 * between us and the server does not turn into 429s. */
#define LEARN_MARGIN 0.98
#define MAX_OPEN_MS 60000

const char *const adm_hdr_names[ADM_NHDR] = {
	"x-ratelimit-limit-requests", "x-ratelimit-limit-tokens",
	"x-ratelimit-remaining-requests", "x-ratelimit-remaining-tokens",
	"x-ratelimit-reset-requests", "x-ratelimit-reset-tokens",
	"retry-after", "retry-after-ms",
};

void
adm_bucket_set(struct adm_bucket *b, double per_min, double burst,
	       uint64_t now)
{
	b->rate = per_min > 0 ? per_min / 60000.0 : 0;
	b->cap = burst >= 1 ? burst : 1;
	b->level = b->cap;
	b->t = now;
}

void
adm_bucket_refill(struct adm_bucket *b, uint64_t now)
{
	if (b->rate <= 0 || now <= b->t) {
		if (now > b->t)
			b->t = now;
		return;
	}
	b->level += b->rate * (double)(now - b->t);
	if (b->level > b->cap)
		b->level = b->cap;
	b->t = now;
}

/* A request bigger than the burst waits for a full bucket and then drives
 * the level negative, so huge requests are paced rather than refused. */
uint64_t
adm_bucket_wait(struct adm_bucket *b, double n, uint64_t now)
{
	double need;

	if (b->rate <= 0)
		return 0;
	adm_bucket_refill(b, now);
	need = n < b->cap ? n : b->cap;
	if (b->level >= need)
		return 0;
	return (uint64_t)ceil((need - b->level) / b->rate);
}

void
adm_bucket_take(struct adm_bucket *b, double n, uint64_t now)
{
	if (b->rate <= 0)
		return;
	adm_bucket_refill(b, now);
	b->level -= n;
}

/* Config buckets get one second's worth of burst (a minute's worth would
 * let a cold start fire the whole minute at once). */
void
adm_ep_init(struct adm_ep *e, double rpm, double in_tpm, double out_tpm,
	    unsigned cap, unsigned min, uint64_t now)
{
	const double per_min[ADM_NBUCKET] = { rpm, in_tpm, out_tpm, 0 };
	int k;

	memset(e, 0, sizeof(*e));
	for (k = 0; k < ADM_NBUCKET; k++)
		adm_bucket_set(&e->b[k], per_min[k], per_min[k] / 60.0, now);
	e->cap = cap > 0 ? cap : 1;
	e->min = min > 0 ? min : 1;
	if (e->min > e->cap)
		e->min = e->cap;
	e->limit = e->cap;
}

/* Wait imposed by pauses and the breaker; may turn open into half-open. */
static uint64_t
gate_wait(struct adm_ep *e, uint64_t now)
{
	if (e->paused_until > now)
		return e->paused_until - now;
	if (e->breaker == ADM_OPEN) {
		if (now < e->open_until)
			return e->open_until - now;
		e->breaker = ADM_HALF_OPEN;
	}
	if (e->breaker == ADM_HALF_OPEN && e->inflight > 0)
		return UINT64_MAX;
	if ((double)e->inflight + 1 > floor(e->limit))
		return UINT64_MAX;
	return 0;
}

uint64_t
adm_ep_wait(struct adm_ep *e, double in_tok, double out_tok, uint64_t now)
{
	const double n[ADM_NBUCKET] = { 1, in_tok, out_tok, in_tok + out_tok };
	uint64_t w, worst;
	int k;

	worst = gate_wait(e, now);
	if (worst != 0)
		return worst;
	for (k = 0; k < ADM_NBUCKET; k++) {
		w = adm_bucket_wait(&e->b[k], n[k], now);
		if (w > worst)
			worst = w;
	}
	return worst;
}

void
adm_ep_sent(struct adm_ep *e, double in_tok, double out_tok, uint64_t now,
	    struct adm_ticket *t)
{
	const double n[ADM_NBUCKET] = { 1, in_tok, out_tok, in_tok + out_tok };
	int k;

	for (k = 0; k < ADM_NBUCKET; k++)
		adm_bucket_take(&e->b[k], n[k], now);
	t->sent_at = now;
	t->seq_req = e->sent_req;
	t->seq_tok = e->sent_tok;
	t->in_tok = in_tok;
	t->out_tok = out_tok;
	e->sent_req += 1;
	e->sent_tok += in_tok + out_tok;
	e->inflight++;
}

/* Parse a non-negative decimal number; NULL on failure, else the end. */
static const char *
num_parse(const char *s, double *v)
{
	char *end;

	if (!isdigit((unsigned char)*s) && *s != '.')
		return NULL;
	*v = strtod(s, &end);
	if (end == s || !isfinite(*v) || *v < 0)
		return NULL;
	return end;
}

int
adm_duration_parse(const char *s, uint64_t *ms)
{
	double total = 0, v, unit;
	const char *p = s;

	while (*p == ' ')
		p++;
	if (*p == '\0')
		return -1;
	while (*p != '\0' && *p != ' ') {
		p = num_parse(p, &v);
		if (p == NULL)
			return -1;
		if (strncmp(p, "ms", 2) == 0) {
			unit = 1;
			p += 2;
		} else if (*p == 'h' || *p == 'm' || *p == 's') {
			unit = *p == 'h' ? 3600000 : *p == 'm' ? 60000 : 1000;
			p++;
		} else if (*p == '\0' || *p == ' ') {
			unit = 1000;   /* bare number: seconds */
		} else {
			return -1;
		}
		total += v * unit;
	}
	if (!(total >= 0) || total > 1e15)   /* garbage, not a duration */
		return -1;
	*ms = (uint64_t)ceil(total);
	return 0;
}

/* 1 if `s` is a plain non-negative number (optional spaces around). */
static int
is_number(const char *s, double *v)
{
	const char *end;

	while (*s == ' ')
		s++;
	end = num_parse(s, v);
	if (end == NULL)
		return 0;
	while (*end == ' ')
		end++;
	return *end == '\0';
}

/* A wait in ms from a header value, within [0, ADM_WAIT_CAP_MS]: a server
 * asking for hours (or sending 1e30) must not park the run for that long
 * nor overflow the conversion. */
static int64_t
capped_ms(double ms)
{
	if (!(ms >= 0))
		return 0;
	if (ms > (double)ADM_WAIT_CAP_MS)
		return ADM_WAIT_CAP_MS;
	return (int64_t)ceil(ms);
}

int64_t
adm_retry_after_ms(const struct adm_hdrs *h, int64_t wall_s)
{
	const char *ra = h->v[ADM_H_RETRY_AFTER];
	double v;
	time_t when;

	if (is_number(h->v[ADM_H_RETRY_AFTER_MS], &v))
		return capped_ms(v);
	if (ra[0] == '\0')
		return -1;
	if (is_number(ra, &v))
		return capped_ms(v * 1000);
	when = curl_getdate(ra, NULL);
	if (when == (time_t)-1)
		return -1;
	return (int64_t)when > wall_s ?
	       capped_ms(((double)when - (double)wall_s) * 1000) : 0;
}

/* Learn a rate from a limit header when the config gave none. The burst is
 * what remaining + reset imply (the server refills `reset` ms of tokens to
 * be full again), else the whole per-minute limit. */
static void
learn_rate(struct adm_bucket *b, const char *limit, const char *remain,
	   const char *reset, uint64_t now)
{
	double lim, rem, burst;
	uint64_t ms;

	if (b->rate > 0 && !b->learned)
		return;
	if (!is_number(limit, &lim) || lim < 1)
		return;
	burst = lim;
	if (is_number(remain, &rem) && adm_duration_parse(reset, &ms) == 0) {
		burst = rem + lim / 60000.0 * (double)ms;
		if (burst > lim)
			burst = lim;
	}
	if (b->learned && fabs(b->rate * 60000.0 / LEARN_MARGIN - lim) < 0.5) {
		if (burst > b->cap)
			b->cap = burst;
		return;
	}
	adm_bucket_set(b, lim * LEARN_MARGIN, burst, now);
	b->learned = 1;
}

/* Set the level from the server's remaining count: what it had when it
 * answered, refilled since, less what we sent after this request. */
static void
correct_level(struct adm_bucket *b, const char *remain, double sent_after,
	      uint64_t sent_at, uint64_t now)
{
	double rem, est;

	if (b->rate <= 0 || !is_number(remain, &rem))
		return;
	adm_bucket_refill(b, now);
	est = rem + b->rate * (double)(now - sent_at) - sent_after;
	if (est > b->cap)
		est = b->cap;
	b->level = est;
}

void
adm_ep_learn(struct adm_ep *e, const struct adm_ticket *t,
	     const struct adm_hdrs *h, uint64_t now)
{
	learn_rate(&e->b[ADM_REQ], h->v[ADM_H_LIMIT_REQ],
		   h->v[ADM_H_REMAIN_REQ], h->v[ADM_H_RESET_REQ], now);
	learn_rate(&e->b[ADM_TOK], h->v[ADM_H_LIMIT_TOK],
		   h->v[ADM_H_REMAIN_TOK], h->v[ADM_H_RESET_TOK], now);
	correct_level(&e->b[ADM_REQ], h->v[ADM_H_REMAIN_REQ],
		      e->sent_req - t->seq_req - 1, t->sent_at, now);
	correct_level(&e->b[ADM_TOK], h->v[ADM_H_REMAIN_TOK],
		      e->sent_tok - t->seq_tok - t->in_tok - t->out_tok,
		      t->sent_at, now);
}

/* AIMD: grow while the limit is what holds us back; cut at most once per
 * round trip (answers to requests sent before the last cut don't count). */
static void
aimd(struct adm_ep *e, const struct adm_ticket *t,
     const struct adm_answer *a, uint64_t now)
{
	double f = 0;

	if (a->c == ADM_C_WAIT)
		f = 0.75;
	else if (a->net == ADM_NET_TIMEOUT)
		f = 0.5;
	if (f > 0) {
		e->ok_run = 0;
		if (t->sent_at < e->last_cut)
			return;
		e->limit = floor(e->limit * f);
		if (e->limit < e->min)
			e->limit = e->min;
		e->last_cut = now;
		return;
	}
	if (a->c != ADM_C_OK)
		return;
	if ((double)e->inflight + 2 < e->limit || e->limit >= e->cap)
		return;
	if (++e->ok_run >= ADM_AI_EVERY) {
		e->limit += 1;
		e->ok_run = 0;
	}
}

static void
breaker(struct adm_ep *e, enum adm_net net, uint64_t now)
{
	if (net != ADM_NET_CONNECT) {
		if (net == ADM_NET_OK) {
			e->fails = 0;
			e->breaker = ADM_CLOSED;
			e->open_ms = 0;
		}
		return;
	}
	if (e->fails++ == 0)
		e->down_since = now;
	if (e->breaker == ADM_HALF_OPEN) {
		e->open_ms = e->open_ms * 2 < MAX_OPEN_MS ?
			e->open_ms * 2 : MAX_OPEN_MS;
	} else if (e->fails >= ADM_BREAKER_TRIP && e->breaker == ADM_CLOSED) {
		e->open_ms = ADM_BREAKER_OPEN_MS;
	} else {
		return;
	}
	e->breaker = ADM_OPEN;
	e->open_until = now + e->open_ms;
}

/* Give back reserved tokens the request did not use (or charge more). */
static void
refund(struct adm_ep *e, const struct adm_ticket *t,
       const struct adm_answer *a, uint64_t now)
{
	double din = 0, dout = 0;

	if (a->in_used > 0)
		din = t->in_tok - a->in_used;
	if (a->out_used > 0 || a->c == ADM_C_OK)
		dout = t->out_tok - a->out_used;
	if (a->c != ADM_C_OK && a->net != ADM_NET_OK)
		dout = t->out_tok;   /* nothing generated */
	adm_bucket_take(&e->b[ADM_IN], -din, now);
	adm_bucket_take(&e->b[ADM_OUT], -dout, now);
	adm_bucket_take(&e->b[ADM_TOK], -(din + dout), now);
}

void
adm_ep_answer(struct adm_ep *e, const struct adm_ticket *t,
	      const struct adm_answer *a, uint64_t now)
{
	int64_t ra;

	if (e->inflight > 0)
		e->inflight--;
	refund(e, t, a, now);
	if (a->h != NULL) {
		adm_ep_learn(e, t, a->h, now);
		ra = adm_retry_after_ms(a->h, a->wall_s);
		if (ra >= 0 && (a->c == ADM_C_WAIT || a->c == ADM_C_RETRY) &&
		    now + (uint64_t)ra > e->paused_until)
			e->paused_until = now + (uint64_t)ra;
	}
	aimd(e, t, a, now);
	breaker(e, a->net, now);
}

static int
eq(const char *a, const char *b)
{
	return a != NULL && strcasecmp(a, b) == 0;
}

enum adm_class
adm_classify(enum adm_net net, long status, const char *err_type,
	     const char *err_code, int body_ok)
{
	if (net != ADM_NET_OK)
		return ADM_C_RETRY;
	if (status >= 200 && status < 300)
		return body_ok ? ADM_C_OK : ADM_C_RETRY;
	if (status == 402 || eq(err_code, "insufficient_quota") ||
	    eq(err_type, "insufficient_quota") ||
	    eq(err_code, "billing_hard_limit_reached"))
		return ADM_C_STOP_QUOTA;
	if (status == 401 || status == 403 || eq(err_code, "invalid_api_key") ||
	    eq(err_type, "authentication_error"))
		return ADM_C_STOP_AUTH;
	if (status == 429)
		return ADM_C_WAIT;
	if (status == 408 || status == 409 || status >= 500 || status < 200)
		return ADM_C_RETRY;
	return ADM_C_FAIL;
}

uint64_t
adm_backoff_ms(unsigned attempt, uint64_t base, uint64_t max, double u)
{
	uint64_t cap = base;
	unsigned i;

	for (i = 1; i < attempt && cap < max; i++)
		cap *= 2;
	if (cap > max)
		cap = max;
	return (uint64_t)(u * (double)(cap + 1));
}

double
adm_cost(double in_tok, double out_tok, double price_in, double price_out)
{
	return (in_tok * price_in + out_tok * price_out) / 1e6;
}

int
adm_budget_fits(const struct adm_budget *b, double tokens, double cost)
{
	if (b->max_tokens > 0 &&
	    b->spent_tokens + b->resv_tokens + tokens > b->max_tokens)
		return 0;
	if (b->max_cost > 0 &&
	    b->spent_cost + b->resv_cost + cost > b->max_cost + 1e-12)
		return 0;
	return 1;
}

void
adm_budget_reserve(struct adm_budget *b, double tokens, double cost)
{
	b->resv_tokens += tokens;
	b->resv_cost += cost;
}

void
adm_budget_settle(struct adm_budget *b, double resv_tokens, double resv_cost,
		  double used_tokens, double used_cost)
{
	b->resv_tokens -= resv_tokens;
	b->resv_cost -= resv_cost;
	if (b->resv_tokens < 0.5)
		b->resv_tokens = 0;
	if (b->resv_cost < 1e-12)
		b->resv_cost = 0;
	b->spent_tokens += used_tokens;
	b->spent_cost += used_cost;
}

int
adm_budget_exhausted(const struct adm_budget *b)
{
	return (b->max_tokens > 0 && b->spent_tokens >= b->max_tokens) ||
	       (b->max_cost > 0 && b->spent_cost >= b->max_cost);
}
