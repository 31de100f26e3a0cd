/* jplan.h - the plans of a fresh journal not written yet.
 *
 * A build whose journal starts empty (every item fresh) used to write
 * each item's row twice: pending when its unit was planned, then done.
 * What the pending rows must give is that a unit's dataset rows never
 * commit without a row saying the unit is unfinished (output/complete.h:
 * a persona row always comes with its items), and one pending row per
 * unit gives that. So the journal keeps a unit's plans here, writes one
 * of them at once (the unit's sentinel: its last item, likely the last
 * to end) and every other item's row once, with its outcome. When the
 * sentinel's item ends while plans of its unit are still unwritten,
 * another of them becomes the sentinel, written in the same write unit.
 * Row ids are given here in plan order, so the table ends as it would
 * have with every plan written first.
 *
 * Memory: one record per planned item until it ends; at most
 * JPLAN_MAX_ITEMS, past which plans are written at once (jplan_add).
 */
#ifndef PF_JPLAN_H
#define PF_JPLAN_H

#include <stdint.h>

#define JPLAN_MAX_ITEMS (1 << 20)

/* One planned item. Strings are the table's, valid until the next call
 * that changes the table. */
struct jplan_item {
	const char *id, *stage;
	int64_t persona, idx, rowid;
	int written;                /* its pending row is queued */
};

struct jplan;

/* An empty table whose first plan gets row id first_rowid. Returns 0,
 * or -1 when out of memory. */
int jplan_new(int64_t first_rowid, struct jplan **out);

/* Free; accepts NULL. */
void jplan_free(struct jplan *t);

/* Give the next plan of the unit being planned its row id (*rowid) and
 * keep it: *kept 1, or 0 when it cannot be kept (the table is full, the
 * id is planned already, no memory): then write its pending row now,
 * with that row id. */
void jplan_add(struct jplan *t, const char *id, const char *stage,
	       int64_t persona, int64_t idx, int64_t *rowid, int *kept);

/* Close the unit being planned: its sentinel, marked written (queue its
 * pending row before the unit's write boundary), or NULL when the unit
 * kept nothing here. */
const struct jplan_item *jplan_unit_end(struct jplan *t);

/* Take item `id` out, as it ends: 1 with *it filled, and *next the unit's
 * new sentinel (marked written; queue its pending row in the same write
 * unit) or NULL; 0 when the table does not hold id (its row exists). */
int jplan_take(struct jplan *t, const char *id, struct jplan_item *it,
	       const struct jplan_item **next);

/* Call fn on every plan not written yet and mark it written; stops at
 * and returns fn's first non-zero result, else 0. */
int jplan_each_unwritten(struct jplan *t,
			 int (*fn)(void *ud, const struct jplan_item *it),
			 void *ud);

#endif
