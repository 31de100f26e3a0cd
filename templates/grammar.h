/* grammar.h - seeded text grammars for the offline backend.
 *
 * A grammar is a data file of named rules (templates/offline/NAME.grammar,
 * format in doc/grammar.md). A rule has alternatives; an alternative is
 * text with references to other rules (<rule>), variables from the same
 * cJSON tree the stage's Mustache templates get ({persona.city}), inline
 * choices ([a|b|c]) and conditionals on variables
 * ([?persona.has_job: ... | ...], [?rel.sex=female: sister | brother]).
 * Expanding a rule picks alternatives with a generator seeded by the
 * caller, so the same (grammar, rule, variables, seed) always gives the
 * same text, and nothing else does.
 *
 * How a stage uses it (the offline text of stage S):
 *   1. ship templates/offline/S.grammar (listed in templates/local.mk
 *      next to the offline .mustache files, so it is installed);
 *   2. in the stage's vars() (generators/S.c), when the run is offline,
 *      get the compiled grammar once per run (gen_grammar() in
 *      generators/text.h loads and caches it by name), expand a rule
 *      with the item's own seed (stage_ctx.seed, a function of run seed,
 *      persona, stage and item) into a string variable, e.g.
 *      "offline": {"answer": "..."};
 *   3. the offline template prints it JSON-escaped:
 *      {"answer": "{{offline.answer}}"}.
 * The real LLM never sees any of this: the prompt templates are unchanged.
 *
 * Bounds: rule files up to GRAMMAR_MAX_FILE bytes, GRAMMAR_MAX_RULES rules,
 * expansion nesting up to GRAMMAR_MAX_DEPTH, GRAMMAR_MAX_STEPS expanded
 * elements per render, and the output buffer's own maximum.
 *
 * Threads: a compiled grammar is read-only; renders may run in parallel.
 */
#ifndef PF_GRAMMAR_H
#define PF_GRAMMAR_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#include "base/buf.h"
#include "base/error.h"

#define GRAMMAR_MAX_FILE (1u << 20)   /* bytes of one rule file */
#define GRAMMAR_MAX_RULES 4096        /* rules in one grammar */
#define GRAMMAR_MAX_DEPTH 48          /* nested rule expansions */
#define GRAMMAR_MAX_STEPS (1u << 18)  /* elements expanded per render */
#define GRAMMAR_MAX_INCLUDES 8        /* nested %include files */

/* Render flags. */
enum {
	/* Prose clean-up of the whole output: whitespace runs become one
	 * space, no space before , . ; : ! ? or after an opening bracket,
	 * no leading or trailing space, and the first letter of the text
	 * and of every sentence (after ". ", "! ", "? ") upper-cased. */
	GRAMMAR_PROSE = 1
};

struct grammar;  /* opaque compiled grammar */

/* Compile `len` bytes of rule text. `name` (the file name) is kept for
 * error messages. %include lines are refused here (there is no directory
 * to resolve them in); use grammar_load(). Returns 0 and a grammar the
 * caller frees with grammar_free(); or -1 with *out NULL and err filled
 * with file, line and column ("unknown rule 'x'", "unclosed '['"). Every
 * rule reference is resolved here, so a render never meets an unknown
 * rule. */
int grammar_compile(const char *text, size_t len, const char *name,
		    struct grammar **out, struct pf_error *err);

/* Read and compile the file at `path`, with its %include files (named
 * relative to its directory, at most GRAMMAR_MAX_INCLUDES deep; a file
 * already loaded is skipped, so files may include each other). Errors
 * as grammar_compile(), plus "cannot read" with the file named. */
int grammar_load(const char *path, struct grammar **out,
		 struct pf_error *err);

/* 1 if the grammar has a rule of that name, else 0. */
int grammar_has(const struct grammar *g, const char *rule);

/* Expand `rule` against `vars` (may be NULL) with choices drawn from
 * `seed`, and append the text to `out` (cleaned up per `flags`).
 * Returns 0, or -1 with err filled (file:line:col of the element at
 * fault) when the rule does not exist, a variable it prints has no
 * value or is an object, nesting passes GRAMMAR_MAX_DEPTH, the render
 * passes GRAMMAR_MAX_STEPS, or `out` reaches its maximum. On failure
 * `out` is left as it was. */
int grammar_render(const struct grammar *g, const char *rule,
		   const cJSON *vars, uint64_t seed, unsigned flags,
		   struct buf *out, struct pf_error *err);

/* An index of the keys of some cJSON objects, for renders that read
 * the same big objects many times (a persona's details, read by every
 * offline text of the persona): a render finds a key of an indexed
 * object by its hash instead of walking the object's children. Read
 * only once made: renders on several threads may share it. */
struct grammar_keys;

#define GRAMMAR_KEYS_OBJS 8           /* objects of one index */
#define GRAMMAR_KEYS_MAX (1u << 16)   /* slots of one index */
#define GRAMMAR_KEYS_NAMES ((size_t)1 << 20)  /* bytes of its key names */

/* Index the keys of objs[0 .. n-1] (an entry that is not an object or
 * has no keys is skipped; an object past GRAMMAR_KEYS_OBJS objects,
 * GRAMMAR_KEYS_MAX slots or GRAMMAR_KEYS_NAMES bytes of names is
 * skipped: renders walk it).
 * The objects are not copied: they must outlive the index, and keep
 * their children while it lives -- a key added to an object is seen (a
 * render walks an object that grew since), a child removed or replaced
 * is not allowed. Returns 0 and an index the caller frees with
 * grammar_keys_free(), or -1 when memory runs out. */
int grammar_keys_new(const cJSON *const *objs, int n,
		     struct grammar_keys **out);

/* Add obj to index k, as grammar_keys_new() would have as its last
 * object (skipped in the same cases): for an index made before all its
 * objects are complete. Only while no render reads k. Returns 0, or -1
 * when memory runs out (k is then as it was, and usable). */
int grammar_keys_add(struct grammar_keys *k, const cJSON *obj);

/* Free an index. Accepts NULL. */
void grammar_keys_free(struct grammar_keys *k);

/* grammar_render() with the objects of `keys` (may be NULL) found
 * through the index wherever vars reaches them (themselves or
 * references to them). The same text as grammar_render(). */
int grammar_render_keys(const struct grammar *g,
			const struct grammar_keys *keys, const char *rule,
			const cJSON *vars, uint64_t seed, unsigned flags,
			struct buf *out, struct pf_error *err);

/* Free a grammar. Accepts NULL. */
void grammar_free(struct grammar *g);

#endif
