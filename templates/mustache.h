/* mustache.h - compile-once, render-many Mustache templates.
 *
 * Implements the core modules of the Mustache spec: variables, sections,
 * inverted sections, comments, partials and set delimiters, with the
 * spec's standalone-line rules. Lambdas, inheritance and dynamic names are
 * not supported.
 *
 * mustache_compile() parses a template once into an instruction list;
 * mustache_render() walks that list against a cJSON tree and never looks
 * at the template text again. Partials are loaded through a callback on
 * first use, compiled, and cached inside the template object, so repeated
 * renders neither reload nor recompile them.
 *
 * Data semantics: a name is looked up through the context stack (innermost
 * first); "a.b.c" resolves "a" that way, then walks into objects. Falsy
 * values are: missing, null, false and the empty array; every number
 * (including 0) and every string (including "") is truthy, as in the spec's
 * reference implementation. Numbers print in their shortest round-tripping
 * form (85 -> "85", 1.21 -> "1.21"); true/false print as "true"/"false";
 * objects and arrays print as compact JSON.
 *
 * Threads: a template may be rendered from several threads at once, all
 * with the same partial loader (its cache of compiled partials, filled
 * while rendering, is shared under a lock; another loader empties it,
 * which must not happen while a render of it runs).
 */
#ifndef PF_MUSTACHE_H
#define PF_MUSTACHE_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "base/buf.h"
#include "base/error.h"

enum mustache_escape {
	MUSTACHE_ESCAPE_HTML,  /* & < > " as entities (the spec's escaping) */
	MUSTACHE_ESCAPE_NONE,  /* raw text, for LLM prompts */
	MUSTACHE_ESCAPE_JSON   /* inside of a JSON string literal, no quotes;
				* invalid UTF-8 becomes U+FFFD */
};

#define MUSTACHE_MAX_PARTIAL_DEPTH 64   /* nested partial renders */
#define MUSTACHE_MAX_SECTION_DEPTH 100  /* nested sections in one template */
#define MUSTACHE_MAX_PARTIALS 1024      /* cached partials per template */
#define MUSTACHE_MAX_DELIM 16           /* bytes in a set delimiter */

struct mustache;  /* opaque compiled template */

/* Load partial NAME: set *text (malloc'd, the caller frees it) and *len.
 * Return 0 when found, 1 when there is no such partial (it renders as
 * empty, per the spec), -1 on error (errno says why where it can). */
typedef int (*mustache_partial_fn)(void *ud, const char *name, char **text,
				   size_t *len);

/* Compile `len` bytes of `text` (no NUL needed; the text is copied).
 * `name` (usually the file name) is kept for error messages. Returns 0 and
 * stores a template the caller frees with mustache_free() in *out; or -1
 * with *out NULL and err (may be NULL) filled: file = name, line and col of
 * the offending tag, msg such as "unclosed section 'x'". */
int mustache_compile(const char *text, size_t len, const char *name,
		     struct mustache **out, struct pf_error *err);

/* Render `t` with `data` (the root context; may be NULL) and append the
 * result to `out`. {{{x}}} and {{&x}} never escape; {{x}} escapes per
 * `esc`. `partials` may be NULL (every partial is empty); the cache is
 * keyed by (partials, ud), so passing another loader empties it.
 * Returns 0, or -1 with err filled when `out` reaches its limit, a partial
 * fails to load or compile, or partials nest deeper than
 * MUSTACHE_MAX_PARTIAL_DEPTH. On failure `out` is left as it was. */
int mustache_render(const struct mustache *t, const cJSON *data,
		    enum mustache_escape esc, mustache_partial_fn partials,
		    void *ud, struct buf *out, struct pf_error *err);

/* Told about a variable tag ({{x}}, {{{x}}}, {{&x}}) whose name resolved
 * to nothing: the template's name (a partial's file), the tag's 1-based
 * line and column there, and the dotted name. Called once per rendering
 * of the tag (a tag inside a list section may be reported again). */
typedef void (*mustache_missing_fn)(void *ud, const char *file, int line,
				    int col, const char *name);

/* mustache_render() that also calls `missing` (with mud) for each
 * variable with no value; the variable still renders blank. */
int mustache_render_checked(const struct mustache *t, const cJSON *data,
			    enum mustache_escape esc,
			    mustache_partial_fn partials, void *ud,
			    mustache_missing_fn missing, void *mud,
			    struct buf *out, struct pf_error *err);

/* Free a template and its cached partials. Accepts NULL. */
void mustache_free(struct mustache *t);

/* A partial loader that reads DIR/NAME.mustache, where ud is DIR
 * (const char *). A missing file gives 1 (empty partial). Names that are
 * absolute or contain a ".." component are refused (-1, errno EINVAL). */
int mustache_partials_from_dir(void *ud, const char *name, char **text,
			       size_t *len);

#endif
