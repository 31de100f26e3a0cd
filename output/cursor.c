/* cursor.c - the row cursor of auditors/auditor.h over a dataset (see
 * cursor.h). */
#include "output/cursor.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

#define CURSOR_MAX_FIELDS 8   /* text columns of the widest table */

struct dcursor {
	struct audit_cursor base;   /* first: what auditors see */
	struct dataset *ds;
	size_t table;               /* index in dataset_tables */
	sqlite3_stmt *st;           /* that table's rows, or NULL */
	size_t nfields;
	const char *texts[CURSOR_MAX_FIELDS];
};

/* The SELECT of one table: the row's id as findings name it, its
 * persona, then its text columns. Narrative rows are keyed by persona_id
 * but named by the persona's text id. */
static int
table_sql(const struct dataset_table *t, struct buf *b)
{
	const char *const *c;

	if (strcmp(t->id_column, "persona_id") == 0)
		buf_puts(b, "SELECT coalesce((SELECT p.id FROM persona p WHERE"
			 " p.persona_id = t.persona_id), t.persona_id)");
	else
		buf_printf(b, "SELECT t.\"%s\"", t->id_column);
	buf_puts(b, ", t.persona_id");
	for (c = t->text_columns; *c != NULL; c++)
		buf_printf(b, ", t.\"%s\"", *c);
	return buf_printf(b, " FROM \"%s\" t ORDER BY t.\"%s\"", t->name,
			  t->id_column);
}

/* Prepare the statement of the current table. */
static int
start_table(struct dcursor *c, struct pf_error *err)
{
	const struct dataset_table *t = &dataset_tables[c->table];
	struct buf sql;

	c->nfields = 0;
	while (t->text_columns[c->nfields] != NULL)
		if (++c->nfields > CURSOR_MAX_FIELDS)
			return pf_error_set(err, "%s: more than %d text "
					    "columns", t->name,
					    CURSOR_MAX_FIELDS);
	buf_init(&sql, 4096);
	if (table_sql(t, &sql) != 0) {
		buf_free(&sql);
		return pf_error_set(err, "%s: query too long", t->name);
	}
	c->st = dataset_prepare(c->ds, sql.data, err);
	buf_free(&sql);
	return c->st != NULL ? 0 : -1;
}

static void
fill(struct dcursor *c, struct audit_row *row)
{
	const struct dataset_table *t = &dataset_tables[c->table];
	size_t i;

	for (i = 0; i < c->nfields; i++)
		c->texts[i] = (const char *)sqlite3_column_text(c->st,
							       (int)i + 2);
	row->table = t->name;
	row->id = (const char *)sqlite3_column_text(c->st, 0);
	row->persona_id = sqlite3_column_int64(c->st, 1);
	row->nfields = c->nfields;
	row->names = t->text_columns;
	row->texts = c->texts;
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
			if (dataset_tables[c->table].name == NULL)
				return 0;
			if (start_table(c, err) != 0)
				return -1;
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
	*out = &c->base;
	return 0;
}

void
dataset_cursor_close(struct audit_cursor *base)
{
	struct dcursor *c = (struct dcursor *)base;

	if (c == NULL)
		return;
	sqlite3_finalize(c->st);
	free(c);
}
