/* test_schema.c - unit tests for engine/schema: compile errors, validation
 * verdicts and error paths, schema files. Table-driven.
 *
 * To keep the tables readable, JSON texts are written with ' where JSON
 * wants "; parse() swaps them back (no test text needs a real '). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/json.h"
#include "base/schema.h"
#include "tests/unit/check_tap.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Parse `text` after turning every ' into "; fails the test on error. */
static cJSON *
parse(const char *text)
{
	struct json_error jerr;
	cJSON *v = NULL;
	char *s = strdup(text);
	char *p;

	ck_assert_ptr_nonnull(s);
	for (p = s; *p != '\0'; p++)
		if (*p == '\'')
			*p = '"';
	ck_assert_msg(json_parse(s, strlen(s), &v, &jerr) == 0,
		      "bad test JSON %s: %s", text, jerr.msg);
	free(s);
	return v;
}

/* Compile `text`, which must be a valid schema. */
static struct schema *
compile(const char *text)
{
	struct pf_error err;
	struct schema *s = NULL;
	cJSON *root = parse(text);

	pf_error_clear(&err);
	ck_assert_msg(schema_compile(root, &s, &err) == 0,
		      "compile %s: %s: %s", text, err.where, err.msg);
	cJSON_Delete(root);  /* the schema must not point into it */
	return s;
}

/* {schema, instance, valid?, error path, words of the message} */
static const struct {
	const char *schema, *instance;
	int valid;
	const char *where, *msg;
} cases[] = {
	/* type */
	{ "{'type':'string'}", "'x'", 1, NULL, NULL },
	{ "{'type':'string'}", "3", 0, "$", "expected a string" },
	{ "{'type':['string','null']}", "null", 1, NULL, NULL },
	{ "{'type':['string','null']}", "1", 0, "$",
	  "expected null or string" },
	{ "{'type':'integer'}", "3", 1, NULL, NULL },
	{ "{'type':'integer'}", "3.0", 1, NULL, NULL },
	{ "{'type':'integer'}", "-0", 1, NULL, NULL },
	{ "{'type':'integer'}", "-10e-0", 1, NULL, NULL },
	{ "{'type':'integer'}", "1E2", 1, NULL, NULL },
	{ "{'type':'integer'}", "3.5", 0, "$", "expected an integer" },
	{ "{'type':'number'}", "3.5", 1, NULL, NULL },
	{ "{'type':'number'}", "'3'", 0, "$", "expected a number" },
	{ "{'type':'boolean'}", "false", 1, NULL, NULL },
	{ "{'type':'boolean'}", "0", 0, "$", "expected a boolean" },
	{ "{'type':'null'}", "false", 0, "$", "expected null" },
	{ "{'type':'object'}", "[]", 0, "$", "expected an object" },
	{ "{'type':'array'}", "{}", 0, "$", "expected an array" },
	{ "{'type':['integer','number']}", "true", 0, "$",
	  "expected a number" },
	/* the empty schema accepts anything */
	{ "{}", "{'a':[1,{'b':null}]}", 1, NULL, NULL },
	{ "{}", "null", 1, NULL, NULL },
	/* properties, required, additionalProperties */
	{ "{'properties':{'age':{'type':'integer'}}}", "{'age':'x'}", 0,
	  "$.age", "expected an integer" },
	{ "{'properties':{'age':{'type':'integer'}}}", "{'name':1}", 1,
	  NULL, NULL },
	{ "{'required':['answer']}", "{}", 0, "$",
	  "missing required property 'answer'" },
	{ "{'required':['answer']}", "{'answer':0}", 1, NULL, NULL },
	{ "{'required':['answer']}", "[]", 1, NULL, NULL },
	{ "{'properties':{'a':{}},'additionalProperties':false}",
	  "{'a':1,'foo':2}", 0, "$", "unexpected property 'foo'" },
	{ "{'properties':{'a':{}},'additionalProperties':true}",
	  "{'a':1,'foo':2}", 1, NULL, NULL },
	{ "{'properties':{'a b':{'type':'string'}}}", "{'a b':1}", 0,
	  "$[\"a b\"]", "expected a string" },
	/* items and nested paths */
	{ "{'items':{'type':'string'}}", "['a',1]", 0, "$[1]",
	  "expected a string" },
	{ "{'properties':{'facts':{'items':{'properties':"
	  "{'value':{'type':'string'}}}}}}",
	  "{'facts':[{'value':'a'},{'value':'b'},{'value':3}]}", 0,
	  "$.facts[2].value", "expected a string" },
	/* minItems, maxItems */
	{ "{'minItems':2}", "[1]", 0, "$", "1 items is below minItems 2" },
	{ "{'maxItems':1}", "[1,2]", 0, "$", "2 items is above maxItems 1" },
	{ "{'minItems':1,'maxItems':2}", "[1,2]", 1, NULL, NULL },
	{ "{'minItems':3}", "'ab'", 1, NULL, NULL },
	/* minLength, maxLength count code points */
	{ "{'minLength':1}", "''", 0, "$", "length 0 is below minLength 1" },
	{ "{'maxLength':3}", "'\xc3\xa9\xc3\xa9\xc3\xa9'", 1, NULL, NULL },
	{ "{'maxLength':2}", "'\xc3\xa9\xc3\xa9\xc3\xa9'", 0, "$",
	  "length 3 is above maxLength 2" },
	{ "{'minLength':2,'maxLength':2}",
	  "'\xf0\x9f\x98\x80\xe2\x82\xac'", 1, NULL, NULL },
	{ "{'maxLength':1}", "'\\u00e9'", 1, NULL, NULL },
	{ "{'maxLength':1}", "'\\ud83d\\ude00'", 1, NULL, NULL },
	{ "{'minLength':5}", "3", 1, NULL, NULL },
	/* enum, const */
	{ "{'enum':['a','b',1,null]}", "'b'", 1, NULL, NULL },
	{ "{'enum':['a','b',1,null]}", "'c'", 0, "$", "value not in enum" },
	{ "{'enum':['a','b',1,null]}", "1.0", 1, NULL, NULL },
	{ "{'enum':['a','b',1,null]}", "null", 1, NULL, NULL },
	{ "{'enum':['a','b',1,null]}", "true", 0, "$", "value not in enum" },
	{ "{'const':'yes'}", "'yes'", 1, NULL, NULL },
	{ "{'const':'yes'}", "'no'", 0, "$", "value does not equal const" },
	{ "{'const':false}", "false", 1, NULL, NULL },
	{ "{'const':false}", "0", 0, "$", "value does not equal const" },
	/* minimum, maximum */
	{ "{'minimum':0}", "-1", 0, "$", "-1 is below minimum 0" },
	{ "{'minimum':0}", "-0", 1, NULL, NULL },
	{ "{'maximum':10}", "10", 1, NULL, NULL },
	{ "{'maximum':10}", "10.5", 0, "$", "10.5 is above maximum 10" },
	{ "{'minimum':5}", "'1'", 1, NULL, NULL },
	/* anyOf, oneOf */
	{ "{'anyOf':[{'type':'string'},{'type':'integer'}]}", "1", 1,
	  NULL, NULL },
	{ "{'anyOf':[{'type':'string'},{'type':'integer'}]}", "1.5", 0, "$",
	  "matches none of the anyOf alternatives" },
	{ "{'oneOf':[{'type':'integer'},{'type':'number'}]}", "1.5", 1,
	  NULL, NULL },
	{ "{'oneOf':[{'type':'integer'},{'type':'number'}]}", "1", 0, "$",
	  "matches more than one oneOf alternative (0 and 1)" },
	{ "{'oneOf':[{'type':'integer'},{'type':'number'}]}", "'x'", 0, "$",
	  "matches none of the oneOf alternatives" },
	{ "{'properties':{'v':{'anyOf':[{'type':'null'},{'minimum':1}]}}}",
	  "{'v':0}", 0, "$.v", "anyOf" },
	/* $defs, definitions, $ref */
	{ "{'$defs':{'name':{'type':'string','minLength':1}},"
	  "'properties':{'n':{'$ref':'#/$defs/name'}}}", "{'n':''}", 0,
	  "$.n", "length 0 is below minLength 1" },
	{ "{'definitions':{'n':{'type':'integer'}},"
	  "'items':{'$ref':'#/definitions/n'}}", "[1,2,-0]", 1, NULL, NULL },
	{ "{'$defs':{'a/b~':{'type':'string'}},'$ref':'#/$defs/a~1b~0'}",
	  "1", 0, "$", "expected a string" },
	{ "{'$defs':{'a':{'$ref':'#/$defs/b'},'b':{'type':'null'}},"
	  "'$ref':'#/$defs/a'}", "null", 1, NULL, NULL },
	{ "{'$defs':{'node':{'type':'object','properties':{"
	  "'kids':{'type':'array','items':{'$ref':'#/$defs/node'}},"
	  "'v':{'type':'integer'}}}},'$ref':'#/$defs/node'}",
	  "{'kids':[{'v':1,'kids':[{'v':'x'}]}]}", 0,
	  "$.kids[0].kids[0].v", "expected an integer" },
	{ "{'type':'array','items':{'anyOf':[{'type':'integer'},"
	  "{'$ref':'#'}]}}", "[1,[2,[3]]]", 1, NULL, NULL },
	{ "{'type':'array','items':{'anyOf':[{'type':'integer'},"
	  "{'$ref':'#'}]}}", "[1,[2,['x']]]", 0, "$[1]", "anyOf" },
	/* annotations are ignored; format is not enforced */
	{ "{'title':'t','description':'d','$schema':'x','$id':'y',"
	  "'$comment':'c','default':1,'examples':[1],'format':'date',"
	  "'type':'string'}", "'zzz'", 1, NULL, NULL },
	/* pattern is enforced (ECMA-262 syntax that POSIX ERE reads alike),
	 * unanchored */
	{ "{'pattern':'^a+$'}", "'aaa'", 1, NULL, NULL },
	{ "{'pattern':'^a+$'}", "'zzz'", 0, "$", "pattern" },
	{ "{'pattern':'b[0-9]{2}'}", "'xxb12yy'", 1, NULL, NULL },
	{ "{'pattern':'^a$'}", "3", 1, NULL, NULL },
	{ "{'pattern':'^[+*]+(ab)+c?$'}", "'+*ababc'", 1, NULL, NULL },
	/* boolean schemas */
	{ "true", "{'a':1}", 1, NULL, NULL },
	{ "false", "null", 0, "$", "no value is allowed" },
	{ "{'properties':{'a':false}}", "{'a':1}", 0, "$.a",
	  "no value is allowed" },
	{ "{'items':true}", "[1,'x']", 1, NULL, NULL },
	/* a typical reply */
	{ "{'type':'object','additionalProperties':false,"
	  "'required':['answer','facts'],'properties':{"
	  "'answer':{'type':'string','minLength':1,'maxLength':400},"
	  "'confidence':{'type':'integer','minimum':0,'maximum':10},"
	  "'facts':{'type':'array','minItems':1,'maxItems':8,'items':{"
	  "'type':'object','required':['key','value'],"
	  "'properties':{'key':{'enum':['age','job','city']},"
	  "'value':{'type':'string'}}}}}}",
	  "{'answer':'Ok','confidence':-0,'facts':[{'key':'age',"
	  "'value':'40'},{'key':'town','value':'x'}]}", 0,
	  "$.facts[1].key", "value not in enum" },
};

START_TEST(validate_table)
{
	struct pf_error err;
	struct schema *s = compile(cases[_i].schema);
	cJSON *x = parse(cases[_i].instance);
	int rc;

	pf_error_clear(&err);
	rc = schema_validate(s, x, &err);
	ck_assert_msg(rc == (cases[_i].valid ? 0 : -1),
		      "case %d: %s against %s gave %d (%s: %s)", _i,
		      cases[_i].instance, cases[_i].schema, rc, err.where,
		      err.msg);
	if (!cases[_i].valid) {
		ck_assert_str_eq(err.where, cases[_i].where);
		ck_assert_msg(strstr(err.msg, cases[_i].msg) != NULL,
			      "case %d: message '%s' lacks '%s'", _i,
			      err.msg, cases[_i].msg);
		ck_assert_int_eq(schema_validate(s, x, NULL), -1);
	}
	cJSON_Delete(x);
	schema_free(s);
}
END_TEST

/* {schema, error path in the schema, words of the message} */
static const struct {
	const char *schema, *where, *msg;
} bad[] = {
	{ "{'patternProperties':{}}", "$.patternProperties",
	  "unsupported keyword 'patternProperties'" },
	{ "{'properties':{'age':{'minimum':'x'}}}",
	  "$.properties.age.minimum", "minimum must be a number" },
	{ "[]", "$", "a schema must be a JSON object" },
	{ "'string'", "$", "a schema must be a JSON object" },
	{ "{'properties':{'a':1}}", "$.properties.a",
	  "a schema must be a JSON object or a boolean" },
	{ "{'pattern':'^\\\\d+$'}", "$.pattern", "unsupported pattern syntax" },
	{ "{'pattern':'(?=a)'}", "$.pattern", "unsupported pattern syntax" },
	{ "{'pattern':'(a'}", "$.pattern", "not a valid regular expression" },
	/* glibc's regcomp() is exponential in a run of quantifiers (fuzzing
	 * found 45 '+' taking 2 GB): refused, as ECMA-262 refuses "a++" */
	{ "{'pattern':'a++'}", "$.pattern", "unsupported pattern syntax" },
	{ "{'pattern':'a{2}{3}'}", "$.pattern", "unsupported pattern syntax" },
	{ "{'pattern':'a{256}'}", "$.pattern", "unsupported pattern syntax" },
	{ "{'pattern':1}", "$.pattern", "pattern must be a string" },
	{ "{'properties':{'a':{'$id':'x'}}}", "$.properties.a.$id",
	  "top level only" },
	{ "{'type':'str'}", "$.type", "unknown type 'str'" },
	{ "{'type':[]}", "$.type", "type must be" },
	{ "{'additionalProperties':{}}", "$.additionalProperties",
	  "must be a boolean" },
	{ "{'items':[{}]}", "$.items", "tuple form" },
	{ "{'minLength':-1}", "$.minLength",
	  "minLength must be a non-negative integer" },
	{ "{'maxItems':1.5}", "$.maxItems", "non-negative integer" },
	{ "{'enum':[1,[1]]}", "$.enum[1]", "enum values must be" },
	{ "{'enum':[]}", "$.enum", "non-empty array" },
	{ "{'const':{}}", "$.const", "const values must be" },
	{ "{'required':['a',1]}", "$.required", "array of strings" },
	{ "{'anyOf':[]}", "$.anyOf", "anyOf must be a non-empty array" },
	{ "{'anyOf':[{},{'typo':1}]}", "$.anyOf[1].typo",
	  "unsupported keyword 'typo'" },
	{ "{'properties':{'x':{'items':{'allOf':[]}}}}",
	  "$.properties.x.items.allOf", "unsupported keyword 'allOf'" },
	{ "{'$defs':{'x':{'bogus':true}}}", "$.$defs.x.bogus",
	  "unsupported keyword 'bogus'" },
	{ "{'$defs':[]}", "$.$defs", "$defs must be an object" },
	{ "{'$ref':'#/$defs/missing'}", "$.$ref", "does not resolve" },
	{ "{'$ref':'http://example.com/s.json'}", "$.$ref",
	  "does not resolve" },
	{ "{'$defs':{'a':{'$ref':'#/$defs/b'},'b':{'$ref':'#/$defs/a'}},"
	  "'$ref':'#/$defs/a'}", "$.$defs.b.$ref", "cycle" },
	{ "{'$defs':{'a':{'anyOf':[{'type':'string'},{'$ref':'#/$defs/a'}]}}}",
	  "$.$defs.a.anyOf[1].$ref", "cycle" },
	{ "{'$ref':'#'}", "$.$ref", "cycle" },
	{ "{'type':'string','type':'integer'}", "$.type",
	  "duplicate keyword 'type'" },
	{ "{'minLength':5,'maxLength':2}", "$",
	  "minLength 5 exceeds maxLength 2" },
	{ "{'properties':{'n':{'minimum':3,'maximum':1}}}", "$.properties.n",
	  "minimum 3 exceeds maximum 1" },
};

START_TEST(compile_errors)
{
	struct pf_error err;
	struct schema *s = (struct schema *)&err;
	cJSON *root = parse(bad[_i].schema);

	pf_error_clear(&err);
	ck_assert_int_eq(schema_compile(root, &s, &err), -1);
	ck_assert_ptr_null(s);
	ck_assert_str_eq(err.where, bad[_i].where);
	ck_assert_msg(strstr(err.msg, bad[_i].msg) != NULL,
		      "case %d: message '%s' lacks '%s'", _i, err.msg,
		      bad[_i].msg);
	ck_assert_int_eq(schema_compile(root, &s, NULL), -1);
	cJSON_Delete(root);
}
END_TEST

/* A recursive schema against a very deep instance ends in an error, not
 * in a stack overflow. */
START_TEST(deep_instance_is_an_error)
{
	struct schema *s = compile("{'items':{'$ref':'#'}}");
	struct pf_error err;
	char text[1024];
	cJSON *x;
	int i, depth = 400;

	for (i = 0; i < depth; i++) {
		text[i] = '[';
		text[depth + i] = ']';
	}
	text[2 * depth] = '\0';
	x = parse(text);
	pf_error_clear(&err);
	ck_assert_int_eq(schema_validate(s, x, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "nested deeper"));
	cJSON_Delete(x);
	x = parse("[[[[[]]]]]");
	ck_assert_int_eq(schema_validate(s, x, &err), 0);
	cJSON_Delete(x);
	schema_free(s);
	schema_free(NULL);
}
END_TEST

/* Write `text` to a temporary file; returns its path (static buffer). */
static const char *
write_temp(const char *text)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/test_schema.XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (int)strlen(text));
	close(fd);
	return path;
}

START_TEST(load_file_errors)
{
	struct pf_error err;
	struct schema *s = NULL;
	const char *path;

	path = write_temp("{\n  \"type\": \"string\",\n  \"x\": }\n");
	ck_assert_int_eq(schema_load_file(path, &s, &err), -1);
	ck_assert_str_eq(err.file, path);
	ck_assert_int_eq(err.line, 3);
	ck_assert_int_eq(err.col, 8);
	unlink(path);

	path = write_temp("{\"type\": \"string\", \"format\": \"email\","
			  " \"minimum\": true}");
	ck_assert_int_eq(schema_load_file(path, &s, &err), -1);
	ck_assert_str_eq(err.file, path);
	ck_assert_str_eq(err.where, "$.minimum");
	unlink(path);

	ck_assert_int_eq(schema_load_file("/nonexistent/s.json", &s, &err),
			 -1);
	ck_assert_str_eq(err.file, "/nonexistent/s.json");
	ck_assert_int_eq(err.line, 0);
	ck_assert_ptr_null(s);
}
END_TEST

START_TEST(load_file_ok)
{
	struct pf_error err;
	struct schema *s = NULL;
	const char *path = write_temp("{\"type\": \"object\", "
				      "\"required\": [\"a\"]}");
	cJSON *x = parse("{'b':1}");

	ck_assert_int_eq(schema_load_file(path, &s, &err), 0);
	unlink(path);
	ck_assert_int_eq(schema_validate(s, x, &err), -1);
	ck_assert_str_eq(err.msg, "missing required property 'a'");
	cJSON_Delete(x);
	schema_free(s);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("schema");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, validate_table, 0, N(cases));
	tcase_add_loop_test(tc, compile_errors, 0, N(bad));
	tcase_add_test(tc, deep_instance_is_an_error);
	tcase_add_test(tc, load_file_errors);
	tcase_add_test(tc, load_file_ok);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_tap_run(suite());
}
