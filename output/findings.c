/* findings.c - the findings of one row (see findings.h). */
#include "output/findings.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "output/rowsum.h"
#include "output/tables.h"
#include "output/tablesql.h"

/* One auditor of the collector, with what it left out of the current
 * row past FINDINGS_MAX_ROW. */
struct faudit {
	const struct audit_instance *in;
	char threshold[64];         /* "quarantine>=high" */
	int64_t over;               /* findings left out */
	int64_t over_sev[AUDIT_NSEVERITY];
	int64_t over_synthetic;
	enum audit_severity over_max;
};

struct findings {
	struct faudit aud[FINDINGS_MAX_AUDITORS];
	int naud;
	int cur;                    /* the auditor scanning now */
	struct row_finding found[FINDINGS_MAX_ROW];
	int nfound;
	int weakest;                /* index of the least severe stored
				     * finding once found[] is full */
	findings_score_fn score;    /* NULL: no scoring */
	void *score_ud;
};

int
findings_new(const struct audit_instance *v, size_t n, struct findings **out,
	     struct pf_error *err)
{
	struct findings *fc;
	size_t i;

	*out = NULL;
	if (n > FINDINGS_MAX_AUDITORS)
		return pf_error_set(err, "at most %d auditors may run at once",
				    FINDINGS_MAX_AUDITORS);
	fc = calloc(1, sizeof(*fc));
	if (fc == NULL)
		return pf_error_set(err, "out of memory");
	for (i = 0; i < n; i++) {
		fc->aud[i].in = &v[i];
		snprintf(fc->aud[i].threshold, sizeof(fc->aud[i].threshold),
			 "quarantine>=%s",
			 audit_severity_name(v[i].policy.quarantine));
	}
	fc->naud = (int)n;
	*out = fc;
	return 0;
}

void
findings_free(struct findings *fc)
{
	free(fc);
}

const char *
findings_threshold(const struct findings *fc, size_t i)
{
	return fc->aud[i].threshold;
}

/* Which of two findings to keep when only one fits: the more severe,
 * and a real-looking one before a synthetic one of the same severity. */
static int
rank(enum audit_severity sev, int synthetic)
{
	return (int)sev * 2 + !synthetic;
}

static void
find_weakest(struct findings *fc)
{
	int i;

	fc->weakest = 0;
	for (i = 1; i < fc->nfound; i++)
		if (rank(fc->found[i].sev, fc->found[i].synthetic) <
		    rank(fc->found[fc->weakest].sev,
			 fc->found[fc->weakest].synthetic))
			fc->weakest = i;
}

/* Index of the auditor of a stored finding. */
static int
auditor_of(const struct findings *fc, const struct row_finding *f)
{
	int a;

	for (a = 0; a < fc->naud && fc->aud[a].in != f->in; a++)
		;
	return a;
}

/* Count a finding that is not stored into its auditor's overflow. */
static void
leave_out(struct findings *fc, int ai, enum audit_severity sev,
	  int synthetic)
{
	struct faudit *a = &fc->aud[ai];

	if (a->over == 0 || sev > a->over_max)
		a->over_max = sev;
	a->over++;
	a->over_sev[sev]++;
	a->over_synthetic += synthetic != 0;
}

/* The slot for a new finding: a free one, or the weakest stored one when
 * the new finding outranks it (that one is left out instead); NULL when
 * the new finding itself is left out. */
static struct row_finding *
slot_for(struct findings *fc, enum audit_severity sev, int synthetic)
{
	struct row_finding *f;

	if (fc->nfound < FINDINGS_MAX_ROW)
		return &fc->found[fc->nfound++];
	f = &fc->found[fc->weakest];
	if (rank(sev, synthetic) <= rank(f->sev, f->synthetic)) {
		leave_out(fc, fc->cur, sev, synthetic);
		return NULL;
	}
	leave_out(fc, auditor_of(fc, f), f->sev, f->synthetic);
	return f;
}

static void
on_finding(void *ud, const struct audit_hit *h)
{
	struct findings *fc = ud;
	enum audit_severity sev = (unsigned)h->severity <= AUDIT_CRITICAL
				  ? h->severity : AUDIT_CRITICAL;
	struct row_finding *f = slot_for(fc, sev, h->synthetic != 0);

	if (f == NULL)
		return;
	f->in = fc->aud[fc->cur].in;
	f->threshold = fc->aud[fc->cur].threshold;
	f->sev = sev;
	f->synthetic = h->synthetic != 0;
	f->offset = h->offset;
	f->count = 1;
	snprintf(f->field, sizeof(f->field), "%s", h->field ? h->field : "");
	snprintf(f->kind, sizeof(f->kind), "%s", h->kind ? h->kind : "");
	snprintf(f->masked, sizeof(f->masked), "%s",
		 h->masked ? h->masked : "");
	snprintf(f->reason, sizeof(f->reason), "%s",
		 h->reason ? h->reason : "");
	if (fc->nfound == FINDINGS_MAX_ROW)   /* just filled, or replaced */
		find_weakest(fc);
}

void
findings_set_scorer(struct findings *fc, findings_score_fn fn, void *ud)
{
	fc->score = fn;
	fc->score_ud = ud;
}

/* audit_score_fn of the scoring hooks: pass the score on with the
 * auditor scanning now. */
static void
on_score(void *ud, const struct audit_score *s)
{
	struct findings *fc = ud;

	fc->score(fc->score_ud, fc->aud[fc->cur].in, s);
}

int
findings_scan(struct findings *fc, const struct audit_row *row)
{
	const struct audit_instance *in;
	int a, i, q = 0, failed = 0;

	fc->nfound = 0;
	for (a = 0; a < fc->naud; a++) {
		in = fc->aud[a].in;
		memset(fc->aud[a].over_sev, 0, sizeof(fc->aud[a].over_sev));
		fc->aud[a].over = fc->aud[a].over_synthetic = 0;
		fc->cur = a;
		if (fc->score != NULL && in->auditor->score_row != NULL)
			failed |= in->auditor->score_row(in->cfg, row,
				on_finding, fc, on_score, fc) != 0;
		else if (in->auditor->scan_row != NULL)
			in->auditor->scan_row(in->cfg, row, on_finding, fc);
	}
	if (failed)
		return -1;
	for (i = 0; i < fc->nfound; i++)
		if (fc->found[i].sev >= fc->found[i].in->policy.quarantine)
			q = 1;
	for (a = 0; a < fc->naud; a++)
		if (fc->aud[a].over > 0 &&
		    fc->aud[a].over_max >= fc->aud[a].in->policy.quarantine)
			q = 1;
	return q;
}

/* The overflow finding of auditor ai: how many of its findings were left
 * out, at the highest severity among them, with the tally by severity in
 * its reason. It stands for `count` findings. */
static void
overflow_finding(const struct findings *fc, int ai, struct row_finding *f)
{
	const struct faudit *a = &fc->aud[ai];
	size_t len;
	int s;

	memset(f, 0, sizeof(*f));
	f->in = a->in;
	f->threshold = a->threshold;
	f->sev = a->over_max;
	f->synthetic = a->over_synthetic == a->over;
	f->count = a->over;
	snprintf(f->kind, sizeof(f->kind), "overflow");
	len = (size_t)snprintf(f->reason, sizeof(f->reason), "%" PRId64
			       " findings not stored (at most %d a row):",
			       a->over, FINDINGS_MAX_ROW);
	for (s = AUDIT_CRITICAL; s >= AUDIT_INFO && len < sizeof(f->reason);
	     s--)
		if (a->over_sev[s] > 0)
			len += (size_t)snprintf(f->reason + len,
				sizeof(f->reason) - len, " %" PRId64 " %s",
				a->over_sev[s],
				audit_severity_name((enum audit_severity)s));
	if (len < sizeof(f->reason))
		snprintf(f->reason + len, sizeof(f->reason) - len,
			 ", %" PRId64 " synthetic", a->over_synthetic);
}

int
findings_each(struct findings *fc,
	      int (*fn)(void *ud, const struct row_finding *f), void *ud)
{
	struct row_finding over;
	int i, rc;

	for (i = 0; i < fc->nfound; i++)
		if ((rc = fn(ud, &fc->found[i])) != 0)
			return rc;
	for (i = 0; i < fc->naud; i++) {
		if (fc->aud[i].over == 0)
			continue;
		overflow_finding(fc, i, &over);
		if ((rc = fn(ud, &over)) != 0)
			return rc;
	}
	return 0;
}

sqlite3_stmt *
findings_insert_prepare(struct dataset *ds, struct pf_error *err)
{
	struct buf sql;
	sqlite3_stmt *st;

	buf_init(&sql, 1 << 14);
	if (tablesql_insert(dataset_table_find("audit_finding"), &sql) != 0) {
		buf_free(&sql);
		pf_error_set(err, "out of memory");
		return NULL;
	}
	st = dataset_prepare(ds, sql.data, err);
	buf_free(&sql);
	return st;
}

int
findings_insert(struct dataset *ds, sqlite3_stmt *st, const char *name,
		const char *version, const char *table, const char *row_id,
		const struct row_finding *f, int quarantined,
		struct pf_error *err)
{
	struct rowsum_bind b;
	int rc;

	/* The same columns, in the same order and with the same checksum,
	 * as the writer's findings (output/rowsum.h). */
	if (rowsum_bind_begin(&b, st, dataset_table_find("audit_finding")))
		return pf_error_set(err, "audit_finding has no row_sum");
	rowsum_bind_text(&b, name);
	rowsum_bind_text(&b, version);
	rowsum_bind_text(&b, table);
	rowsum_bind_text(&b, row_id);
	rowsum_bind_text(&b, f->field);
	rowsum_bind_text(&b, f->kind);
	rowsum_bind_text(&b, audit_severity_name(f->sev));
	rowsum_bind_int(&b, f->synthetic);
	rowsum_bind_text(&b, f->masked);
	rowsum_bind_text(&b, f->reason);
	rowsum_bind_int(&b, (int64_t)f->offset);
	rowsum_bind_text(&b, f->threshold);
	rowsum_bind_int(&b, quarantined);
	rowsum_bind_int(&b, f->count);
	rowsum_bind_end(&b);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return pf_error_set(err, "cannot store a finding: %s",
				    sqlite3_errmsg(ds->db));
	return 0;
}
