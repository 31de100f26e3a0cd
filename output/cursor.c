/* cursor.c - the row cursor of auditors/auditor.h over a dataset (see
 * cursor.h). */
#include "output/cursor.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/buf.h"
#include "output/tablesql.h"

#define CURSOR_MAX_FIELDS 16  /* audited text columns of the widest table */

struct dcursor {
	struct audit_cursor base;   /* first: what auditors see */
	struct dataset *ds;
	size_t table;               /* index in dataset_tables */
	sqlite3_stmt *st;           /* that table's rows, or NULL */
	size_t nfields;
	const char *names[CURSOR_MAX_FIELDS];
	const char *texts[CURSOR_MAX_FIELDS];
	sqlite3_stmt *pst;          /* one persona row, or NULL */
	cJSON *persona;             /* the persona of the last row */
	int64_t persona_id;         /* its id; -1: none loaded */
	unsigned char skip[DATASET_MAX_TABLES];  /* tables counted, not read */
	int64_t passed;             /* rows of those tables */
};

/* Collect the audited text columns (DATASET_AUDIT) of t into c->names.
 * Returns 0, or -1 with err set when there are too many. */
static int
audited_cols(struct dcursor *c, const struct dataset_table *t,
	     struct pf_error *err)
{
	const struct dataset_col *col;

	c->nfields = 0;
	for (col = t->cols; col->name != NULL; col++) {
		if (!(col->flags & DATASET_AUDIT))
			continue;
		if (c->nfields == CURSOR_MAX_FIELDS)
			return pf_error_set(err, "%s: more than %d audited "
					    "columns", t->name,
					    CURSOR_MAX_FIELDS);
		c->names[c->nfields++] = col->name;
	}
	return 0;
}

/* The SELECT of one table: the row's name as findings give it, its
 * persona, then its audited text columns, in id order. */
static int
table_sql(const struct dcursor *c, const struct dataset_table *t,
	  struct buf *b)
{
	const struct dataset_col *id = dataset_id_col(t, 0);
	char key[80];
	size_t i;
	int rc;

	snprintf(key, sizeof(key), "t.\"%s\"", id->name);
	rc = buf_puts(b, "SELECT ");
	rc |= tablesql_row_name(id, key, b);
	rc |= buf_puts(b, ", t." DATASET_PERSONA_COL);
	for (i = 0; i < c->nfields; i++)
		rc |= buf_printf(b, ", t.\"%s\"", c->names[i]);
	return rc | buf_printf(b, " FROM \"%s\" t ORDER BY %s", t->name, key);
}

/* Count the rows of table t, which the cursor passes over, into
 * c->passed. */
static int
pass_table(struct dcursor *c, const struct dataset_table *t,
	   struct pf_error *err)
{
	char sql[128];
	sqlite3_stmt *st;
	int rc;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM \"%s\"", t->name);
	if ((st = dataset_prepare(c->ds, sql, err)) == NULL)
		return -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		c->passed += sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return pf_error_set(err, "counting %s: %s", t->name,
				    sqlite3_errmsg(c->ds->db));
	return 0;
}

/* Prepare the statement of the current table; c->nfields is 0 for a
 * table with nothing to audit or one passed over (and no statement is
 * prepared). */
static int
start_table(struct dcursor *c, struct pf_error *err)
{
	const struct dataset_table *t = &dataset_tables[c->table];
	struct buf sql;
	int rc;

	if (audited_cols(c, t, err) != 0)
		return -1;
	if (c->nfields > 0 && c->skip[c->table]) {
		c->nfields = 0;
		return pass_table(c, t, err);
	}
	if (c->nfields == 0)
		return 0;
	buf_init(&sql, 4096);
	rc = table_sql(c, t, &sql);
	if (rc != 0)
		pf_error_set(err, "%s: query too long", t->name);
	else if ((c->st = dataset_prepare(c->ds, sql.data, err)) == NULL)
		rc = -1;
	buf_free(&sql);
	return rc;
}

/* The persona row `id` as an object of its columns (text as strings,
 * integers as numbers), kept until a row of another persona; NULL when
 * there is none or memory runs out (auditors then judge without it). */
static const cJSON *
persona_of(struct dcursor *c, int64_t id)
{
	const char *name;
	int i;

	if (id == c->persona_id)
		return c->persona;
	cJSON_Delete(c->persona);
	c->persona = NULL;
	c->persona_id = id;
	if (c->pst == NULL && (c->pst = dataset_prepare(c->ds,
	    "SELECT * FROM persona WHERE " DATASET_PERSONA_COL " = ?1",
	    NULL)) == NULL)
		return NULL;
	sqlite3_bind_int64(c->pst, 1, id);
	if (sqlite3_step(c->pst) == SQLITE_ROW &&
	    (c->persona = cJSON_CreateObject()) != NULL) {
		for (i = 0; i < sqlite3_column_count(c->pst); i++) {
			name = sqlite3_column_name(c->pst, i);
			if (sqlite3_column_type(c->pst, i) == SQLITE_INTEGER)
				cJSON_AddNumberToObject(c->persona, name,
					(double)sqlite3_column_int64(c->pst, i));
			else if (sqlite3_column_type(c->pst, i) == SQLITE_TEXT)
				cJSON_AddStringToObject(c->persona, name,
					(const char *)sqlite3_column_text(
						c->pst, i));
		}
	}
	sqlite3_reset(c->pst);
	return c->persona;
}

static void
fill(struct dcursor *c, struct audit_row *row)
{
	size_t i;

	for (i = 0; i < c->nfields; i++)
		c->texts[i] = (const char *)sqlite3_column_text(c->st,
							       (int)i + 2);
	row->table = dataset_tables[c->table].name;
	row->id = (const char *)sqlite3_column_text(c->st, 0);
	row->persona_id = sqlite3_column_int64(c->st, 1);
	row->nfields = c->nfields;
	row->names = c->names;
	row->texts = c->texts;
	row->persona = persona_of(c, row->persona_id);
	row->query_field = NULL;
}

/* audit_cursor.next: step the current table, moving to the next one at
 * its end. */
static int
cursor_next(struct audit_cursor *base, struct audit_row *row,
	    struct pf_error *err)
{
	struct dcursor *c = (struct dcursor *)base;
	int rc;

	for (;;) {
		if (c->st == NULL) {
			if (c->table == dataset_ntables)
				return 0;
			if (start_table(c, err) != 0)
				return -1;
			if (c->st == NULL) {   /* nothing audited here */
				c->table++;
				continue;
			}
		}
		rc = sqlite3_step(c->st);
		if (rc == SQLITE_ROW) {
			fill(c, row);
			return 1;
		}
		if (rc != SQLITE_DONE)
			pf_error_set(err, "reading %s: %s",
				     dataset_tables[c->table].name,
				     sqlite3_errmsg(c->ds->db));
		sqlite3_finalize(c->st);
		c->st = NULL;
		if (rc != SQLITE_DONE)
			return -1;
		c->table++;
	}
}

/* audit_cursor.rewind: cannot fail. */
static int
cursor_rewind(struct audit_cursor *base, struct pf_error *err)
{
	struct dcursor *c = (struct dcursor *)base;

	(void)err;
	sqlite3_finalize(c->st);
	c->st = NULL;
	c->table = 0;
	c->passed = 0;
	return 0;
}

int
dataset_cursor_open(struct dataset *ds, struct audit_cursor **out,
		    struct pf_error *err)
{
	struct dcursor *c;

	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return pf_error_set(err, "out of memory");
	c->base.next = cursor_next;
	c->base.rewind = cursor_rewind;
	c->ds = ds;
	c->persona_id = -1;
	*out = &c->base;
	return 0;
}

int
dataset_cursor_open_for(struct dataset *ds, const struct audit_instance *v,
			size_t n, struct audit_cursor **out,
			struct pf_error *err)
{
	struct dcursor *c;
	size_t i, k;

	if (dataset_cursor_open(ds, out, err) != 0)
		return -1;
	c = (struct dcursor *)*out;
	for (i = 0; i < dataset_ntables && i < DATASET_MAX_TABLES; i++) {
		c->skip[i] = 1;
		for (k = 0; k < n && c->skip[i]; k++)
			if (auditor_reads_table(v[k].auditor,
						dataset_tables[i].name))
				c->skip[i] = 0;
	}
	return 0;
}

int64_t
dataset_cursor_passed(const struct audit_cursor *base)
{
	return ((const struct dcursor *)base)->passed;
}

void
dataset_cursor_close(struct audit_cursor *base)
{
	struct dcursor *c = (struct dcursor *)base;

	if (c == NULL)
		return;
	sqlite3_finalize(c->st);
	sqlite3_finalize(c->pst);
	cJSON_Delete(c->persona);
	free(c);
}
