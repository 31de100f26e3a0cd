/* export.c - the export walk and crash-safe output files (see export.h). */
#include "output/export.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "output/complete.h"
#include "output/rowsum.h"
#include "output/tablesql.h"

#define SQL_MAX ((size_t)1 << 16)   /* generated SELECT text */
#define KEY_MAX ((size_t)1 << 16)   /* id of the record being grouped */
#define UID_MAX 256                 /* persona text id, with its NUL */
#define TMP_TRIES 8                 /* temporary names tried */

/* SQL: persona X is exported under --partial's rule (?2 is the switch). */
#define KEPT(X) "(?2 = 0 OR " DATASET_COMPLETE(X) ")"

/* The exporters' flags of registry column c. */
static unsigned
col_flags(const struct dataset_col *c)
{
	return (c->type == DATASET_INT ? EXPORT_INT : 0) |
	       (c->flags & DATASET_ATTR ? EXPORT_ATTR : 0) |
	       (c->flags & DATASET_BOOL ? EXPORT_BOOL : 0) |
	       (c->flags & DATASET_BODY ? EXPORT_BODY : 0) |
	       (c->flags & DATASET_JSON ? EXPORT_JSON : 0) |
	       (c->flags & DATASET_NULL ? EXPORT_NULL : 0);
}

/* Fill k from registry table t (not a DATASET_SUB table). Returns 0, or
 * -1 with err set when t exports more than EXPORT_MAX_COLS columns. */
static int
kind_init(struct export_kind *k, const struct dataset_table *t,
	  struct pf_error *err)
{
	const struct dataset_col *cols[EXPORT_MAX_COLS + 1];
	size_t i, n;

	memset(k, 0, sizeof(*k));
	k->table = t;
	k->idx = dataset_table_index(t);
	k->list = t->xml_list;
	k->item = t->xml_item;
	k->file = t->jsonl;
	n = dataset_export_cols(t, cols, EXPORT_MAX_COLS + 1);
	if (n > EXPORT_MAX_COLS)
		return pf_error_set(err, "table %s exports too many columns",
				    t->name);
	for (i = 0; i < n; i++) {
		k->cols[i].column = cols[i]->name;
		k->cols[i].xml = cols[i]->xml;
		k->cols[i].flags = col_flags(cols[i]);
	}
	k->sub = dataset_table_sub(t);
	if (k->sub != NULL && dataset_export_cols(k->sub, cols, 1) == 1) {
		k->sub_item = k->sub->xml_item;
		k->sub_attr = cols[0]->xml;
	}
	return 0;
}

int
export_sub_col(const struct export_kind *k)
{
	int n = 0;

	while (k->cols[n].column != NULL)
		n++;
	return n + 2;
}

struct cursor {
	const struct export_kind *kind;
	sqlite3_stmt *st;
	int rc;               /* last sqlite3_step(); SQLITE_ROW on a row */
	struct rowsum_plan sum;      /* the row's checksum columns */
	struct rowsum_plan sub_sum;  /* the sub row's, when kind->sub */
	int keep_col;         /* result column: row exported (1) or passed
			       * over (0); 0 when every row is exported */
};

struct walk {
	struct dataset *ds;
	const struct export_sink *sink;
	struct pf_error *err;
	int incl;                          /* include quarantined rows */
	int partial;                       /* complete personas only */
	struct export_counts *counts;      /* records handed over, damage */
	struct export_kind kinds[DATASET_MAX_TABLES];  /* by table index */
	struct cursor cur[DATASET_MAX_TABLES];   /* by table index; none for
						  * DATASET_SUB tables */
	size_t head, personas, one, tail;  /* table index of each role */
	struct export_attr *attrs;         /* persona attribute columns */
	size_t nattrs;
	int pid_col, q_col, uid_col;       /* persona columns, -1 if absent */
	char uid[UID_MAX];                 /* current persona's uid */
	struct buf key;                    /* id of the grouped record */
};

/* Fill err with the connection's message about `what`; returns -1. */
static int
db_error(struct walk *w, const char *what)
{
	int code = sqlite3_errcode(w->ds->db);

	if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
		w->counts->damaged = 1;
	if (w->err != NULL)
		snprintf(w->err->file, sizeof(w->err->file), "%s",
			 w->ds->path);
	return pf_error_set(w->err, "database error %s: %s", what,
			    sqlite3_errmsg(w->ds->db));
}

/* Check the row c is on against its plan p. Returns 0 when it is intact;
 * -1 with err naming the table and row, and counts->damaged set, when
 * its checksum does not match. */
static int
check_row(struct walk *w, const struct cursor *c,
	  const struct rowsum_plan *p)
{
	if (rowsum_check_report(p, c->st, w->ds->path, "'personaforge verify' "
				"lists every damaged row", w->err) == 0)
		return 0;
	w->counts->damaged = 1;
	return -1;
}

/* Advance c. Returns 1 on a row, 0 at the end, -1 on error (err set). */
static int
step(struct walk *w, struct cursor *c)
{
	c->rc = sqlite3_step(c->st);
	if (c->rc == SQLITE_ROW)
		return 1;
	if (c->rc == SQLITE_DONE)
		return 0;
	return db_error(w, "reading the dataset");
}

/* Append "A.col" for every sort column of t, in sort order, each after
 * ", " (the first after " " when it starts the ORDER BY list). */
static int
order_by(struct buf *b, const char *alias, const struct dataset_table *t,
	 int first)
{
	const struct dataset_col *cols[DATASET_MAX_COLS];
	size_t i, n = dataset_sort_cols(t, cols, DATASET_MAX_COLS);
	int rc = 0;

	for (i = 0; i < n; i++)
		rc |= buf_printf(b, "%s%s.\"%s\"", i == 0 && first ? " "
				 : ", ", alias, cols[i]->name);
	return rc;
}

/* Append the SELECT for kind k (head, one-to-one or list) to b: persona,
 * quarantine flag, the exported columns and the sub rows' value (one row
 * per sub row, through a LEFT JOIN on the owner's id); per-persona rows
 * by persona and then by the registry's sort columns. The head table
 * holds one row at most (its CHECK says so). */
static int
build_select(const struct export_kind *k, struct cursor *cur, struct buf *b)
{
	const struct dataset_table *t = k->table;
	const struct dataset_col *sub = NULL;
	const struct export_col *c;
	int head = t->role == DATASET_HEAD, n = 2, rc;

	rc = buf_puts(b, head ? "SELECT 0, 0"
		      : "SELECT t." DATASET_PERSONA_COL ", t.quarantined");
	for (c = k->cols; c->column != NULL; c++, n++)
		rc |= buf_printf(b, ", t.\"%s\"", c->column);
	if (k->sub != NULL && dataset_export_cols(k->sub, &sub, 1) == 1) {
		rc |= buf_printf(b, ", s.\"%s\"", sub->name);
		n++;
	}
	rc |= rowsum_plan_select(&cur->sum, t, "t", n, b);
	if (sub != NULL)
		rc |= rowsum_plan_select(&cur->sub_sum, k->sub, "s",
					 cur->sum.sum_col + 1, b);
	rc |= buf_printf(b, " FROM \"%s\" t", t->name);
	if (sub != NULL)
		rc |= buf_printf(b, " LEFT JOIN \"%s\" s ON s.\"%s\" = "
				 "t.\"%s\"", k->sub->name,
				 dataset_id_col(k->sub, 0)->name,
				 dataset_id_col(t, 0)->name);
	if (head)
		return rc;
	rc |= buf_puts(b, " WHERE t.quarantined = 0 OR ?1 ORDER BY t."
		       DATASET_PERSONA_COL);
	rc |= order_by(b, "t", t, 0);
	return sub != NULL ? rc | order_by(b, "s", k->sub, 0) : rc;
}

/* Append the CASE arm giving rq for findings about rows of table t:
 * the row's flag or its persona's, NULL when the row does not exist. */
static int
finding_arm(struct buf *b, const struct dataset_table *t, const char *row_id)
{
	const struct dataset_col *id = dataset_id_col(t, 0);
	int rc;

	if (t->role == DATASET_PERSONAS)
		rc = buf_printf(b, " WHEN '%s' THEN (SELECT quarantined FROM "
				"\"%s\" p WHERE " KEPT("p." DATASET_PERSONA_COL)
				" AND p.\"%s\" = ", t->name, t->name,
				id->name);
	else
		rc = buf_printf(b, " WHEN '%s' THEN (SELECT t.quarantined OR "
				"p.quarantined FROM \"%s\" t JOIN \"%s\" p ON "
				"p." DATASET_PERSONA_COL " = t."
				DATASET_PERSONA_COL " WHERE "
				KEPT("p." DATASET_PERSONA_COL)
				" AND t.\"%s\" = ",
				t->name, t->name,
				dataset_table_role(DATASET_PERSONAS)->name,
				id->name);
	return rc | tablesql_row_key(id, row_id, b) | buf_putc(b, ')');
}

/* Append the findings SELECT to b. Each finding gets rq, the export state
 * of the row it names: 0 exported, 1 quarantined (itself or its persona),
 * NULL missing (or its persona left out by --partial); tables that are not dataset tables count as exported.
 * Rows keyed by persona are named by persona_id or by the persona's text
 * id ("p000042"); both reach the primary key. A finding's own
 * quarantined flag counts too; a row about a row (about_rows) has none
 * and follows its row's state. Every row is selected, the last column
 * (cur->keep_col) saying whether it is exported: the walk checks the
 * checksum of each row and passes over the others (a row whose row id
 * or flag was damaged must not vanish unseen). */
static int
build_findings(const struct export_kind *k, struct cursor *cur,
	       struct buf *b)
{
	const struct dataset_table *t;
	const struct export_col *c;
	const char *own_q = k->table->about_rows ? "f.rq"
			    : "f.quarantined OR f.rq";
	char row_id[80];
	size_t i;
	int n = 2, rc;

	snprintf(row_id, sizeof(row_id), "a.\"%s\"",
		 dataset_id_col(k->table, 1)->name);
	rc = buf_printf(b, "SELECT 0, %s", own_q);
	for (c = k->cols; c->column != NULL; c++, n++)
		rc |= buf_printf(b, ", f.\"%s\"", c->column);
	rc |= rowsum_plan_select(&cur->sum, k->table, "f", n, b);
	cur->keep_col = cur->sum.sum_col + 1;
	rc |= buf_printf(b, ", coalesce(f.rq IS NOT NULL AND (?1 OR (%s) = 0),"
			 " 0)", own_q);
	rc |= buf_printf(b, " FROM (SELECT a.*, CASE a.\"%s\"",
			 dataset_id_col(k->table, 0)->name);
	for (i = 0; i < dataset_ntables; i++) {
		t = &dataset_tables[i];
		if (t->role == DATASET_PERSONAS || t->role == DATASET_ONE ||
		    t->role == DATASET_LIST)
			rc |= finding_arm(b, t, row_id);
	}
	/* NOT INDEXED: a row a damaged index lost must not vanish. */
	rc |= buf_printf(b, " ELSE 0 END AS rq FROM \"%s\" a NOT INDEXED) f"
			 " ORDER BY", k->table->name);
	return rc | order_by(b, "f", k->table, 1);
}
/* Append the SELECT of a table about the whole dataset (the measures):
 * every row, always exported, in its sort order. */
static int
build_wide(const struct export_kind *k, struct cursor *cur, struct buf *b)
{
	const struct export_col *c;
	int n = 2, rc = buf_puts(b, "SELECT 0, 0");

	for (c = k->cols; c->column != NULL; c++, n++)
		rc |= buf_printf(b, ", t.\"%s\"", c->column);
	rc |= rowsum_plan_select(&cur->sum, k->table, "t", n, b);
	rc |= buf_printf(b, " FROM \"%s\" t NOT INDEXED ORDER BY",
			 k->table->name);
	return rc | order_by(b, "t", k->table, 1);
}

/* Prepare cursor i from the SQL in b and bind the quarantine and partial
 * switches. */
static int
prepare(struct walk *w, size_t i, struct buf *b)
{
	struct cursor *c = &w->cur[i];

	char why[300];

	c->kind = &w->kinds[i];
	c->st = dataset_prepare(w->ds, b->data, w->err);
	if (c->st == NULL)
		return -1;
	/* Persona rows are read with SELECT *, their keys named by the
	 * columns the file says it has. */
	if (c->kind->table->role == DATASET_PERSONAS &&
	    !rowsum_columns_match(c->kind->table, c->st, why, sizeof(why))) {
		w->counts->damaged = 1;
		if (w->err != NULL)
			snprintf(w->err->file, sizeof(w->err->file), "%s",
				 w->ds->path);
		return pf_error_set(w->err, "damaged schema: %s", why);
	}
	if ((sqlite3_bind_parameter_count(c->st) > 0 &&
	     sqlite3_bind_int(c->st, 1, w->incl) != SQLITE_OK) ||
	    (sqlite3_bind_parameter_count(c->st) > 1 &&
	     sqlite3_bind_int(c->st, 2, w->partial) != SQLITE_OK))
		return db_error(w, "binding a parameter");
	return 0;
}

/* Append the SELECT of cursor k to b: personas are read whole (their
 * columns follow personas/persona.h), findings with their rows' state. */
static int
build_cursor(const struct export_kind *k, struct cursor *c, struct buf *b)
{
	switch (k->table->role) {
	case DATASET_PERSONAS:
		return rowsum_plan_star(&c->sum, k->table) |
		       buf_printf(b, "SELECT * FROM \"%s\" WHERE (quarantined "
				  "= 0 OR ?1) AND " KEPT(DATASET_PERSONA_COL)
				  " ORDER BY " DATASET_PERSONA_COL,
				  k->table->name);
	case DATASET_TAIL:
		return build_findings(k, c, b);
	case DATASET_WIDE:
		return k->table->about_rows ? build_findings(k, c, b)
		       : build_wide(k, c, b);
	default:
		return build_select(k, c, b);
	}
}

/* Find the table of each role the walk needs. */
static int
find_roles(struct walk *w)
{
	const struct dataset_table *h = dataset_table_role(DATASET_HEAD);
	const struct dataset_table *p = dataset_table_role(DATASET_PERSONAS);
	const struct dataset_table *o = dataset_table_role(DATASET_ONE);
	const struct dataset_table *t = dataset_table_role(DATASET_TAIL);

	if (h == NULL || p == NULL || o == NULL || t == NULL)
		return pf_error_set(w->err, "the table registry lacks a "
				    "head, persona, one-to-one or tail table");
	w->head = dataset_table_index(h);
	w->personas = dataset_table_index(p);
	w->one = dataset_table_index(o);
	w->tail = dataset_table_index(t);
	return 0;
}

/* Prepare a cursor per exported table and put the per-persona child
 * cursors on their first row. */
static int
open_cursors(struct walk *w)
{
	const struct dataset_table *t;
	struct buf sql;
	size_t i;
	int rc = find_roles(w);

	buf_init(&sql, SQL_MAX);
	for (i = 0; i < dataset_ntables && rc == 0; i++) {
		t = &dataset_tables[i];
		if (t->role == DATASET_SUB)
			continue;
		buf_reset(&sql);
		rc = kind_init(&w->kinds[i], t, w->err);
		if (rc == 0 && build_cursor(&w->kinds[i], &w->cur[i],
					    &sql) != 0)
			rc = pf_error_set(w->err, "query for %s too long",
					  t->name);
		if (rc == 0)
			rc = prepare(w, i, &sql);
		if (rc == 0 && (t->role == DATASET_ONE ||
				t->role == DATASET_LIST) &&
		    step(w, &w->cur[i]) < 0)
			rc = -1;
	}
	buf_free(&sql);
	return rc;
}

static void
close_cursors(struct walk *w)
{
	size_t i;

	for (i = 0; i < DATASET_MAX_TABLES; i++)
		sqlite3_finalize(w->cur[i].st);
}

/* 1 if s can be an XML element name and a JSON key as it is. */
static int
is_name(const char *s)
{
	if (s == NULL || !((*s >= 'A' && *s <= 'Z') ||
			   (*s >= 'a' && *s <= 'z') || *s == '_'))
		return 0;
	for (s++; *s != '\0'; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' ||
		      *s == '.'))
			return 0;
	return 1;
}

/* The exporters' flags of persona column `name`: an integer, or text the
 * registry marks as JSON (persona fields are plain text). */
static unsigned
attr_flags(const char *name, int is_int)
{
	const struct dataset_col *c;

	for (c = dataset_table_role(DATASET_PERSONAS)->cols; c->name != NULL;
	     c++)
		if (strcmp(c->name, name) == 0 && (c->flags & DATASET_JSON))
			return EXPORT_JSON;
	return is_int ? EXPORT_INT : 0;
}

/* Read the persona table's columns: persona_id, quarantined, the text id
 * "id" if present, and every other column (the id included) as an
 * attribute in table order. */
static int
persona_columns(struct walk *w)
{
	sqlite3_stmt *st = w->cur[w->personas].st;
	int i, n = sqlite3_column_count(st);
	const char *name, *decl;

	w->pid_col = w->q_col = w->uid_col = -1;
	w->attrs = calloc(n > 0 ? (size_t)n : 1, sizeof(*w->attrs));
	if (w->attrs == NULL)
		return pf_error_set(w->err, "out of memory");
	for (i = 0; i < n; i++) {
		name = sqlite3_column_name(st, i);
		decl = sqlite3_column_decltype(st, i);
		if (name != NULL && strcmp(name, "persona_id") == 0) {
			w->pid_col = i;
			continue;
		}
		if (name != NULL && strcmp(name, "quarantined") == 0) {
			w->q_col = i;
			continue;
		}
		if (i == w->cur[w->personas].sum.sum_col)
			continue;       /* the checksum is not exported */
		if (!is_name(name))
			return pf_error_set(w->err, "persona column '%s' is "
					    "not a valid XML name",
					    name ? name : "?");
		if (strcmp(name, "id") == 0)
			w->uid_col = i;
		w->attrs[w->nattrs].col = i;
		w->attrs[w->nattrs].name = name;
		w->attrs[w->nattrs].is_int = decl != NULL &&
			strcasecmp(decl, "INTEGER") == 0;
		w->attrs[w->nattrs].flags = attr_flags(name,
			w->attrs[w->nattrs].is_int);
		w->nattrs++;
	}
	if (w->pid_col < 0 || w->q_col < 0)
		return pf_error_set(w->err, "persona table lacks persona_id "
				    "or quarantined");
	return 0;
}

static sqlite3_int64
cur_pid(const struct cursor *c)
{
	return sqlite3_column_int64(c->st, 0);
}

/* 1 while c is on a row of persona pid (any row, for findings). */
static int
in_group(const struct cursor *c, sqlite3_int64 pid)
{
	return c->rc == SQLITE_ROW &&
	       (c->kind->table->role == DATASET_TAIL ||
		c->kind->table->role == DATASET_WIDE || cur_pid(c) == pid);
}

/* Skip c's rows of personas before pid (orphans and filtered personas). */
static int
skip_to(struct walk *w, struct cursor *c, sqlite3_int64 pid)
{
	while (c->rc == SQLITE_ROW && cur_pid(c) < pid)
		if (step(w, c) < 0)
			return -1;
	return 0;
}

/* 1 if c's row still belongs to the record whose id is in w->key. */
static int
same_record(struct walk *w, const struct cursor *c)
{
	const void *id = sqlite3_column_blob(c->st, 2);
	size_t n = (size_t)sqlite3_column_bytes(c->st, 2);

	return c->rc == SQLITE_ROW && n == w->key.len &&
	       (n == 0 || memcmp(id, w->key.data, n) == 0);
}

/* Count one record of table idx handed over. */
static void
counted(struct walk *w, size_t idx)
{
	w->counts->rows[idx]++;
}

/* Hand the record at c to the sink: open, one sub event per sub row of a
 * grouped kind, close. Leaves c on the next record's row. */
static int
emit_record(struct walk *w, struct cursor *c, const char *uid)
{
	const struct export_sink *s = w->sink;
	const struct export_kind *k = c->kind;
	struct export_rec r = { k, c->st, uid, 0 };
	int nsub = export_sub_col(k);

	r.quarantined = sqlite3_column_int(c->st, 1) != 0;
	if (check_row(w, c, &c->sum) != 0)
		return -1;
	buf_reset(&w->key);
	if (k->sub != NULL && buf_append(&w->key, sqlite3_column_blob(c->st, 2),
			       (size_t)sqlite3_column_bytes(c->st, 2)) != 0)
		return pf_error_set(w->err, "%s id too long", k->table->name);
	if (s->record(s->ud, &r, EXPORT_OPEN) != 0)
		return -1;
	counted(w, k->idx);
	do {
		if (k->sub != NULL &&
		    sqlite3_column_type(c->st, nsub) != SQLITE_NULL &&
		    (check_row(w, c, &c->sub_sum) != 0 ||
		     s->record(s->ud, &r, EXPORT_SUB) != 0))
			return -1;
		if (step(w, c) < 0)
			return -1;
	} while (k->sub != NULL && same_record(w, c));
	return s->record(s->ud, &r, EXPORT_CLOSE);
}

/* One list kind's records of persona pid (or all findings). */
static int
emit_list(struct walk *w, struct cursor *c, sqlite3_int64 pid,
	  const char *uid)
{
	const struct export_sink *s = w->sink;

	if (skip_to(w, c, pid) != 0 || s->list(s->ud, c->kind, 1) != 0)
		return -1;
	while (in_group(c, pid)) {
		if (c->keep_col > 0 &&
		    !sqlite3_column_int(c->st, c->keep_col)) {
			/* passed over, but not unseen */
			if (check_row(w, c, &c->sum) != 0 || step(w, c) < 0)
				return -1;
			continue;
		}
		if (emit_record(w, c, uid) != 0)
			return -1;
	}
	return s->list(s->ud, c->kind, 0);
}

/* Load the persona at the persona cursor into p (uid copied to w->uid). */
static int
load_persona(struct walk *w, struct export_persona *p)
{
	sqlite3_stmt *st = w->cur[w->personas].st;
	const char *id;
	int n;

	p->kind = &w->kinds[w->personas];
	p->st = st;
	p->attrs = w->attrs;
	p->nattrs = w->nattrs;
	p->quarantined = sqlite3_column_int(st, w->q_col) != 0;
	if (w->uid_col >= 0) {
		id = (const char *)sqlite3_column_text(st, w->uid_col);
		n = snprintf(w->uid, sizeof(w->uid), "%s", id ? id : "");
	} else {
		n = snprintf(w->uid, sizeof(w->uid), "%lld",
			     (long long)sqlite3_column_int64(st, w->pid_col));
	}
	if (n < 0 || (size_t)n >= sizeof(w->uid))
		return pf_error_set(w->err, "persona id too long");
	p->uid = w->uid;
	return 0;
}

/* One persona with its narrative and every list under it. */
static int
emit_persona(struct walk *w)
{
	const struct export_sink *s = w->sink;
	struct cursor *narr = &w->cur[w->one];
	struct export_rec r = { narr->kind, narr->st, NULL, 0 };
	struct export_persona p;
	sqlite3_int64 pid;
	size_t i;
	int has;

	if (load_persona(w, &p) != 0 ||
	    check_row(w, &w->cur[w->personas], &w->cur[w->personas].sum) != 0)
		return -1;
	pid = sqlite3_column_int64(p.st, w->pid_col);
	if (skip_to(w, narr, pid) != 0)
		return -1;
	has = in_group(narr, pid);
	if (has && check_row(w, narr, &narr->sum) != 0)
		return -1;
	r.uid = p.uid;
	r.quarantined = has && sqlite3_column_int(narr->st, 1) != 0;
	if (s->persona(s->ud, &p, has ? &r : NULL) != 0)
		return -1;
	counted(w, w->personas);
	if (has)
		counted(w, w->one);
	if (has && step(w, narr) < 0)
		return -1;
	for (i = 0; i < dataset_ntables; i++)
		if (dataset_tables[i].role == DATASET_LIST &&
		    emit_list(w, &w->cur[i], pid, p.uid) != 0)
			return -1;
	return s->persona_end(s->ud, &p);
}

/* Check the checksum of every row the statement sql selects (SELECT
 * s.* of table t). Returns 0, or -1 with err naming a damaged one. */
static int
check_all(struct walk *w, const struct dataset_table *t, const char *sql)
{
	struct rowsum_plan plan;
	struct cursor c;
	int rc = 0, got;

	if (rowsum_plan_star(&plan, t) != 0)
		return 0;
	memset(&c, 0, sizeof(c));
	if ((c.st = dataset_prepare(w->ds, sql, w->err)) == NULL)
		return -1;
	while (rc == 0 && (got = step(w, &c)) == 1)
		rc = check_row(w, &c, &plan);
	if (rc == 0 && got < 0)
		rc = -1;
	sqlite3_finalize(c.st);
	return rc;
}

/* Rows the walk may pass over unseen: sub rows whose owner is missing
 * (the walk joins them to their owners). One whose owner id was damaged
 * would vanish from the export unseen, so every such row's checksum is
 * checked; an intact one is left alone. (Rows about rows whose row is
 * missing or quarantined the walk reads and checks as it passes them
 * over: build_findings.) Returns 0, or -1 with err naming a damaged one
 * (counts->damaged set). */
static int
check_orphans(struct walk *w)
{
	const struct dataset_table *t, *o;
	char sql[512];
	size_t i;
	int rc = 0;

	for (i = 0; i < dataset_ntables && rc == 0; i++) {
		t = &dataset_tables[i];
		if (t->role != DATASET_SUB ||
		    (o = dataset_table_find(t->owner)) == NULL)
			continue;
		snprintf(sql, sizeof(sql), "SELECT s.* FROM \"%s\" s WHERE NOT "
			 "EXISTS (SELECT 1 FROM \"%s\" o WHERE o.\"%s\" = "
			 "s.\"%s\")", t->name, o->name,
			 dataset_id_col(o, 0)->name, dataset_id_col(t, 0)->name);
		rc = check_all(w, t, sql);
	}
	return rc;
}

/* The provenance row, every persona, the findings. */
static int
emit_all(struct walk *w)
{
	const struct export_sink *s = w->sink;
	struct cursor *run = &w->cur[w->head];
	struct cursor *per = &w->cur[w->personas];
	struct cursor *tail = &w->cur[w->tail];
	struct export_rec r = { run->kind, run->st, NULL, 0 };
	size_t i;
	int rc;

	rc = step(w, run);
	if (rc == 0)
		r.st = NULL;
	if (rc > 0 && check_row(w, run, &run->sum) != 0)
		return -1;
	if (rc < 0 || s->begin(s->ud, &r) != 0 ||
	    s->list(s->ud, per->kind, 1) != 0)
		return -1;
	if (r.st != NULL)
		counted(w, w->head);
	while ((rc = step(w, per)) == 1)
		if (emit_persona(w) != 0)
			return -1;
	if (rc < 0 || s->list(s->ud, per->kind, 0) != 0)
		return -1;
	if (step(w, tail) < 0 || emit_list(w, tail, 0, NULL) != 0)
		return -1;
	for (i = 0; i < dataset_ntables; i++)
		if (dataset_tables[i].role == DATASET_WIDE &&
		    (step(w, &w->cur[i]) < 0 ||
		     emit_list(w, &w->cur[i], 0, NULL) != 0))
			return -1;
	return s->end(s->ud);
}

int
export_walk(struct dataset *ds, unsigned opts,
	    const struct export_sink *sink, struct export_counts *counts,
	    struct pf_error *err)
{
	struct export_counts local;
	struct walk w;
	int rc = -1;

	memset(&w, 0, sizeof(w));
	w.ds = ds;
	w.sink = sink;
	w.err = err;
	w.incl = (opts & EXPORT_QUARANTINED) != 0;
	w.partial = (opts & EXPORT_PARTIAL) != 0;
	w.counts = counts != NULL ? counts : &local;
	memset(w.counts, 0, sizeof(*w.counts));
	buf_init(&w.key, KEY_MAX);
	/* One read transaction: every cursor sees the same snapshot even
	 * while a build is writing the file. */
	if (dataset_exec(ds, "BEGIN", err) != 0)
		return -1;
	if (open_cursors(&w) == 0 && persona_columns(&w) == 0 &&
	    check_orphans(&w) == 0 && emit_all(&w) == 0)
		rc = 0;
	close_cursors(&w);
	dataset_exec(ds, "COMMIT", NULL);
	free(w.attrs);
	buf_free(&w.key);
	return rc;
}

/* Set err's file to path (when err is given); returns err. */
static struct pf_error *
at(struct pf_error *err, const char *path)
{
	if (err != NULL)
		snprintf(err->file, sizeof(err->file), "%s", path);
	return err;
}

/* The directory part of path ("." when none) and its base name, into
 * dir (n bytes); returns the base name, or NULL when dir is too small. */
static const char *
split_path(const char *path, char *dir, size_t n)
{
	const char *slash = strrchr(path, '/');
	int len;

	if (slash == NULL)
		len = snprintf(dir, n, ".");
	else
		len = snprintf(dir, n, "%.*s", (int)(slash - path) + 1, path);
	if (len < 0 || (size_t)len >= n)
		return NULL;
	return slash ? slash + 1 : path;
}

/* 1 if name is a temporary of base: ".BASE.tmp" and six characters. */
static int
is_tmp_of(const char *name, const char *base)
{
	size_t n = strlen(base);

	return name[0] == '.' && strncmp(name + 1, base, n) == 0 &&
	       strncmp(name + 1 + n, ".tmp", 4) == 0 &&
	       strlen(name + 5 + n) == 6;
}

/* Lock the file open as fd that should be named path; 0 when fd holds the
 * lock and path still names that file, -1 otherwise. */
static int
lock_as(int fd, const char *path)
{
	struct stat a, b;

	return flock(fd, LOCK_EX | LOCK_NB) == 0 && fstat(fd, &a) == 0 &&
	       lstat(path, &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino ? 0 : -1;
}

/* Remove the temporaries of base in dir that no live writer holds. */
static void
clean_stale(const char *dir, const char *base)
{
	char path[8192];
	struct dirent *e;
	DIR *d = opendir(dir);
	int fd;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (!is_tmp_of(e->d_name, base) ||
		    snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >=
		    (int)sizeof(path))
			continue;
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (lock_as(fd, path) == 0)
			unlink(path);
		close(fd);
	}
	closedir(d);
}

/* Create and lock a fresh temporary named after tmpl (ends in XXXXXX);
 * returns its fd, or -1 with errno set. */
static int
make_tmp(const char *tmpl, char *name, size_t n)
{
	int fd, i;

	for (i = 0; i < TMP_TRIES; i++) {
		snprintf(name, n, "%s", tmpl);
		fd = mkstemp(name);
		if (fd < 0)
			return -1;
		if (lock_as(fd, name) == 0)
			return fd;
		/* A cleaner took it in between: it removes it. */
		close(fd);
	}
	errno = EBUSY;
	return -1;
}

int
export_file_open(struct export_file *f, const char *path,
		 struct pf_error *err)
{
	char dir[4096];
	const char *base;
	struct buf t;
	mode_t mask;
	int fd;

	memset(f, 0, sizeof(*f));
	f->lock_fd = -1;
	base = split_path(path, dir, sizeof(dir));
	buf_init(&t, 8192);
	if (base == NULL || buf_printf(&t, "%s.%s.tmpXXXXXX",
				       base != path ? dir : "", base) != 0 ||
	    (f->path = strdup(path)) == NULL ||
	    (f->tmp = malloc(t.len + 1)) == NULL) {
		buf_free(&t);
		return pf_error_set(at(err, path), "path too long");
	}
	clean_stale(dir, base);
	fd = make_tmp(t.data, f->tmp, t.len + 1);
	buf_free(&t);
	if (fd < 0) {
		pf_error_set(at(err, path), "cannot create a file next to "
			     "it: %s", strerror(errno));
		free(f->tmp);
		f->tmp = NULL;
		return -1;
	}
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) != 0 ||
	    (f->lock_fd = dup(fd)) < 0 ||
	    (f->fp = fdopen(fd, "w")) == NULL) {
		pf_error_set(at(err, path), "cannot write: %s",
			     strerror(errno));
		close(fd);
		return -1;
	}
	setvbuf(f->fp, NULL, _IOFBF, 1 << 16);
	return 0;
}

int
export_file_close(struct export_file *f, struct pf_error *err)
{
	int bad;

	if (f->fp == NULL)
		return 0;
	bad = fflush(f->fp) != 0 || ferror(f->fp) || fsync(fileno(f->fp));
	if (bad)
		pf_error_set(at(err, f->path), "write failed: %s",
			     strerror(errno));
	if (fclose(f->fp) != 0 && !bad)
		bad = pf_error_set(at(err, f->path), "write failed: %s",
				   strerror(errno));
	f->fp = NULL;
	return bad ? -1 : 0;
}

/* fsync the directory holding path, so the rename itself is durable.
 * Best effort: some file systems refuse to sync directories. */
static void
sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[4096];
	int fd;

	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if ((size_t)(slash - path) + 2 <= sizeof(dir))
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path) + 1,
			 path);
	else
		return;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

int
export_file_rename(struct export_file *f, struct pf_error *err)
{
	if (f->tmp == NULL || rename(f->tmp, f->path) != 0)
		return pf_error_set(at(err, f->path), "cannot replace: %s",
				    f->tmp ? strerror(errno) : "not written");
	free(f->tmp);
	f->tmp = NULL;
	close(f->lock_fd);
	f->lock_fd = -1;
	sync_dir(f->path);
	return 0;
}

void
export_file_abort(struct export_file *f)
{
	if (f->fp != NULL)
		fclose(f->fp);
	if (f->tmp != NULL) {
		unlink(f->tmp);
		free(f->tmp);
	}
	/* A zeroed struct has no path, and no lock to drop. */
	if (f->path != NULL && f->lock_fd >= 0)
		close(f->lock_fd);
	free(f->path);
	memset(f, 0, sizeof(*f));
}

static int
nop_begin(void *ud, const struct export_rec *run)
{
	(void)ud;
	(void)run;
	return 0;
}

static int
nop_persona(void *ud, const struct export_persona *p,
	    const struct export_rec *narrative)
{
	(void)ud;
	(void)p;
	(void)narrative;
	return 0;
}

static int
nop_list(void *ud, const struct export_kind *k, int open)
{
	(void)ud;
	(void)k;
	(void)open;
	return 0;
}

static int
nop_record(void *ud, const struct export_rec *r, enum export_event ev)
{
	(void)ud;
	(void)r;
	(void)ev;
	return 0;
}

static int
nop_persona_end(void *ud, const struct export_persona *p)
{
	(void)ud;
	(void)p;
	return 0;
}

static int
nop_end(void *ud)
{
	(void)ud;
	return 0;
}

const struct export_sink export_sink_nop = {
	NULL, nop_begin, nop_persona, nop_list, nop_record, nop_persona_end,
	nop_end
};

int
export_make_dir(const char *dir, struct pf_error *err)
{
	struct stat st;

	if (mkdir(dir, 0777) == 0)
		return 0;
	if (errno == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	if (err != NULL)
		snprintf(err->file, sizeof(err->file), "%s", dir);
	return pf_error_set(err, "cannot create output directory: %s",
			    errno == EEXIST ? "not a directory"
			    : strerror(errno));
}

const char *
export_rec_text(const struct export_rec *r, const char *column)
{
	const struct export_col *c;
	const unsigned char *t;
	int i;

	for (i = 0, c = r->kind->cols; c->column != NULL; c++, i++)
		if (strcmp(c->column, column) == 0) {
			t = sqlite3_column_text(r->st, 2 + i);
			return t != NULL ? (const char *)t : "";
		}
	return "";
}

#define FILES_MAX 16   /* files of one export_files_write */

int
export_files_write(const char *dir, const char *const *names,
		   const struct buf *bufs, int n, struct pf_error *err)
{
	struct export_file f[FILES_MAX];
	char path[4096];
	int i, rc = 0;

	memset(f, 0, sizeof(f));
	if (n > FILES_MAX)
		return pf_error_set(err, "more than %d files", FILES_MAX);
	for (i = 0; rc == 0 && i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (export_file_open(&f[i], path, err) != 0 ||
		    fwrite(bufs[i].data ? bufs[i].data : "", 1, bufs[i].len,
			   f[i].fp) != bufs[i].len ||
		    export_file_close(&f[i], err) != 0)
			rc = err->msg[0] ? -1 : pf_error_set(err, "cannot "
				"write %s: %s", path, strerror(errno));
	}
	for (i = 0; rc == 0 && i < n; i++)
		rc = export_file_rename(&f[i], err);
	for (i = 0; i < n; i++)
		export_file_abort(&f[i]);
	return rc;
}
