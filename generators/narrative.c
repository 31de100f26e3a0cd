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
#include <stdlib.h>

#include "base/json.h"
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

/* The near-duplicate check of the detailed narrative: 1 with err set
 * when it is to be drawn again, 0 when it stays (stored in the run's
 * index), -1 when memory runs out. A replayed narrative is only stored. */
static int
dedup(struct stage_ctx *sc, const char *text, struct pf_error *err)
{
	struct gen_unit *gu = sc->u->data;
	int64_t of = -1;
	int rc;

	if (sc->w == NULL)
		return gen_dedup_add(sc->cfg, sc->u->index, text, err);
	rc = gen_dedup_check(sc->cfg, sc->u->index, text, gu->redraws, &of,
			     err);
	if (rc != 1)
		return rc;
	gu->redraws++;
	return pf_error_set(err, "the detailed_persona text nearly repeats "
			    "that of persona index %" PRId64 " (MinHash "
			    "Jaccard >= %.2f): write it differently", of,
			    gen_cfg(sc->cfg)->dedup.threshold), 1;
}

static int
accept(struct stage_ctx *sc, const cJSON *reply, struct pf_error *err)
{
	const char *const *keys = writer_narrative_fields;
	const char *f[WRITER_NARRATIVE_FIELDS];
	char *owned[WRITER_NARRATIVE_FIELDS] = { 0 };
	int i, rc = 0;

	for (i = 0; i < WRITER_NARRATIVE_FIELDS && rc == 0; i++)
		if ((f[i] = field(reply, i, &owned[i])) == NULL) {
			pf_error_set(err, "missing '%s'", keys[i]);
			rc = 1;
		}
	for (i = 0; rc == 0 && sc->w != NULL &&
	     i < WRITER_NARRATIVE_FIELDS; i++)
		if (gen_incoherent(sc->u, f[i], NULL, 0, err))
			rc = 1;
	if (rc == 0)
		rc = dedup(sc, f[WRITER_NARRATIVE_FIELDS - 1], err);
	if (rc == 0 && sc->w != NULL)
		rc = writer_narrative(sc->w, sc->u->index, sc->u->id,
				      sc->item_id, f,
				      ((struct gen_unit *)sc->u->data)->redraws,
				      sc->rerun);
	for (i = 0; i < WRITER_NARRATIVE_FIELDS; i++)
		free(owned[i]);
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
	.forget = forget,
};
