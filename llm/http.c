/* http.c - libcurl multi socket interface driven by libuv (see http.h).
 *
 * The pattern and its pitfalls follow c-style.md Part 2 (a): curl tells us
 * which sockets to watch (sock_cb) and when to time out (timer_cb); libuv
 * tells us when a socket is ready (poll_cb) or the timeout passed
 * (timeout_cb); each of those calls curl_multi_socket_action and then
 * drains curl_multi_info_read unconditionally. No libcurl call is made from
 * inside a libcurl callback (curl_multi_assign excepted, as documented).
 */
#include "llm/http.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* curl's receive buffer, one per easy handle, allocated whole and kept
 * with the pooled handle. Memory, not speed: with 10,000 requests in
 * flight each KB here is 10 MB of heap, and the pages a reply touches
 * stay resident (8 KB cost ~25 MB more peak RSS than 2 KB at that load).
 * A larger reply only takes more reads: with 6 KB replies CPU per request
 * stayed within noise (bench/engine-bench.sh point 1, bodies from a
 * json_schema of one 6000-byte string). curl's minimum is 1 KB. */
#define HTTP_RECV_BUFFER 2048L

/* A pooled easy handle and what one transfer on it needs: as many as
 * requests in flight at the peak, not as many as the caller's jobs. */
struct http_easy {
	CURL *h;
	struct buf resp;            /* response body; kept between requests */
	struct adm_hdrs *hdrs;      /* NULL until a rate-limit header came */
	int too_big;                /* resp passed its cap */
	const char *url;            /* CURLOPT_URL set last (borrowed) */
	char errbuf[CURL_ERROR_SIZE];
};

/* The poll of one socket fd. Kept (stopped) when curl stops watching the
 * fd, so the next transfer on the same kept-alive connection, or a new
 * socket that got the same number, starts it again instead of closing
 * and making a poll per request: a poll init and close cost four
 * epoll_ctl calls and a malloc. One poll per fd number, as libuv wants;
 * a stopped poll does not watch, so curl may close and reuse the fd. */
struct sock {
	uv_poll_t poll;
	curl_socket_t fd;
	struct http_client *c;
};

struct http_client {
	uv_loop_t *loop;
	CURLM *multi;
	uv_timer_t timer;
	struct http_opts o;
	struct sock **socks;        /* by fd number; NULL if none yet */
	size_t n_socks;
	struct http_easy **idle;    /* easy handles not in use, for reuse */
	size_t n_idle, cap_idle;
	int draining;               /* inside drain(): defer close */
	int close_pending;
	void (*on_closed)(void *);
	void *arg;
};

static void drain(struct http_client *c);

static void
poll_cb(uv_poll_t *h, int status, int events)
{
	struct sock *s = h->data;
	struct http_client *c = s->c;
	int flags = 0, running = 0;

	if (status < 0)
		flags = CURL_CSELECT_ERR;
	if (events & UV_READABLE)
		flags |= CURL_CSELECT_IN;
	if (events & UV_WRITABLE)
		flags |= CURL_CSELECT_OUT;
	curl_multi_socket_action(c->multi, s->fd, flags, &running);
	drain(c);
}

/* Make room in the fd table for fd. */
static int
socks_grow(struct http_client *c, curl_socket_t fd)
{
	size_t n = c->n_socks, want = (size_t)fd + 1;
	struct sock **t;

	if (want <= n)
		return 0;
	while (n < want)
		n = n * 2 + 64;
	t = realloc(c->socks, n * sizeof(*t));
	if (t == NULL)
		return -1;
	memset(t + c->n_socks, 0, (n - c->n_socks) * sizeof(*t));
	c->socks = t;
	c->n_socks = n;
	return 0;
}

/* The poll of fd: the kept one, else a new one. */
static struct sock *
sock_get(struct http_client *c, curl_socket_t fd)
{
	struct sock *s;

	if (fd < 0 || socks_grow(c, fd) != 0)
		return NULL;
	if (c->socks[fd] != NULL)
		return c->socks[fd];
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return NULL;
	if (uv_poll_init_socket(c->loop, &s->poll, fd) != 0) {
		free(s);
		return NULL;
	}
	s->fd = fd;
	s->c = c;
	s->poll.data = s;
	c->socks[fd] = s;
	return s;
}

/* CURLMOPT_SOCKETFUNCTION. Returning -1 would abort every transfer, so a
 * failed poll setup returns 0 and lets the transfer time out. */
static int
sock_cb(CURL *e, curl_socket_t fd, int what, void *userp, void *socketp)
{
	struct http_client *c = userp;
	struct sock *s = socketp;
	int events = 0;

	(void)e;
	if (what == CURL_POLL_REMOVE) {
		if (s != NULL) {
			uv_poll_stop(&s->poll);
			curl_multi_assign(c->multi, fd, NULL);
		}
		return 0;
	}
	if (s == NULL) {
		s = sock_get(c, fd);
		if (s == NULL)
			return 0;
		curl_multi_assign(c->multi, fd, s);
	}
	if (what & CURL_POLL_IN)
		events |= UV_READABLE;
	if (what & CURL_POLL_OUT)
		events |= UV_WRITABLE;
	uv_poll_start(&s->poll, events, poll_cb);
	return 0;
}

static void
timeout_cb(uv_timer_t *t)
{
	struct http_client *c = t->data;
	int running = 0;

	curl_multi_socket_action(c->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	drain(c);
}

/* CURLMOPT_TIMERFUNCTION: -1 stops the timer, else one-shot (replaces). */
static int
timer_cb(CURLM *m, long ms, void *userp)
{
	struct http_client *c = userp;

	(void)m;
	if (ms < 0)
		uv_timer_stop(&c->timer);
	else
		uv_timer_start(&c->timer, timeout_cb, (uint64_t)ms, 0);
	return 0;
}

static void finish_close(struct http_client *c);
static void easy_free(struct http_easy *x);

/* Keep a finished request's easy handle for the next request of any job:
 * handles are as many as requests in flight at the peak, not as many as
 * jobs. Without room in the pool the handle is freed. No-op without one. */
static void
easy_release(struct http_req *r)
{
	struct http_client *c = r->c;
	struct http_easy **n;

	if (r->x == NULL)
		return;
	if (c->n_idle == c->cap_idle) {
		n = realloc(c->idle, (c->cap_idle * 2 + 16) * sizeof(*n));
		if (n == NULL) {
			easy_free(r->x);
			r->x = NULL;
			return;
		}
		c->idle = n;
		c->cap_idle = c->cap_idle * 2 + 16;
	}
	c->idle[c->n_idle++] = r->x;
	r->x = NULL;
}

/* Point r's results at its handle's, for done(). */
static void
results_set(struct http_req *r, CURLcode result)
{
	static const struct adm_hdrs none;
	struct http_easy *x = r->x;

	r->result = result;
	r->status = 0;
	curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &r->status);
	r->too_big = x->too_big;
	r->resp = x->resp.data != NULL ? x->resp.data : "";
	r->resp_len = x->resp.len;
	r->hdrs = x->hdrs != NULL ? x->hdrs : &none;
	r->errbuf = x->errbuf;
}

/* Read every finished transfer; results are read before remove_handle,
 * since the message dies with it. done() may send or cancel requests; the
 * handle goes back to the pool after done() unless r was sent again. */
static void
drain(struct http_client *c)
{
	struct http_req *r;
	CURLMsg *m;
	int left;

	c->draining = 1;
	while ((m = curl_multi_info_read(c->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		r = NULL;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
		results_set(r, m->data.result);
		curl_multi_remove_handle(c->multi, r->x->h);
		r->active = 0;
		r->done(r);
		if (!r->active)
			easy_release(r);
	}
	c->draining = 0;
	if (c->close_pending)
		finish_close(c);
}

int
http_client_new(uv_loop_t *loop, const struct http_opts *o,
		struct http_client **out)
{
	struct http_client *c;

	*out = NULL;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return -1;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return -1;
	c->multi = curl_multi_init();
	if (c->multi == NULL || uv_timer_init(loop, &c->timer) != 0) {
		if (c->multi != NULL)
			curl_multi_cleanup(c->multi);
		free(c);
		return -1;
	}
	c->loop = loop;
	c->o = *o;
	c->timer.data = c;
	curl_multi_setopt(c->multi, CURLMOPT_SOCKETFUNCTION, sock_cb);
	curl_multi_setopt(c->multi, CURLMOPT_SOCKETDATA, c);
	curl_multi_setopt(c->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
	curl_multi_setopt(c->multi, CURLMOPT_TIMERDATA, c);
	/* the default cache (4 x handles added) shrinks between bursts and
	 * closes connections we are about to need again */
	if (o->max_idle_conns > 0)
		curl_multi_setopt(c->multi, CURLMOPT_MAXCONNECTS,
				  o->max_idle_conns);
	if (o->max_host_conns > 0)
		curl_multi_setopt(c->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
				  o->max_host_conns);
	*out = c;
	return 0;
}

static void
timer_closed(uv_handle_t *h)
{
	struct http_client *c = h->data;

	if (c->on_closed != NULL)
		c->on_closed(c->arg);
	free(c);
}

static void
sock_closed(uv_handle_t *h)
{
	free(h->data);
}

/* Close every poll (curl has let go of them all by now). */
static void
socks_close(struct http_client *c)
{
	size_t i;

	for (i = 0; i < c->n_socks; i++)
		if (c->socks[i] != NULL) {
			uv_poll_stop(&c->socks[i]->poll);
			uv_close((uv_handle_t *)&c->socks[i]->poll,
				 sock_closed);
		}
	free(c->socks);
	c->socks = NULL;
	c->n_socks = 0;
}

/* Shutdown order (c-style.md): multi cleanup first (it may call sock_cb
 * with REMOVE), then close whatever polls are left and the timer. */
static void
finish_close(struct http_client *c)
{
	c->close_pending = 0;
	curl_multi_cleanup(c->multi);
	c->multi = NULL;
	while (c->n_idle > 0)
		easy_free(c->idle[--c->n_idle]);
	free(c->idle);
	c->idle = NULL;
	socks_close(c);
	uv_timer_stop(&c->timer);
	uv_close((uv_handle_t *)&c->timer, timer_closed);
}

void
http_client_close(struct http_client *c, void (*on_closed)(void *), void *arg)
{
	if (c == NULL)
		return;
	c->on_closed = on_closed;
	c->arg = arg;
	if (c->draining)
		c->close_pending = 1;
	else
		finish_close(c);
}

static size_t
write_cb(char *p, size_t size, size_t n, void *ud)
{
	struct http_easy *x = ud;

	if (buf_append(&x->resp, p, size * n) != 0) {
		x->too_big = 1;
		return 0;
	}
	return size * n;
}

/* Store one rate-limit header value (trimmed, bounded) in x->hdrs,
 * allocated at the first one: most replies of most servers have none. */
static void
hdr_store(struct http_easy *x, int i, const char *v, size_t vlen)
{
	size_t k;

	while (vlen > 0 && (*v == ' ' || *v == '\t'))
		v++, vlen--;
	while (vlen > 0 && (v[vlen - 1] == '\r' || v[vlen - 1] == '\n' ||
			    v[vlen - 1] == ' '))
		vlen--;
	if (x->hdrs == NULL && (x->hdrs = calloc(1, sizeof(*x->hdrs))) == NULL)
		return;
	k = vlen < ADM_HDR_LEN - 1 ? vlen : ADM_HDR_LEN - 1;
	memcpy(x->hdrs->v[i], v, k);
	x->hdrs->v[i][k] = '\0';
}

/* Keep the rate-limit headers of the final response (a new status line,
 * e.g. after 100 Continue, starts over). */
static size_t
header_cb(char *p, size_t size, size_t n, void *ud)
{
	struct http_easy *x = ud;
	size_t len = size * n, name_len;
	int i;

	if (len > 5 && strncmp(p, "HTTP/", 5) == 0) {
		if (x->hdrs != NULL)
			memset(x->hdrs, 0, sizeof(*x->hdrs));
		return len;
	}
	if (len == 0 || ((p[0] | 0x20) != 'x' && (p[0] | 0x20) != 'r'))
		return len;
	for (i = 0; i < ADM_NHDR; i++) {
		name_len = strlen(adm_hdr_names[i]);
		if (len <= name_len || p[name_len] != ':' ||
		    strncasecmp(p, adm_hdr_names[i], name_len) != 0)
			continue;
		hdr_store(x, i, p + name_len + 1, len - name_len - 1);
		break;
	}
	return len;
}

void
http_req_init(struct http_req *r, struct http_client *c)
{
	memset(r, 0, sizeof(*r));
	r->c = c;
}

/* A new handle with the options that stay the same for every request;
 * its callbacks write into x itself. */
static struct http_easy *
easy_new(const struct http_opts *o)
{
	struct http_easy *x = calloc(1, sizeof(*x));
	CURL *e = x != NULL ? curl_easy_init() : NULL;

	if (e == NULL) {
		free(x);
		return NULL;
	}
	x->h = e;
	buf_init(&x->resp, o->max_response);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(e, CURLOPT_POST, 1L);
	/* a reply is a few KB: 16 KB receive buffers (the default) times
	 * thousands of handles are most of the memory of a wide run (see
	 * HTTP_RECV_BUFFER) */
	curl_easy_setopt(e, CURLOPT_BUFFERSIZE, HTTP_RECV_BUFFER);
	if (o->connect_timeout_ms > 0)
		curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
				 o->connect_timeout_ms);
	if (o->timeout_ms > 0)
		curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, o->timeout_ms);
	if (o->low_speed_time_s > 0) {
		curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
		curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, o->low_speed_time_s);
	}
	return x;
}

static void
easy_free(struct http_easy *x)
{
	curl_easy_cleanup(x->h);
	buf_free(&x->resp);
	free(x->hdrs);
	free(x);
}

/* PIPEWAIT for https only: there ALPN may give HTTP/2 and a start-up
 * burst should share one connection. Over plain http:// it is HTTP/1.1,
 * yet curl still counts the host as "may multiplex" until the first reply
 * arrives, so with PIPEWAIT every request waits behind the first one for
 * a whole server latency before opening its own connection. */
static long
url_is_tls(const char *url)
{
	return strncasecmp(url, "https://", 8) == 0;
}

/* Clear what the last transfer on x left and aim x at request r. */
static void
easy_prepare(struct http_easy *x, struct http_req *r)
{
	buf_reset(&x->resp);
	if (x->hdrs != NULL)
		memset(x->hdrs, 0, sizeof(*x->hdrs));
	x->too_big = 0;
	x->errbuf[0] = '\0';
	curl_easy_setopt(x->h, CURLOPT_PRIVATE, (char *)r);
	if (r->url != x->url) {
		curl_easy_setopt(x->h, CURLOPT_URL, r->url);
		curl_easy_setopt(x->h, CURLOPT_PIPEWAIT, url_is_tls(r->url));
		x->url = r->url;
	}
	curl_easy_setopt(x->h, CURLOPT_HTTPHEADER, r->headers);
	curl_easy_setopt(x->h, CURLOPT_POSTFIELDS, r->body);
	curl_easy_setopt(x->h, CURLOPT_POSTFIELDSIZE_LARGE,
			 (curl_off_t)r->body_len);
}

int
http_req_send(struct http_req *r)
{
	struct http_client *c = r->c;

	if (r->active)
		return -1;
	if (r->x == NULL)
		r->x = c->n_idle > 0 ? c->idle[--c->n_idle] : easy_new(&c->o);
	if (r->x == NULL)
		return -1;
	easy_prepare(r->x, r);
	if (curl_multi_add_handle(c->multi, r->x->h) != CURLM_OK) {
		easy_release(r);
		return -1;
	}
	r->active = 1;
	return 0;
}

void
http_req_cancel(struct http_req *r)
{
	if (!r->active)
		return;
	curl_multi_remove_handle(r->c->multi, r->x->h);
	r->active = 0;
	easy_release(r);
}

void
http_req_free(struct http_req *r)
{
	http_req_cancel(r);
	easy_release(r);
}

enum adm_net
http_req_net(const struct http_req *r)
{
	if (r->too_big)
		return ADM_NET_TOO_BIG;
	switch (r->result) {
	case CURLE_OK:
		return ADM_NET_OK;
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return ADM_NET_CONNECT;
	case CURLE_OPERATION_TIMEDOUT:
		return ADM_NET_TIMEOUT;
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return ADM_NET_RESET;
	default:
		return ADM_NET_OTHER;
	}
}
