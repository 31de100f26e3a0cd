/* narrative.c - stage "narrative": one structured persona description per
 * persona (cultural background, skills, hobbies, goals, a concise persona),
 * in the manner of Nemotron-Personas' attribute pass. */
#include "generators/stages.h"
#include "generators/config.h"
#include "base/json.h"
#include "output/writer.h"

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

static int
vars(struct stage_ctx *sc, cJSON *v, struct pf_error *err)
{
	(void)sc;
	(void)v;
	(void)err;
	return 0;
}

static int
accept(struct stage_ctx *sc, const cJSON *reply, struct pf_error *err)
{
	const char *const *keys = writer_narrative_fields;
	const char *f[WRITER_NARRATIVE_FIELDS];
	int i;

	for (i = 0; i < WRITER_NARRATIVE_FIELDS; i++) {
		f[i] = json_get_str(reply, keys[i], NULL);
		if (f[i] == NULL)
			return pf_error_set(err, "missing '%s'", keys[i]), 1;
	}
	if (sc->w == NULL)
		return 0;
	for (i = 0; i < WRITER_NARRATIVE_FIELDS; i++)
		if (gen_incoherent(sc->u, f[i], NULL, 0, err))
			return 1;
	return writer_narrative(sc->w, sc->u->index, sc->u->id,
				sc->item_id, f, sc->rerun);
}

static int
forget(struct stage_ctx *sc)
{
	return writer_forget(sc->w, "narrative", sc->u->id);
}

const struct stage stage_narrative = {
	.version = "1",
	.name = "narrative",
	.count = count,
	.deps = deps,
	.vars = vars,
	.accept = accept,
	.forget = forget,
};
