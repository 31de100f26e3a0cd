/* http.h - HTTP POSTs over libcurl's multi socket interface on libuv.
 *
 * One struct http_client per backend: one CURLM, one uv_timer for curl's
 * timeouts, one uv_poll per socket curl asks to watch. Requests are
 * struct http_req objects the caller embeds in its own job structs and
 * reuses. What only a transfer on the wire needs (the response buffer,
 * rate-limit headers, curl's error text) lives with the pooled easy
 * handle, so a request waiting in the caller's queue costs a few pointers,
 * and a steady stream of requests allocates nothing.
 *
 * Threading: everything runs on the loop thread. Completion: req->done runs
 * exactly once per http_req_send() that returned 0, from the loop (never
 * from inside http_req_send), unless http_req_cancel() is called first.
 * done() may send or cancel requests, but must not free its own request.
 */
#ifndef PF_HTTP_H
#define PF_HTTP_H

#include <stddef.h>
#include <curl/curl.h>
#include <uv.h>

#include "llm/admission.h"
#include "base/buf.h"

struct http_opts {
	long connect_timeout_ms;   /* 0 = curl's default */
	long timeout_ms;           /* whole transfer; 0 = none */
	long low_speed_time_s;     /* < 1 byte/s for this long fails; 0 = off */
	long max_host_conns;       /* CURLMOPT_MAX_HOST_CONNECTIONS; 0 = none */
	long max_idle_conns;       /* CURLMOPT_MAXCONNECTS (kept-alive cache) */
	size_t max_response;       /* response body cap in bytes */
};

struct http_client;
struct http_easy;

struct http_req {
	/* ---- set by the caller before http_req_send ---- */
	const char *url;                 /* borrowed until done */
	const char *body;                /* borrowed until done */
	size_t body_len;
	const struct curl_slist *headers;/* borrowed until done */
	void (*done)(struct http_req *r);
	void *ud;

	/* ---- results, valid in done() only (they belong to the handle,
	 * which goes back to the pool when done() returns) ---- */
	CURLcode result;                 /* CURLE_OK if a response arrived */
	long status;                     /* HTTP status, 0 if none */
	int too_big;                     /* body passed max_response */
	const char *resp;                /* response body, NUL-terminated */
	size_t resp_len;
	const struct adm_hdrs *hdrs;     /* rate-limit headers of the reply
					    (all "" when none came) */
	const char *errbuf;              /* curl's detail for result != OK */

	/* ---- private ---- */
	struct http_easy *x;             /* handle while sending, else NULL */
	struct http_client *c;
	int active;
};

/* Create a client on `loop`. Returns 0, or -1 if curl or libuv failed. */
int http_client_new(uv_loop_t *loop, const struct http_opts *o,
		    struct http_client **out);

/* Start closing: every request must have completed or been cancelled.
 * Cleans up the multi handle and closes the handles; `on_closed(arg)` runs
 * from the loop once the last handle is closed, and the client is freed.
 * Accepts NULL (then on_closed is not called). */
void http_client_close(struct http_client *c, void (*on_closed)(void *),
		       void *arg);

/* Initialise a request object (no allocation yet). */
void http_req_init(struct http_req *r, struct http_client *c);

/* Send a POST on an easy handle from the client's pool (or a new one);
 * the handle goes back to the pool when the request completes.
 * Returns 0 (done() will run) or -1 (curl refused; done() will not run). */
int http_req_send(struct http_req *r);

/* Abort a request in flight; done() will not run for it. No-op when idle. */
void http_req_cancel(struct http_req *r);

/* Free the buffers (and a handle still held). The request must be idle. */
void http_req_free(struct http_req *r);

/* Map a curl result to the admission layer's transport classes. */
enum adm_net http_req_net(const struct http_req *r);

#endif
