/* offline.c - the offline backend (see offline.h). */
#include "llm/offline.h"

#include <stdlib.h>
#include <string.h>

struct offline {
	struct backend base;       /* first: the backend is the offline */
	uv_idle_t idle;
	struct llm_call **q;       /* ring of queued calls */
	unsigned cap, head, n;
	int draining;
};

static void
answer(struct offline *o, struct llm_call *c)
{
	if (o->draining) {
		c->result = LLM_ABANDONED;
		return;
	}
	c->content = malloc(c->offline_reply_len + 1);
	if (c->content == NULL) {
		c->result = LLM_FAILED;
		c->error = strdup("out of memory");
		return;
	}
	memcpy(c->content, c->offline_reply ? c->offline_reply : "",
	       c->offline_reply_len);
	c->content[c->offline_reply_len] = '\0';
	c->content_len = c->offline_reply_len;
	c->result = LLM_OK;
	c->attempts = 1;
	strcpy(c->finish_reason, "stop");
	strcpy(c->model, OFFLINE_MODEL);
	/* The same rough estimate a tokenizer-less client would make. */
	c->prompt_tokens = (uint32_t)(c->body_len / 4);
	c->completion_tokens = (uint32_t)(c->offline_reply_len / 4);
}

/* Complete the calls queued before this iteration; calls submitted from
 * their done() callbacks wait for the next one. */
static void
on_idle(uv_idle_t *h)
{
	struct offline *o = h->data;
	unsigned k = o->n;
	struct llm_call *c;

	while (k-- > 0 && o->n > 0) {
		c = o->q[o->head];
		o->head = (o->head + 1) % o->cap;
		o->n--;
		answer(o, c);
		c->done(c);
	}
	if (o->n == 0)
		uv_idle_stop(&o->idle);
}

static int
submit(struct backend *b, struct llm_call *c)
{
	struct offline *o = (struct offline *)b;

	if (o->n == o->cap)
		return -1;
	o->q[(o->head + o->n) % o->cap] = c;
	o->n++;
	uv_idle_start(&o->idle, on_idle);
	return 0;
}

static unsigned
capacity(struct backend *b)
{
	struct offline *o = (struct offline *)b;

	return o->cap - o->n;
}

static void
drain(struct backend *b, uint64_t grace_ms)
{
	struct offline *o = (struct offline *)b;

	(void)grace_ms;
	o->draining = 1;
	if (o->n > 0)
		uv_idle_start(&o->idle, on_idle);
}

static enum llm_result
stopped(struct backend *b)
{
	(void)b;
	return LLM_OK;
}

static void
free_cb(uv_handle_t *h)
{
	struct offline *o = h->data;

	free(o->q);
	free(o);
}

static void
close_backend(struct backend *b)
{
	struct offline *o = (struct offline *)b;

	if (o == NULL)
		return;
	uv_idle_stop(&o->idle);
	uv_close((uv_handle_t *)&o->idle, free_cb);
}

static const struct backend_ops offline_ops = {
	.name = "offline",
	.submit = submit,
	.capacity = capacity,
	.drain = drain,
	.stopped = stopped,
	.stats = NULL,
	.close = close_backend,
};

int
offline_backend_new(uv_loop_t *loop, unsigned window, struct backend **out)
{
	struct offline *o = calloc(1, sizeof(*o));

	*out = NULL;
	if (o == NULL || window == 0 ||
	    (o->q = calloc(window, sizeof(*o->q))) == NULL) {
		free(o);
		return -1;
	}
	o->cap = window;
	o->base.ops = &offline_ops;
	o->base.loop = loop;
	uv_idle_init(loop, &o->idle);
	o->idle.data = o;
	*out = &o->base;
	return 0;
}
