/* metrics.h - the audit_metric table: the measures of the measuring
 * auditors (struct auditor's measure hook), and what they read.
 *
 * A measuring pass replaces every audit_metric row of its auditor. It
 * reads the dataset through a struct audit_source built here:
 * - personas in persona_id order, each with all its persona columns as
 *   text, whether it or any of its rows is quarantined, its real-looking
 *   findings by severity (each counted as the `count` it stands for), its
 *   journal items and failed ones, and per table with audited text its
 *   rows and their audited text's bytes: a few aggregate queries merged
 *   by SQLite, so memory does not grow with the rows;
 * - exposure lists, one per user, from the list sources of
 *   metrics_list_sources (a stage's table naming, per user, the personas
 *   it lists): a source whose table the dataset file does not have is
 *   skipped, so stages add theirs with one entry (tests/unit/test_fairness
 *   reads a stand-in contact table through one);
 * - the target tables the dataset was drawn from (its config's locale),
 *   or none when they cannot be loaded.
 *
 * Gates: a row whose threshold is "<=X" or ">=X" passes when its value
 * meets it; output/gate.h counts the rows that do not.
 */
#ifndef PF_METRICS_H
#define PF_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "auditors/auditor.h"
#include "base/error.h"
#include "output/dataset.h"

/* A stage's exposure lists: rows of `table` grouped by `user`, each
 * naming an item in `item` (rows whose item is NULL or "" are left out),
 * ranked by `rank` (NULL: unordered); user, item and rank are SQL
 * expressions over the table's columns. Items are personas (persona_id
 * or "p000042"; the catalogue is every persona of the dataset) or, with
 * `distinct`, the distinct values of `item`, numbered in sort order (the
 * catalogue is those values). The configured list length k is the
 * integer at `$.stages.<stage>.<count_key>` of the run's config, unless
 * `count_max_key` is set and its value differs (lengths then vary by
 * design: no configured k); or, with `count_sql`, that aggregate over the
 * table (e.g. "count(DISTINCT technique)"). Without a configured k, k is
 * the first list's length. Lists of another length, or repeating an
 * item, are dropped and counted. */
struct metrics_list_source {
	const char *name;             /* group of its measures */
	const char *table, *user, *item, *rank;
	int distinct;
	const char *stage, *count_key, *count_max_key, *count_sql;
};

/* The list sources, ending with name == NULL. */
extern const struct metrics_list_source metrics_list_sources[];

/* SQL: 1 when a metric row (alias m) fails its threshold; 0 when it
 * passes or has none (an undefined value is never judged). */
#define METRICS_FAILS(M) "(CASE substr(" M ".threshold, 1, 2)" \
	" WHEN '<=' THEN " M ".value != 'null' AND CAST(" M ".value AS REAL)" \
	" > CAST(substr(" M ".threshold, 3) AS REAL)" \
	" WHEN '>=' THEN " M ".value != 'null' AND CAST(" M ".value AS REAL)" \
	" < CAST(substr(" M ".threshold, 3) AS REAL) ELSE 0 END)"

/* Run the measure hook of each of the n auditors of v that has one over
 * ds (open for writing, inside the caller's transaction), replacing their
 * audit_metric rows. Returns 0, or -1 with err filled. */
int dataset_measure(struct dataset *ds, const struct audit_instance *v,
		    size_t n, struct pf_error *err);

/* dataset_measure() in two steps, for a rerun (output/audit.h): begin
 * once its transaction has begun, before it writes, and run once it has
 * settled findings, quarantine flags and rubric scores (and written no
 * other row the measures read). Between the two, on a file in WAL mode,
 * the journal, the texts and the exposure lists, all committed, are read
 * ahead on connections and threads of their own (output/ahead.h); run
 * reads the personas, their quarantine and findings on ds's connection.
 * The measures are dataset_measure's. begin returns 0 with *out
 * (metrics_pass_free), or -1 with err filled; run returns 0, or -1 with
 * err filled, and is called once. */
struct metrics_pass;
int metrics_pass_begin(struct dataset *ds, const struct audit_instance *v,
		       size_t n, struct metrics_pass **out,
		       struct pf_error *err);
int metrics_pass_run(struct metrics_pass *m, struct pf_error *err);
void metrics_pass_free(struct metrics_pass *m);

/* Replace the measures of auditor a (its name and version; it need not
 * be in the registry: the counterfactual probe's are "probe") with what
 * produce(pud, emit, eud) emits. Run it inside a transaction. Returns
 * 0, or -1 with err filled. */
int dataset_metrics_replace(struct dataset *ds, const struct auditor *a,
			    void (*produce)(void *pud, audit_metric_fn emit,
					    void *eud),
			    void *pud, struct pf_error *err);

/* dataset_measure() with the list sources `lists` (ending with name ==
 * NULL) in place of metrics_list_sources: for tests of a stage's lists
 * before its table is in the registry. */
int dataset_measure_lists(struct dataset *ds, const struct audit_instance *v,
			  size_t n, const struct metrics_list_source *lists,
			  struct pf_error *err);

/* Note in ds->journal_fresh whether ds's journal is empty now: a build
 * calls it before it writes, so that its measures count every journal
 * row without reading each reply back to check it (the rows are all its
 * own). Returns 0, or -1 with err filled. */
int metrics_journal_fresh(struct dataset *ds, struct pf_error *err);

/* Measures of auditor `name` with a threshold into *gated, and of those
 * the ones that fail it into *failing. Returns 0, or -1 with err
 * filled. */
int dataset_metric_gate_count(struct dataset *ds, const char *name,
			      int64_t *gated, int64_t *failing,
			      struct pf_error *err);

#endif
