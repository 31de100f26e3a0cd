/* ahead.c - a query run ahead on a connection and thread of its own (see
 * ahead.h). */
#include "output/ahead.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	int ncols;
	int end;                     /* 1 the query ended, -1 it failed */
	int stop;                    /* the caller wants no more rows */
	int running;                 /* the thread was started */
	char msg[256];               /* why it failed */
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

/* Wait for a free slot; NULL when the caller stopped the query. */
static struct slot *
free_slot(struct ahead *a)
{
	struct slot *s = NULL;

	pthread_mutex_lock(&a->mu);
	while (a->count == AHEAD_ROWS && !a->stop)
		pthread_cond_wait(&a->cv, &a->mu);
	if (!a->stop)
		s = &a->q[(a->head + a->count) % AHEAD_ROWS];
	pthread_mutex_unlock(&a->mu);
	return s;
}

/* The thread: step the query, queue each row, then say how it ended. */
static void *
produce(void *ud)
{
	struct ahead *a = ud;
	struct slot *s;
	int rc, end = 1;

	while ((rc = sqlite3_step(a->st)) == SQLITE_ROW) {
		if ((s = free_slot(a)) == NULL)
			break;
		if (copy_row(a, s) != 0) {
			snprintf(a->msg, sizeof(a->msg), "a row larger than "
				 "%zu bytes, or out of memory", AHEAD_ROW_MAX);
			end = -1;
			break;
		}
		pthread_mutex_lock(&a->mu);
		a->count++;
		pthread_cond_broadcast(&a->cv);
		pthread_mutex_unlock(&a->mu);
	}
	if (end == 1 && rc != SQLITE_ROW && rc != SQLITE_DONE) {
		snprintf(a->msg, sizeof(a->msg), "%s", sqlite3_errmsg(a->db));
		end = -1;
	}
	pthread_mutex_lock(&a->mu);
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

int
ahead_start(const char *path, const char *sql, int (*setup)(sqlite3 *db),
	    struct ahead **out, struct pf_error *err)
{
	struct ahead *a = calloc(1, sizeof(*a));

	*out = NULL;
	if (a == NULL)
		return pf_error_set(err, "out of memory");
	pthread_mutex_init(&a->mu, NULL);
	pthread_cond_init(&a->cv, NULL);
	if (open_query(a, path, sql, setup, err) != 0) {
		ahead_free(a);
		return -1;
	}
	if (pthread_create(&a->thread, NULL, produce, a) != 0) {
		ahead_free(a);
		return pf_error_set(err, "cannot start a thread");
	}
	a->running = 1;
	*out = a;
	return 0;
}

int
ahead_next(struct ahead *a, struct ahead_row *row, struct pf_error *err)
{
	const struct slot *s;

	pthread_mutex_lock(&a->mu);
	if (a->held) {
		a->head = (a->head + 1) % AHEAD_ROWS;
		a->count--;
		a->held = 0;
		pthread_cond_broadcast(&a->cv);
	}
	while (a->count == 0 && a->end == 0)
		pthread_cond_wait(&a->cv, &a->mu);
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
	sqlite3_close(a->db);
	for (k = 0; k < AHEAD_ROWS; k++)
		free(a->q[k].mem);
	pthread_cond_destroy(&a->cv);
	pthread_mutex_destroy(&a->mu);
	free(a);
}
