/* dataset.h - the one SQLite file a build writes: schema, open, checks.
 *
 * Tables (doc/schema.md describes every column): run (one row of
 * provenance), journal (one row per work item), persona, narrative,
 * backstory_turn, document, fact, qa, qa_evidence, preference_pair,
 * audit_finding. Rows are keyed by stable text ids built from the persona
 * index and the item index ("p000042", "p000042-d1"), so id order is the
 * same in every run of the same config and seed and exports are
 * byte-identical. Dataset tables carry a `quarantined` flag set by the
 * auditors. The schema version is PRAGMA user_version. The dataset
 * tables and their columns are defined once, in the table registry
 * (output/tables.h); the journal's in engine/journal.h.
 */
#ifndef PF_DATASET_H
#define PF_DATASET_H

#include <sqlite3.h>

#include "base/error.h"

/* 2: audit_finding.count (overflow findings stand for several).
 * 3: a row_sum checksum on every dataset row (output/rowsum.h) and a
 *    reply_sum on every done journal row.
 * 4: journal.model_hash and journal.template_hash, so a resume can say
 *    why it sends an item again.
 * 5: backstory_turn.critic (the interview critic's verdict) and
 *    fact.relation, fact.sex (a relative's).
 * 6: personas.citizenship and personas.party_id.
 *    The cqa table (community QA answers, Sy-SE-PQA).
 *    The audit_metric table (measures of the dataset-wide auditors).
 *    The narrative enrichment (four _list fields, nine persona facets).
 *    persona.community, persona.canary and persona.profile; the contact
 *    table; the document's session columns (session_id, segment_id,
 *    timestamp, participants, noise, contact_id, entries); the fact's
 *    timeline columns (statement, clue, valid_from, valid_to,
 *    supersedes, reason, period, doc_ids).
 * 7: preference_pair.view_stated (the planted view the judge auditor
 *    measures accuracy against); narrative.redraws (near-duplicate
 *    redraws, generators/dedup.h); qa.answer_type, answer_list,
 *    outdated_value, evidence_items (PersonaBench's QA).
 * 8: the reply_rubric table (the safety auditor's Boolean rubric per
 *    reply and criterion) and the reply_penguin table (its LLM judge's
 *    PENGUIN axes per reply and sample); the mcq table (PersonaMem's
 *    multiple-choice items, issue 15). */
#define DATASET_SCHEMA_VERSION 8

enum dataset_mode {
	DATASET_READ,     /* existing file, read only: nothing is created
			   * or changed, in a read-only folder too */
	DATASET_WRITE     /* create if missing; exclusive writer lock */
};

struct dataset {
	sqlite3 *db;
	int lock_fd;      /* flock()ed fd for writers, -1 for readers */
	int owner_written; /* this writer wrote PATH.lock */
	char *path;
	/* Every journal row was written by this process (a build that
	 * began with an empty journal: metrics_journal_fresh), so none can
	 * hold a damaged reply and the measures count them all without
	 * reading each reply back (output/metrics.c). */
	int journal_fresh;
};

/* The start of the message of a writer that finds the lock taken. */
#define DATASET_LOCKED "another personaforge process is writing this dataset"

/* Open `path`. For DATASET_WRITE the file is created when missing, an
 * exclusive advisory lock is taken and `path`.lock written with "pid P
 * on host H since T" (removed at close; a second writer fails at once
 * with DATASET_LOCKED "(locked by pid P on host H since T)"; a file
 * system whose locks fail with ENOLCK or ENOSYS is refused, naming it),
 * and a new file gets WAL
 * mode and the schema (an existing one is not changed: see
 * dataset_write_ahead). A file whose user_version is not
 * DATASET_SCHEMA_VERSION (or that is not a personaforge dataset) is refused.
 * Returns 0; -1 with err filled (err->file = path), nothing created when
 * the failure is found before creation. *out is owned by the caller and
 * released with dataset_close(). */
int dataset_open(const char *path, enum dataset_mode mode,
		 struct dataset **out, struct pf_error *err);

/* 1 if err (from dataset_open) says another process holds the writer
 * lock: the caller exits PF_EXIT_LOCKED. */
int dataset_error_locked(const struct pf_error *err);

/* Switch a writer's connection to WAL mode, so the write queue's
 * connection and this one work side by side; a new file is in WAL mode
 * from dataset_open, an existing one (left in rollback mode by
 * dataset_finish) once its writer has accepted it. Returns 0, or -1 with
 * err filled. */
int dataset_write_ahead(struct dataset *ds, struct pf_error *err);

/* Rebuild every index of a writer's dataset from its tables (REINDEX).
 * An index is derived data: a damaged page of a unique index would let a
 * resumed build insert a row a second time (the constraint no longer
 * sees the first), so a writer rebuilds them before it resumes; about
 * 0.15 s per 1,000 demo personas. Returns 0, or -1 with err filled (a
 * damaged table page stays an error). */
int dataset_reindex(struct dataset *ds, struct pf_error *err);

/* End a writer's session: checkpoint the write-ahead log into the file
 * and switch it to rollback mode, so the dataset is one file (no -wal,
 * no -shm) that readers open as it is; the next writer switches WAL on
 * again. Needs the only connection to the file (it waits for readers up
 * to the busy timeout). Returns 0, or -1 with err filled: the dataset is
 * intact then, only still in WAL mode. */
int dataset_finish(struct dataset *ds, struct pf_error *err);

/* Close and free; accepts NULL. */
void dataset_close(struct dataset *ds);

/* Drop every table and recreate the schema (for --overwrite). */
int dataset_reset(struct dataset *ds, struct pf_error *err);

/* Carry quarantine from documents to what rests on them: the facts they
 * plant, the QA pairs citing them as evidence and the multiple-choice
 * items they support, so an export never holds a fact or an answer whose
 * evidence it leaves out. Deterministic
 * and idempotent; run after every build. In its own transaction, or in
 * the caller's when one is open. Returns 0 or -1 with err. */
int dataset_propagate_quarantine(struct dataset *ds, struct pf_error *err);

/* Run SQL with no result rows; on failure fills err with sqlite's message. */
int dataset_exec(struct dataset *ds, const char *sql, struct pf_error *err);

/* Prepare a statement (SQLITE_PREPARE_PERSISTENT: meant to be reused);
 * NULL on error with err filled. The caller owns it and must finalize
 * it: an unfinalized statement keeps dataset_close from closing the
 * connection. */
sqlite3_stmt *dataset_prepare(struct dataset *ds, const char *sql,
			      struct pf_error *err);

/* 1 if the file has a table called name, 0 if not (a table another
 * auditor adds, looked up before it is read), -1 with err filled. */
int dataset_has_table(struct dataset *ds, const char *name,
		      struct pf_error *err);

#endif
