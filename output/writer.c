/* writer.c - dataset row writers with in-stream auditing (see writer.h). */
#include "config.h"
#include "output/writer.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auditors/auditor.h"
#include "base/buf.h"
#include "engine/sqlq.h"
#include "output/rowsum.h"
#include "output/findings.h"
#include "output/tablesql.h"

enum {
	S_RUN, S_PERSONA, S_NARRATIVE, S_TURN, S_DOC, S_FACT, S_QA,
	S_QA_EV_DEL, S_QA_EV, S_PAIR, S_FIND, S_FIND_DEL, S_CQA, S_CONTACT, S_MCQ, S_N
};

/* Every statement is derived from the table registry (output/tables.h):
 * the insert of a table (by its write rule, parameters in column order)
 * or the delete of its rows by their id columns. */
static const struct {
	const char *table;
	int del;
} stmt_of[S_N] = {
	[S_RUN] = { "run", 0 },
	[S_PERSONA] = { "persona", 0 },
	[S_NARRATIVE] = { "narrative", 0 },
	[S_TURN] = { "backstory_turn", 0 },
	[S_DOC] = { "document", 0 },
	[S_FACT] = { "fact", 0 },
	[S_QA] = { "qa", 0 },
	[S_QA_EV_DEL] = { "qa_evidence", 1 },
	[S_QA_EV] = { "qa_evidence", 0 },
	[S_PAIR] = { "preference_pair", 0 },
	[S_FIND] = { "audit_finding", 0 },
	[S_FIND_DEL] = { "audit_finding", 1 },
	[S_CQA] = { "cqa", 0 },
	[S_CONTACT] = { "contact", 0 },
	[S_MCQ] = { "mcq", 0 },
};

struct writer {
	struct sqlq *q;
	int st[S_N];                /* statement ids in the queue */
	/* Which parameters of each insert the row checksum covers
	 * (rowsum_params) and how many come before the sum; nsum[] is -1
	 * for a delete. acc sums the row being queued. */
	unsigned char summed[S_N][DATASET_MAX_COLS];
	int nsum[S_N];
	int summing;                /* the statement queued is an insert */
	struct rowsum_acc acc;
	int del[DATASET_MAX_TABLES]; /* writer_forget's deletes, by table */
	struct findings *fc;        /* the findings of the row being written */
	char errmsg[512];
};

/* Prepare the registry's SQL for table `name` (its delete if del). */
static int
prepare_one(struct writer *w, const char *name, int del, int *id,
	    struct pf_error *err)
{
	const struct dataset_table *t = dataset_table_find(name);
	struct buf b;
	int rc;

	if (t == NULL)
		return pf_error_set(err, "no dataset table %s", name);
	buf_init(&b, 1 << 16);
	rc = del ? tablesql_delete(t, &b) : tablesql_insert(t, &b);
	if (rc != 0)
		rc = pf_error_set(err, "out of memory");
	else
		rc = sqlq_prepare(w->q, b.data, id, err);
	buf_free(&b);
	return rc;
}

/* The writers' statements, and a delete for every table whose rows
 * writer_forget can drop (per-persona rows, and the rows they own). */
static int
prepare_all(struct writer *w, struct pf_error *err)
{
	const struct dataset_table *t;
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < S_N; i++) {
		rc = prepare_one(w, stmt_of[i].table, stmt_of[i].del,
				 &w->st[i], err);
		w->nsum[i] = stmt_of[i].del ? -1 :
			rowsum_params(dataset_table_find(stmt_of[i].table),
				      w->summed[i], DATASET_MAX_COLS);
		if (rc == 0 && !stmt_of[i].del && w->nsum[i] < 0)
			rc = pf_error_set(err, "dataset table %s has no "
					  "row_sum as its last column",
					  stmt_of[i].table);
	}
	for (i = 0; rc == 0 && i < dataset_ntables; i++) {
		t = &dataset_tables[i];
		if (t->role == DATASET_ONE || t->role == DATASET_LIST ||
		    t->role == DATASET_SUB)
			rc = prepare_one(w, t->name, 1, &w->del[i], err);
	}
	return rc;
}

int
writer_open(struct sqlq *q, const struct audit_instance *auditors,
	    size_t nauditors, struct writer **out, struct pf_error *err)
{
	struct writer *w;

	*out = NULL;
	w = calloc(1, sizeof(*w));
	if (w == NULL)
		return pf_error_set(err, "out of memory");
	w->q = q;
	if (findings_new(auditors, nauditors, &w->fc, err) != 0 ||
	    prepare_all(w, err) != 0) {
		writer_close(w);
		return -1;
	}
	*out = w;
	return 0;
}

void
writer_close(struct writer *w)
{
	if (w != NULL)
		findings_free(w->fc);
	free(w);
}

const char *
writer_errmsg(const struct writer *w)
{
	struct writer *mw = (struct writer *)w;

	if (!sqlq_failed(w->q, mw->errmsg, sizeof(mw->errmsg)))
		snprintf(mw->errmsg, sizeof(mw->errmsg), "no error");
	return w->errmsg;
}

/* Statement executions are queued; a write error surfaces later through
 * the queue (sqlq_failed), so these cannot fail here. */
static void
BEGIN(struct writer *w, int stmt)
{
	sqlq_begin(w->q, w->st[stmt]);
	w->summing = w->nsum[stmt] >= 0;
	rowsum_acc_begin(&w->acc, w->summed[stmt], w->nsum[stmt]);
}

/* Begin a statement that carries no checksum (the deletes). */
static void
BEGIN_RAW(struct writer *w, int id)
{
	sqlq_begin(w->q, id);
	w->summing = 0;
	rowsum_acc_begin(&w->acc, NULL, 0);
}

static void
T(struct writer *w, const char *v)
{
	rowsum_acc_text(&w->acc, v);
	sqlq_text(w->q, v != NULL ? v : "");
}

static void
I(struct writer *w, int64_t v)
{
	rowsum_acc_int(&w->acc, v);
	sqlq_int(w->q, v);
}

/* End the statement, binding the row checksum last on an insert. */
static int
END(struct writer *w)
{
	if (w->summing)
		sqlq_int(w->q, rowsum_acc_final(&w->acc));
	sqlq_end(w->q);
	return 0;
}

/* The row a finding is stored for. */
struct store_ctx {
	struct writer *w;
	const char *table, *row_id;
	int quarantined;
};

/* findings_each callback: queue one audit_finding row. */
static int
store_one(void *ud, const struct row_finding *f)
{
	const struct store_ctx *c = ud;
	struct writer *w = c->w;

	BEGIN(w, S_FIND);
	T(w, f->in->auditor->name);
	T(w, f->in->auditor->version);
	T(w, c->table);
	T(w, c->row_id);
	T(w, f->field);
	T(w, f->kind);
	T(w, audit_severity_name(f->sev));
	I(w, f->synthetic);
	T(w, f->masked);
	T(w, f->reason);
	I(w, (int64_t)f->offset);
	T(w, f->threshold);
	I(w, c->quarantined);
	I(w, f->count);
	return END(w);
}

/* Audit a row before it is written: drop the findings of an earlier
 * version of the row, scan its text fields (names[i] holds texts[i]),
 * store findings. Returns the quarantine flag (0/1), or -1 on a write
 * error. */
static int
audit(struct writer *w, const char *table, const char *row_id,
      int64_t persona_id, const char *const *names,
      const char *const *texts, size_t n, int rerun)
{
	const struct audit_row row = { table, row_id, persona_id, n, names,
				       texts, NULL, NULL };
	struct store_ctx c = { w, table, row_id, 0 };

	if (rerun) {
		BEGIN(w, S_FIND_DEL);
		T(w, table);
		T(w, row_id);
		if (END(w) != 0)
			return -1;
	}
	c.quarantined = findings_scan(w->fc, &row);
	return findings_each(w->fc, store_one, &c) == 0 ? c.quarantined : -1;
}

int
writer_run(struct writer *w, const struct pf_config *cfg,
	   const struct writer_run_info *ri)
{
	char now[32];
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
	BEGIN(w, S_RUN);
	I(w, 1);
	T(w, cfg->name);
	T(w, ri->config_json);
	T(w, cfg->config_hash);
	I(w, (int64_t)cfg->seed);
	I(w, cfg->personas);
	T(w, PACKAGE_VERSION);
	T(w, ri->backend);
	T(w, ri->model);
	T(w, now);
	T(w, now);
	T(w, ri->stages_json);
	I(w, ri->shard_index);
	I(w, ri->shard_count);
	return END(w);
}

int
writer_persona(struct writer *w, const struct persona *p,
	       int64_t community, const char *canary, const char *profile)
{
	const struct persona_field *f;
	size_t i;

	BEGIN(w, S_PERSONA);
	I(w, (int64_t)p->index);
	for (i = 0; i < persona_nfields; i++) {
		f = &persona_fields[i];
		if (f->type == PERSONA_INT)
			I(w, f->num(p));
		else
			T(w, f->text(p));
	}
	I(w, 0);
	I(w, community);
	T(w, canary);
	T(w, profile);
	return END(w);
}

int
writer_contact(struct writer *w, int64_t persona_id,
	       const struct writer_contact *c)
{
	BEGIN(w, S_CONTACT);
	T(w, c->contact_id);
	I(w, persona_id);
	I(w, c->idx);
	T(w, c->name);
	T(w, c->sex);
	I(w, c->age);
	T(w, c->relationship);
	T(w, c->relation);
	T(w, c->description);
	T(w, c->job);
	T(w, c->city);
	T(w, c->likes);
	T(w, c->shared_id);
	I(w, 0);
	return END(w);
}

/* The narrative reply's keys, which are also its column names. */
const char *const writer_narrative_fields[WRITER_NARRATIVE_FIELDS] = {
	"cultural_background", "skills_and_expertise",
	"hobbies_and_interests", "career_goals_and_ambitions",
	"concise_persona",
	/* schema version 6 */
	"cultural_background_list", "skills_and_expertise_list",
	"hobbies_and_interests_list", "career_goals_and_ambitions_list",
	"professional_persona", "finance_persona", "healthcare_persona",
	"sports_persona", "arts_persona", "travel_persona",
	"culinary_persona", "detailed_persona"
};

int
writer_narrative(struct writer *w, int64_t persona_id, const char *uid,
		 const char *item_id,
		 const char *const f[WRITER_NARRATIVE_FIELDS], int redraws,
		 int rerun)
{
	int q, i;

	q = audit(w, "narrative", uid, persona_id, writer_narrative_fields,
		  f, WRITER_NARRATIVE_FIELDS, rerun);
	if (q < 0)
		return -1;
	BEGIN(w, S_NARRATIVE);
	I(w, persona_id);
	T(w, item_id);
	for (i = 0; i < WRITER_NARRATIVE_FIELDS; i++)
		T(w, f[i]);
	I(w, q);
	I(w, redraws);
	return END(w);
}

int
writer_turn(struct writer *w, int64_t persona_id, const char *tid, int turn,
	    const char *item_id, const char *qkey, const char *question,
	    const char *answer, const char *critic, int rerun)
{
	static const char *const names[] = { "answer" };
	int q;

	q = audit(w, "backstory_turn", tid, persona_id, names, &answer, 1,
		  rerun);
	if (q < 0)
		return -1;
	BEGIN(w, S_TURN);
	T(w, tid);
	I(w, persona_id);
	I(w, turn);
	T(w, item_id);
	T(w, qkey);
	T(w, question);
	T(w, answer);
	T(w, critic);
	I(w, q);
	return END(w);
}

int
writer_document(struct writer *w, int64_t persona_id, const char *doc_id,
		int idx, const char *item_id, const char *type,
		const char *title, const char *content,
		const struct writer_session *s, int rerun)
{
	static const char *const names[] = { "title", "content", "entries" };
	const char *texts[] = { title, content, s->entries };
	int q;

	q = audit(w, "document", doc_id, persona_id, names, texts, 3, rerun);
	if (q < 0)
		return -1;
	BEGIN(w, S_DOC);
	T(w, doc_id);
	I(w, persona_id);
	I(w, idx);
	T(w, item_id);
	T(w, type);
	T(w, title);
	T(w, content);
	I(w, q);
	T(w, s->session_id);
	T(w, s->segment_id);
	T(w, s->timestamp);
	T(w, s->participants);
	I(w, s->noise);
	T(w, s->contact_id);
	T(w, s->entries);
	return END(w);
}

int
writer_fact(struct writer *w, int64_t persona_id, const char *fact_id,
	    int idx, const char *key, const char *value, const char *category,
	    const char *doc_id, const char *relation, const char *sex,
	    const struct writer_timeline *tl, int rerun)
{
	static const char *const names[] = { "fact_value" };
	int q;

	q = audit(w, "fact", fact_id, persona_id, names, &value, 1, rerun);
	if (q < 0)
		return -1;
	BEGIN(w, S_FACT);
	T(w, fact_id);
	I(w, persona_id);
	I(w, idx);
	T(w, key);
	T(w, value);
	T(w, category);
	T(w, doc_id);
	T(w, relation ? relation : "");
	T(w, sex ? sex : "");
	I(w, q);
	T(w, tl->statement);
	T(w, tl->clue);
	T(w, tl->valid_from);
	T(w, tl->valid_to);
	T(w, tl->supersedes);
	T(w, tl->reason);
	T(w, tl->period);
	T(w, tl->doc_ids);
	return END(w);
}

static int
qa_evidence(struct writer *w, const char *qa_id, const char *const *ev,
	    int n, int rerun)
{
	int i;

	if (rerun) {
		BEGIN(w, S_QA_EV_DEL);
		T(w, qa_id);
		END(w);
	}
	for (i = 0; i < n; i++) {
		BEGIN(w, S_QA_EV);
		T(w, qa_id);
		T(w, ev[i]);
		if (END(w) != 0)
			return -1;
	}
	return 0;
}

int
writer_qa(struct writer *w, int64_t persona_id, const char *qa_id, int idx,
	  const char *item_id, const char *fact_id, const char *qtype,
	  const char *difficulty, const char *question, const char *answer,
	  const char *const *evidence, int nevidence,
	  const struct writer_qa_extra *x, int rerun)
{
	static const char *const names[] = { "question", "answer" };
	const char *texts[] = { question, answer };
	int q;

	q = audit(w, "qa", qa_id, persona_id, names, texts, 2, rerun);
	if (q < 0)
		return -1;
	BEGIN(w, S_QA);
	T(w, qa_id);
	I(w, persona_id);
	I(w, idx);
	T(w, item_id);
	T(w, fact_id);
	T(w, qtype);
	T(w, difficulty);
	T(w, question);
	T(w, answer);
	I(w, q);
	T(w, x->answer_type);
	T(w, x->answer_list);
	T(w, x->outdated_value);
	T(w, x->evidence_items);
	if (END(w) != 0)
		return -1;
	return qa_evidence(w, qa_id, evidence, nevidence, rerun);
}

int
writer_pair(struct writer *w, int64_t persona_id, const struct writer_pair *p,
	    int rerun)
{
	static const char *const names[] = { "question", "chosen", "rejected",
		"judge_rationale" };
	const char *texts[] = { p->question, p->chosen, p->rejected,
		p->rationale };
	int q;

	q = audit(w, "preference_pair", p->pair_id, persona_id, names, texts,
		  4, rerun);
	if (q < 0)
		return -1;
	BEGIN(w, S_PAIR);
	T(w, p->pair_id);
	I(w, persona_id);
	I(w, p->idx);
	T(w, p->item_id);
	T(w, p->judge_item_id);
	T(w, p->question);
	T(w, p->chosen);
	T(w, p->rejected);
	T(w, p->view_chosen);
	T(w, p->view_rejected);
	T(w, p->verdict);
	I(w, p->certainty);
	T(w, p->rationale);
	T(w, p->judge_model);
	T(w, p->question_trait);
	T(w, p->view_axis);
	T(w, p->judgements);
	T(w, p->label);
	T(w, p->bpde);
	I(w, p->dropped);
	T(w, p->user_desc);
	T(w, p->view_stated ? p->view_stated : "");
	I(w, q);
	return END(w);
}

int
writer_cqa(struct writer *w, int64_t persona_id, const struct writer_cqa *c,
	   int rerun)
{
	static const char *const names[] = { "title", "body", "answer" };
	const char *texts[] = { c->title, c->body, c->answer };
	int q;

	q = audit(w, "cqa", c->cqa_id, persona_id, names, texts, 3, rerun);
	if (q < 0)
		return -1;
	BEGIN(w, S_CQA);
	T(w, c->cqa_id);
	I(w, persona_id);
	I(w, c->idx);
	T(w, c->item_id);
	T(w, c->question_id);
	T(w, c->community);
	T(w, c->technique);
	T(w, c->asker_id);
	T(w, c->answerer_id);
	I(w, c->timestamp);
	T(w, c->title);
	T(w, c->body);
	T(w, c->tags);
	T(w, c->top5_tags);
	T(w, c->tag_overlap);
	T(w, c->answer);
	T(w, c->user_questions);
	I(w, q);
	return END(w);
}

int
writer_mcq(struct writer *w, int64_t persona_id, const struct writer_mcq *m,
	   int rerun)
{
	static const char *const names[] = { "question", "options" };
	const char *texts[] = { m->question, m->options };
	int q;

	q = audit(w, "mcq", m->mcq_id, persona_id, names, texts, 2, rerun);
	if (q < 0)
		return -1;
	BEGIN(w, S_MCQ);
	T(w, m->mcq_id);
	I(w, persona_id);
	I(w, m->idx);
	T(w, m->item_id);
	T(w, m->question_type);
	T(w, m->topic);
	T(w, m->fact_id);
	T(w, m->doc_id);
	T(w, m->question);
	T(w, m->options);
	T(w, m->correct_answer);
	T(w, m->option_users);
	I(w, m->distance_blocks);
	I(w, m->distance_tokens);
	I(w, q);
	return END(w);
}

int
writer_forget(struct writer *w, const char *table, const char *row_id)
{
	const struct dataset_table *t = dataset_table_find(table);
	size_t i;

	if (t == NULL || (t->role != DATASET_ONE && t->role != DATASET_LIST))
		return -1;
	/* The row, then the rows it owns (a QA item's evidence). */
	BEGIN_RAW(w, w->del[dataset_table_index(t)]);
	T(w, row_id);
	END(w);
	for (i = 0; i < dataset_ntables; i++)
		if (dataset_tables[i].owner != NULL &&
		    strcmp(dataset_tables[i].owner, table) == 0) {
			BEGIN_RAW(w, w->del[i]);
			T(w, row_id);
			END(w);
		}
	BEGIN(w, S_FIND_DEL);
	T(w, table);
	T(w, row_id);
	return END(w);
}
