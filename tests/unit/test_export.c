/* test_export.c - unit tests for output/: the XML sanitizer, the XML and
 * JSONL exports (structure, quarantine rule, determinism, failure
 * cleanup) and XSD validation with xmllint.
 *
 * Each test builds a small dataset in its own temporary directory with
 * dataset_open(DATASET_WRITE) and plain INSERTs, with nasty text (control
 * bytes, invalid and cut UTF-8, quotes, <, &, "]]>", emoji). Persona
 * columns are read from the table, so the test needs no persona header.
 * Without xmllint (libxml2-utils) the whole program reports TAP SKIP.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/json.h"
#include "output/dataset.h"
#include "output/jsonl.h"
#include "output/rowsum.h"
#include "output/sanitize.h"
#include "output/xml.h"
#include "tests/unit/check_tap.h"

/* The narrative columns of schema version 5; the later ones default. */
#define NARRATIVE_COLS "persona_id, item_id, cultural_background, " \
	"skills_and_expertise, hobbies_and_interests, " \
	"career_goals_and_ambitions, concise_persona, quarantined, row_sum"

#define FFFD "\xef\xbf\xbd"

static const char nasty[] =
	"ctl\x01 vt\x0b esc\x1b[31m bad\xff cut\xe2\x82 ]]> <b>&amp; "
	"\"q\" 'a' \xf0\x9f\x98\x80 caf\xc3\xa9 tab\t nl\n cr\r end";

/* ---- sanitizer ---------------------------------------------------- */

static const struct {
	const char *in, *out;
} san_cases[] = {
	{ "plain ascii", "plain ascii" },
	{ "a\x01" "b", "a" FFFD "b" },
	{ "\x0b", FFFD },
	{ "\x1b[31m", FFFD "[31m" },
	{ "x\xff" "y", "x" FFFD "y" },
	{ "x\xe2\x82", "x" FFFD },                  /* cut at the end */
	{ "\xe2\x82y", FFFD "y" },                  /* cut in the middle */
	{ "]]>", "]]>" },                           /* the writer escapes > */
	{ "t\tn\nr\r", "t\tn\nr\r" },
	{ "caf\xc3\xa9 \xf0\x9f\x98\x80", "caf\xc3\xa9 \xf0\x9f\x98\x80" },
	{ "\xed\xa0\x80", FFFD FFFD FFFD },         /* encoded surrogate */
	{ "\xef\xbf\xbe|\xef\xbf\xbf", FFFD "|" FFFD },  /* U+FFFE, U+FFFF */
	{ "\xc0\xaf", FFFD FFFD },                  /* overlong '/' */
	{ "\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD },  /* past U+10FFFF */
	{ "\x7f\xc2\x85", "\x7f\xc2\x85" },         /* DEL, NEL are Chars */
	{ "\xef\xbf\xbd", "\xef\xbf\xbd" },
	{ "", "" },
};

START_TEST(sanitize_cases)
{
	const char *in = san_cases[_i].in, *want = san_cases[_i].out;
	struct buf b;

	buf_init(&b, 1024);
	ck_assert_int_eq(sanitize_xml_append(&b, in, strlen(in)), 0);
	ck_assert_uint_eq(b.len, strlen(want));
	ck_assert_mem_eq(b.len ? b.data : "", want, strlen(want));
	ck_assert_str_eq(sanitize_xml_cstr(&b, in, strlen(in)), want);
	ck_assert_uint_eq(sanitize_xml_clean_len(in, strlen(in)) ==
			  strlen(in), strcmp(in, want) == 0);
	buf_free(&b);
}
END_TEST

START_TEST(sanitize_bounded_and_embedded_nul)
{
	static const char with_nul[] = "a\0b";
	struct buf b;
	const char *s;

	buf_init(&b, 4);
	ck_assert_int_eq(sanitize_xml_append(&b, "\x01\x01", 2), -1);
	ck_assert_ptr_null(sanitize_xml_cstr(&b, "abcdef\x01", 7));
	buf_free(&b);
	buf_init(&b, 64);
	s = sanitize_xml_cstr(&b, with_nul, 3);
	ck_assert_str_eq(s, "a" FFFD "b");
	s = sanitize_xml_cstr(&b, "clean", 5);
	ck_assert_str_eq(s, "clean");
	buf_free(&b);
}
END_TEST

/* ---- fixture: a small dataset ------------------------------------- */

struct fx {
	char dir[256];
	char db[320];
};

/* Run one INSERT; fmt has one letter per parameter: s text, i int. */
static void
ins(struct dataset *ds, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	const char *s;
	int i;

	ck_assert_int_eq(sqlite3_prepare_v2(ds->db, sql, -1, &st, NULL),
			 SQLITE_OK);
	va_start(ap, fmt);
	for (i = 0; fmt[i] != '\0'; i++) {
		if (fmt[i] == 'i') {
			sqlite3_bind_int(st, i + 1, va_arg(ap, int));
		} else {
			s = va_arg(ap, const char *);
			sqlite3_bind_text(st, i + 1, s, (int)strlen(s),
					  SQLITE_TRANSIENT);
		}
	}
	va_end(ap);
	ck_assert_msg(sqlite3_step(st) == SQLITE_DONE, "%s: %s", sql,
		      sqlite3_errmsg(ds->db));
	sqlite3_finalize(st);
}

/* Insert persona pid, filling every column from the table's own list. */
static void
add_persona(struct dataset *ds, int pid, int quarantined)
{
	sqlite3_stmt *info, *st;
	struct buf sql;
	char id[32];
	const char *name, *type;
	int n = 0;

	buf_init(&sql, 1 << 16);
	buf_puts(&sql, "INSERT INTO persona VALUES (");
	ck_assert_int_eq(sqlite3_prepare_v2(ds->db, "SELECT name, type FROM "
			 "pragma_table_info('persona') ORDER BY cid", -1,
			 &info, NULL), SQLITE_OK);
	while (sqlite3_step(info) == SQLITE_ROW)
		buf_puts(&sql, n++ ? ", ?" : "?");
	buf_putc(&sql, ')');
	ck_assert_int_eq(sqlite3_prepare_v2(ds->db, sql.data, -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_reset(info);
	snprintf(id, sizeof(id), "p%06d", pid);
	for (n = 1; sqlite3_step(info) == SQLITE_ROW; n++) {
		name = (const char *)sqlite3_column_text(info, 0);
		type = (const char *)sqlite3_column_text(info, 1);
		if (strcmp(name, "persona_id") == 0)
			sqlite3_bind_int(st, n, pid);
		else if (strcmp(name, "quarantined") == 0)
			sqlite3_bind_int(st, n, quarantined);
		else if (strcmp(name, "id") == 0)
			sqlite3_bind_text(st, n, id, -1, SQLITE_TRANSIENT);
		else if (strcmp(type, "INTEGER") == 0)
			sqlite3_bind_int(st, n, 20 + pid);
		else if (strcmp(name, "profile") == 0)   /* JSON */
			sqlite3_bind_text(st, n, "{\"diet\":\"vegan\"}", -1,
					  SQLITE_TRANSIENT);
		else
			sqlite3_bind_text(st, n, pid == 1 ? nasty : name, -1,
					  SQLITE_TRANSIENT);
	}
	ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_finalize(info);
	buf_free(&sql);
}

static const char ins_turn[] = "INSERT INTO backstory_turn VALUES "
	"(?, ?, ?, 'item', ?, ?, ?, '{\"verdict\":\"consistent\","
	"\"reason\":\"\",\"attempts\":1}', ?, 0)";
static const char ins_doc[] = "INSERT INTO document VALUES "
	"(?, ?, ?, 'item', ?, ?, ?, ?, 'note---session---1', '123456789012', "
	"'2023-06-02T09:00:00', '[]', 0, '', '[]', 0)";
static const char ins_fact[] = "INSERT INTO fact VALUES "
	"(?, ?, ?, ?, ?, ?, ?, '', '', 0, 'explicit', '', '2023-06-02', '', "
	"'', '', 'initial', '[]', 0)";
static const char ins_qa[] = "INSERT INTO qa VALUES "
	"(?, ?, ?, 'item', ?, ?, ?, ?, ?, 0, 0)";
static const char ins_ev[] = "INSERT INTO qa_evidence VALUES (?, ?, 0)";
static const char ins_pair[] = "INSERT INTO preference_pair VALUES "
	"(?, ?, 1, 'item', 'judge', ?, 'yes', 'no', 'v1', 'v2', 'chosen', "
	"87, ?, 'judge-model', '{\"type\": \"advice\"}', 'length', '[]', "
	"'chosen', '0.5', 0, 'desc', 'v1', 0, 0)";
static const char ins_find[] = "INSERT INTO audit_finding (auditor, "
	"auditor_version, row_table, row_id, field, kind, severity, "
	"synthetic, masked, reason, offset, threshold, quarantined, "
	"row_sum) VALUES "
	"(?, '1.0', ?, ?, ?, ?, ?, ?, '***', ?, ?, 'medium', ?, 0)";

/* Findings: the ones that name exported rows come out in sorted order
 * whatever order they went in (reverse = a resumed run's order). */
static void
add_findings(struct dataset *ds, int reverse)
{
	static const struct {
		const char *auditor, *table, *row, *field, *kind, *sev;
		int synth, offset, q;
	} f[] = {
		{ "pii", "document", "p000001-d1", "title", "email", "medium",
		  1, 0, 0 },
		{ "pii", "document", "p000001-d1", "content", "card", "high",
		  0, 12, 0 },
		{ "pii", "persona", "p000002", "email", "email", "info",
		  1, 0, 1 },
		{ "pii", "document", "p000003-d1", "content", "ssn", "high",
		  0, 3, 1 },
		{ "fairness", "dataset", "", "gender", "parity", "low",
		  1, 0, 0 },
		{ "pii", "document", "p000009-d1", "content", "ssn", "high",
		  0, 3, 0 },
		{ "pii", "narrative", "1", "concise_persona", "phone", "low",
		  1, 5, 0 },
		{ "pii", "backstory_turn", "p000002-t1", "answer", "phone",
		  "low", 1, 5, 0 },
	};
	int n = (int)(sizeof(f) / sizeof(f[0])), i, k;

	for (k = 0; k < n; k++) {
		i = reverse ? n - 1 - k : k;
		ins(ds, ins_find, "ssssssisii", f[i].auditor, f[i].table,
		    f[i].row, f[i].field, f[i].kind, f[i].sev, f[i].synth,
		    nasty, f[i].offset, f[i].q);
	}
}

/* Documents, facts, QA with evidence, pairs. */
static void
add_items(struct dataset *ds, int reverse)
{
	ins(ds, ins_doc, "siisssi", "p000001-d1", 1, 1, "chat", nasty, nasty,
	    0);
	ins(ds, ins_doc, "siisssi", "p000001-d2", 1, 2, "email", "T2", "C2",
	    0);
	ins(ds, ins_doc, "siisssi", "p000002-d1", 2, 1, "chat", "T", "C", 0);
	ins(ds, ins_doc, "siisssi", "p000003-d1", 3, 1, "note", "T", "C", 1);
	ins(ds, ins_doc, "siisssi", "p000003-d2", 3, 2, "note", "T", "C", 0);
	ins(ds, ins_fact, "siissss", "p000001-f1", 1, 1, "city", nasty,
	    "location", "p000001-d1");
	ins(ds, ins_fact, "siissss", "p000003-f1", 3, 1, "pet", "cat",
	    "life", "p000003-d2");
	ins(ds, ins_qa, "siisssss", "p000001-q1", 1, 1, "p000001-f1",
	    "single", "easy", nasty, nasty);
	ins(ds, ins_qa, "siisssss", "p000001-q2", 1, 2, "p000001-f1",
	    "multi", "hard", "Q?", "A.");
	ins(ds, ins_qa, "siisssss", "p000003-q1", 3, 1, "p000003-f1",
	    "single", "easy", "Q?", "A.");
	ins(ds, ins_ev, "ss", "p000001-q1", reverse ? "p000001-d1"
	    : "p000001-d2");
	ins(ds, ins_ev, "ss", "p000001-q1", reverse ? "p000001-d2"
	    : "p000001-d1");
	ins(ds, ins_ev, "ss", "p000003-q1", "p000003-d2");
	ins(ds, ins_pair, "siss", "p000001-pp1", 1, nasty, nasty);
	ins(ds, ins_pair, "siss", "p000002-pp1", 2, "Q", "R");
}

/* Give every row of table t the checksum the writer would have given it
 * (rows with equal summed columns get equal sums, so matching on them
 * is enough, with or without a rowid). */
static void
stamp_table(struct dataset *ds, const struct dataset_table *t)
{
	struct rowsum_plan plan;
	struct buf sql;
	sqlite3_stmt *st, *up;
	int64_t sum;
	int i;

	ck_assert_int_eq(rowsum_plan_star(&plan, t), 0);
	buf_init(&sql, 1 << 16);
	buf_printf(&sql, "UPDATE \"%s\" SET row_sum = ?1 WHERE 1", t->name);
	for (i = 0; i < plan.n; i++)
		buf_printf(&sql, " AND \"%s\" IS ?%d", plan.name[i], i + 2);
	buf_printf(&sql, ";SELECT * FROM \"%s\"", t->name);
	ck_assert_int_eq(sqlite3_prepare_v2(ds->db, sql.data, -1, &up, NULL),
			 SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(ds->db, strchr(sql.data, ';') + 1,
					    -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		ck_assert_int_eq(rowsum_compute(&plan, st, &sum), 0);
		sqlite3_bind_int64(up, 1, sum);
		for (i = 0; i < plan.n; i++)
			sqlite3_bind_value(up, i + 2,
					   sqlite3_column_value(st,
								plan.col[i]));
		ck_assert_int_eq(sqlite3_step(up), SQLITE_DONE);
		sqlite3_reset(up);
	}
	sqlite3_finalize(st);
	sqlite3_finalize(up);
	buf_free(&sql);
}

/* Checksums for every row inserted by hand. */
static void
stamp_sums(struct dataset *ds)
{
	size_t i;

	for (i = 0; i < dataset_ntables; i++)
		stamp_table(ds, &dataset_tables[i]);
}

/* Write the test dataset to db (reverse: another insertion order). */
static void
make_db(const char *db, int reverse)
{
	struct dataset *ds = NULL;
	struct pf_error err;

	pf_error_clear(&err);
	ck_assert_msg(dataset_open(db, DATASET_WRITE, &ds, &err) == 0, "%s",
		      err.msg);
	ck_assert_int_eq(dataset_exec(ds, "BEGIN", &err), 0);
	ins(ds, "INSERT INTO run VALUES (1, ?, '{\"secret\":1}', 'cafe01', "
	    "42, 3, '0.1.0', 'offline', 'none', '2024-01-01', '2024-01-02', "
	    "'{\"narrative\":{\"backend\":\"offline\"}}', 0, 1, 0)",
	    "s", "demo <run> & \"co\"");
	add_persona(ds, reverse ? 3 : 1, 0);
	add_persona(ds, 2, 1);
	add_persona(ds, reverse ? 1 : 3, 0);
	ins(ds, "INSERT INTO narrative (" NARRATIVE_COLS ") VALUES (?, "
	    "'item', ?, ?, ?, ?, ?, 0, 0)",
	    "isssss", 1, nasty, "skills", "hobbies", "goals", nasty);
	ins(ds, "INSERT INTO narrative (" NARRATIVE_COLS ") VALUES (2, "
	    "'item', 'a', 'b', 'c', 'd', 'e', 0, 0)", "");
	ins(ds, ins_turn, "siisssi", "p000001-t2", 1, 2, "k2", "Q2", "A2", 0);
	ins(ds, ins_turn, "siisssi", "p000001-t1", 1, 1, "k1", nasty, nasty,
	    0);
	ins(ds, ins_turn, "siisssi", "p000002-t1", 2, 1, "k1", "Q", "A", 0);
	ins(ds, ins_turn, "siisssi", "p000003-t1", 3, 1, "k1", "Q", "A", 0);
	add_items(ds, reverse);
	add_findings(ds, reverse);
	stamp_sums(ds);
	ck_assert_int_eq(dataset_exec(ds, "COMMIT", &err), 0);
	dataset_close(ds);
}

/* A fresh dataset in a new temporary directory. */
static void
fx_make(struct fx *fx, int reverse)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(fx->dir, sizeof(fx->dir), "%s/pf-export-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(fx->dir));
	snprintf(fx->db, sizeof(fx->db), "%s/ds.db", fx->dir);
	make_db(fx->db, reverse);
}

static void
fx_free(struct fx *fx)
{
	char cmd[400];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Open the fixture's dataset read-only and export it. */
static int
export_to(const struct fx *fx, int xml, const char *rel, int incl,
	  char *path, size_t n)
{
	struct dataset *ds = NULL;
	struct pf_error err;
	int rc;

	pf_error_clear(&err);
	snprintf(path, n, "%s/%s", fx->dir, rel);
	ck_assert_int_eq(dataset_open(fx->db, DATASET_READ, &ds, &err), 0);
	rc = xml ? xml_export_write(ds, path, incl, NULL, &err)
		 : jsonl_export_write(ds, path, incl, NULL, &err);
	if (rc != 0)
		fprintf(stderr, "# export: %s: %s\n", err.file, err.msg);
	dataset_close(ds);
	return rc;
}

/* ---- JSONL ---------------------------------------------------------- */

/* 1 if a and b have the same JSON type (true and false are one). */
static int
same_type(const cJSON *a, const cJSON *b)
{
	if (cJSON_IsBool(a) || cJSON_IsBool(b))
		return cJSON_IsBool(a) && cJSON_IsBool(b);
	if (cJSON_IsNull(a) || cJSON_IsNull(b))
		return 1;  /* the narrative object may be null */
	return (a->type & 0xff) == (b->type & 0xff);
}

/* Check every line of a JSONL file parses to an object with the same
 * keys and JSON types as the first line; returns the line count and the
 * first line (caller deletes) in *first. */
static int
check_jsonl(const char *path, cJSON **first)
{
	char *text, *line, *nl;
	size_t len;
	int n = 0;
	cJSON *o, *a, *b;

	ck_assert_msg(file_read_all(path, 1 << 24, &text, &len) == 0, "%s",
		      path);
	*first = NULL;
	for (line = text; *line != '\0'; line = nl + 1) {
		nl = strchr(line, '\n');
		ck_assert_msg(nl != NULL, "%s: last line unterminated", path);
		ck_assert_int_eq(json_parse(line, (size_t)(nl - line), &o,
					    NULL), 0);
		ck_assert(cJSON_IsObject(o));
		if (*first == NULL) {
			*first = o;
		} else {
			ck_assert_int_eq(cJSON_GetArraySize(o),
					 cJSON_GetArraySize(*first));
			for (a = (*first)->child, b = o->child; a != NULL;
			     a = a->next, b = b->next) {
				ck_assert_str_eq(a->string, b->string);
				ck_assert_msg(same_type(a, b),
					      "%s: key %s changes type", path,
					      a->string);
			}
			cJSON_Delete(o);
		}
		n++;
	}
	free(text);
	return n;
}

static const char *const jsonl_files[] = {
	"personas.jsonl", "backstory_turns.jsonl", "documents.jsonl",
	"facts.jsonl", "qa.jsonl", "preference_pairs.jsonl",
	"findings.jsonl"
};

#define NFILES (int)(sizeof(jsonl_files) / sizeof(jsonl_files[0]))

static const int want_lines[2][NFILES] = {
	{ 2, 3, 3, 2, 3, 1, 4 },   /* quarantined rows left out */
	{ 3, 4, 5, 2, 3, 2, 7 },   /* --include-quarantined */
};

START_TEST(jsonl_structure_and_quarantine)
{
	struct fx fx;
	char dir[400], path[512];
	cJSON *first, *q;
	int i, incl = _i;

	fx_make(&fx, 0);
	ck_assert_int_eq(export_to(&fx, 0, "out", incl, dir, sizeof(dir)),
			 0);
	for (i = 0; i < NFILES; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, jsonl_files[i]);
		ck_assert_msg(check_jsonl(path, &first) == want_lines[incl][i],
			      "%s line count", jsonl_files[i]);
		ck_assert_ptr_nonnull(first);
		q = cJSON_GetObjectItemCaseSensitive(first, "quarantined");
		ck_assert(incl ? cJSON_IsBool(q) : q == NULL);
		if (i < NFILES - 1)
			ck_assert(cJSON_IsString(
				cJSON_GetObjectItemCaseSensitive(first,
				"persona_id")));
		cJSON_Delete(first);
	}
	snprintf(path, sizeof(path), "%s/provenance.json", dir);
	ck_assert_int_eq(check_jsonl(path, &first), 1);
	ck_assert_str_eq(json_get_str(first, "name", ""),
			 "demo <run> & \"co\"");
	ck_assert_ptr_null(json_get(first, "created_at"));
	ck_assert_ptr_null(json_get(first, "config"));
	ck_assert(cJSON_IsNumber(json_get(first, "seed")));
	cJSON_Delete(first);
	fx_free(&fx);
}
END_TEST

/* The first QA line: evidence sorted, nasty text kept as valid JSON. */
START_TEST(jsonl_qa_evidence_and_text)
{
	struct fx fx;
	char dir[400], path[512];
	cJSON *first, *ev;

	fx_make(&fx, 1);
	ck_assert_int_eq(export_to(&fx, 0, "out", 0, dir, sizeof(dir)), 0);
	snprintf(path, sizeof(path), "%s/qa.jsonl", dir);
	ck_assert_int_eq(check_jsonl(path, &first), 3);
	ck_assert_str_eq(json_get_str(first, "qa_id", ""), "p000001-q1");
	ev = json_get(first, "evidence");
	ck_assert_int_eq(cJSON_GetArraySize(ev), 2);
	ck_assert_str_eq(cJSON_GetArrayItem(ev, 0)->valuestring,
			 "p000001-d1");
	ck_assert_str_eq(cJSON_GetArrayItem(ev, 1)->valuestring,
			 "p000001-d2");
	ck_assert_str_eq(json_get_str(first, "persona_id", ""), "p000001");
	ck_assert(strstr(json_get_str(first, "question", ""),
			 "ctl\x01 vt\x0b esc\x1b[31m bad" FFFD) != NULL);
	cJSON_Delete(first);
	fx_free(&fx);
}
END_TEST

/* ---- XML ------------------------------------------------------------ */

static int
have_xmllint(void)
{
	return system("command -v xmllint >/dev/null 2>&1") == 0;
}

/* xmllint's exit status validating path against the shipped XSD. */
static int
xmllint_schema(const char *path)
{
	char cmd[8192];
	int rc;

	snprintf(cmd, sizeof(cmd), "xmllint --noout --schema '%s' '%s'",
		 check_tap_srcpath("output/personaforge.xsd"), path);
	rc = system(cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* Occurrences of needle in the file at path. */
static int
count_in(const char *path, const char *needle)
{
	char *text, *p;
	size_t len;
	int n = 0;

	ck_assert_int_eq(file_read_all(path, 1 << 24, &text, &len), 0);
	for (p = text; (p = strstr(p, needle)) != NULL; p++)
		n++;
	free(text);
	return n;
}

START_TEST(xml_validates_and_filters)
{
	struct fx fx;
	char path[400];
	int incl = _i;

	fx_make(&fx, 0);
	ck_assert_int_eq(export_to(&fx, 1, "out.xml", incl, path,
				   sizeof(path)), 0);
	ck_assert_int_eq(xmllint_schema(path), 0);
	ck_assert_int_eq(count_in(path, "<persona "), incl ? 3 : 2);
	ck_assert_int_eq(count_in(path, "<document "), incl ? 5 : 3);
	ck_assert_int_eq(count_in(path, "<finding "), incl ? 7 : 4);
	ck_assert_int_eq(count_in(path, "quarantined=\"true\""),
			 incl ? 5 : 0);
	ck_assert_int_eq(count_in(path, "\x01"), 0);
	ck_assert_int_eq(count_in(path, "\x1b"), 0);
	ck_assert_int_gt(count_in(path, "]]&gt;"), 0);
	ck_assert_int_gt(count_in(path, "\xf0\x9f\x98\x80"), 0);
	ck_assert_int_eq(count_in(path, "created_at"), 0);
	ck_assert_int_eq(count_in(path, "2024-01-0"), 0);
	ck_assert_int_eq(count_in(path, "secret"), 0);
	fx_free(&fx);
}
END_TEST

/* Byte-compare two files. */
static int
same_file(const char *a, const char *b)
{
	char *ta, *tb;
	size_t la, lb;
	int same;

	ck_assert_int_eq(file_read_all(a, 1 << 24, &ta, &la), 0);
	ck_assert_int_eq(file_read_all(b, 1 << 24, &tb, &lb), 0);
	same = la == lb && memcmp(ta, tb, la) == 0;
	free(ta);
	free(tb);
	return same;
}

/* Same content inserted in another order (as a resumed run would):
 * byte-identical exports, and exporting twice changes nothing. */
START_TEST(exports_are_deterministic)
{
	struct fx a, b;
	char pa[400], pb[400], pa2[400], fa[512], fb[512];
	int i;

	fx_make(&a, 0);
	fx_make(&b, 1);
	ck_assert_int_eq(export_to(&a, 1, "x.xml", 1, pa, sizeof(pa)), 0);
	ck_assert_int_eq(export_to(&a, 1, "x2.xml", 1, pa2, sizeof(pa2)), 0);
	ck_assert_int_eq(export_to(&b, 1, "x.xml", 1, pb, sizeof(pb)), 0);
	ck_assert(same_file(pa, pa2));
	ck_assert(same_file(pa, pb));
	ck_assert_int_eq(export_to(&a, 0, "j", 1, pa, sizeof(pa)), 0);
	ck_assert_int_eq(export_to(&b, 0, "j", 1, pb, sizeof(pb)), 0);
	for (i = 0; i < NFILES; i++) {
		snprintf(fa, sizeof(fa), "%s/%s", pa, jsonl_files[i]);
		snprintf(fb, sizeof(fb), "%s/%s", pb, jsonl_files[i]);
		ck_assert_msg(same_file(fa, fb), "%s differs",
			      jsonl_files[i]);
	}
	fx_free(&a);
	fx_free(&b);
}
END_TEST

/* 1 if dir holds a leftover temporary file. */
static int
has_temp(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL)
		if (strstr(e->d_name, ".tmp") != NULL)
			found = 1;
	closedir(d);
	return found;
}

START_TEST(failed_export_leaves_nothing)
{
	struct fx fx;
	char path[400], sub[400];

	fx_make(&fx, 0);
	/* The target is a directory: the rename fails, the temp goes. */
	snprintf(sub, sizeof(sub), "%s/taken", fx.dir);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	ck_assert_int_eq(export_to(&fx, 1, "taken", 0, path, sizeof(path)),
			 -1);
	ck_assert(!has_temp(fx.dir));
	/* A missing parent directory. */
	ck_assert_int_eq(export_to(&fx, 1, "no/such/x.xml", 0, path,
				   sizeof(path)), -1);
	ck_assert_int_eq(export_to(&fx, 0, "no/such", 0, path, sizeof(path)),
			 -1);
	/* JSONL into an existing directory works and leaves no temp. */
	ck_assert_int_eq(export_to(&fx, 0, "taken", 0, path, sizeof(path)),
			 0);
	ck_assert(!has_temp(sub));
	fx_free(&fx);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *
suite(void)
{
	Suite *s = suite_create("export");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, sanitize_cases, 0, N(san_cases));
	tcase_add_test(tc, sanitize_bounded_and_embedded_nul);
	tcase_add_loop_test(tc, jsonl_structure_and_quarantine, 0, 2);
	tcase_add_test(tc, jsonl_qa_evidence_and_text);
	tcase_add_loop_test(tc, xml_validates_and_filters, 0, 2);
	tcase_add_test(tc, exports_are_deterministic);
	tcase_add_test(tc, failed_export_leaves_nothing);
	suite_add_tcase(s, tc);
	return s;
}

static const char *fixture_path;

START_TEST(make_fixture)
{
	make_db(fixture_path, 0);
}
END_TEST

/* Give every row of an existing dataset the checksum of its content, as
 * if the writer had written it: the CLI tests edit a row with sqlite3
 * and then stamp it, to see the edit travel (a merge must copy rows). */
START_TEST(stamp_fixture)
{
	struct dataset *ds = NULL;
	struct pf_error err;

	pf_error_clear(&err);
	ck_assert_msg(dataset_open(fixture_path, DATASET_WRITE, &ds, &err) ==
		      0, "%s", err.msg);
	ck_assert_int_eq(dataset_exec(ds, "BEGIN", &err), 0);
	stamp_sums(ds);
	ck_assert_int_eq(dataset_exec(ds, "COMMIT", &err), 0);
	ck_assert_int_eq(dataset_finish(ds, &err), 0);
	dataset_close(ds);
}
END_TEST

/* "test_export --make-fixture DB" writes the test dataset for
 * tests/cli/export.sh, so the CLI tests use the real schema too;
 * "test_export --stamp DB" re-stamps every row's checksum. Each runs as
 * a Check test because the ck_assert calls need one. */
static int
write_fixture(const char *path, int stamp)
{
	Suite *s = suite_create("fixture");
	TCase *tc = tcase_create("fixture");
	SRunner *sr;
	int failed;

	fixture_path = path;
	tcase_add_test(tc, stamp ? stamp_fixture : make_fixture);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_SILENT);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--make-fixture") == 0)
		return write_fixture(argv[2], 0);
	if (argc == 3 && strcmp(argv[1], "--stamp") == 0)
		return write_fixture(argv[2], 1);
	if (!have_xmllint()) {
		printf("1..0 # SKIP xmllint (libxml2-utils) not installed\n");
		return 0;
	}
	return check_tap_run(suite());
}
