/* stage.h - what a generation stage is, for the scheduler.
 *
 * The engine knows no stage: its caller hands it a stage table (struct
 * stage_table; generators/registry.c holds the build's). A stage is a
 * const entry: its name (also the base name of its prompt template,
 * reply schema and offline template), how many items it has per unit,
 * which items each one waits for, the variables it adds to the render
 * context, and how it accepts a schema-valid reply into dataset rows.
 *
 * Items are grouped in units (a persona, in a build): every item of a unit
 * shares the unit's state, and an item waits only for items of its own
 * unit. Items are keyed by (stage, unit, index); their ids
 * ("p000042/interview/3": unit id, stage name, index) are stable across
 * runs. The table's unit hooks open a unit (sample its persona, write its
 * row), add its variables to every render, and free it.
 *
 * Every reply passes through accept(), whether it just arrived or is
 * reused from the journal (replay): on replay the rows are already in the
 * dataset, so the stage only rebuilds its in-memory state (w == NULL).
 */
#ifndef PF_STAGE_H
#define PF_STAGE_H

#include <stdint.h>
#include <cjson/cJSON.h>

#include "base/error.h"
#include "engine/config.h"

#define STAGE_MAX 32          /* stages in one table */
#define STAGE_MAX_DEPS 72     /* prerequisites of one item */
#define UNIT_ID_MAX 32        /* bytes of a unit id, NUL included */

struct stage_table;

/* One unit's state while its items run. Owned by the scheduler; the
 * table's hooks own `data` and `vars`, the stages read the replies. */
struct unit {
	int64_t index;              /* 0-based, in run order */
	char id[UNIT_ID_MAX];       /* prefix of its item ids */
	void *data;                 /* the hooks' state (a persona...) */
	const struct stage_table *table;
	int count[STAGE_MAX];       /* items per stage */
	cJSON **reply[STAGE_MAX];   /* accepted reply per item, or NULL */
};

/* One accept, vars or forget call. */
struct stage_ctx {
	const struct pf_config *cfg;
	struct unit *u;
	uint32_t idx;               /* item index within the stage */
	const char *item_id;
	uint64_t seed;              /* the item's own seed */
	void *w;                    /* the caller's row writer (sched_opts.
				     * sink); NULL on replay: rows already
				     * stored */
	int rerun;                  /* 1: rows from an earlier reply exist */
	const char *model;          /* model that answered */
	int offline;                /* 1: the offline backend answers (its
				     * reply text is the stage's to make) */
	const void *pre;            /* accept: what the stage's pre_accept
				     * worked out for this very reply, or
				     * NULL (then accept works it out) */
};

/* A prerequisite: item `idx` of table stage `stage` of the same unit. */
struct stage_dep {
	int stage;
	uint32_t idx;
};

struct stage {
	const char *name;
	const char *version;        /* recorded with the stage's rows */
	/* Items per unit under this config (0 disables the stage). */
	int (*count)(const struct pf_config *cfg);
	/* Fill deps (at most STAGE_MAX_DEPS) of item idx; returns how many.
	 * Only the unit's counts may be read (no replies yet); dependencies
	 * on disabled stages must not be listed. */
	int (*deps)(const struct unit *u, uint32_t idx,
		    struct stage_dep *deps);
	/* Add the item's variables to `vars`, which already holds the
	 * unit's (hook unit_vars) and "run". Returns 0, or -1 with err
	 * filled. Threads: the scheduler renders fresh items in batches on
	 * a thread pool (base/pool.h), so vars runs on any thread, at once
	 * with other items' vars (of this unit or others), never with an
	 * accept, forget or hook of its own unit. Batches render in the
	 * background while the loop thread accepts other units' replies,
	 * so vars reads only its unit, the config and run state no accept
	 * changes, and whatever it fills lazily for the whole run (a cache
	 * of loaded files) is filled under a lock. */
	int (*vars)(struct stage_ctx *sc, cJSON *vars, struct pf_error *err);
	/* Accept a schema-valid reply. Returns 0; 1 if the content is
	 * unacceptable (err says why; the item is retried with that reason);
	 * -1 for a write error. Takes no ownership of `reply`: on success
	 * the scheduler stores it in u->reply[stage][idx]. */
	int (*accept)(struct stage_ctx *sc, const cJSON *reply,
		      struct pf_error *err);
	/* Work out ahead what accept() would from the reply alone (pure
	 * checks: a critique, a signature), so that the loop thread's
	 * accept does only what must run in order. Offline, the scheduler
	 * calls it on its pool for a reply it rendered and checked there,
	 * on the terms of vars (it reads the unit, the config and what no
	 * accept changes; the unit's replies stay as they are meanwhile).
	 * Returns an object (freed with pre_free) that accept() finds in
	 * sc->pre when it accepts that reply; NULL (out of memory, nothing
	 * to do) leaves the work to accept(). NULL: no such work. */
	void *(*pre_accept)(struct stage_ctx *sc, const cJSON *reply);
	void (*pre_free)(void *pre);   /* accepts NULL */
	/* Delete the rows an earlier reply of this item wrote (the item has
	 * now failed). NULL when the stage writes no rows. */
	int (*forget)(struct stage_ctx *sc);
};

/* What opens, decorates and closes a unit. `ud` is sched_opts.hooks_ud. */
struct unit_hooks {
	/* Set up unit u (index set; fill id and data) without writing
	 * anything. Runs on any thread: the scheduler prepares units ahead
	 * of opening them on its pool, at once with other units' prepare
	 * and with item renders (as stage.vars runs), so it reads only the
	 * unit, the config and run state no accept changes. Returns 0, or
	 * -1 with err filled (u->data may be set: close() still runs; the
	 * error stops the run when the unit's turn to open comes). NULL:
	 * open() sets the unit up. */
	int (*prepare)(void *ud, struct unit *u, struct pf_error *err);
	/* Write the unit's own rows through `w` (inside the unit's first
	 * transaction), on the loop thread, units in index order; without
	 * prepare, set it up first (index set; fill id and data). Returns
	 * 0, or -1 with err filled (u->data may be set: close() still
	 * runs). */
	int (*open)(void *ud, struct unit *u, void *w, struct pf_error *err);
	/* Add the unit's variables to an item's render context (by
	 * reference: vars is deleted after the render). Returns 0 or -1.
	 * Runs on any thread, as stage.vars does. */
	int (*vars)(void *ud, const struct unit *u, cJSON *vars);
	/* Free u->data. Accepts a unit whose prepare() or open() failed.
	 * Runs on any thread (the scheduler frees ended units on its
	 * pool), at once with other units' hooks and renders. */
	void (*close)(void *ud, struct unit *u);
};

struct stage_table {
	const struct stage *const *stages;  /* run order; deps point back */
	int n;                              /* at most STAGE_MAX */
	/* templates/prompts/NAME.mustache: compiled with the stages'
	 * templates (prompts.unit) for the hooks to render once per unit;
	 * NULL for none. */
	const char *unit_template;
	struct unit_hooks hooks;
};

/* The id of stage `stage`'s item idx of u ("p000042/interview/3": unit
 * id, stage name, index) into out (64 bytes hold every id). */
void stage_item_id(char *out, size_t n, const struct unit *u, int stage,
		   uint32_t idx);

/* The reply of a prerequisite, or NULL if not accepted (yet). */
const cJSON *unit_reply(const struct unit *u, int stage, uint32_t idx);

/* Items of all enabled stages per unit under cfg. */
int64_t stage_table_items(const struct stage_table *t,
			  const struct pf_config *cfg);

#endif
