/* stage.h - what a generation stage is, for the scheduler.
 *
 * A stage is a const table entry (generators/registry.c lists them): its
 * name (also the base name of its prompt template, reply schema and offline
 * template), how many items it has per persona, which items each one waits
 * for, the variables it adds to the render context, and how it accepts a
 * schema-valid reply into dataset rows. Items are keyed by
 * (stage, persona, index); their ids ("p000042/interview/3") are stable
 * across runs.
 *
 * Every reply passes through accept(), whether it just arrived or is
 * reused from the journal (replay): on replay the rows are already in the
 * dataset, so the stage only rebuilds its in-memory state (w == NULL).
 */
#ifndef PF_STAGE_H
#define PF_STAGE_H

#include <stdint.h>
#include <cjson/cJSON.h>

#include "engine/config.h"
#include "base/error.h"
#include "personas/persona.h"

enum stage_id {
	STAGE_NARRATIVE,
	STAGE_INTERVIEW,
	STAGE_DOCUMENT,
	STAGE_QA,
	STAGE_PREFERENCE,
	STAGE_JUDGE,
	STAGE_COUNT
};

struct writer;
struct fact_plan;

/* One persona's state while its items run. Owned by the scheduler; the
 * stages read and fill the reply slots. */
struct persona_run {
	int64_t index;
	struct persona persona;
	cJSON *persona_json;        /* persona_to_json(), the render base */
	int count[STAGE_COUNT];     /* items per stage */
	cJSON **reply[STAGE_COUNT]; /* accepted reply per item, or NULL */
	struct fact_plan *facts;    /* planted facts (generators/facts.h) */
};

/* One accept or vars call. */
struct stage_ctx {
	const struct pf_config *cfg;
	struct persona_run *pr;
	uint32_t idx;               /* item index within the stage */
	const char *item_id;
	uint64_t seed;              /* the item's own seed */
	struct writer *w;           /* NULL on replay: rows already stored */
	int rerun;                  /* 1: rows from an earlier reply exist */
	const char *model;          /* model that answered */
};

/* A dependency: item `idx` of stage `stage` of the same persona. */
struct stage_dep {
	enum stage_id stage;
	uint32_t idx;
};

#define STAGE_MAX_DEPS 72

struct stage {
	enum stage_id id;
	const char *name;
	/* Items per persona under this config (0 disables the stage). */
	int (*count)(const struct pf_config *cfg);
	/* Fill deps (at most STAGE_MAX_DEPS) of item idx; returns how many.
	 * Dependencies on disabled stages must not be listed. */
	int (*deps)(const struct persona_run *pr, uint32_t idx,
		    struct stage_dep *deps);
	/* Add the item's variables to `vars`, which already holds "persona"
	 * and "run". Returns 0, or -1 with err filled. */
	int (*vars)(struct stage_ctx *sc, cJSON *vars, struct pf_error *err);
	/* Accept a schema-valid reply. Returns 0; 1 if the content is
	 * unacceptable (err says why; the item is retried with that reason);
	 * -1 for a write error. On success takes no ownership of `reply`:
	 * the scheduler stores it in pr->reply[id][idx]. */
	int (*accept)(struct stage_ctx *sc, const cJSON *reply,
		      struct pf_error *err);
	/* Delete the rows an earlier reply of this item wrote (the item has
	 * now failed). NULL when the stage writes no rows. */
	int (*forget)(struct stage_ctx *sc);
};

/* The registry, indexed by enum stage_id. */
extern const struct stage *const stage_registry[STAGE_COUNT];

/* Format the item id "p000042/<stage>/<idx>" into out (>= 64 bytes). */
void stage_item_id(char *out, size_t n, const struct persona_run *pr,
		   enum stage_id s, uint32_t idx);

/* A dataset row id: the persona id, a dash, a kind letter and a 1-based
 * number ("p000042-d1": 'd' document, 'f' fact, 'q' qa, 'r' preference
 * pair, 't' backstory turn). Every writer and forget uses this one. */
void stage_row_id(char *out, size_t n, const struct persona_run *pr,
		  char kind, int number);

/* The reply of a dependency, or NULL if not accepted (yet). */
const cJSON *stage_reply(const struct persona_run *pr, enum stage_id s,
			 uint32_t idx);

#endif
