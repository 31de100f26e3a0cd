/* rubric.h - Precise Boolean rubrics (Adaptive Precise Boolean, Google,
 * arXiv 2503.23339; seeds-spec.md section 6), answered offline by the
 * safety rules.
 *
 * A rubric is a list of YES/NO items (auditors/data/safety-rubric.jsonl,
 * whose header documents the format), each under one criterion (safety,
 * personalization, empathy) and one PENGUIN domain, with a polarity
 * (yes_is_good or yes_is_bad) and a condition saying when it applies.
 * Scoring a reply selects the items of its domain that apply to its
 * persona (the adaptive step), answers each YES, NO or NA, and counts a
 * verdict good when it is YES for a yes_is_good item or NO for a
 * yes_is_bad one. A criterion's score is good / (YES + NO); NA is counted
 * apart and left out; no applicable item gives no score (null). Offline,
 * the selection and the answers come from the rules
 * (auditors/saferules.h); the LLM mode will answer the same items.
 */
#ifndef PF_RUBRIC_H
#define PF_RUBRIC_H

#include <stddef.h>

#include "auditors/penguin.h"
#include "auditors/saferules.h"
#include "base/buf.h"
#include "base/error.h"

enum rubric_criterion {
	RUBRIC_SAFETY,
	RUBRIC_PERSONALIZATION,
	RUBRIC_EMPATHY,
	RUBRIC_NCRITERIA
};

enum rubric_answer { RUBRIC_NA, RUBRIC_YES, RUBRIC_NO };

#define RUBRIC_MAX_ITEMS 512

struct rubric;

/* Verdict counts of one criterion over one reply or many. */
struct rubric_tally {
	long yes, no, na, good;
	long scored;      /* replies with a score (some YES or NO) */
	double sum;       /* the sum of their scores */
};

/* "safety", "personalization", "empathy". */
extern const char *const rubric_criterion_names[RUBRIC_NCRITERIA];

/* Parse rubric items from text (len bytes, `name` for errors), checking
 * their tags, signals and attributes against rules. Returns 0 with *out
 * (rubric_free), or -1 with err->file, err->line and err->msg filled. */
int rubric_parse(const char *name, const char *text, size_t len,
		 const struct saferules *rules, struct rubric **out,
		 struct pf_error *err);

/* The rubric compiled into the program. */
int rubric_builtin(const struct saferules *rules, struct rubric **out,
		   struct pf_error *err);

void rubric_free(struct rubric *rb);   /* accepts NULL */

/* Items in all, and those of criterion c in domain d. */
size_t rubric_size(const struct rubric *rb);
size_t rubric_count(const struct rubric *rb, int c, int d);

/* Score one reply offline: select the items of v's domain that apply to
 * persona p, answer each from v and the reply, and add the counts to
 * t[RUBRIC_NCRITERIA] (a criterion with some YES or NO also adds its
 * score to t->sum and 1 to t->scored). */
void rubric_score_offline(const struct rubric *rb,
			  const struct penguin_profile *p,
			  const struct saferules_verdict *v,
			  const char *reply, struct rubric_tally *t);

/* One selected item of a reply with its answer (id points into rb). */
struct rubric_pick {
	const char *id;
	int criterion;            /* enum rubric_criterion */
	enum rubric_answer answer;
	int good;                 /* 1: the verdict is good (YES for a
				   * yes_is_good item, NO for yes_is_bad) */
	int abstained;            /* 1: the LLM judge gave no answer (not
				   * counted) */
};

/* The items rubric_score_offline would count for one reply, with their
 * answers, in the rubric's order: at most max of them into out.
 * Returns how many. */
size_t rubric_select_offline(const struct rubric *rb,
			     const struct penguin_profile *p,
			     const struct saferules_verdict *v,
			     const char *reply, struct rubric_pick *out,
			     size_t max);

/* The items of domain d for an LLM's selection step: one "ID: question"
 * line each appended to lines, their ids (pointers into rb) in
 * ids[0..*n-1] and ids[*n] = NULL. Returns 0, or -1 with err filled
 * when more than max - 1 items or lines is full. */
int rubric_domain_items(const struct rubric *rb, int d, struct buf *lines,
			const char **ids, size_t max, size_t *n,
			struct pf_error *err);

/* Score one reply from an LLM's answers: the selected items ids[0..n-1]
 * answered answers[k] (enum rubric_answer, or negative: the judge
 * abstained, counted in *abstained and left out), added to t as
 * rubric_score_offline does. Returns 0, or -1 for an unknown id. */
int rubric_score_answers(const struct rubric *rb, const char *const *ids,
			 const int *answers, size_t n, struct rubric_tally *t,
			 long *abstained);

/* Item id answered `answer` by an LLM (enum rubric_answer, or
 * negative: abstained) as a pick into *out. Returns 0, or -1 for an
 * unknown id. */
int rubric_pick_of(const struct rubric *rb, const char *id, int answer,
		   struct rubric_pick *out);

/* The question of item id (a pointer into rb), or NULL. */
const char *rubric_item_text(const struct rubric *rb, const char *id);

/* Criterion c of one reply from its picks[0..n-1]: the YES, NO, NA and
 * good counts into t (zeroed first; scored 1 and sum the score when
 * some YES or NO), and the picks as a JSON object {"ID": "yes" | "no" |
 * "na" | "abstained"} into items (reset first). Returns 0, or -1 when
 * items is full. */
int rubric_criterion_json(const struct rubric_pick *picks, size_t n, int c,
			  struct buf *items, struct rubric_tally *t);

/* The mean score of t (sum / scored), or -1 when nothing was scored. */
double rubric_mean(const struct rubric_tally *t);

#endif
