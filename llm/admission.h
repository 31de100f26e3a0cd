/* admission.h - when may the next request leave, and what a failure means.
 *
 * Pure logic with an injected clock (milliseconds, any epoch, monotonic):
 * no I/O, no allocation, no libuv. llm/openai.c owns one struct adm_ep
 * per endpoint and one struct adm_budget per run and asks them before every
 * send and tells them after every answer.
 *
 * - Token buckets for requests, input tokens, output tokens per minute come
 *   from the config; when the config has none, the limits are learned from
 *   x-ratelimit-limit-* headers and kept corrected from x-ratelimit-
 *   remaining-* and x-ratelimit-reset-*, so requests are paced before the
 *   server has to say 429.
 * - Adaptive concurrency (AIMD): +1 per ADM_AI_EVERY successes up to the
 *   endpoint's cap, x0.75 on 429 and x0.5 on timeouts, never below the
 *   minimum, at most one decrease per round trip.
 * - Retry-After (delta seconds, HTTP-date, retry-after-ms) pauses the
 *   endpoint.
 * - A circuit breaker opens after ADM_BREAKER_TRIP consecutive connection
 *   failures and lets one probe through (half-open) when its time is up.
 * - Budgets are hard caps on tokens and cost: spent + reserved + the new
 *   request's reservation must stay within them.
 */
#ifndef PF_ADMISSION_H
#define PF_ADMISSION_H

#include <stddef.h>
#include <stdint.h>

#define ADM_AI_EVERY 8          /* successes per additive increase */
#define ADM_BREAKER_TRIP 5      /* consecutive connect failures to open */
#define ADM_BREAKER_OPEN_MS 2000 /* first open period; doubles, max 60 s */

/* A token bucket: `rate` tokens per ms up to `cap`; level may go negative
 * when a correction says the server has less than we thought. */
struct adm_bucket {
	double rate;       /* tokens per ms; 0 = unlimited */
	double cap;        /* burst size in tokens */
	double level;      /* tokens available at time `t` */
	uint64_t t;        /* ms of the last refill */
	int learned;       /* 1 if rate/cap came from headers, not config */
};

enum adm_kind { ADM_REQ = 0, ADM_IN, ADM_OUT, ADM_TOK, ADM_NBUCKET };

/* Raw x-ratelimit-* and Retry-After header values of one response ("" if
 * absent). Filled by the transport, parsed here. */
enum adm_hdr {
	ADM_H_LIMIT_REQ = 0, ADM_H_LIMIT_TOK,
	ADM_H_REMAIN_REQ, ADM_H_REMAIN_TOK,
	ADM_H_RESET_REQ, ADM_H_RESET_TOK,
	ADM_H_RETRY_AFTER, ADM_H_RETRY_AFTER_MS,
	ADM_NHDR
};
#define ADM_HDR_LEN 64
struct adm_hdrs {
	char v[ADM_NHDR][ADM_HDR_LEN];
};

/* Lower-case header names, indexed by enum adm_hdr. */
extern const char *const adm_hdr_names[ADM_NHDR];

enum adm_breaker { ADM_CLOSED = 0, ADM_OPEN, ADM_HALF_OPEN };

/* Admission state of one endpoint. */
struct adm_ep {
	struct adm_bucket b[ADM_NBUCKET];
	double limit;         /* current concurrency limit (AIMD) */
	unsigned cap;         /* configured maximum concurrency */
	unsigned min;         /* floor for `limit` (>= 1) */
	unsigned inflight;    /* requests sent and not answered */
	unsigned ok_run;      /* successes since the last change */
	uint64_t last_cut;    /* ms of the last multiplicative decrease */
	uint64_t paused_until;/* ms; nothing is sent before (Retry-After) */
	double sent_req;      /* requests sent so far (for corrections) */
	double sent_tok;      /* tokens (in + out) sent so far */
	enum adm_breaker breaker;
	unsigned fails;       /* consecutive connection failures */
	uint64_t down_since;  /* ms of the first of those failures */
	uint64_t open_until;  /* ms when an open breaker turns half-open */
	uint64_t open_ms;     /* length of the current open period */
};

/* What the answer to one request means for the caller. */
enum adm_class {
	ADM_C_OK = 0,        /* success */
	ADM_C_RETRY,         /* transient: back off and retry (bounded) */
	ADM_C_WAIT,          /* too fast (429 rate limit): wait, then retry */
	ADM_C_FAIL,          /* will not succeed if repeated (400, 404...) */
	ADM_C_STOP_QUOTA,    /* quota or credit exhausted: stop the run */
	ADM_C_STOP_AUTH      /* key rejected: stop the run */
};

/* Transport-level facts about one answer, for adm_classify(). */
enum adm_net {
	ADM_NET_OK = 0,      /* an HTTP response arrived */
	ADM_NET_CONNECT,     /* could not connect or resolve */
	ADM_NET_TIMEOUT,     /* connect, total or low-speed timeout */
	ADM_NET_RESET,       /* reset, closed early, truncated */
	ADM_NET_TOO_BIG,     /* body over the configured maximum */
	ADM_NET_OTHER        /* any other transport error */
};

/* Budget of the whole run; 0 means no cap. */
struct adm_budget {
	double max_tokens;
	double max_cost;       /* USD */
	double spent_tokens;
	double spent_cost;
	double resv_tokens;    /* reserved by requests in flight */
	double resv_cost;
};

/* Initialise an endpoint: rpm/input_tpm/output_tpm per minute (0 =
 * unknown, learn from headers), concurrency cap and floor. */
void adm_ep_init(struct adm_ep *e, double rpm, double in_tpm, double out_tpm,
		 unsigned cap, unsigned min, uint64_t now);

/* May a request with `in_tok` estimated input and `out_tok` reserved output
 * tokens go to this endpoint now? Returns 0 if yes, else the ms to wait (at
 * least 1; UINT64_MAX when only an answer in flight can free room). */
uint64_t adm_ep_wait(struct adm_ep *e, double in_tok, double out_tok,
		     uint64_t now);

/* What adm_ep_sent() hands back, kept with the request until its answer. */
struct adm_ticket {
	uint64_t sent_at;   /* ms */
	double seq_req;     /* requests sent on this endpoint before this one */
	double seq_tok;     /* tokens sent on this endpoint before this one */
	double in_tok;      /* input tokens taken from the buckets */
	double out_tok;     /* output tokens taken from the buckets */
};

/* The answer to one request, for adm_ep_answer(). */
struct adm_answer {
	enum adm_class c;
	enum adm_net net;
	double in_used;            /* real token use; 0 if unknown */
	double out_used;
	const struct adm_hdrs *h;  /* response headers, NULL if none */
	int64_t wall_s;            /* wall clock, for HTTP-date Retry-After */
};

/* Record a send: takes bucket tokens, counts it in flight, uses up a
 * half-open breaker's probe. Call only after adm_ep_wait() said 0. */
void adm_ep_sent(struct adm_ep *e, double in_tok, double out_tok,
		 uint64_t now, struct adm_ticket *t);

/* Record the answer to the request `t`: AIMD, breaker, Retry-After pause,
 * bucket refunds and corrections from headers. */
void adm_ep_answer(struct adm_ep *e, const struct adm_ticket *t,
		   const struct adm_answer *a, uint64_t now);

/* Correct buckets from headers (used by adm_ep_answer; exposed for tests):
 * learn rates when the config gave none, and set levels from remaining-*
 * adjusted for the time since `t` was sent and the sends after it. */
void adm_ep_learn(struct adm_ep *e, const struct adm_ticket *t,
		  const struct adm_hdrs *h, uint64_t now);

/* Bucket primitives. adm_bucket_set: rate per minute and burst (0 rate =
 * unlimited); the bucket starts full. */
void adm_bucket_set(struct adm_bucket *b, double per_min, double burst,
		    uint64_t now);
void adm_bucket_refill(struct adm_bucket *b, uint64_t now);
/* Ms until `n` tokens are available (0 = now). */
uint64_t adm_bucket_wait(struct adm_bucket *b, double n, uint64_t now);
void adm_bucket_take(struct adm_bucket *b, double n, uint64_t now);

/* Parse a reset duration ("1s", "6m0s", "120ms", "2.5s", "1h2m", or a bare
 * number of seconds) into ms. Returns 0 or -1 if malformed. */
int adm_duration_parse(const char *s, uint64_t *ms);

/* Delay a Retry-After / retry-after-ms pair asks for, in ms; -1 if neither
 * is present or parseable. retry-after-ms wins; an HTTP-date is compared
 * with `wall_s`; a date in the past gives 0. */
/* The longest wait any header can impose (Retry-After, x-ratelimit-reset):
 * ten minutes. Longer requests are honoured only up to this, then the
 * call is tried again (and counts against its retries). */
#define ADM_WAIT_CAP_MS ((int64_t)600000)

int64_t adm_retry_after_ms(const struct adm_hdrs *h, int64_t wall_s);

/* Classify an answer. `status` is the HTTP status (0 if none); err_type and
 * err_code are the body's error.type and error.code ("" if absent);
 * body_ok says whether a 2xx body parsed into a usable reply. */
enum adm_class adm_classify(enum adm_net net, long status,
			    const char *err_type, const char *err_code,
			    int body_ok);

/* Exponential backoff with full jitter: uniform in [0, min(max, base *
 * 2^(attempt-1))], using `u` in [0, 1). attempt >= 1. */
uint64_t adm_backoff_ms(unsigned attempt, uint64_t base, uint64_t max,
			double u);

/* Budget: cost of tokens at prices in USD per million tokens. */
double adm_cost(double in_tok, double out_tok, double price_in,
		double price_out);

/* Would reserving `tokens` and `cost` more stay within the caps? 1 if yes. */
int adm_budget_fits(const struct adm_budget *b, double tokens, double cost);

/* Reserve for a request about to be sent. */
void adm_budget_reserve(struct adm_budget *b, double tokens, double cost);

/* Release a reservation and charge what was really used. */
void adm_budget_settle(struct adm_budget *b, double resv_tokens,
		       double resv_cost, double used_tokens, double used_cost);

/* 1 once spent alone has reached a cap (nothing more can ever fit). */
int adm_budget_exhausted(const struct adm_budget *b);

#endif
