/* mcqplan.h - PersonaMem's multiple-choice items over a persona's
 * timeline (doc/schema.md, table mcq, defines the seven types).
 *
 * An item asks about one planted fact of the persona (generators/
 * facts.h): a value it shared, its latest preference, the whole chain of
 * a preference's updates, the reason of an update, a recommendation or a
 * new idea that fits its current preference, or its preference carried
 * over to a new scenario. The four options share one sentence frame per
 * type and fact key; the correct one holds the persona's value, each
 * distractor the value (or chain, or reason) of another user: a peer,
 * drawn from the persona's community (generators/world.h) or, when that
 * is too small, from the personas after it, with its own world and
 * timeline planned the way the build plans them. A distractor is within
 * MCQ_LEN_PERCENT of the correct option's length in characters, and no
 * two options are equal. The correct letter is item number
 * (persona index x items per persona + item index) mod 4, so over the
 * dataset each letter is correct in a quarter of the items.
 *
 * Everything here is a pure function of (run seed, persona, its plans,
 * the peers); nothing allocates but mcq_peers_build.
 */
#ifndef PF_MCQPLAN_H
#define PF_MCQPLAN_H

#include <stdint.h>

#include "generators/facts.h"
#include "generators/session.h"
#include "generators/world.h"
#include "personas/persona.h"
#include "personas/sampler.h"

#define MCQ_NTYPES 7
#define MCQ_OPTIONS 4
#define MCQ_PEERS 12           /* other users the distractors come from */
#define MCQ_LEN_PERCENT 20     /* a distractor's length against the
				* correct option's */
#define MCQ_TEXT 320           /* one option or question, bytes */
#define MCQ_NEEDLES 3          /* strings an option must hold */
#define MCQ_USER_FACTS 40      /* current facts kept of a user: at
				* most one per catalogue key (26) and
				* a second item of each preference (8) */

/* The seven PersonaMem question types, in their released labels. */
extern const char *const mcq_type_names[MCQ_NTYPES];

/* One fact of a peer: its key, current value, the value(s) it replaced
 * (oldest first) and the reason of its last update. */
struct mcq_peer_fact {
	const char *key;
	const char *reason;          /* "" when never updated */
	char value[96];
	char old[2][96];
	int nold;
};

struct mcq_peer {
	char id[24];                 /* "p000042" */
	int nf;
	struct mcq_peer_fact f[MCQ_USER_FACTS];
	const char *prefs[WORLD_NPREFS][WORLD_LIST];
};

struct mcq_peers {
	int n;
	struct mcq_peer p[MCQ_PEERS];
};

/* The peers of persona p (community members first, the run's
 * `personas` bounding them when > 0, then the personas after it), with
 * their worlds and timelines planned as the build plans them (wc, sc).
 * Returns a new set the caller frees with free(), or NULL when memory
 * runs out. */
struct mcq_peers *mcq_peers_build(const struct persona_tables *t,
				  uint64_t run_seed, const struct persona *p,
				  const struct world_config *wc,
				  const struct session_config *sc,
				  int64_t personas);

/* One planned item. */
struct mcq_item {
	int type;                            /* index in mcq_type_names */
	int fact;                            /* the fact asked about */
	int doc;                             /* the supporting session */
	int correct;                         /* 0..3: the correct letter */
	char question[MCQ_TEXT];
	char options[MCQ_OPTIONS][MCQ_TEXT];
	char needles[MCQ_OPTIONS][MCQ_NEEDLES][96]; /* what each option
						      * must state, "" ends */
	char from[MCQ_OPTIONS][24];          /* the user each option fits */
};

/* Plan item idx of `count` for the persona (index `index`, id `id`):
 * its type is idx mod 7, or the next type this persona's timeline and
 * peers can give. Returns 0, or -1 when no type can be built (no fact,
 * or too few peers with values of fitting length). */
int mcq_plan(struct mcq_item *out, const struct fact_plan *fp,
	     const struct world *w, const struct mcq_peers *peers,
	     const char *id, uint64_t index, uint64_t run_seed, int idx,
	     int count);

/* 1 when option text o states every needle of option k of it (case-
 * insensitively, word for word): the values of the user it fits. */
int mcq_option_ok(const struct mcq_item *it, int k, const char *o);

/* 1 when the length of o is within MCQ_LEN_PERCENT of correct's. */
int mcq_length_ok(const char *o, const char *correct);

#endif
