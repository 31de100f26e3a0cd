/* session.h - a persona's sessions: which document says what, when and to
 * whom (PersonaBench: one session is one retrieval chunk).
 *
 * Of `ndocs` sessions, round(noise_ratio x ndocs) are filler (noise: no
 * profile fact) and the others each plant `per_session` facts of the
 * persona's timeline (facts.h), so the share of filler is within
 * 1 / (2 x ndocs) of the setting (when the catalogue runs out of facts,
 * the sessions left over are filler too). Every session gets a document
 * type (the configured types in turn; a search session takes a fact a
 * query can state, its value, when a later session of another type has
 * one to swap), a target contact for a conversation, an email or a
 * calendar event, a timestamp (a fact's session is dated the day its fact
 * became true; filler falls anywhere in the timeline), a session id
 * "TYPE---session---N" (N counts that type's sessions, as PersonaBench
 * names them) and a 12-digit segment id unique among the persona's
 * sessions. Sessions are numbered in time order: session i is document
 * i, and the plan sets each fact's `doc`. A pure function of its inputs.
 */
#ifndef PF_SESSION_H
#define PF_SESSION_H

#include <stdint.h>

#include "generators/facts.h"
#include "generators/world.h"

#define SESSION_MAX 64
#define SESSION_FACTS 8    /* facts one session may plant */

struct session {
	const char *type;        /* "conversation", "user_ai", "purchase",
				  * "email", "calendar", "note", "search" */
	int nfacts;
	int fact[SESSION_FACTS]; /* indexes into the fact plan */
	int contact;             /* world contact of a conversation, email
				  * or calendar event, else -1 */
	int day, minute;         /* days since 1970-01-01, minute of the day */
	char session_id[48];
	char segment_id[13];
	int noise;               /* 1: filler */
};

struct session_plan {
	int n;
	struct session s[SESSION_MAX];
};

struct session_config {
	int ndocs;               /* sessions per persona, <= SESSION_MAX */
	double noise_ratio;      /* 0 .. 0.9 */
	int per_session;         /* facts per fact session */
	char *const *types;      /* document types, in turn */
	int ntypes;
};

/* Plan persona p's sessions and their facts: fills *fp (facts_plan) and
 * *out. Never fails. */
void session_plan(struct session_plan *out, struct fact_plan *fp,
		  const struct persona *p, const struct world *w,
		  uint64_t run_seed, const struct session_config *c);

/* "YYYY-MM-DDTHH:MM:00" of session s into out[20]. */
void session_timestamp(const struct session *s, char out[20]);

#endif
