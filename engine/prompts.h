/* prompts.h - the compiled templates and schemas of every stage.
 *
 * For each stage NAME: templates/prompts/NAME.mustache (the user message),
 * templates/prompts/NAME.schema.json (the reply's JSON schema) and
 * templates/offline/NAME.mustache (the offline backend's reply, rendered
 * with JSON escaping from the same variables), plus one
 * templates/prompts/system.mustache. Partials named in prompt templates
 * are templates/prompts/PARTIAL.mustache. Each file is looked up in the
 * config's templates_dir first, then in the data directory, so a user can
 * override any one file. Everything is compiled once per run.
 */
#ifndef PF_PROMPTS_H
#define PF_PROMPTS_H

#include "base/buf.h"
#include "engine/config.h"
#include "base/error.h"
#include "base/schema.h"
#include "engine/stage.h"
#include "templates/mustache.h"

struct stage_templates {
	struct mustache *prompt;
	struct mustache *offline;
	struct schema *schema;
	char *response_format;   /* compact JSON for the request body */
	char *prompt_path, *schema_path, *offline_path;
	char hash[65];           /* SHA-256 hex over the system, unit and
				  * stage templates, the schema and (offline)
				  * the offline template: stored with each
				  * reply, so a resume can say "template
				  * changed" (partials are not included) */
};

struct prompts {
	const struct pf_config *cfg;
	struct mustache *system;
	char *system_path;
	/* The stage table's unit template (a build's is
	 * templates/prompts/persona.mustache, rendered once per persona into
	 * {{persona.profile}}), or NULL. */
	struct mustache *unit;
	char *unit_path;
	struct stage_templates st[STAGE_MAX];   /* by table index */
};

/* Load and compile the templates of every stage of `tab` the config
 * enables, and the table's unit template (`offline` also loads the
 * offline templates). Returns 0, or -1 with err naming the file and
 * line:col (template syntax) or JSON path (schema). */
int prompts_load(const struct pf_config *cfg, const struct stage_table *tab,
		 int offline, struct prompts **out, struct pf_error *err);

void prompts_free(struct prompts *p);   /* accepts NULL */

/* Render a template with prompt semantics (no escaping) or, for offline
 * replies, JSON escaping; partials come from the prompts directory.
 * Appends to out. Returns 0 or -1 with err filled. */
int prompts_render(const struct prompts *p, const struct mustache *t,
		   const cJSON *vars, int json_escape, struct buf *out,
		   struct pf_error *err);

#endif
