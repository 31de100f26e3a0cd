/* text.c - the stages' offline text (see text.h). */
#include "generators/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "generators/config.h"

struct gen_grammars {
	int n;
	char *name[GEN_GRAMMARS];
	struct grammar *g[GEN_GRAMMARS];
};

struct gen_grammars *
gen_grammars_new(void)
{
	return calloc(1, sizeof(struct gen_grammars));
}

void
gen_grammars_free(struct gen_grammars *c)
{
	int i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++) {
		free(c->name[i]);
		grammar_free(c->g[i]);
	}
	free(c);
}

const struct grammar *
gen_grammar(const struct pf_config *cfg, const char *file,
	    struct pf_error *err)
{
	struct gen_grammars *c = gen_cfg(cfg)->grammars;
	char rel[256], *path;
	int i, rc;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->name[i], file) == 0)
			return c->g[i];
	if (c->n == GEN_GRAMMARS)
		return pf_error_set(err, "more than %d grammar files",
				    GEN_GRAMMARS), NULL;
	snprintf(rel, sizeof(rel), "templates/offline/%s.grammar", file);
	if ((path = config_data_path(cfg, rel)) == NULL)
		return pf_error_set(err, "out of memory"), NULL;
	rc = grammar_load(path, &c->g[c->n], err);
	free(path);
	if (rc != 0)
		return NULL;
	if ((c->name[c->n] = strdup(file)) == NULL) {
		grammar_free(c->g[c->n]);
		return pf_error_set(err, "out of memory"), NULL;
	}
	return c->g[c->n++];
}

int
gen_text_render(const struct pf_config *cfg, const char *file,
		const char *rule, const cJSON *vars, uint64_t seed,
		struct buf *out, struct pf_error *err)
{
	const struct grammar *g = gen_grammar(cfg, file, err);

	if (g == NULL)
		return -1;
	return grammar_render(g, rule, vars, seed, GRAMMAR_PROSE, out, err);
}

int
gen_text(const struct stage_ctx *sc, const char *file, const char *rule,
	 uint64_t seed, cJSON *vars, const char *key, struct pf_error *err)
{
	cJSON *o;
	struct buf b;
	int rc = -1;

	if (!sc->offline)
		return 0;
	o = cJSON_GetObjectItemCaseSensitive(vars, "offline");
	if (o == NULL)
		o = cJSON_AddObjectToObject(vars, "offline");
	if (!cJSON_IsObject(o))
		return pf_error_set(err, "out of memory");
	buf_init(&b, GEN_TEXT_MAX);
	if (gen_text_render(sc->cfg, file, rule, vars, seed, &b, err) == 0)
		rc = cJSON_AddStringToObject(o, key, b.data ? b.data : "")
		     ? 0 : pf_error_set(err, "out of memory");
	buf_free(&b);
	return rc;
}
