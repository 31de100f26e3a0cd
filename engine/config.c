/* config.c - the engine's part of the run config: the `$.generation`
 * section (what every request carries) and finding data files (see
 * config.h). */
#include "engine/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/datadir.h"

void
config_generation_defaults(struct pf_config *c)
{
	c->temperature = 0.7;
	c->top_p = 0.95;
	c->max_tokens = 768;
	c->json_schema = 1;
	c->accept_attempts = 3;
}

/* "json_schema" or "json_object" into c->json_schema. */
static int
response_format(const struct jfield *x, const cJSON *g, struct pf_config *c)
{
	static const char *const allowed[] = { "json_schema", "json_object",
		NULL };
	const char *rf = NULL;

	if (jfield_enum(x, g, "$.generation", "response_format", allowed,
			&rf) != 0)
		return -1;
	if (rf != NULL)
		c->json_schema = rf == allowed[0];
	return 0;
}

int
config_generation_parse(const struct jfield *x, const cJSON *g,
			struct pf_config *c)
{
	static const char *const keys[] = { "temperature", "top_p",
		"max_tokens", "response_format", "system_prompt",
		"max_attempts", NULL };
	const char *p = "$.generation";

	if (g == NULL)
		return 0;
	if (jfield_keys(x, g, p, keys) != 0 ||
	    jfield_num(x, g, p, "temperature", 0, 2, &c->temperature) != 0 ||
	    jfield_num(x, g, p, "top_p", 0, 1, &c->top_p) != 0 ||
	    jfield_intv(x, g, p, "max_tokens", 16, 1 << 20,
			&c->max_tokens) != 0 ||
	    jfield_intv(x, g, p, "max_attempts", 1, 20,
			&c->accept_attempts) != 0 ||
	    jfield_str(x, g, p, "system_prompt", &c->system_prompt) != 0)
		return -1;
	return response_format(x, g, c);
}

const char *
config_datadir(void)
{
	return pf_datadir();
}

char *
config_data_path(const struct pf_config *c, const char *rel)
{
	return pf_data_path(c != NULL ? c->templates_dir : NULL, rel);
}
