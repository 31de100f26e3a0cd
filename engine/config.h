/* config.h - the run configuration, as every layer sees it.
 *
 * The config is JSON (doc/config.md documents every key); src/config.c
 * loads the file and hands each section to the layer that owns it: the
 * generation parameters here, `$.stages` to generators/config.h, `$.audit`
 * to auditors/policy.h, the network sections to llm/endpoint.h. Syntax
 * errors are reported with line and column; unknown keys and wrong types
 * with the JSON path ("$.stages.qa.per_persona: expected an integer
 * from 0 to 256").
 *
 * Identity: config_hash is the SHA-256 of the canonical (key-sorted,
 * compact) config minus the runtime sections (endpoints, budget, retry,
 * engine, which only say how to reach the model, not what to build) with
 * seed and persona count applied. A dataset remembers the hash it was built
 * from and refuses a different one unless --overwrite.
 */
#ifndef PF_CONFIG_H
#define PF_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#include "base/error.h"
#include "base/jfield.h"

struct audit_instance;

#define CONFIG_MAX_BYTES (4u << 20)

enum config_backend { BACKEND_AUTO = 0, BACKEND_OFFLINE, BACKEND_OPENAI };

struct pf_config {
	char *path;               /* config file as given */
	char *dir;                /* its directory, for relative paths */
	char *name;               /* dataset name */
	uint64_t seed;
	int64_t personas;
	enum config_backend backend;
	char *templates_dir;      /* user override dir, or NULL */

	/* generation parameters sent with every request ($.generation) */
	double temperature, top_p;
	int max_tokens;
	int json_schema;          /* 1: response_format json_schema; 0: json_object */
	char *system_prompt;      /* NULL: templates/prompts/system.mustache */
	int accept_attempts;      /* tries per item for bad replies */

	/* the stages' sections, $.stages (struct gen_config of
	 * generators/config.h, read through gen_cfg()); owned */
	void *stages;

	/* audit: the enabled auditors, in registry order, each with its
	 * policy (quarantine, gate) and parsed `$.audit.<name>` section
	 * (auditors/policy.h); owned, nauditors entries */
	struct audit_instance *auditors;
	size_t nauditors;

	cJSON *root;              /* the parsed file, with overrides */
	char config_hash[65];
};

/* The defaults of the `$.generation` section. */
void config_generation_defaults(struct pf_config *c);

/* Parse `$.generation` (g may be NULL) into c. Returns 0, or -1 with x's
 * error set at the JSON path of the bad value. */
int config_generation_parse(const struct jfield *x, const cJSON *g,
			    struct pf_config *c);

/* Resolve a data file: the user's templates_dir first (when set), then
 * the data root (base/datadir.h). `rel` is relative to the data root
 * ("templates/prompts/qa.mustache"); for the user dir the leading
 * "templates/" is dropped. Returns a malloc'd path of the first existing
 * file, or of the data root's location if none exists; NULL when out of
 * memory. */
char *config_data_path(const struct pf_config *c, const char *rel);

/* The data root (base/datadir.h: $PERSONAFORGE_DATADIR, the installed
 * pkgdatadir or the build tree); pf_datadir_check() says whether one was
 * found. */
const char *config_datadir(void);

#endif
