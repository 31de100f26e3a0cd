/* sqlq.c - write queue with its own thread and connection (see sqlq.h).
 *
 * Encoding of one statement execution in a chunk:
 *   'S' u16 stmt, then per parameter 'T' u32 len bytes | 'I' i64 | 'N',
 *   then 'E'.
 */
#include "engine/sqlq.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "base/buf.h"

#define CHUNK_MAX ((size_t)256 << 20)   /* one unit may not exceed this */
/* A buffer the writer is done with goes back to the producer unless it
 * grew past this (a rare large unit): reusing it spares growing a new
 * one by doubling, and the page faults of fresh memory, each chunk. */
#define SPARE_CAP (4 * SQLQ_CHUNK_BYTES)
/* Buffers in use are at most the producer's, those queued and the one
 * the writer runs: a spare slot for each. */
#define SPARE_MAX (SQLQ_MAX_CHUNKS + 2)

struct sqlq {
	/* producer side (event-loop thread) */
	struct buf cur;
	size_t boundary;
	int oom;
	/* shared, under mu */
	uv_mutex_t mu;
	uv_cond_t more, room, done_cv;
	struct buf q[SQLQ_MAX_CHUNKS];     /* chunks, in order */
	unsigned head, n;
	struct buf spare[SPARE_MAX];       /* emptied chunks, to reuse */
	unsigned nspare;
	uint64_t pushed, committed;
	int closing, failed;
	char msg[512];
	/* writer side */
	uv_thread_t thread;
	sqlite3 *db;
	sqlite3_stmt **st;
	int nst;
};

/* ---- writer thread ---- */

static int
fail_locked(struct sqlq *q, const char *what, const char *why)
{
	if (!q->failed) {
		q->failed = 1;
		snprintf(q->msg, sizeof(q->msg), "%s: %s", what, why);
	}
	return -1;
}

static int
run_op(struct sqlq *q, const char **pp, const char *end)
{
	const char *p = *pp;
	uint16_t id;
	uint32_t len;
	int64_t v;
	int i = 1, rc;
	sqlite3_stmt *st;

	if (end - p < 3)
		return -1;
	memcpy(&id, p + 1, 2);
	p += 3;
	if (id >= q->nst)
		return -1;
	st = q->st[id];
	while (p < end && *p != 'E') {
		if (*p == 'T') {
			if (end - p < 5)
				return -1;
			memcpy(&len, p + 1, 4);
			if ((size_t)(end - p - 5) < len)
				return -1;
			sqlite3_bind_text(st, i++, p + 5, (int)len,
					  SQLITE_STATIC);
			p += 5 + len;
		} else if (*p == 'I') {
			if (end - p < 9)
				return -1;
			memcpy(&v, p + 1, 8);
			sqlite3_bind_int64(st, i++, v);
			p += 9;
		} else {
			sqlite3_bind_null(st, i++);
			p++;
		}
	}
	if (p >= end)
		return -1;
	*pp = p + 1;
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

/* Run one chunk as one transaction. On failure, why gets SQLite's
 * message (taken before the rollback replaces it). */
static int
run_chunk(struct sqlq *q, const struct buf *c, char *why, size_t n)
{
	const char *p = c->data, *end = c->data + c->len;

	if (sqlite3_exec(q->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != 0)
		goto fail;
	while (p < end)
		if (run_op(q, &p, end) != 0)
			goto fail;
	if (sqlite3_exec(q->db, "COMMIT", NULL, NULL, NULL) == 0)
		return 0;
fail:
	snprintf(why, n, "%s", sqlite3_errmsg(q->db));
	sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* Keep the run chunk c for the producer's next one, or free it. Under mu. */
static void
recycle_locked(struct sqlq *q, struct buf *c)
{
	if (q->nspare < SPARE_MAX && c->cap <= SPARE_CAP) {
		buf_reset(c);
		q->spare[q->nspare++] = *c;
	} else {
		buf_free(c);
	}
}

static void
writer_main(void *arg)
{
	struct sqlq *q = arg;
	struct buf c;
	char why[400];
	int rc;

	uv_mutex_lock(&q->mu);
	for (;;) {
		while (q->n == 0 && !q->closing)
			uv_cond_wait(&q->more, &q->mu);
		if (q->n == 0)
			break;
		c = q->q[q->head];
		q->head = (q->head + 1) % SQLQ_MAX_CHUNKS;
		q->n--;
		uv_cond_signal(&q->room);
		rc = 0;
		if (!q->failed) {
			uv_mutex_unlock(&q->mu);
			rc = run_chunk(q, &c, why, sizeof(why));
			uv_mutex_lock(&q->mu);
		}
		if (rc != 0)
			fail_locked(q, "cannot write to the dataset", why);
		recycle_locked(q, &c);
		q->committed++;
		uv_cond_broadcast(&q->done_cv);
	}
	uv_mutex_unlock(&q->mu);
}

/* ---- set-up ---- */

static int
open_conn(struct sqlq *q, const char *path, struct pf_error *err)
{
	if (sqlite3_open_v2(path, &q->db, SQLITE_OPEN_READWRITE |
			    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		return pf_error_set(err, "cannot open %s for writing: %s",
				    path, sqlite3_errmsg(q->db));
	sqlite3_busy_timeout(q->db, 10000);
	return sqlite3_exec(q->db, "PRAGMA synchronous=NORMAL;"
			    "PRAGMA cache_size=-8192;"
			    /* A checkpoint copies every page the log holds
			     * into the file: 64 MB of log between them (not
			     * SQLite's 4 MB) copies a page written several
			     * times (a journal row planned, then done; the
			     * index pages) once. */
			    "PRAGMA wal_autocheckpoint=16384;", NULL, NULL,
			    NULL) == SQLITE_OK ? 0 :
	       pf_error_set(err, "cannot set up %s: %s", path,
			    sqlite3_errmsg(q->db));
}

static void
close_conn(struct sqlq *q)
{
	int i;

	for (i = 0; q->st != NULL && i < q->nst; i++)
		sqlite3_finalize(q->st[i]);
	free(q->st);
	sqlite3_close(q->db);
}

int
sqlq_open(const char *path, struct sqlq **out, struct pf_error *err)
{
	struct sqlq *q = calloc(1, sizeof(*q));

	*out = NULL;
	if (q == NULL)
		return pf_error_set(err, "out of memory");
	buf_init(&q->cur, CHUNK_MAX);
	if (open_conn(q, path, err) != 0) {
		close_conn(q);
		free(q);
		return -1;
	}
	uv_mutex_init(&q->mu);
	uv_cond_init(&q->more);
	uv_cond_init(&q->room);
	uv_cond_init(&q->done_cv);
	if (uv_thread_create(&q->thread, writer_main, q) != 0) {
		close_conn(q);
		free(q);
		return pf_error_set(err, "cannot start the writer thread");
	}
	*out = q;
	return 0;
}

int
sqlq_prepare(struct sqlq *q, const char *sql, int *id, struct pf_error *err)
{
	sqlite3_stmt **st;

	st = realloc(q->st, (size_t)(q->nst + 1) * sizeof(*st));
	if (st == NULL)
		return pf_error_set(err, "out of memory");
	q->st = st;
	if (sqlite3_prepare_v3(q->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
			       &q->st[q->nst], NULL) != SQLITE_OK)
		return pf_error_set(err, "cannot prepare a dataset statement: "
				    "%s", sqlite3_errmsg(q->db));
	*id = q->nst++;
	return 0;
}

int
sqlq_setup_sql(struct sqlq *q, const char *sql, struct pf_error *err)
{
	if (sqlite3_exec(q->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return pf_error_set(err, "cannot set up the writer: %s",
				    sqlite3_errmsg(q->db));
	return 0;
}

/* ---- producer side ---- */

static void
put(struct sqlq *q, const void *p, size_t n)
{
	/* After one failed append the stream is broken: stop adding to it
	 * (nothing more is handed over; sqlq_failed reports it). */
	if (q->oom)
		return;
	if (buf_append(&q->cur, p, n) != 0)
		q->oom = 1;
}

/* A tag byte and its fixed-size field (statement number, length, value)
 * go in with one append: the loop thread encodes some 25 parameters an
 * item. */
static void
put_tagged(struct sqlq *q, char tag, const void *v, size_t n)
{
	char h[9];

	h[0] = tag;
	memcpy(h + 1, v, n);
	put(q, h, 1 + n);
}

void
sqlq_begin(struct sqlq *q, int stmt)
{
	uint16_t id = (uint16_t)stmt;

	put_tagged(q, 'S', &id, 2);
}

void
sqlq_textn(struct sqlq *q, const char *s, size_t n)
{
	uint32_t len = (uint32_t)n;

	if (s == NULL) {
		put(q, "N", 1);
		return;
	}
	put_tagged(q, 'T', &len, 4);
	put(q, s, n);
}

void
sqlq_text(struct sqlq *q, const char *s)
{
	sqlq_textn(q, s, s ? strlen(s) : 0);
}

void
sqlq_int(struct sqlq *q, int64_t v)
{
	put_tagged(q, 'I', &v, 8);
}

void
sqlq_end(struct sqlq *q)
{
	put(q, "E", 1);
}

/* A buffer for the producer's next chunk: a spare one, or an empty one
 * (it grows as it fills). Under mu. */
static struct buf
take_spare_locked(struct sqlq *q)
{
	struct buf b;

	if (q->nspare > 0)
		return q->spare[--q->nspare];
	buf_init(&b, CHUNK_MAX);
	return b;
}

/* Queue bytes [0, boundary) of the current chunk; the rest (a unit not
 * yet complete) moves to the start of the next one. The queued buffer is
 * the current one, trimmed: only the rest is copied. */
static void
hand_over(struct sqlq *q)
{
	struct buf c = q->cur, next;

	if (q->boundary == 0 || q->oom)
		return;
	uv_mutex_lock(&q->mu);
	next = take_spare_locked(q);
	uv_mutex_unlock(&q->mu);
	if (buf_append(&next, c.data + q->boundary,
		       c.len - q->boundary) != 0) {
		buf_free(&next);
		q->oom = 1;
		return;
	}
	c.len = q->boundary;
	c.data[c.len] = '\0';
	q->cur = next;
	q->boundary = 0;
	uv_mutex_lock(&q->mu);
	while (q->n == SQLQ_MAX_CHUNKS)
		uv_cond_wait(&q->room, &q->mu);
	q->q[(q->head + q->n) % SQLQ_MAX_CHUNKS] = c;
	q->n++;
	q->pushed++;
	uv_cond_signal(&q->more);
	uv_mutex_unlock(&q->mu);
}

void
sqlq_boundary(struct sqlq *q)
{
	q->boundary = q->cur.len;
	if (q->cur.len >= SQLQ_CHUNK_BYTES)
		hand_over(q);
}

void
sqlq_flush(struct sqlq *q)
{
	hand_over(q);
}

size_t
sqlq_pending(const struct sqlq *q)
{
	return q->cur.len;
}

int
sqlq_sync(struct sqlq *q)
{
	int failed;

	hand_over(q);
	uv_mutex_lock(&q->mu);
	while (q->committed < q->pushed)
		uv_cond_wait(&q->done_cv, &q->mu);
	failed = q->failed;
	uv_mutex_unlock(&q->mu);
	return failed || q->oom ? -1 : 0;
}

int
sqlq_failed(struct sqlq *q, char *msg, size_t n)
{
	int failed;

	uv_mutex_lock(&q->mu);
	failed = q->failed;
	if (failed && msg != NULL)
		snprintf(msg, n, "%s", q->msg);
	uv_mutex_unlock(&q->mu);
	if (!failed && q->oom) {
		if (msg != NULL)
			snprintf(msg, n, "out of memory queueing writes");
		return 1;
	}
	return failed;
}

int
sqlq_close(struct sqlq *q, struct pf_error *err)
{
	char msg[512];
	int rc;

	if (q == NULL)
		return 0;
	/* Only complete units are written; an unfinished one is dropped. */
	hand_over(q);
	uv_mutex_lock(&q->mu);
	q->closing = 1;
	uv_cond_signal(&q->more);
	uv_mutex_unlock(&q->mu);
	uv_thread_join(&q->thread);
	rc = sqlq_failed(q, msg, sizeof(msg)) ? -1 : 0;
	if (rc != 0)
		pf_error_set(err, "%s", msg);
	close_conn(q);
	uv_cond_destroy(&q->more);
	uv_cond_destroy(&q->room);
	uv_cond_destroy(&q->done_cv);
	uv_mutex_destroy(&q->mu);
	buf_free(&q->cur);
	while (q->nspare > 0)
		buf_free(&q->spare[--q->nspare]);
	free(q);
	return rc;
}
