/* text.h - the stages' offline text: seeded grammars (templates/grammar.h)
 * loaded once per run.
 *
 * A stage writes its offline reply text in templates/offline/FILE.grammar
 * and, from its vars() hook, calls gen_text(): the rule is expanded with
 * the item's variables and a seed, and the text lands in the render
 * variables as offline.KEY, which templates/offline/STAGE.mustache prints
 * JSON-escaped ({"answer": "{{offline.answer}}"}). With a real backend
 * (sc->offline 0) nothing is expanded: the prompt is the same either way.
 *
 * Seeds: pass sc->seed (a function of run seed, stage, persona index and
 * item index), or rng_derive(sc->seed, "what", k, 0) for several texts
 * of one item, so a text never depends on the run size or order.
 */
#ifndef PF_GEN_TEXT_H
#define PF_GEN_TEXT_H

#include <stdint.h>
#include <cjson/cJSON.h>

#include "base/buf.h"
#include "base/error.h"
#include "engine/stage.h"
#include "templates/grammar.h"

#define GEN_TEXT_MAX ((size_t)64 << 10)  /* bytes of one generated text */
#define GEN_GRAMMARS 16                  /* grammar files per run */
#define GEN_TEXT_RESERVE 1000            /* bytes a text starts with: most
						* fit, and the block stays small
						* enough for malloc's per-thread
						* cache (1 KiB) */

struct gen_grammars;  /* a run's loaded grammars (gen_config.grammars) */

/* The compiled templates/offline/FILE.grammar of the run (resolved like
 * the other templates: $.generation.templates_dir, then the data
 * directory), loaded on first use and kept until gen_config_free().
 * Returns NULL with err filled (file:line:col of a bad rule file). Any
 * thread may call it: the first caller of a file loads it under a lock
 * (the others wait), and a loaded file is found without the lock. */
const struct grammar *gen_grammar(const struct pf_config *cfg,
				  const char *file, struct pf_error *err);

/* Append the prose expansion of FILE's `rule` (vars, seed) to out.
 * Returns 0, or -1 with err filled. */
int gen_text_render(const struct pf_config *cfg, const char *file,
		    const char *rule, const cJSON *vars, uint64_t seed,
		    struct buf *out, struct pf_error *err);

struct gen_unit;

/* gen_text_render() with the objects of `keys` (may be NULL) found
 * through that index (grammar_render_keys()): the same text. */
int gen_text_render_keys(const struct pf_config *cfg,
			 const struct grammar_keys *keys, const char *file,
			 const char *rule, const cJSON *vars, uint64_t seed,
			 struct buf *out, struct pf_error *err);

/* The key index of unit gu's persona_json, life, world_json and iv
 * (struct gen_unit: text_keys), made on the first call and kept until
 * the unit closes; its objects must not lose or change children after
 * the first call. NULL when memory runs out (texts are then rendered
 * without it, the same). Any thread may call it. */
const struct grammar_keys *gen_text_keys(struct gen_unit *gu);

/* The first part of gen_text_keys(), for the unit's preparation
 * (generators/interview.c draws the interview details into iv with
 * it): an index of gu's persona_json, life and world_json, owned by
 * the caller, or NULL when memory runs out. */
struct grammar_keys *gen_text_keys_draft(const struct gen_unit *gu);

/* The rest: add gu->iv, complete now, to k (from
 * gen_text_keys_draft(), taken) and keep it as the unit's index, made
 * while the unit's objects are still in the cache (a first render
 * walking them all to make the index missed the cache at every key).
 * Returns the unit's index, or NULL when memory runs out. */
const struct grammar_keys *gen_text_keys_keep(struct gen_unit *gu,
					      struct grammar_keys *k);

/* Offline only: expand FILE's `rule` against vars with `seed` and store
 * the text in vars as offline.KEY (adding the "offline" object). Returns
 * 0 (also when sc->offline is 0: nothing to do), or -1 with err
 * filled. */
int gen_text(const struct stage_ctx *sc, const char *file, const char *rule,
	     uint64_t seed, cJSON *vars, const char *key,
	     struct pf_error *err);

/* An empty cache, or NULL when memory runs out. */
struct gen_grammars *gen_grammars_new(void);

/* gen_text() cut to at most max_words words (0: no limit), at the last
 * sentence end that fits (at a word when no sentence ends in time), for
 * a reply with a word budget. */
int gen_text_words(const struct stage_ctx *sc, const char *file,
		   const char *rule, uint64_t seed, cJSON *vars,
		   const char *key, int max_words, struct pf_error *err);

/* Cut the text in b to at most max_words words, as gen_text_words(). */
void gen_text_cut(struct buf *b, int max_words);

/* Free the cache. Accepts NULL. */
void gen_grammars_free(struct gen_grammars *g);

#endif
