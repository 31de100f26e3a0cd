/* pairs.h - what the preference and judge stages share of a pair: its
 * views, its question's trait, and the pair of persona unit u at index
 * `pair` (preferences.c). */
#ifndef PF_GEN_PAIRS_H
#define PF_GEN_PAIRS_H

#include <cjson/cJSON.h>

#include "engine/stage.h"
#include "generators/prefview.h"
#include "generators/world.h"

struct pref_pair {
	const struct pref_views *views;
	int high_first;            /* response_a is the high pole's */
	const char *view_a, *view_b;
	int trait, type;           /* prefview.h tables */
	char trait_value[160];
	/* The persona axis's someone else (persona_l's reader): one of
	 * the persona's contacts; NULL on other axes. */
	const struct world_contact *other;
};

/* Pair `pair` of sc's persona. */
void pref_pair_of(const struct stage_ctx *sc, uint32_t pair,
		  struct pref_pair *pp);

/* How well text fits the persona rather than pp->other: the persona
 * axis's measure (prefview.h pref_fit, the persona's minus the other's). */
int pref_pair_fit(const struct stage_ctx *sc, const struct pref_pair *pp,
		  const char *text);

/* {"selected_trait", "trait_varied", "type"} (NULL: out of memory). */
cJSON *pref_trait_json(const struct pref_pair *pp);

#endif
