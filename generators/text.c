/* text.c - the stages' offline text (see text.h). */
#include "generators/text.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "generators/config.h"
#include "generators/stages.h"

struct gen_grammars {
	/* Items render on several threads (engine/stage.h: vars): the
	 * first to ask for a file loads it under mu, the others wait for
	 * it. Entries 0 .. n - 1 never change once n counts them, so a
	 * render finds a loaded file without the lock (the lock per render
	 * was a contended one: every text of both workers took it). */
	pthread_mutex_t mu;
	_Atomic int n;
	char *name[GEN_GRAMMARS];
	struct grammar *g[GEN_GRAMMARS];
};

struct gen_grammars *
gen_grammars_new(void)
{
	struct gen_grammars *c = calloc(1, sizeof(*c));

	if (c != NULL && pthread_mutex_init(&c->mu, NULL) != 0) {
		free(c);
		return NULL;
	}
	return c;
}

void
gen_grammars_free(struct gen_grammars *c)
{
	int i;

	if (c == NULL)
		return;
	for (i = 0; i < atomic_load(&c->n); i++) {
		free(c->name[i]);
		grammar_free(c->g[i]);
	}
	pthread_mutex_destroy(&c->mu);
	free(c);
}

/* The loaded grammar of that file name, or NULL. */
static const struct grammar *
find(struct gen_grammars *c, const char *file)
{
	int i, n = atomic_load(&c->n);

	for (i = 0; i < n; i++)
		if (strcmp(c->name[i], file) == 0)
			return c->g[i];
	return NULL;
}

/* Under c->mu: the grammar of that file name, loaded if no thread has
 * loaded it yet. */
static const struct grammar *
find_or_load(struct gen_grammars *c, const struct pf_config *cfg,
	     const char *file, struct pf_error *err)
{
	const struct grammar *found = find(c, file);
	int n = atomic_load(&c->n), rc;
	char rel[256], *path;

	if (found != NULL)
		return found;
	if (n == GEN_GRAMMARS)
		return pf_error_set(err, "more than %d grammar files",
				    GEN_GRAMMARS), NULL;
	snprintf(rel, sizeof(rel), "templates/offline/%s.grammar", file);
	if ((path = config_data_path(cfg, rel)) == NULL)
		return pf_error_set(err, "out of memory"), NULL;
	rc = grammar_load(path, &c->g[n], err);
	free(path);
	if (rc != 0)
		return NULL;
	if ((c->name[n] = strdup(file)) == NULL) {
		grammar_free(c->g[n]);
		return pf_error_set(err, "out of memory"), NULL;
	}
	atomic_store(&c->n, n + 1);  /* entry n complete: now seen */
	return c->g[n];
}

const struct grammar *
gen_grammar(const struct pf_config *cfg, const char *file,
	    struct pf_error *err)
{
	struct gen_grammars *c = gen_cfg(cfg)->grammars;
	const struct grammar *g = find(c, file);

	if (g != NULL)
		return g;
	pthread_mutex_lock(&c->mu);
	g = find_or_load(c, cfg, file, err);
	pthread_mutex_unlock(&c->mu);
	return g;
}

int
gen_text_render(const struct pf_config *cfg, const char *file,
		const char *rule, const cJSON *vars, uint64_t seed,
		struct buf *out, struct pf_error *err)
{
	return gen_text_render_keys(cfg, NULL, file, rule, vars, seed, out,
				    err);
}

int
gen_text_render_keys(const struct pf_config *cfg,
		     const struct grammar_keys *keys, const char *file,
		     const char *rule, const cJSON *vars, uint64_t seed,
		     struct buf *out, struct pf_error *err)
{
	const struct grammar *g = gen_grammar(cfg, file, err);

	if (g == NULL)
		return -1;
	return grammar_render_keys(g, keys, rule, vars, seed, GRAMMAR_PROSE,
				   out, err);
}

struct grammar_keys *
gen_text_keys_draft(const struct gen_unit *gu)
{
	const cJSON *objs[] = { gu->persona_json, gu->life, gu->world_json };
	struct grammar_keys *k;

	return grammar_keys_new(objs, sizeof(objs) / sizeof(objs[0]), &k)
	       == 0 ? k : NULL;
}

const struct grammar_keys *
gen_text_keys_keep(struct gen_unit *gu, struct grammar_keys *k)
{
	struct grammar_keys *none = NULL;

	if (grammar_keys_add(k, gu->iv) != 0) {
		grammar_keys_free(k);
		return NULL;
	}
	/* two items of the unit may get here at once: one index stays */
	if (!atomic_compare_exchange_strong(&gu->text_keys, &none, k)) {
		grammar_keys_free(k);
		k = none;
	}
	return k;
}

const struct grammar_keys *
gen_text_keys(struct gen_unit *gu)
{
	struct grammar_keys *k = atomic_load(&gu->text_keys);

	if (k != NULL)
		return k;
	if ((k = gen_text_keys_draft(gu)) == NULL)
		return NULL;
	return gen_text_keys_keep(gu, k);
}

/* 1 when c ends a sentence: . ! ? (or a NUL, as strchr(".!?", c)
 * found it). */
static int
ends_sentence(char c)
{
	return c == '.' || c == '!' || c == '?' || c == '\0';
}

void
gen_text_cut(struct buf *b, int max_words)
{
	size_t i = 0, j, sentence = 0, word = 0;
	const char *sp;
	int words = 0, in = 0;

	/* from space to space (memchr: a test a byte was a tenth of the
	 * time of an interview answer) */
	while (max_words > 0 && i < b->len) {
		if ((sp = memchr(b->data + i, ' ', b->len - i)) == NULL) {
			i = b->len;
			break;
		}
		j = (size_t)(sp - b->data);
		in |= j > i;
		if (in && ++words == max_words) {
			i = j;
			break;
		}
		in = 0;
		word = j;
		if (j > 0 && ends_sentence(b->data[j - 1]))
			sentence = j;
		i = j + 1;
	}
	if (i >= b->len || max_words <= 0)
		return;
	b->len = sentence > 0 ? sentence : word;
	b->data[b->len] = '\0';
}

int
gen_text(const struct stage_ctx *sc, const char *file, const char *rule,
	 uint64_t seed, cJSON *vars, const char *key, struct pf_error *err)
{
	return gen_text_words(sc, file, rule, seed, vars, key, 0, err);
}

int
gen_text_words(const struct stage_ctx *sc, const char *file,
	       const char *rule, uint64_t seed, cJSON *vars, const char *key,
	       int max_words, struct pf_error *err)
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
	/* most texts fit: they grow by small appends, each doubling a
	 * reallocation */
	if (buf_reserve(&b, GEN_TEXT_RESERVE) != 0)
		return pf_error_set(err, "out of memory");
	if (gen_text_render_keys(sc->cfg, gen_text_keys(sc->u->data), file,
				 rule, vars, seed, &b, err) == 0) {
		gen_text_cut(&b, max_words);
		rc = cJSON_AddStringToObject(o, key, b.data ? b.data : "")
		     ? 0 : pf_error_set(err, "out of memory");
	}
	buf_free(&b);
	return rc;
}
