/* ahead.c - a query run ahead on a connection and thread of its own (see
 * ahead.h). */
#include "output/ahead.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/keyrank.h"

/* One row in the queue: its integers, and its texts in mem. */
struct slot {
	int64_t i[AHEAD_COLS];
	const char *s[AHEAD_COLS];
	size_t off[AHEAD_COLS];      /* each text's offset in mem, or -1 */
	char *mem;
	size_t cap;
};

struct ahead {
	sqlite3 *db;
	sqlite3_stmt *st;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;           /* a row in, a row taken, an end */
	struct slot q[AHEAD_ROWS];
	size_t head, count;          /* the oldest row; rows queued */
	int held;                    /* the caller holds the head row */
	int taken;                   /* a row was ever taken */
	int cwait, pwait;            /* the caller, the thread waits */
	int ncols;
	int end;                     /* 1 the query ended, -1 it failed */
	int stop;                    /* the caller wants no more rows */
	int running;                 /* the thread was started */
	char msg[256];               /* why it failed */
	/* ranked (ahead_start_ranked): */
	sqlite3_stmt *keys;          /* the keys' query, or NULL */
	char *plain;                 /* the rows ranked by SQL */
	struct keyrank *rank;        /* the keys' ranks, once read */
	int rank_col;
};

/* Copy the statement's current row into slot s. Returns 0, or -1 (the
 * row's text is too large, or memory ran out). */
static int
copy_row(struct ahead *a, struct slot *s)
{
	size_t used = 0, k, need;
	const char *t;
	char *p;
	int c;

	for (c = 0; c < a->ncols; c++) {
		s->i[c] = sqlite3_column_int64(a->st, c);
		s->off[c] = (size_t)-1;
		if (sqlite3_column_type(a->st, c) == SQLITE_NULL)
			continue;
		t = (const char *)sqlite3_column_text(a->st, c);
		k = (size_t)sqlite3_column_bytes(a->st, c) + 1;
		if (t == NULL || (need = used + k) > AHEAD_ROW_MAX)
			return -1;
		if (need > s->cap) {
			if ((p = realloc(s->mem, 2 * need)) == NULL)
				return -1;
			s->mem = p;
			s->cap = 2 * need;
		}
		memcpy(s->mem + used, t, k);
		s->off[c] = used;
		used = need;
	}
	for (c = 0; c < a->ncols; c++)
		s->s[c] = s->off[c] == (size_t)-1 ? NULL : s->mem + s->off[c];
	return 0;
}

/* Queue the row written in the slot taken last (when `put`), then wait
 * for a free slot; NULL when the caller stopped the query. A waiting
 * caller is woken once AHEAD_WAKE rows are queued, not at each row:
 * waking it for every row cost more than the rows. */
static struct slot *
next_slot(struct ahead *a, int put)
{
	struct slot *s = NULL;

	pthread_mutex_lock(&a->mu);
	if (put && ++a->count >= AHEAD_WAKE && a->cwait)
		pthread_cond_broadcast(&a->cv);
	while (a->count == AHEAD_ROWS && !a->stop) {
		a->pwait = 1;
		pthread_cond_wait(&a->cv, &a->mu);
		a->pwait = 0;
	}
	if (!a->stop)
		s = &a->q[(a->head + a->count) % AHEAD_ROWS];
	pthread_mutex_unlock(&a->mu);
	return s;
}

/* Read the keys of a ranked query into a->rank. Returns 0, 1 when they
 * pass the bounds (a->rank is then gone), or -1 with a->msg. */
static int
read_keys(struct ahead *a)
{
	const char *t;
	int rc = SQLITE_DONE, got = 0;

	while (got == 0 && (rc = sqlite3_step(a->keys)) == SQLITE_ROW)
		if ((t = (const char *)sqlite3_column_text(a->keys, 0)) != NULL)
			got = keyrank_add(a->rank, t, (size_t)
					  sqlite3_column_bytes(a->keys, 0));
	if (got == 0 && rc != SQLITE_DONE) {
		snprintf(a->msg, sizeof(a->msg), "%s", sqlite3_errmsg(a->db));
		return -1;
	}
	if (got == 0 && (got = keyrank_seal(a->rank)) == 0)
		return 0;
	if (got < 0) {
		snprintf(a->msg, sizeof(a->msg), "out of memory");
		return -1;
	}
	keyrank_free(a->rank);
	a->rank = NULL;
	return 1;
}

/* The keys of a ranked query, or its plain form when they do not fit.
 * Returns 0, or -1 with a->msg. */
static int
begin_ranked(struct ahead *a)
{
	int rc = read_keys(a);

	if (rc <= 0)
		return rc;
	sqlite3_finalize(a->st);
	a->st = NULL;
	if (sqlite3_prepare_v2(a->db, a->plain, -1, &a->st, NULL) == SQLITE_OK
	    && sqlite3_column_count(a->st) == a->ncols)
		return 0;
	snprintf(a->msg, sizeof(a->msg), "%s", a->st == NULL ?
		 sqlite3_errmsg(a->db) : "the plain query's columns differ");
	return -1;
}

/* Rank the key in slot s's ranked column. Returns 0, or -1 with a->msg
 * when the key is not among the keys. */
static int
rank_row(struct ahead *a, struct slot *s)
{
	const char *key = s->s[a->rank_col];
	int64_t r = key != NULL ? keyrank_find(a->rank, key) : 0;

	if (r == 0) {
		snprintf(a->msg, sizeof(a->msg), "a key read ahead is not "
			 "among the keys");
		return -1;
	}
	s->i[a->rank_col] = r;
	s->i[a->rank_col + 1] = keyrank_count(a->rank);
	return 0;
}

/* The thread: step the query, queue each row, then say how it ended. */
static void *
produce(void *ud)
{
	struct ahead *a = ud;
	struct slot *s;
	int rc = SQLITE_DONE, end = 1, put = 0;

	if (a->keys != NULL && begin_ranked(a) != 0)
		end = -1;
	while (end == 1 && (rc = sqlite3_step(a->st)) == SQLITE_ROW) {
		s = next_slot(a, put);
		put = 0;
		if (s == NULL)
			break;
		if (copy_row(a, s) != 0) {
			snprintf(a->msg, sizeof(a->msg), "a row larger than "
				 "%zu bytes, or out of memory", AHEAD_ROW_MAX);
			end = -1;
		} else if (a->rank != NULL && rank_row(a, s) != 0) {
			end = -1;
		}
		put = end == 1;
	}
	if (end == 1 && rc != SQLITE_ROW && rc != SQLITE_DONE) {
		snprintf(a->msg, sizeof(a->msg), "%s", sqlite3_errmsg(a->db));
		end = -1;
	}
	pthread_mutex_lock(&a->mu);
	a->count += put;
	a->end = end;
	pthread_cond_broadcast(&a->cv);
	pthread_mutex_unlock(&a->mu);
	return NULL;
}

/* Open the connection and prepare sql. Returns 0, or -1 with err. */
static int
open_query(struct ahead *a, const char *path, const char *sql,
	   int (*setup)(sqlite3 *db), struct pf_error *err)
{
	if (sqlite3_open_v2(path, &a->db, SQLITE_OPEN_READONLY |
			    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		return pf_error_set(err, "cannot open a second connection: %s",
				    a->db ? sqlite3_errmsg(a->db) :
				    "out of memory");
	sqlite3_busy_timeout(a->db, 5000);
	/* Pages read straight from the file's mapping, not copied in by
	 * pread: a query read ahead scans whole tables. */
	sqlite3_exec(a->db, AHEAD_MMAP_PRAGMA, NULL, NULL, NULL);
	if (setup != NULL && setup(a->db) != 0)
		return pf_error_set(err, "cannot set up a second connection:"
				    " %s", sqlite3_errmsg(a->db));
	if (sqlite3_prepare_v2(a->db, sql, -1, &a->st, NULL) != SQLITE_OK)
		return pf_error_set(err, "cannot read ahead: %s",
				    sqlite3_errmsg(a->db));
	a->ncols = sqlite3_column_count(a->st);
	if (a->ncols > AHEAD_COLS)
		return pf_error_set(err, "cannot read ahead: %d columns, at "
				    "most %d", a->ncols, AHEAD_COLS);
	return 0;
}

/* A new handle, or NULL with err. */
static struct ahead *
new_ahead(struct pf_error *err)
{
	struct ahead *a = calloc(1, sizeof(*a));

	if (a == NULL) {
		pf_error_set(err, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&a->mu, NULL);
	pthread_cond_init(&a->cv, NULL);
	return a;
}

/* Start a's thread; *out = a, or a freed and -1 with err. */
static int
run(struct ahead *a, struct ahead **out, struct pf_error *err)
{
	if (pthread_create(&a->thread, NULL, produce, a) != 0) {
		ahead_free(a);
		return pf_error_set(err, "cannot start a thread");
	}
	a->running = 1;
	*out = a;
	return 0;
}

int
ahead_start(const char *path, const char *sql, int (*setup)(sqlite3 *db),
	    struct ahead **out, struct pf_error *err)
{
	struct ahead *a = new_ahead(err);

	*out = NULL;
	if (a == NULL)
		return -1;
	if (open_query(a, path, sql, setup, err) != 0) {
		ahead_free(a);
		return -1;
	}
	return run(a, out, err);
}

/* The ranked part of a: its column, its keys' query, its plain form,
 * all in one read transaction. Returns 0, or -1 with err. */
static int
prepare_rank(struct ahead *a, const struct ahead_rank *r,
	     struct pf_error *err)
{
	if (r->col < 0 || r->col + 1 >= a->ncols)
		return pf_error_set(err, "cannot read ahead: no column %d to "
				    "rank", r->col);
	a->rank_col = r->col;
	if (keyrank_new(&a->rank) != 0 ||
	    (a->plain = strdup(r->plain)) == NULL)
		return pf_error_set(err, "out of memory");
	if (sqlite3_exec(a->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(a->db, r->keys_sql, -1, &a->keys, NULL)
	    != SQLITE_OK)
		return pf_error_set(err, "cannot read ahead: %s",
				    sqlite3_errmsg(a->db));
	return 0;
}

int
ahead_start_ranked(const char *path, const char *sql,
		   const struct ahead_rank *r, struct ahead **out,
		   struct pf_error *err)
{
	struct ahead *a = new_ahead(err);

	*out = NULL;
	if (a == NULL)
		return -1;
	if (open_query(a, path, sql, NULL, err) != 0 ||
	    prepare_rank(a, r, err) != 0) {
		ahead_free(a);
		return -1;
	}
	return run(a, out, err);
}

int
ahead_next(struct ahead *a, struct ahead_row *row, struct pf_error *err)
{
	const struct slot *s;

	pthread_mutex_lock(&a->mu);
	if (a->held) {
		a->head = (a->head + 1) % AHEAD_ROWS;
		a->held = 0;
		/* the thread waits for a full queue to drain by a batch */
		if (--a->count <= AHEAD_ROWS - AHEAD_WAKE && a->pwait)
			pthread_cond_broadcast(&a->cv);
	}
	while (a->count == 0 && a->end == 0) {
		a->cwait = 1;
		pthread_cond_wait(&a->cv, &a->mu);
		a->cwait = 0;
	}
	if (a->count == 0) {
		pthread_mutex_unlock(&a->mu);
		return a->end > 0 ? 0 : pf_error_set(err, "cannot read ahead:"
						     " %s", a->msg);
	}
	s = &a->q[a->head];
	a->held = a->taken = 1;
	pthread_mutex_unlock(&a->mu);
	row->n = a->ncols;
	row->i = s->i;
	row->s = s->s;
	return 1;
}

int
ahead_started(const struct ahead *a)
{
	return a != NULL && a->taken;
}

void
ahead_free(struct ahead *a)
{
	size_t k;

	if (a == NULL)
		return;
	if (a->running) {
		pthread_mutex_lock(&a->mu);
		a->stop = 1;
		pthread_cond_broadcast(&a->cv);
		pthread_mutex_unlock(&a->mu);
		/* a query still working towards its next row stops at once
		 * (after the end there is nothing to stop) */
		sqlite3_interrupt(a->db);
		pthread_join(a->thread, NULL);
	}
	sqlite3_finalize(a->st);
	sqlite3_finalize(a->keys);
	sqlite3_close(a->db);
	keyrank_free(a->rank);
	free(a->plain);
	for (k = 0; k < AHEAD_ROWS; k++)
		free(a->q[k].mem);
	pthread_cond_destroy(&a->cv);
	pthread_mutex_destroy(&a->mu);
	free(a);
}
