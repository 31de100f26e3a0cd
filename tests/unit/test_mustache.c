/* test_mustache.c - unit tests for templates/mustache.c.
 *
 * Built twice. Plain, it runs our own table-driven cases: escape modes,
 * number formatting, compile-error positions, partial caching and limits.
 * With -DMUSTACHE_SPEC it runs every test of the official spec files in
 * $SHARED_DIR/conformance/mustache-spec, one Check test per spec test, and
 * prints a TAP SKIP plan when the files are not there.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/json.h"
#include "templates/mustache.h"
#include "tests/unit/check_tap.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Compile `tmpl`, render it with `data` and return the malloc'd output,
 * or NULL with err filled. */
static char *
render_str(const char *tmpl, const cJSON *data, enum mustache_escape esc,
	   mustache_partial_fn fn, void *ud, struct pf_error *err)
{
	struct mustache *t;
	struct buf out;
	char *s = NULL;

	if (mustache_compile(tmpl, strlen(tmpl), "t.mustache", &t, err) != 0)
		return NULL;
	buf_init(&out, 1 << 20);
	if (mustache_render(t, data, esc, fn, ud, &out, err) == 0)
		s = buf_detach(&out);
	buf_free(&out);
	mustache_free(t);
	return s;
}

#ifdef MUSTACHE_SPEC

/* Partial loader over a JSON object {name: text}; ud is the object. */
static int
json_partials(void *ud, const char *name, char **text, size_t *len)
{
	const char *s = json_get_str(ud, name, NULL);

	if (s == NULL)
		return 1;
	*text = strdup(s);
	*len = strlen(s);
	return *text ? 0 : -1;
}

static const char *const spec_files[] = {
	"comments", "delimiters", "interpolation", "inverted", "partials",
	"sections",
};

struct spec_case {
	const char *file, *name, *tmpl, *expected;
	cJSON *data, *partials;
};

static struct spec_case cases[512];
static int ncases;
static int file_first[6], file_end[6];
static cJSON *roots[6];

START_TEST(spec_case)
{
	const struct spec_case *c = &cases[_i];
	struct pf_error err;
	char *got;

	memset(&err, 0, sizeof(err));
	got = render_str(c->tmpl, c->data, MUSTACHE_ESCAPE_HTML,
			 json_partials, c->partials, &err);
	ck_assert_msg(got != NULL, "%s: %s: error %s:%d:%d: %s", c->file,
		      c->name, err.file, err.line, err.col, err.msg);
	ck_assert_msg(strcmp(got, c->expected) == 0,
		      "%s: %s: got [%s] expected [%s]", c->file, c->name, got,
		      c->expected);
	free(got);
}
END_TEST

static int
load_file(const char *dir, int f)
{
	struct json_error jerr;
	char path[4200];
	cJSON *t;

	snprintf(path, sizeof(path), "%s/%s.json", dir, spec_files[f]);
	if (json_parse_file(path, 1 << 24, &roots[f], &jerr) != 0) {
		fprintf(stderr, "%s:%d:%d: %s\n", path, jerr.line, jerr.col,
			jerr.msg);
		return -1;
	}
	file_first[f] = ncases;
	cJSON_ArrayForEach(t, json_get(roots[f], "tests")) {
		struct spec_case *c = &cases[ncases];

		if (ncases == N(cases))
			return -1;
		c->file = spec_files[f];
		c->name = json_get_str(t, "name", "?");
		c->tmpl = json_get_str(t, "template", "");
		c->expected = json_get_str(t, "expected", "");
		c->data = json_get(t, "data");
		c->partials = json_get(t, "partials");
		ncases++;
	}
	file_end[f] = ncases;
	return 0;
}

static Suite *
suite(void)
{
	Suite *s = suite_create("mustache-spec");
	TCase *tc;
	int f;

	for (f = 0; f < N(spec_files); f++) {
		tc = tcase_create(spec_files[f]);
		tcase_add_loop_test(tc, spec_case, file_first[f], file_end[f]);
		suite_add_tcase(s, tc);
	}
	return s;
}

int
main(void)
{
	const char *shared = check_tap_shared_dir();
	char dir[4096];
	int f, rc;

	if (shared == NULL) {
		printf("1..0 # SKIP SHARED_DIR not set\n");
		return 0;
	}
	snprintf(dir, sizeof(dir), "%s/conformance/mustache-spec", shared);
	if (access(dir, R_OK) != 0) {
		printf("1..0 # SKIP %s not found\n", dir);
		return 0;
	}
	for (f = 0; f < N(spec_files); f++)
		if (load_file(dir, f) != 0)
			return EXIT_FAILURE;
	rc = check_tap_run(suite());
	for (f = 0; f < N(spec_files); f++)
		cJSON_Delete(roots[f]);
	return rc;
}

#else /* our own cases */

static const struct {
	const char *tmpl, *data;
	enum mustache_escape esc;
	const char *want;
} render_cases[] = {
	/* escape modes */
	{ "{{x}}", "{\"x\":\"<a & \\\"b\\\">\"}", MUSTACHE_ESCAPE_HTML,
	  "&lt;a &amp; &quot;b&quot;&gt;" },
	{ "{{x}}", "{\"x\":\"<a & \\\"b\\\">\"}", MUSTACHE_ESCAPE_NONE,
	  "<a & \"b\">" },
	{ "{{x}}", "{\"x\":\"a\\\"b\\\\c\\nd\\te\\u0001\"}",
	  MUSTACHE_ESCAPE_JSON, "a\\\"b\\\\c\\nd\\te\\u0001" },
	{ "{{{x}}}|{{&x}}", "{\"x\":\"\\\"<\\n\"}", MUSTACHE_ESCAPE_JSON,
	  "\"<\n|\"<\n" },
	{ "{{{x}}}", "{\"x\":\"<&>\"}", MUSTACHE_ESCAPE_HTML, "<&>" },
	{ "{\"k\": \"{{x}}\"}", "{\"x\":\"caf\\u00e9 \\\"q\\\"\"}",
	  MUSTACHE_ESCAPE_JSON, "{\"k\": \"caf\xc3\xa9 \\\"q\\\"\"}" },
	/* numbers, booleans, containers */
	{ "{{a}} {{b}} {{c}} {{d}} {{e}} {{f}}",
	  "{\"a\":1.5,\"b\":85,\"c\":0.1,\"d\":-3,\"e\":1e21,\"f\":100000}",
	  MUSTACHE_ESCAPE_NONE, "1.5 85 0.1 -3 1e+21 100000" },
	{ "{{a}} {{b}} {{c}}|", "{\"a\":true,\"b\":false,\"c\":null}",
	  MUSTACHE_ESCAPE_NONE, "true false |" },
	{ "{{o}} {{l}}", "{\"o\":{\"a\":1},\"l\":[1,\"x\"]}",
	  MUSTACHE_ESCAPE_NONE, "{\"a\":1} [1,\"x\"]" },
	/* truthiness: 0 and "" are truthy, [] falsy, {} truthy */
	{ "{{#z}}0{{/z}}{{#s}}s{{/s}}{{#l}}l{{/l}}{{#o}}o{{/o}}",
	  "{\"z\":0,\"s\":\"\",\"l\":[],\"o\":{}}", MUSTACHE_ESCAPE_NONE,
	  "0so" },
	/* no data at all */
	{ "a{{x}}b{{#x}}c{{/x}}{{^x}}d{{/x}}", NULL, MUSTACHE_ESCAPE_HTML,
	  "abd" },
};

START_TEST(render_table)
{
	struct pf_error err;
	cJSON *data = NULL;
	char *got;

	if (render_cases[_i].data != NULL)
		ck_assert_int_eq(json_parse(render_cases[_i].data,
			strlen(render_cases[_i].data), &data, NULL), 0);
	got = render_str(render_cases[_i].tmpl, data, render_cases[_i].esc,
			 NULL, NULL, &err);
	ck_assert_msg(got != NULL, "error: %s", err.msg);
	ck_assert_str_eq(got, render_cases[_i].want);
	free(got);
	cJSON_Delete(data);
}
END_TEST

START_TEST(json_escape_invalid_utf8)
{
	cJSON *data = cJSON_CreateObject();
	cJSON *back = NULL;
	char *got;

	cJSON_AddStringToObject(data, "x", "a\xff" "b\xc3\xa9\x1b");
	got = render_str("\"{{x}}\"", data, MUSTACHE_ESCAPE_JSON, NULL, NULL,
			 NULL);
	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got, "\"a\xef\xbf\xbd" "b\xc3\xa9\\u001b\"");
	ck_assert_int_eq(json_parse(got, strlen(got), &back, NULL), 0);
	ck_assert(cJSON_IsString(back));
	cJSON_Delete(back);
	free(got);
	cJSON_Delete(data);
}
END_TEST

static const struct {
	const char *tmpl;
	int line, col;
	const char *msg;
} error_cases[] = {
	{ "{{#a}}x", 1, 1, "unclosed section 'a'" },
	{ "ab\n  {{#a}}\n{{/b}}", 3, 1,
	  "unexpected closing tag 'b' (open section is 'a')" },
	{ "{{#a}}{{#b}}{{/a}}", 1, 13,
	  "unexpected closing tag 'a' (open section is 'b')" },
	{ "x{{/a}}", 1, 2, "unexpected closing tag 'a'" },
	{ "x\ny {{name", 2, 3, "unclosed tag" },
	{ "{{{x}}", 1, 1, "unclosed tag" },
	{ "{{=<% %>=}}\n\t<%name", 2, 2, "unclosed tag" },
	{ "{{=<% %>=}}<%#s%>\n<%/s}}", 2, 1, "unclosed tag" },
	{ "a {{= x =}}", 1, 3, "invalid set-delimiter tag" },
	{ "a\n {{=x y z=}}", 2, 2, "invalid set-delimiter tag" },
	{ "{{==}}", 1, 1, "invalid set-delimiter tag" },
	{ "\n\n   {{ }}", 3, 4, "empty tag" },
	{ "{{#a}}\n{{^b}}\n  {{#c}}\n{{/b}}", 4, 1,
	  "unexpected closing tag 'b' (open section is 'c')" },
	{ "{{#x}}\n\n{{#y}}{{/y}}", 1, 1, "unclosed section 'x'" },
};

START_TEST(compile_error_positions)
{
	struct mustache *t = (struct mustache *)1;
	struct pf_error err;
	const char *s = error_cases[_i].tmpl;

	memset(&err, 0, sizeof(err));
	ck_assert_int_eq(mustache_compile(s, strlen(s), "bad.mustache", &t,
					  &err), -1);
	ck_assert_ptr_null(t);
	ck_assert_str_eq(err.file, "bad.mustache");
	ck_assert_str_eq(err.msg, error_cases[_i].msg);
	ck_assert_int_eq(err.line, error_cases[_i].line);
	ck_assert_int_eq(err.col, error_cases[_i].col);
}
END_TEST

START_TEST(section_depth_limit)
{
	struct mustache *t;
	struct pf_error err;
	struct buf b;
	int i;

	buf_init(&b, 1 << 16);
	for (i = 0; i <= MUSTACHE_MAX_SECTION_DEPTH; i++)
		buf_puts(&b, "{{#a}}");
	ck_assert_int_eq(mustache_compile(b.data, b.len, "deep", &t, &err),
			 -1);
	ck_assert_str_eq(err.msg, "sections nested deeper than 100");
	ck_assert_int_eq(err.col, 1 + 6 * MUSTACHE_MAX_SECTION_DEPTH);
	buf_free(&b);
}
END_TEST

/* A loader whose every partial includes itself. */
static int
self_partial(void *ud, const char *name, char **text, size_t *len)
{
	*text = strdup("x{{>self}}");
	*len = 10;
	return 0;
}

START_TEST(partial_recursion_limit)
{
	struct pf_error err;
	char *got;

	got = render_str("{{>self}}", NULL, MUSTACHE_ESCAPE_HTML,
			 self_partial, NULL, &err);
	ck_assert_ptr_null(got);
	ck_assert_str_eq(err.msg, "partials nested deeper than 64 "
			 "(at 'self')");
	ck_assert_str_eq(err.file, "t.mustache");
}
END_TEST

START_TEST(buffer_limit)
{
	struct mustache *t;
	struct pf_error err;
	cJSON *data;
	struct buf out;

	ck_assert_int_eq(json_parse("{\"x\":\"0123456789\"}", 18, &data,
				    NULL), 0);
	ck_assert_int_eq(mustache_compile("{{x}}{{x}}", 10, "lim", &t, &err),
			 0);
	buf_init(&out, 16);
	buf_puts(&out, "pre");
	ck_assert_int_eq(mustache_render(t, data, MUSTACHE_ESCAPE_NONE, NULL,
					 NULL, &out, &err), -1);
	ck_assert_str_eq(out.data, "pre");
	ck_assert_uint_eq(out.len, 3);
	ck_assert_str_eq(err.file, "lim");
	ck_assert_str_eq(err.msg,
			 "rendered output exceeds the limit of 16 bytes");
	/* JSON mode: output that fits exactly is accepted. */
	buf_reset(&out);
	buf_puts(&out, "pre");
	ck_assert_int_eq(mustache_render(t, data, MUSTACHE_ESCAPE_JSON, NULL,
					 NULL, &out, &err), -1);
	out.max = 23;
	ck_assert_int_eq(mustache_render(t, data, MUSTACHE_ESCAPE_JSON, NULL,
					 NULL, &out, &err), 0);
	ck_assert_str_eq(out.data, "pre01234567890123456789");
	buf_free(&out);
	mustache_free(t);
	cJSON_Delete(data);
}
END_TEST

struct counting {
	int calls;
	const char *text;
};

static int
counting_partial(void *ud, const char *name, char **text, size_t *len)
{
	struct counting *c = ud;

	c->calls++;
	if (strcmp(name, "p") != 0)
		return 1;
	*text = strdup(c->text);
	*len = strlen(c->text);
	return 0;
}

START_TEST(render_many_times)
{
	struct counting cnt = { 0, "<{{name}}>" }, other = { 0, "({{name}})" };
	struct mustache *t;
	struct buf out;
	char want[64];
	cJSON *data;
	int i;

	ck_assert_int_eq(mustache_compile("Hi {{name}}{{>p}}{{>q}}!", 24,
					  "many", &t, NULL), 0);
	buf_init(&out, 1 << 10);
	data = cJSON_CreateObject();
	cJSON_AddNumberToObject(data, "name", 0);
	for (i = 0; i < 2000; i++) {
		cJSON_SetNumberValue(json_get(data, "name"), i);
		buf_reset(&out);
		ck_assert_int_eq(mustache_render(t, data, MUSTACHE_ESCAPE_HTML,
			counting_partial, &cnt, &out, NULL), 0);
		snprintf(want, sizeof(want), "Hi %d<%d>!", i, i);
		ck_assert_str_eq(out.data, want);
	}
	ck_assert_int_eq(cnt.calls, 2);  /* p once, q (missing) once */
	buf_reset(&out);
	ck_assert_int_eq(mustache_render(t, data, MUSTACHE_ESCAPE_HTML,
		counting_partial, &other, &out, NULL), 0);
	ck_assert_str_eq(out.data, "Hi 1999(1999)!");
	buf_reset(&out);
	ck_assert_int_eq(mustache_render(t, data, MUSTACHE_ESCAPE_HTML, NULL,
					 NULL, &out, NULL), 0);
	ck_assert_str_eq(out.data, "Hi 1999!");
	buf_free(&out);
	cJSON_Delete(data);
	mustache_free(t);
	mustache_free(NULL);
}
END_TEST

static int
bad_partial(void *ud, const char *name, char **text, size_t *len)
{
	if (strcmp(name, "io") == 0) {
		errno = EACCES;
		return -1;
	}
	*text = strdup("ok\n{{#a}}\n");
	*len = strlen(*text);
	return 0;
}

START_TEST(partial_errors)
{
	struct pf_error err;

	ck_assert_ptr_null(render_str("x{{>io}}", NULL, MUSTACHE_ESCAPE_HTML,
				      bad_partial, NULL, &err));
	ck_assert_str_eq(err.msg, "cannot load partial 'io': "
			 "Permission denied");
	/* Positions point into the partial's own text, even indented. */
	ck_assert_ptr_null(render_str("a\n   {{>bad}}\n", NULL,
				      MUSTACHE_ESCAPE_HTML, bad_partial, NULL,
				      &err));
	ck_assert_str_eq(err.file, "partial 'bad'");
	ck_assert_str_eq(err.msg, "unclosed section 'a'");
	ck_assert_int_eq(err.line, 2);
	ck_assert_int_eq(err.col, 1);
}
END_TEST

static void
write_file(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(s, f);
	ck_assert_int_eq(fclose(f), 0);
}

START_TEST(partials_from_dir)
{
	char dir[] = "/tmp/mustache-test-XXXXXX", path[4200];
	struct pf_error err;
	cJSON *data;
	char *got;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/p.mustache", dir);
	write_file(path, "[{{x}}]\n");
	ck_assert_int_eq(json_parse("{\"x\":1}", 7, &data, NULL), 0);
	got = render_str("  {{>p}}\n{{>missing}}|", data,
			 MUSTACHE_ESCAPE_HTML, mustache_partials_from_dir,
			 dir, &err);
	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got, "  [1]\n|");
	free(got);
	ck_assert_ptr_null(render_str("{{>../p}}", data,
				      MUSTACHE_ESCAPE_HTML,
				      mustache_partials_from_dir, dir, &err));
	ck_assert_str_eq(err.msg, "cannot load partial '../p': "
			 "Invalid argument");
	write_file(path, "{{/x}}");
	ck_assert_ptr_null(render_str("{{>p}}", data, MUSTACHE_ESCAPE_HTML,
				      mustache_partials_from_dir, dir, &err));
	snprintf(path, sizeof(path), "%s/p.mustache", dir);
	ck_assert_str_eq(err.file, path);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(rmdir(dir), 0);
	cJSON_Delete(data);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("mustache");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, render_table, 0, N(render_cases));
	tcase_add_test(tc, json_escape_invalid_utf8);
	tcase_add_loop_test(tc, compile_error_positions, 0, N(error_cases));
	tcase_add_test(tc, section_depth_limit);
	tcase_add_test(tc, partial_recursion_limit);
	tcase_add_test(tc, buffer_limit);
	tcase_add_test(tc, render_many_times);
	tcase_add_test(tc, partial_errors);
	tcase_add_test(tc, partials_from_dir);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_tap_run(suite());
}

#endif
