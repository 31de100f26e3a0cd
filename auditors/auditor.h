/* auditor.h - the auditor contract, the registry of auditors, and the row
 * cursor their dataset-wide passes read through.
 *
 * An auditor is a const table entry (tmux cmd_entry style) listed once in
 * auditors/registry.c: a name (its config section `$.audit.<name>`), a
 * version recorded next to each finding, the keys of its own config
 * section and their parser, an in-stream pass over one row at a time
 * (scan_row, called by the writer before the row is stored) and an
 * optional dataset-wide pass that streams over the whole dataset through
 * an audit_cursor (fairness, diversity, near-duplicates). Both passes
 * report findings through an audit_emit_fn; neither keeps state between
 * calls, so one entry serves every row and every thread.
 *
 * Every auditor's section also holds the keys all auditors share,
 * parsed by auditors/policy.c into a struct audit_policy: whether it runs,
 * the severity that quarantines a row, and its gate. An enabled auditor
 * with its policy and parsed config is an audit_instance; the caller
 * builds the list from the config and hands it to the writer, which
 * names no auditor.
 *
 * Ownership: entries are static; strings in a struct audit_row or struct
 * audit_hit belong to whoever passes them and live only during the call.
 */
#ifndef PF_AUDITOR_H
#define PF_AUDITOR_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#include "base/error.h"

/* How bad a finding is; ordered, so thresholds compare with < and >=. */
enum audit_severity {
	AUDIT_INFO = 0,  /* planted or reserved data: expected, recorded only */
	AUDIT_LOW,
	AUDIT_MEDIUM,    /* real-looking contact data */
	AUDIT_HIGH,      /* real-looking identifiers: SSNs, card numbers */
	AUDIT_CRITICAL
};
#define AUDIT_NSEVERITY (AUDIT_CRITICAL + 1)

/* One dataset row as auditors see it: the text columns they scan. */
struct audit_row {
	const char *table;           /* dataset table, e.g. "document" */
	const char *id;              /* the row's id as findings name it:
				      * "p000042-d1"; the persona's id
				      * "p000042" for narrative */
	int64_t persona_id;          /* the persona it belongs to */
	size_t nfields;
	const char *const *names;    /* column names, nfields of them */
	const char *const *texts;    /* NUL-terminated; NULL: absent */
	/* The persona the row's texts are addressed to: an object of its
	 * attributes (the persona's columns, or a scanned line's
	 * --persona-field object), or NULL when unknown (the writer's
	 * in-stream pass: see needs_persona). */
	const cJSON *persona;
	/* The field holding the user's query the other fields answer (one
	 * of names), or NULL. */
	const char *query_field;
};

/* One finding. `table` and `row_id` name the row it concerns (the
 * scanned row in scan_row; any row, or table "dataset" for the dataset
 * as a whole, in scan_dataset); `field` the column ("" for the whole
 * row); `offset` a byte offset in that column. `masked` never holds a
 * real-looking value in full. */
struct audit_hit {
	const char *table, *row_id, *field;
	const char *kind;            /* short rule name, e.g. "ssn" */
	enum audit_severity severity;
	int synthetic;               /* 1: a reserved or planted value */
	const char *masked;          /* "" when there is nothing to show */
	const char *reason;          /* why, as a sentence fragment */
	size_t offset;
	size_t len;                  /* bytes from offset the finding spans
				      * (0: no span, the row as a whole) */
};

/* Receives one finding; everything it points at lives only during the
 * call (copy what you keep). */
typedef void (*audit_emit_fn)(void *ud, const struct audit_hit *h);

/* Rows one at a time, for dataset-wide passes: output/cursor.h supplies
 * one over a dataset; tests may supply their own. Memory does not grow
 * with the number of rows. */
struct audit_cursor {
	/* Fill *row with the next row: 1, or 0 after the last one, or -1
	 * with err filled on a read error. The row's strings stay valid
	 * until the next call of next, rewind or the cursor's close. */
	int (*next)(struct audit_cursor *c, struct audit_row *row,
		    struct pf_error *err);
	/* Start again at the first row (for passes that read twice).
	 * Returns 0, or -1 with err filled. */
	int (*rewind)(struct audit_cursor *c, struct pf_error *err);
};

/* One reply's score under one criterion of a rubric (the safety
 * auditor's Boolean rubric), stored as a row of reply_rubric: the reply
 * (table, row_id, field and its byte offset there), the domain it was
 * classified into, the criterion, the selected items with their
 * answers as a JSON object ({"S-FIN-1": "yes", ...}; "{}" when none
 * applies), the YES/NO/NA and good counts, and the score good / (YES +
 * NO) (defined 0: no YES or NO, null). */
struct audit_score {
	const char *table, *row_id, *field;
	size_t offset;
	const char *domain, *criterion;
	const char *items;
	int64_t yes, no, na, good;
	double score;
	int defined;
};

/* Receives one score; its strings live only during the call. */
typedef void (*audit_score_fn)(void *ud, const struct audit_score *s);

/* One measure of a measuring pass (fairness), stored as a row of
 * audit_metric: `metric` what ("tvd", "quarantine.fourfifths",
 * "Jain_our"), `group` over what ("gender", "gender x age_band",
 * "gender=female", a list source), its value (undefined: null), a 95%
 * interval when it has one, the count it rests on, the threshold a gate
 * holds it to ("<=0.05", ">=0.8"; "" when not gated) and a note. */
struct audit_metric {
	const char *metric, *group;
	double value;
	int defined;                 /* 0: the value is undefined (null) */
	double lo, hi;
	int has_interval;
	int64_t n;
	const char *threshold;       /* "" or "<=X" / ">=X" */
	const char *note;            /* "" or a sentence fragment */
};

/* Receives one measure; its strings live only during the call. */
typedef void (*audit_metric_fn)(void *ud, const struct audit_metric *m);

/* One persona as a measuring pass sees it: its attributes and what
 * happened to it and its rows. */
struct audit_person {
	int64_t persona_id;
	size_t nattrs;
	const char *const *names;    /* persona columns, nattrs of them */
	const char *const *values;   /* their values as text */
	int quarantined;             /* it, or one of its rows, is */
	int64_t findings[AUDIT_NSEVERITY];  /* real-looking findings about
					     * its rows, by severity */
	size_t nauditors;            /* the same per finding auditor: */
	const char *const *auditor_names;
	const int64_t *by_auditor;   /* [a * AUDIT_NSEVERITY + severity] */
	int64_t items, failed;       /* its journal items; failed ones */
	int64_t refused;             /* of its items, those the model
				      * refused (engine/scheduler.h) */
	size_t ntexts;
	const char *const *text_tables;  /* tables with audited text */
	const int64_t *text_rows;    /* its rows in each */
	const int64_t *text_bytes;   /* their audited text's bytes */
	const int64_t *const *text_lens;  /* per table, each row's audited
					   * bytes (text_nlens[k] of them,
					   * at most text_rows[k]); NULL:
					   * not known */
	const size_t *text_nlens;
	int64_t prefs, own_wins;     /* its preference pairs the judge
				      * decided (label "chosen") on an axis
				      * it states a preference on; those
				      * decided for its stated view */
};

/* One exposure list: a user's top-k (a persona's contacts, a community
 * question's answerers), from list source `source`. */
struct audit_list {
	const char *source;
	int ordered;                 /* its order is a ranking */
	int64_t k;                   /* the configured length; 0: none */
	int64_t n;                   /* the source's catalogue size; 0:
				      * audit_source.nitems */
	size_t len;
	const int64_t *items;        /* ids 1..nitems */
};

/* One judged preference pair, as the judge stage stored it. */
struct audit_pair {
	const char *pair_id;
	int64_t persona_id;
	const char *view_a, *view_b;  /* the views of the answers its
				       * judgements call "x" and "y" */
	const char *view_chosen;      /* the view the pair's label chose */
	const char *view_stated;      /* the persona's stated view on the
				       * pair's axis (the planted one); ""
				       * when it states none */
	const char *label;            /* "chosen", "tie", "abstain" */
	double bpde;
	int certainty;                /* mean of the valid samples */
	const char *judgements;       /* JSON array of the valid samples:
				       * {"order", "verdict", "certainty"..} */
};

/* One sample of the safety auditor's pairwise comparisons (table
 * safety_judgement), as stored: a pair's samples come together. */
struct audit_comparison {
	const char *pair_id;
	const char *ord;              /* "AB" (x shown first) or "BA" */
	const char *verdict;          /* "x", "y", "tie"; NULL: unparsable */
	int certainty;
};

struct persona_tables;

/* What a measuring pass reads: personas one at a time, exposure lists one
 * at a time (grouped by source), and the target tables. Supplied by
 * output/metrics.h over a dataset; tests may supply their own. */
struct audit_source {
	/* Fill *p with the next persona: 1, 0 after the last, -1 with err
	 * filled. Its strings stay valid until the next call. */
	int (*next_person)(struct audit_source *s, struct audit_person *p,
			   struct pf_error *err);
	/* Start the personas again. 0, or -1 with err filled. */
	int (*rewind_people)(struct audit_source *s, struct pf_error *err);
	/* The next list, as next_person. */
	int (*next_list)(struct audit_source *s, struct audit_list *l,
			 struct pf_error *err);
	int64_t nitems;               /* the list items' catalogue size */
	const struct persona_tables *tables;  /* targets; NULL: none */
	int quotas;                   /* the run drew under $.quotas: the
				       * tables are not its target */
	/* The rows with audited text (output/cursor.h), for passes that
	 * measure texts (diversity); NULL when the source has none. */
	struct audit_cursor *rows;
	/* The next judged preference pair: 1, 0 after the last, -1 with
	 * err filled; its strings stay valid until the next call. NULL
	 * when the source has none. */
	int (*next_pair)(struct audit_source *s, struct audit_pair *p,
			 struct pf_error *err);
	/* The next sample of the safety auditor's comparisons, as
	 * next_pair; NULL when the source has none. */
	int (*next_comparison)(struct audit_source *s,
			       struct audit_comparison *c,
			       struct pf_error *err);
};

/* The keys every `$.audit.<name>` section shares. */
struct audit_policy {
	int enabled;                      /* "enabled" */
	enum audit_severity quarantine;   /* "quarantine": a row with a
					   * finding at or above it is
					   * quarantined */
	enum audit_severity gate_severity; /* "gate.severity": real-looking
					    * findings at or above it count
					    * for the gate */
	int64_t gate_max;                 /* "gate.max_findings": more fails
					   * the build (exit 3); -1: off */
};

struct auditor {
	const char *name;     /* its section `$.audit.<name>`, and what
			       * --auditors will name */
	const char *version;  /* stored with each finding */
	const char *label;    /* what its findings are called in messages
			       * ("PII" -> "real-looking PII findings") */
	struct audit_policy defaults;
	/* Keys of its own section besides the shared ones (NULL-terminated;
	 * NULL when none); any other key is rejected with its path. */
	const char *const *keys;
	/* Parse those keys of `section` (found at JSON path `path`) into a
	 * new config in *cfg, released with free_config. Returns 0, or -1
	 * with err->where (a JSON path) and err->msg filled. NULL when the
	 * auditor has no keys of its own (its cfg is then NULL). */
	int (*parse)(const cJSON *section, const char *path, void **cfg,
		     struct pf_error *err);
	void (*free_config)(void *cfg);   /* accepts NULL; NULL if parse is */
	/* In-stream: scan one row and call emit (which may be NULL, to
	 * count nothing) for each finding. Returns 0, or -1 if the scan
	 * could not run (the findings emitted stand). */
	int (*scan_row)(const void *cfg, const struct audit_row *row,
			audit_emit_fn emit, void *ud);
	/* Dataset-wide: read the rows through cur (streaming: hold per-row
	 * state only in bounded summaries) and emit findings. Returns 0, or
	 * -1 with err filled. NULL for auditors that only scan rows. */
	int (*scan_dataset)(const void *cfg, struct audit_cursor *cur,
			    audit_emit_fn emit, void *ud,
			    struct pf_error *err);
	/* 1: scan_row judges rows against their persona (row->persona),
	 * which the writer's in-stream pass does not have, so it finds
	 * nothing there; the auditor is rerun over the stored rows at the
	 * end of a build, with the dataset-wide passes. */
	int needs_persona;
	/* Finding and scoring (with needs_persona): what scan_row does
	 * (emit per finding, with eud), and score each reply of row (with
	 * its persona) calling score per reply and criterion (with sud),
	 * judging each reply once for both. The end-of-build rerun calls
	 * it in place of scan_row and stores the scores in reply_rubric,
	 * replacing the auditor's earlier ones. Returns 0, or -1 if the
	 * scoring could not run. NULL for auditors that only find. */
	int (*score_row)(const void *cfg, const struct audit_row *row,
			 audit_emit_fn emit, void *eud, audit_score_fn score,
			 void *sud);
	/* The dataset tables whose rows scan_row and score_row can find
	 * or score anything in (NULL-terminated); NULL: every table. A
	 * pass over a dataset whose auditors all name their tables reads
	 * only those tables' rows (output/rowscan.h). */
	const char *const *tables;
	/* Measuring: read the personas and lists of src and emit measures
	 * (stored in audit_metric, replacing the auditor's earlier ones).
	 * Returns 0, or -1 with err filled. NULL for auditors that only
	 * find. */
	int (*measure)(const void *cfg, struct audit_source *src,
		       audit_metric_fn emit, void *ud, struct pf_error *err);
};

/* An auditor as one run uses it. */
struct audit_instance {
	const struct auditor *auditor;
	struct audit_policy policy;
	void *cfg;                        /* owned; from auditor->parse */
};

extern const struct auditor auditor_pii;
extern const struct auditor auditor_canary;
extern const struct auditor auditor_safety;
extern const struct auditor auditor_fairness;
extern const struct auditor auditor_diversity;
extern const struct auditor auditor_judge;

/* Every auditor, in the order they run; auditor_count entries. */
extern const struct auditor *const auditor_registry[];
extern const size_t auditor_count;

/* A text scan relaying its findings for one field of a row: the row, the
 * field being scanned, and where findings go. */
struct audit_relay {
	const struct audit_row *row;
	const char *field;
	audit_emit_fn report;
	void *ud;
	const void *cfg;
};

/* Call scan(r, text, len) for every present text field of row in turn,
 * with r->field naming it. For scan_row hooks that look at each field on
 * its own. */
void audit_row_fields(const struct audit_row *row, const void *cfg,
		      audit_emit_fn report, void *ud,
		      void (*scan)(struct audit_relay *r, const char *text,
				   size_t len));

/* The registry entry called `name`, or NULL if there is none. */
const struct auditor *auditor_find(const char *name);

/* 1 if a's in-stream hooks (scan_row, score_row) can find or score
 * anything in a row of dataset table `table` (its `tables`), else 0. */
int auditor_reads_table(const struct auditor *a, const char *table);

/* "info", "low", "medium", "high", "critical"; "unknown" out of range. */
const char *audit_severity_name(enum audit_severity s);

/* Parse a severity name (case-insensitive) into *out. Returns 0, or -1 for
 * NULL or an unknown name, leaving *out unchanged. */
int audit_severity_parse(const char *s, enum audit_severity *out);

#endif
