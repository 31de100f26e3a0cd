/* writer.c - dataset row writers with in-stream auditing (see writer.h). */
#include "config.h"
#include "output/writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auditors/auditor.h"
#include "engine/buf.h"

#define MAX_ROW_FINDINGS 256   /* stored per row; more are counted only */

enum {
	S_RUN, S_PERSONA, S_NARRATIVE, S_TURN, S_DOC, S_FACT, S_QA,
	S_QA_EV_DEL, S_QA_EV, S_PAIR, S_FIND, S_FIND_DEL, S_N
};

static const char *const sql[S_N] = {
	[S_RUN] = "INSERT INTO run(id, name, config, config_hash, seed,"
		  " personas, version, backend, model, created_at, updated_at)"
		  " VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)"
		  " ON CONFLICT(id) DO UPDATE SET name = ?1, config = ?2,"
		  " config_hash = ?3, seed = ?4, personas = ?5, version = ?6,"
		  " backend = ?7, model = ?8, updated_at = ?9",
	[S_NARRATIVE] = "INSERT OR REPLACE INTO narrative VALUES"
			" (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[S_TURN] = "INSERT OR REPLACE INTO backstory_turn VALUES"
		   " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[S_DOC] = "INSERT OR REPLACE INTO document VALUES"
		  " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[S_FACT] = "INSERT OR REPLACE INTO fact VALUES"
		   " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[S_QA] = "INSERT OR REPLACE INTO qa VALUES"
		 " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[S_QA_EV_DEL] = "DELETE FROM qa_evidence WHERE qa_id = ?1",
	[S_QA_EV] = "INSERT OR IGNORE INTO qa_evidence VALUES (?1, ?2)",
	[S_PAIR] = "INSERT OR REPLACE INTO preference_pair VALUES"
		   " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
		   " ?14, ?15)",
	[S_FIND] = "INSERT INTO audit_finding(auditor, auditor_version,"
		   " row_table, row_id, field, kind, severity, synthetic,"
		   " masked, reason, offset, threshold, quarantined)"
		   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
		   " ?12, ?13)",
	[S_FIND_DEL] = "DELETE FROM audit_finding WHERE row_table = ?1"
		       " AND row_id = ?2",
};

struct finding {
	const struct auditor *a;
	const char *field;
	const char *kind, *reason;
	enum audit_severity sev;
	int synthetic;
	size_t offset;
	char masked[64];
};

struct writer {
	struct dataset *ds;
	sqlite3_stmt *st[S_N];
	const struct auditor *auditors[8];
	int nauditors;
	int quarantine_sev, gate_sev;
	char threshold[64];
	struct finding found[MAX_ROW_FINDINGS];
	int nfound;
	const struct auditor *cur_auditor;
	const char *cur_field;
	struct writer_stats stats;
};

/* The persona insert has one parameter per field of the field table. */
static char *
persona_sql(void)
{
	struct buf b;
	size_t i;

	buf_init(&b, 1 << 16);
	buf_puts(&b, "INSERT OR REPLACE INTO persona VALUES (?");
	for (i = 0; i <= persona_nfields; i++)
		buf_puts(&b, ", ?");
	if (buf_puts(&b, ")") != 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}

static int
prepare_all(struct writer *w, struct pf_error *err)
{
	char *psql = persona_sql();
	int i;

	if (psql == NULL)
		return pf_error_set(err, "out of memory");
	w->st[S_PERSONA] = dataset_prepare(w->ds, psql, err);
	free(psql);
	if (w->st[S_PERSONA] == NULL)
		return -1;
	for (i = 0; i < S_N; i++) {
		if (i == S_PERSONA)
			continue;
		w->st[i] = dataset_prepare(w->ds, sql[i], err);
		if (w->st[i] == NULL)
			return -1;
	}
	return 0;
}

int
writer_open(struct dataset *ds, const struct pf_config *cfg,
	    struct writer **out, struct pf_error *err)
{
	struct writer *w;

	*out = NULL;
	w = calloc(1, sizeof(*w));
	if (w == NULL)
		return pf_error_set(err, "out of memory");
	w->ds = ds;
	if (cfg->pii)
		w->auditors[w->nauditors++] = &auditor_pii;
	w->quarantine_sev = cfg->quarantine_severity;
	w->gate_sev = cfg->gate_severity;
	snprintf(w->threshold, sizeof(w->threshold), "quarantine>=%s",
		 audit_severity_name((enum audit_severity)w->quarantine_sev));
	if (prepare_all(w, err) != 0) {
		writer_close(w);
		return -1;
	}
	*out = w;
	return 0;
}

void
writer_close(struct writer *w)
{
	int i;

	if (w == NULL)
		return;
	for (i = 0; i < S_N; i++)
		sqlite3_finalize(w->st[i]);
	free(w);
}

const char *
writer_errmsg(const struct writer *w)
{
	return sqlite3_errmsg(w->ds->db);
}

void
writer_get_stats(const struct writer *w, struct writer_stats *out)
{
	*out = w->stats;
}

static void
bt(sqlite3_stmt *st, int i, const char *s)
{
	sqlite3_bind_text(st, i, s ? s : "", -1, SQLITE_STATIC);
}

static int
step(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static void
on_finding(void *ud, const char *kind, enum audit_severity sev,
	   int synthetic, const char *masked, const char *reason,
	   size_t offset)
{
	struct writer *w = ud;
	struct finding *f;

	w->stats.findings[sev <= AUDIT_CRITICAL ? sev : AUDIT_CRITICAL]++;
	if (synthetic)
		w->stats.synthetic++;
	else if ((int)sev >= w->gate_sev)
		w->stats.gate_hits++;
	if (w->nfound >= MAX_ROW_FINDINGS)
		return;
	f = &w->found[w->nfound++];
	f->a = w->cur_auditor;
	f->field = w->cur_field;
	f->kind = kind;
	f->reason = reason;
	f->sev = sev;
	f->synthetic = synthetic;
	f->offset = offset;
	snprintf(f->masked, sizeof(f->masked), "%s", masked ? masked : "");
}

/* Scan the named text fields of one row (names[i] holds texts[i]) with
 * every enabled auditor. Returns 1 if the row must be quarantined. */
static int
scan_row(struct writer *w, const char *const *names,
	 const char *const *texts, int n)
{
	int a, i, q = 0;

	w->nfound = 0;
	for (a = 0; a < w->nauditors; a++) {
		w->cur_auditor = w->auditors[a];
		for (i = 0; i < n; i++) {
			if (texts[i] == NULL)
				continue;
			w->cur_field = names[i];
			w->auditors[a]->scan_text(texts[i], strlen(texts[i]),
						  on_finding, w);
		}
	}
	for (i = 0; i < w->nfound; i++)
		if ((int)w->found[i].sev >= w->quarantine_sev)
			q = 1;
	return q;
}

static int
store_findings(struct writer *w, const char *table, const char *row_id,
	       int quarantined)
{
	sqlite3_stmt *st = w->st[S_FIND];
	const struct finding *f;
	int i;

	for (i = 0; i < w->nfound; i++) {
		f = &w->found[i];
		bt(st, 1, f->a->name);
		bt(st, 2, f->a->version);
		bt(st, 3, table);
		bt(st, 4, row_id);
		bt(st, 5, f->field);
		bt(st, 6, f->kind);
		bt(st, 7, audit_severity_name(f->sev));
		sqlite3_bind_int(st, 8, f->synthetic);
		bt(st, 9, f->masked);
		bt(st, 10, f->reason);
		sqlite3_bind_int64(st, 11, (int64_t)f->offset);
		bt(st, 12, w->threshold);
		sqlite3_bind_int(st, 13, quarantined);
		if (step(st) != 0)
			return -1;
	}
	return 0;
}

/* Audit a row before it is written: drop the findings of an earlier
 * version of the row, scan, store findings. Returns the quarantine flag
 * (0/1), or -1 on a write error. */
static int
audit(struct writer *w, const char *table, const char *row_id,
      const char *const *names, const char *const *texts, int n, int rerun)
{
	int q;

	if (rerun) {
		bt(w->st[S_FIND_DEL], 1, table);
		bt(w->st[S_FIND_DEL], 2, row_id);
		if (step(w->st[S_FIND_DEL]) != 0)
			return -1;
	}
	q = scan_row(w, names, texts, n);
	if (q)
		w->stats.quarantined++;
	return store_findings(w, table, row_id, q) == 0 ? q : -1;
}

int
writer_run(struct writer *w, const struct pf_config *cfg,
	   const char *config_json, const char *backend, const char *model)
{
	sqlite3_stmt *st = w->st[S_RUN];
	char now[32];
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
	bt(st, 1, cfg->name);
	bt(st, 2, config_json);
	bt(st, 3, cfg->config_hash);
	sqlite3_bind_int64(st, 4, (int64_t)cfg->seed);
	sqlite3_bind_int64(st, 5, cfg->personas);
	bt(st, 6, PACKAGE_VERSION);
	bt(st, 7, backend);
	bt(st, 8, model);
	bt(st, 9, now);
	return step(st);
}

int
writer_persona(struct writer *w, const struct persona *p)
{
	sqlite3_stmt *st = w->st[S_PERSONA];
	const struct persona_field *f;
	size_t i;

	sqlite3_bind_int64(st, 1, (int64_t)p->index);
	for (i = 0; i < persona_nfields; i++) {
		f = &persona_fields[i];
		if (f->type == PERSONA_INT)
			sqlite3_bind_int64(st, (int)i + 2, f->num(p));
		else
			bt(st, (int)i + 2, f->text(p));
	}
	sqlite3_bind_int(st, (int)persona_nfields + 2, 0);
	return step(st);
}

int
writer_narrative(struct writer *w, int64_t persona_id, const char *item_id,
		 const char *const f[WRITER_NARRATIVE_FIELDS], int rerun)
{
	static const char *const names[WRITER_NARRATIVE_FIELDS] = {
		"cultural_background", "skills_and_expertise",
		"hobbies_and_interests", "career_goals_and_ambitions",
		"concise_persona"
	};
	sqlite3_stmt *st = w->st[S_NARRATIVE];
	char rid[32];
	int q, i;

	snprintf(rid, sizeof(rid), "%lld", (long long)persona_id);
	q = audit(w, "narrative", rid, names, f, WRITER_NARRATIVE_FIELDS,
		  rerun);
	if (q < 0)
		return -1;
	sqlite3_bind_int64(st, 1, persona_id);
	bt(st, 2, item_id);
	for (i = 0; i < WRITER_NARRATIVE_FIELDS; i++)
		bt(st, 3 + i, f[i]);
	sqlite3_bind_int(st, 8, q);
	return step(st);
}

int
writer_turn(struct writer *w, int64_t persona_id, const char *uid, int turn,
	    const char *item_id, const char *qkey, const char *question,
	    const char *answer, int rerun)
{
	static const char *const names[] = { "answer" };
	sqlite3_stmt *st = w->st[S_TURN];
	char tid[64];
	int q;

	snprintf(tid, sizeof(tid), "%s-t%d", uid, turn);
	q = audit(w, "backstory_turn", tid, names, &answer, 1, rerun);
	if (q < 0)
		return -1;
	bt(st, 1, tid);
	sqlite3_bind_int64(st, 2, persona_id);
	sqlite3_bind_int(st, 3, turn);
	bt(st, 4, item_id);
	bt(st, 5, qkey);
	bt(st, 6, question);
	bt(st, 7, answer);
	sqlite3_bind_int(st, 8, q);
	return step(st);
}

int
writer_document(struct writer *w, int64_t persona_id, const char *doc_id,
		int idx, const char *item_id, const char *type,
		const char *title, const char *content, int rerun)
{
	static const char *const names[] = { "title", "content" };
	const char *texts[] = { title, content };
	sqlite3_stmt *st = w->st[S_DOC];
	int q;

	q = audit(w, "document", doc_id, names, texts, 2, rerun);
	if (q < 0)
		return -1;
	bt(st, 1, doc_id);
	sqlite3_bind_int64(st, 2, persona_id);
	sqlite3_bind_int(st, 3, idx);
	bt(st, 4, item_id);
	bt(st, 5, type);
	bt(st, 6, title);
	bt(st, 7, content);
	sqlite3_bind_int(st, 8, q);
	return step(st);
}

int
writer_fact(struct writer *w, int64_t persona_id, const char *fact_id,
	    int idx, const char *key, const char *value, const char *category,
	    const char *doc_id, int rerun)
{
	static const char *const names[] = { "fact_value" };
	sqlite3_stmt *st = w->st[S_FACT];
	int q;

	q = audit(w, "fact", fact_id, names, &value, 1, rerun);
	if (q < 0)
		return -1;
	bt(st, 1, fact_id);
	sqlite3_bind_int64(st, 2, persona_id);
	sqlite3_bind_int(st, 3, idx);
	bt(st, 4, key);
	bt(st, 5, value);
	bt(st, 6, category);
	bt(st, 7, doc_id);
	sqlite3_bind_int(st, 8, q);
	return step(st);
}

static int
qa_evidence(struct writer *w, const char *qa_id, const char *const *ev,
	    int n)
{
	int i;

	bt(w->st[S_QA_EV_DEL], 1, qa_id);
	if (step(w->st[S_QA_EV_DEL]) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		bt(w->st[S_QA_EV], 1, qa_id);
		bt(w->st[S_QA_EV], 2, ev[i]);
		if (step(w->st[S_QA_EV]) != 0)
			return -1;
	}
	return 0;
}

int
writer_qa(struct writer *w, int64_t persona_id, const char *qa_id, int idx,
	  const char *item_id, const char *fact_id, const char *qtype,
	  const char *difficulty, const char *question, const char *answer,
	  const char *const *evidence, int nevidence, int rerun)
{
	static const char *const names[] = { "question", "answer" };
	const char *texts[] = { question, answer };
	sqlite3_stmt *st = w->st[S_QA];
	int q;

	q = audit(w, "qa", qa_id, names, texts, 2, rerun);
	if (q < 0)
		return -1;
	bt(st, 1, qa_id);
	sqlite3_bind_int64(st, 2, persona_id);
	sqlite3_bind_int(st, 3, idx);
	bt(st, 4, item_id);
	bt(st, 5, fact_id);
	bt(st, 6, qtype);
	bt(st, 7, difficulty);
	bt(st, 8, question);
	bt(st, 9, answer);
	sqlite3_bind_int(st, 10, q);
	if (step(st) != 0)
		return -1;
	return qa_evidence(w, qa_id, evidence, nevidence);
}

int
writer_pair(struct writer *w, int64_t persona_id, const struct writer_pair *p,
	    int rerun)
{
	static const char *const names[] = { "question", "chosen", "rejected",
		"judge_rationale" };
	const char *texts[] = { p->question, p->chosen, p->rejected,
		p->rationale };
	sqlite3_stmt *st = w->st[S_PAIR];
	int q;

	q = audit(w, "preference_pair", p->pair_id, names, texts, 4, rerun);
	if (q < 0)
		return -1;
	bt(st, 1, p->pair_id);
	sqlite3_bind_int64(st, 2, persona_id);
	sqlite3_bind_int(st, 3, p->idx);
	bt(st, 4, p->item_id);
	bt(st, 5, p->judge_item_id);
	bt(st, 6, p->question);
	bt(st, 7, p->chosen);
	bt(st, 8, p->rejected);
	bt(st, 9, p->view_chosen);
	bt(st, 10, p->view_rejected);
	bt(st, 11, p->verdict);
	sqlite3_bind_int(st, 12, p->certainty);
	bt(st, 13, p->rationale);
	bt(st, 14, p->judge_model);
	sqlite3_bind_int(st, 15, q);
	return step(st);
}
