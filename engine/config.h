/* config.h - the run configuration: JSON file + command-line overrides.
 *
 * The config is JSON (doc/config.md documents every key). Syntax errors are
 * reported with line and column; unknown keys and wrong types with the JSON
 * path ("$.stages.qa.per_persona: expected an integer >= 0"). The network
 * sections (endpoints, budget, retry, engine) are parsed by
 * llm/endpoint.c; this module only checks they are objects/arrays.
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

struct audit_instance;

#define CONFIG_MAX_LIST 32        /* doc types, views, questions */
#define CONFIG_MAX_BYTES (4u << 20)

enum config_backend { BACKEND_AUTO = 0, BACKEND_OFFLINE, BACKEND_OPENAI };

struct interview_question {
	char *key;    /* short id, e.g. "childhood" */
	char *text;   /* the question asked */
};

struct pf_config {
	char *path;               /* config file as given */
	char *dir;                /* its directory, for relative paths */
	char *name;               /* dataset name */
	uint64_t seed;
	int64_t personas;
	enum config_backend backend;
	char *templates_dir;      /* user override dir, or NULL */

	/* generation parameters sent with every request */
	double temperature, top_p;
	int max_tokens;
	int json_schema;          /* 1: response_format json_schema; 0: json_object */
	char *system_prompt;      /* NULL: templates/prompts/system.mustache */
	int accept_attempts;      /* tries per item for bad replies */

	int narrative;            /* stage enabled */
	int nquestions;
	struct interview_question questions[CONFIG_MAX_LIST];
	int documents;            /* per persona */
	int ndoc_types;
	char *doc_types[CONFIG_MAX_LIST];
	int facts_per_document;
	int qa;                   /* per persona */
	int pairs;                /* per persona */
	int nviews;
	char *views[CONFIG_MAX_LIST];

	/* audit: the enabled auditors, in registry order, each with its
	 * policy (quarantine, gate) and parsed `$.audit.<name>` section
	 * (auditors/policy.h); owned, nauditors entries */
	struct audit_instance *auditors;
	size_t nauditors;

	cJSON *root;              /* the parsed file, with overrides */
	char config_hash[65];
};

/* Read, parse and check a config file. Returns 0 with *out owned by the
 * caller (config_free), or -1 with err filled (file, line/col or path). */
int config_load(const char *path, struct pf_config **out,
		struct pf_error *err);

/* Apply --seed/--personas overrides (negative = keep) and recompute the
 * identity hash. */
void config_override(struct pf_config *c, int64_t seed, int64_t personas);

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

/* Canonical compact JSON of the config (keys sorted), malloc'd. */
char *config_canonical(const struct pf_config *c);

void config_free(struct pf_config *c);

#endif
