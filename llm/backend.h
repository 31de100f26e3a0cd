/* backend.h - the contract between the scheduler and an LLM backend.
 *
 * A backend answers chat-completion calls asynchronously on one libuv loop.
 * A driver of the runner (engine/runner.h) fills in a struct llm_call (the
 * fully rendered request body and its bookkeeping), submits it, and gets it back exactly once through
 * call->done, on the loop thread, with the outcome filled in. Two backends
 * implement it: "offline" (llm/offline.c: deterministic replies rendered
 * from templates, no network) and "openai" (llm/openai.c: any
 * OpenAI-compatible server over libcurl multi).
 *
 * Ownership: the caller owns the call and everything it points to until
 * done() runs; the backend owns the output strings it sets (content, error)
 * until the caller frees them with llm_call_clear(). The backend never
 * frees the call.
 *
 * Retries of transport failures (429, 5xx, resets, timeouts, bad bodies)
 * happen inside the backend, bounded; done() reports the final outcome.
 * Retries for replies that parse but fail the stage's schema or stop at
 * finish_reason "length" are the scheduler's: it submits the call again.
 */
#ifndef PF_BACKEND_H
#define PF_BACKEND_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

/* Outcome of one call. */
enum llm_result {
	LLM_OK = 0,          /* a reply arrived: content and finish_reason set */
	LLM_FAILED,          /* gave up after bounded retries; error says why */
	LLM_ABANDONED,       /* not answered because the run is stopping */
	LLM_STOP_BUDGET,     /* refused: a token or cost budget is reached */
	LLM_STOP_QUOTA,      /* the server says the quota is exhausted */
	LLM_STOP_AUTH,       /* the server rejected the credentials */
	LLM_STOP_UNREACHABLE /* no endpoint could be reached since the start
			      * (connection refused, DNS or TLS failure on
			      * every one) within the start window */
};

struct llm_call {
	/* ---- set by the caller ---- */
	const char *id;            /* stable work item id, for logs/errors */
	const char *body;          /* request JSON (model, messages, ...) */
	size_t body_len;
	uint32_t max_tokens;       /* reserved against output budgets */
	uint32_t est_prompt_tokens;/* estimate for input token buckets */
	/* Offline backend only: the deterministic reply for this request,
	 * rendered by the stage from the same variables; ignored by
	 * network backends. */
	const char *offline_reply;
	size_t offline_reply_len;
	void (*done)(struct llm_call *call);
	void *owner;               /* caller's: whoever set done */
	void *ud;                  /* caller's */

	/* ---- set by the backend before done() ---- */
	enum llm_result result;
	char *content;             /* reply message content (malloc'd) */
	size_t content_len;
	char finish_reason[24];    /* "stop", "length", ... */
	int refused;               /* the reply is the model's refusal
				    * (OpenAI's message.refusal in place of
				    * content; content holds its text) */
	char model[96];            /* model that answered, "" if unknown */
	uint32_t prompt_tokens;    /* usage reported by the server */
	uint32_t completion_tokens;
	uint32_t attempts;         /* transport attempts made for this call */
	char *error;               /* reason for LLM_FAILED / stops (malloc'd) */

	/* ---- backend private ---- */
	void *priv;
};

/* A backend's counters, for progress reports (zeros where a backend has
 * nothing to count). */
struct llm_stats {
	uint64_t sent;          /* HTTP requests sent (attempts) */
	uint64_t done;          /* calls completed LLM_OK */
	uint64_t failed;        /* calls completed LLM_FAILED */
	uint64_t abandoned;     /* calls completed ABANDONED or STOP_* */
	uint64_t retries;       /* attempts after the first */
	uint64_t rate_limited;  /* 429 answers */
	unsigned in_flight;     /* requests on the wire now */
	unsigned queued;        /* calls waiting to be sent (incl. backoff) */
	unsigned concurrency;   /* sum of current AIMD limits */
	double rpm_limit;       /* sum of known request limits per minute */
	uint64_t tokens_in;     /* usage reported by the servers */
	uint64_t tokens_out;
	double cost;            /* USD at the configured prices */
};

struct backend;

struct backend_ops {
	const char *name;
	/* Queue a call. Returns 0: done() will run later, exactly once
	 * (never from inside submit). Returns -1 when the call was not
	 * queued: the backend is closed, out of memory, or the caller went
	 * past capacity(); done() will not run for it and the caller still
	 * owns it. */
	int (*submit)(struct backend *b, struct llm_call *call);
	/* How many more calls the backend wants queued right now; the
	 * scheduler keeps its outstanding calls within this window so memory
	 * stays bounded. */
	unsigned (*capacity)(struct backend *b);
	/* Stop sending: calls not yet sent complete with LLM_ABANDONED at
	 * once; calls in flight get `grace_ms` to finish, then are abandoned.
	 * Neither submit() nor drain() calls done() from inside: done()
	 * always runs from the loop, so callers need not be re-entrant. */
	void (*drain)(struct backend *b, uint64_t grace_ms);
	/* Nonzero once the backend has stopped for good, with the
	 * LLM_STOP_* reason; 0 while it can still send. */
	enum llm_result (*stopped)(struct backend *b);
	/* Fill *out with the backend's counters; NULL when it keeps none
	 * (the caller counts the calls itself then). */
	void (*stats)(struct backend *b, struct llm_stats *out);
	/* Close handles; done() has run for every call by the time the loop
	 * has run after this. Frees the backend. Accepts NULL. */
	void (*close)(struct backend *b);
};

struct backend {
	const struct backend_ops *ops;
	uv_loop_t *loop;
};

/* Free the backend-owned outputs of a call and reset them (result,
 * content, error, finish_reason, model, token counts; not attempts or
 * priv: a driver clears the whole call before it submits it again).
 * Accepts NULL. */
void llm_call_clear(struct llm_call *call);

#endif
