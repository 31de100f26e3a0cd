/* wireschema.c - print the wire form of a schema file for a profile
 * (llm/wire.h), for tests that feed it to a real server's grammar
 * builder (tests/server/test-grammar.sh).
 *
 * Usage: wireschema PROFILE SCHEMA.json
 * Exit status: 0 printed, 1 unreadable schema, 2 usage or unknown profile.
 */
#include <stdio.h>
#include <stdlib.h>

#include "base/json.h"
#include "llm/wire.h"

int
main(int argc, char **argv)
{
	struct json_error je;
	enum wire_profile p;
	const char *allowed;
	cJSON *schema = NULL;
	char *text;
	int strict;

	if (argc != 3) {
		fprintf(stderr, "usage: wireschema PROFILE SCHEMA.json\n");
		return 2;
	}
	p = wire_profile_parse(argv[1], &allowed);
	if (p == WIRE_PROFILE_UNSET) {
		fprintf(stderr, "wireschema: profile must be one of %s\n",
			allowed);
		return 2;
	}
	if (json_parse_file(argv[2], (size_t)4 << 20, &schema, &je) != 0) {
		fprintf(stderr, "wireschema: %s:%d:%d: %s\n", argv[2],
			je.line, je.col, je.msg);
		return 1;
	}
	wire_schema_derive(p, schema, &strict);
	text = cJSON_PrintUnformatted(schema);
	cJSON_Delete(schema);
	if (text == NULL)
		return 1;
	puts(text);
	free(text);
	return 0;
}
