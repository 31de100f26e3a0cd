/* test_wire.c - llm/wire.c: each profile's wire schema, the prompted
 * modes, the identity of the default, and the config keys that select
 * them (llm/endpoint.c). Table-driven. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "llm/endpoint.h"
#include "llm/wire.h"
#include "tests/unit/check_tap.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* A canonical body as the engine renders it; single quotes become double. */
#define RF(schema) "{'messages':[{'role':'system','content':'s'}," \
	"{'role':'user','content':'u'}],'max_tokens':9,'response_format':" \
	"{'type':'json_schema','json_schema':{'name':'x','strict':true," \
	"'schema':" schema "}}}"
#define JUDGE "{'type':'object','properties':{" \
	"'p':{'type':'string','enum':['1','2'],'pattern':'^[12]$'}," \
	"'c':{'type':'integer','minimum':1,'maximum':100}," \
	"'r':{'type':'string','minLength':1,'maxLength':2000}," \
	"'q':{'type':'string','maxLength':1000,'format':'date'}}," \
	"'required':['p','c','r','q'],'additionalProperties':false}"

static const struct {
	enum wire_mode mode;
	enum wire_profile prof;
	const char *in;
	const char *want;     /* NULL: sent as is */
} cases[] = {
	{ WIRE_JSON_SCHEMA, WIRE_GENERIC, RF(JUDGE), NULL },
	{ WIRE_JSON_SCHEMA, WIRE_LLAMACPP, RF(JUDGE), RF("{'type':'object',"
	  "'properties':{'p':{'type':'string','enum':['1','2']},"
	  "'c':{'type':'integer','minimum':1,'maximum':100},"
	  "'r':{'type':'string','minLength':1},"
	  "'q':{'type':'string','maxLength':1000}},"
	  "'required':['p','c','r','q'],'additionalProperties':false}") },
	{ WIRE_JSON_SCHEMA, WIRE_OLLAMA, RF("{'type':'string','maxLength':1001}"),
	  RF("{'type':'string'}") },
	{ WIRE_JSON_SCHEMA, WIRE_OPENAI, RF(JUDGE), RF("{'type':'object',"
	  "'properties':{'p':{'type':'string','enum':['1','2'],"
	  "'pattern':'^[12]$'},'c':{'type':'integer','minimum':1,"
	  "'maximum':100},'r':{'type':'string'},"
	  "'q':{'type':'string','format':'date'}},"
	  "'required':['p','c','r','q'],'additionalProperties':false}") },
	/* openai: an optional property turns strict off; oneOf is anyOf */
	{ WIRE_JSON_SCHEMA, WIRE_OPENAI, RF("{'type':'object','properties':"
	  "{'a':{'oneOf':[{'type':'string'},{'type':'null'}]}}}"),
	  "{'messages':[{'role':'system','content':'s'},{'role':'user',"
	  "'content':'u'}],'max_tokens':9,'response_format':{'type':"
	  "'json_schema','json_schema':{'name':'x','strict':false,'schema':"
	  "{'type':'object','properties':{'a':{'anyOf':[{'type':'string'},"
	  "{'type':'null'}]}}}}}}" },
	{ WIRE_JSON_SCHEMA, WIRE_VLLM, RF("{'$defs':{'n':{'type':'integer',"
	  "'minimum':0}},'items':{'$ref':'#/$defs/n'},'maxItems':3}"),
	  RF("{'$defs':{'n':{'type':'integer'}},'items':{'$ref':'#/$defs/n'},"
	  "'maxItems':3}") },
	/* a property named like a keyword is a name, not a keyword */
	{ WIRE_JSON_SCHEMA, WIRE_LLAMACPP, RF("{'properties':{'pattern':"
	  "{'type':'string'}},'required':['pattern']}"), RF("{'properties':"
	  "{'pattern':{'type':'string'}},'required':['pattern']}") },
	{ WIRE_JSON_OBJECT, WIRE_GENERIC, RF("{'type':'object'}"),
	  "{'messages':[{'role':'system','content':'s'},{'role':'user',"
	  "'content':'u\\n\\nReply with only a JSON object that matches this "
	  "JSON schema:\\n{\\'type\\':\\'object\\'}'}],'max_tokens':9,"
	  "'response_format':{'type':'json_object'}}" },
	{ WIRE_NONE, WIRE_LLAMACPP, RF("{'type':'object'}"),
	  "{'messages':[{'role':'system','content':'s'},{'role':'user',"
	  "'content':'u\\n\\nReply with only a JSON object that matches this "
	  "JSON schema:\\n{\\'type\\':\\'object\\'}'}],'max_tokens':9}" },
	/* no response_format: nothing to derive */
	{ WIRE_NONE, WIRE_OPENAI, "{'messages':[]}", NULL },
};

/* Single quotes to double quotes; \' stays a double quote escaped. */
static char *
dq(const char *s)
{
	char *d = strdup(s), *p;

	for (p = d; *p != '\0'; p++)
		if (*p == '\'')
			*p = '"';
	return d;
}

START_TEST(bodies)
{
	struct wire_opts o = { cases[_i].mode, cases[_i].prof };
	char *in = dq(cases[_i].in);
	char *want = cases[_i].want ? dq(cases[_i].want) : NULL;
	struct buf out;
	int rc;

	buf_init(&out, 1 << 20);
	rc = wire_body(&o, in, strlen(in), &out);
	if (want == NULL) {
		ck_assert_int_eq(rc, 1);
	} else {
		ck_assert_int_eq(rc, 0);
		ck_assert_str_eq(out.data, want);
	}
	buf_free(&out);
	free(in);
	free(want);
}
END_TEST

START_TEST(not_json)
{
	struct wire_opts o = { WIRE_JSON_SCHEMA, WIRE_OPENAI };
	struct buf out;

	buf_init(&out, 1024);
	ck_assert_int_eq(wire_body(&o, "[1]", 3, &out), -1);
	ck_assert_int_eq(wire_body(&o, "{", 1, &out), -1);
	buf_free(&out);
}
END_TEST

static const struct {
	const char *cfg;
	const char *where;    /* NULL: parses */
	enum wire_mode mode0, mode1;
	enum wire_profile prof0, prof1;
} configs[] = {
	{ "{'endpoints':[{'base_url':'http://a/v1','model':'m'}]}", NULL,
	  WIRE_JSON_SCHEMA, 0, WIRE_GENERIC, 0 },
	{ "{'endpoints':[{'base_url':'http://a/v1','model':'m','profile':"
	  "'llama.cpp'},{'base_url':'http://b/v1','model':'m',"
	  "'structured_output':'none'}],'engine':{'profile':'vllm',"
	  "'structured_output':'json_object'}}", NULL,
	  WIRE_JSON_OBJECT, WIRE_NONE, WIRE_LLAMACPP, WIRE_VLLM },
	{ "{'endpoints':[{'base_url':'http://a/v1','model':'m','profile':"
	  "'llamacpp'}]}", "$.endpoints[0].profile", 0, 0, 0, 0 },
	{ "{'endpoints':[{'base_url':'http://a/v1','model':'m',"
	  "'structured_output':true}]}", "$.endpoints[0].structured_output",
	  0, 0, 0, 0 },
	{ "{'engine':{'profile':'gpt'}}", "$.engine.profile", 0, 0, 0, 0 },
};

START_TEST(config_keys)
{
	char *text = dq(configs[_i].cfg);
	cJSON *root = cJSON_Parse(text);
	struct engine_config c;
	struct pf_error err;
	int rc;

	memset(&err, 0, sizeof(err));
	rc = engine_config_parse(root, "t.json", &c, &err);
	if (configs[_i].where != NULL) {
		ck_assert_int_eq(rc, -1);
		ck_assert_str_eq(err.where, configs[_i].where);
		ck_assert_ptr_nonnull(strstr(err.msg, "(allowed: "));
	} else {
		ck_assert_int_eq(rc, 0);
		ck_assert_int_eq(c.endpoints[0].wire.mode, configs[_i].mode0);
		ck_assert_int_eq(c.endpoints[0].wire.profile,
				 configs[_i].prof0);
		if (c.n_endpoints > 1) {
			ck_assert_int_eq(c.endpoints[1].wire.mode,
					 configs[_i].mode1);
			ck_assert_int_eq(c.endpoints[1].wire.profile,
					 configs[_i].prof1);
		}
		engine_config_free(&c);
	}
	cJSON_Delete(root);
	free(text);
}
END_TEST

/* --base-url builds take $.engine's settings. */
START_TEST(base_url_inherits)
{
	char *text = dq("{'engine':{'profile':'ollama'}}");
	cJSON *root = cJSON_Parse(text);
	struct engine_config c;
	struct pf_error err;

	ck_assert_int_eq(engine_config_parse(root, "t", &c, &err), 0);
	ck_assert_int_eq(engine_config_override(&c, "http://h/v1", "m", NULL,
						&err), 0);
	ck_assert_int_eq(c.endpoints[0].wire.profile, WIRE_OLLAMA);
	ck_assert_int_eq(c.endpoints[0].wire.mode, WIRE_JSON_SCHEMA);
	engine_config_free(&c);
	cJSON_Delete(root);
	free(text);
}
END_TEST

START_TEST(names_round_trip)
{
	const char *allowed;
	int p;

	for (p = WIRE_GENERIC; p <= WIRE_OLLAMA; p++)
		ck_assert_int_eq(wire_profile_parse(wire_profile_name(p),
						    &allowed), p);
	for (p = WIRE_JSON_SCHEMA; p <= WIRE_NONE; p++)
		ck_assert_int_eq(wire_mode_parse(wire_mode_name(p), NULL), p);
	ck_assert_int_eq(wire_profile_parse("LLAMA.CPP", NULL), 0);
	ck_assert_ptr_nonnull(strstr(allowed, "llama.cpp"));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("wire");
	TCase *tc = tcase_create("wire");

	tcase_add_loop_test(tc, bodies, 0, N(cases));
	tcase_add_test(tc, not_json);
	tcase_add_loop_test(tc, config_keys, 0, N(configs));
	tcase_add_test(tc, base_url_inherits);
	tcase_add_test(tc, names_round_trip);
	suite_add_tcase(s, tc);
	return check_tap_run(s);
}
