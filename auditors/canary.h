/* canary.h - canaries: a unique marker string planted in one persona's
 * private documents, so a copy of it anywhere else shows that private
 * text leaked (into another persona's rows, into answers, into a model's
 * output).
 *
 * A canary file is JSONL, one canary a line: {"persona_id": 42 or
 * "p000042", "canary": "TEXT"} with TEXT of 8 to 256 bytes and at most
 * CANARY_MAX canaries. The canary auditor ("canary", `$.audit.canary`,
 * its own key "file": the canary file) reports every canary it finds in
 * a row: severity high ("canary_leak") unless the row is one of the
 * persona's own private documents (table "document", or "input" for
 * `scan`, of the same persona), where it is expected and reported as
 * synthetic info ("canary"). Without a file it finds nothing.
 *
 * Matching is exact bytes, one rolling hash per distinct canary length
 * (at most CANARY_MAX_LENGTHS of them), so a row costs a few operations
 * a byte whatever the number of canaries.
 */
#ifndef PF_CANARY_H
#define PF_CANARY_H

#include <stddef.h>
#include <stdint.h>

#include "auditors/auditor.h"
#include "base/error.h"

#define CANARY_MAX 1000000
#define CANARY_MIN_LEN 8
#define CANARY_MAX_LEN 256
#define CANARY_MAX_LENGTHS 8

struct canary_set;

/* Load the canary file at path. Returns 0 with *out owned by the caller
 * (canary_set_free), or -1 with err filled (file, line and what is
 * wrong). */
int canary_set_load(const char *path, struct canary_set **out,
		    struct pf_error *err);

void canary_set_free(struct canary_set *c);   /* accepts NULL */

/* The number of canaries loaded. */
size_t canary_set_size(const struct canary_set *c);

/* Report every canary found in text[0, n): fn gets its persona and span.
 * Findings may overlap. */
void canary_set_find(const struct canary_set *c, const char *text, size_t n,
		     void (*fn)(void *ud, int64_t persona, size_t off,
				size_t len), void *ud);

/* The persona id a JSON value or text names: 42 for 42, "42" or
 * "p000042"; -1 for anything else. */
int64_t canary_persona_id(const char *s, size_t n);

extern const struct auditor auditor_canary;

#endif
