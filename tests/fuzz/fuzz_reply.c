/* fuzz_reply.c - libFuzzer target: the JSON reply parser (base/json.h)
 * and the schema validator (base/schema.h).
 *
 * The input is an LLM reply: json_parse() reads it as the scheduler does,
 * and a reply that parses is validated against every stage's shipped
 * reply schema (templates/prompts/STAGE.schema.json, from the data
 * directory) and, compiled as a schema itself, validates itself (the
 * compiler's paths on arbitrary input). Rejections are normal outcomes;
 * a crash, a leak or undefined behaviour is a finding.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "base/datadir.h"
#include "base/json.h"
#include "base/schema.h"
#include "tests/fuzz/fuzz.h"

static const char *const stages[] = { "narrative", "interview", "document",
	"qa", "preference", "judge" };
#define NSTAGES (sizeof(stages) / sizeof(stages[0]))

static struct schema *schemas[NSTAGES];

/* The shipped schemas, once; a missing one stops the run. */
static void
load_schemas(void)
{
	struct pf_error err;
	char rel[128], *path;
	size_t i;

	for (i = 0; i < NSTAGES; i++) {
		snprintf(rel, sizeof(rel), "templates/prompts/%s.schema.json",
			 stages[i]);
		path = pf_data_path(NULL, rel);
		if (path == NULL || schema_load_file(path, &schemas[i],
						     &err) != 0) {
			fprintf(stderr, "fuzz_reply: cannot load %s (set "
				"PERSONAFORGE_DATADIR)\n", path ? path : rel);
			abort();
		}
		free(path);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_error je;
	struct pf_error err;
	struct schema *self = NULL;
	cJSON *r = NULL;
	size_t i;

	if (schemas[0] == NULL)
		load_schemas();
	if (json_parse((const char *)data, size, &r, &je) != 0)
		return 0;
	for (i = 0; i < NSTAGES; i++)
		schema_validate(schemas[i], r, &err);
	if (schema_compile(r, &self, &err) == 0) {
		schema_validate(self, r, &err);
		schema_free(self);
	}
	cJSON_Delete(r);
	return 0;
}
