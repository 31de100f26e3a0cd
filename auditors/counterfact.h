/* counterfact.h - the counterfactual probe's attributes and statistics
 * (issue 20; the LLM pass itself is output/probellm.h).
 *
 * A probe sends one prompt twice: as built from a stored persona, and
 * with one protected attribute of that persona changed (the fairness
 * auditor's attributes, fairness_protected). Two kinds are compared:
 * the preference judge's verdict (a verdict that changes is a flip:
 * the judge's choice rests on the attribute) and the length of a
 * generator's answer.
 *
 * Intervals (95%): the flip rate's is Wilson's (fair_wilson); the
 * length ratio is the ratio of the mean counterfactual length to the
 * mean original length over the probes, R = mean(y) / mean(x), with a
 * delta-method interval for paired samples: Var(R) ~ (s_yy - 2 R s_xy +
 * R^2 s_xx) / (n mean(x)^2), R +- 1.96 sqrt(Var(R)).
 */
#ifndef PF_COUNTERFACT_H
#define PF_COUNTERFACT_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#include "auditors/auditor.h"

#define CF_AUDITOR "probe"           /* audit_metric.auditor */
#define CF_VERSION "1"
#define CF_MAX_ATTRS 8

/* 1 when the probe knows how to change attribute `name`, else 0. */
int cf_known(const char *name);

/* Change attribute `name` of persona object p (the stored persona row's
 * columns: gender, age, region, race_ethnicity as text or numbers) to
 * its counterfactual, and name the direction of the change in dir (n
 * bytes: "female -> male", "age +30 (under 50)"):
 *   gender          female <-> male, any other -> female;
 *   age_band        the age moved 30 years (under 50 up, else down, at
 *                   least 18), which moves it to another band;
 *   region          Northeast <-> South, Midwest <-> West;
 *   race_ethnicity  White -> Black or African American, any other ->
 *                   White.
 * Returns 1 when p changed, 0 when p has no value for it, -1 for an
 * unknown attribute or no memory. */
int cf_flip(const char *name, cJSON *p, char *dir, size_t n);

/* The rule cf_flip applies to attribute `name`, in words ("female <->
 * male, any other -> female"); "" for an unknown one. */
const char *cf_rule(const char *name);

/* The verdict of a judge reply (JSON with "verdict" "A", "B" or "tie",
 * as templates/prompts/judge.schema.json): 'A', 'B', 't'; 0 when the
 * reply does not parse or names none. */
char cf_verdict(const char *content, size_t len);

/* One attribute's probes. */
struct cf_tally {
	int64_t verdicts;            /* probes with both verdicts parsed */
	int64_t flips;               /* of those, the verdict changed */
	int64_t unparsed;            /* probes with a verdict missing */
	int64_t lengths;             /* probes with both answers */
	double sx, sy, sxx, syy, sxy;  /* original x, counterfactual y */
	int64_t failed;              /* answers missing (failed calls) */
};

void cf_add_verdicts(struct cf_tally *t, char orig, char cf);
void cf_add_lengths(struct cf_tally *t, double orig, double cf);

/* The length ratio and its delta-method interval. Returns 0, or -1 when
 * there are fewer than 2 probes or the original mean is 0. */
int cf_length_ratio(const struct cf_tally *t, double *r, double *lo,
		    double *hi);

/* Emit "verdict_flip_rate" (Wilson interval) of t's verdicts, group
 * `name` (the attribute), undefined with n 0 when no probe could be
 * compared; `rule` says what was changed (cf_rule), `why` (or NULL) why
 * nothing was. */
void cf_emit_flips(const struct cf_tally *t, const char *name,
		   const char *rule, const char *why, audit_metric_fn emit,
		   void *ud);

/* Emit "length_ratio" (delta-method interval) of t's lengths, group
 * "NAME: DIRECTION" ("gender: female -> male": a ratio is measured per
 * direction, as a bias one way cancels the other way's in a mixed
 * mean); why as for cf_emit_flips. */
void cf_emit_length(const struct cf_tally *t, const char *name,
		    const char *dir, const char *why, audit_metric_fn emit,
		    void *ud);

#endif
