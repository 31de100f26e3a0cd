/* safetystats.c - the LLM mode's agreement, cost, context and pairwise
 * figures (see safetystats.h). */
#include "output/safetystats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditors/penguinjudge.h"
#include "auditors/policy.h"
#include "auditors/safety.h"
#include "output/audit.h"

/* Labels of two runs, grown up to SAFETYSTATS_MAX_ROWS. */
struct labels {
	int *a, *b;
	size_t n, cap;
};

static int
push(struct labels *l, int a, int b)
{
	int *na, *nb;

	if (l->n == l->cap) {
		if (l->cap >= SAFETYSTATS_MAX_ROWS)
			return -1;
		l->cap = l->cap ? 2 * l->cap : 1024;
		na = realloc(l->a, l->cap * sizeof(*na));
		if (na != NULL)
			l->a = na;
		nb = realloc(l->b, l->cap * sizeof(*nb));
		if (nb != NULL)
			l->b = nb;
		if (na == NULL || nb == NULL)
			return -1;
	}
	l->a[l->n] = a;
	l->b[l->n++] = b;
	return 0;
}

/* Add a number printed by fmt, or null when `defined` is 0. */
static int
num(cJSON *o, const char *key, int defined, const char *fmt, double v)
{
	char s[48];

	if (!defined)
		return cJSON_AddNullToObject(o, key) ? 0 : -1;
	snprintf(s, sizeof(s), fmt, v);
	return cJSON_AddRawToObject(o, key, s) ? 0 : -1;
}

/* Kappa of l (ncat categories) into o under key. */
static int
put_kappa(cJSON *o, const char *key, const struct labels *l, int ncat)
{
	double k = 0;
	size_t used;
	int ok = pj_kappa(l->a, l->b, l->n, ncat, &k, &used) == 0;

	return num(o, key, ok, "%.4f", k);
}

static int
db_fail(struct dataset *ds, struct pf_error *err)
{
	return pf_error_set(err, "database error: %s", sqlite3_errmsg(ds->db));
}

/* The Likert axes of both runs of every reply judged validly twice. */
static const char likert_sql[] =
	"SELECT a.risk_sensitivity, b.risk_sensitivity, a.emotional_empathy,"
	" b.emotional_empathy, a.personalization, b.personalization"
	" FROM reply_penguin a JOIN reply_penguin b ON a.row_table ="
	" b.row_table AND a.row_id = b.row_id AND a.field = b.field AND"
	" a.offset = b.offset AND b.sample = 1 WHERE a.sample = 0 AND"
	" a.abstained = '' AND b.abstained = ''";

/* The Boolean answers of both runs to every item both selected. The
 * auditor is compared as +auditor: by its index each reply's second
 * run would be looked for among all the judge's scores (quadratic);
 * without it SQLite indexes the second runs by reply for the join. */
static const char boolean_sql[] =
	"SELECT ja.value, jb.value FROM reply_rubric a JOIN reply_rubric b"
	" ON +b.auditor = +a.auditor AND b.row_table = a.row_table AND"
	" b.row_id = a.row_id AND b.field = a.field AND b.offset = a.offset"
	" AND b.criterion = a.criterion AND b.sample = 1,"
	" json_each(a.items) ja, json_each(b.items) jb"
	" WHERE +a.auditor = 'safety-llm' AND a.sample = 0 AND"
	" ja.key = jb.key AND ja.value IN ('yes', 'no', 'na') AND"
	" jb.value IN ('yes', 'no', 'na')";

static int
answer_code(const unsigned char *s)
{
	return s == NULL ? -1 : s[0] == 'y' ? 0 : s[1] == 'o' ? 1 : 2;
}

static int
add_kappa(struct dataset *ds, cJSON *judge, struct pf_error *err)
{
	static const char *const axes[PJ_NAXES] = {
		"risk_sensitivity", "emotional_empathy", "personalization" };
	struct labels l[PJ_NAXES + 1];
	cJSON *k = cJSON_AddObjectToObject(judge, "kappa");
	sqlite3_stmt *st = NULL;
	int a, rc = k != NULL ? 0 : pf_error_set(err, "out of memory");

	memset(l, 0, sizeof(l));
	if (rc == 0 && (st = dataset_prepare(ds, likert_sql, err)) == NULL)
		rc = -1;
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW)
		for (a = 0; a < PJ_NAXES && rc == 0; a++)
			rc = push(&l[a], sqlite3_column_int(st, 2 * a) - 1,
				  sqlite3_column_int(st, 2 * a + 1) - 1);
	sqlite3_finalize(st);
	st = NULL;
	if (rc == 0 && (st = dataset_prepare(ds, boolean_sql, err)) == NULL)
		rc = -1;
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW)
		rc = push(&l[PJ_NAXES],
			  answer_code(sqlite3_column_text(st, 0)),
			  answer_code(sqlite3_column_text(st, 1)));
	sqlite3_finalize(st);
	for (a = 0; a < PJ_NAXES && rc == 0; a++)
		rc = put_kappa(k, axes[a], &l[a], 5);
	if (rc == 0 && (put_kappa(k, "boolean", &l[PJ_NAXES], 3) != 0 ||
			num(k, "likert_replies", 1, "%.0f", (double)l[0].n) ||
			num(k, "boolean_items", 1, "%.0f",
			    (double)l[PJ_NAXES].n)))
		rc = pf_error_set(err, "out of memory");
	for (a = 0; a <= PJ_NAXES; a++) {
		free(l[a].a);
		free(l[a].b);
	}
	return rc;
}

/* One row of sql (`nkeys` numbers, the first a count when `counted`)
 * into a new object `name` of judge; a NULL is null. */
static int
add_row(struct dataset *ds, cJSON *judge, const char *name, const char *sql,
	const char *const *keys, int nkeys, int counted,
	struct pf_error *err)
{
	cJSON *o = cJSON_AddObjectToObject(judge, name);
	sqlite3_stmt *st;
	int i, rc = 0;

	if (o == NULL)
		return pf_error_set(err, "out of memory");
	if ((st = dataset_prepare(ds, sql, err)) == NULL)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW)
		rc = db_fail(ds, err);
	for (i = 0; i < nkeys && rc == 0; i++)
		if (num(o, keys[i], sqlite3_column_type(st, i) != SQLITE_NULL,
			i == 0 && counted ? "%.0f" : "%.4f",
			sqlite3_column_double(st, i)) != 0)
			rc = pf_error_set(err, "out of memory");
	sqlite3_finalize(st);
	return rc;
}

/* Tokens per judged item: per Likert reply sample, and per Boolean item
 * answered (selection calls included). */
static const char tokens_sql[] =
	"SELECT (SELECT total(prompt_tokens + completion_tokens) /"
	" nullif(count(*), 0) FROM reply_penguin),"
	" (SELECT total(prompt_tokens + completion_tokens) FROM reply_rubric"
	" WHERE auditor = 'safety-llm') / nullif((SELECT count(*) FROM"
	" reply_rubric r, json_each(r.items) WHERE r.auditor ="
	" 'safety-llm'), 0)";

/* Context-rich (the generator saw the persona) minus context-free
 * replies to the same community question, per axis: the community
 * stage's answer_with_body_pers and answer_with_body_base. */
static const char context_sql[] =
	"WITH m AS (SELECT c.question_id AS q, c.persona_id AS p,"
	" c.technique AS t, avg(r.risk_sensitivity) AS rs,"
	" avg(r.emotional_empathy) AS ee, avg(r.personalization) AS pz"
	" FROM reply_penguin r JOIN cqa c ON r.row_table = 'cqa' AND"
	" r.row_id = c.cqa_id WHERE r.abstained = '' AND c.technique IN"
	" ('answer_with_body_pers', 'answer_with_body_base')"
	" GROUP BY c.cqa_id)"
	" SELECT count(*), avg(w.rs - o.rs), avg(w.ee - o.ee),"
	" avg(w.pz - o.pz) FROM m w JOIN m o ON w.q = o.q AND w.p = o.p"
	" WHERE w.t = 'answer_with_body_pers' AND"
	" o.t = 'answer_with_body_base'";

/* The pairwise samples, one pair's together. */
static const char pair_sql[] =
	"SELECT pair_id, ord, verdict, certainty FROM safety_judgement"
	" ORDER BY pair_id, ord, sample";

#define PAIR_MAX_SAMPLES 64

/* The outcome of s[0..n-1] counted into c[x, y, tie, abstain]. */
static void
count_pair(const struct pj_pair_sample *s, size_t n, int abstain_below,
	   long *c)
{
	struct pj_pair_outcome o;

	if (n == 0)
		return;
	pj_pair_aggregate(s, n, abstain_below, &o);
	c[strcmp(o.label, "x") == 0 ? 0 : strcmp(o.label, "y") == 0 ? 1 :
	  strcmp(o.label, "tie") == 0 ? 2 : 3]++;
}

static int
add_pairwise(struct dataset *ds, int abstain_below, cJSON *judge,
	     struct pf_error *err)
{
	static const char *const keys[] = { "x", "y", "tie", "abstain" };
	struct pj_pair_sample s[PAIR_MAX_SAMPLES];
	cJSON *o = cJSON_AddObjectToObject(judge, "pairwise");
	sqlite3_stmt *st;
	char pair[64] = "";
	const char *id, *v;
	long c[4] = { 0, 0, 0, 0 }, pairs = 0, samples = 0, unparsed = 0;
	size_t n = 0;
	int k, rc = 0;

	if (o == NULL)
		return pf_error_set(err, "out of memory");
	if ((st = dataset_prepare(ds, pair_sql, err)) == NULL)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		id = (const char *)sqlite3_column_text(st, 0);
		if (id == NULL || strcmp(id, pair) != 0) {
			count_pair(s, n, abstain_below, c);
			snprintf(pair, sizeof(pair), "%s", id ? id : "");
			n = 0;
			pairs++;
		}
		v = (const char *)sqlite3_column_text(st, 2);
		samples++;
		unparsed += v == NULL;
		if (n == PAIR_MAX_SAMPLES)
			continue;
		s[n].order = strcmp((const char *)sqlite3_column_text(st, 1),
				    "BA") == 0;
		s[n].verdict = v == NULL ? 0 : v[0] == 't' ? 't' : v[0];
		s[n++].certainty = sqlite3_column_int(st, 3);
	}
	sqlite3_finalize(st);
	count_pair(s, n, abstain_below, c);
	rc |= num(o, "pairs", 1, "%.0f", (double)pairs);
	rc |= num(o, "samples", 1, "%.0f", (double)samples);
	rc |= num(o, "unparsed", 1, "%.0f", (double)unparsed);
	for (k = 0; k < 4; k++)
		rc |= num(o, keys[k], 1, "%.0f", (double)c[k]);
	return rc != 0 ? pf_error_set(err, "out of memory") : 0;
}

/* The pairwise certainty floor of the config the dataset was built
 * with (its default when it has none). */
static int
floor_of(struct dataset *ds)
{
	struct audit_instance *v = NULL;
	struct pf_error e;
	size_t i, n = 0;
	int f = safety_llm_abstain_below(NULL);

	pf_error_clear(&e);
	if (dataset_stored_auditors(ds, &v, &n, &e) != 0)
		return f;
	for (i = 0; i < n; i++)
		if (strcmp(v[i].auditor->name, "safety") == 0)
			f = safety_llm_abstain_below(v[i].cfg);
	audit_instances_free(v, n);
	return f;
}

/* The LLM mode's findings per domain (the offline domain of the pair's
 * chosen reply) and severity. +auditor: not by the auditor's index,
 * which would read every offline score per finding, but by the index
 * SQLite builds on the row. */
static const char findings_sql[] =
	"SELECT coalesce(r.domain, 'unclassified'), f.severity,"
	" sum(f.count) FROM audit_finding f LEFT JOIN reply_rubric r ON"
	" +r.auditor = 'safety' AND r.row_table = f.row_table AND"
	" r.row_id = f.row_id AND r.field = 'chosen' AND r.offset = 0 AND"
	" r.criterion = 'safety' WHERE f.auditor = 'safety-llm'"
	" GROUP BY 1, 2 ORDER BY 1, CASE f.severity WHEN 'critical' THEN 0"
	" WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3"
	" ELSE 4 END";

static int
add_findings(struct dataset *ds, cJSON *judge, struct pf_error *err)
{
	cJSON *arr = cJSON_AddArrayToObject(judge, "findings"), *o;
	sqlite3_stmt *st;
	int rc = 0;

	if (arr == NULL)
		return pf_error_set(err, "out of memory");
	if ((st = dataset_prepare(ds, findings_sql, err)) == NULL)
		return -1;
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		o = cJSON_CreateObject();
		if (o == NULL || !cJSON_AddItemToArray(arr, o) ||
		    !cJSON_AddStringToObject(o, "domain", (const char *)
					     sqlite3_column_text(st, 0)) ||
		    !cJSON_AddStringToObject(o, "severity", (const char *)
					     sqlite3_column_text(st, 1)) ||
		    num(o, "findings", 1, "%.0f",
			sqlite3_column_double(st, 2)) != 0)
			rc = pf_error_set(err, "out of memory");
	}
	sqlite3_finalize(st);
	return rc;
}

int
safetystats_judge(struct dataset *ds, cJSON *judge, struct pf_error *err)
{
	static const char *const tokens[] = { "likert", "boolean" };
	static const char *const context[] = { "questions",
		"risk_sensitivity", "emotional_empathy", "personalization" };

	if (add_findings(ds, judge, err) != 0 || add_kappa(ds, judge, err) != 0 ||
	    add_row(ds, judge, "tokens_per_item", tokens_sql, tokens, 2, 0,
		    err) != 0 ||
	    add_row(ds, judge, "context", context_sql, context, 4, 1,
		    err) != 0)
		return -1;
	return add_pairwise(ds, floor_of(ds), judge, err);
}
