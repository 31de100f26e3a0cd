/* test_openai.c - the openai backend against a scripted loopback server
 * that runs on the same uv loop, plus engine config parsing.
 *
 * The server answers request n with script[min(n, len-1)]: a status with
 * headers and body, after a delay, or hangs, resets, or sends a huge body.
 * Every test checks that each call's done() ran exactly once and that the
 * loop closes clean.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <uv.h>

#include "base/log.h"
#include "llm/endpoint.h"
#include "base/json.h"
#include "llm/openai.h"
#include "tests/unit/check_tap.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- scripted server ---- */

enum act_mode { A_REPLY = 0, A_HANG, A_RESET, A_BIG };

struct act {
	enum act_mode mode;
	int status;
	const char *hdrs;     /* extra header lines, each ending in \r\n */
	const char *body;
	unsigned delay_ms;
};

struct conn;

struct srv {
	uv_loop_t *loop;
	uv_tcp_t tcp;
	int port;
	const struct act *script;
	int n_script;
	int nreq;
	char last_body[4096];
	char last_auth[128];
	struct conn *conns;
};

struct conn {
	uv_tcp_t tcp;
	uv_timer_t delay;
	struct srv *s;
	char buf[65536];
	size_t len;
	const struct act *pending;
	struct conn *next;
	int closing, closed;
};

static const char ok_body[] =
	"{\"id\":\"x\",\"model\":\"m1-srv\",\"choices\":[{\"index\":0,"
	"\"message\":{\"role\":\"assistant\",\"content\":\"hi \\\"there\\\"\"},"
	"\"finish_reason\":\"stop\"}],"
	"\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":3}}";

static void
conn_freed(uv_handle_t *h)
{
	struct conn *c = h->data;

	if (++c->closed == 2)
		free(c);
}

static void
conn_close(struct conn *c, int reset)
{
	struct conn **pp;

	if (c->closing)
		return;
	c->closing = 1;
	for (pp = &c->s->conns; *pp != NULL; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	uv_close((uv_handle_t *)&c->delay, conn_freed);
	if (reset)
		uv_tcp_close_reset(&c->tcp, conn_freed);
	else
		uv_close((uv_handle_t *)&c->tcp, conn_freed);
}

static void
written(uv_write_t *w, int status)
{
	free(w->data);
	free(w);
}

static void
conn_write(struct conn *c, char *data, size_t len)
{
	uv_write_t *w = malloc(sizeof(*w));
	uv_buf_t b = uv_buf_init(data, (unsigned)len);

	w->data = data;
	if (uv_write(w, (uv_stream_t *)&c->tcp, &b, 1, written) != 0) {
		free(data);
		free(w);
	}
}

static void
reply(struct conn *c, const struct act *a)
{
	size_t blen = a->mode == A_BIG ? 200000 : strlen(a->body ? a->body : "");
	size_t cap = blen + 1024;
	char *out = malloc(cap);
	int n;

	n = snprintf(out, cap, "HTTP/1.1 %d X\r\nContent-Type: application/json"
		     "\r\nContent-Length: %zu\r\n%s\r\n", a->status, blen,
		     a->hdrs ? a->hdrs : "");
	if (a->mode == A_BIG)
		memset(out + n, ' ', blen);
	else
		memcpy(out + n, a->body ? a->body : "", blen);
	conn_write(c, out, (size_t)n + blen);
}

static void
act_run(struct conn *c, const struct act *a)
{
	if (a->mode == A_HANG)
		return;
	if (a->mode == A_RESET)
		conn_close(c, 1);
	else
		reply(c, a);
}

static void
delay_fired(uv_timer_t *t)
{
	struct conn *c = t->data;

	act_run(c, c->pending);
}

/* Copy header `name`'s value from the request head into out. */
static void
head_get(const char *head, const char *name, char *out, size_t n)
{
	const char *p = strcasestr(head, name), *e;

	out[0] = '\0';
	if (p == NULL)
		return;
	p += strlen(name);
	while (*p == ' ')
		p++;
	e = strstr(p, "\r\n");
	snprintf(out, n, "%.*s", (int)(e ? (size_t)(e - p) : strlen(p)), p);
}

/* Handle every complete request in the buffer. */
static void
conn_parse(struct conn *c)
{
	char *end, cl[32];
	size_t hlen, blen;
	const struct act *a;

	while (!c->closing && (end = strstr(c->buf, "\r\n\r\n")) != NULL) {
		hlen = (size_t)(end - c->buf) + 4;
		*end = '\0';
		head_get(c->buf, "\r\nContent-Length:", cl, sizeof(cl));
		blen = strtoul(cl, NULL, 10);
		if (c->len < hlen + blen) {
			*end = '\r';
			return;
		}
		head_get(c->buf, "\r\nAuthorization:", c->s->last_auth,
			 sizeof(c->s->last_auth));
		snprintf(c->s->last_body, sizeof(c->s->last_body), "%.*s",
			 (int)blen, c->buf + hlen);
		a = &c->s->script[c->s->nreq < c->s->n_script ? c->s->nreq :
				  c->s->n_script - 1];
		c->s->nreq++;
		memmove(c->buf, c->buf + hlen + blen, c->len - hlen - blen);
		c->len -= hlen + blen;
		c->buf[c->len] = '\0';
		c->pending = a;
		if (a->delay_ms > 0)
			uv_timer_start(&c->delay, delay_fired, a->delay_ms, 0);
		else
			act_run(c, a);
	}
}

static void
alloc_cb(uv_handle_t *h, size_t hint, uv_buf_t *b)
{
	struct conn *c = h->data;

	b->base = c->buf + c->len;
	b->len = sizeof(c->buf) - 1 - c->len;
}

static void
read_cb(uv_stream_t *st, ssize_t n, const uv_buf_t *b)
{
	struct conn *c = st->data;

	if (n < 0) {
		conn_close(c, 0);
		return;
	}
	c->len += (size_t)n;
	c->buf[c->len] = '\0';
	conn_parse(c);
}

static void
accept_cb(uv_stream_t *l, int status)
{
	struct srv *s = l->data;
	struct conn *c = calloc(1, sizeof(*c));

	c->s = s;
	uv_tcp_init(s->loop, &c->tcp);
	uv_timer_init(s->loop, &c->delay);
	c->tcp.data = c->delay.data = c;
	if (uv_accept(l, (uv_stream_t *)&c->tcp) != 0) {
		c->closing = 1;
		uv_close((uv_handle_t *)&c->delay, conn_freed);
		uv_close((uv_handle_t *)&c->tcp, conn_freed);
		return;
	}
	c->next = s->conns;
	s->conns = c;
	uv_read_start((uv_stream_t *)&c->tcp, alloc_cb, read_cb);
}

static void
srv_start(struct srv *s, uv_loop_t *loop, const struct act *script, int n)
{
	struct sockaddr_in addr;
	struct sockaddr_storage got;
	int len = sizeof(got);

	memset(s, 0, sizeof(*s));
	s->loop = loop;
	s->script = script;
	s->n_script = n;
	uv_ip4_addr("127.0.0.1", 0, &addr);
	ck_assert_int_eq(uv_tcp_init(loop, &s->tcp), 0);
	s->tcp.data = s;
	ck_assert_int_eq(uv_tcp_bind(&s->tcp, (struct sockaddr *)&addr, 0), 0);
	ck_assert_int_eq(uv_listen((uv_stream_t *)&s->tcp, 128, accept_cb), 0);
	uv_tcp_getsockname(&s->tcp, (struct sockaddr *)&got, &len);
	s->port = ntohs(((struct sockaddr_in *)&got)->sin_port);
}

static void
srv_stop(struct srv *s)
{
	while (s->conns != NULL)
		conn_close(s->conns, 0);
	uv_close((uv_handle_t *)&s->tcp, NULL);
}

/* ---- harness ---- */

struct tcall {
	struct llm_call c;
	int ndone;
	int seq;              /* the order in which done() ran: 1, 2, ... */
};

static int in_submit;
static int done_seq;

static void
on_done(struct llm_call *c)
{
	struct tcall *t = (struct tcall *)c;

	ck_assert_int_eq(in_submit, 0);
	t->ndone++;
	t->seq = ++done_seq;
}

/* The backend's debug log, captured while a test runs: what it decided
 * (a retry's delay, an attempt's error), not how long anything took. */
static char logged[16384];
static FILE *log_file;
static int log_saved_fd = -1;
static enum pf_log_level log_saved_level;

static void
log_capture_start(void)
{
	fflush(stderr);
	log_file = tmpfile();
	ck_assert_ptr_nonnull(log_file);
	log_saved_fd = dup(2);
	ck_assert_int_ge(log_saved_fd, 0);
	ck_assert_int_ge(dup2(fileno(log_file), 2), 0);
	log_saved_level = log_get_level();
	log_set_level(PF_LOG_DEBUG);
}

static void
log_capture_end(void)
{
	size_t n;

	fflush(stderr);
	log_set_level(log_saved_level);
	dup2(log_saved_fd, 2);
	close(log_saved_fd);
	rewind(log_file);
	n = fread(logged, 1, sizeof(logged) - 1, log_file);
	logged[n] = '\0';
	fclose(log_file);
}

static const char req_body[] =
	"{\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}],"
	"\"temperature\":0,\"max_tokens\":100}";

static void
tcall_init(struct tcall *t, const char *id)
{
	memset(t, 0, sizeof(*t));
	t->c.id = id;
	t->c.body = req_body;
	t->c.body_len = strlen(req_body);
	t->c.max_tokens = 100;
	t->c.est_prompt_tokens = 20;
	t->c.done = on_done;
}

static void
tcall_clear(struct tcall *t)
{
	free(t->c.content);
	free(t->c.error);
	t->c.content = t->c.error = NULL;
}

/* A config with one endpoint per port, fast retries. */
static void
cfg_make(struct engine_config *cfg, const int *ports, int n)
{
	char url[64];
	int i;

	engine_config_init(cfg);
	cfg->endpoints = calloc((size_t)n, sizeof(*cfg->endpoints));
	cfg->n_endpoints = (size_t)n;
	for (i = 0; i < n; i++) {
		struct endpoint_cfg *e = &cfg->endpoints[i];

		snprintf(url, sizeof(url), "http://127.0.0.1:%d/v1/", ports[i]);
		e->base_url = strdup(url);
		e->model = strdup("m1");
		e->api_key_env = strdup("PF_TEST_KEY");
		e->weight = 1;
		e->concurrency = 4;
	}
	cfg->base_delay_ms = 10;
	cfg->max_delay_ms = 50;
	cfg->max_attempts = 3;
	cfg->timeout_ms = 5000;
}

struct rig {
	uv_loop_t loop;
	struct srv srv;
	struct engine_config cfg;
	struct backend *b;
};

static void
rig_start(struct rig *r, const struct act *script, int n,
	  void (*tweak)(struct engine_config *))
{
	struct pf_error err;

	setenv("PF_TEST_KEY", "sekrit-key", 1);
	ck_assert_int_eq(uv_loop_init(&r->loop), 0);
	done_seq = 0;
	srv_start(&r->srv, &r->loop, script, n);
	cfg_make(&r->cfg, &r->srv.port, 1);
	if (tweak != NULL)
		tweak(&r->cfg);
	memset(&err, 0, sizeof(err));
	ck_assert_int_eq(openai_backend_new(&r->loop, &r->cfg, &r->b, &err), 0);
}

static void
rig_submit(struct rig *r, struct tcall *t, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		in_submit = 1;
		ck_assert_int_eq(r->b->ops->submit(r->b, &t[i].c), 0);
		in_submit = 0;
	}
}

/* Run until every call is done (or the loop has nothing left). */
static void
rig_wait(struct rig *r, struct tcall *t, int n)
{
	int i, all;

	do {
		uv_run(&r->loop, UV_RUN_ONCE);
		for (all = 1, i = 0; i < n; i++)
			all &= t[i].ndone > 0;
	} while (!all);
}

static void
rig_end(struct rig *r, struct tcall *t, int n)
{
	int i;

	r->b->ops->close(r->b);
	srv_stop(&r->srv);
	uv_run(&r->loop, UV_RUN_DEFAULT);
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(t[i].ndone, 1);
		tcall_clear(&t[i]);
	}
	engine_config_free(&r->cfg);
	ck_assert_int_eq(uv_loop_close(&r->loop), 0);
}

/* ---- backend tests ---- */

static const struct act s_ok[] = { { A_REPLY, 200, NULL, ok_body, 0 } };

START_TEST(success)
{
	struct rig r;
	struct tcall t[1];
	struct llm_stats st;

	rig_start(&r, s_ok, 1, NULL);
	tcall_init(&t[0], "a");
	rig_submit(&r, t, 1);
	ck_assert_int_eq(t[0].ndone, 0);       /* never from inside submit */
	rig_wait(&r, t, 1);
	ck_assert_int_eq(t[0].c.result, LLM_OK);
	ck_assert_str_eq(t[0].c.content, "hi \"there\"");
	ck_assert_uint_eq(t[0].c.content_len, 10);
	ck_assert_str_eq(t[0].c.finish_reason, "stop");
	ck_assert_str_eq(t[0].c.model, "m1-srv");
	ck_assert_uint_eq(t[0].c.prompt_tokens, 7);
	ck_assert_uint_eq(t[0].c.completion_tokens, 3);
	ck_assert_uint_eq(t[0].c.attempts, 1);
	ck_assert_str_eq(r.srv.last_auth, "Bearer sekrit-key");
	ck_assert_msg(strncmp(r.srv.last_body, "{\"model\":\"m1\",\"messages\":",
			  25) == 0, "%s", r.srv.last_body);
	openai_backend_stats(r.b, &st);
	ck_assert_uint_eq(st.sent, 1);
	ck_assert_uint_eq(st.done, 1);
	ck_assert_uint_eq(st.tokens_in, 7);
	ck_assert_uint_eq(st.tokens_out, 3);
	ck_assert_int_eq(r.b->ops->stopped(r.b), 0);
	rig_end(&r, t, 1);
}
END_TEST

START_TEST(many_keepalive)
{
	struct rig r;
	struct tcall t[40];
	int i;

	rig_start(&r, s_ok, 1, NULL);
	for (i = 0; i < 40; i++)
		tcall_init(&t[i], "m");
	t[0].c.body = " { } ";
	t[0].c.body_len = 5;
	rig_submit(&r, t, 40);
	rig_wait(&r, t, 40);
	for (i = 0; i < 40; i++)
		ck_assert_int_eq(t[i].c.result, LLM_OK);
	ck_assert_int_eq(r.srv.nreq, 40);
	rig_end(&r, t, 40);
}
END_TEST

static const struct act s_429[] = {
	{ A_REPLY, 429, "Retry-After: 1\r\n",
	  "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\","
	  "\"code\":\"rate_limit_exceeded\"}}", 0 },
	{ A_REPLY, 200, NULL, ok_body, 0 },
};

static const struct act s_500[] = {
	{ A_REPLY, 500, NULL, "{\"error\":{\"message\":\"boom\"}}", 0 },
};

static const struct act s_quota[] = {
	{ A_REPLY, 429, NULL, "{\"error\":{\"message\":\"You exceeded your "
	  "current quota\",\"type\":\"insufficient_quota\",\"code\":"
	  "\"insufficient_quota\"}}", 0 },
};
static const struct act s_auth[] = {
	{ A_REPLY, 401, NULL, "{\"error\":{\"message\":\"Incorrect API key\","
	  "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}", 0 },
};

static void
one_at_a_time(struct engine_config *c)
{
	c->endpoints[0].concurrency = 1;
}

static void
stop_case(const struct act *script, enum llm_result want)
{
	struct rig r;
	struct tcall t[5];
	int i;

	rig_start(&r, script, 1, one_at_a_time);
	for (i = 0; i < 5; i++)
		tcall_init(&t[i], "s");
	rig_submit(&r, t, 5);
	rig_wait(&r, t, 5);
	ck_assert_int_eq(t[0].c.result, want);
	ck_assert_ptr_null(strstr(t[0].c.error, "sekrit"));
	for (i = 1; i < 5; i++)
		ck_assert_int_eq(t[i].c.result, LLM_ABANDONED);
	ck_assert_int_eq(r.b->ops->stopped(r.b), want);
	ck_assert_uint_eq(r.b->ops->capacity(r.b), 0);
	ck_assert_int_eq(r.srv.nreq, 1);
	rig_end(&r, t, 5);
}

START_TEST(quota_stops)
{
	stop_case(s_quota, LLM_STOP_QUOTA);
}
END_TEST

START_TEST(auth_stops)
{
	stop_case(s_auth, LLM_STOP_AUTH);
}
END_TEST

static const struct act s_hang[] = {
	{ A_HANG, 0, NULL, NULL, 0 },
	{ A_REPLY, 200, NULL, ok_body, 0 },
};

static void
short_timeout(struct engine_config *c)
{
	c->timeout_ms = 300;
}

static const struct act s_reset[] = {
	{ A_RESET, 0, NULL, NULL, 0 },
	{ A_REPLY, 200, NULL, "{not json", 0 },
	{ A_REPLY, 200, NULL, ok_body, 0 },
};

static const struct act s_big[] = { { A_BIG, 200, NULL, NULL, 0 } };

static void
small_cap(struct engine_config *c)
{
	c->max_response_bytes = 65536;
	c->max_attempts = 2;
}

/* One call against a script: outcome, attempts, error text, and what the
 * backend logged when it retried (the wait it chose, why the attempt
 * ended). */
static const struct {
	const struct act *script;
	int n_script;
	void (*tweak)(struct engine_config *);
	enum llm_result want;
	unsigned attempts;
	const char *err;         /* substring of the error, NULL: no error */
	const char *log;         /* substring of the debug log, NULL: any */
	uint64_t n429;
} one_cases[] = {
	/* the retry waits the server's Retry-After: 1, not a 10-50 ms
	 * backoff */
	{ s_429, N(s_429), NULL, LLM_OK, 2, NULL,
	  "call a: HTTP 429: Rate limit reached; retry in 1000 ms", 1 },
	{ s_500, N(s_500), NULL, LLM_FAILED, 3,
	  "HTTP 500: boom after 3 attempts", NULL, 0 },
	/* the first attempt is ended by the client's timeout */
	{ s_hang, N(s_hang), short_timeout, LLM_OK, 2, NULL,
	  "call a: timeout; retry in", 0 },
	{ s_reset, N(s_reset), NULL, LLM_OK, 3, NULL, NULL, 0 },
	{ s_big, N(s_big), small_cap, LLM_FAILED, 2, "response too large",
	  NULL, 0 },
};

START_TEST(one_call)
{
	struct rig r;
	struct tcall t[1];
	struct llm_stats st;

	rig_start(&r, one_cases[_i].script, one_cases[_i].n_script,
		  one_cases[_i].tweak);
	tcall_init(&t[0], "a");
	log_capture_start();
	rig_submit(&r, t, 1);
	rig_wait(&r, t, 1);
	log_capture_end();
	ck_assert_int_eq(t[0].c.result, one_cases[_i].want);
	ck_assert_uint_eq(t[0].c.attempts, one_cases[_i].attempts);
	ck_assert_int_eq(r.srv.nreq, (int)one_cases[_i].attempts);
	if (one_cases[_i].err == NULL)
		ck_assert_ptr_null(t[0].c.error);
	else
		ck_assert_ptr_nonnull(strstr(t[0].c.error, one_cases[_i].err));
	if (one_cases[_i].log != NULL)
		ck_assert_msg(strstr(logged, one_cases[_i].log) != NULL,
			      "log lacks '%s': %s", one_cases[_i].log, logged);
	openai_backend_stats(r.b, &st);
	ck_assert_uint_eq(st.rate_limited, one_cases[_i].n429);
	ck_assert_uint_eq(st.retries, one_cases[_i].attempts - 1);
	rig_end(&r, t, 1);
}
END_TEST

static const struct act s_slow[] = { { A_REPLY, 200, NULL, ok_body, 2000 } };
static const struct act s_quick[] = { { A_REPLY, 200, NULL, ok_body, 100 } };

/* Drain with one call on the wire and two queued: the queued ones are
 * abandoned at once, never sent, and done() before the one in flight; that
 * one ends with want0 (ABANDONED when the grace ends before the reply). */
static void
drain_case(const struct act *script, uint64_t grace, enum llm_result want0)
{
	struct rig r;
	struct tcall t[3];

	rig_start(&r, script, 1, one_at_a_time);
	tcall_init(&t[0], "a");
	tcall_init(&t[1], "b");
	tcall_init(&t[2], "c");
	rig_submit(&r, t, 3);
	while (r.srv.nreq == 0)
		uv_run(&r.loop, UV_RUN_ONCE);
	r.b->ops->drain(r.b, grace);
	ck_assert_int_eq(t[1].ndone, 0);      /* not from inside drain */
	rig_wait(&r, t, 3);
	ck_assert_int_eq(t[1].c.result, LLM_ABANDONED);
	ck_assert_int_eq(t[2].c.result, LLM_ABANDONED);
	ck_assert_int_lt(t[1].seq, t[0].seq);
	ck_assert_int_lt(t[2].seq, t[0].seq);
	ck_assert_int_eq(r.srv.nreq, 1);      /* the queued were never sent */
	ck_assert_int_eq(t[0].c.result, want0);
	ck_assert_uint_eq(r.b->ops->capacity(r.b), 0);
	rig_end(&r, t, 3);
}

START_TEST(drain_grace_expires)
{
	drain_case(s_slow, 300, LLM_ABANDONED);
}
END_TEST

START_TEST(drain_grace_lets_finish)
{
	drain_case(s_quick, 1000, LLM_OK);
}
END_TEST

static void
budget_250(struct engine_config *c)
{
	c->max_tokens = 250;
	c->endpoints[0].concurrency = 1;
}

START_TEST(budget_stops)
{
	struct rig r;
	struct tcall t[5];
	struct llm_stats st;
	int i;

	/* each call reserves 20 + 100 and uses 7 + 3 */
	rig_start(&r, s_ok, 1, budget_250);
	for (i = 0; i < 5; i++)
		tcall_init(&t[i], "b");
	rig_submit(&r, t, 5);
	rig_wait(&r, t, 5);
	/* spent 10/call: 0+120, 10+120, 20+120... fits until spent+120>250 */
	for (i = 0; i < 5; i++)
		ck_assert_int_eq(t[i].c.result, LLM_OK);
	openai_backend_stats(r.b, &st);
	ck_assert_uint_eq(st.tokens_in + st.tokens_out, 50);
	ck_assert_int_eq(r.b->ops->stopped(r.b), 0);
	rig_end(&r, t, 5);
}
END_TEST

static void
budget_25(struct engine_config *c)
{
	c->max_tokens = 145;
	c->endpoints[0].concurrency = 1;
}

START_TEST(budget_refuses)
{
	struct rig r;
	struct tcall t[4];
	int i;

	/* 145: the first (120 reserved) fits, then 10 spent + 120 = 130
	 * fits, then 20 + 120 = 140 fits, then 30 + 120 = 150 does not. */
	rig_start(&r, s_ok, 1, budget_25);
	for (i = 0; i < 4; i++)
		tcall_init(&t[i], "b");
	rig_submit(&r, t, 4);
	rig_wait(&r, t, 4);
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(t[i].c.result, LLM_OK);
	ck_assert_int_eq(t[3].c.result, LLM_STOP_BUDGET);
	ck_assert_int_eq(r.b->ops->stopped(r.b), LLM_STOP_BUDGET);
	ck_assert_int_eq(r.srv.nreq, 3);
	rig_end(&r, t, 4);
}
END_TEST

START_TEST(weights_and_failover)
{
	uv_loop_t loop;
	struct srv s1, s2;
	struct engine_config cfg;
	struct backend *b;
	struct pf_error err;
	struct tcall t[40];
	int ports[3], i;

	setenv("PF_TEST_KEY", "k", 1);
	ck_assert_int_eq(uv_loop_init(&loop), 0);
	done_seq = 0;
	srv_start(&s1, &loop, s_ok, 1);
	srv_start(&s2, &loop, s_ok, 1);
	ports[0] = s1.port;
	ports[1] = s2.port;
	ports[2] = 1;            /* nothing listens on port 1 */
	cfg_make(&cfg, ports, 3);
	cfg.endpoints[0].weight = 3;
	cfg.endpoints[0].concurrency = 64;
	cfg.endpoints[1].concurrency = 64;
	cfg.endpoints[2].concurrency = 64;
	cfg.max_attempts = 6;
	ck_assert_int_eq(openai_backend_new(&loop, &cfg, &b, &err), 0);
	for (i = 0; i < 40; i++) {
		tcall_init(&t[i], "w");
		ck_assert_int_eq(b->ops->submit(b, &t[i].c), 0);
	}
	for (i = 0; i < 40; i++) {
		while (t[i].ndone == 0)
			uv_run(&loop, UV_RUN_ONCE);
		ck_assert_int_eq(t[i].c.result, LLM_OK);
	}
	ck_assert_int_eq(s1.nreq + s2.nreq, 40);
	ck_assert_int_gt(s1.nreq, s2.nreq * 2);
	b->ops->close(b);
	srv_stop(&s1);
	srv_stop(&s2);
	uv_run(&loop, UV_RUN_DEFAULT);
	for (i = 0; i < 40; i++) {
		ck_assert_int_eq(t[i].ndone, 1);
		tcall_clear(&t[i]);
	}
	engine_config_free(&cfg);
	ck_assert_int_eq(uv_loop_close(&loop), 0);
}
END_TEST

START_TEST(missing_key_names_variable)
{
	uv_loop_t loop;
	struct engine_config cfg;
	struct backend *b = NULL;
	struct pf_error err;
	int port = 9;

	ck_assert_int_eq(uv_loop_init(&loop), 0);
	unsetenv("PF_TEST_KEY");
	cfg_make(&cfg, &port, 1);
	memset(&err, 0, sizeof(err));
	ck_assert_int_eq(openai_backend_new(&loop, &cfg, &b, &err), -1);
	ck_assert_ptr_null(b);
	ck_assert_ptr_nonnull(strstr(err.msg, "PF_TEST_KEY"));
	ck_assert_str_eq(err.where, "$.endpoints[0].api_key_env");
	engine_config_free(&cfg);
	ck_assert_int_eq(uv_loop_close(&loop), 0);
}
END_TEST

/* ---- config parsing ---- */

static const struct {
	const char *json;
	const char *where;      /* NULL: parses */
	const char *msg;
} cfg_cases[] = {
	{ "{}", NULL, NULL },
	{ "{\"stages\":{}, \"endpoints\":[{\"base_url\":\"http://h/v1\","
	  "\"model\":\"m\",\"headers\":{\"X-A\":\"1\",\"X-B\":{\"env\":\"V\"}},"
	  "\"weight\":2,\"rpm\":600}],\"budget\":{\"max_cost\":1.5},"
	  "\"retry\":{\"max_attempts\":4},\"engine\":{\"grace_ms\":5}}",
	  NULL, NULL },
	{ "{\"endpoints\":{}}", "$.endpoints", "expected an array" },
	{ "{\"endpoints\":[{\"base_url\":\"http://h\",\"model\":\"m\"},"
	  "{\"base_url\":\"http://h\",\"model\":\"m\",\"weight\":0}]}",
	  "$.endpoints[1].weight", "expected a number > 0" },
	{ "{\"endpoints\":[{\"base_url\":\"http://h\",\"model\":\"m\","
	  "\"weight\":\"2\"}]}", "$.endpoints[0].weight",
	  "expected a number > 0" },
	{ "{\"endpoints\":[{\"model\":\"m\"}]}", "$.endpoints[0].base_url",
	  "required" },
	{ "{\"endpoints\":[{\"base_url\":\"ftp://h\",\"model\":\"m\"}]}",
	  "$.endpoints[0].base_url", "expected an http:// or https:// URL" },
	{ "{\"endpoints\":[{\"base_url\":\"http://h\",\"model\":\"m\","
	  "\"colour\":1}]}", "$.endpoints[0].colour", "unknown key" },
	{ "{\"endpoints\":[{\"base_url\":\"http://h\",\"model\":\"m\","
	  "\"concurrency\":2.5}]}", "$.endpoints[0].concurrency",
	  "expected an integer >= 1" },
	{ "{\"endpoints\":[{\"base_url\":\"http://h\",\"model\":\"m\","
	  "\"headers\":{\"X\":{\"env\":1}}}]}", "$.endpoints[0].headers.X",
	  "expected a string or {\"env\": \"VAR\"}" },
	{ "{\"budget\":{\"max_tokens\":-1}}", "$.budget.max_tokens",
	  "expected a number >= 0" },
	{ "{\"retry\":{\"max_attempts\":0}}", "$.retry.max_attempts",
	  "expected an integer >= 1" },
	{ "{\"retry\":{\"base_delay_ms\":100,\"max_delay_ms\":50}}",
	  "$.retry.max_delay_ms", "must be >= base_delay_ms" },
	{ "{\"engine\":{\"timeout\":5}}", "$.engine.timeout", "unknown key" },
	{ "{\"engine\":[]}", "$.engine", "expected an object" },
};

START_TEST(config_table)
{
	struct engine_config c;
	struct pf_error err;
	cJSON *root = NULL;
	int rc;

	memset(&err, 0, sizeof(err));
	ck_assert_int_eq(json_parse(cfg_cases[_i].json,
				    strlen(cfg_cases[_i].json), &root, NULL), 0);
	rc = engine_config_parse(root, "run.json", &c, &err);
	if (cfg_cases[_i].where == NULL) {
		ck_assert_int_eq(rc, 0);
	} else {
		ck_assert_int_eq(rc, -1);
		ck_assert_str_eq(err.file, "run.json");
		ck_assert_str_eq(err.where, cfg_cases[_i].where);
		ck_assert_str_eq(err.msg, cfg_cases[_i].msg);
		ck_assert_uint_eq(c.n_endpoints, 0);
	}
	engine_config_free(&c);
	cJSON_Delete(root);
}
END_TEST

START_TEST(config_values_and_override)
{
	static const char text[] =
		"{\"endpoints\":[{\"base_url\":\"https://api.example.test/v1/\","
		"\"model\":\"gpt\",\"api_key_env\":\"K\",\"headers\":{\"X-Org\":"
		"\"o\",\"X-Sec\":{\"env\":\"S\"}},\"price_input_per_mtok\":2}],"
		"\"budget\":{\"max_tokens\":1000},\"engine\":"
		"{\"max_response_bytes\":65536}}";
	struct engine_config c;
	struct pf_error err;
	cJSON *root = NULL;

	ck_assert_int_eq(json_parse(text, strlen(text), &root, NULL), 0);
	ck_assert_int_eq(engine_config_parse(root, "f", &c, &err), 0);
	ck_assert_uint_eq(c.n_endpoints, 1);
	ck_assert_str_eq(c.endpoints[0].base_url, "https://api.example.test/v1");
	ck_assert(c.endpoints[0].weight == 1);
	ck_assert_uint_eq(c.endpoints[0].concurrency, 16);
	ck_assert(c.endpoints[0].price_in == 2);
	ck_assert_uint_eq(c.endpoints[0].n_headers, 2);
	ck_assert_str_eq(c.endpoints[0].headers[1].env, "S");
	ck_assert_str_eq(c.endpoints[0].headers[0].value, "o");
	ck_assert(c.max_tokens == 1000);
	ck_assert_uint_eq(c.max_attempts, 6);
	ck_assert_uint_eq(c.base_delay_ms, 500);
	ck_assert_uint_eq(c.grace_ms, 10000);
	ck_assert_uint_eq(c.max_response_bytes, 65536);
	ck_assert_int_eq(engine_config_override(&c, "http://127.0.0.1:8080/v1",
						"local", NULL, &err), 0);
	ck_assert_uint_eq(c.n_endpoints, 1);
	ck_assert_str_eq(c.endpoints[0].model, "local");
	ck_assert_str_eq(c.endpoints[0].api_key_env, "K");
	ck_assert_uint_eq(c.endpoints[0].n_headers, 0);
	ck_assert_int_eq(engine_config_override(&c, NULL, NULL, "K2", &err), 0);
	ck_assert_str_eq(c.endpoints[0].api_key_env, "K2");
	engine_config_free(&c);
	engine_config_free(NULL);
	engine_config_init(&c);
	ck_assert_int_eq(engine_config_override(&c, "http://h", NULL, NULL,
						&err), -1);
	ck_assert_int_eq(engine_config_override(&c, "h", "m", NULL, &err), -1);
	engine_config_free(&c);
	cJSON_Delete(root);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("openai");
	TCase *tc = tcase_create("backend");
	TCase *tcfg = tcase_create("config");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, success);
	tcase_add_test(tc, many_keepalive);
	tcase_add_loop_test(tc, one_call, 0, N(one_cases));
	tcase_add_test(tc, quota_stops);
	tcase_add_test(tc, auth_stops);
	tcase_add_test(tc, drain_grace_expires);
	tcase_add_test(tc, drain_grace_lets_finish);
	tcase_add_test(tc, budget_stops);
	tcase_add_test(tc, budget_refuses);
	tcase_add_test(tc, weights_and_failover);
	tcase_add_test(tc, missing_key_names_variable);
	suite_add_tcase(s, tc);
	tcase_add_loop_test(tcfg, config_table, 0, N(cfg_cases));
	tcase_add_test(tcfg, config_values_and_override);
	suite_add_tcase(s, tcfg);
	return s;
}

int
main(void)
{
	return check_tap_run(suite());
}
