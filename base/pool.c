/* pool.c - a fork-join pool (see pool.h). */
#include "base/pool.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <uv.h>

struct pool;

/* One worker: its number and its pool. */
struct worker {
	struct pool *p;
	unsigned t;
	uv_thread_t th;
};

struct pool {
	unsigned nthreads;           /* caller's included */
	struct worker w[POOL_MAX_THREADS];
	uv_mutex_t mu;
	uv_cond_t go, done;
	uint64_t gen;                /* runs started: a new one wakes all */
	unsigned busy;               /* workers still in the current run */
	int quit;
	int started;                 /* pool_start's run not yet waited for */
	/* the current run */
	pool_fn fn;
	void *ud;
	size_t n;
	atomic_size_t next;
};

/* Take indices of the current run until none is left. */
static void
work(struct pool *p, unsigned t)
{
	size_t i;

	while ((i = atomic_fetch_add(&p->next, 1)) < p->n)
		p->fn(p->ud, i, t);
}

static void
worker_main(void *arg)
{
	struct worker *w = arg;
	struct pool *p = w->p;
	uint64_t seen = 0;

	uv_mutex_lock(&p->mu);
	for (;;) {
		while (!p->quit && p->gen == seen)
			uv_cond_wait(&p->go, &p->mu);
		if (p->quit)
			break;
		seen = p->gen;
		uv_mutex_unlock(&p->mu);
		work(p, w->t);
		uv_mutex_lock(&p->mu);
		if (--p->busy == 0)
			uv_cond_signal(&p->done);
	}
	uv_mutex_unlock(&p->mu);
}

int
pool_new(unsigned threads, struct pool **out)
{
	struct pool *p = calloc(1, sizeof(*p));
	unsigned i;

	*out = NULL;
	if (p == NULL)
		return -1;
	if (threads == 0)
		threads = uv_available_parallelism();
	if (threads > POOL_MAX_THREADS)
		threads = POOL_MAX_THREADS;
	if (uv_mutex_init(&p->mu) != 0) {
		free(p);
		return -1;
	}
	if (uv_cond_init(&p->go) != 0 || uv_cond_init(&p->done) != 0) {
		/* (neither fails on Linux; were one to, the pool runs on
		 * the caller's thread alone and never waits on them) */
		threads = 1;
	}
	p->nthreads = 1;
	for (i = 1; i < threads; i++) {
		p->w[i].p = p;
		p->w[i].t = i;
		if (uv_thread_create(&p->w[i].th, worker_main, &p->w[i]) != 0)
			break;
		p->nthreads++;
	}
	*out = p;
	return 0;
}

unsigned
pool_threads(const struct pool *p)
{
	return p->nthreads;
}

/* Set up a run and wake the workers. */
static void
wake(struct pool *p, size_t n, pool_fn fn, void *ud)
{
	p->fn = fn;
	p->ud = ud;
	p->n = n;
	atomic_store(&p->next, 0);
	uv_mutex_lock(&p->mu);
	p->busy = p->nthreads - 1;
	p->gen++;
	uv_cond_broadcast(&p->go);
	uv_mutex_unlock(&p->mu);
}

static void
join(struct pool *p)
{
	uv_mutex_lock(&p->mu);
	while (p->busy > 0)
		uv_cond_wait(&p->done, &p->mu);
	uv_mutex_unlock(&p->mu);
}

void
pool_run(struct pool *p, size_t n, pool_fn fn, void *ud)
{
	if (p->nthreads > 1 && n > 1) {
		wake(p, n, fn, ud);
		work(p, 0);
		join(p);
		return;
	}
	p->fn = fn;
	p->ud = ud;
	p->n = n;
	atomic_store(&p->next, 0);
	work(p, 0);
}

void
pool_start(struct pool *p, size_t n, pool_fn fn, void *ud)
{
	if (p->nthreads < 2) {
		pool_run(p, n, fn, ud);
		return;
	}
	wake(p, n, fn, ud);
	p->started = 1;
}

void
pool_wait(struct pool *p)
{
	if (!p->started)
		return;
	work(p, 0);
	join(p);
	p->started = 0;
}

void
pool_join(struct pool *p)
{
	if (!p->started)
		return;
	join(p);
	p->started = 0;
}

void
pool_free(struct pool *p)
{
	unsigned i;

	if (p == NULL)
		return;
	pool_wait(p);
	uv_mutex_lock(&p->mu);
	p->quit = 1;
	uv_cond_broadcast(&p->go);
	uv_mutex_unlock(&p->mu);
	for (i = 1; i < p->nthreads; i++)
		uv_thread_join(&p->w[i].th);
	uv_cond_destroy(&p->go);
	uv_cond_destroy(&p->done);
	uv_mutex_destroy(&p->mu);
	free(p);
}
