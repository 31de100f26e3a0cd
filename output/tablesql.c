/* tablesql.c - SQL derived from the table registry (see tablesql.h). */
#include "output/tablesql.h"

#include <stdio.h>

static const char *const type_sql[] = {
	[DATASET_INT] = "INTEGER",
	[DATASET_TEXT] = "TEXT",
};

static const char *const insert_verb[] = {
	[DATASET_REPLACE] = "INSERT OR REPLACE INTO",
	[DATASET_UPSERT] = "INSERT INTO",
	[DATASET_IGNORE] = "INSERT OR IGNORE INTO",
	[DATASET_APPEND] = "INSERT INTO",
};

/* Append CREATE TABLE for t, then its indexes. */
static int
create_table(const struct dataset_table *t, struct buf *b)
{
	struct dataset_col c;
	size_t i;
	int rc;

	rc = buf_printf(b, "CREATE TABLE \"%s\" (", t->name);
	for (i = 0; dataset_col_at(t, i, &c) == 0; i++) {
		rc |= buf_printf(b, "%s\"%s\" %s%s%s", i ? ", " : "", c.name,
				 type_sql[c.type], c.sql ? " " : "",
				 c.sql ? c.sql : "");
	}
	if (t->constraints != NULL)
		rc |= buf_printf(b, ", %s", t->constraints);
	rc |= buf_printf(b, ")%s%s;", t->options ? " " : "",
			 t->options ? t->options : "");
	return rc | buf_puts(b, t->indexes ? t->indexes : "");
}

int
tablesql_schema(struct buf *b)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < dataset_ntables && rc == 0; i++)
		rc = create_table(&dataset_tables[i], b);
	return rc;
}

int
tablesql_drop(struct buf *b)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < dataset_ntables && rc == 0; i++)
		rc = buf_printf(b, "DROP TABLE IF EXISTS \"%s\";",
				dataset_tables[i].name);
	return rc;
}

/* ON CONFLICT(id) DO UPDATE SET every column but the id and the kept. */
static int
upsert_tail(const struct dataset_table *t, struct buf *b)
{
	const struct dataset_col *id = dataset_id_col(t, 0);
	struct dataset_col c;
	size_t i;
	const char *sep = "";
	int rc;

	rc = buf_printf(b, " ON CONFLICT(\"%s\") DO UPDATE SET", id->name);
	for (i = 0; dataset_col_at(t, i, &c) == 0; i++) {
		if (c.flags & (DATASET_ID | DATASET_KEEP))
			continue;
		rc |= buf_printf(b, "%s \"%s\" = excluded.\"%s\"", sep,
				 c.name, c.name);
		sep = ",";
	}
	return rc;
}

int
tablesql_insert(const struct dataset_table *t, struct buf *b)
{
	struct dataset_col c;
	size_t i;
	int k = 0, rc;

	rc = buf_printf(b, "%s \"%s\" (", insert_verb[t->write], t->name);
	for (i = 0; dataset_col_at(t, i, &c) == 0; i++) {
		if (!(c.flags & DATASET_AUTO))
			rc |= buf_printf(b, "%s\"%s\"", k++ ? ", " : "",
					 c.name);
	}
	rc |= buf_puts(b, ") VALUES (");
	for (i = 1; i <= (size_t)k; i++)
		rc |= buf_printf(b, "%s?%zu", i > 1 ? ", " : "", i);
	if ((rc | buf_putc(b, ')')) != 0)
		return -1;
	return t->write == DATASET_UPSERT ? upsert_tail(t, b) : 0;
}

int
tablesql_row_key(const struct dataset_col *c, const char *row_id,
		 struct buf *b)
{
	if (c->type == DATASET_INT)
		return buf_printf(b, DATASET_PERSONA_KEY("%s"), row_id);
	return buf_puts(b, row_id);
}

int
tablesql_row_name(const struct dataset_col *c, const char *key,
		  struct buf *b)
{
	const struct dataset_table *p = dataset_table_role(DATASET_PERSONAS);

	if (c->type != DATASET_INT)
		return buf_puts(b, key);
	return buf_printf(b, "coalesce((SELECT p.\"%s\" FROM \"%s\" p WHERE "
			  "p." DATASET_PERSONA_COL " = %s), %s)",
			  DATASET_PERSONA_UID, p->name, key, key);
}

int
tablesql_delete(const struct dataset_table *t, struct buf *b)
{
	const struct dataset_col *c;
	char param[16];
	int n, rc;

	rc = buf_printf(b, "DELETE FROM \"%s\" WHERE ", t->name);
	for (n = 0; (c = dataset_id_col(t, n)) != NULL; n++) {
		snprintf(param, sizeof(param), "?%d", n + 1);
		rc |= buf_printf(b, "%s\"%s\" = ", n ? " AND " : "",
				 c->name);
		rc |= tablesql_row_key(c, param, b);
	}
	return n > 0 ? rc : -1;
}
