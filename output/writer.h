/* writer.h - dataset row writers with in-stream auditing.
 *
 * Every dataset row goes through one function here. Before a row is
 * inserted it is handed to the scan_row of each auditor the caller
 * enabled (the writer names none); findings go to audit_finding with the
 * auditor's name, version and quarantine threshold, and a row with a
 * finding at or above its auditor's quarantine severity is stored with
 * quarantined = 1 (kept, marked, left out of exports by default). A row's
 * findings are never dropped: at most 256 are stored, the most severe
 * first, and the others are counted in one overflow finding per auditor
 * (kind "overflow", `count` the number left out, severity the highest
 * among them, so they quarantine and gate like the rest). Inserts
 * are INSERT OR REPLACE keyed by the row's stable id, so re-accepting an
 * item after a template change replaces its rows; its old findings are
 * deleted first when `rerun` is set.
 *
 * All writes go through the write queue (engine/sqlq.h): statements
 * prepared once on the writer thread's connection, parameters bound, never
 * spliced. The caller marks unit boundaries, so an item's rows commit
 * together with its journal row. Write errors surface through the queue.
 */
#ifndef PF_WRITER_H
#define PF_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "engine/config.h"
#include "base/error.h"
#include "output/dataset.h"
#include "personas/persona.h"

struct writer;

struct audit_instance;
struct sqlq;

/* Prepare the statements in the write queue, which must outlive the
 * writer, as must `auditors` (the enabled ones, in the order they run;
 * at most 16). Call before the queue's first hand-over. Returns 0, or -1
 * with err filled. */
int writer_open(struct sqlq *q, const struct audit_instance *auditors,
		size_t nauditors, struct writer **out, struct pf_error *err);
void writer_close(struct writer *w);   /* accepts NULL */

/* What the run row says besides the config's name, hash, seed and
 * persona count. */
struct writer_run_info {
	const char *config_json;   /* the canonical config */
	const char *backend;       /* "offline" or "openai" */
	const char *model;
	const char *stages_json;   /* per enabled stage, backend and model */
	int64_t shard_index, shard_count;   /* 0 and 1 for a whole build */
};

/* The run row (provenance); replaces the existing one but keeps its
 * created_at. */
int writer_run(struct writer *w, const struct pf_config *cfg,
	       const struct writer_run_info *ri);

/* The persona row, with its community, canary and profile (JSON object
 * text; schema version 6). */
int writer_persona(struct writer *w, const struct persona *p,
		   int64_t community, const char *canary, const char *profile);

/* One contact of a persona (table contact); not audited, like the
 * persona row it belongs to. */
struct writer_contact {
	const char *contact_id, *name, *sex, *relationship, *relation;
	const char *description, *job, *city, *likes;
	const char *shared_id;     /* "" for the persona's own contact */
	int idx, age;
};
int writer_contact(struct writer *w, int64_t persona_id,
		   const struct writer_contact *c);

/* Narrative fields in this order: cultural_background,
 * skills_and_expertise, hobbies_and_interests, career_goals_and_ambitions,
 * concise_persona; then (schema version 6) the four *_list fields
 * (JSON arrays of strings, as text) and the prose facets
 * professional_persona ... detailed_persona. `redraws` (schema version
 * 7): near-duplicate redraws the narrative took (generators/dedup.h). */
#define WRITER_NARRATIVE_FIELDS 17
#define WRITER_NARRATIVE_LIST_FIRST 5  /* fields 5 .. 8 are JSON lists */
#define WRITER_NARRATIVE_NLISTS 4
extern const char *const writer_narrative_fields[WRITER_NARRATIVE_FIELDS];
int writer_narrative(struct writer *w, int64_t persona_id, const char *uid,
		     const char *item_id,
		     const char *const f[WRITER_NARRATIVE_FIELDS], int redraws,
		     int rerun);

/* critic: the interview critic's verdict as JSON text. */
int writer_turn(struct writer *w, int64_t persona_id, const char *turn_id,
		int turn, const char *item_id, const char *qkey,
		const char *question, const char *answer, const char *critic,
		int rerun);

/* The session a document is (schema version 6); participants and
 * entries are JSON array text. */
struct writer_session {
	const char *session_id, *segment_id, *timestamp;
	const char *participants, *contact_id, *entries;
	int noise;
};
int writer_document(struct writer *w, int64_t persona_id, const char *doc_id,
		    int idx, const char *item_id, const char *type,
		    const char *title, const char *content,
		    const struct writer_session *s, int rerun);

/* relation and sex: of a relative ("sister", "female"); NULL (stored as
 * "") for other facts. */
/* A fact's place in the timeline (schema version 6): dates
 * "YYYY-MM-DD" (valid_to "" while current), supersedes a fact id or "",
 * doc_ids JSON array text. */
struct writer_timeline {
	const char *statement, *clue, *valid_from, *valid_to, *supersedes;
	const char *reason, *period, *doc_ids;
};
int writer_fact(struct writer *w, int64_t persona_id, const char *fact_id,
		int idx, const char *key, const char *value,
		const char *category, const char *doc_id,
		const char *relation, const char *sex,
		const struct writer_timeline *tl, int rerun);

/* A QA item's answer shape and evidence (schema version 7): answer_type
 * "string", "number" or "list"; answer_list a JSON array of the items
 * ("null" unless a list); outdated_value a JSON array of values a later
 * event replaced ("null" when none); evidence_items JSON
 * [{"item", "docs": [doc ids, the main session first]}]. */
struct writer_qa_extra {
	const char *answer_type, *answer_list, *outdated_value;
	const char *evidence_items;
};
int writer_qa(struct writer *w, int64_t persona_id, const char *qa_id,
	      int idx, const char *item_id, const char *fact_id,
	      const char *qtype, const char *difficulty, const char *question,
	      const char *answer, const char *const *evidence, int nevidence,
	      const struct writer_qa_extra *x, int rerun);

struct writer_pair {
	const char *pair_id, *item_id, *judge_item_id;
	const char *question, *chosen, *rejected;
	const char *view_chosen, *view_rejected;
	const char *verdict, *rationale, *judge_model;
	int idx, certainty;
	/* Schema version 6: the question's trait (JSON), the views' axis,
	 * every valid judge sample (JSON), the label, BPDE (JSON number)
	 * and the samples dropped. */
	const char *question_trait, *view_axis, *judgements, *label, *bpde;
	int dropped;
	const char *user_desc;      /* FSPO's user description */
	const char *view_stated;    /* the persona's view on the axis, or
				     * "" (schema version 7) */
};
int writer_pair(struct writer *w, int64_t persona_id,
		const struct writer_pair *p, int rerun);

/* One community-QA answer (table cqa); tags, top5_tags, tag_overlap and
 * user_questions are JSON text (arrays, a number). */
struct writer_cqa {
	const char *cqa_id, *item_id, *question_id, *community, *technique;
	const char *asker_id, *answerer_id, *title, *body;
	const char *tags, *top5_tags, *tag_overlap, *answer;
	const char *user_questions;   /* JSON array */
	int idx;
	int64_t timestamp;
};
int writer_cqa(struct writer *w, int64_t persona_id,
	       const struct writer_cqa *c, int rerun);

/* One PersonaMem multiple-choice item (table mcq, schema version 8);
 * options and option_users are JSON arrays of four strings,
 * correct_answer "(a)".."(d)". */
struct writer_mcq {
	const char *mcq_id, *item_id, *question_type, *topic, *fact_id;
	const char *doc_id, *question, *options, *correct_answer;
	const char *option_users;
	int idx;
	int64_t distance_blocks, distance_tokens;
};
int writer_mcq(struct writer *w, int64_t persona_id,
	       const struct writer_mcq *m, int rerun);

/* Delete one row written from an earlier reply, with its findings (and,
 * for qa, its evidence), when the item that wrote it has now failed: the
 * dataset never keeps rows the journal no longer stands behind. `table`
 * is a dataset table name; `row_id` its id as findings name it (the
 * persona id "p000042" for narrative). Returns 0, -1 for an unknown
 * table. */
int writer_forget(struct writer *w, const char *table, const char *row_id);

/* The write queue's error message, or "no error". */
const char *writer_errmsg(const struct writer *w);

#endif
