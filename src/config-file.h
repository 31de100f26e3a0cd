/* config-file.h - loading a run config file (the struct is engine/config.h).
 *
 * The top-level keys (name, seed, personas, backend, templates_dir,
 * description) are read here; every section goes to the layer that owns
 * it, so a key is checked where it is used and every error names its
 * JSON path.
 */
#ifndef PF_CONFIG_FILE_H
#define PF_CONFIG_FILE_H

#include <stdint.h>

#include "base/error.h"
#include "engine/config.h"

#define CONFIG_PERSONAS_MAX 100000000   /* $.personas and --personas */
#define CONFIG_SEED_MAX INT64_MAX        /* $.seed and --seed */
#define CONFIG_MAX_DEPTH 64              /* nesting of objects and arrays */

/* Read, parse and check a config file. Returns 0 with *out owned by the
 * caller (config_free), or -1 with err filled (file, line/col or path).
 * The file is read strictly (base/jstrict.h: no NUL, no repeated key, at
 * most CONFIG_MAX_DEPTH levels and CONFIG_MAX_BYTES); a templates_dir that
 * is not a directory is an error at $.templates_dir. */
int config_load(const char *path, struct pf_config **out,
		struct pf_error *err);

/* Apply --seed/--personas overrides (negative = keep) and recompute the
 * identity hash. */
void config_override(struct pf_config *c, int64_t seed, int64_t personas);

/* The identity keys ("$.stages, $.name"; not seed, personas or the
 * runtime sections) whose values differ between c and the canonical
 * config text `stored` (from a dataset), into out ("" when none).
 * Returns 0, or -1 when stored is not JSON. */
int config_diff_keys(const struct pf_config *c, const char *stored,
		     char *out, size_t n);

/* Canonical compact JSON of the config (keys sorted), malloc'd. */
char *config_canonical(const struct pf_config *c);

void config_free(struct pf_config *c);   /* accepts NULL */

#endif
