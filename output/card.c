/* card.c - the dataset card of a JSONL export (see card.h). */
#include "output/card.h"

#include <inttypes.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "base/buf.h"
#include "base/json.h"
#include "output/gate.h"
#include "output/tables.h"

#define NAME_MAX_BYTES 256     /* run name, version, backend, model */

struct card {
	struct dataset *ds;
	FILE *out;
	const struct export_counts *n;
	unsigned opts;
	struct pf_error *err;
	int has_run;
	char name[NAME_MAX_BYTES], version[NAME_MAX_BYTES];
	char backend[NAME_MAX_BYTES], model[NAME_MAX_BYTES];
	char hash[72];
	int64_t seed, personas;
	cJSON *config;            /* run.config, or NULL */
	cJSON *stages;            /* run.stages, or NULL */
};

static void
copy_col(char *out, size_t n, sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	snprintf(out, n, "%s", s ? s : "");
}

/* The run row into c (has_run 0 when there is none). */
static int
read_run(struct card *c)
{
	sqlite3_stmt *st = dataset_prepare(c->ds, "SELECT name, config, "
		"config_hash, seed, personas, version, backend, model, stages "
		"FROM run WHERE id = 1", c->err);
	int rc;

	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		c->has_run = 1;
		copy_col(c->name, sizeof(c->name), st, 0);
		c->config = cJSON_Parse((const char *)sqlite3_column_text(st,
									  1));
		copy_col(c->hash, sizeof(c->hash), st, 2);
		c->seed = sqlite3_column_int64(st, 3);
		c->personas = sqlite3_column_int64(st, 4);
		copy_col(c->version, sizeof(c->version), st, 5);
		copy_col(c->backend, sizeof(c->backend), st, 6);
		copy_col(c->model, sizeof(c->model), st, 7);
		c->stages = cJSON_Parse((const char *)sqlite3_column_text(st,
									  8));
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return 0;
	return pf_error_set(c->err, "cannot read the run row: %s",
			    sqlite3_errmsg(c->ds->db));
}

/* s as a Markdown table cell: '|' escaped, line breaks as spaces. */
static void
cell(FILE *f, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '|')
			fputs("\\|", f);
		else
			fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
	}
}

/* A JSONL data file of the export: a table with a ".jsonl" file. */
static int
is_data_file(const struct dataset_table *t)
{
	size_t n = t->jsonl != NULL ? strlen(t->jsonl) : 0;

	return n > 6 && strcmp(t->jsonl + n - 6, ".jsonl") == 0;
}

/* The Hugging Face size category of n records. */
static const char *
size_category(uint64_t n)
{
	static const struct { uint64_t below; const char *name; } cats[] = {
		{ 1000, "n<1K" }, { 10000, "1K<n<10K" },
		{ 100000, "10K<n<100K" }, { 1000000, "100K<n<1M" },
		{ 10000000, "1M<n<10M" }, { 100000000, "10M<n<100M" },
		{ 1000000000, "100M<n<1B" },
	};
	size_t i;

	for (i = 0; i < sizeof(cats) / sizeof(cats[0]); i++)
		if (n < cats[i].below)
			return cats[i].name;
	return "n>1B";
}

/* s as a JSON string, which YAML reads as a double-quoted scalar. */
static void
quoted(FILE *f, const char *s)
{
	struct buf b;

	buf_init(&b, NAME_MAX_BYTES * 8);
	if (json_quote(&b, s, strlen(s)) == 0)
		fwrite(b.data, 1, b.len, f);
	else
		fputs("\"\"", f);
	buf_free(&b);
}

/* The front matter: license, name, size, tags, one config a file. */
static void
yaml_header(struct card *c)
{
	const cJSON *lic = json_get(json_get(c->config, "dataset"), "license");
	const struct dataset_table *t;
	uint64_t total = 0;
	size_t i;

	for (i = 0; i < dataset_ntables; i++)
		if (is_data_file(&dataset_tables[i]))
			total += c->n->rows[i];
	fprintf(c->out, "---\nlicense: %s\npretty_name: ",
		cJSON_IsString(lic) ? lic->valuestring : "unknown");
	quoted(c->out, c->has_run ? c->name : "personaforge");
	fprintf(c->out, "\nsize_categories:\n- %s\ntags:\n- synthetic\n"
		"- personas\n- personalization\nconfigs:\n",
		size_category(total));
	for (i = 0; i < dataset_ntables; i++) {
		t = &dataset_tables[i];
		if (!is_data_file(t) || c->n->rows[i] == 0)
			continue;
		fprintf(c->out, "- config_name: %.*s\n  data_files: %s\n",
			(int)(strlen(t->jsonl) - 6), t->jsonl, t->jsonl);
	}
	fputs("---\n\n", c->out);
}

static void
files_section(struct card *c)
{
	const struct dataset_table *t;
	size_t i;

	fprintf(c->out, "## Files\n\nOne JSON object a line, the same keys "
		"in every line of a file. Join every file to `personas.jsonl` "
		"on `persona_id` (the persona's text id, `p000042`); "
		"`provenance.json` is one object. Columns are described in "
		"personaforge's doc/schema.md.\n\n"
		"| config | file | records |\n| --- | --- | ---: |\n");
	for (i = 0; i < dataset_ntables; i++) {
		t = &dataset_tables[i];
		if (!is_data_file(t))
			continue;
		fprintf(c->out, "| %.*s | `%s` | %" PRIu64 "%s |\n",
			(int)(strlen(t->jsonl) - 6), t->jsonl, t->jsonl,
			c->n->rows[i], c->n->rows[i] ? "" : " (empty: no "
			"config)");
	}
	fputc('\n', c->out);
}

/* One row of the stage table. */
static void
stage_row(FILE *f, const cJSON *s)
{
	const char *keys[] = { "version", "backend", "model" };
	const cJSON *v;
	size_t i;

	fputs("| ", f);
	cell(f, s->string);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		fputs(" | ", f);
		v = json_get(s, keys[i]);
		cell(f, cJSON_IsString(v) ? v->valuestring : "");
	}
	v = json_get(s, "items_per_persona");
	fprintf(f, " | %d |\n", cJSON_IsNumber(v) ? v->valueint : 0);
}

static void
provenance_section(struct card *c)
{
	const cJSON *s;

	fputs("## Provenance\n\n", c->out);
	if (!c->has_run) {
		fputs("The dataset has no run row: its provenance is "
		      "unknown.\n\n", c->out);
		return;
	}
	fprintf(c->out, "Built by personaforge %s from one config.\n\n"
		"| | |\n| --- | --- |\n| config hash | `%s` |\n"
		"| seed | %" PRId64 " |\n| personas | %" PRId64 " |\n"
		"| backend | ", c->version, c->hash, c->seed, c->personas);
	cell(c->out, c->backend);
	fputs(" |\n| model | ", c->out);
	cell(c->out, c->model);
	fputs(" |\n\n| stage | version | backend | model | items per "
	      "persona |\n| --- | --- | --- | --- | ---: |\n", c->out);
	cJSON_ArrayForEach(s, c->stages)
		stage_row(c->out, s);
	fputc('\n', c->out);
}

static void
use_section(struct card *c)
{
	fputs("## Intended use\n\n"
	      "Research on LLM personalization: training and evaluating "
	      "models that answer a person in the light of what they have "
	      "said (grounded QA over private documents, PersonaBench "
	      "style; preference pairs judged by the persona, FSPO style), "
	      "and the audits of such corpora. Every person here is "
	      "synthetic: attributes are drawn from cited population tables "
	      "and contact details from reserved ranges (example domains, "
	      "555-01XX phones, never-issued SSNs, published test cards). "
	      "It is not a sample of real people: do not use it to make "
	      "decisions about anyone, or to estimate facts about a real "
	      "population beyond the tables it was drawn from.\n\n", c->out);
}

/* Run sql and print each row as a Markdown table row of its columns (a
 * row saying "none" when there is none); returns the rows printed, or -1
 * with c->err filled. */
static int
rows(struct card *c, const char *sql)
{
	sqlite3_stmt *st = dataset_prepare(c->ds, sql, c->err);
	int rc, i, n = 0;

	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < sqlite3_column_count(st); i++) {
			fputs("| ", c->out);
			cell(c->out, (const char *)sqlite3_column_text(st, i));
			fputc(' ', c->out);
		}
		fputs("|\n", c->out);
		n++;
	}
	if (rc == SQLITE_DONE && n == 0) {
		fputs("| none |", c->out);
		for (i = 1; i < sqlite3_column_count(st); i++)
			fputs(" |", c->out);
		fputc('\n', c->out);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return n;
	return pf_error_set(c->err, "database error: %s",
			    sqlite3_errmsg(c->ds->db));
}

/* Rows of the quarantined flag set, over every table that has one. */
static int64_t
quarantined_rows(struct card *c)
{
	char sql[160];
	sqlite3_stmt *st;
	int64_t total = 0;
	size_t i;

	for (i = 0; i < dataset_ntables; i++) {
		if (!dataset_tables[i].quarantine)
			continue;
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM \"%s\" "
			 "WHERE quarantined != 0", dataset_tables[i].name);
		if ((st = dataset_prepare(c->ds, sql, c->err)) == NULL)
			return -1;
		if (sqlite3_step(st) == SQLITE_ROW)
			total += sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	return total;
}

/* The measures of the audit_metric table (another auditor's), when the
 * dataset has one. */
static int
metrics_part(struct card *c)
{
	int has = dataset_has_table(c->ds, "audit_metric", c->err);

	if (has <= 0)
		return has;
	fputs("\nMeasures (`audit_metric`; `personaforge report` shows "
	      "them all):\n\n| auditor | measures |\n| --- | ---: |\n",
	      c->out);
	return rows(c, "SELECT auditor, count(*) FROM audit_metric "
		    "GROUP BY auditor ORDER BY auditor") < 0 ? -1 : 0;
}

static int
audits_section(struct card *c)
{
	int64_t q;

	fputs("## Audits\n\nFindings of the auditors over the whole "
	      "dataset, by severity: real-looking values, and reserved or "
	      "planted ones (synthetic, always `info`).\n\n"
	      "| auditor | severity | real-looking | synthetic |\n"
	      "| --- | --- | ---: | ---: |\n", c->out);
	if (rows(c, "SELECT auditor, severity, "
		 "sum(CASE WHEN synthetic = 0 THEN count ELSE 0 END), "
		 "sum(CASE WHEN synthetic != 0 THEN count ELSE 0 END) "
		 "FROM audit_finding WHERE kind != '" GATE_KIND "' "
		 "GROUP BY auditor, severity ORDER BY auditor, "
		 "CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 "
		 "WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END") < 0)
		return -1;
	fputs("\nGates (the verdicts of the last build or audit):\n\n"
	      "| gate | verdict |\n| --- | --- |\n", c->out);
	if (rows(c, "SELECT threshold, reason FROM audit_finding WHERE "
		 "kind = '" GATE_KIND "' ORDER BY threshold, reason") < 0 ||
	    (q = quarantined_rows(c)) < 0)
		return -1;
	fprintf(c->out, "\n%" PRId64 " rows are quarantined (a finding at "
		"or above their auditor's quarantine severity)%s.\n", q,
		c->opts & EXPORT_QUARANTINED ? "; they are in these files, "
		"marked `\"quarantined\": true`" : " and left out of these "
		"files, with the facts and answers resting on them");
	if (metrics_part(c) != 0)
		return -1;
	fputc('\n', c->out);
	return 0;
}

/* The stages whose rows the offline backend wrote, comma-separated. */
static int
offline_stages(const struct card *c, char *out, size_t n)
{
	const cJSON *s, *b;
	size_t len = 0;
	int k = 0;

	out[0] = '\0';
	cJSON_ArrayForEach(s, c->stages) {
		b = json_get(s, "backend");
		if (!cJSON_IsString(b) || strcmp(b->valuestring, "offline"))
			continue;
		len += (size_t)snprintf(out + len, len < n ? n - len : 0,
					"%s%s", k++ ? ", " : "", s->string);
		if (len >= n)
			break;
	}
	return k;
}

static void
limits_section(struct card *c)
{
	char st[512];

	fputs("## Limitations\n\n", c->out);
	if (offline_stages(c, st, sizeof(st)) > 0)
		fprintf(c->out, "- The text of the stages %s was written by "
			"personaforge's offline backend: a deterministic "
			"stand-in filled from fixed templates and the sampled "
			"attributes, for testing the pipeline. It says "
			"nothing a study could use; build with an LLM "
			"endpoint for text.\n", st);
	if (c->opts & EXPORT_PARTIAL)
		fputs("- A partial export: only the personas whose every "
		      "item was done are here (`\"partial\": true` in "
		      "provenance.json).\n", c->out);
	fputs("- Some persona attributes (occupation, income, household, "
	      "languages and the wellbeing context) are drawn from shapes "
	      "without a cited table; personaforge's "
	      "personas/data/README.md names the source of each table.\n"
	      "- Text written by an LLM carries that model's biases and "
	      "errors; the auditors flag personal data and leaks, not "
	      "every harm.\n", c->out);
}

int
card_write(struct dataset *ds, FILE *out, const struct export_counts *n,
	   unsigned opts, struct pf_error *err)
{
	struct card c;
	int rc = -1;

	memset(&c, 0, sizeof(c));
	c.ds = ds;
	c.out = out;
	c.n = n;
	c.opts = opts;
	c.err = err;
	if (read_run(&c) != 0)
		goto out;
	yaml_header(&c);
	fprintf(out, "# ");
	cell(out, c.has_run ? c.name : "personaforge dataset");
	fputs("\n\nSynthetic personas for LLM personalization research, "
	      "each with a life-story interview, private documents with "
	      "planted facts, grounded QA pairs and judged preference "
	      "pairs, built by personaforge.\n\n", out);
	files_section(&c);
	provenance_section(&c);
	use_section(&c);
	if (audits_section(&c) != 0)
		goto out;
	limits_section(&c);
	rc = 0;
out:
	cJSON_Delete(c.config);
	cJSON_Delete(c.stages);
	return rc;
}
