/* ahead.h - a query run ahead: on a read-only connection of its own to a
 * dataset file and on a thread of its own, while the caller's thread goes
 * on with its own connection; the rows come back through a bounded queue,
 * in the query's order.
 *
 * It reads what is committed when its query starts, so a caller starts it
 * over tables its open transaction has not changed, and on a file in WAL
 * mode (readers and the writer then do not wait for each other): the
 * measures of a rerun read the journal, the texts and the exposure lists
 * this way while the rerun's own connection settles findings and
 * quarantine (output/metrics.h). Memory is bounded: the queue holds
 * AHEAD_ROWS rows of at most AHEAD_COLS columns and AHEAD_ROW_MAX bytes of
 * text each; a larger row ends the query with an error.
 *
 * Ownership: the caller owns the handle (ahead_free); a row lives until
 * the next ahead_next or ahead_free.
 */
#ifndef PF_AHEAD_H
#define PF_AHEAD_H

#include <stdint.h>

#include <sqlite3.h>

#include "base/error.h"

#define AHEAD_ROWS 256
#define AHEAD_WAKE 64    /* rows queued, or taken, before a wait ends */
#define AHEAD_COLS 64
#define AHEAD_ROW_MAX ((size_t)1 << 20)

/* The mapping a connection that scans whole tables sets (SQLite reads
 * the rest of a larger file, and any file where mapping fails, with
 * pread as before); ahead_start sets it on its own. */
#define AHEAD_MMAP_PRAGMA "PRAGMA mmap_size=1073741824"

struct ahead;

/* One row: n columns, each as sqlite3_column_int64 gives it and as text
 * (NULL for an SQL NULL). */
struct ahead_row {
	int n;
	const int64_t *i;
	const char *const *s;
};

/* Run sql on a new read-only connection to the file at path, calling
 * setup(db) first when it is not NULL (to register SQL functions; it
 * returns 0 or nonzero to give up). Returns 0 with *out, or -1 with err
 * filled (the file does not open, setup or the SQL fails, the query has
 * too many columns, or no thread starts). */
int ahead_start(const char *path, const char *sql, int (*setup)(sqlite3 *db),
		struct ahead **out, struct pf_error *err);

/* A column ranked on the reading thread (output/keyrank.h) rather than
 * by an SQL window, which sorts every row once more: keys_sql gives the
 * keys (one text column, in rank order, a repeat right after itself),
 * the query's column `col` a key as text; each row's integer of column
 * col is then its key's rank (1..n), and of column col + 1 n. When the
 * keys pass keyrank's bounds, `plain` is run instead: the same rows with
 * both integers from SQL. The queries read one snapshot. */
struct ahead_rank {
	const char *keys_sql;
	const char *plain;
	int col;
};

/* ahead_start with column r->col ranked (struct ahead_rank); a key not
 * among the keys ends the query with an error. */
int ahead_start_ranked(const char *path, const char *sql,
		       const struct ahead_rank *r, struct ahead **out,
		       struct pf_error *err);

/* The next row: 1 with *row filled, 0 after the last, -1 with err filled
 * (the query failed, or a row was too large). */
int ahead_next(struct ahead *a, struct ahead_row *row, struct pf_error *err);

/* 1 once a row has been taken from a. */
int ahead_started(const struct ahead *a);

/* Stop the query if it is still running and free a; accepts NULL. */
void ahead_free(struct ahead *a);

#endif
