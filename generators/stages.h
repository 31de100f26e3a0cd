/* stages.h - the build's stages and what they share.
 *
 * The stage table (gen_stage_table, registry.c) lists every stage in run
 * order; the enum below names their places in it, which is how a stage
 * points at another's items and replies. A unit of the build is one
 * persona: the table's hooks sample it, plan its facts, render its
 * profile and write its row when the scheduler opens it.
 *
 * Adding a stage: a file here with its const struct stage, one line in
 * the enum and one in the table (plus its templates and schema).
 */
#ifndef PF_GEN_STAGES_H
#define PF_GEN_STAGES_H

#include "base/buf.h"
#include "engine/prompts.h"
#include "engine/stage.h"
#include "generators/config.h"
#include "generators/facts.h"
#include "generators/mcqplan.h"
#include "generators/session.h"
#include "generators/world.h"
#include "personas/coherence.h"
#include "personas/persona.h"
#include "personas/sampler.h"

enum gen_stage {
	GEN_NARRATIVE,
	GEN_INTERVIEW,
	GEN_DOCUMENT,
	GEN_QA,
	GEN_PREFERENCE,
	GEN_JUDGE,
	GEN_CQA,
	GEN_MCQ,
	GEN_COUNT
};

extern const struct stage stage_narrative;
extern const struct stage stage_interview;
extern const struct stage stage_document;
extern const struct stage stage_qa;
extern const struct stage stage_preference;
extern const struct stage stage_judge;
extern const struct stage stage_cqa;
extern const struct stage stage_mcq;

/* Every stage of a build, with the persona hooks. */
extern const struct stage_table gen_stage_table;

/* What the persona hooks need: sched_opts.hooks_ud of a build. */
struct gen_context {
	const struct pf_config *cfg;
	const struct persona_tables *tables;
	const struct prompts *prompts;   /* its unit template is the profile */
	int offline;                     /* the offline backend answers: each
					  * unit draws its interview details */
};

/* A persona unit's state (unit.data). */
/* What the interview critic said of one question's answers so far. */
struct gen_critic {
	int rejected;                    /* answers it sent back */
	char reason[256];                /* why it sent back the last one */
};

struct grammar_keys;  /* templates/grammar.h */

/* Interview answers whose claims a unit keeps (gen_incoherent_with): a
 * later answer's check reads the claims of a kept one once per unit.
 * 4: the earlier answers of a 5-question interview; each is 3 KB of
 * every unit block. */
#define GEN_CLAIMS_KEPT 4

/* What a unit's block keeps when it is recycled for the next unit
 * (registry.c: unit_alloc clears everything before it): memory, not
 * meaning. */
struct gen_kept {
	struct buf row;                  /* the persona row's profile:
					  * world_profile_json() as text */
	struct buf profile;              /* the rendered profile,
					  * persona_json's "profile" */
	struct {
		const char *text;        /* the answer they were read from */
		struct coherence_claims c;
	} claims[GEN_CLAIMS_KEPT];       /* valid per claims_state */
};

struct gen_unit {
	struct persona persona;
	cJSON *persona_json;             /* persona_to_json() + "profile" */
	cJSON *life;                     /* shared life details (life.h) */
	cJSON *world_json;               /* world_profile_json() + pet_kind,
					  * pet_name: `world` in offline text */
	struct fact_plan facts;          /* planted facts (facts.h) */
	struct world world;              /* contacts, profile (world.h) */
	/* facts_coherence() of facts and world, made once by prepare:
	 * every text's coherence check reads them (gen_incoherent). */
	struct coherence_fact cf[FACTS_MAX + WORLD_MAX_CONTACTS];
	int ncf;
	struct session_plan sessions;    /* its documents (session.h) */
	cJSON *iv;                       /* the interview's details of the
					  * persona, offline (interview.c:
					  * gen_interview_details), or NULL */
	struct gen_critic critic[GEN_MAX_LIST]; /* per interview question */
	int redraws;                     /* narrative near-duplicate redraws
					  * (generators/dedup.h) */
	/* The run's persona tables, for a stage that needs another
	 * persona of the run (cqa: the answerer). */
	const struct persona_tables *tables;
	struct mcq_peers *peers;         /* the other users of its mcq
					  * items (mcqplan.h), NULL when
					  * the stage is off */
	/* The key index of persona_json, life, world_json and iv for its
	 * offline texts (generators/text.c: made by the first text, NULL
	 * before; freed by unit_close). */
	struct grammar_keys *_Atomic text_keys;
	/* Whether kept.claims[i] holds the claims of interview answer i
	 * (personas/coherence.h): read by the first check that holds a
	 * later answer to it (gen_incoherent_with; registry.c). */
	_Atomic unsigned char claims_state[GEN_CLAIMS_KEPT];
	struct gen_kept kept;            /* last: not cleared on reuse */
};

/* The persona and the planted facts of unit u. */
const struct persona *gen_persona(const struct unit *u);
const struct fact_plan *gen_facts(const struct unit *u);

/* The world and the session plan of unit u. */
const struct world *gen_world(const struct unit *u);
const struct session_plan *gen_sessions(const struct unit *u);

/* The other users unit u's mcq items draw distractors from, or NULL
 * (the stage is off, or memory ran out). */
const struct mcq_peers *gen_mcq_peers(const struct unit *u);

/* The deps of a stage whose items wait for every document of the
 * persona (up to STAGE_MAX_DEPS): qa, mcq. */
int gen_deps_documents(const struct unit *u, uint32_t idx,
		       struct stage_dep *d);

/* The deps of a stage whose items wait for nothing: 0. */
int gen_no_deps(const struct unit *u, uint32_t idx, struct stage_dep *d);

/* A dataset row id: the persona id, a dash, a kind letter and a 1-based
 * number ("p000042-d1": 'd' document, 'f' fact, 'q' qa, 'r' preference
 * pair, 't' backstory turn, 'c' community answer). Every writer and forget uses this one. */
void gen_row_id(char *out, size_t n, const struct unit *u, char kind,
		int number);

/* Draw the interview's own details of persona `index` (grandparents, a
 * childhood friend, a street...: rules ivd.KEY of interview.grammar) once
 * for all its answers into gu->iv, which the unit then owns; gu's
 * persona_json, life and world_json must be set. Runs on any thread
 * (the unit hooks' prepare calls it). Returns 0, or -1 with err set
 * (the grammar cannot load, out of memory). */
int gen_interview_details(const struct pf_config *cfg, int64_t index,
			  struct gen_unit *gu, struct pf_error *err);

/* The critic every text stage shares: 1 when text breaks a coherence
 * rule (personas/coherence.h) for u's persona, planted facts and
 * relatives among its contacts, with
 * err saying which and why (the item is then asked again with that
 * reason, and why[n], when not NULL, gets the first violation's
 * "rule: detail"); 0 when it holds together (why untouched). */
int gen_incoherent(const struct unit *u, const char *text, char *why,
		   size_t n, struct pf_error *err);

/* gen_incoherent() that also holds text to the `nearlier` earlier
 * answers of the same interview (rule earlier_answer: hometown, birth
 * year, relatives, employer, job, move): earlier[i] is its answer i,
 * whose claims are read once per unit. */
int gen_incoherent_with(const struct unit *u, const char *text,
			const char *const *earlier, int nearlier, char *why,
			size_t n, struct pf_error *err);

#endif
