/* narrative.c - stage "narrative": one structured persona description per
 * persona, in the manner of Nemotron-Personas' two enrichment calls: the
 * attributes (cultural background, skills and expertise, hobbies and
 * interests, career goals, each with a list) and the persona facets
 * (professional, finance, healthcare, sports, arts, travel, culinary,
 * concise, detailed). Offline the text comes from
 * templates/offline/narrative.grammar, one rule per field. A narrative
 * whose detailed_persona nearly repeats a lower index's is drawn again
 * (generators/dedup.h). */
#include "generators/stages.h"
#include "generators/config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/json.h"
#include "base/minhash.h"
#include "base/rng.h"
#include "generators/dedup.h"
#include "generators/text.h"
#include "output/writer.h"

#define LIST_FIRST WRITER_NARRATIVE_LIST_FIRST
#define LIST_END (WRITER_NARRATIVE_LIST_FIRST + WRITER_NARRATIVE_NLISTS)

/* The life list behind each *_list field, in field order. */
static const char *const list_source[WRITER_NARRATIVE_NLISTS] = {
	"cultural", "skills", "hobbies", "goals"
};

static int
is_list(int i)
{
	return i >= LIST_FIRST && i < LIST_END;
}

static int
count(const struct pf_config *cfg)
{
	return gen_cfg(cfg)->narrative ? 1 : 0;
}

static int
deps(const struct unit *u, uint32_t idx, struct stage_dep *d)
{
	(void)u;
	(void)idx;
	(void)d;
	return 0;
}

/* Offline: every prose field from its grammar rule (offline.FIELD) and
 * every list as JSON text (offline.FIELD, printed raw). */
static int
vars(struct stage_ctx *sc, cJSON *v, struct pf_error *err)
{
	const cJSON *life = cJSON_GetObjectItemCaseSensitive(v, "life");
	const char *const *keys = writer_narrative_fields;
	int redraws = ((struct gen_unit *)sc->u->data)->redraws;
	uint64_t seed = redraws == 0 ? sc->seed :
			rng_derive(sc->seed, "redraw", (uint64_t)redraws, 0);
	cJSON *o;
	char *s;
	int i;

	if (!sc->offline)
		return 0;
	for (i = 0; i < WRITER_NARRATIVE_FIELDS; i++)
		if (!is_list(i) &&
		    gen_text(sc, "narrative", keys[i], rng_derive(seed,
			     "narrative", (uint64_t)i, 0), v, keys[i], err))
			return -1;
	if ((o = cJSON_GetObjectItemCaseSensitive(v, "offline")) == NULL)
		return pf_error_set(err, "out of memory");
	for (i = LIST_FIRST; i < LIST_END; i++) {
		s = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(
			life, list_source[i - LIST_FIRST]));
		if (s == NULL || !cJSON_AddStringToObject(o, keys[i], s)) {
			free(s);
			return pf_error_set(err, "out of memory");
		}
		free(s);
	}
	return 0;
}

/* Field i of the reply as text (a list as compact JSON, into *owned);
 * NULL when missing or of the wrong type. */
static const char *
field(const cJSON *reply, int i, char **owned)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(
		reply, writer_narrative_fields[i]);

	*owned = NULL;
	if (!is_list(i))
		return cJSON_IsString(f) ? f->valuestring : NULL;
	if (!cJSON_IsArray(f))
		return NULL;
	return *owned = cJSON_PrintUnformatted(f);
}

/* What accept() works out from a reply alone: its fields as text, the
 * first rule it breaks, and the detailed text's signature. Pure, so
 * pre_accept works it out on the scheduler's pool. */
struct checked {
	const char *f[WRITER_NARRATIVE_FIELDS];  /* into the reply or owned */
	char *owned[WRITER_NARRATIVE_FIELDS];    /* the lists' JSON text */
	int rc;                                  /* 1: rejected, msg says
						  * why */
	char msg[sizeof(((struct pf_error *)0)->msg)];
	struct minhash sig;                      /* of the detailed text,
						  * when rc is 0 */
};

/* Fill c from reply (c->owned for the caller to free: checked_free).
 * live: the reply is to be accepted now (a replayed one was critiqued
 * when it came). */
static void
check(struct stage_ctx *sc, const cJSON *reply, int live,
      struct checked *c)
{
	const char *const *keys = writer_narrative_fields;
	struct pf_error e;
	int i;

	pf_error_clear(&e);
	c->rc = 0;
	for (i = 0; i < WRITER_NARRATIVE_FIELDS; i++)
		c->owned[i] = NULL;
	for (i = 0; i < WRITER_NARRATIVE_FIELDS && c->rc == 0; i++)
		if ((c->f[i] = field(reply, i, &c->owned[i])) == NULL) {
			pf_error_set(&e, "missing '%s'", keys[i]);
			c->rc = 1;
		}
	for (i = 0; c->rc == 0 && live && i < WRITER_NARRATIVE_FIELDS; i++)
		if (gen_incoherent(sc->u, c->f[i], NULL, 0, &e))
			c->rc = 1;
	if (c->rc == 0)
		minhash_text(c->f[WRITER_NARRATIVE_FIELDS - 1], &c->sig);
	snprintf(c->msg, sizeof(c->msg), "%s", e.msg);
}

static void
checked_free(struct checked *c)
{
	int i;

	for (i = 0; i < WRITER_NARRATIVE_FIELDS; i++)
		free(c->owned[i]);
}

/* pre_accept: check() ahead, on any thread; NULL when memory runs out. */
static void *
pre_accept(struct stage_ctx *sc, const cJSON *reply)
{
	struct checked *c = malloc(sizeof(*c));

	if (c != NULL)
		check(sc, reply, 1, c);
	return c;
}

static void
pre_free(void *pre)
{
	if (pre == NULL)
		return;
	checked_free(pre);
	free(pre);
}

/* The near-duplicate check of the detailed narrative (signature m): 1
 * with err set when it is to be drawn again, 0 when it stays (stored in
 * the run's index), -1 when memory runs out. A replayed narrative is
 * only stored. */
static int
dedup(struct stage_ctx *sc, const struct minhash *m, struct pf_error *err)
{
	struct gen_unit *gu = sc->u->data;
	int64_t of = -1;
	int rc;

	if (sc->w == NULL)
		return gen_dedup_add(sc->cfg, sc->u->index, m, err);
	rc = gen_dedup_check(sc->cfg, sc->u->index, m, gu->redraws, &of, err);
	if (rc != 1)
		return rc;
	gu->redraws++;
	return pf_error_set(err, "the detailed_persona text nearly repeats "
			    "that of persona index %" PRId64 " (MinHash "
			    "Jaccard >= %.2f): write it differently", of,
			    gen_cfg(sc->cfg)->dedup.threshold), 1;
}

/* Only the near-duplicate index and the rows are left for the loop
 * thread when pre_accept checked the reply ahead (sc->pre). */
static int
accept(struct stage_ctx *sc, const cJSON *reply, struct pf_error *err)
{
	const struct checked *c = sc->pre;
	struct checked own;
	int rc = 0;

	if (c == NULL) {
		check(sc, reply, sc->w != NULL, &own);
		c = &own;
	}
	if (c->rc != 0) {
		pf_error_set(err, "%s", c->msg);
		rc = 1;
	}
	if (rc == 0)
		rc = dedup(sc, &c->sig, err);
	if (rc == 0 && sc->w != NULL)
		rc = writer_narrative(sc->w, sc->u->index, sc->u->id,
				      sc->item_id, c->f,
				      ((struct gen_unit *)sc->u->data)->redraws,
				      sc->rerun);
	if (c == &own)
		checked_free(&own);
	return rc;
}

static int
forget(struct stage_ctx *sc)
{
	return writer_forget(sc->w, "narrative", sc->u->id);
}

const struct stage stage_narrative = {
	.version = "2",
	.name = "narrative",
	.count = count,
	.deps = deps,
	.vars = vars,
	.accept = accept,
	.pre_accept = pre_accept,
	.pre_free = pre_free,
	.forget = forget,
};
