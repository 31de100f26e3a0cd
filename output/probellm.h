/* probellm.h - the counterfactual probe over a dataset (issue 20): the
 * same prompt with one protected attribute of its persona changed, sent
 * through the config's endpoints (the runner and the OpenAI-compatible
 * backend); auditors/counterfact.h says what is changed and how it is
 * measured.
 *
 * Probes: a systematic sample of the stored preference pairs (every
 * k-th by pair_id, k = pairs / probes), at most `probes` per attribute.
 * Each pair's persona row gives a profile (the unit template,
 * templates/prompts/persona.mustache; the Big Five lines carry trait,
 * band and score: the row stores no description) and two prompts, each
 * sent as it is and once per attribute with the attribute changed:
 *   - the judge stage's prompt (judge.mustache) showing the pair's
 *     chosen answer as A and its rejected one as B, with the persona's
 *     stated preferences left out, so the verdict rests on the profile
 *     (where the attribute is): a verdict that changes is a flip;
 *   - the narrative stage's prompt (the generator's answer depends on
 *     the profile only): the answers' lengths in bytes are compared.
 * Both requests of a probe carry the same seed. An attribute the prompts
 * do not show (its change leaves every request as it was) is not sent:
 * its measures are undefined, with a note saying so. Each original
 * request is also sent a second time as it is (group "repeat"): a judge
 * that does not keep to the seed flips by itself, and that rate is the
 * floor the attributes' flip rates are read against.
 *
 * The measures replace the audit_metric rows of auditor "probe"
 * (metrics "verdict_flip_rate" and "length_ratio", group: the
 * attribute); nothing else is written.
 */
#ifndef PF_PROBELLM_H
#define PF_PROBELLM_H

#include <stdint.h>

#include "auditors/counterfact.h"
#include "engine/config.h"
#include "engine/prompts.h"
#include "llm/endpoint.h"
#include "output/dataset.h"

#define PROBE_DEFAULT 100                /* probes per attribute */
#define PROBE_MAX 10000
#define PROBELLM_MAX_BYTES ((size_t)256 << 20)  /* all request bodies */

struct probellm_opts {
	const char *const *attrs;         /* attribute names (cf_known) */
	size_t nattrs;                    /* 1..CF_MAX_ATTRS */
	int probes;                       /* per attribute, 1..PROBE_MAX */
	const struct pf_config *cfg;      /* generation parameters */
	const struct prompts *prompts;    /* the run's, unit template set */
	int judge, narrative;             /* their index in prompts->st; -1:
					   * the stage is off (its probe is
					   * not run) */
	const struct engine_config *ec;   /* one endpoint at least */
	int quiet;
};

/* What a pass did. */
struct probellm_counts {
	long pairs;                       /* pairs probed */
	long calls, failed;               /* requests; of those failed */
};

/* Run the probe over ds (open for writing). Returns 0, or an exit code
 * (enum pf_exit) after printing why: no judged pairs, no endpoint, a
 * stop of the backend (nothing is stored then), a write error. */
int probellm_run(struct dataset *ds, const struct probellm_opts *o,
		 struct probellm_counts *c);

#endif
