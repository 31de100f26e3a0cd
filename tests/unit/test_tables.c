/* test_tables.c - the dataset table registry (output/tables.h) holds
 * together, the SQL made from it matches it, and the two documents that
 * describe it, doc/schema.md and output/personaforge.xsd, say exactly
 * what it says: every table and column, in order and with their types,
 * and nothing else.
 *
 * doc/schema.md: each "## a[, b]" section names tables; its n-th column
 * table (header "| column | type | meaning |") lists the n-th table's
 * columns (backticked names; a type per name, or one for all; "PK" marks
 * a one-column primary key). Every table of a new dataset file is
 * documented: the registry's, and the journal, whose columns come from
 * the file (engine/journal.h owns it).
 *
 * personaforge.xsd describes the XML export, so it is held to the
 * registry's export view: the record elements and lists by their XML
 * names, and per record its exported columns as child elements,
 * attributes or text, with their XSD types. Columns that are not
 * exported (ids of the journal item, positions, the persona_id of child
 * rows) are not in the XML, and persona attributes are open in the XSD
 * (xs:any: one per field of personas/persona.h).
 *
 * The checkers must be able to fail: table-driven cases break a copy of
 * each document (a renamed, dropped, extra or retyped column, a renamed
 * table or list) and expect the checker to name what broke. With
 * PF_SCHEMA_MD or PF_XSD set, the real-file tests read that file
 * instead (to try a broken copy by hand).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "base/buf.h"
#include "output/dataset.h"
#include "output/tables.h"
#include "output/writer.h"
#include "tests/unit/check_tap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define MAXC 256   /* columns of one table, as documented */

/* ---- helpers ------------------------------------------------------ */

/* Read a whole file; the caller frees it. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *s;
	long n;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	s = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return s;
}

/* The file to check: $env when set, else rel in the source tree. */
static const char *
doc_path(const char *env, const char *rel)
{
	const char *p = getenv(env);

	return p != NULL && *p != '\0' ? p : check_tap_srcpath(rel);
}

/* A fresh dataset file in a temporary directory; *dir is removed by
 * drop_dataset. */
static struct dataset *
new_dataset(char *dir, size_t n)
{
	struct dataset *ds = NULL;
	struct pf_error err;
	char path[512];

	snprintf(dir, n, "%s/pf-tables.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.db", dir);
	pf_error_clear(&err);
	ck_assert_msg(dataset_open(path, DATASET_WRITE, &ds, &err) == 0,
		      "%s", err.msg);
	return ds;
}

static void
drop_dataset(struct dataset *ds, const char *dir)
{
	char cmd[600];

	dataset_close(ds);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* A column as the documents describe it. */
struct want {
	char name[64];
	int is_int;
	int pk;       /* the table's one-column primary key */
};

static const char *
type_name(int is_int)
{
	return is_int ? "INTEGER" : "TEXT";
}

/* Columns of registry table t, persona fields expanded. */
static size_t
registry_cols(const struct dataset_table *t, struct want *w)
{
	struct dataset_col c;
	size_t i;

	for (i = 0; dataset_col_at(t, i, &c) == 0; i++) {
		ck_assert_uint_lt(i, MAXC);
		snprintf(w[i].name, sizeof(w[i].name), "%s", c.name);
		w[i].is_int = c.type == DATASET_INT;
		w[i].pk = c.sql != NULL &&
			  strncmp(c.sql, "PRIMARY KEY", 11) == 0;
	}
	return i;
}

/* Columns of table `name` as SQLite has them (pk only when the key has
 * one column). */
static size_t
sqlite_cols(struct dataset *ds, const char *name, struct want *w)
{
	sqlite3_stmt *st;
	size_t n = 0, npk = 0, i;

	ck_assert_int_eq(sqlite3_prepare_v2(ds->db, "SELECT name, type, pk "
			 "FROM pragma_table_info(?1) ORDER BY cid", -1, &st,
			 NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW && n < MAXC) {
		snprintf(w[n].name, sizeof(w[n].name), "%s",
			 sqlite3_column_text(st, 0));
		w[n].is_int = strcmp((const char *)sqlite3_column_text(st, 1),
				     "INTEGER") == 0;
		w[n].pk = sqlite3_column_int(st, 2) > 0;
		npk += (size_t)w[n].pk;
		n++;
	}
	sqlite3_finalize(st);
	for (i = 0; npk > 1 && i < n; i++)
		w[i].pk = 0;
	return n;
}

/* What a new dataset file should document about table `name`. */
static size_t
expected_cols(struct dataset *ds, const char *name, struct want *w)
{
	const struct dataset_table *t = dataset_table_find(name);

	return t != NULL ? registry_cols(t, w) : sqlite_cols(ds, name, w);
}

/* ---- the registry itself ------------------------------------------ */

/* Ranks 1..n, each once: by_rank in tables.c stops at the first gap. */
static void
ranks_contiguous(const struct dataset_table *t)
{
	const struct dataset_col *c, *out[DATASET_MAX_COLS];
	size_t nx = 0, ns = 0;

	for (c = t->cols; c->name != NULL; c++) {
		nx += c->xml != NULL;
		ns += c->sort != 0;
		ck_assert_msg((c->xml != NULL) == (c->out > 0),
			      "%s.%s: xml name and out go together", t->name,
			      c->name);
	}
	ck_assert_uint_eq(dataset_export_cols(t, out, DATASET_MAX_COLS), nx);
	ck_assert_uint_eq(dataset_sort_cols(t, out, DATASET_MAX_COLS), ns);
}

/* Per-persona tables carry persona_id and quarantined. */
static void
per_persona_columns(const struct dataset_table *t)
{
	const struct dataset_col *c;
	int pid = 0, q = 0;

	for (c = t->cols; c->name != NULL; c++) {
		pid |= strcmp(c->name, DATASET_PERSONA_COL) == 0;
		q |= strcmp(c->name, "quarantined") == 0;
	}
	ck_assert_msg(pid && q == t->quarantine && q, "%s", t->name);
}

START_TEST(registry_holds_together)
{
	const struct dataset_table *t = &dataset_tables[_i], *o;
	const struct dataset_col *out_cols[DATASET_MAX_COLS];

	ck_assert_ptr_eq(dataset_table_find(t->name), t);
	ck_assert_uint_eq(dataset_table_index(t), (size_t)_i);
	ranks_contiguous(t);
	if (t->role != DATASET_HEAD && t->role != DATASET_TAIL &&
	    t->role != DATASET_SUB && t->role != DATASET_WIDE)
		per_persona_columns(t);
	if (t->role == DATASET_SUB) {
		o = dataset_table_find(t->owner);
		ck_assert_ptr_nonnull(o);
		ck_assert_ptr_nonnull(dataset_id_col(o, 0));
		ck_assert_uint_eq(dataset_export_cols(t, out_cols,
				  DATASET_MAX_COLS), 1);
	}
	if (t->role == DATASET_TAIL)
		ck_assert_ptr_nonnull(dataset_id_col(t, 1));
	if (t->role == DATASET_LIST || t->role == DATASET_TAIL ||
	    t->role == DATASET_WIDE)
		ck_assert_ptr_nonnull(t->xml_list);
	if (t->role == DATASET_WIDE)
		ck_assert(!t->quarantine &&
			  dataset_col_at(t, 0, &(struct dataset_col){ 0 }) == 0);
	ck_assert_ptr_nonnull(t->xml_item);
	if (t->write == DATASET_UPSERT || t->role == DATASET_ONE ||
	    t->role == DATASET_LIST)
		ck_assert_ptr_nonnull(dataset_id_col(t, 0));
}
END_TEST

START_TEST(registry_has_one_table_per_role)
{
	static const enum dataset_role roles[] = {
		DATASET_HEAD, DATASET_PERSONAS, DATASET_ONE, DATASET_TAIL
	};
	size_t i, r, n;

	for (r = 0; r < N(roles); r++) {
		for (i = n = 0; i < dataset_ntables; i++)
			n += dataset_tables[i].role == roles[r];
		ck_assert_uint_eq(n, 1);
	}
}
END_TEST

/* The narrative reply's keys are the narrative's audited columns. */
START_TEST(narrative_fields_are_its_columns)
{
	const struct dataset_table *t = dataset_table_find("narrative");
	const struct dataset_col *c;
	int i = 0;

	for (c = t->cols; c->name != NULL; c++)
		if (c->flags & (DATASET_AUDIT | DATASET_JSON)) {
			ck_assert_int_lt(i, WRITER_NARRATIVE_FIELDS);
			ck_assert_str_eq(writer_narrative_fields[i++], c->name);
		}
	ck_assert_int_eq(i, WRITER_NARRATIVE_FIELDS);
}
END_TEST

/* The SQL made from the registry creates exactly its columns. */
START_TEST(sql_schema_is_the_registry)
{
	struct want want[MAXC], have[MAXC];
	char dir[300];
	struct dataset *ds = new_dataset(dir, sizeof(dir));
	const struct dataset_table *t = &dataset_tables[_i];
	size_t i, n = registry_cols(t, want);

	ck_assert_uint_eq(sqlite_cols(ds, t->name, have), n);
	for (i = 0; i < n; i++) {
		ck_assert_str_eq(have[i].name, want[i].name);
		ck_assert_int_eq(have[i].is_int, want[i].is_int);
		ck_assert_int_eq(have[i].pk, want[i].pk);
	}
	drop_dataset(ds, dir);
}
END_TEST

/* ---- doc/schema.md ------------------------------------------------- */

struct doc_check {
	struct dataset *ds;
	struct buf err;          /* one problem per line */
	int problems;
	char sect[8][64];        /* tables the current section names */
	int nsect, ntab;         /* ... and column tables seen in it */
	char documented[32][64];
	int ndoc;
};

static void
problem(struct doc_check *d, const char *fmt, ...)
{
	va_list ap;

	d->problems++;
	va_start(ap, fmt);
	buf_vprintf(&d->err, fmt, ap);
	va_end(ap);
	buf_putc(&d->err, '\n');
}

/* 1 if the new dataset file has table `name`. */
static int
has_table(struct dataset *ds, const char *name)
{
	sqlite3_stmt *st;
	int found;

	sqlite3_prepare_v2(ds->db, "SELECT 1 FROM sqlite_master WHERE "
			   "type = 'table' AND name = ?1", -1, &st, NULL);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

/* "## a, b": the section's table names. */
static void
doc_section(struct doc_check *d, const char *line)
{
	const char *p = line + 3;
	size_t n;

	d->nsect = d->ntab = 0;
	while (*p != '\0' && *p != '\n' && d->nsect < 8) {
		n = strcspn(p, ",\n");
		snprintf(d->sect[d->nsect++], 64, "%.*s", (int)n, p);
		p += n;
		p += strspn(p, ", ");
	}
}

/* Split one table row into the names and type entries it lists. */
static void
doc_row(const char *line, struct want *cols, int *ncols)
{
	const char *cell = strchr(line + 1, '|'), *p, *q, *t[16];
	size_t nt = 0, k, len;
	int first = *ncols;

	for (p = line + 1; p < cell && (p = strchr(p, '`')) != NULL &&
	     p < cell; p = q + 1) {
		q = strchr(p + 1, '`');
		snprintf(cols[*ncols].name, 64, "%.*s", (int)(q - p - 1),
			 p + 1);
		(*ncols)++;
	}
	for (p = cell + 1; *p == ' '; p++)
		;
	t[nt++] = p;
	for (q = p; *q != '|' && nt < N(t); q++)
		if (*q == ',')
			t[nt++] = q + 1 + strspn(q + 1, " ");
	for (k = 0; (int)k < *ncols - first; k++) {
		p = t[nt == 1 ? 0 : k < nt ? k : nt - 1];
		len = strcspn(p, ",|");
		cols[first + k].is_int = strncmp(p, "INTEGER", 7) == 0;
		cols[first + k].pk = memmem(p, len, " PK", 3) != NULL;
	}
}

/* Compare one documented column table with the table it documents. */
static void
doc_compare(struct doc_check *d, const char *table, const struct want *doc,
	    int ndoc)
{
	struct want want[MAXC];
	int i, n;

	if (!has_table(d->ds, table)) {
		problem(d, "doc: a section names table '%s', which a "
			"dataset does not have", table);
		return;
	}
	if (d->ndoc < 32)
		snprintf(d->documented[d->ndoc++], 64, "%s", table);
	n = (int)expected_cols(d->ds, table, want);
	for (i = 0; i < ndoc || i < n; i++) {
		if (i >= n || i >= ndoc || strcmp(doc[i].name, want[i].name))
			problem(d, "doc: %s column %d is '%s' in the doc, '%s' "
				"in the dataset", table, i + 1,
				i < ndoc ? doc[i].name : "(none)",
				i < n ? want[i].name : "(none)");
		else if (doc[i].is_int != want[i].is_int ||
			 doc[i].pk != want[i].pk)
			problem(d, "doc: %s.%s is %s%s in the dataset", table,
				want[i].name, type_name(want[i].is_int),
				want[i].pk ? " PK" : "");
		else
			continue;
		return;   /* one problem per table: the rest follows */
	}
}

/* Parse one column table starting at *pp (its header line); advance. */
static void
doc_table(struct doc_check *d, const char **pp)
{
	static struct want cols[MAXC];
	const char *p = strchr(*pp, '\n');
	char name[64];
	int n = 0;

	p = p ? strchr(p + 1, '\n') : NULL;    /* skip the | --- | line */
	while (p != NULL && p[1] == '|' && n < MAXC - 8) {
		doc_row(p + 1, cols, &n);
		p = strchr(p + 1, '\n');
	}
	*pp = p ? p : *pp + strlen(*pp);
	if (d->ntab >= d->nsect) {
		problem(d, "doc: a column table in section '%s' names no "
			"table", d->nsect ? d->sect[0] : "?");
		return;
	}
	snprintf(name, sizeof(name), "%s", d->sect[d->ntab++]);
	doc_compare(d, name, cols, n);
}

/* Every table of a new dataset file is documented. */
static void
doc_all_documented(struct doc_check *d)
{
	sqlite3_stmt *st;
	const char *name;
	int i, found;

	sqlite3_prepare_v2(d->ds->db, "SELECT name FROM sqlite_master WHERE "
			   "type = 'table' ORDER BY name", -1, &st, NULL);
	while (sqlite3_step(st) == SQLITE_ROW) {
		name = (const char *)sqlite3_column_text(st, 0);
		for (i = found = 0; i < d->ndoc; i++)
			found |= strcmp(d->documented[i], name) == 0;
		if (!found)
			problem(d, "doc: table '%s' is not documented", name);
	}
	sqlite3_finalize(st);
}

/* Check doc/schema.md text (len is not needed); returns the number of
 * problems, described in *msg (caller frees). */
static int
check_doc(const char *text, size_t len, char **msg)
{
	struct doc_check d;
	char dir[300];
	const char *p;

	(void)len;
	memset(&d, 0, sizeof(d));
	d.ds = new_dataset(dir, sizeof(dir));
	buf_init(&d.err, 1 << 16);
	for (p = text; p != NULL && *p != '\0'; p = strchr(p, '\n'),
	     p = p ? p + 1 : NULL) {
		if (strncmp(p, "## ", 3) == 0)
			doc_section(&d, p);
		else if (strncmp(p, "| column |", 10) == 0)
			doc_table(&d, &p);
	}
	doc_all_documented(&d);
	drop_dataset(d.ds, dir);
	*msg = d.err.data ? buf_detach(&d.err) : strdup("");
	return d.problems;
}

/* ---- output/personaforge.xsd -------------------------------------- */

struct xsd_check {
	xmlDocPtr doc;
	xmlXPathContextPtr xp;
	struct buf err;
	int problems;
};

/* "name:type" of every node xpath finds under ctx, space-separated. */
static void
xsd_list(struct xsd_check *x, xmlNodePtr ctx, const char *xpath,
	 struct buf *out)
{
	xmlXPathObjectPtr r;
	xmlChar *name, *type;
	int i;

	buf_reset(out);
	buf_puts(out, "");
	x->xp->node = ctx;
	r = xmlXPathEvalExpression(BAD_CAST xpath, x->xp);
	for (i = 0; r && r->nodesetval && i < r->nodesetval->nodeNr; i++) {
		name = xmlGetProp(r->nodesetval->nodeTab[i], BAD_CAST "name");
		type = xmlGetProp(r->nodesetval->nodeTab[i], BAD_CAST "type");
		buf_printf(out, "%s%s:%s", i ? " " : "",
			   name ? (char *)name : "", type ? (char *)type : "");
		xmlFree(name);
		xmlFree(type);
	}
	xmlXPathFreeObject(r);
}

/* The one node xpath finds under ctx, or NULL (a problem). */
static xmlNodePtr
xsd_node(struct xsd_check *x, xmlNodePtr ctx, const char *xpath)
{
	xmlXPathObjectPtr r;
	xmlNodePtr n = NULL;

	x->xp->node = ctx;
	r = xmlXPathEvalExpression(BAD_CAST xpath, x->xp);
	if (r && r->nodesetval && r->nodesetval->nodeNr == 1)
		n = r->nodesetval->nodeTab[0];
	xmlXPathFreeObject(r);
	if (n == NULL) {
		x->problems++;
		buf_printf(&x->err, "xsd: no single %s\n", xpath);
	}
	return n;
}

/* Compare a found list with the wanted one. */
static void
xsd_same(struct xsd_check *x, const char *what, const char *want,
	 const char *have)
{
	if (strcmp(want, have) == 0)
		return;
	x->problems++;
	buf_printf(&x->err, "xsd: %s: want '%s', have '%s'\n", what, want,
		   have);
}

static const char *
xsd_type(const struct dataset_col *c)
{
	if (c->flags & DATASET_BOOL)
		return "xs:boolean";
	if (c->flags & DATASET_POSITIVE)
		return "xs:positiveInteger";
	return c->type == DATASET_INT ? "xs:integer" : "xs:string";
}

/* The wanted elements (attrs == 0) or attributes (1) of t's record. */
static void
xsd_want(const struct dataset_table *t, const struct dataset_table *sub,
	 int attrs, struct buf *out)
{
	const struct dataset_col *c[DATASET_MAX_COLS];
	size_t i, n = dataset_export_cols(t, c, DATASET_MAX_COLS);
	const char *sep = "";

	buf_reset(out);
	buf_puts(out, "");
	for (i = 0; i < n; i++) {
		if (!!(c[i]->flags & DATASET_ATTR) != attrs ||
		    (c[i]->flags & DATASET_BODY))
			continue;
		buf_printf(out, "%s%s:%s", sep, c[i]->xml, xsd_type(c[i]));
		sep = " ";
	}
	if (!attrs && sub != NULL)
		buf_printf(out, "%s%s:", sep, sub->xml_item);
	if (attrs && (t->quarantine || t->role == DATASET_TAIL))
		buf_printf(out, "%squarantined:xs:boolean", sep);
}

/* A record's type: child elements, attributes, text content, sub rows. */
static void
xsd_record(struct xsd_check *x, const struct dataset_table *t,
	   xmlNodePtr r)
{
	const struct dataset_table *sub = dataset_table_sub(t);
	const struct dataset_col *c[DATASET_MAX_COLS];
	struct buf want, have;
	char what[128], xp[128];
	size_t i, n = dataset_export_cols(t, c, DATASET_MAX_COLS);
	int body = 0;

	buf_init(&want, 1 << 14);
	buf_init(&have, 1 << 14);
	for (i = 0; i < n; i++)
		body |= !!(c[i]->flags & DATASET_BODY);
	snprintf(what, sizeof(what), "%s elements", t->name);
	xsd_want(t, sub, 0, &want);
	xsd_list(x, r, "xs:sequence/xs:element", &have);
	xsd_same(x, what, want.data, have.data);
	snprintf(what, sizeof(what), "%s attributes", t->name);
	xsd_want(t, sub, 1, &want);
	xsd_list(x, r, "xs:attribute|xs:simpleContent/xs:extension/"
		 "xs:attribute", &have);
	xsd_same(x, what, want.data, have.data);
	snprintf(what, sizeof(what), "%s text content", t->name);
	xsd_list(x, r, "xs:simpleContent/xs:extension", &have);
	xsd_same(x, what, body ? ":" : "", have.data);
	if (sub != NULL && dataset_export_cols(sub, c, 1) == 1) {
		snprintf(xp, sizeof(xp), "xs:sequence/xs:element[@name='%s']/"
			 "xs:complexType/xs:attribute", sub->xml_item);
		snprintf(what, sizeof(what), "%s attributes", sub->name);
		xsd_list(x, r, xp, &have);
		buf_reset(&want);
		buf_printf(&want, "%s:%s", c[0]->xml, xsd_type(c[0]));
		xsd_same(x, what, want.data, have.data);
	}
	buf_free(&want);
	buf_free(&have);
}

/* The type of t's records: a named type for one-row records, the inner
 * type of the list's item element otherwise. */
static xmlNodePtr
xsd_record_type(struct xsd_check *x, const struct dataset_table *t)
{
	char xp[256];

	if (t->xml_list == NULL)
		snprintf(xp, sizeof(xp), "/xs:schema/xs:complexType"
			 "[@name='%s']", t->xml_item);
	else
		snprintf(xp, sizeof(xp), "/xs:schema/xs:complexType"
			 "[@name='%s']/xs:sequence/xs:element[@name='%s']/"
			 "xs:complexType", t->xml_list, t->xml_item);
	return xsd_node(x, xmlDocGetRootElement(x->doc), xp);
}

/* dataset = head, personas list, tail list; persona = attributes, the
 * one-to-one record, the lists, in registry order. */
static void
xsd_layout(struct xsd_check *x)
{
	const struct dataset_table *t;
	struct buf want, have;
	xmlNodePtr root = xmlDocGetRootElement(x->doc);
	char xp[256];
	size_t i;

	buf_init(&want, 1 << 14);
	buf_init(&have, 1 << 14);
	buf_printf(&want, "%s:pf:%s %s:pf:%s %s:pf:%s",
		   dataset_table_role(DATASET_HEAD)->xml_item,
		   dataset_table_role(DATASET_HEAD)->xml_item,
		   dataset_table_role(DATASET_PERSONAS)->xml_list,
		   dataset_table_role(DATASET_PERSONAS)->xml_list,
		   dataset_table_role(DATASET_TAIL)->xml_list,
		   dataset_table_role(DATASET_TAIL)->xml_list);
	for (i = 0; i < dataset_ntables; i++)
		if (dataset_tables[i].role == DATASET_WIDE)
			buf_printf(&want, " %s:pf:%s", dataset_tables[i].xml_list,
				   dataset_tables[i].xml_list);
	xsd_list(x, root, "/xs:schema/xs:element[@name='dataset']/"
		 "xs:complexType/xs:sequence/xs:element", &have);
	xsd_same(x, "dataset elements", want.data, have.data);
	buf_reset(&want);
	buf_puts(&want, "attributes:pf:attributes");
	for (i = 0; i < dataset_ntables; i++) {
		t = &dataset_tables[i];
		if (t->role == DATASET_ONE || t->role == DATASET_LIST)
			buf_printf(&want, " %s:pf:%s", t->xml_list ?
				   t->xml_list : t->xml_item, t->xml_list ?
				   t->xml_list : t->xml_item);
	}
	xsd_list(x, root, "/xs:schema/xs:complexType[@name='persona']/"
		 "xs:sequence/xs:element", &have);
	xsd_same(x, "persona elements", want.data, have.data);
	buf_reset(&want);
	t = dataset_table_role(DATASET_PERSONAS);
	buf_printf(&want, "%s:pf:%s", t->xml_item, t->xml_item);
	snprintf(xp, sizeof(xp), "/xs:schema/xs:complexType[@name='%s']/"
		 "xs:sequence/xs:element", t->xml_list);
	xsd_list(x, root, xp, &have);
	xsd_same(x, "personas elements", want.data, have.data);
	xsd_list(x, root, "/xs:schema/xs:complexType[@name='persona']/"
		 "xs:attribute", &have);
	xsd_same(x, "persona attributes", "id:xs:string "
		 "quarantined:xs:boolean", have.data);
	xsd_node(x, root, "/xs:schema/xs:complexType[@name='attributes']/"
		 "xs:sequence/xs:any");
	buf_free(&want);
	buf_free(&have);
}

/* Check personaforge.xsd text; as check_doc. */
static int
check_xsd(const char *text, size_t len, char **msg)
{
	struct xsd_check x;
	const struct dataset_table *t;
	xmlNodePtr r;
	size_t i;

	memset(&x, 0, sizeof(x));
	buf_init(&x.err, 1 << 16);
	x.doc = xmlReadMemory(text, (int)len, "personaforge.xsd", NULL,
			      XML_PARSE_NONET);
	ck_assert_ptr_nonnull(x.doc);
	x.xp = xmlXPathNewContext(x.doc);
	xmlXPathRegisterNs(x.xp, BAD_CAST "xs",
			   BAD_CAST "http://www.w3.org/2001/XMLSchema");
	xsd_layout(&x);
	for (i = 0; i < dataset_ntables; i++) {
		t = &dataset_tables[i];
		if (t->role == DATASET_PERSONAS || t->role == DATASET_SUB)
			continue;
		if ((r = xsd_record_type(&x, t)) != NULL)
			xsd_record(&x, t, r);
	}
	xmlXPathFreeContext(x.xp);
	xmlFreeDoc(x.doc);
	*msg = x.err.data ? buf_detach(&x.err) : strdup("");
	return x.problems;
}

/* ---- the real documents, and broken copies ------------------------ */

/* One way to break a copy of a document, and what the report names. */
struct breakage {
	const char *from, *to;   /* first occurrence of from becomes to */
	const char *names;       /* the report must contain this */
};

static const struct breakage doc_breaks[] = {
	{ "| `fact_value` |", "| `fact_val` |", "fact_value" },
	{ "| `judge_model` | TEXT | model that judged |\n", "",
	  "judge_model" },
	{ "| `concise_persona` | TEXT | |\n",
	  "| `concise_persona` | TEXT | |\n| `extra` | TEXT | |\n", "extra" },
	{ "| `turn` | INTEGER |", "| `turn` | TEXT |", "turn" },
	{ "`first_name`, `last_name`", "`first_name`, `surname`",
	  "last_name" },
	{ "## preference_pair", "## preference_pairs", "preference_pair" },
	{ "## journal", "## journals", "journal" },
	{ "| `count` | INTEGER |", "| `count` | TEXT |", "count" },
};

static const struct breakage xsd_breaks[] = {
	{ "name=\"judge_model\"", "name=\"judge_mdl\"", "judge_mdl" },
	{ "<xs:attribute name=\"difficulty\"", "<xs:attribute name=\"level\"",
	  "level" },
	{ "<xs:element name=\"concise_persona\" type=\"xs:string\"/>",
	  "<xs:element name=\"concise_persona\" type=\"xs:string\"/>"
	  "<xs:element name=\"extra\" type=\"xs:string\"/>", "extra" },
	{ "name=\"judge_certainty\" type=\"xs:integer\"",
	  "name=\"judge_certainty\" type=\"xs:string\"", "judge_certainty" },
	{ "name=\"count\" type=\"xs:positiveInteger\"",
	  "name=\"count\" type=\"xs:integer\"", "count" },
	{ "name=\"facts\" type=\"pf:facts\"",
	  "name=\"fact_list\" type=\"pf:facts\"", "fact_list" },
	{ "<xs:attribute name=\"doc\" type=\"xs:string\" use=\"required\"/>\n"
	  "              </xs:complexType>",
	  "<xs:attribute name=\"document\" type=\"xs:string\" "
	  "use=\"required\"/>\n              </xs:complexType>", "document" },
};

/* A document held to the registry, its checker and how to break it. */
static const struct document {
	const char *rel;         /* in the source tree */
	const char *env;         /* names another file to check instead */
	int (*check)(const char *text, size_t len, char **msg);
	const struct breakage *breaks;
	size_t nbreaks;
} documents[] = {
	{ "doc/schema.md", "PF_SCHEMA_MD", check_doc, doc_breaks,
	  N(doc_breaks) },
	{ "output/personaforge.xsd", "PF_XSD", check_xsd, xsd_breaks,
	  N(xsd_breaks) },
};

START_TEST(document_matches_the_registry)
{
	const struct document *d = &documents[_i];
	size_t len;
	char *text = slurp(doc_path(d->env, d->rel), &len), *msg;
	int n = d->check(text, len, &msg);

	ck_assert_msg(n == 0, "%s: %d problem(s):\n%s", d->rel, n, msg);
	free(msg);
	free(text);
}
END_TEST

/* A copy of text with b applied; the caller frees it. */
static char *
broken_copy(const char *text, const struct breakage *b, size_t *len)
{
	const char *at = strstr(text, b->from);
	struct buf out;

	ck_assert_msg(at != NULL, "'%s' is not in the document", b->from);
	buf_init(&out, BUF_MAX_DEFAULT);
	buf_append(&out, text, (size_t)(at - text));
	buf_puts(&out, b->to);
	buf_puts(&out, at + strlen(b->from));
	*len = out.len;
	return buf_detach(&out);
}

/* Breakage _i, counted over every document's list. */
START_TEST(check_catches_a_broken_copy)
{
	const struct document *d = documents;
	const struct breakage *b;
	size_t i = (size_t)_i, len;
	char *text, *copy, *msg;
	int n;

	for (; i >= d->nbreaks; d++)
		i -= d->nbreaks;
	b = &d->breaks[i];
	text = slurp(check_tap_srcpath(d->rel), &len);
	copy = broken_copy(text, b, &len);
	n = d->check(copy, len, &msg);
	ck_assert_msg(n > 0 && strstr(msg, b->names) != NULL,
		      "%s: breaking '%s' went unnoticed: %s", d->rel, b->from,
		      msg);
	free(msg);
	free(copy);
	free(text);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("tables");
	TCase *tc = tcase_create("registry");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, registry_holds_together, 0,
			    (int)dataset_ntables);
	tcase_add_test(tc, registry_has_one_table_per_role);
	tcase_add_test(tc, narrative_fields_are_its_columns);
	tcase_add_loop_test(tc, sql_schema_is_the_registry, 0,
			    (int)dataset_ntables);
	tcase_add_loop_test(tc, document_matches_the_registry, 0,
			    (int)N(documents));
	tcase_add_loop_test(tc, check_catches_a_broken_copy, 0,
			    (int)(N(doc_breaks) + N(xsd_breaks)));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_tap_run(suite());
}
