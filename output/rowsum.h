/* rowsum.h - the row checksums of the dataset tables.
 *
 * Every table of the registry (output/tables.h) ends with a `row_sum`
 * column: the base/sum64.h checksum of the row's summed columns
 * (dataset_col_summed: all but the auditors' `quarantined` flag, the
 * DATASET_KEEP columns an upsert leaves alone, the DATASET_AUTO ones
 * SQLite fills, and the sum itself), in table order, each fed with its
 * registry type. The writer adds it to every row it inserts; whoever
 * reads rows back (export, `personaforge verify`) checks it, so a damaged
 * byte in the file is reported with its table and row instead of being
 * passed on.
 */
#ifndef PF_ROWSUM_H
#define PF_ROWSUM_H

#include <stdint.h>

#include <sqlite3.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/sum64.h"
#include "output/tables.h"

/* Which parameters of t's insert (output/tablesql.h: every column but the
 * DATASET_AUTO ones, in table order) the checksum covers: mask[k] is 1 for
 * a summed parameter. Returns the number of parameters before the
 * row_sum one (the writer binds the sum last), or -1 when t has no
 * row_sum column as its last column, or more than max parameters. */
int rowsum_params(const struct dataset_table *t, unsigned char *mask,
		  size_t max);

/* The checksum of a row as its insert's parameters go by (in column
 * order, as rowsum_params numbers them): the one summing rule of the
 * writer's queued rows and of rows bound on a connection. */
struct rowsum_acc {
	const unsigned char *mask;  /* rowsum_params' mask; not copied */
	int n, k;                   /* parameters before the sum; next one */
	struct sum64 sum;
};

/* Start a row whose parameters mask (n of them before the sum) covers. */
void rowsum_acc_begin(struct rowsum_acc *a, const unsigned char *mask,
		      int n);
/* Count the next parameter: text (NULL counts as "") or an integer. */
void rowsum_acc_text(struct rowsum_acc *a, const char *v);
void rowsum_acc_int(struct rowsum_acc *a, int64_t v);
/* The row's checksum (a is not changed). */
int64_t rowsum_acc_final(const struct rowsum_acc *a);

/* Binding a row into a prepared tablesql_insert statement of a table,
 * summing as it goes: for code that writes rows on its own connection
 * (the writer queues them instead). Bind every parameter in column order
 * with the two calls below, then rowsum_bind_end() binds the checksum. */
struct rowsum_bind {
	sqlite3_stmt *st;
	unsigned char mask[DATASET_MAX_COLS];
	struct rowsum_acc acc;
};

/* Start binding a row of t into st. Returns 0, or -1 when t has no
 * row_sum column. */
int rowsum_bind_begin(struct rowsum_bind *b, sqlite3_stmt *st,
		      const struct dataset_table *t);
void rowsum_bind_text(struct rowsum_bind *b, const char *v);
/* rowsum_bind_text without a copy: v must stay as it is until the
 * statement is stepped and reset (a row stored at once: no allocation
 * per text of each of a dataset's hundreds of thousands of scores). */
void rowsum_bind_text_static(struct rowsum_bind *b, const char *v);
void rowsum_bind_int(struct rowsum_bind *b, int64_t v);
/* SQL NULL into a DATASET_NULL column (summed as ""). */
void rowsum_bind_null(struct rowsum_bind *b);
void rowsum_bind_end(struct rowsum_bind *b);

/* Where a statement's result row holds the summed columns of one table
 * and its row_sum. */
struct rowsum_plan {
	const struct dataset_table *table;
	int n;                             /* summed columns */
	int col[DATASET_MAX_COLS];         /* their result columns */
	unsigned char is_int[DATASET_MAX_COLS];
	unsigned char is_id[DATASET_MAX_COLS];   /* a DATASET_ID column */
	unsigned char may_null[DATASET_MAX_COLS];  /* DATASET_NULL */
	const char *name[DATASET_MAX_COLS];      /* registry column names */
	int sum_col;                       /* result column of row_sum */
};

/* A plan for a statement that selects `alias.*` of t first (registry
 * positions). Returns 0, or -1 when t has no row_sum column. */
int rowsum_plan_star(struct rowsum_plan *p, const struct dataset_table *t);

/* The same for a statement selecting the columns of t's insert first:
 * every column but the DATASET_AUTO ones, in table order. */
int rowsum_plan_insert(struct rowsum_plan *p, const struct dataset_table *t);

/* 1 when the columns of st, a SELECT * of t, are t's registry columns
 * by number and name, as rowsum_plan_star() and the persona export
 * assume; else 0 with a sentence saying the first that differs in
 * why[n]. A damaged schema text can rename a column and still pass
 * integrity_check: such a file is damaged. */
int rowsum_columns_match(const struct dataset_table *t, sqlite3_stmt *st,
			 char *why, size_t n);

/* Append ", alias."col"" for every summed column of t and then its row_sum
 * to b, and fill p with their result positions, counting from `first`
 * (the 0-based position the first of them will have). Returns 0, or -1
 * when t has no row_sum column or b is full. */
int rowsum_plan_select(struct rowsum_plan *p, const struct dataset_table *t,
		       const char *alias, int first, struct buf *b);

/* The checksum of the row st is on, from its columns as read, into *sum.
 * Returns 0, or -1 when a column does not hold its registry type (the
 * row is damaged). */
int rowsum_compute(const struct rowsum_plan *p, sqlite3_stmt *st,
		   int64_t *sum);

/* Check the row st is on against plan p: 0 when the stored sum matches
 * the columns as read (each of its registry type), 1 when it does not:
 * the row is damaged. */
int rowsum_check(const struct rowsum_plan *p, sqlite3_stmt *st);

/* Name the row st is on by its id columns ("qa_id=p000001-q3") in out
 * (always NUL-terminated), for messages about it. */
void rowsum_row_name(const struct rowsum_plan *p, sqlite3_stmt *st,
		     char *out, size_t n);

/* rowsum_check() as readers report it: 0 when the row st is on is
 * intact; 1 when it is damaged, with err (may be NULL) saying "damaged
 * row in table T (ID): its checksum does not match its content", then
 * `hint` when not NULL, and err->file = path. */
int rowsum_check_report(const struct rowsum_plan *p, sqlite3_stmt *st,
			const char *path, const char *hint,
			struct pf_error *err);

#endif
