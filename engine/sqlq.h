/* sqlq.h - a write queue with its own thread and SQLite connection.
 *
 * The event loop never waits on the disk: rows are encoded as statement
 * executions (statement number + copied parameters) into a chunk; a full
 * chunk is handed to the writer thread, which runs it as one transaction
 * on its own connection to the same file. Chunks are cut only at unit
 * boundaries the producer marks (sqlq_boundary), so everything one work
 * item writes — its journal row and its dataset rows — commits together or
 * not at all. The queue holds at most SQLQ_MAX_CHUNKS chunks; a producer
 * that gets ahead blocks until the writer catches up, so memory is bounded.
 *
 * The first failed statement stops the writer (later chunks are dropped)
 * and is reported by sqlq_failed() and sqlq_close().
 */
#ifndef PF_SQLQ_H
#define PF_SQLQ_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

#define SQLQ_CHUNK_BYTES ((size_t)1 << 20)   /* hand over at this size */
#define SQLQ_MAX_CHUNKS 2                    /* queued, at most */
#define SQLQ_MAX_PARAMS 64                   /* per statement */

struct sqlq;

/* Start the writer on `path` (an existing database). Returns 0, or -1
 * with err filled (nothing started). */
int sqlq_open(const char *path, struct sqlq **out, struct pf_error *err);

/* Prepare a statement on the writer's connection; *id names it in
 * sqlq_begin(). Only before the first chunk is handed over (set-up). */
int sqlq_prepare(struct sqlq *q, const char *sql, int *id,
		 struct pf_error *err);

/* Run `sql` (PRAGMAs, say) on the writer's connection, for callers whose
 * file wants other settings than the defaults (synchronous=NORMAL, a 32 MB
 * page cache). Only before the first chunk is handed over (set-up).
 * Returns 0, or -1 with err filled. */
int sqlq_setup_sql(struct sqlq *q, const char *sql, struct pf_error *err);

/* Flush, commit, stop the thread, close the connection and free. Returns 0,
 * or -1 with err filled if any write failed. Accepts NULL. */
int sqlq_close(struct sqlq *q, struct pf_error *err);

/* Begin an execution of statement `stmt`; add its parameters in order with
 * the calls below, then sqlq_end(). Text is copied. */
void sqlq_begin(struct sqlq *q, int stmt);
void sqlq_text(struct sqlq *q, const char *s);       /* NULL binds NULL */
void sqlq_textn(struct sqlq *q, const char *s, size_t n);
void sqlq_int(struct sqlq *q, int64_t v);
void sqlq_end(struct sqlq *q);

/* The statements given so far form a complete unit. */
void sqlq_boundary(struct sqlq *q);

/* Hand the current chunk (up to the last boundary) to the writer now, for
 * timely commits when rows trickle in. */
void sqlq_flush(struct sqlq *q);

/* Block until everything before the last boundary is committed. Returns 0,
 * or -1 if a write failed. */
int sqlq_sync(struct sqlq *q);

/* Nonzero once a write failed; copies the message into msg. */
int sqlq_failed(struct sqlq *q, char *msg, size_t n);

/* Bytes encoded since the last hand-over (for tests and batching). */
size_t sqlq_pending(const struct sqlq *q);

#endif
