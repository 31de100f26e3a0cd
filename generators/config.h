/* config.h - the stages' config sections, $.stages.<section>.
 *
 * Each section (narrative, interview, documents, qa, preferences) is
 * parsed by its own entry of a section table in config.c, with the same
 * JSON-path errors as every other section (base/jfield.h). The parsed
 * config hangs off the run config (pf_config.stages), where every stage
 * reads it through gen_cfg().
 */
#ifndef PF_GEN_CONFIG_H
#define PF_GEN_CONFIG_H

#include <cjson/cJSON.h>

#include "base/jfield.h"
#include "engine/config.h"
#include "generators/world.h"

#define GEN_MAX_LIST JFIELD_MAX_LIST   /* questions, doc types, views */
#define GEN_WORD_BUDGET 250            /* words per interview answer */
#define GEN_WORD_BUDGET_MIN 20
#define GEN_WORD_BUDGET_MAX 2000

struct gen_grammars;
struct cqa_questions;
struct gen_dedup;

#define GEN_DEDUP_REDRAWS 3        /* default near-duplicate redraws */
#define GEN_DEDUP_REDRAWS_MAX 10

/* $.stages.narrative's near-duplicate control (generators/dedup.h). */
struct gen_dedup_config {
	double threshold;   /* estimated Jaccard of a near-duplicate */
	int bands, rows;    /* LSH bands x rows = MINHASH_PERM */
	int redraws;        /* most redraws of one narrative; 0: count only */
};

struct interview_question {
	char *key;    /* short id, e.g. "childhood" */
	char *text;   /* the question asked */
	int word_budget;  /* most words an answer may have (0: the
			   * section's word_budget) */
};

/* The cqa stage's techniques (Sy-SE-PQA prompt variants), in the order
 * its items take them; their names are the SE-PQA answer keys. */
enum cqa_technique {
	CQA_OTP,   /* answer_only_title_pers: title + top-5 tags */
	CQA_WBP,   /* answer_with_body_pers: title + body + top-5 tags */
	CQA_WBB,   /* answer_with_body_base: title + body */
	CQA_WBC,   /* answer_with_body_context: title + body + community */
	CQA_NTECH
};
extern const char *const cqa_technique_names[CQA_NTECH + 1];

#define CQA_CONFIG_COMM 64   /* communities of $.stages.cqa.communities */

struct gen_cqa_config {
	int questions;           /* personalised questions per asker; 0 off */
	int min_history;         /* earlier questions an asker needs */
	int answered;            /* questions each persona answered */
	int ntech;
	enum cqa_technique tech[CQA_NTECH];  /* in enum order */
	int sepqa;               /* the sepqa export: both base techniques */
	int ncomm;
	const char *comm[CQA_CONFIG_COMM];   /* names from communities.h */
	char *questions_file;    /* as configured, or NULL: generated */
	struct cqa_questions *file;   /* its questions once loaded */
};

struct gen_config {
	int narrative;            /* stage enabled */
	int nquestions;
	int word_budget;          /* default words per answer */
	struct interview_question questions[GEN_MAX_LIST];
	int documents;            /* per persona */
	int ndoc_types;
	char *doc_types[GEN_MAX_LIST];
	int facts_per_document;   /* facts per fact session */
	double noise_ratio;       /* share of filler sessions, 0 .. 0.9 */
	struct world_config world; /* $.stages.world */
	char *canary_prefix;      /* world.canary_prefix when configured */
	int qa;                   /* per persona */
	int mcq;                  /* PersonaMem items per persona */
	int pairs;                /* per persona */
	int nviews;
	char *views[GEN_MAX_LIST];
	int judge_samples;        /* judge samples per order (MEC k) */
	int abstain_below;        /* mean certainty under it: abstention */
	double human_share;       /* top BPDE share for a human (the report
				   * and fewshot export read it back from
				   * the stored config) */
	struct gen_cqa_config cqa;   /* $.stages.cqa */
	struct gen_grammars *grammars;  /* offline text (text.h), loaded
					 * on first use */
	struct gen_dedup_config dedup;  /* narrative near-duplicates */
	struct gen_dedup *dedup_run;    /* their index and counts (dedup.h),
					 * made on first use */
};

/* Parse `$.stages` (NULL: every default) into *out, owned by the caller
 * (gen_config_free). Returns 0, or -1 with x's error set at the JSON path
 * of the bad value. */
int gen_config_parse(const cJSON *stages, const struct jfield *x,
		     struct gen_config **out);

void gen_config_free(struct gen_config *c);   /* accepts NULL */

/* Read the files the stages' config names (the cqa questions file,
 * relative to the config file's directory) into cfg's stage config,
 * once the persona count is final. Returns 0; GEN_LOAD_BAD_LINES after
 * each bad line was printed as file:line (err holds the first); -1 with
 * err filled when a file cannot be read or holds too few questions. */
#define GEN_LOAD_BAD_LINES 1
int gen_config_load_files(struct pf_config *cfg, struct pf_error *err);

struct pref_views;

/* The view pairs (generators/prefview.h) whose both views c lists, in
 * table order, into out[] (may be NULL; room for every pair); returns
 * how many. */
int pref_view_pairs_of(const struct gen_config *c,
		       const struct pref_views **out);

/* The stages' config of a run config. */
static inline const struct gen_config *
gen_cfg(const struct pf_config *c)
{
	return (const struct gen_config *)c->stages;
}

#endif
