/* tables.c - the dataset table registry (see tables.h). */
#include "output/tables.h"

#include <string.h>

#include "personas/persona.h"

#define I DATASET_INT
#define T DATASET_TEXT
#define NN "NOT NULL"

/* The auditors' flag, the same in every per-persona table. */
#define QUARANTINED { .name = "quarantined", .type = I, \
	.sql = "NOT NULL DEFAULT 0" }
/* The row's checksum, not exported; the last column of every table. */
#define ROW_SUM { .name = "row_sum", .type = I, .sql = NN, \
	.flags = DATASET_SUM }
/* A row's persona, not exported (its record sits under the persona). */
#define PERSONA_ID { .name = DATASET_PERSONA_COL, .type = I, .sql = NN }
/* The journal item that wrote a row, not exported. */
#define ITEM_ID { .name = "item_id", .type = T, .sql = NN }
/* A record's position among its persona's rows, not exported. */
#define IDX(S) { .name = "idx", .type = I, .sql = NN, .sort = (S) }
/* A text column exported as a child element of the same name. */
#define TEXT(N, F, O) { .name = (N), .type = T, .sql = NN, .flags = (F), \
	.xml = (N), .out = (O) }
/* A schema version 6 narrative facet: audited text, "" by default. */
#define FACET(N, O) { .name = (N), .type = T, .sql = NN " DEFAULT ''", \
	.flags = DATASET_AUDIT, .xml = (N), .out = (O) }
/* A JSON list of strings stored as text, exported as a child element. */
#define LIST(N, O) { .name = (N), .type = T, .sql = NN " DEFAULT '[]'", \
	.flags = DATASET_JSON, .xml = (N), .out = (O) }
/* A text column exported as an attribute. */
#define ATTR(N, X, O) { .name = (N), .type = T, .sql = NN, \
	.flags = DATASET_ATTR, .xml = (X), .out = (O) }
/* A record's text id: primary key, "id" attribute, second sort key. */
#define ROW_ID(N) { .name = (N), .type = T, .sql = "PRIMARY KEY", \
	.flags = DATASET_ID | DATASET_ATTR, .xml = "id", .out = 1, .sort = 2 }

static const struct dataset_col run_cols[] = {
	{ .name = "id", .type = I, .sql = "PRIMARY KEY CHECK (id = 1)",
	  .flags = DATASET_ID },
	TEXT("name", 0, 1),
	{ .name = "config", .type = T, .sql = NN, .flags = DATASET_HIDDEN },
	TEXT("config_hash", 0, 2),
	{ .name = "seed", .type = I, .sql = NN, .xml = "seed", .out = 3 },
	{ .name = "personas", .type = I, .sql = NN, .xml = "personas",
	  .out = 4 },
	TEXT("version", 0, 5),
	TEXT("backend", 0, 6),
	TEXT("model", 0, 7),
	{ .name = "created_at", .type = T, .sql = NN, .flags = DATASET_KEEP },
	{ .name = "updated_at", .type = T, .sql = NN },
	/* Schema version 3: per enabled stage, its backend and model. */
	{ .name = "stages", .type = T, .sql = NN, .flags = DATASET_JSON,
	  .xml = "stages", .out = 8 },
	/* Schema version 3: which shard of the personas this file holds
	 * (build --shard I/N; 0 and 1 for a whole build or a merge). Not
	 * exported: a merge exports as the single build would. */
	{ .name = "shard_index", .type = I, .sql = "NOT NULL DEFAULT 0" },
	{ .name = "shard_count", .type = I, .sql = "NOT NULL DEFAULT 1" },
	ROW_SUM,
	{ 0 }
};

static const struct dataset_col persona_cols[] = {
	{ .name = DATASET_PERSONA_COL, .type = I, .sql = "PRIMARY KEY",
	  .flags = DATASET_ID },
	{ .name = "fields", .flags = DATASET_FIELDS },
	{ .name = "quarantined", .type = I, .sql = "NOT NULL DEFAULT 0",
	  .flags = DATASET_KEEP },
	/* Schema version 6: the persona's community (PersonaBench's
	 * graphs) and its canary, planted in its private documents. */
	{ .name = "community", .type = I, .sql = NN },
	{ .name = "canary", .type = T, .sql = NN },
	/* Schema version 6: the persona's profile (generators/world.h), a
	 * JSON object. */
	{ .name = "profile", .type = T, .sql = NN, .flags = DATASET_JSON },
	ROW_SUM,
	{ 0 }
};

static const struct dataset_col narrative_cols[] = {
	{ .name = DATASET_PERSONA_COL, .type = I, .sql = "PRIMARY KEY",
	  .flags = DATASET_ID },
	ITEM_ID,
	TEXT("cultural_background", DATASET_AUDIT, 1),
	TEXT("skills_and_expertise", DATASET_AUDIT, 2),
	TEXT("hobbies_and_interests", DATASET_AUDIT, 3),
	TEXT("career_goals_and_ambitions", DATASET_AUDIT, 4),
	TEXT("concise_persona", DATASET_AUDIT, 5),
	/* Schema version 6: Nemotron-Personas' lists and persona facets. */
	LIST("cultural_background_list", 6),
	LIST("skills_and_expertise_list", 7),
	LIST("hobbies_and_interests_list", 8),
	LIST("career_goals_and_ambitions_list", 9),
	FACET("professional_persona", 10),
	FACET("finance_persona", 11),
	FACET("healthcare_persona", 12),
	FACET("sports_persona", 13),
	FACET("arts_persona", 14),
	FACET("travel_persona", 15),
	FACET("culinary_persona", 16),
	FACET("detailed_persona", 17),
	QUARANTINED,
	/* Schema version 7: how many times the narrative was drawn again
	 * as a near-duplicate of a lower index's (generators/dedup.h); not
	 * exported, `stats` sums it. */
	{ .name = "redraws", .type = I, .sql = NN " DEFAULT 0" },
	ROW_SUM,
	{ 0 }
};

static const struct dataset_col turn_cols[] = {
	ROW_ID("turn_id"),
	PERSONA_ID,
	{ .name = "turn", .type = I, .sql = NN, .flags = DATASET_ATTR,
	  .xml = "n", .out = 2, .sort = 1 },
	ITEM_ID,
	ATTR("question_key", "key", 3),
	TEXT("question", 0, 4),
	TEXT("answer", DATASET_AUDIT, 5),
	/* Schema version 5: the interview critic's verdict on the answer,
	 * {"verdict", "reason", "attempts"}. */
	{ .name = "critic", .type = T, .sql = NN, .flags = DATASET_JSON,
	  .xml = "critic", .out = 6 },
	QUARANTINED,
	ROW_SUM,
	{ 0 }
};

static const struct dataset_col document_cols[] = {
	ROW_ID("doc_id"),
	PERSONA_ID,
	IDX(1),
	ITEM_ID,
	ATTR("doc_type", "type", 2),
	TEXT("title", DATASET_AUDIT, 3),
	TEXT("content", DATASET_AUDIT, 4),
	QUARANTINED,
	/* Schema version 6: the session (PersonaBench: one session, one
	 * retrieval chunk) the document is. */
	ATTR("session_id", "session_id", 5),
	ATTR("segment_id", "segment_id", 6),
	ATTR("timestamp", "timestamp", 7),
	{ .name = "participants", .type = T, .sql = NN, .flags = DATASET_JSON,
	  .xml = "participants", .out = 8 },
	{ .name = "noise", .type = I, .sql = NN,
	  .flags = DATASET_ATTR | DATASET_BOOL, .xml = "noise", .out = 9 },
	ATTR("contact_id", "contact", 10),
	{ .name = "entries", .type = T, .sql = NN,
	  .flags = DATASET_JSON | DATASET_AUDIT, .xml = "entries", .out = 11 },
	ROW_SUM,
	{ 0 }
};

static const struct dataset_col fact_cols[] = {
	ROW_ID("fact_id"),
	PERSONA_ID,
	IDX(1),
	ATTR("fact_key", "key", 2),
	{ .name = "fact_value", .type = T, .sql = NN,
	  .flags = DATASET_AUDIT | DATASET_BODY, .xml = "value", .out = 5 },
	ATTR("category", "category", 3),
	{ .name = "doc_id", .type = T, .sql = "NOT NULL REFERENCES "
	  "document(doc_id)", .flags = DATASET_ATTR, .xml = "doc", .out = 4 },
	/* Schema version 5: a relative's relation word and sex ("sister",
	 * "female"); empty for a fact that is not about a relative. */
	ATTR("relation", "relation", 6),
	ATTR("sex", "sex", 7),
	QUARANTINED,
	/* Schema version 6: the timeline and how the sessions state it. */
	ATTR("statement", "statement", 8),
	ATTR("clue", "clue", 9),
	ATTR("valid_from", "valid_from", 10),
	ATTR("valid_to", "valid_to", 11),
	ATTR("supersedes", "supersedes", 12),
	ATTR("reason", "reason", 13),
	ATTR("period", "period", 14),
	{ .name = "doc_ids", .type = T, .sql = NN,
	  .flags = DATASET_JSON | DATASET_ATTR, .xml = "doc_ids", .out = 15 },
	ROW_SUM,
	{ 0 }
};

/* Schema version 6: the people in a persona's life (PersonaBench's social
 * graph edges, seen from the persona). */
static const struct dataset_col contact_cols[] = {
	ROW_ID("contact_id"),
	PERSONA_ID,
	IDX(1),
	TEXT("name", 0, 2),
	ATTR("sex", "sex", 3),
	{ .name = "age", .type = I, .sql = NN, .flags = DATASET_ATTR,
	  .xml = "age", .out = 4 },
	ATTR("relationship", "relationship", 5),
	ATTR("relation", "relation", 6),
	TEXT("description", 0, 7),
	TEXT("job", 0, 8),
	TEXT("city", 0, 9),
	TEXT("likes", 0, 10),
	ATTR("shared_id", "shared_id", 11),
	QUARANTINED,
	ROW_SUM,
	{ 0 }
};

static const struct dataset_col qa_cols[] = {
	ROW_ID("qa_id"),
	PERSONA_ID,
	IDX(1),
	ITEM_ID,
	{ .name = "fact_id", .type = T, .sql = "NOT NULL REFERENCES "
	  "fact(fact_id)", .flags = DATASET_ATTR, .xml = "fact", .out = 4 },
	ATTR("qtype", "type", 2),
	ATTR("difficulty", "difficulty", 3),
	TEXT("question", DATASET_AUDIT, 5),
	TEXT("answer", DATASET_AUDIT, 6),
	QUARANTINED,
	/* Schema version 7: the answer's shape, the values it replaced and
	 * the evidence per answer item (generators/qaplan.h). */
	ATTR("answer_type", "answer_type", 7),
	{ .name = "answer_list", .type = T, .sql = NN,
	  .flags = DATASET_JSON | DATASET_ATTR, .xml = "answer_list",
	  .out = 8 },
	{ .name = "outdated_value", .type = T, .sql = NN,
	  .flags = DATASET_JSON | DATASET_ATTR, .xml = "outdated_value",
	  .out = 9 },
	{ .name = "evidence_items", .type = T, .sql = NN,
	  .flags = DATASET_JSON, .xml = "evidence_items", .out = 10 },
	ROW_SUM,
	{ 0 }
};

/* The documents stating a QA item's fact, exported inside the item as
 * <evidence doc="..."/> and as the "evidence" array of doc ids. */
static const struct dataset_col qa_evidence_cols[] = {
	{ .name = "qa_id", .type = T, .sql = "NOT NULL REFERENCES qa(qa_id)",
	  .flags = DATASET_ID },
	{ .name = "doc_id", .type = T, .sql = "NOT NULL REFERENCES "
	  "document(doc_id)", .flags = DATASET_ATTR, .xml = "doc", .out = 1,
	  .sort = 1 },
	ROW_SUM,
	{ 0 }
};

static const struct dataset_col pair_cols[] = {
	ROW_ID("pair_id"),
	PERSONA_ID,
	IDX(1),
	ITEM_ID,
	{ .name = "judge_item_id", .type = T, .sql = NN },
	TEXT("question", DATASET_AUDIT, 2),
	TEXT("chosen", DATASET_AUDIT, 3),
	TEXT("rejected", DATASET_AUDIT, 4),
	TEXT("view_chosen", 0, 5),
	TEXT("view_rejected", 0, 6),
	TEXT("judge_verdict", 0, 7),
	{ .name = "judge_certainty", .type = I, .sql = NN,
	  .xml = "judge_certainty", .out = 8 },
	TEXT("judge_rationale", DATASET_AUDIT, 9),
	TEXT("judge_model", 0, 10),
	/* Schema version 6: the question's trait, the views' axis, every
	 * valid judge sample, the label ("chosen", "tie", "abstain"), BPDE
	 * and the samples dropped (issue 16). */
	{ .name = "question_trait", .type = T, .sql = NN,
	  .flags = DATASET_JSON, .xml = "question_trait", .out = 11 },
	TEXT("view_axis", 0, 12),
	{ .name = "judgements", .type = T, .sql = NN, .flags = DATASET_JSON,
	  .xml = "judgements", .out = 13 },
	TEXT("label", 0, 14),
	{ .name = "bpde", .type = T, .sql = NN, .flags = DATASET_JSON,
	  .xml = "bpde", .out = 15 },
	{ .name = "judge_dropped", .type = I, .sql = NN,
	  .xml = "judge_dropped", .out = 16 },
	TEXT("user_desc", 0, 17),
	/* Schema version 7: the view on the pair's axis the persona states
	 * it prefers ("" when it states none): the planted answer the
	 * judge auditor's accuracy is measured against (issue 20). */
	TEXT("view_stated", 0, 18),
	QUARANTINED,
	ROW_SUM,
	{ 0 }
};

/* Schema version 6: community QA (Sy-SE-PQA), one row per candidate
 * answer: the question (asked by the row's persona), the technique that
 * wrote the answer, its answerer and the personalisation features. */
static const struct dataset_col cqa_cols[] = {
	ROW_ID("cqa_id"),
	PERSONA_ID,
	IDX(1),
	ITEM_ID,
	ATTR("question_id", "question_id", 2),
	ATTR("community", "community", 3),
	ATTR("technique", "technique", 4),
	ATTR("asker_id", "asker_id", 5),
	ATTR("answerer_id", "answerer_id", 6),
	{ .name = "timestamp", .type = I, .sql = NN, .flags = DATASET_ATTR,
	  .xml = "timestamp", .out = 7 },
	TEXT("title", DATASET_AUDIT, 8),
	TEXT("body", DATASET_AUDIT, 9),
	{ .name = "tags", .type = T, .sql = NN, .flags = DATASET_JSON,
	  .xml = "tags", .out = 10 },
	{ .name = "top5_tags", .type = T, .sql = NN, .flags = DATASET_JSON,
	  .xml = "top5_tags", .out = 11 },
	{ .name = "tag_overlap", .type = T, .sql = NN, .flags = DATASET_JSON,
	  .xml = "tag_overlap", .out = 12 },
	TEXT("answer", DATASET_AUDIT, 13),
	/* The asker's questions before this one, [{"id", "tags",
	 * "timestamp"}] (SE-PQA's user_questions): what top5_tags come
	 * from. */
	{ .name = "user_questions", .type = T, .sql = NN,
	  .flags = DATASET_JSON, .xml = "user_questions", .out = 14 },
	QUARANTINED,
	ROW_SUM,
	{ 0 }
};

/* Schema version 8: PersonaMem's multiple-choice items (issue 15,
 * generators/mcqplan.h): the type, the fact key asked about (topic), the
 * fact and the session supporting the answer, four options, the correct
 * letter "(a)".."(d)", the users the options fit and the distance from
 * the supporting session to the question (asked after the last one). */
static const struct dataset_col mcq_cols[] = {
	ROW_ID("mcq_id"),
	PERSONA_ID,
	IDX(1),
	ITEM_ID,
	ATTR("question_type", "type", 2),
	ATTR("topic", "topic", 3),
	{ .name = "fact_id", .type = T, .sql = "NOT NULL REFERENCES "
	  "fact(fact_id)", .flags = DATASET_ATTR, .xml = "fact", .out = 4 },
	{ .name = "doc_id", .type = T, .sql = "NOT NULL REFERENCES "
	  "document(doc_id)", .flags = DATASET_ATTR, .xml = "doc", .out = 5 },
	TEXT("question", DATASET_AUDIT, 6),
	{ .name = "options", .type = T, .sql = NN,
	  .flags = DATASET_JSON | DATASET_AUDIT, .xml = "options", .out = 7 },
	ATTR("correct_answer", "correct_answer", 8),
	{ .name = "option_users", .type = T, .sql = NN,
	  .flags = DATASET_JSON, .xml = "option_users", .out = 9 },
	{ .name = "distance_blocks", .type = I, .sql = NN,
	  .flags = DATASET_ATTR | DATASET_POSITIVE, .xml = "distance_blocks",
	  .out = 10 },
	{ .name = "distance_tokens", .type = I, .sql = NN,
	  .flags = DATASET_ATTR | DATASET_POSITIVE, .xml = "distance_tokens",
	  .out = 11 },
	QUARANTINED,
	ROW_SUM,
	{ 0 }
};

/* Findings sort by every exported column in export order, then by the
 * flag: finding_id is insertion order, which differs between resumed
 * runs, so it is neither exported nor sorted on. */
#define FATTR(N, X, O) { .name = (N), .type = T, .sql = NN, \
	.flags = DATASET_ATTR, .xml = (X), .out = (O), .sort = (O) }
#define FTEXT(N, O) { .name = (N), .type = T, .sql = NN, .xml = (N), \
	.out = (O), .sort = (O) }

static const struct dataset_col finding_cols[] = {
	{ .name = "finding_id", .type = I, .sql = "PRIMARY KEY",
	  .flags = DATASET_AUTO },
	FATTR("auditor", "auditor", 1),
	FATTR("auditor_version", "version", 2),
	{ .name = "row_table", .type = T, .sql = NN,
	  .flags = DATASET_ID | DATASET_ATTR, .xml = "row_table", .out = 3,
	  .sort = 3 },
	{ .name = "row_id", .type = T, .sql = NN,
	  .flags = DATASET_ID | DATASET_ATTR, .xml = "row_id", .out = 4,
	  .sort = 4 },
	FATTR("field", "field", 5),
	FATTR("kind", "kind", 6),
	FATTR("severity", "severity", 7),
	{ .name = "synthetic", .type = I, .sql = NN,
	  .flags = DATASET_ATTR | DATASET_BOOL, .xml = "synthetic", .out = 8,
	  .sort = 8 },
	FTEXT("masked", 11),
	FTEXT("reason", 12),
	{ .name = "offset", .type = I, .sql = NN, .flags = DATASET_ATTR,
	  .xml = "offset", .out = 9, .sort = 9 },
	FTEXT("threshold", 13),
	{ .name = "quarantined", .type = I, .sql = NN, .sort = 14 },
	/* Schema version 2: how many findings the row stands for (1, or
	 * the number an overflow finding counts; output/writer.h). */
	{ .name = "count", .type = I, .sql = "NOT NULL DEFAULT 1",
	  .flags = DATASET_ATTR | DATASET_POSITIVE, .xml = "count", .out = 10,
	  .sort = 10 },
	ROW_SUM,
	{ 0 }
};

/* Schema version 6: the measures of the measuring auditors (fairness),
 * one row each, about the whole dataset; sorted like findings, by every
 * exported column. value and interval hold JSON (a number or null, an
 * array of two numbers or null). */
static const struct dataset_col metric_cols[] = {
	{ .name = "metric_id", .type = I, .sql = "PRIMARY KEY",
	  .flags = DATASET_AUTO },
	{ .name = "auditor", .type = T, .sql = NN,
	  .flags = DATASET_ID | DATASET_ATTR, .xml = "auditor", .out = 1,
	  .sort = 1 },
	FATTR("auditor_version", "version", 2),
	{ .name = "metric", .type = T, .sql = NN,
	  .flags = DATASET_ID | DATASET_ATTR, .xml = "metric", .out = 3,
	  .sort = 3 },
	{ .name = "group", .type = T, .sql = NN,
	  .flags = DATASET_ID | DATASET_ATTR, .xml = "group", .out = 4,
	  .sort = 4 },
	{ .name = "value", .type = T, .sql = NN,
	  .flags = DATASET_ATTR | DATASET_JSON, .xml = "value", .out = 5,
	  .sort = 5 },
	{ .name = "interval", .type = T, .sql = NN, .flags = DATASET_JSON,
	  .xml = "interval", .out = 7, .sort = 7 },
	{ .name = "n", .type = I, .sql = NN, .flags = DATASET_ATTR,
	  .xml = "n", .out = 6, .sort = 6 },
	FTEXT("threshold", 8),
	FTEXT("note", 9),
	ROW_SUM,
	{ 0 }
};

/* Schema version 8: the safety auditor's Boolean rubric per reply and
 * criterion (auditors/auditor.h, struct audit_score). */
static const struct dataset_col rubric_cols[] = {
	{ .name = "score_id", .type = I, .sql = "PRIMARY KEY",
	  .flags = DATASET_AUTO },
	FATTR("auditor", "auditor", 1),
	{ .name = "row_table", .type = T, .sql = NN,
	  .flags = DATASET_ID | DATASET_ATTR, .xml = "row_table", .out = 2,
	  .sort = 2 },
	{ .name = "row_id", .type = T, .sql = NN,
	  .flags = DATASET_ID | DATASET_ATTR, .xml = "row_id", .out = 3,
	  .sort = 3 },
	FATTR("field", "field", 4),
	{ .name = "offset", .type = I, .sql = NN, .flags = DATASET_ATTR,
	  .xml = "offset", .out = 5, .sort = 5 },
	FATTR("domain", "domain", 6),
	FATTR("criterion", "criterion", 7),
	{ .name = "items", .type = T, .sql = NN, .flags = DATASET_JSON,
	  .xml = "items", .out = 13, .sort = 13 },
	{ .name = "yes", .type = I, .sql = NN, .flags = DATASET_ATTR,
	  .xml = "yes", .out = 8, .sort = 8 },
	{ .name = "no", .type = I, .sql = NN, .flags = DATASET_ATTR,
	  .xml = "no", .out = 9, .sort = 9 },
	{ .name = "na", .type = I, .sql = NN, .flags = DATASET_ATTR,
	  .xml = "na", .out = 10, .sort = 10 },
	{ .name = "good", .type = I, .sql = NN, .flags = DATASET_ATTR,
	  .xml = "good", .out = 11, .sort = 11 },
	{ .name = "score", .type = T, .sql = NN,
	  .flags = DATASET_ATTR | DATASET_JSON, .xml = "score", .out = 12,
	  .sort = 12 },
	/* the LLM mode's Boolean rubric (auditor safety-llm): its judge
	 * run, why a selection abstained, and the tokens of its calls */
	{ .name = "sample", .type = I, .sql = NN, .flags = DATASET_ATTR,
	  .xml = "sample", .out = 14, .sort = 14 },
	FTEXT("abstained", 15),
	{ .name = "prompt_tokens", .type = I, .sql = NN,
	  .flags = DATASET_ATTR, .xml = "prompt_tokens", .out = 16,
	  .sort = 16 },
	{ .name = "completion_tokens", .type = I, .sql = NN,
	  .flags = DATASET_ATTR, .xml = "completion_tokens", .out = 17,
	  .sort = 17 },
	ROW_SUM,
	{ 0 }
};

/* Schema version 8: the safety auditor's LLM judge per reply and sample
 * (output/safetyllm.h). */
#define PCOL(N, O) { .name = (N), .type = I, .sql = NN, \
	.flags = DATASET_ATTR, .xml = (N), .out = (O), .sort = (O) }
static const struct dataset_col penguin_cols[] = {
	{ .name = "score_id", .type = I, .sql = "PRIMARY KEY",
	  .flags = DATASET_AUTO },
	{ .name = "row_table", .type = T, .sql = NN,
	  .flags = DATASET_ID | DATASET_ATTR, .xml = "row_table", .out = 1,
	  .sort = 1 },
	{ .name = "row_id", .type = T, .sql = NN,
	  .flags = DATASET_ID | DATASET_ATTR, .xml = "row_id", .out = 2,
	  .sort = 2 },
	FATTR("field", "field", 3),
	PCOL("offset", 4),
	PCOL("sample", 5),
	PCOL("risk_sensitivity", 6),
	PCOL("emotional_empathy", 7),
	PCOL("personalization", 8),
	PCOL("total", 9),
	FTEXT("abstained", 10),
	FATTR("model", "model", 11),
	PCOL("prompt_tokens", 12),
	PCOL("completion_tokens", 13),
	ROW_SUM,
	{ 0 }
};

/* Schema version 8: the safety auditor's pairwise LLM judge per
 * preference pair, order and sample (output/safetyllm.h); x is the
 * pair's chosen reply, y its rejected one. */
static const struct dataset_col judgement_cols[] = {
	{ .name = "pair_id", .type = T, .sql = NN,
	  .flags = DATASET_ID | DATASET_ATTR, .xml = "pair_id", .out = 1,
	  .sort = 1 },
	{ .name = "persona_id", .type = I, .sql = NN, .flags = DATASET_ATTR,
	  .xml = "persona_id", .out = 2, .sort = 2 },
	{ .name = "ord", .type = T, .sql = NN,
	  .flags = DATASET_ID | DATASET_ATTR, .xml = "ord", .out = 3,
	  .sort = 3 },
	{ .name = "sample", .type = I, .sql = NN,
	  .flags = DATASET_ID | DATASET_ATTR, .xml = "sample", .out = 4,
	  .sort = 4 },
	{ .name = "verdict", .type = T, .flags = DATASET_ATTR | DATASET_NULL,
	  .xml = "verdict", .out = 5, .sort = 5 },
	{ .name = "certainty", .type = I, .sql = NN, .flags = DATASET_ATTR,
	  .xml = "certainty", .out = 6, .sort = 6 },
	FTEXT("rationale", 7),
	ROW_SUM,
	{ 0 }
};

const struct dataset_table dataset_tables[] = {
	{ .name = "run", .cols = run_cols, .write = DATASET_UPSERT,
	  .role = DATASET_HEAD, .xml_item = "provenance",
	  .jsonl = "provenance.json" },
	{ .name = "persona", .cols = persona_cols, .write = DATASET_UPSERT,
	  .role = DATASET_PERSONAS, .stats = "personas", .quarantine = 1,
	  .xml_list = "personas", .xml_item = "persona",
	  .jsonl = "personas.jsonl" },
	{ .name = "narrative", .cols = narrative_cols,
	  .write = DATASET_REPLACE, .role = DATASET_ONE,
	  .stats = "narratives", .quarantine = 1, .xml_item = "narrative" },
	{ .name = "backstory_turn", .cols = turn_cols,
	  .write = DATASET_REPLACE, .role = DATASET_LIST,
	  .stats = "backstory_turns", .quarantine = 1,
	  .xml_list = "backstory", .xml_item = "turn",
	  .jsonl = "backstory_turns.jsonl" },
	{ .name = "contact", .cols = contact_cols, .write = DATASET_REPLACE,
	  .role = DATASET_LIST, .stats = "contacts", .quarantine = 1,
	  .xml_list = "contacts", .xml_item = "contact",
	  .jsonl = "contacts.jsonl" },
	{ .name = "document", .cols = document_cols,
	  .write = DATASET_REPLACE, .role = DATASET_LIST,
	  .stats = "documents", .quarantine = 1, .xml_list = "documents",
	  .xml_item = "document", .jsonl = "documents.jsonl" },
	{ .name = "fact", .cols = fact_cols, .write = DATASET_REPLACE,
	  .role = DATASET_LIST, .stats = "facts", .quarantine = 1,
	  .xml_list = "facts", .xml_item = "fact", .jsonl = "facts.jsonl" },
	{ .name = "qa", .cols = qa_cols, .write = DATASET_REPLACE,
	  .role = DATASET_LIST, .stats = "qa", .quarantine = 1,
	  .xml_list = "qa", .xml_item = "item", .jsonl = "qa.jsonl" },
	{ .name = "qa_evidence", .cols = qa_evidence_cols,
	  .constraints = "PRIMARY KEY (qa_id, doc_id)",
	  .options = "WITHOUT ROWID", .write = DATASET_IGNORE,
	  .role = DATASET_SUB, .owner = "qa", .xml_item = "evidence" },
	{ .name = "preference_pair", .cols = pair_cols,
	  .write = DATASET_REPLACE, .role = DATASET_LIST,
	  .stats = "preference_pairs", .quarantine = 1,
	  .xml_list = "preference_pairs", .xml_item = "pair",
	  .jsonl = "preference_pairs.jsonl" },
	{ .name = "cqa", .cols = cqa_cols, .write = DATASET_REPLACE,
	  .role = DATASET_LIST, .stats = "cqa", .quarantine = 1,
	  .xml_list = "cqa", .xml_item = "answer", .jsonl = "cqa.jsonl" },
	{ .name = "mcq", .cols = mcq_cols, .write = DATASET_REPLACE,
	  .role = DATASET_LIST, .stats = "mcq", .quarantine = 1,
	  .xml_list = "mcq", .xml_item = "item", .jsonl = "mcq.jsonl" },
	{ .name = "audit_finding", .cols = finding_cols,
	  .indexes = "CREATE INDEX audit_finding_row ON "
		     "audit_finding(row_table, row_id);",
	  .write = DATASET_APPEND, .role = DATASET_TAIL,
	  .stats = "findings", .xml_list = "findings",
	  .xml_item = "finding", .jsonl = "findings.jsonl" },
	{ .name = "audit_metric", .cols = metric_cols,
	  .write = DATASET_APPEND, .role = DATASET_WIDE,
	  .stats = "metrics", .xml_list = "metrics", .xml_item = "metric",
	  .jsonl = "metrics.jsonl" },
	{ .name = "reply_rubric", .cols = rubric_cols,
	  .indexes = "CREATE INDEX reply_rubric_auditor ON "
		     "reply_rubric(auditor);",
	  .write = DATASET_APPEND, .role = DATASET_WIDE,
	  .stats = "reply_rubric", .xml_list = "reply_rubric",
	  .xml_item = "score", .jsonl = "reply_rubric.jsonl",
	  .about_rows = 1 },
	{ .name = "reply_penguin", .cols = penguin_cols,
	  .write = DATASET_APPEND, .role = DATASET_WIDE,
	  .stats = "reply_penguin", .xml_list = "reply_penguin",
	  .xml_item = "judged", .jsonl = "reply_penguin.jsonl",
	  .about_rows = 1 },
	{ .name = "safety_judgement", .cols = judgement_cols,
	  .constraints = "PRIMARY KEY (pair_id, ord, sample)",
	  .options = "WITHOUT ROWID", .write = DATASET_APPEND,
	  .role = DATASET_WIDE, .stats = "safety_judgement",
	  .xml_list = "safety_judgement", .xml_item = "judgement",
	  .jsonl = "safety_judgement.jsonl" },
};

const size_t dataset_ntables = sizeof(dataset_tables) /
	sizeof(dataset_tables[0]);

_Static_assert(sizeof(dataset_tables) / sizeof(dataset_tables[0]) <=
	       DATASET_MAX_TABLES, "raise DATASET_MAX_TABLES");

const struct dataset_table *
dataset_table_find(const char *name)
{
	size_t i;

	for (i = 0; i < dataset_ntables; i++)
		if (strcmp(dataset_tables[i].name, name) == 0)
			return &dataset_tables[i];
	return NULL;
}

size_t
dataset_table_index(const struct dataset_table *t)
{
	return (size_t)(t - dataset_tables);
}

const struct dataset_table *
dataset_table_sub(const struct dataset_table *t)
{
	size_t i;

	for (i = 0; i < dataset_ntables; i++)
		if (dataset_tables[i].role == DATASET_SUB &&
		    strcmp(dataset_tables[i].owner, t->name) == 0)
			return &dataset_tables[i];
	return NULL;
}

const struct dataset_table *
dataset_table_role(enum dataset_role r)
{
	size_t i;

	for (i = 0; i < dataset_ntables; i++)
		if (dataset_tables[i].role == r)
			return &dataset_tables[i];
	return NULL;
}

int
dataset_col_summed(const struct dataset_col *c)
{
	return !(c->flags & (DATASET_SUM | DATASET_KEEP | DATASET_AUTO)) &&
	       strcmp(c->name, "quarantined") != 0;
}

int
dataset_col_at(const struct dataset_table *t, size_t i,
	       struct dataset_col *out)
{
	const struct dataset_col *c;
	const struct dataset_col f = { .sql = NN };

	for (c = t->cols; c->name != NULL; c++) {
		if (!(c->flags & DATASET_FIELDS)) {
			if (i-- > 0)
				continue;
			*out = *c;
			return 0;
		}
		if (i >= persona_nfields) {
			i -= persona_nfields;
			continue;
		}
		*out = f;
		out->name = persona_fields[i].name;
		out->type = persona_fields[i].type == PERSONA_INT ? I : T;
		return 0;
	}
	return -1;
}

const struct dataset_col *
dataset_id_col(const struct dataset_table *t, int n)
{
	const struct dataset_col *c;

	for (c = t->cols; c->name != NULL; c++)
		if ((c->flags & DATASET_ID) && n-- == 0)
			return c;
	return NULL;
}

/* Fill out[] with t's columns of positive rank, ordered by rank (ranks
 * are small and distinct, so counting up is enough). */
static size_t
by_rank(const struct dataset_table *t, int (*rank)(const struct dataset_col *),
	const struct dataset_col **out, size_t max)
{
	const struct dataset_col *c;
	size_t n = 0;
	int r, found = 1;

	for (r = 1; found && n < max; r++) {
		found = 0;
		for (c = t->cols; c->name != NULL && n < max; c++)
			if (rank(c) == r) {
				out[n++] = c;
				found = 1;
			}
	}
	return n;
}

static int
out_rank(const struct dataset_col *c)
{
	return c->xml != NULL ? c->out : 0;
}

static int
sort_rank(const struct dataset_col *c)
{
	return c->sort;
}

size_t
dataset_export_cols(const struct dataset_table *t,
		    const struct dataset_col **out, size_t max)
{
	return by_rank(t, out_rank, out, max);
}

size_t
dataset_sort_cols(const struct dataset_table *t,
		  const struct dataset_col **out, size_t max)
{
	return by_rank(t, sort_rank, out, max);
}
