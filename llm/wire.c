/* wire.c - derive the request a server takes from the canonical one (see
 * wire.h).
 *
 * A profile is one entry of a const table: the keywords removed from every
 * subschema, the largest repetition count kept (minLength, maxLength,
 * minItems, maxItems above it are removed), and whether oneOf becomes anyOf
 * and strict mode depends on the schema. Removing a keyword only widens
 * what the server may produce; the reply is still checked against the full
 * schema by base/schema.c, so a reply the wire schema let through but the
 * full schema refuses is a content failure with its reason, never data.
 */
#include "llm/wire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Profile flags. */
enum {
	P_ONEOF_ANYOF = 1 << 0,  /* oneOf is sent as anyOf */
	P_STRICT_CLOSED = 1 << 1,/* strict only if every object is closed and
				    requires all its properties */
};

struct profile {
	const char *name;
	const char *const *drop;  /* NULL-terminated; NULL = none */
	double max_repeat;        /* 0 = keep every count */
	unsigned flags;
};

/* OpenAI strict structured outputs: strings take pattern and format only,
 * composition is anyOf only, and strict mode needs every object closed
 * with all properties required (platform.openai.com/docs/guides/
 * structured-outputs, "Supported schemas"). */
static const char *const drop_openai[] = {
	"minLength", "maxLength", NULL
};

/* vLLM guided decoding: its xgrammar backend refuses (or, under "auto",
 * falls back to a slower backend on) pattern, format and numeric ranges
 * (vllm/v1/structured_output/backend_xgrammar.py,
 * has_xgrammar_unsupported_json_features). */
static const char *const drop_vllm[] = {
	"pattern", "format", "minimum", "maximum", NULL
};

/* llama.cpp json-schema-to-grammar (and Ollama, which converts a schema
 * with the same code; node-llama-cpp feeds its grammar to the same
 * parser): pattern must be an anchored regex of its own dialect, format
 * knows a few names only, and a repetition of 2000 or more is refused by
 * the grammar parser ("number of repetitions exceeds sane defaults"). */
static const char *const drop_grammar[] = {
	"pattern", "format", NULL
};

static const struct profile profiles[] = {
	[WIRE_GENERIC] = { .name = "generic" },
	[WIRE_OPENAI] = { .name = "openai", .drop = drop_openai,
			  .flags = P_ONEOF_ANYOF | P_STRICT_CLOSED },
	[WIRE_VLLM] = { .name = "vllm", .drop = drop_vllm },
	[WIRE_LLAMACPP] = { .name = "llama.cpp", .drop = drop_grammar,
			    .max_repeat = 1000 },
	[WIRE_OLLAMA] = { .name = "ollama", .drop = drop_grammar,
			  .max_repeat = 1000 },
};

static const char *const mode_names[] = {
	[WIRE_JSON_SCHEMA] = "json_schema",
	[WIRE_JSON_OBJECT] = "json_object",
	[WIRE_NONE] = "none",
};

const char *const wire_mode_list[] = {
	"json_schema", "json_object", "none", NULL
};

const char *const wire_profile_list[] = {
	"generic", "openai", "vllm", "llama.cpp", "ollama", NULL
};

static const char *const counts[] = {
	"minLength", "maxLength", "minItems", "maxItems"
};

/* Subschema-holding keywords: a schema (items), an object of schemas
 * (properties, $defs, definitions) or an array of schemas (anyOf, oneOf). */
static const char *const sub_one[] = { "items" };
static const char *const sub_map[] = { "properties", "$defs", "definitions" };
static const char *const sub_list[] = { "anyOf", "oneOf" };

enum wire_mode
wire_mode_parse(const char *name, const char **allowed)
{
	size_t i;

	if (allowed != NULL)
		*allowed = "json_schema, json_object, none";
	for (i = 1; i < NELEM(mode_names); i++)
		if (name != NULL && strcmp(name, mode_names[i]) == 0)
			return (enum wire_mode)i;
	return WIRE_MODE_UNSET;
}

enum wire_profile
wire_profile_parse(const char *name, const char **allowed)
{
	size_t i;

	if (allowed != NULL)
		*allowed = "generic, openai, vllm, llama.cpp, ollama";
	for (i = 1; i < NELEM(profiles); i++)
		if (name != NULL && strcmp(name, profiles[i].name) == 0)
			return (enum wire_profile)i;
	return WIRE_PROFILE_UNSET;
}

const char *
wire_mode_name(enum wire_mode m)
{
	return m > 0 && (size_t)m < NELEM(mode_names) ? mode_names[m] : "?";
}

const char *
wire_profile_name(enum wire_profile p)
{
	return p > 0 && (size_t)p < NELEM(profiles) ? profiles[p].name : "?";
}

void
wire_opts_resolve(struct wire_opts *o, const struct wire_opts *dflt)
{
	if (o->mode == WIRE_MODE_UNSET && dflt != NULL)
		o->mode = dflt->mode;
	if (o->profile == WIRE_PROFILE_UNSET && dflt != NULL)
		o->profile = dflt->profile;
	if (o->mode == WIRE_MODE_UNSET)
		o->mode = WIRE_JSON_SCHEMA;
	if (o->profile == WIRE_PROFILE_UNSET)
		o->profile = WIRE_GENERIC;
}

int
wire_is_identity(const struct wire_opts *o)
{
	return o->mode == WIRE_JSON_SCHEMA && o->profile == WIRE_GENERIC;
}

/* ---- schema derivation ---------------------------------------------- */

static int
listed(const char *const *names, const char *key)
{
	for (; names != NULL && *names != NULL; names++)
		if (strcmp(*names, key) == 0)
			return 1;
	return 0;
}

/* Remove the counts above the profile's limit from schema object `j`. */
static void
drop_large_counts(const struct profile *p, cJSON *j)
{
	const cJSON *v;
	size_t i;

	if (p->max_repeat <= 0)
		return;
	for (i = 0; i < NELEM(counts); i++) {
		v = cJSON_GetObjectItemCaseSensitive(j, counts[i]);
		if (cJSON_IsNumber(v) && v->valuedouble > p->max_repeat)
			cJSON_DeleteItemFromObjectCaseSensitive(j, counts[i]);
	}
}

/* True if the object schema `j` is closed and requires every property. */
static int
closed_and_required(const cJSON *j)
{
	const cJSON *props = cJSON_GetObjectItemCaseSensitive(j, "properties");
	const cJSON *req = cJSON_GetObjectItemCaseSensitive(j, "required");
	const cJSON *m, *r;

	if (props == NULL)
		return 1;
	if (!cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(j,
			"additionalProperties")))
		return 0;
	cJSON_ArrayForEach(m, props) {
		cJSON_ArrayForEach(r, req)
			if (cJSON_IsString(r) &&
			    strcmp(r->valuestring, m->string) == 0)
				break;
		if (r == NULL)
			return 0;
	}
	return 1;
}

static void derive(const struct profile *p, cJSON *j, int *strict);

static void
derive_children(const struct profile *p, cJSON *j, int *strict)
{
	cJSON *v, *m;
	size_t i;

	for (i = 0; i < NELEM(sub_one); i++)
		derive(p, cJSON_GetObjectItemCaseSensitive(j, sub_one[i]),
		       strict);
	for (i = 0; i < NELEM(sub_map); i++) {
		v = cJSON_GetObjectItemCaseSensitive(j, sub_map[i]);
		if (!cJSON_IsObject(v))
			continue;
		cJSON_ArrayForEach(m, v)
			derive(p, m, strict);
	}
	for (i = 0; i < NELEM(sub_list); i++) {
		v = cJSON_GetObjectItemCaseSensitive(j, sub_list[i]);
		if (!cJSON_IsArray(v))
			continue;
		cJSON_ArrayForEach(m, v)
			derive(p, m, strict);
	}
}

/* Rewrite one schema object and its subschemas. */
static void
derive(const struct profile *p, cJSON *j, int *strict)
{
	cJSON *m, *next;

	if (!cJSON_IsObject(j))
		return;
	for (m = j->child; m != NULL; m = next) {
		next = m->next;
		if (listed(p->drop, m->string))
			cJSON_Delete(cJSON_DetachItemViaPointer(j, m));
	}
	drop_large_counts(p, j);
	if ((p->flags & P_ONEOF_ANYOF) &&
	    cJSON_GetObjectItemCaseSensitive(j, "anyOf") == NULL &&
	    (m = cJSON_GetObjectItemCaseSensitive(j, "oneOf")) != NULL) {
		free(m->string);
		m->string = strdup("anyOf");
	}
	if ((p->flags & P_STRICT_CLOSED) && !closed_and_required(j))
		*strict = 0;
	derive_children(p, j, strict);
}

int
wire_schema_derive(enum wire_profile p, cJSON *schema, int *strict)
{
	if (p <= 0 || (size_t)p >= NELEM(profiles))
		p = WIRE_GENERIC;
	*strict = 1;
	derive(&profiles[p], schema, strict);
	return 0;
}

/* ---- request bodies ------------------------------------------------- */

#define SCHEMA_INTRO "\n\nReply with only a JSON object that matches " \
		     "this JSON schema:\n"

/* Append the schema's text to the content of the last user message. */
static int
describe_in_prompt(cJSON *body, const cJSON *schema)
{
	cJSON *msgs = cJSON_GetObjectItemCaseSensitive(body, "messages");
	cJSON *m, *last = NULL, *content;
	char *text, *all;
	size_t n;

	if (!cJSON_IsArray(msgs))
		return 0;
	cJSON_ArrayForEach(m, msgs) {
		const cJSON *role = cJSON_GetObjectItemCaseSensitive(m, "role");

		if (cJSON_IsString(role) && strcmp(role->valuestring,
						   "user") == 0)
			last = m;
	}
	content = cJSON_GetObjectItemCaseSensitive(last, "content");
	if (!cJSON_IsString(content))
		return 0;
	text = cJSON_PrintUnformatted(schema);
	if (text == NULL)
		return -1;
	n = strlen(content->valuestring) + sizeof(SCHEMA_INTRO) + strlen(text);
	all = malloc(n);
	if (all != NULL)
		snprintf(all, n, "%s%s%s", content->valuestring, SCHEMA_INTRO,
			 text);
	free(text);
	if (all == NULL || !cJSON_ReplaceItemInObjectCaseSensitive(last,
			"content", cJSON_CreateString(all))) {
		free(all);
		return -1;
	}
	free(all);
	return 0;
}

/* json_schema mode: derive the schema in place and set strict. */
static int
rewrite_schema(const struct wire_opts *o, cJSON *js)
{
	cJSON *schema = cJSON_GetObjectItemCaseSensitive(js, "schema");
	int strict;

	if (schema == NULL)
		return 0;
	wire_schema_derive(o->profile, schema, &strict);
	if (!strict)
		cJSON_ReplaceItemInObjectCaseSensitive(js, "strict",
						       cJSON_CreateFalse());
	return 0;
}

/* json_object and none: the full schema goes into the prompt. */
static int
rewrite_prompted(const struct wire_opts *o, cJSON *body, cJSON *rf)
{
	cJSON *js = cJSON_GetObjectItemCaseSensitive(rf, "json_schema");
	const cJSON *schema = cJSON_GetObjectItemCaseSensitive(js, "schema");

	if (schema != NULL && describe_in_prompt(body, schema) != 0)
		return -1;
	if (o->mode == WIRE_NONE) {
		cJSON_DeleteItemFromObjectCaseSensitive(body,
							"response_format");
		return 0;
	}
	rf = cJSON_CreateObject();
	if (rf == NULL || cJSON_AddStringToObject(rf, "type",
						  "json_object") == NULL) {
		cJSON_Delete(rf);
		return -1;
	}
	return cJSON_ReplaceItemInObjectCaseSensitive(body, "response_format",
						      rf) ? 0 : -1;
}

int
wire_body(const struct wire_opts *o, const char *body, size_t len,
	  struct buf *out)
{
	cJSON *root, *rf;
	char *text;
	int rc;

	if (wire_is_identity(o))
		return 1;
	root = cJSON_ParseWithLength(body, len);
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return -1;
	}
	rf = cJSON_GetObjectItemCaseSensitive(root, "response_format");
	if (rf == NULL) {
		cJSON_Delete(root);
		return 1;
	}
	if (o->mode == WIRE_JSON_SCHEMA)
		rc = rewrite_schema(o, cJSON_GetObjectItemCaseSensitive(rf,
						"json_schema"));
	else
		rc = rewrite_prompted(o, root, rf);
	text = rc == 0 ? cJSON_PrintUnformatted(root) : NULL;
	cJSON_Delete(root);
	if (text == NULL)
		return -1;
	buf_reset(out);
	rc = buf_puts(out, text) == 0 ? 0 : -1;
	free(text);
	return rc;
}
