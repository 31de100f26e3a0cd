/* pool.h - a fork-join pool: run fn over indices 0..n-1 on the calling
 * thread and a few worker threads, and return when every index is done.
 *
 * The workers wait between runs (they do not spin), so a pool can live as
 * long as its user and serve many small runs. Which thread runs which
 * index is not fixed; a caller that needs a fixed outcome keeps each
 * index's result apart and reads them in index order afterwards. fn
 * must only read what other indices may touch.
 *
 * Ownership: the caller owns the pool (pool_free) and everything ud
 * points to; a run does not outlive pool_run.
 */
#ifndef PF_POOL_H
#define PF_POOL_H

#include <stddef.h>

#define POOL_MAX_THREADS 4

struct pool;

/* Work on index i, on thread t (0 is the caller's, 1.. the workers'). */
typedef void (*pool_fn)(void *ud, size_t i, unsigned t);

/* A pool of `threads` threads in all, the caller's included (0: as many
 * as the machine has; at most POOL_MAX_THREADS). A pool of one thread
 * runs everything on the caller's. Returns 0 with *out, or -1 when
 * memory runs out; a worker that cannot start leaves a smaller pool. */
int pool_new(unsigned threads, struct pool **out);

/* The threads of the pool, the caller's included. */
unsigned pool_threads(const struct pool *p);

/* Call fn(ud, i, t) once for each i < n and return when all are done. */
void pool_run(struct pool *p, size_t n, pool_fn fn, void *ud);

/* Start fn(ud, i, t) for each i < n on the workers and return at once,
 * so the caller's thread can do other work meanwhile; pool_wait() ends
 * the run. One run at a time: no pool_run or pool_start until then. A
 * pool of one thread runs everything here, on the caller's thread. */
void pool_start(struct pool *p, size_t n, pool_fn fn, void *ud);

/* End the run pool_start began: the caller's thread takes the indices no
 * worker has taken yet, then waits for the workers. Returns at once when
 * no run is under way. */
void pool_wait(struct pool *p);

/* End the run pool_start began without taking any of its indices on the
 * caller's thread: wait until the workers have done them all. Returns at
 * once when no run is under way. A pool of one thread ran its run in
 * pool_start already. */
void pool_join(struct pool *p);

/* Stop and join the workers and free the pool; accepts NULL. */
void pool_free(struct pool *p);

#endif
