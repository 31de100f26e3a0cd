/* life.h - the details of one persona's life that its offline texts share.
 *
 * Every offline text about a persona (interview answers, narrative
 * fields, enrichment facets) names the same hometown, relatives,
 * employer, years and hobbies, so one answer never contradicts another.
 * life_json() draws them once per persona, from the run seed and the
 * persona index only (never the run size), and returns them as the
 * template variable "life" (doc/grammar.md lists its keys).
 *
 * Planted facts win: a persona whose documents plant a sister "Priya", an
 * employer or a hobby gets that sister, employer or hobby here too. The
 * employer is the profile's and the partner, parent, sibling, child,
 * friend and colleague are the world's contacts (generators/world.h)
 * where the world has them: one source for every text and row.
 * Names, hobbies, skills, goals and cultural notes are drawn
 * from the rules of templates/offline/life.grammar (a data file; every
 * choice there is uniform or conditioned on attributes, never a
 * frequency). Years are counted from 2020, the year the persona's age
 * refers to (the 2020 Census).
 */
#ifndef PF_GEN_LIFE_H
#define PF_GEN_LIFE_H

#include <stdint.h>
#include <cjson/cJSON.h>

#include "base/error.h"
#include "engine/config.h"
#include "generators/facts.h"
#include "generators/world.h"
#include "personas/persona.h"

#define LIFE_YEAR 2020      /* the year ages refer to */
#define LIFE_LIST_MAX 5     /* items of each drawn list */
#define LIFE_PEOPLE 3       /* contacts outside the family in life.people */
#define LIFE_OTHERS 3       /* the next ones, in life.others */

/* The "life" object of persona p (persona_json: its template variables,
 * read by the life grammar's rules) with planted facts fp and p's world
 * w (its contacts name the relatives, friend and colleague, its profile
 * the employer), drawn with
 * seed rng_derive(run_seed, "life", p->index, k). Returns a new object
 * (the caller deletes it), or NULL with err filled (a bad life.grammar:
 * file:line:col). */
cJSON *life_json(const struct pf_config *cfg, const struct persona *p,
		 const cJSON *persona_json, const struct fact_plan *fp,
		 const struct world *w, uint64_t run_seed,
		 struct pf_error *err);

#endif
