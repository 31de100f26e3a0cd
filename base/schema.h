/* schema.h - a JSON Schema (subset) validator.
 *
 * Two users: every LLM reply is checked against its stage's schema before
 * it is accepted (tens of thousands per second, so validation allocates
 * nothing outside pattern matching), and `personaforge validate` checks
 * that each schema file is JSON and uses only the keywords below.
 *
 * Supported keywords: type (a name or an array of names; "integer" accepts
 * any number with an integral value, so -0 and -10e-0 count), properties,
 * required, additionalProperties (boolean only), items (one schema),
 * minItems, maxItems, minLength, maxLength (in Unicode code points), enum
 * and const (scalars only), minimum, maximum, pattern, anyOf, oneOf,
 * $defs and definitions with local $ref ("#", "#/$defs/<name>",
 * "#/definitions/<name>"); true and false as schemas. Annotations accepted
 * and ignored: title, description, $schema, $id (top level only),
 * $comment, default, examples, format (an annotation in draft 2020-12).
 *
 * pattern is enforced (unanchored, as JSON Schema says) with POSIX
 * extended regular expressions, on the part of ECMA-262 syntax they read
 * the same way: class escapes (\d, \w, \p{..}), backreferences, escapes
 * inside brackets and "(?" groups are refused at compile time. Matching is
 * bytewise, so "." matches one byte of a multi-byte character; it is the
 * one check that may allocate (inside regexec). Servers whose grammars
 * cannot enforce pattern get a wire schema without it (llm/wire.h); the
 * reply is still held to it here.
 *
 * Any other keyword is a compile error, so a typo such as "requried" or a
 * keyword we would silently ignore (patternProperties, allOf) is caught by
 * `personaforge validate` instead of weakening checks at run time. The
 * official JSON Schema Test Suite (tests/unit/test_schema_suite.c) holds
 * us to it: every schema we compile agrees with every case, every other
 * one is refused.
 */
#ifndef PF_SCHEMA_H
#define PF_SCHEMA_H

#include <cjson/cJSON.h>

#include "base/error.h"

/* Deepest nesting of schema objects, and of instance values checked
 * against a recursive schema; deeper input is an error, not a crash. */
#define SCHEMA_MAX_DEPTH 128

/* Largest schema file schema_load_file() reads. */
#define SCHEMA_FILE_MAX ((size_t)4 << 20)

/* A compiled schema: immutable once built, so one instance may be used by
 * any number of threads at once. */
struct schema;

/* Compile the parsed schema `root` into *out. Returns 0, or -1 with *out
 * NULL and err->where naming the JSON path inside the schema
 * ("$.properties.age.minimum") and err->msg the reason ("unsupported
 * keyword 'patternProperties'"); err may be NULL. Does not take `root`:
 * the compiled schema copies what it needs and holds no pointers into it.
 * The caller frees *out with schema_free(). */
int schema_compile(const cJSON *root, struct schema **out,
		   struct pf_error *err);

/* Read, parse and compile the schema file `path`. Returns 0, or -1 with
 * *out NULL and err->file set to path; JSON syntax errors also set
 * err->line and err->col, compile errors err->where. */
int schema_load_file(const char *path, struct schema **out,
		     struct pf_error *err);

/* Check `instance` against `s`. Returns 0 if it is valid, or -1 with
 * err->where the JSON path of the first violation in the instance
 * ("$.facts[2].value") and err->msg a short reason ("expected a string",
 * "missing required property 'answer'"); err's other fields are left
 * untouched and err may be NULL. Allocates nothing (but regexec() for
 * pattern may); `instance` is only read. */
int schema_validate(const struct schema *s, const cJSON *instance,
		    struct pf_error *err);

/* Release a compiled schema. Accepts NULL. */
void schema_free(struct schema *s);

#endif
