/* export.c - the export walk and crash-safe output files (see export.h). */
#include "output/export.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"

#define SQL_MAX ((size_t)1 << 16)   /* generated SELECT text */
#define KEY_MAX ((size_t)1 << 16)   /* id of the record being grouped */
#define UID_MAX 256                 /* persona text id, with its NUL */

static const struct export_col run_cols[] = {
	{ "name", "name", 0 },
	{ "config_hash", "config_hash", 0 },
	{ "seed", "seed", EXPORT_INT },
	{ "personas", "personas", EXPORT_INT },
	{ "version", "version", 0 },
	{ "backend", "backend", 0 },
	{ "model", "model", 0 },
	{ NULL, NULL, 0 }
};

static const struct export_col narrative_cols[] = {
	{ "cultural_background", "cultural_background", 0 },
	{ "skills_and_expertise", "skills_and_expertise", 0 },
	{ "hobbies_and_interests", "hobbies_and_interests", 0 },
	{ "career_goals_and_ambitions", "career_goals_and_ambitions", 0 },
	{ "concise_persona", "concise_persona", 0 },
	{ NULL, NULL, 0 }
};

static const struct export_col turn_cols[] = {
	{ "turn_id", "id", EXPORT_ATTR },
	{ "turn", "n", EXPORT_ATTR | EXPORT_INT },
	{ "question_key", "key", EXPORT_ATTR },
	{ "question", "question", 0 },
	{ "answer", "answer", 0 },
	{ NULL, NULL, 0 }
};

static const struct export_col doc_cols[] = {
	{ "doc_id", "id", EXPORT_ATTR },
	{ "doc_type", "type", EXPORT_ATTR },
	{ "title", "title", 0 },
	{ "content", "content", 0 },
	{ NULL, NULL, 0 }
};

static const struct export_col fact_cols[] = {
	{ "fact_id", "id", EXPORT_ATTR },
	{ "fact_key", "key", EXPORT_ATTR },
	{ "category", "category", EXPORT_ATTR },
	{ "doc_id", "doc", EXPORT_ATTR },
	{ "fact_value", "value", EXPORT_BODY },
	{ NULL, NULL, 0 }
};

static const struct export_col qa_cols[] = {
	{ "qa_id", "id", EXPORT_ATTR },
	{ "qtype", "type", EXPORT_ATTR },
	{ "difficulty", "difficulty", EXPORT_ATTR },
	{ "fact_id", "fact", EXPORT_ATTR },
	{ "question", "question", 0 },
	{ "answer", "answer", 0 },
	{ NULL, NULL, 0 }
};

static const struct export_col pair_cols[] = {
	{ "pair_id", "id", EXPORT_ATTR },
	{ "question", "question", 0 },
	{ "chosen", "chosen", 0 },
	{ "rejected", "rejected", 0 },
	{ "view_chosen", "view_chosen", 0 },
	{ "view_rejected", "view_rejected", 0 },
	{ "judge_verdict", "judge_verdict", 0 },
	{ "judge_certainty", "judge_certainty", EXPORT_INT },
	{ "judge_rationale", "judge_rationale", 0 },
	{ "judge_model", "judge_model", 0 },
	{ NULL, NULL, 0 }
};

static const struct export_col finding_cols[] = {
	{ "auditor", "auditor", EXPORT_ATTR },
	{ "auditor_version", "version", EXPORT_ATTR },
	{ "row_table", "row_table", EXPORT_ATTR },
	{ "row_id", "row_id", EXPORT_ATTR },
	{ "field", "field", EXPORT_ATTR },
	{ "kind", "kind", EXPORT_ATTR },
	{ "severity", "severity", EXPORT_ATTR },
	{ "synthetic", "synthetic", EXPORT_ATTR | EXPORT_BOOL },
	{ "offset", "offset", EXPORT_ATTR | EXPORT_INT },
	{ "count", "count", EXPORT_ATTR | EXPORT_INT },
	{ "masked", "masked", 0 },
	{ "reason", "reason", 0 },
	{ "threshold", "threshold", 0 },
	{ NULL, NULL, 0 }
};

const struct export_kind export_kinds[EXPORT_NKINDS] = {
	[EXPORT_RUN] = { EXPORT_RUN, "run", NULL, "provenance",
		"provenance.json", NULL, NULL, NULL, NULL, NULL, run_cols },
	[EXPORT_PERSONA] = { EXPORT_PERSONA, "persona", "personas", "persona",
		"personas.jsonl", NULL, NULL, NULL, NULL, NULL, NULL },
	[EXPORT_NARRATIVE] = { EXPORT_NARRATIVE, "narrative", NULL,
		"narrative", NULL, NULL, NULL, NULL, NULL, NULL,
		narrative_cols },
	[EXPORT_TURN] = { EXPORT_TURN, "backstory_turn", "backstory", "turn",
		"backstory_turns.jsonl", "t.turn, t.turn_id", NULL, NULL, NULL,
		NULL, turn_cols },
	[EXPORT_DOCUMENT] = { EXPORT_DOCUMENT, "document", "documents",
		"document", "documents.jsonl", "t.idx, t.doc_id", NULL, NULL,
		NULL, NULL, doc_cols },
	[EXPORT_FACT] = { EXPORT_FACT, "fact", "facts", "fact", "facts.jsonl",
		"t.idx, t.fact_id", NULL, NULL, NULL, NULL, fact_cols },
	[EXPORT_QA] = { EXPORT_QA, "qa", "qa", "item", "qa.jsonl",
		"t.idx, t.qa_id, s.doc_id",
		"LEFT JOIN qa_evidence s ON s.qa_id = t.qa_id", "s.doc_id",
		"evidence", "doc", qa_cols },
	[EXPORT_PAIR] = { EXPORT_PAIR, "preference_pair", "preference_pairs",
		"pair", "preference_pairs.jsonl", "t.idx, t.pair_id", NULL,
		NULL, NULL, NULL, pair_cols },
	[EXPORT_FINDING] = { EXPORT_FINDING, "audit_finding", "findings",
		"finding", "findings.jsonl", NULL, NULL, NULL, NULL, NULL,
		finding_cols },
};

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
};

struct walk {
	struct dataset *ds;
	const struct export_sink *sink;
	struct pf_error *err;
	int incl;                          /* include quarantined rows */
	struct cursor cur[EXPORT_NKINDS];
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
	if (w->err != NULL)
		snprintf(w->err->file, sizeof(w->err->file), "%s",
			 w->ds->path);
	return pf_error_set(w->err, "database error %s: %s", what,
			    sqlite3_errmsg(w->ds->db));
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

/* Append the SELECT for kind k (not persona or findings) to b. */
static int
build_select(const struct export_kind *k, struct buf *b)
{
	const struct export_col *c;
	int run = k->id == EXPORT_RUN;

	buf_puts(b, run ? "SELECT 0, 0" : "SELECT t.persona_id, t.quarantined");
	for (c = k->cols; c->column != NULL; c++)
		buf_printf(b, ", t.\"%s\"", c->column);
	if (k->sub != NULL)
		buf_printf(b, ", %s", k->sub);
	buf_printf(b, " FROM %s t %s", k->table, k->join ? k->join : "");
	if (run)
		return buf_puts(b, " WHERE t.id = 1");
	buf_puts(b, " WHERE t.quarantined = 0 OR ?1 ORDER BY t.persona_id");
	if (k->order != NULL)
		buf_printf(b, ", %s", k->order);
	return buf_putc(b, ' ');
}

/* Append the findings SELECT to b. Each finding gets rq, the export state
 * of the row it names: 0 exported, 1 quarantined (itself or its persona),
 * NULL missing; tables that are not dataset tables count as exported.
 * Persona and narrative rows are named by persona_id or by the persona's
 * text id ("p000042"); both reach the primary key. */
static int
build_findings(struct buf *b)
{
	static const char by_pid[] = "CAST(ltrim(a.row_id, 'p') AS INTEGER)";
	const struct dataset_table *t;
	const struct export_col *c;

	buf_puts(b, "SELECT 0, f.quarantined OR f.rq");
	for (c = finding_cols; c->column != NULL; c++)
		buf_printf(b, ", f.\"%s\"", c->column);
	buf_printf(b, " FROM (SELECT a.*, CASE a.row_table WHEN 'persona' "
		   "THEN (SELECT quarantined FROM persona WHERE persona_id = "
		   "%s)", by_pid);
	for (t = dataset_tables; t->name != NULL; t++)
		buf_printf(b, " WHEN '%s' THEN (SELECT t.quarantined OR "
			   "p.quarantined FROM %s t JOIN persona p ON "
			   "p.persona_id = t.persona_id WHERE t.%s = %s)",
			   t->name, t->name, t->id_column,
			   strcmp(t->id_column, "persona_id") == 0 ? by_pid
			   : "a.row_id");
	buf_puts(b, " ELSE 0 END AS rq FROM audit_finding a) f"
		 " WHERE f.rq IS NOT NULL AND"
		 " (?1 OR (f.quarantined = 0 AND f.rq = 0)) ORDER BY");
	for (c = finding_cols; c->column != NULL; c++)
		buf_printf(b, " f.\"%s\",", c->column);
	return buf_puts(b, " f.quarantined");
}

/* Prepare cursor `id` from the SQL in b and bind the quarantine switch. */
static int
prepare(struct walk *w, enum export_kind_id id, struct buf *b)
{
	struct cursor *c = &w->cur[id];

	c->kind = &export_kinds[id];
	if (b->data == NULL || b->len + 1 >= b->max)
		return pf_error_set(w->err, "query for %s too long",
				    c->kind->table);
	c->st = dataset_prepare(w->ds, b->data, w->err);
	if (c->st == NULL)
		return -1;
	if (sqlite3_bind_parameter_count(c->st) > 0 &&
	    sqlite3_bind_int(c->st, 1, w->incl) != SQLITE_OK)
		return db_error(w, "binding a parameter");
	return 0;
}

/* Prepare every cursor and put the child cursors on their first row. */
static int
open_cursors(struct walk *w)
{
	struct buf sql;
	int id, rc = 0;

	buf_init(&sql, SQL_MAX);
	for (id = 0; id < EXPORT_NKINDS && rc == 0; id++) {
		buf_reset(&sql);
		if (id == EXPORT_PERSONA)
			buf_puts(&sql, "SELECT * FROM persona WHERE "
				 "quarantined = 0 OR ?1 ORDER BY persona_id");
		else if (id == EXPORT_FINDING)
			build_findings(&sql);
		else
			build_select(&export_kinds[id], &sql);
		rc = prepare(w, id, &sql);
		if (rc == 0 && id >= EXPORT_NARRATIVE && id < EXPORT_FINDING &&
		    step(w, &w->cur[id]) < 0)
			rc = -1;
	}
	buf_free(&sql);
	return rc;
}

static void
close_cursors(struct walk *w)
{
	int id;

	for (id = 0; id < EXPORT_NKINDS; id++)
		sqlite3_finalize(w->cur[id].st);
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

/* Read the persona table's columns: persona_id, quarantined, the text id
 * "id" if present, and every other column (the id included) as an
 * attribute in table order. */
static int
persona_columns(struct walk *w)
{
	sqlite3_stmt *st = w->cur[EXPORT_PERSONA].st;
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
	       (c->kind->id == EXPORT_FINDING || cur_pid(c) == pid);
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
	buf_reset(&w->key);
	if (k->sub != NULL && buf_append(&w->key, sqlite3_column_blob(c->st, 2),
			       (size_t)sqlite3_column_bytes(c->st, 2)) != 0)
		return pf_error_set(w->err, "%s id too long", k->table);
	if (s->record(s->ud, &r, EXPORT_OPEN) != 0)
		return -1;
	do {
		if (k->sub != NULL &&
		    sqlite3_column_type(c->st, nsub) != SQLITE_NULL &&
		    s->record(s->ud, &r, EXPORT_SUB) != 0)
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
	while (in_group(c, pid))
		if (emit_record(w, c, uid) != 0)
			return -1;
	return s->list(s->ud, c->kind, 0);
}

/* Load the persona at the persona cursor into p (uid copied to w->uid). */
static int
load_persona(struct walk *w, struct export_persona *p)
{
	sqlite3_stmt *st = w->cur[EXPORT_PERSONA].st;
	const char *id;
	int n;

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
	struct cursor *narr = &w->cur[EXPORT_NARRATIVE];
	struct export_rec r = { narr->kind, narr->st, NULL, 0 };
	struct export_persona p;
	sqlite3_int64 pid;
	int id, has;

	if (load_persona(w, &p) != 0)
		return -1;
	pid = sqlite3_column_int64(p.st, w->pid_col);
	if (skip_to(w, narr, pid) != 0)
		return -1;
	has = in_group(narr, pid);
	r.uid = p.uid;
	r.quarantined = has && sqlite3_column_int(narr->st, 1) != 0;
	if (s->persona(s->ud, &p, has ? &r : NULL) != 0)
		return -1;
	if (has && step(w, narr) < 0)
		return -1;
	for (id = EXPORT_TURN; id <= EXPORT_PAIR; id++)
		if (emit_list(w, &w->cur[id], pid, p.uid) != 0)
			return -1;
	return s->persona_end(s->ud, &p);
}

/* The provenance row, every persona, the findings. */
static int
emit_all(struct walk *w)
{
	const struct export_sink *s = w->sink;
	struct cursor *run = &w->cur[EXPORT_RUN];
	struct cursor *per = &w->cur[EXPORT_PERSONA];
	struct export_rec r = { run->kind, run->st, NULL, 0 };
	int rc;

	rc = step(w, run);
	if (rc < 0 || s->begin(s->ud, rc == 1 ? &r : NULL) != 0)
		return -1;
	while ((rc = step(w, per)) == 1)
		if (emit_persona(w) != 0)
			return -1;
	if (rc < 0 || s->personas_end(s->ud) != 0)
		return -1;
	if (step(w, &w->cur[EXPORT_FINDING]) < 0 ||
	    emit_list(w, &w->cur[EXPORT_FINDING], 0, NULL) != 0)
		return -1;
	return s->end(s->ud);
}

int
export_walk(struct dataset *ds, int include_quarantined,
	    const struct export_sink *sink, struct pf_error *err)
{
	struct walk w;
	int rc = -1;

	memset(&w, 0, sizeof(w));
	w.ds = ds;
	w.sink = sink;
	w.err = err;
	w.incl = include_quarantined != 0;
	buf_init(&w.key, KEY_MAX);
	/* One read transaction: every cursor sees the same snapshot even
	 * while a build is writing the file. */
	if (dataset_exec(ds, "BEGIN", err) != 0)
		return -1;
	if (open_cursors(&w) == 0 && persona_columns(&w) == 0 &&
	    emit_all(&w) == 0)
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

int
export_file_open(struct export_file *f, const char *path,
		 struct pf_error *err)
{
	const char *slash = strrchr(path, '/');
	struct buf t;
	mode_t mask;
	int fd;

	memset(f, 0, sizeof(*f));
	buf_init(&t, 8192);
	if (slash != NULL)
		buf_append(&t, path, (size_t)(slash - path) + 1);
	if (buf_printf(&t, ".%s.tmpXXXXXX", slash ? slash + 1 : path) != 0 ||
	    (f->path = strdup(path)) == NULL) {
		buf_free(&t);
		return pf_error_set(at(err, path), "path too long");
	}
	f->tmp = buf_detach(&t);
	fd = f->tmp ? mkstemp(f->tmp) : -1;
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
	free(f->path);
	memset(f, 0, sizeof(*f));
}
