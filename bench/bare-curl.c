/* bare-curl.c - the floor for the engine benchmarks: libcurl multi on
 * libuv, sending N POSTs with at most C in flight and discarding the
 * replies. No JSON, no journal, no admission control: what any client
 * built on the same stack must at least spend.
 *
 * usage: bare-curl URL N C [BODY]
 * Prints "sent N ok K wall_s W" on stdout; exit 0 when every request got
 * a 2xx answer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <curl/curl.h>
#include <uv.h>

struct sock {
	uv_poll_t poll;
	curl_socket_t fd;
};

static uv_loop_t *loop;
static CURLM *multi;
static uv_timer_t timer;
static struct curl_slist *hdrs;
static const char *url, *body;
static long total, started, ok, conc;

static void drain(void);

static void
sock_closed(uv_handle_t *h)
{
	free(h->data);
}

static void
poll_cb(uv_poll_t *h, int status, int events)
{
	struct sock *s = h->data;
	int flags = 0, running;

	if (status < 0)
		flags = CURL_CSELECT_ERR;
	if (events & UV_READABLE)
		flags |= CURL_CSELECT_IN;
	if (events & UV_WRITABLE)
		flags |= CURL_CSELECT_OUT;
	curl_multi_socket_action(multi, s->fd, flags, &running);
	drain();
}

static int
sock_cb(CURL *e, curl_socket_t fd, int what, void *u, void *sp)
{
	struct sock *s = sp;
	int ev = 0;

	(void)e;
	(void)u;
	if (what == CURL_POLL_REMOVE) {
		if (s != NULL) {
			uv_poll_stop(&s->poll);
			uv_close((uv_handle_t *)&s->poll, sock_closed);
			curl_multi_assign(multi, fd, NULL);
		}
		return 0;
	}
	if (s == NULL) {
		s = calloc(1, sizeof(*s));
		s->fd = fd;
		uv_poll_init_socket(loop, &s->poll, fd);
		s->poll.data = s;
		curl_multi_assign(multi, fd, s);
	}
	if (what & CURL_POLL_IN)
		ev |= UV_READABLE;
	if (what & CURL_POLL_OUT)
		ev |= UV_WRITABLE;
	uv_poll_start(&s->poll, ev, poll_cb);
	return 0;
}

static void
timeout_cb(uv_timer_t *t)
{
	int running;

	(void)t;
	curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
	drain();
}

static int
timer_cb(CURLM *m, long ms, void *u)
{
	(void)m;
	(void)u;
	if (ms < 0)
		uv_timer_stop(&timer);
	else
		uv_timer_start(&timer, timeout_cb, (uint64_t)ms, 0);
	return 0;
}

static size_t
discard(char *p, size_t sz, size_t n, void *u)
{
	(void)p;
	(void)u;
	return sz * n;
}

/* Send the next request on easy handle e (reused). */
static void
start(CURL *e)
{
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	started++;
	curl_multi_add_handle(multi, e);
}

static void
drain(void)
{
	CURLMsg *m;
	long code;
	int left;

	while ((m = curl_multi_info_read(multi, &left)) != NULL) {
		CURL *e = m->easy_handle;

		if (m->msg != CURLMSG_DONE)
			continue;
		code = 0;
		curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code);
		ok += m->data.result == CURLE_OK && code / 100 == 2;
		curl_multi_remove_handle(multi, e);
		if (started < total)
			start(e);
		else
			curl_easy_cleanup(e);
	}
}

int
main(int argc, char **argv)
{
	struct rlimit rl;
	uint64_t t0;
	long i;

	if (argc < 4) {
		fprintf(stderr, "usage: bare-curl URL N C [BODY]\n");
		return 2;
	}
	url = argv[1];
	total = atol(argv[2]);
	conc = atol(argv[3]);
	body = argc > 4 ? argv[4] : "{\"model\":\"m\",\"messages\":[{\"role\":"
		"\"user\",\"content\":\"hi\"}]}";
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	loop = uv_default_loop();
	multi = curl_multi_init();
	uv_timer_init(loop, &timer);
	curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, sock_cb);
	curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, timer_cb);
	curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, conc + 4);
	hdrs = curl_slist_append(NULL, "Content-Type: application/json");
	hdrs = curl_slist_append(hdrs, "Expect:");
	t0 = uv_hrtime();
	for (i = 0; i < conc && i < total; i++)
		start(curl_easy_init());
	uv_run(loop, UV_RUN_DEFAULT);
	printf("sent %ld ok %ld wall_s %.3f\n", started, ok,
	       (double)(uv_hrtime() - t0) / 1e9);
	curl_multi_cleanup(multi);
	uv_close((uv_handle_t *)&timer, NULL);
	uv_run(loop, UV_RUN_DEFAULT);
	curl_slist_free_all(hdrs);
	curl_global_cleanup();
	return ok == total ? 0 : 1;
}
