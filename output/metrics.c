/* metrics.c - the audit_metric table and the measuring passes' source
 * (see metrics.h). */
#include "output/metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/datadir.h"
#include "base/json.h"
#include "output/ahead.h"
#include "output/cursor.h"
#include "engine/journal.h"
#include "engine/scheduler.h"
#include "output/rowsum.h"
#include "output/tables.h"
#include "output/tablesql.h"
#include "personas/sampler.h"

#define SQL_MAX ((size_t)1 << 16)
#define TEXTS_MAX 8          /* tables whose text is measured */
#define LIST_MAX 4096        /* items of one exposure list kept */
#define LENS_MAX 1024        /* row lengths of one persona per table */
#define FINDERS_MAX 8        /* auditors whose findings are split out */
#define SOURCES_MAX 8        /* list sources read ahead */

/* Stages that list people add theirs here, one entry each (metrics.h).
 * A community question's answerers (cqa): one answerer per technique,
 * k the techniques the run used. A persona's contacts (world): the
 * catalogue is every contact, a community pool contact (shared_id) being
 * one item however many members know it; k is contacts_min when it
 * equals contacts_max, else lengths vary by design. A preference
 * episode's drawn personas would be a third, but FSPO episodes are one
 * persona's pairs (output/fewshot.h): no table lists personas per
 * episode. */
const struct metrics_list_source metrics_list_sources[] = {
	{ .name = "cqa.answerers", .table = "cqa", .user = "question_id",
	  .item = "answerer_id", .stage = "cqa",
	  .count_sql = "count(DISTINCT technique)" },
	{ .name = "world.contacts", .table = "contact", .user = "persona_id",
	  .item = "coalesce(nullif(shared_id, ''), contact_id)",
	  .distinct = 1, .stage = "world", .count_key = "contacts_min",
	  .count_max_key = "contacts_max" },
	{ .name = NULL }
};

/* ---- the source ---- */

struct src {
	struct audit_source base;
	struct dataset *ds;
	struct pf_error *err;
	sqlite3_stmt *people, *list;
	/* Read ahead (output/ahead.h) when the caller allows it: each
	 * persona's journal, preference and text columns (`rest`, in
	 * persona order beside `people`), and each list source's lists
	 * (lahead[k] for lists0[k]); NULL: read here. */
	int ahead_ok;
	struct ahead *rest;
	struct ahead *lahead[SOURCES_MAX];
	struct ahead *lrun;                     /* the list ahead now */
	struct ahead_row lrow;                  /* its row */
	const struct metrics_list_source *lists0;
	const struct metrics_list_source *ls;   /* the list source now */
	cJSON *config;                          /* the run's config */
	struct persona_tables *tables;
	int npcols;                   /* persona columns */
	const char **names, **values;
	const char *auditors[FINDERS_MAX];      /* auditors that find */
	size_t nauditors;
	int64_t by_auditor[FINDERS_MAX * AUDIT_NSEVERITY];
	const char *texts[TEXTS_MAX];
	int64_t rows[TEXTS_MAX], bytes[TEXTS_MAX];
	int64_t lens[TEXTS_MAX][LENS_MAX];      /* each row's bytes */
	const int64_t *lensp[TEXTS_MAX];
	size_t nlens[TEXTS_MAX], ntexts;
	int64_t items[LIST_MAX];
	char user[256];               /* list: the user being read */
	int64_t list_k, list_n;       /* list: k and catalogue of the source */
	int pending;                  /* list: the cursor holds a row */
	sqlite3_stmt *pairs;          /* judged pairs, once asked for */
	int pairs_done;
	sqlite3_stmt *cmps;           /* safety comparisons, likewise */
	int cmps_done;
};

static int next_pair(struct audit_source *base, struct audit_pair *p,
		     struct pf_error *err);
static int next_comparison(struct audit_source *base,
			   struct audit_comparison *c, struct pf_error *err);
static int people_ready(struct src *s);

static int
db_fail(struct src *s, const char *what)
{
	return pf_error_set(s->err, "cannot read %s: %s", what,
			    sqlite3_errmsg(s->ds->db));
}

/* Append "UNION ALL" parts reading every table with a quarantine flag.
 * Only flagged rows enter the union (the flag is 0 or 1): grouping every
 * row of every table sorted the texts' tables whole at each end of a
 * build, for the few personas that have a quarantined row. */
static int
sql_quarantine(struct buf *b)
{
	const char *sep = "";
	size_t i;
	int rc = buf_puts(b, " LEFT JOIN (SELECT pid, max(q) AS q FROM (");

	for (i = 0; i < dataset_ntables; i++) {
		if (!dataset_tables[i].quarantine ||
		    dataset_tables[i].role == DATASET_PERSONAS)
			continue;
		rc |= buf_printf(b, "%sSELECT " DATASET_PERSONA_COL " AS pid,"
				 " 1 AS q FROM \"%s\" WHERE quarantined", sep,
				 dataset_tables[i].name);
		sep = " UNION ALL ";
	}
	return rc | buf_puts(b, ") GROUP BY pid) q ON q.pid = p."
			     DATASET_PERSONA_COL);
}

/* The real-looking findings about a persona's rows, by severity (sS),
 * then by finding auditor and severity (aA_S). */
static int
sql_findings(struct src *s, struct buf *b)
{
	size_t a;
	int sv, rc = buf_puts(b, " LEFT JOIN (SELECT "
			      DATASET_PERSONA_KEY("row_id") " AS pid");

	for (sv = AUDIT_INFO; sv <= AUDIT_CRITICAL; sv++)
		rc |= buf_printf(b, ", sum(CASE severity WHEN '%s' THEN count "
				 "ELSE 0 END) AS s%d", audit_severity_name(
				 (enum audit_severity)sv), sv);
	for (a = 0; a < s->nauditors; a++)
		for (sv = AUDIT_INFO; sv <= AUDIT_CRITICAL; sv++)
			rc |= buf_printf(b, ", sum(CASE WHEN auditor = '%s' AND"
					 " severity = '%s' THEN count ELSE 0 "
					 "END) AS a%zu_%d", s->auditors[a],
					 audit_severity_name(
					 (enum audit_severity)sv), a, sv);
	return rc | buf_puts(b, " FROM audit_finding WHERE synthetic = 0 AND"
			     " kind != 'gate' AND row_table != 'dataset'"
			     " GROUP BY pid) f ON f.pid = p."
			     DATASET_PERSONA_COL);
}

/* A row's audited bytes in table t: "length(..) + length(..)". */
static int
sql_row_bytes(const struct dataset_table *t, struct buf *b)
{
	const struct dataset_col *c;
	const char *sep = "";
	int rc = 0;

	for (c = t->cols; c->name != NULL; c++)
		if (c->flags & DATASET_AUDIT) {
			rc |= buf_printf(b, "%slength(CAST(\"%s\" AS BLOB))",
					 sep, c->name);
			sep = " + ";
		}
	return rc;
}

/* Rows, audited bytes and each row's bytes ("12,40,7") per persona of
 * table t, joined as tK. */
static int
sql_texts(struct src *s, const struct dataset_table *t, struct buf *b)
{
	size_t k = s->ntexts;
	int rc = buf_printf(b, " LEFT JOIN (SELECT " DATASET_PERSONA_COL
			    " AS pid, count(*) AS n, sum(");

	rc |= sql_row_bytes(t, b) | buf_puts(b, ") AS b, group_concat(");
	rc |= sql_row_bytes(t, b);
	rc |= buf_printf(b, ") AS l FROM \"%s\" GROUP BY pid) t%zu ON t%zu.pid"
			 " = p." DATASET_PERSONA_COL, t->name, k, k);
	s->texts[s->ntexts++] = t->name;
	return rc;
}

/* 1 if t is a per-persona table with audited text. */
static int
has_text(const struct dataset_table *t)
{
	const struct dataset_col *c;

	if (t->role != DATASET_ONE && t->role != DATASET_LIST)
		return 0;
	for (c = t->cols; c->name != NULL; c++)
		if (c->flags & DATASET_AUDIT)
			return 1;
	return 0;
}

/* The columns of the rest of a persona: journal items, failed and
 * refused, decided preference pairs on a stated axis and those won by
 * the stated view, then per text table its rows, bytes and row
 * lengths. */
static int
sql_rest_cols(struct buf *b)
{
	size_t i, k;
	int rc = buf_puts(b, ", coalesce(j.n, 0), coalesce(j.failed, 0), "
			  "coalesce(j.refused, 0), coalesce(v.n, 0), "
			  "coalesce(v.own, 0)");

	for (i = 0, k = 0; i < dataset_ntables && k < TEXTS_MAX; i++)
		if (has_text(&dataset_tables[i]))
			rc |= buf_printf(b, ", coalesce(t%zu.n, 0), "
					 "coalesce(t%zu.b, 0), t%zu.l", k, k,
					 k), k++;
	return rc;
}

/* The joins of sql_rest_cols; names the text tables in s->texts. */
static int
sql_rest_joins(struct src *s, struct buf *b)
{
	size_t i;
	int rc;

	rc = buf_puts(b, " LEFT JOIN (SELECT persona_id AS pid, count(*) AS"
		      " n, sum(state = 'failed') AS failed, sum(state = "
		      "'failed' AND (last_error LIKE '" SCHED_REFUSED "%')) AS"
		      " refused FROM journal");
	/* a journal this process wrote whole holds no damaged row */
	if (!s->ds->journal_fresh)
		rc |= buf_puts(b, " WHERE pf_journal_intact(item_id, state, "
			       "req_hash, reply, finish_reason, model, "
			       "reply_sum)");
	rc |= buf_puts(b, " GROUP BY persona_id) j ON j.pid = p."
		       DATASET_PERSONA_COL);
	rc |= buf_puts(b, " LEFT JOIN (SELECT " DATASET_PERSONA_COL " AS pid,"
		       " count(*) AS n, sum(view_chosen = view_stated) AS own"
		       " FROM preference_pair WHERE label = 'chosen' AND "
		       "view_stated != '' GROUP BY pid) v ON v.pid = p."
		       DATASET_PERSONA_COL);
	s->ntexts = 0;
	for (i = 0; i < dataset_ntables && s->ntexts < TEXTS_MAX; i++)
		if (has_text(&dataset_tables[i]))
			rc |= sql_texts(s, &dataset_tables[i], b);
	return rc;
}

/* The people query: p.*, then quarantine, findings s0..s4, then the
 * rest of each persona (sql_rest_cols) unless s->rest reads it ahead. */
static int
sql_people(struct src *s, struct buf *b)
{
	size_t i;
	int rc, sv;

	rc = buf_puts(b, "SELECT p.*, coalesce(q.q, 0)");
	for (sv = AUDIT_INFO; sv <= AUDIT_CRITICAL; sv++)
		rc |= buf_printf(b, ", coalesce(f.s%d, 0)", sv);
	for (i = 0; i < s->nauditors; i++)
		for (sv = AUDIT_INFO; sv <= AUDIT_CRITICAL; sv++)
			rc |= buf_printf(b, ", coalesce(f.a%zu_%d, 0)", i, sv);
	if (s->rest == NULL)
		rc |= sql_rest_cols(b);
	rc |= buf_printf(b, " FROM \"%s\" p",
			 dataset_table_role(DATASET_PERSONAS)->name);
	rc |= sql_quarantine(b) | sql_findings(s, b);
	if (s->rest == NULL)
		rc |= sql_rest_joins(s, b);
	return rc | buf_puts(b, " ORDER BY p." DATASET_PERSONA_COL);
}

/* The rest of each persona alone, to read ahead: its id, then
 * sql_rest_cols, in the people query's order. */
static int
sql_rest(struct src *s, struct buf *b)
{
	int rc = buf_puts(b, "SELECT p." DATASET_PERSONA_COL);

	rc |= sql_rest_cols(b);
	rc |= buf_printf(b, " FROM \"%s\" p",
			 dataset_table_role(DATASET_PERSONAS)->name);
	rc |= sql_rest_joins(s, b);
	return rc | buf_puts(b, " ORDER BY p." DATASET_PERSONA_COL);
}

/* The numbers of "12,40,7" (NULL: none) into out[max]; how many. */
static size_t
read_lens(const char *text, int64_t *out, size_t max)
{
	size_t n = 0;
	char *end;

	while (text != NULL && *text != '\0' && n < max) {
		out[n++] = strtoll(text, &end, 10);
		text = *end == ',' ? end + 1 : NULL;
	}
	return n;
}

/* Where the rest of a persona's columns are read: the people query's
 * row from column c on, or the row read ahead. */
struct cols {
	sqlite3_stmt *st;
	const struct ahead_row *r;   /* NULL: st */
	int c;                       /* the next column */
};

static int64_t
col_int(struct cols *x)
{
	int c = x->c++;

	return x->r != NULL ? x->r->i[c] : sqlite3_column_int64(x->st, c);
}

static const char *
col_text(struct cols *x)
{
	int c = x->c++;

	return x->r != NULL ? x->r->s[c] :
	       (const char *)sqlite3_column_text(x->st, c);
}

/* The rest of persona p (sql_rest_cols) from x. */
static void
read_rest(struct src *s, struct audit_person *p, struct cols *x)
{
	int i;

	p->items = col_int(x);
	p->failed = col_int(x);
	p->refused = col_int(x);
	p->prefs = col_int(x);
	p->own_wins = col_int(x);
	for (i = 0; i < (int)s->ntexts; i++) {
		s->rows[i] = col_int(x);
		s->bytes[i] = col_int(x);
		s->nlens[i] = read_lens(col_text(x), s->lens[i], LENS_MAX);
		s->lensp[i] = s->lens[i];
	}
	p->ntexts = s->ntexts;
	p->text_tables = s->texts;
	p->text_rows = s->rows;
	p->text_bytes = s->bytes;
	p->text_lens = s->lensp;
	p->text_nlens = s->nlens;
}

/* The rest of persona p from the row read ahead, which must be p's.
 * Returns 0, or -1 with s->err filled. */
static int
rest_ahead(struct src *s, struct audit_person *p)
{
	struct ahead_row r;
	struct cols x = { .c = 1 };
	int got = ahead_next(s->rest, &r, s->err);

	if (got < 0)
		return -1;
	if (got == 0 || r.i[0] != p->persona_id)
		return pf_error_set(s->err, "cannot read the personas: the "
				    "rows read ahead do not match");
	x.r = &r;
	read_rest(s, p, &x);
	return 0;
}

static int
next_person(struct audit_source *base, struct audit_person *p,
	    struct pf_error *err)
{
	struct src *s = (struct src *)base;
	sqlite3_stmt *st;
	struct cols x;
	const char *v;
	int i, c, rc;

	s->err = err;
	if (people_ready(s) != 0)
		return -1;
	st = s->people;
	x = (struct cols){ .st = st };
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return db_fail(s, "the personas");
	memset(p, 0, sizeof(*p));
	for (i = 0; i < s->npcols; i++) {
		v = (const char *)sqlite3_column_text(st, i);
		s->values[i] = v != NULL ? v : "";
		if (strcmp(s->names[i], DATASET_PERSONA_COL) == 0)
			p->persona_id = sqlite3_column_int64(st, i);
		if (strcmp(s->names[i], "quarantined") == 0)
			p->quarantined = sqlite3_column_int(st, i) != 0;
	}
	p->nattrs = (size_t)s->npcols;
	p->names = s->names;
	p->values = s->values;
	c = s->npcols;
	p->quarantined |= sqlite3_column_int(st, c++) != 0;
	for (i = AUDIT_INFO; i <= AUDIT_CRITICAL; i++)
		p->findings[i] = sqlite3_column_int64(st, c++);
	for (i = 0; i < (int)s->nauditors * AUDIT_NSEVERITY; i++)
		s->by_auditor[i] = sqlite3_column_int64(st, c++);
	p->nauditors = s->nauditors;
	p->auditor_names = s->auditors;
	p->by_auditor = s->by_auditor;
	if (s->rest != NULL)
		return rest_ahead(s, p) == 0 ? 1 : -1;
	x.c = c;
	read_rest(s, p, &x);
	return 1;
}

int
metrics_journal_fresh(struct dataset *ds, struct pf_error *err)
{
	sqlite3_stmt *st = dataset_prepare(ds, "SELECT EXISTS (SELECT 1 FROM "
					   "journal)", err);

	if (st == NULL)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return pf_error_set(err, "cannot read the journal: %s",
				    sqlite3_errmsg(ds->db));
	}
	ds->journal_fresh = sqlite3_column_int(st, 0) == 0;
	sqlite3_finalize(st);
	return 0;
}

/* SQL function pf_journal_intact(item_id, state, req_hash, reply,
 * finish_reason, model, reply_sum): 1 for a journal row of a known state
 * whose done reply is as written (verify's test), else 0. A row whose
 * item id was damaged stays in the journal after a resume sends the
 * item again, and must not count as one more item of its persona. */
static void
journal_intact(sqlite3_context *cx, int argc, sqlite3_value **v)
{
	enum journal_state st = journal_state_parse(
		sqlite3_value_text(v[1]));
	const char *reply;
	size_t len;

	(void)argc;
	if (st != JOURNAL_DONE) {
		sqlite3_result_int(cx, st != JOURNAL_NONE);
		return;
	}
	reply = (const char *)sqlite3_value_text(v[3]);
	len = (size_t)sqlite3_value_bytes(v[3]);
	sqlite3_result_int(cx, sqlite3_value_type(v[6]) == SQLITE_INTEGER &&
			   sqlite3_value_int64(v[6]) == journal_reply_sum(
				   (const char *)sqlite3_value_text(v[0]),
				   (const char *)sqlite3_value_text(v[2]),
				   reply, len,
				   (const char *)sqlite3_value_text(v[4]),
				   (const char *)sqlite3_value_text(v[5])));
}

/* Register pf_journal_intact on db. Returns 0 or nonzero. */
static int
register_intact(sqlite3 *db)
{
	return sqlite3_create_function(db, "pf_journal_intact", 7,
				       SQLITE_UTF8 | SQLITE_DETERMINISTIC,
				       NULL, journal_intact, NULL, NULL)
	       != SQLITE_OK;
}

/* Start reading the rest of each persona ahead; s->rest stays NULL when
 * it cannot start (the people query then reads it). */
static void
start_rest(struct src *s)
{
	struct pf_error e;
	struct buf sql;

	buf_init(&sql, SQL_MAX);
	if (sql_rest(s, &sql) == 0)
		(void)ahead_start(s->ds->path, sql.data, register_intact,
				  &s->rest, &e);
	buf_free(&sql);
}

/* Prepare the people query (with the rest of each persona unless it is
 * read ahead). Returns 0, or -1 with s->err filled. */
static int
prepare_people(struct src *s)
{
	struct buf sql;
	int rc;

	buf_init(&sql, SQL_MAX);
	rc = sql_people(s, &sql);
	if (rc != 0) {
		buf_free(&sql);
		return pf_error_set(s->err, "query for the personas too long");
	}
	s->people = dataset_prepare(s->ds, sql.data, s->err);
	buf_free(&sql);
	return s->people != NULL ? 0 : -1;
}

static int
open_people(struct src *s)
{
	size_t a;
	int i;

	/* Registered names only, so they are safe inside the SQL text. */
	for (a = 0; a < auditor_count && s->nauditors < FINDERS_MAX; a++)
		if (auditor_registry[a]->scan_row != NULL ||
		    auditor_registry[a]->scan_dataset != NULL)
			s->auditors[s->nauditors++] = auditor_registry[a]->name;
	if (register_intact(s->ds->db) != 0)
		return pf_error_set(s->err, "cannot register a function: %s",
				    sqlite3_errmsg(s->ds->db));
	if (s->ahead_ok)
		start_rest(s);
	if (prepare_people(s) != 0)
		return -1;
	for (s->npcols = 0; dataset_col_at(dataset_table_role(
	     DATASET_PERSONAS), (size_t)s->npcols, &(struct dataset_col){0})
	     == 0; s->npcols++)
		;
	s->names = calloc((size_t)s->npcols + 1, sizeof(*s->names));
	s->values = calloc((size_t)s->npcols + 1, sizeof(*s->values));
	if (s->names == NULL || s->values == NULL)
		return pf_error_set(s->err, "out of memory");
	for (i = 0; i < s->npcols; i++)
		s->names[i] = sqlite3_column_name(s->people, i);
	return 0;
}

static int
rewind_people(struct audit_source *base, struct pf_error *err)
{
	struct src *s = (struct src *)base;
	int i;

	s->err = err;
	sqlite3_reset(s->people);
	if (s->rest == NULL || !ahead_started(s->rest))
		return 0;
	/* What was read ahead is spent: read it here from now on, with
	 * the query prepared when a person is asked for (an auditor that
	 * measures only pairs or lists never asks). */
	ahead_free(s->rest);
	s->rest = NULL;
	sqlite3_finalize(s->people);
	s->people = NULL;
	for (i = 0; i < s->npcols; i++)
		s->names[i] = NULL;
	return 0;
}

/* The people query, prepared again after a rewind spent what was read
 * ahead. Returns 0, or -1 with s->err filled. */
static int
people_ready(struct src *s)
{
	int i;

	if (s->people != NULL)
		return 0;
	if (prepare_people(s) != 0)
		return -1;
	for (i = 0; i < s->npcols; i++)
		s->names[i] = sqlite3_column_name(s->people, i);
	return 0;
}

/* ---- exposure lists ---- */

/* One integer from SQL text q over the dataset (0 on any failure). */
static int64_t
query_int(struct src *s, const char *q)
{
	sqlite3_stmt *st = dataset_prepare(s->ds, q, NULL);
	int64_t v = 0;

	if (st != NULL && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The rows of ls's table that name an item: "FROM t WHERE ...". */
static int
sql_from(const struct metrics_list_source *ls, struct buf *b)
{
	return buf_printf(b, " FROM \"%s\" WHERE coalesce(%s, '') != ''",
			  ls->table, ls->item);
}

/* The configured length of source ls's lists, or 0 (see metrics.h). */
static int64_t
list_k(struct src *s, const struct metrics_list_source *ls)
{
	const cJSON *st = json_get(json_get(s->config, "stages"), ls->stage);
	struct buf q;
	int64_t k = 0;

	if (ls->count_sql != NULL) {
		buf_init(&q, 1024);
		if (buf_printf(&q, "SELECT %s", ls->count_sql) == 0 &&
		    sql_from(ls, &q) == 0)
			k = query_int(s, q.data);
		buf_free(&q);
		return k;
	}
	if (ls->count_key == NULL)
		return 0;
	k = (int64_t)json_get_num(st, ls->count_key, 0);
	if (ls->count_max_key != NULL &&
	    (int64_t)json_get_num(st, ls->count_max_key, (double)k) != k)
		return 0;
	return k;
}

/* 1 if the dataset file has table `name`. */
static int
has_table(struct src *s, const char *name)
{
	sqlite3_stmt *st = dataset_prepare(s->ds, "SELECT 1 FROM sqlite_master"
					   " WHERE type = 'table' AND name = "
					   "?1", NULL);
	int found;

	if (st == NULL)
		return 0;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

/* The list query of ls: user (as text), item id 1..n, then (with
 * `scalars`, to read it ahead) the catalogue size of a distinct source
 * and the k of count_sql (else 0 each), ordered by user and rank. */
static int
sql_list_select(const struct metrics_list_source *ls, int scalars,
		struct buf *q)
{
	int rc;

	if (ls->distinct)
		rc = buf_printf(q, "SELECT CAST(%s AS TEXT), dense_rank() OVER"
				" (ORDER BY %s)", ls->user, ls->item);
	else
		rc = buf_printf(q, "SELECT CAST(%s AS TEXT), "
				DATASET_PERSONA_KEY("%s") " + 1", ls->user,
				ls->item);
	if (scalars && ls->distinct)
		rc |= buf_printf(q, ", (SELECT count(DISTINCT %s)", ls->item) |
		      sql_from(ls, q) | buf_puts(q, ")");
	else if (scalars)
		rc |= buf_puts(q, ", 0");
	if (scalars && ls->count_sql != NULL)
		rc |= buf_printf(q, ", (SELECT %s", ls->count_sql) |
		      sql_from(ls, q) | buf_puts(q, ")");
	else if (scalars)
		rc |= buf_puts(q, ", 0");
	return rc | sql_from(ls, q) | buf_printf(q, " ORDER BY 1%s%s",
						 ls->rank ? ", " : "",
						 ls->rank ? ls->rank : "");
}

/* The list query of ls, and its catalogue size into s->list_n. */
static int
sql_list(struct src *s, const struct metrics_list_source *ls, struct buf *q)
{
	struct buf c;
	int rc = sql_list_select(ls, 0, q);

	s->list_n = 0;
	if (rc != 0 || !ls->distinct)
		return rc;
	buf_init(&c, 1024);
	rc = buf_printf(&c, "SELECT count(DISTINCT %s)", ls->item) |
	     sql_from(ls, &c);
	if (rc == 0)
		s->list_n = query_int(s, c.data);
	buf_free(&c);
	return rc;
}

/* The lists of a distinct source without ranks, its items ranked as
 * they are read ahead (output/ahead.h) instead of by the window of
 * sql_list_select, which sorts every row once more: the rows with the
 * item as text, ordered by user and item (the order within a list does
 * not count for a source without ranks), and the items in the window's
 * order. Starts *out, or leaves it NULL. */
static void
start_ranked(struct src *s, const struct metrics_list_source *ls,
	     struct ahead **out)
{
	struct buf rows, keys, plain;
	struct ahead_rank r = { .col = 1 };
	struct pf_error e;
	int rc;

	buf_init(&rows, 4096);
	buf_init(&keys, 4096);
	buf_init(&plain, 4096);
	rc = buf_printf(&rows, "SELECT CAST(%s AS TEXT), CAST(%s AS TEXT), 0",
			ls->user, ls->item);
	if (ls->count_sql != NULL)
		rc |= buf_printf(&rows, ", (SELECT %s", ls->count_sql) |
		      sql_from(ls, &rows) | buf_puts(&rows, ")");
	else
		rc |= buf_puts(&rows, ", 0");
	rc |= sql_from(ls, &rows) | buf_puts(&rows, " ORDER BY 1, 2");
	rc |= buf_printf(&keys, "SELECT CAST(%s AS TEXT)", ls->item) |
	      sql_from(ls, &keys) | buf_printf(&keys, " ORDER BY %s",
					      ls->item);
	rc |= sql_list_select(ls, 1, &plain);
	r.keys_sql = keys.data;
	r.plain = plain.data;
	if (rc == 0)
		(void)ahead_start_ranked(s->ds->path, rows.data, &r, out, &e);
	buf_free(&rows);
	buf_free(&keys);
	buf_free(&plain);
}

/* Start reading ahead the lists of every source this dataset has a
 * table for; a source that cannot start is read here. */
static void
start_lists(struct src *s)
{
	const struct metrics_list_source *ls;
	struct pf_error e;
	struct buf q;
	size_t k;

	for (ls = s->lists0, k = 0; ls->name != NULL && k < SOURCES_MAX;
	     ls++, k++) {
		if (!has_table(s, ls->table))
			continue;
		if (ls->distinct && ls->rank == NULL) {
			start_ranked(s, ls, &s->lahead[k]);
			continue;
		}
		buf_init(&q, 4096);
		if (sql_list_select(ls, 1, &q) == 0)
			(void)ahead_start(s->ds->path, q.data, NULL,
					  &s->lahead[k], &e);
		buf_free(&q);
	}
}

/* The read-ahead lists of source s->ls, unless there are none or they
 * were taken before. */
static struct ahead *
list_ahead(struct src *s)
{
	size_t k = (size_t)(s->ls - s->lists0);

	if (k >= SOURCES_MAX || s->lahead[k] == NULL ||
	    ahead_started(s->lahead[k]))
		return NULL;
	return s->lahead[k];
}

/* Step the list cursor: 1 on a row, 0 at the end, -1 with s->err. */
static int
list_step(struct src *s)
{
	int rc;

	if (s->lrun != NULL)
		return ahead_next(s->lrun, &s->lrow, s->err);
	rc = sqlite3_step(s->list);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return rc == SQLITE_ROW;
	return db_fail(s, s->ls->table);
}

/* Open the read-ahead lists of s->ls: 1 with the cursor on its first
 * row, 0 when it has none, -1 with s->err. */
static int
open_list_ahead(struct src *s)
{
	int got;

	s->lrun = list_ahead(s);
	if ((got = list_step(s)) != 1)
		return got;
	s->list_n = s->ls->distinct ? s->lrow.i[2] : 0;
	s->list_k = s->ls->count_sql != NULL ? s->lrow.i[3] :
		    list_k(s, s->ls);
	return 1;
}

/* Prepare the list query of the next source this dataset has a table for;
 * 1 with the cursor on its first row, 0 when none is left. */
static int
open_list(struct src *s)
{
	struct buf q;
	int rc;

	sqlite3_finalize(s->list);
	s->list = NULL;
	s->lrun = NULL;
	for (; s->ls->name != NULL; s->ls++) {
		if (list_ahead(s) != NULL) {
			if ((rc = open_list_ahead(s)) != 0)
				return s->pending = rc > 0, rc;
			continue;
		}
		s->lrun = NULL;
		if (!has_table(s, s->ls->table))
			continue;
		buf_init(&q, 4096);
		rc = sql_list(s, s->ls, &q);
		s->list = rc == 0 ? dataset_prepare(s->ds, q.data, s->err)
			  : NULL;
		buf_free(&q);
		if (s->list == NULL)
			return -1;
		s->list_k = list_k(s, s->ls);
		s->pending = sqlite3_step(s->list) == SQLITE_ROW;
		if (s->pending)
			return 1;
		sqlite3_finalize(s->list);
		s->list = NULL;
	}
	return 0;
}

/* The user of the cursor's row, "" for none. */
static const char *
row_user(struct src *s)
{
	const char *u = s->lrun != NULL ? s->lrow.s[0] :
			(const char *)sqlite3_column_text(s->list, 0);

	return u != NULL ? u : "";
}

static int
next_list(struct audit_source *base, struct audit_list *l,
	  struct pf_error *err)
{
	struct src *s = (struct src *)base;
	size_t n = 0;
	int rc;

	s->err = err;
	if (!s->pending && (rc = open_list(s)) <= 0)
		return rc;
	snprintf(s->user, sizeof(s->user), "%s", row_user(s));
	do {
		if (n < LIST_MAX)
			s->items[n++] = s->lrun != NULL ? s->lrow.i[1] :
					sqlite3_column_int64(s->list, 1);
		rc = list_step(s);
	} while (rc == 1 && strcmp(row_user(s), s->user) == 0);
	if (rc < 0)
		return -1;
	l->source = s->ls->name;
	l->ordered = s->ls->rank != NULL;
	l->k = s->list_k;
	l->n = s->list_n;
	l->len = n;
	l->items = s->items;
	s->pending = rc == 1;
	if (!s->pending)
		s->ls++;
	return 1;
}

/* ---- targets and config ---- */

/* The run's config, and the tables of its locale (NULL when they do not
 * load: the measures then say there is no target). */
static int
load_run(struct src *s)
{
	sqlite3_stmt *st = dataset_prepare(s->ds, "SELECT config, personas "
					   "FROM run", s->err);
	const char *text, *locale;
	char *dirs[3] = { NULL, NULL, NULL };
	struct json_error je;

	if (st == NULL)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW &&
	    (text = (const char *)sqlite3_column_text(st, 0)) != NULL &&
	    json_parse(text, strlen(text), &s->config, &je) != 0)
		s->config = NULL;
	sqlite3_finalize(st);
	s->base.quotas = json_get(s->config, "quotas") != NULL;
	locale = json_get_str(s->config, "locale", "us");
	if (asprintf(&dirs[1], "%s/personas/data", pf_datadir()) < 0)
		return pf_error_set(s->err, "out of memory");
	if (asprintf(&dirs[0], "%s/locales/%s", dirs[1], locale) < 0) {
		free(dirs[1]);
		return pf_error_set(s->err, "out of memory");
	}
	if (persona_tables_load_layers(strcmp(locale, "us") == 0 ?
				       (const char *const *)dirs + 1 :
				       (const char *const *)dirs, &s->tables,
				       NULL) != 0)
		s->tables = NULL;
	free(dirs[0]);
	free(dirs[1]);
	s->base.tables = s->tables;
	return 0;
}

static int64_t
count_personas(struct src *s)
{
	char sql[128];
	sqlite3_stmt *st;
	int64_t n = 0;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM \"%s\"",
		 dataset_table_role(DATASET_PERSONAS)->name);
	if ((st = dataset_prepare(s->ds, sql, s->err)) == NULL)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void
src_close(struct src *s)
{
	size_t k;

	ahead_free(s->rest);
	for (k = 0; k < SOURCES_MAX; k++)
		ahead_free(s->lahead[k]);
	sqlite3_finalize(s->people);
	sqlite3_finalize(s->list);
	sqlite3_finalize(s->pairs);
	sqlite3_finalize(s->cmps);
	cJSON_Delete(s->config);
	persona_tables_free(s->tables);
	free(s->names);
	free(s->values);
}

/* Back to the start of every stream of s: its personas, its lists,
 * its judged pairs and comparisons; for the next auditor that measures.
 * What was read ahead and taken is spent: read here from now on.
 * Returns 0, or -1 with s->err. */
static int
src_rewind(struct src *s)
{
	size_t k;

	for (k = 0; k < SOURCES_MAX; k++)
		if (ahead_started(s->lahead[k])) {
			ahead_free(s->lahead[k]);
			s->lahead[k] = NULL;
		}
	s->lrun = NULL;
	sqlite3_finalize(s->list);
	sqlite3_finalize(s->pairs);
	sqlite3_finalize(s->cmps);
	s->list = s->pairs = s->cmps = NULL;
	s->pending = s->pairs_done = s->cmps_done = 0;
	s->ls = s->lists0;
	return rewind_people(&s->base, s->err);
}

/* Open the source over ds, reading ahead when `ahead` is set (see
 * dataset_measure_committed). Returns 0, or -1 with err. */
static int
src_open(struct src *s, struct dataset *ds,
	 const struct metrics_list_source *lists, int ahead,
	 struct pf_error *err)
{
	memset(s, 0, sizeof(*s));
	s->ds = ds;
	s->err = err;
	s->ls = s->lists0 = lists;
	s->ahead_ok = ahead;
	s->base.next_person = next_person;
	s->base.rewind_people = rewind_people;
	s->base.next_list = next_list;
	s->base.next_pair = next_pair;
	s->base.next_comparison = next_comparison;
	/* the reading ahead starts first: it has the most to read */
	if (open_people(s) != 0) {
		src_close(s);
		return -1;
	}
	if (ahead)
		start_lists(s);
	if (load_run(s) != 0 || (s->base.nitems = count_personas(s)) < 0) {
		src_close(s);
		return -1;
	}
	return 0;
}

/* ---- judged pairs ---- */

static int
next_pair(struct audit_source *base, struct audit_pair *p,
	  struct pf_error *err)
{
	struct src *s = (struct src *)base;
	sqlite3_stmt *st;
	int rc, b;

	s->err = err;
	if (s->pairs_done)
		return 0;
	if (s->pairs == NULL && !has_table(s, "preference_pair")) {
		s->pairs_done = 1;
		return 0;
	}
	if (s->pairs == NULL && (s->pairs = dataset_prepare(s->ds, "SELECT "
	    "pair_id, persona_id, view_chosen, view_rejected, judge_verdict,"
	    " view_stated, label, bpde, judge_certainty, judgements FROM "
	    "preference_pair", err)) == NULL)
		return -1;
	st = s->pairs;
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		s->pairs_done = 1;
		return rc == SQLITE_DONE ? 0 : db_fail(s, "the judged pairs");
	}
#define COL(i) ((const char *)sqlite3_column_text(st, (i)) ? \
	(const char *)sqlite3_column_text(st, (i)) : "")
	memset(p, 0, sizeof(*p));
	p->pair_id = COL(0);
	p->persona_id = sqlite3_column_int64(st, 1);
	/* the judgements' "x" is response_a: the chosen answer unless the
	 * verdict is "B" */
	b = strcmp(COL(4), "B") == 0;
	p->view_chosen = COL(2);
	p->view_a = b ? COL(3) : COL(2);
	p->view_b = b ? COL(2) : COL(3);
	p->view_stated = COL(5);
	p->label = COL(6);
	p->bpde = sqlite3_column_double(st, 7);
	p->certainty = sqlite3_column_int(st, 8);
	p->judgements = COL(9);
#undef COL
	return 1;
}

/* The safety auditor's pairwise comparisons (table safety_judgement,
 * when the dataset has it), a pair's samples together. */
static int
next_comparison(struct audit_source *base, struct audit_comparison *c,
		struct pf_error *err)
{
	struct src *s = (struct src *)base;
	sqlite3_stmt *st;
	int rc;

	s->err = err;
	if (s->cmps_done)
		return 0;
	if (s->cmps == NULL && !has_table(s, "safety_judgement")) {
		s->cmps_done = 1;
		return 0;
	}
	if (s->cmps == NULL && (s->cmps = dataset_prepare(s->ds, "SELECT "
	    "pair_id, ord, verdict, certainty FROM safety_judgement ORDER BY "
	    "pair_id, ord, sample", err)) == NULL)
		return -1;
	st = s->cmps;
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		s->cmps_done = 1;
		return rc == SQLITE_DONE ? 0 : db_fail(s, "the safety "
						       "comparisons");
	}
	memset(c, 0, sizeof(*c));
	c->pair_id = (const char *)sqlite3_column_text(st, 0);
	c->pair_id = c->pair_id != NULL ? c->pair_id : "";
	c->ord = (const char *)sqlite3_column_text(st, 1);
	c->verdict = (const char *)sqlite3_column_text(st, 2);
	c->certainty = sqlite3_column_int(st, 3);
	return 1;
}

/* ---- storing ---- */

struct store {
	struct dataset *ds;
	sqlite3_stmt *ins;
	const struct auditor *a;
	int failed;
	struct pf_error *err;
};

/* A value as JSON: a number that reads back the same, or null. */
static void
json_num(char *out, size_t n, double v, int defined)
{
	if (defined)
		snprintf(out, n, "%.15g", v);
	else
		snprintf(out, n, "null");
}

static void
on_metric(void *ud, const struct audit_metric *m)
{
	struct store *st = ud;
	struct rowsum_bind b;
	char value[40], interval[96], lo[40], hi[40];
	int rc;

	if (st->failed)
		return;
	json_num(value, sizeof(value), m->value, m->defined);
	json_num(lo, sizeof(lo), m->lo, 1);
	json_num(hi, sizeof(hi), m->hi, 1);
	snprintf(interval, sizeof(interval), m->has_interval ? "[%s,%s]" :
		 "null", lo, hi);
	if (rowsum_bind_begin(&b, st->ins, dataset_table_find("audit_metric"))) {
		st->failed = pf_error_set(st->err, "audit_metric has no "
					  "row_sum");
		return;
	}
	rowsum_bind_text(&b, st->a->name);
	rowsum_bind_text(&b, st->a->version);
	rowsum_bind_text(&b, m->metric);
	rowsum_bind_text(&b, m->group);
	rowsum_bind_text(&b, value);
	rowsum_bind_text(&b, interval);
	rowsum_bind_int(&b, m->n);
	rowsum_bind_text(&b, m->threshold);
	rowsum_bind_text(&b, m->note);
	rowsum_bind_end(&b);
	rc = sqlite3_step(st->ins);
	sqlite3_reset(st->ins);
	sqlite3_clear_bindings(st->ins);
	if (rc != SQLITE_DONE)
		st->failed = pf_error_set(st->err, "cannot store a measure: %s",
					  sqlite3_errmsg(st->ds->db));
}

static int
prepare_store(struct store *st)
{
	sqlite3_stmt *del;
	struct buf sql;
	int rc;

	buf_init(&sql, 1 << 12);
	if (tablesql_insert(dataset_table_find("audit_metric"), &sql) != 0) {
		buf_free(&sql);
		return pf_error_set(st->err, "out of memory");
	}
	st->ins = dataset_prepare(st->ds, sql.data, st->err);
	buf_free(&sql);
	del = dataset_prepare(st->ds, "DELETE FROM audit_metric WHERE "
			      "auditor = ?1", st->err);
	if (st->ins == NULL || del == NULL) {
		sqlite3_finalize(del);
		return -1;
	}
	sqlite3_bind_text(del, 1, st->a->name, -1, SQLITE_STATIC);
	rc = sqlite3_step(del);
	sqlite3_finalize(del);
	return rc == SQLITE_DONE ? 0 : pf_error_set(st->err, "cannot delete "
		"measures: %s", sqlite3_errmsg(st->ds->db));
}

int
dataset_metrics_replace(struct dataset *ds, const struct auditor *a,
			void (*produce)(void *pud, audit_metric_fn emit,
					void *eud),
			void *pud, struct pf_error *err)
{
	struct store st = { .ds = ds, .a = a, .err = err };
	int rc = prepare_store(&st);

	if (rc == 0) {
		produce(pud, on_metric, &st);
		rc = st.failed ? -1 : 0;
	}
	sqlite3_finalize(st.ins);
	return rc;
}

static int measure(struct dataset *ds, const struct audit_instance *v,
		   size_t n, const struct metrics_list_source *lists,
		   int ahead, struct pf_error *err);
static int measure_with(struct src *s, struct dataset *ds,
			const struct audit_instance *v, size_t n,
			struct pf_error *err);

int
dataset_measure(struct dataset *ds, const struct audit_instance *v,
		size_t n, struct pf_error *err)
{
	return measure(ds, v, n, metrics_list_sources, 0, err);
}

int
dataset_measure_lists(struct dataset *ds, const struct audit_instance *v,
		      size_t n, const struct metrics_list_source *lists,
		      struct pf_error *err)
{
	return measure(ds, v, n, lists, 0, err);
}

/* 1 if ds is in WAL mode: a reader on another connection then reads
 * while this one holds a write transaction, neither waiting. */
static int
in_wal(struct dataset *ds)
{
	sqlite3_stmt *st = dataset_prepare(ds, "PRAGMA journal_mode", NULL);
	const char *mode;
	int wal = 0;

	if (st != NULL && sqlite3_step(st) == SQLITE_ROW &&
	    (mode = (const char *)sqlite3_column_text(st, 0)) != NULL)
		wal = strcmp(mode, "wal") == 0;
	sqlite3_finalize(st);
	return wal;
}

struct metrics_pass {
	struct dataset *ds;
	const struct audit_instance *v;
	size_t n;
	struct src s;
	int open;                    /* s is open */
};

int
metrics_pass_begin(struct dataset *ds, const struct audit_instance *v,
		   size_t n, struct metrics_pass **out, struct pf_error *err)
{
	struct metrics_pass *m = calloc(1, sizeof(*m));
	size_t i;

	*out = NULL;
	if (m == NULL)
		return pf_error_set(err, "out of memory");
	m->ds = ds;
	m->v = v;
	m->n = n;
	for (i = 0; i < n && v[i].auditor->measure == NULL; i++)
		;
	if (i < n && src_open(&m->s, ds, metrics_list_sources, in_wal(ds),
			      err) != 0) {
		free(m);
		return -1;
	}
	m->open = i < n;
	*out = m;
	return 0;
}

int
metrics_pass_run(struct metrics_pass *m, struct pf_error *err)
{
	int rc = m->open ? measure_with(&m->s, m->ds, m->v, m->n, err) : 0;

	src_close(&m->s);
	m->open = 0;
	return rc;
}

void
metrics_pass_free(struct metrics_pass *m)
{
	if (m == NULL)
		return;
	if (m->open)
		src_close(&m->s);
	free(m);
}

/* Each measure of the n auditors of v over source s, open, rewound
 * between them. Returns 0, or -1 with err filled. */
static int
measure_with(struct src *s, struct dataset *ds,
	     const struct audit_instance *v, size_t n, struct pf_error *err)
{
	struct store st;
	size_t i;
	int rc = 0, first = 1;

	for (i = 0; i < n && rc == 0; i++) {
		if (v[i].auditor->measure == NULL)
			continue;
		memset(&st, 0, sizeof(st));
		st.ds = ds;
		st.a = v[i].auditor;
		st.err = err;
		s->err = err;
		if (prepare_store(&st) != 0 || (!first && src_rewind(s) != 0)) {
			sqlite3_finalize(st.ins);
			return -1;
		}
		first = 0;
		rc = dataset_cursor_open(ds, &s->base.rows, err);
		if (rc == 0)
			rc = v[i].auditor->measure(v[i].cfg, &s->base,
						   on_metric, &st, err);
		dataset_cursor_close(s->base.rows);
		s->base.rows = NULL;
		if (rc == 0 && st.failed)
			rc = -1;
		sqlite3_finalize(st.ins);
	}
	return rc;
}

/* One source for every auditor that measures: the run's config and
 * tables are loaded once. */
static int
measure(struct dataset *ds, const struct audit_instance *v, size_t n,
	const struct metrics_list_source *lists, int ahead,
	struct pf_error *err)
{
	struct src s;
	size_t i;
	int rc;

	for (i = 0; i < n && v[i].auditor->measure == NULL; i++)
		;
	if (i == n)
		return 0;
	if (src_open(&s, ds, lists, ahead, err) != 0)
		return -1;
	rc = measure_with(&s, ds, v, n, err);
	src_close(&s);
	return rc;
}

int
dataset_metric_gate_count(struct dataset *ds, const char *name,
			  int64_t *gated, int64_t *failing,
			  struct pf_error *err)
{
	sqlite3_stmt *st = dataset_prepare(ds, "SELECT count(*), coalesce("
		"sum(" METRICS_FAILS("m") "), 0) FROM audit_metric m WHERE "
		"m.auditor = ?1 AND m.threshold != ''", err);
	int rc;

	*gated = *failing = 0;
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*gated = sqlite3_column_int64(st, 0);
		*failing = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : pf_error_set(err, "cannot count "
		"measures: %s", sqlite3_errmsg(ds->db));
}
