/* build.h - the pieces of `build` that `validate` shares: loading a config
 * with its command-line overrides, and the network engine configuration. */
#ifndef PF_SRC_BUILD_H
#define PF_SRC_BUILD_H

#include "auditors/policy.h"
#include "src/config-file.h"
#include "llm/endpoint.h"
#include "src/shard.h"

struct build_args {
	const char *config;
	const char *out;
	int64_t personas, seed;      /* -1: from the config */
	const char *backend;         /* NULL: from the config */
	const char *base_url, *model, *api_key_env;
	int overwrite, quiet;
	struct shard shard;          /* --shard; 0 of 1 without it */
	struct audit_gate gates[AUDIT_MAX_GATES];  /* --gate (build only) */
	int ngates;
	int dry_run;                 /* --dry-run: print the plan only */
	int64_t preview;             /* --preview N; -1 without it */
	int show_prompts;            /* --show-prompts (with --preview) */
	const char *report;          /* --report FILE, or NULL */
};

struct cmd_entry;

/* Parse the options `build` and `validate` share (and, when build_only,
 * -o, -q, -v, --overwrite, --gate, --dry-run, --preview, --show-prompts
 * and --report) into *a; -v raises the log level. Returns -1 to go on, else the exit
 * code (0 after --help, 2 after a usage error it reported for `c`). */
int build_parse_args(const struct cmd_entry *c, int argc, char **argv,
		     int build_only, struct build_args *a);

/* Load the config, apply overrides, parse the engine sections and decide
 * the backend (*offline = 1 for the offline backend). Prints the error and
 * returns PF_EXIT_USAGE on bad input, 0 on success. */
int build_load(const struct build_args *a, struct pf_config **cfg,
	       struct engine_config *ec, int *offline);

struct persona_tables;

/* Load the persona tables of the config's locale ($.locale: "us", the
 * default, reads personas/data/, another NAME personas/data/locales/NAME/)
 * and plan the run's cfg->personas personas under $.quotas. Prints the
 * error and returns PF_EXIT_USAGE on a bad table, locale or quota, 0 with
 * *out set (free with persona_tables_free()). */
int build_personas(const struct pf_config *cfg, struct persona_tables **out);

#endif
