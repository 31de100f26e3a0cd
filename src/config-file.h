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

/* Read, parse and check a config file. Returns 0 with *out owned by the
 * caller (config_free), or -1 with err filled (file, line/col or path). */
int config_load(const char *path, struct pf_config **out,
		struct pf_error *err);

/* Apply --seed/--personas overrides (negative = keep) and recompute the
 * identity hash. */
void config_override(struct pf_config *c, int64_t seed, int64_t personas);

/* Canonical compact JSON of the config (keys sorted), malloc'd. */
char *config_canonical(const struct pf_config *c);

void config_free(struct pf_config *c);   /* accepts NULL */

#endif
