/* report-people.c - the report's sections about who is in the dataset:
 * each attribute against its table, geography, Big Five histograms. */
#include <stdlib.h>
#include <string.h>

#include "output/html.h"
#include "output/report-int.h"
#include "output/report.h"
#include "personas/target.h"

/* The persona columns the checks read, in query order; "age_band" is
 * derived from "age". */
static const char *const cols[] = {
	"gender", "age", "region", "state", "urban_rural", "city",
	"race_ethnicity", "education", "marital_status", "employment_status",
	"occupation", "income_band", "household", "last_name",
	"economic_status", "health_status", "mental_health_status",
	"self_harm_history", "emotional_state",
};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))
#define BAND_MAX 32
#define NCHECKS (target_nchecks < PEOPLE_MAX ? target_nchecks : PEOPLE_MAX)

#define PEOPLE_MAX 32          /* checks compared (target_nchecks is less) */

struct people {
	struct target *t[PEOPLE_MAX];  /* by target_checks index; NULL: no
					* table */
	struct target *ages;      /* age_detail.tsv, for the age band */
	char why[512];            /* the first table that could not load */
};

/* The value of column `name` of the row (vals by cols order). */
static const char *
col(const char *const *vals, const char *band, const char *name)
{
	size_t i;

	if (strcmp(name, "age_band") == 0)
		return band;
	for (i = 0; i < NCOLS; i++)
		if (strcmp(cols[i], name) == 0)
			return vals[i];
	return "";
}

/* Count one persona row into every loaded target. */
static int
add_row(struct people *p, sqlite3_stmt *st)
{
	const char *vals[NCOLS], *parts[TARGET_MAX_CONDS];
	const struct target_check *c;
	char band[BAND_MAX] = "";
	size_t i;
	int k;

	for (i = 0; i < NCOLS; i++) {
		vals[i] = (const char *)sqlite3_column_text(st, (int)i);
		if (vals[i] == NULL)
			vals[i] = "";
	}
	if (p->ages != NULL)
		target_age_band(p->ages, sqlite3_column_int(st, 1), band,
				sizeof(band));
	for (i = 0; i < NCHECKS; i++) {
		if (p->t[i] == NULL)
			continue;
		c = &target_checks[i];
		for (k = 0; k < c->nconds; k++)
			parts[k] = col(vals, band, c->conds[k]);
		if (target_add(p->t[i], parts, vals[0],
			       col(vals, band, c->field)) != 0)
			return -1;
	}
	return 0;
}

/* Load every table (a missing one leaves its check out) and count every
 * persona. */
static int
load_count(struct rep *r, struct people *p)
{
	struct pf_error e;
	sqlite3_stmt *st;
	char sql[512];
	size_t i, len;
	int rc;

	pf_error_clear(&e);
	if (target_load(r->table_dirs, &target_age_detail, &p->ages, &e) != 0)
		snprintf(p->why, sizeof(p->why), "%s", e.msg);
	for (i = 0; i < NCHECKS; i++) {
		pf_error_clear(&e);
		if (target_load(r->table_dirs, &target_checks[i], &p->t[i],
				&e) != 0 && p->why[0] == '\0')
			snprintf(p->why, sizeof(p->why), "%s", e.msg);
	}
	len = (size_t)snprintf(sql, sizeof(sql), "SELECT ");
	for (i = 0; i < NCOLS; i++)
		len += (size_t)snprintf(sql + len, sizeof(sql) - len, "%s\"%s\"",
					i ? ", " : "", cols[i]);
	snprintf(sql + len, sizeof(sql) - len, " FROM persona");
	if ((st = dataset_prepare(r->ds, sql, r->err)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (add_row(p, st) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : pf_error_set(r->err, "reading the "
						    "personas: %s",
						    sqlite3_errstr(rc));
}

/* Indexes of the (at most REPORT_BARS_MAX) values of largest target,
 * largest first; returns how many. */
static size_t
top_values(const struct target_result *t, size_t *idx)
{
	size_t n = 0, i, best;
	char *taken = calloc(t->nvalues + 1, 1);

	while (taken != NULL && n < REPORT_BARS_MAX && n < t->nvalues) {
		best = t->nvalues;
		for (i = 0; i < t->nvalues; i++)
			if (!taken[i] && (best == t->nvalues ||
			    t->expected[i] + (double)t->sampled[i] >
			    t->expected[best] + (double)t->sampled[best]))
				best = i;
		taken[best] = 1;
		idx[n++] = best;
	}
	free(taken);
	return n;
}

/* One attribute's chart: sampled share (dark) and target (light). */
static void
chart(struct rep *r, const struct target_check *c,
      const struct target_result *t)
{
	struct html_bar bars[REPORT_BARS_MAX];
	size_t idx[REPORT_BARS_MAX], n, k;
	double scale = t->n > 0 ? 100.0 / (double)t->n : 0;
	char title[160];

	n = top_values(t, idx);
	for (k = 0; k < n; k++) {
		bars[k].label = t->values[idx[k]];
		bars[k].a = (double)t->sampled[idx[k]] * scale;
		bars[k].b = t->expected[idx[k]] * scale;
	}
	fprintf(r->out, "<h3>%s <small>(TVD %.4f; %zu values%s)</small></h3>\n",
		c->field, t->tvd, t->nvalues, t->nvalues > n ?
		", the largest shown" : "");
	snprintf(title, sizeof(title), "%s: sampled percent (dark) and "
		 "target percent (light)", c->field);
	html_bars(r->out, title, bars, n, "%");
}

/* The summary table of every attribute, then its chart. */
static void
attributes_out(struct rep *r, struct people *p, struct target_result *res)
{
	const struct target_check *c;
	size_t i;

	fputs("<p>Each attribute's sampled share against its target: the "
	      "table it is drawn from, mixed over the conditions the "
	      "personas were sampled with. TVD is half the sum of the "
	      "absolute differences of the shares.</p>\n<p class=\"key\">"
	      "<span style=\"background:#2b5d8a\"></span>sampled"
	      "<span style=\"background:#9cc3e4\"></span>target</p>\n"
	      "<table><tr><th>attribute</th><th>table</th><th>given</th>"
	      "<th>TVD</th><th>values</th></tr>\n", r->out);
	for (i = 0; i < NCHECKS; i++) {
		if (p->t[i] == NULL)
			continue;
		c = &target_checks[i];
		fprintf(r->out, "<tr><td>%s</td><td>%s</td><td>%s%s%s</td>"
			"<td class=\"n\">%.4f</td><td class=\"n\">%zu</td>"
			"</tr>\n", c->field, c->table, c->nconds ?
			c->conds[0] : "-", c->nconds > 1 ? ", " : "",
			c->nconds > 1 ? c->conds[1] : "", res[i].tvd,
			res[i].nvalues);
	}
	fputs("</table>\n", r->out);
	for (i = 0; i < NCHECKS; i++)
		if (p->t[i] != NULL)
			chart(r, &target_checks[i], &res[i]);
}

/* The state check's result, or NULL. */
static const struct target_result *
state_result(const struct people *p, const struct target_result *res)
{
	size_t i;

	for (i = 0; i < NCHECKS; i++)
		if (p->t[i] != NULL && strcmp(target_checks[i].field,
					      "state") == 0)
			return &res[i];
	return NULL;
}

/* Percent of target t for value v (-1 when t is NULL or lacks it). */
static double
target_pct(const struct target_result *t, const char *v)
{
	size_t i;

	for (i = 0; t != NULL && i < t->nvalues; i++)
		if (strcmp(t->values[i], v) == 0)
			return t->n ? 100.0 * t->expected[i] / (double)t->n : 0;
	return -1;
}

/* Geography: one row per state, no map. */
static int
geography(struct rep *r, const struct target_result *st_res)
{
	sqlite3_stmt *st = dataset_prepare(r->ds, "SELECT state, count(*), "
		"100.0 * count(*) / (SELECT count(*) FROM persona), "
		"100.0 * avg(urban_rural = 'urban'), count(DISTINCT city) "
		"FROM persona GROUP BY state ORDER BY state", r->err);
	double t;
	int rc;

	if (st == NULL)
		return -1;
	rep_section(r, "geography", "Geography");
	fputs("<table><tr><th>state</th><th>personas</th><th>sampled %</th>"
	      "<th>target %</th><th>urban %</th><th>cities</th></tr>\n",
	      r->out);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		fputs("<tr><td>", r->out);
		html_text(r->out, (const char *)sqlite3_column_text(st, 0),
			  REPORT_CELL_MAX);
		t = target_pct(st_res, (const char *)sqlite3_column_text(st,
									 0));
		fprintf(r->out, "</td><td class=\"n\">%lld</td><td class=\"n\">"
			"%.2f</td><td class=\"n\">", (long long)
			sqlite3_column_int64(st, 1),
			sqlite3_column_double(st, 2));
		if (t >= 0)
			fprintf(r->out, "%.2f", t);
		fprintf(r->out, "</td><td class=\"n\">%.1f</td><td class=\"n\">"
			"%lld</td></tr>\n", sqlite3_column_double(st, 3),
			(long long)sqlite3_column_int64(st, 4));
	}
	sqlite3_finalize(st);
	fputs("</table>\n", r->out);
	rep_end(r);
	return rc == SQLITE_DONE ? 0 : pf_error_set(r->err, "reading the "
						    "states: %s",
						    sqlite3_errstr(rc));
}

int
rep_attributes(struct rep *r)
{
	struct target_result res[PEOPLE_MAX];
	struct people p;
	size_t i;
	int rc;

	memset(&p, 0, sizeof(p));
	memset(res, 0, sizeof(res));
	rep_section(r, "attributes", "Persona attributes against their "
		    "tables");
	rc = r->table_dirs != NULL ? load_count(r, &p) : 0;
	for (i = 0; rc == 0 && i < NCHECKS; i++)
		if (p.t[i] != NULL && target_result(p.t[i], &res[i]) != 0)
			rc = pf_error_set(r->err, "out of memory");
	if (rc == 0 && r->table_dirs == NULL)
		rep_not_run(r, "the persona tables (personas/data) were not "
			    "found");
	else if (rc == 0 && p.why[0] != '\0')
		fprintf(r->out, "<p>Left out: %s</p>\n", p.why);
	if (rc == 0 && r->table_dirs != NULL)
		attributes_out(r, &p, res);
	rep_end(r);
	if (rc == 0)
		rc = geography(r, state_result(&p, res));
	for (i = 0; i < NCHECKS; i++)
		target_free(p.t[i]);
	target_free(p.ages);
	return rc;
}

int
rep_big5(struct rep *r)
{
	static const char *const traits[] = { "openness", "conscientiousness",
		"extraversion", "agreeableness", "neuroticism" };
	static const char *const labels[] = { "20", "25", "30", "35", "40",
		"45", "50", "55", "60", "65", "70", "75", "80" };
	long long n[13];
	sqlite3_stmt *st;
	char sql[160];
	size_t i;
	int rc = SQLITE_DONE, b;

	rep_section(r, "big5", "Big Five T-scores");
	fputs("<p>Personas per 5-point bin of each trait's T-score (20 to "
	      "80; the label is the bin's lower end).</p>\n", r->out);
	for (i = 0; i < 5 && rc == SQLITE_DONE; i++) {
		snprintf(sql, sizeof(sql), "SELECT big5_%s / 5, count(*) FROM "
			 "persona GROUP BY 1", traits[i]);
		if ((st = dataset_prepare(r->ds, sql, r->err)) == NULL)
			return -1;
		memset(n, 0, sizeof(n));
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			if ((b = sqlite3_column_int(st, 0) - 4) >= 0 && b < 13)
				n[b] += sqlite3_column_int64(st, 1);
		sqlite3_finalize(st);
		fprintf(r->out, "<h3>%s</h3>\n", traits[i]);
		html_histogram(r->out, traits[i], labels, n, 13);
	}
	rep_end(r);
	return rc == SQLITE_DONE ? 0 : pf_error_set(r->err, "reading the Big "
						    "Five: %s",
						    sqlite3_errstr(rc));
}
