/* tablesql.h - SQL text derived from the dataset table registry
 * (output/tables.h): the schema, the writers' statements, the drops.
 *
 * Identifiers come from the registry (constants, double-quoted); values
 * are always parameters, never text spliced in. Every function appends to
 * a caller-owned buffer and returns 0, or -1 when the buffer's maximum or
 * memory ran out (the buffer may then hold part of the text).
 */
#ifndef PF_TABLESQL_H
#define PF_TABLESQL_H

#include "base/buf.h"
#include "output/tables.h"

/* CREATE TABLE (and its indexes) for every registry table, in order. */
int tablesql_schema(struct buf *b);

/* DROP TABLE IF EXISTS for every registry table. */
int tablesql_drop(struct buf *b);

/* The statement that writes one row of t, by t->write. Parameters ?1..?n
 * are the columns in table order (persona fields expanded), leaving out
 * DATASET_AUTO ones. */
int tablesql_insert(const struct dataset_table *t, struct buf *b);

/* The statement that deletes t's rows named by ?1, ?2... (one per
 * DATASET_ID column, persona ids given as text ids). */
int tablesql_delete(const struct dataset_table *t, struct buf *b);

/* Append the SQL value of DATASET_ID column c given the row id in the
 * SQL expression `row_id` (a parameter or a column): the persona_id of a
 * persona text id for an INTEGER column, else row_id itself. */
int tablesql_row_key(const struct dataset_col *c, const char *row_id,
		     struct buf *b);

/* The other way: append the SQL expression naming a row as findings
 * name it, given its DATASET_ID column c in the SQL expression `key`
 * (a column): for an INTEGER column the persona's text id ("p000042";
 * the number itself if the persona is missing), else key itself. */
int tablesql_row_name(const struct dataset_col *c, const char *key,
		      struct buf *b);

#endif
