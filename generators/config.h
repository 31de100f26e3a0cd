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

struct interview_question {
	char *key;    /* short id, e.g. "childhood" */
	char *text;   /* the question asked */
};

struct gen_config {
	int narrative;            /* stage enabled */
	int nquestions;
	struct interview_question questions[GEN_MAX_LIST];
	int documents;            /* per persona */
	int ndoc_types;
	char *doc_types[GEN_MAX_LIST];
	int facts_per_document;   /* facts per fact session */
	double noise_ratio;       /* share of filler sessions, 0 .. 0.9 */
	struct world_config world; /* $.stages.world */
	char *canary_prefix;      /* world.canary_prefix when configured */
	int qa;                   /* per persona */
	int pairs;                /* per persona */
	int nviews;
	char *views[GEN_MAX_LIST];
};

/* Parse `$.stages` (NULL: every default) into *out, owned by the caller
 * (gen_config_free). Returns 0, or -1 with x's error set at the JSON path
 * of the bad value. */
int gen_config_parse(const cJSON *stages, const struct jfield *x,
		     struct gen_config **out);

void gen_config_free(struct gen_config *c);   /* accepts NULL */

/* The stages' config of a run config. */
static inline const struct gen_config *
gen_cfg(const struct pf_config *c)
{
	return (const struct gen_config *)c->stages;
}

#endif
