/* registry.c - the build's stage table, its persona hooks and the helpers
 * stages share (see stages.h). */
#include "generators/stages.h"
#include "generators/config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/json.h"
#include "generators/life.h"
#include "personas/coherence.h"
#include "output/writer.h"
#include "templates/grammar.h"

#define PROFILE_MAX ((size_t)1 << 20)
#define SPARE_MAX 256       /* closed units' blocks kept for new units */

/* Blocks of closed units (struct gen_unit, ~60 KB) for the next units:
 * freeing one made glibc merge the heap's small free chunks every time
 * (malloc_consolidate), and units end in bursts (engine/scheduler.c
 * frees up to 1,024 at once). Any thread prepares and closes units,
 * hence the lock. The blocks kept are reachable until the process
 * ends. */
static struct {
	pthread_mutex_t lock;
	struct gen_unit *v[SPARE_MAX];
	int n;
} spare = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* The members unit_prepare() has written whole by their builders
 * before anything reads them (persona_sample, world_build,
 * facts_coherence, which fills the cf[0..ncf) it returns, and
 * session_plan, which plans the facts f[0..n) and sets n): a kept block
 * is cleared around them, 45 of its 60 KB less to write. In offset
 * order; `kept`, last, is not cleared either. */
static const struct { size_t off, len; } built[] = {
	{ offsetof(struct gen_unit, persona), sizeof(struct persona) },
	{ offsetof(struct gen_unit, facts.f),
	  sizeof(((struct gen_unit *)0)->facts.f) },
	{ offsetof(struct gen_unit, world), sizeof(struct world) },
	{ offsetof(struct gen_unit, cf), sizeof(((struct gen_unit *)0)->cf) },
	{ offsetof(struct gen_unit, sessions), sizeof(struct session_plan) },
};
_Static_assert(offsetof(struct gen_unit, persona) <
	       offsetof(struct gen_unit, facts.f) &&
	       offsetof(struct gen_unit, facts.f) <
	       offsetof(struct gen_unit, world) &&
	       offsetof(struct gen_unit, world) <
	       offsetof(struct gen_unit, cf) &&
	       offsetof(struct gen_unit, cf) <
	       offsetof(struct gen_unit, sessions) &&
	       offsetof(struct gen_unit, sessions) <
	       offsetof(struct gen_unit, kept), "built: offset order");

#define KEPT_MAX ((size_t)16 << 10)  /* a kept buffer's most */

/* Initialise a new block's kept buffers. */
static void
kept_init(struct gen_kept *k)
{
	buf_init(&k->row, PROFILE_MAX);
	buf_init(&k->profile, PROFILE_MAX);
}

/* Free kept buffers past KEPT_MAX (all: KEPT_MAX 0), empty the rest. */
static void
kept_trim(struct gen_kept *k, size_t max)
{
	if (k->row.cap > max)
		buf_free(&k->row);
	if (k->profile.cap > max)
		buf_free(&k->profile);
	buf_reset(&k->row);
	buf_reset(&k->profile);
}

/* A block for a new unit, zero but for `built` and `kept`, or NULL when
 * memory runs out. */
static struct gen_unit *
unit_alloc(void)
{
	struct gen_unit *gu = NULL;
	size_t at = 0, i;

	pthread_mutex_lock(&spare.lock);
	if (spare.n > 0)
		gu = spare.v[--spare.n];
	pthread_mutex_unlock(&spare.lock);
	if (gu == NULL) {
		if ((gu = calloc(1, sizeof(*gu))) != NULL)
			kept_init(&gu->kept);
		return gu;
	}
	for (i = 0; i < sizeof(built) / sizeof(built[0]); i++) {
		memset((char *)gu + at, 0, built[i].off - at);
		at = built[i].off + built[i].len;
	}
	memset((char *)gu + at, 0, offsetof(struct gen_unit, kept) - at);
	return gu;
}

/* Keep gu's block for a new unit (with its buffers, but those grown
 * past KEPT_MAX), or free it when SPARE_MAX are kept. */
static void
unit_free(struct gen_unit *gu)
{
	kept_trim(&gu->kept, KEPT_MAX);
	pthread_mutex_lock(&spare.lock);
	if (spare.n < SPARE_MAX) {
		spare.v[spare.n++] = gu;
		gu = NULL;
	}
	pthread_mutex_unlock(&spare.lock);
	if (gu != NULL)
		kept_trim(&gu->kept, 0);
	free(gu);
}

static const struct stage *const stages[GEN_COUNT] = {
	[GEN_NARRATIVE] = &stage_narrative,
	[GEN_INTERVIEW] = &stage_interview,
	[GEN_DOCUMENT] = &stage_document,
	[GEN_QA] = &stage_qa,
	[GEN_PREFERENCE] = &stage_preference,
	[GEN_JUDGE] = &stage_judge,
	[GEN_CQA] = &stage_cqa,
	[GEN_MCQ] = &stage_mcq,
};

const struct persona *
gen_persona(const struct unit *u)
{
	return &((const struct gen_unit *)u->data)->persona;
}

const struct fact_plan *
gen_facts(const struct unit *u)
{
	return &((const struct gen_unit *)u->data)->facts;
}

const struct world *
gen_world(const struct unit *u)
{
	return &((const struct gen_unit *)u->data)->world;
}

const struct session_plan *
gen_sessions(const struct unit *u)
{
	return &((const struct gen_unit *)u->data)->sessions;
}

const struct mcq_peers *
gen_mcq_peers(const struct unit *u)
{
	return ((const struct gen_unit *)u->data)->peers;
}

int
gen_incoherent(const struct unit *u, const char *text, char *why, size_t n,
	       struct pf_error *err)
{
	return gen_incoherent_with(u, text, NULL, 0, why, n, err);
}

enum { CLAIMS_NONE, CLAIMS_BUSY, CLAIMS_READY };  /* claims_state */

/* The claims of text, interview answer i of gu: read by the first
 * caller into gu->kept.claims[i] and kept for the unit (claims_state
 * says when they are there, so that threads racing for one answer agree
 * without a lock). NULL past GEN_CLAIMS_KEPT, while another thread
 * reads them, or when answer i's kept claims are of another text: the
 * rule then reads text itself. */
static const struct coherence_claims *
claims_of(struct gen_unit *gu, int i, const char *text)
{
	unsigned char st = CLAIMS_NONE;

	if (i >= GEN_CLAIMS_KEPT)
		return NULL;
	if (atomic_compare_exchange_strong(&gu->claims_state[i], &st,
					   CLAIMS_BUSY)) {
		gu->kept.claims[i].text = text;
		coherence_claims_read(text, &gu->kept.claims[i].c);
		atomic_store(&gu->claims_state[i], CLAIMS_READY);
		return &gu->kept.claims[i].c;
	}
	if (st == CLAIMS_READY && gu->kept.claims[i].text == text)
		return &gu->kept.claims[i].c;
	return NULL;
}

int
gen_incoherent_with(const struct unit *u, const char *text,
		    const char *const *earlier, int nearlier, char *why,
		    size_t n, struct pf_error *err)
{
	struct gen_unit *gu = u->data;
	const struct coherence_claims *ec[GEN_MAX_LIST];
	struct coherence_input in = { .p = &gu->persona, .facts = gu->cf,
				      .nfacts = gu->ncf, .text = text,
				      .earlier = earlier,
				      .nearlier = nearlier };
	char d[256];
	int i;

	for (i = 0; i < nearlier && nearlier <= GEN_MAX_LIST; i++)
		ec[i] = claims_of(gu, i, earlier[i]);
	if (nearlier > 0 && nearlier <= GEN_MAX_LIST)
		in.earlier_claims = ec;
	if (coherence_check(&in, NULL, d, sizeof(d)) == 0)
		return 0;
	if (why != NULL)
		snprintf(why, n, "%s", d);
	pf_error_set(err, "the text contradicts the persona (%s)", d);
	return 1;
}

int
gen_deps_documents(const struct unit *u, uint32_t idx, struct stage_dep *d)
{
	int i, n = u->count[GEN_DOCUMENT];

	(void)idx;
	if (n > STAGE_MAX_DEPS)
		n = STAGE_MAX_DEPS;
	for (i = 0; i < n; i++)
		d[i] = (struct stage_dep){ GEN_DOCUMENT, (uint32_t)i };
	return n;
}

int
gen_no_deps(const struct unit *u, uint32_t idx, struct stage_dep *d)
{
	(void)u;
	(void)idx;
	(void)d;
	return 0;
}

void
gen_row_id(char *out, size_t n, const struct unit *u, char kind, int number)
{
	snprintf(out, n, "%s-%c%d", u->id, kind, number);
}

/* Render the persona's profile once into persona_json.profile: every
 * prompt shows the same profile. The string is the unit's kept buffer
 * (no copy: persona_json is freed before the block is reused). */
static int
add_profile(const struct gen_context *g, struct gen_unit *gu,
	    struct pf_error *err)
{
	const struct prompts *p = g->prompts;
	struct buf *b = &gu->kept.profile;
	cJSON *v = cJSON_CreateObject(), *prof = NULL;
	int rc = -1;

	if (v == NULL)
		return pf_error_set(err, "out of memory");
	cJSON_AddItemReferenceToObject(v, "persona", gu->persona_json);
	if (prompts_render(p, p->unit, v, 0, b, err) == 0 &&
	    (prof = json_put_ref(gu->persona_json, "profile",
				 b->data ? b->data : "")) != NULL)
		rc = 0;
	/* First among the persona's hundred keys: every prompt of the unit
	 * looks {{persona.profile}} up by walking them in order, and the
	 * walk's cache misses cost more than the rest of the lookups. */
	if (rc == 0 && cJSON_DetachItemViaPointer(gu->persona_json, prof) &&
	    !cJSON_InsertItemInArray(gu->persona_json, 0, prof)) {
		cJSON_Delete(prof);
		rc = pf_error_set(err, "out of memory");
	}
	cJSON_Delete(v);
	return rc;
}

/* Template-only values the coherence rules ask for (persona_json is not
 * written as a row): has_job (only a persona with a job says "I work
 * as"), can_vote (only a citizen says "I vote"), can_exercise (only a
 * persona whose health allows it takes up a hard sport) and home, the
 * household as a phrase. -1 when memory runs out. */
static int
add_template_vars(struct gen_unit *gu)
{
	const struct persona *p = &gu->persona;

	if (gu->persona_json == NULL)
		return -1;
	if (json_put(gu->persona_json, "has_job",
		     cJSON_CreateBool(coherence_has_job(p))) == NULL ||
	    json_put(gu->persona_json, "can_vote",
		     cJSON_CreateBool(coherence_can_vote(p))) == NULL ||
	    json_put(gu->persona_json, "can_exercise",
		     cJSON_CreateBool(coherence_can_exercise(p))) == NULL ||
	    json_put_ref(gu->persona_json, "home",
			 coherence_household_phrase(p->household)) == NULL)
		return -1;
	return 0;
}

/* The persona's profile (world_profile_json) as its row's `profile`
 * text, and for the offline text as `world`, with its pet also flat
 * (`pet_kind`, `pet_name`: the profile keys the pet by kind); the row
 * keeps the profile as it is. -1 when memory runs out. */
static int
add_world_vars(struct gen_unit *gu)
{
	const struct world_profile *f = &gu->world.profile;

	if ((gu->world_json = world_profile_json(&gu->world)) == NULL ||
	    json_print_to(&gu->kept.row, gu->world_json) != 0 ||
	    json_put_ref(gu->world_json, "pet_kind",
			 f->pet_kind ? f->pet_kind : "") == NULL ||
	    json_put_ref(gu->world_json, "pet_name",
			 f->pet_name ? f->pet_name : "") == NULL)
		return -1;
	return 0;
}

/* Build the persona's world and plan its sessions and facts. */
static void
plan_world(const struct pf_config *c, const struct persona_tables *t,
	   struct gen_unit *gu)
{
	const struct gen_config *g = gen_cfg(c);
	struct world_config wc = g->world;
	const struct session_config sc = { g->documents, g->noise_ratio,
		g->facts_per_document, g->doc_types, g->ndoc_types };

	wc.personas = c->personas > 0 ? (uint64_t)c->personas : 0;
	world_build(&gu->world, t, c->seed, &gu->persona, &wc);
	session_plan(&gu->sessions, &gu->facts, &gu->persona, &gu->world,
		     c->seed, &sc);
	gu->ncf = facts_coherence(&gu->facts, &gu->world, gu->cf);
	if (g->mcq > 0 && g->documents > 0)
		gu->peers = mcq_peers_build(t, c->seed, &gu->persona, &wc, &sc,
					    c->personas);
}

/* The persona's row and its contacts' rows. */
static int
write_world(void *w, const struct gen_unit *gu, struct pf_error *err)
{
	const struct world *wd = &gu->world;
	const struct world_contact *x;
	int i;

	if (writer_persona(w, &gu->persona, wd->community, wd->canary,
			   gu->kept.row.data) != 0)
		return pf_error_set(err, "cannot write the persona: %s",
				    writer_errmsg(w));
	for (i = 0; i < wd->ncontacts; i++) {
		x = &wd->c[i];
		if (writer_contact(w, (int64_t)gu->persona.index,
				   &(struct writer_contact){
				   x->id, x->name, x->sex, x->relationship,
				   x->word, x->description, x->job, x->city,
				   x->likes, x->shared_id, i,
				   x->age }) != 0)
			return pf_error_set(err, "cannot write a contact: %s",
					    writer_errmsg(w));
	}
	return 0;
}

/* Sample persona u->index, plan its world, sessions and facts, draw
 * its life (and, offline, its interview details) and render its
 * profile. Runs on any thread (engine/stage.h: hooks.prepare). */
static int
unit_prepare(void *ud, struct unit *u, struct pf_error *err)
{
	const struct gen_context *g = ud;
	const struct pf_config *c = g->cfg;
	struct gen_unit *gu = unit_alloc();

	if ((u->data = gu) == NULL)
		return pf_error_set(err, "out of memory");
	persona_sample(g->tables, c->seed, (uint64_t)u->index, &gu->persona);
	gu->tables = g->tables;
	snprintf(u->id, sizeof(u->id), "%s", gu->persona.id);
	gu->persona_json = persona_to_json(&gu->persona);
	if (add_template_vars(gu) != 0)
		return pf_error_set(err, "out of memory");
	plan_world(c, g->tables, gu);
	if (gu->persona_json == NULL || add_world_vars(gu) != 0)
		return pf_error_set(err, "out of memory");
	if ((gu->life = life_json(c, &gu->persona, gu->persona_json,
				  &gu->facts, &gu->world, c->seed,
				  err)) == NULL)
		return -1;
	if (add_profile(g, gu, err) != 0)
		return -1;
	if (g->offline && gen_cfg(c)->nquestions > 0 &&
	    gen_interview_details(c, u->index, gu, err) != 0)
		return -1;
	return 0;
}

/* Write the prepared persona's row and its contacts' rows. */
static int
unit_open(void *ud, struct unit *u, void *w, struct pf_error *err)
{
	(void)ud;
	return write_world(w, u->data, err);
}

/* The persona and, once accepted, the narrative: every prompt sees both. */
static int
unit_vars(void *ud, const struct unit *u, cJSON *v)
{
	const struct gen_unit *gu = u->data;
	const cJSON *narr = unit_reply(u, GEN_NARRATIVE, 0);

	(void)ud;
	if (!cJSON_AddItemReferenceToObject(v, "persona", gu->persona_json) ||
	    !cJSON_AddItemReferenceToObject(v, "life", gu->life) ||
	    !cJSON_AddItemReferenceToObject(v, "world", gu->world_json))
		return -1;
	if (narr != NULL && !cJSON_AddItemReferenceToObject(v, "narrative",
							    (cJSON *)narr))
		return -1;
	return 0;
}

static void
unit_close(void *ud, struct unit *u)
{
	struct gen_unit *gu = u->data;

	(void)ud;
	if (gu == NULL)
		return;
	cJSON_Delete(gu->persona_json);
	cJSON_Delete(gu->life);
	cJSON_Delete(gu->world_json);
	cJSON_Delete(gu->iv);
	grammar_keys_free(gu->text_keys);
	free(gu->peers);
	unit_free(gu);
	u->data = NULL;
}

const struct stage_table gen_stage_table = {
	.stages = stages,
	.n = GEN_COUNT,
	.unit_template = "persona",
	.hooks = {
		.prepare = unit_prepare,
		.open = unit_open,
		.vars = unit_vars,
		.close = unit_close,
	},
};
