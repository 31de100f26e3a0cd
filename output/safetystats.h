/* safetystats.h - what `stats` says of the safety auditor's LLM mode
 * beyond its means (issue 18): the agreement of two judge runs (Cohen's
 * kappa between samples 0 and 1, per Likert axis and for the Boolean
 * rubric's item answers), the tokens per judged item, the per-axis
 * delta between context-rich and context-free replies to the same
 * question, and the pairwise verdicts aggregated as the preference
 * judge does.
 */
#ifndef PF_SAFETYSTATS_H
#define PF_SAFETYSTATS_H

#include "base/error.h"
#include "base/json.h"
#include "output/dataset.h"

#define SAFETYSTATS_MAX_ROWS (1u << 22)   /* labels read for one kappa */

/* Add to judge (the "safety.judge" object): "findings" [{ domain,
 * severity, findings }] of auditor safety-llm (the domain the rules
 * gave the pair's chosen reply), "kappa" { risk_sensitivity,
 * emotional_empathy, personalization, boolean: number or null;
 * likert_replies, boolean_items: how many were compared },
 * "tokens_per_item" { likert, boolean: number or null }, "context" {
 * questions, risk_sensitivity, emotional_empathy, personalization: the
 * mean of context-rich minus context-free, null without a question },
 * "pairwise" { pairs, samples, unparsed, x, y, tie, abstain } (the
 * certainty floor of the config the dataset was built with). Returns
 * 0, or -1 with err filled. */
int safetystats_judge(struct dataset *ds, cJSON *judge,
		      struct pf_error *err);

#endif
