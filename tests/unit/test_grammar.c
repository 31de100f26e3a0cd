/* test_grammar.c - unit tests for templates/grammar.c: expansions, prose
 * clean-up, conditionals, modifiers, seeded choice, limits and the
 * file:line:column of every compile and render error. Table-driven. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/json.h"
#include "generators/text.h"
#include "templates/grammar.h"
#include "tests/unit/check_tap.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *const vars_json =
	"{\"p\": {\"name\": \"Ada\", \"city\": \"Tulsa\", \"age\": 41,"
	" \"has_job\": true, \"retired\": false, \"job\": \"engineer\","
	" \"kids\": 0, \"none\": null, \"empty\": \"\","
	" \"langs\": [\"English\", \"Spanish\", \"Tagalog\"],"
	" \"one\": [\"chess\"], \"nil\": [],"
	" \"rel\": [{\"sex\": \"female\", \"name\": \"Mia\"},"
	"           {\"sex\": \"male\", \"name\": \"Ben\"}]}}";

/* Compile `text` and render `rule`; returns the malloc'd text or NULL
 * with err filled. */
static char *
expand(const char *text, const char *rule, uint64_t seed, unsigned flags,
       size_t max, struct pf_error *err)
{
	struct grammar *g;
	cJSON *v = cJSON_Parse(vars_json);
	struct buf out;
	char *s = NULL;

	ck_assert_ptr_nonnull(v);
	buf_init(&out, max);
	if (grammar_compile(text, strlen(text), "t.grammar", &g, err) == 0 &&
	    grammar_render(g, rule, v, seed, flags, &out, err) == 0)
		s = buf_detach(&out);
	buf_free(&out);
	grammar_free(g);
	cJSON_Delete(v);
	return s;
}

static const struct {
	const char *text, *rule, *want;
	unsigned flags;
} ok_cases[] = {
	{ "a = hello world\n", "a", "hello world", 0 },
	{ "a = x <b> y\nb = mid\n", "a", "x mid y", 0 },
	{ "a = {p.name} of {p.city}, {p.age}\n", "a",
	  "Ada of Tulsa, 41", 0 },
	{ "a = {p.langs}\n", "a", "English, Spanish and Tagalog", 0 },
	{ "a = {p.one}\n", "a", "chess", 0 },
	{ "a = {p.rel.0.name}\n", "a", "Mia", 0 },
	{ "a = [?p.has_job: works | idle]\n", "a", "works", 0 },
	{ "a = [?p.retired: old | young]\n", "a", "young", 0 },
	{ "a = [?!p.retired: active]\n", "a", "active", 0 },
	{ "a = [?p.kids: kids | no kids]\n", "a", "no kids", 0 },
	{ "a = [?p.empty: x | empty]\n", "a", "empty", 0 },
	{ "a = [?p.nil: x | nil]\n", "a", "nil", 0 },
	{ "a = [?p.missing: x | missing]\n", "a", "missing", 0 },
	{ "a = [?p.age>=40: older | younger]\n", "a", "older", 0 },
	{ "a = [?p.age<40: younger | older]\n", "a", "older", 0 },
	{ "a = [?p.age=41: exactly]\n", "a", "exactly", 0 },
	{ "a = [?p.rel.1.sex=female: sister | brother]\n", "a", "brother",
	  0 },
	{ "a = [?p.rel.0.sex != male: sister | brother]\n", "a", "sister",
	  0 },
	{ "a = [?p.age<18: child |?p.age<65: adult | senior]\n", "a",
	  "adult", 0 },
	{ "a = [?p.has_job=true: t | f]\n", "a", "t", 0 },
	{ "a = {p.job:a}\n", "a", "an engineer", 0 },
	{ "a = <b:a>\nb = union rep\n", "a", "a union rep", 0 },
	{ "a = <b:a>\nb = hour\n", "a", "an hour", 0 },
	{ "a = {p.age:a}-year-old\n", "a", "a 41-year-old", 0 },
	{ "a = <b:a:cap>\nb = 80-year-old\n", "a", "An 80-year-old", 0 },
	{ "a = {p.city:lower}\n", "a", "tulsa", 0 },
	{ "a = <b:cap>\nb = well\n", "a", "Well", 0 },
	{ "a = one\n  two\n\n  # comment\n  three\n", "a",
	  "one two three", 0 },
	{ "a = x\n| x\n  | x\n", "a", "x", 0 },
	{ "a = 100\\% \\[sic\\] \\<b\\> \\{c\\} \\| d\n", "a",
	  "100% [sic] <b> {c} | d", 0 },
	{ "a = [x|x|x]-[?p.has_job:\n    y\n  | z]\n", "a", "x-y", 0 },
	{ "a = <m> <m> <m>\nm := [1|2|3|4|5|6|7|8|9]\n", "a", NULL, 0 },
	{ "a =   it was fine  ,  really . yes ( ok )  !\n", "a",
	  "It was fine, really. Yes (ok)!", GRAMMAR_PROSE },
	{ "a = first . second! third? \"fourth\" 3.5 e.com\n", "a",
	  "First. Second! Third? \"Fourth\" 3.5 e.com", GRAMMAR_PROSE },
	{ "a = x, . y ,, z\n", "a", "X. Y, z", GRAMMAR_PROSE },
	{ "a = [ | ] done\n", "a", "Done", GRAMMAR_PROSE },
	/* one object read many times in a render (indexed after the
	 * first reads, templates/varindex.h): the same answers */
	{ "a = <c><c><c><c><c><c><c><c><c><c><c><c><c><c><c><c><c><c>\n"
	  "c = {p.name}[?p.nope: ?|.]{p.rel.1.name}/\n", "a",
	  "Ada.Ben/Ada.Ben/Ada.Ben/Ada.Ben/Ada.Ben/Ada.Ben/Ada.Ben/Ada.Ben/"
	  "Ada.Ben/Ada.Ben/Ada.Ben/Ada.Ben/Ada.Ben/Ada.Ben/Ada.Ben/Ada.Ben/"
	  "Ada.Ben/Ada.Ben/", 0 },
	/* list parts that are not an index of the list */
	{ "a = [?p.rel.2.name: x | past][?p.rel.-1.name: x | neg]"
	  "[?p.rel.one.name: x | word][?p.name.0: x | scalar]\n", "a",
	  "pastnegwordscalar", 0 },
	/* two ":=" rules keep their own draws */
	{ "a = <m><n><m><n>\nm := [1|2|3|4|5|6|7|8|9]\n"
	  "n := [a|b|c|d|e|f|g|h|i]\n", "a", NULL, 0 },
};

START_TEST(render_ok)
{
	struct pf_error err;
	char *got, *w;

	memset(&err, 0, sizeof(err));
	got = expand(ok_cases[_i].text, ok_cases[_i].rule, 7,
		     ok_cases[_i].flags, 4096, &err);
	ck_assert_msg(got != NULL, "case %d: %s", _i, err.msg);
	if (ok_cases[_i].want != NULL) {
		ck_assert_str_eq(got, ok_cases[_i].want);
	} else if (strchr(got, ' ') != NULL) {  /* three copies of a draw */
		ck_assert_int_eq((int)strlen(got), 5);
		w = got;
		ck_assert(w[0] == w[2] && w[2] == w[4]);
	} else {  /* two := rules: a digit and a letter, twice */
		ck_assert_int_eq((int)strlen(got), 4);
		ck_assert(got[0] == got[2] && got[1] == got[3]);
		ck_assert(strchr("123456789", got[0]) != NULL);
		ck_assert(strchr("abcdefghi", got[1]) != NULL);
	}
	free(got);
}
END_TEST

static const struct {
	const char *text, *rule;
	int line, col;
	const char *msg;
} bad_cases[] = {
	{ "a = <nope>\n", "a", 1, 5, "unknown rule 'nope'" },
	{ "a = x\na = y\n", "a", 2, 1, "rule 'a' defined twice" },
	{ "a x\n", "a", 1, 3, "expected '=' or ':='" },
	{ "  a = x\n", "a", 1, 3, "text outside a rule" },
	{ "a = [x|y\nb = z\n", "a", 1, 5, "unclosed '['" },
	{ "a = x ] y\n", "a", 1, 7, "unexpected ']'" },
	{ "a = {p.name\n", "a", 1, 12, "expected '}'" },
	{ "a = {}\n", "a", 1, 6, "expected a variable name" },
	{ "a = <b:loud>\nb = x\n", "a", 1, 7, "unknown modifier 'loud'" },
	{ "a = [?p.age: x | y | z]\n", "a", 1, 20, "one else part" },
	{ "a = [?p.age x]\n", "a", 1, 14, "expected ':'" },
	{ "a = [?p.age=: x]\n", "a", 1, 7, "a comparison needs a value" },
	{ "a = [?p.age =< 3: x]\n", "a", 1, 7, "unknown comparison '=<'" },
	{ "a = {p..x}\n", "a", 1, 5, "bad variable name" },
	{ "%include other\n", "a", 1, 1, "%include needs a file" },
	{ "%bogus\n", "a", 1, 1, "unknown directive" },
	{ "a = x \\\n", "a", 1, 8, "escapes the next character" },
	/* render-time errors point at the element at fault */
	{ "a = x\n  {p.none}\n", "a", 2, 3, "variable 'p.none' has no value" },
	{ "a = {p.nope}\n", "a", 1, 5, "variable 'p.nope' has no value" },
	{ "a = {p}\n", "a", 1, 5, "is an object" },
	{ "a = {p.rel}\n", "a", 1, 5, "holds a non-scalar" },
	{ "a = {@p.nil}\n", "a", 1, 5, "list 'p.nil' is empty" },
	{ "a = x <a>\n", "a", 1, 7, "nest deeper than allowed at 'a'" },
	{ "a = <b><b><b><b><b><b><b><b><b><b>\n"
	  "b = <c><c><c><c><c><c><c><c><c><c>\n"
	  "c = <d><d><d><d><d><d><d><d><d><d>\n"
	  "d = <e><e><e><e><e><e><e><e><e><e>\n"
	  "e = <f><f><f><f><f><f><f><f><f><f>\n"
	  "f = <g><g><g><g><g><g><g><g><g><g>\n"
	  "g = \n", "a", 0, 0, "step limit" },
	{ "a = x\n", "zz", 0, 0, "no grammar rule 'zz'" },
};

START_TEST(render_bad)
{
	struct pf_error err;
	char *got;

	memset(&err, 0, sizeof(err));
	got = expand(bad_cases[_i].text, bad_cases[_i].rule, 1, 0, 4096,
		     &err);
	ck_assert_msg(got == NULL, "case %d rendered '%s'", _i, got);
	ck_assert_msg(strstr(err.msg, bad_cases[_i].msg) != NULL,
		      "case %d: '%s' lacks '%s'", _i, err.msg,
		      bad_cases[_i].msg);
	if (bad_cases[_i].line > 0) {
		ck_assert_str_eq(err.file, "t.grammar");
		ck_assert_int_eq(err.line, bad_cases[_i].line);
		ck_assert_int_eq(err.col, bad_cases[_i].col);
	}
}
END_TEST

static const char *const choice_text =
	"s = <w> <w> <w> <w>\n"
	"w = alpha | beta | gamma | [delta|epsilon] | {@p.langs}\n";

/* The same seed always gives the same text; different seeds reach every
 * alternative, nested ones and list picks included. */
START_TEST(seeded_choice)
{
	static const char *const words[] = { "alpha", "beta", "gamma",
		"delta", "epsilon", "English", "Spanish", "Tagalog" };
	struct pf_error err;
	char *a, *b, *all = calloc(1, 1);
	size_t n = 0;
	uint64_t seed;
	int i, differ = 0;

	for (seed = 0; seed < 200; seed++) {
		a = expand(choice_text, "s", seed, 0, 4096, &err);
		b = expand(choice_text, "s", seed, 0, 4096, &err);
		ck_assert_ptr_nonnull(a);
		ck_assert_str_eq(a, b);
		if (seed > 0 && strstr(all, a) == NULL)
			differ++;
		all = realloc(all, n + strlen(a) + 2);
		strcpy(all + n, a);
		n += strlen(a);
		strcpy(all + n++, "\n");
		free(a);
		free(b);
	}
	for (i = 0; i < N(words); i++)
		ck_assert_msg(strstr(all, words[i]) != NULL, "never drew %s",
			      words[i]);
	ck_assert_int_gt(differ, 150);
	free(all);
}
END_TEST

/* Output stops at the buffer's maximum with an error, leaving what the
 * buffer held before. */
START_TEST(output_bound)
{
	struct grammar *g;
	struct pf_error err;
	struct buf out;
	const char *t = "a = <b><b><b><b>\nb = 0123456789012345678901234\n";

	ck_assert_int_eq(grammar_compile(t, strlen(t), "t.grammar", &g, &err),
			 0);
	buf_init(&out, 64);
	ck_assert_int_eq(buf_puts(&out, "kept"), 0);
	ck_assert_int_eq(grammar_render(g, "a", NULL, 1, 0, &out, &err), -1);
	ck_assert(strstr(err.msg, "output too long") != NULL);
	ck_assert_str_eq(out.data, "kept");
	ck_assert_int_eq(grammar_has(g, "b"), 1);
	ck_assert_int_eq(grammar_has(g, "c"), 0);
	buf_free(&out);
	grammar_free(g);
	grammar_free(NULL);
}
END_TEST

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* A chain of includes one longer than allowed stops with an error. */
static void
chain(const char *dir, struct pf_error *err)
{
	char path[128], text[64];
	struct grammar *g;
	int i;

	for (i = 0; i <= GRAMMAR_MAX_INCLUDES + 1; i++) {
		snprintf(path, sizeof(path), "%s/e%d.grammar", dir, i);
		snprintf(text, sizeof(text), "%%include e%d.grammar\nr%d = x\n",
			 i + 1, i);
		write_file(path, text);
	}
	snprintf(path, sizeof(path), "%s/e0.grammar", dir);
	ck_assert_int_eq(grammar_load(path, &g, err), -1);
	ck_assert(strstr(err->msg, "includes nest deeper") != NULL);
	for (i = 0; i <= GRAMMAR_MAX_INCLUDES + 1; i++) {
		snprintf(path, sizeof(path), "%s/e%d.grammar", dir, i);
		unlink(path);
	}
}

/* %include resolves next to the including file; errors name the
 * included file; a file that includes itself stops at the limit. */
START_TEST(includes)
{
	char dir[] = "/tmp/grammar-test-XXXXXX", a[128], b[128], c[128];
	struct grammar *g;
	struct pf_error err;
	struct buf out;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(a, sizeof(a), "%s/a.grammar", dir);
	snprintf(b, sizeof(b), "%s/b.grammar", dir);
	snprintf(c, sizeof(c), "%s/c.grammar", dir);
	write_file(a, "%include b.grammar\ntop = <shared>!\n");
	write_file(b, "shared = from b\n");
	write_file(c, "%include c.grammar\nself = once\n");
	ck_assert_int_eq(grammar_load(a, &g, &err), 0);
	buf_init(&out, 256);
	ck_assert_int_eq(grammar_render(g, "top", NULL, 3, GRAMMAR_PROSE,
					&out, &err), 0);
	ck_assert_str_eq(out.data, "From b!");
	buf_free(&out);
	grammar_free(g);
	write_file(b, "shared = <missing>\n");
	ck_assert_int_eq(grammar_load(a, &g, &err), -1);
	ck_assert_str_eq(err.file, b);
	ck_assert_int_eq(err.col, 10);
	ck_assert_int_eq(grammar_load(c, &g, &err), 0);  /* itself: skipped */
	grammar_free(g);
	chain(dir, &err);
	memset(&err, 0, sizeof(err));
	snprintf(b, sizeof(b), "%s/none.grammar", dir);
	ck_assert_int_eq(grammar_load(b, &g, &err), -1);
	ck_assert(strstr(err.msg, "cannot read grammar") != NULL);
	ck_assert_str_eq(err.file, b);
	unlink(a);
	unlink(c);
	snprintf(b, sizeof(b), "%s/b.grammar", dir);
	unlink(b);
	rmdir(dir);
}
END_TEST

/* Variables in an object of many keys (lookups walk the keys): the
 * first, a middle and the last key, keys that share all but their last
 * byte, a key of 120 bytes, and the bad paths: a missing key, a name
 * past NAME_MAX_LEN (a compile error at the name). */
static const struct {
	const char *key;    /* NULL: the long key */
	int len;            /* the long key's length */
	const char *want;   /* NULL: an error */
	const char *msg;    /* the error */
} key_cases[] = {
	{ "k0", 0, "v0", NULL },
	{ "k150", 0, "v150", NULL },
	{ "k299", 0, "v299", NULL },
	{ "k29", 0, "v29", NULL },
	{ "k2999", 0, NULL, "variable 'o.k2999' has no value" },
	{ "K0", 0, NULL, "has no value" },
	{ NULL, 120, "long", NULL },
	{ NULL, 119, NULL, "has no value" },
	{ NULL, 200, NULL, "expected '}'" },
};

START_TEST(many_keys)
{
	cJSON *v = cJSON_CreateObject(), *o = cJSON_AddObjectToObject(v, "o");
	char key[256], val[32], text[512];
	struct grammar *g = NULL;
	struct pf_error err;
	struct buf out;
	int i, rc;

	ck_assert_ptr_nonnull(o);
	for (i = 0; i < 300; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		snprintf(val, sizeof(val), "v%d", i);
		ck_assert_ptr_nonnull(cJSON_AddStringToObject(o, key, val));
	}
	memset(key, 'x', 120);
	key[120] = '\0';
	ck_assert_ptr_nonnull(cJSON_AddStringToObject(o, key, "long"));
	if (key_cases[_i].key != NULL) {
		snprintf(key, sizeof(key), "%s", key_cases[_i].key);
	} else {
		memset(key, 'x', (size_t)key_cases[_i].len);
		key[key_cases[_i].len] = '\0';
	}
	snprintf(text, sizeof(text), "a = {o.%s}\n", key);
	memset(&err, 0, sizeof(err));
	buf_init(&out, 4096);
	rc = grammar_compile(text, strlen(text), "t.grammar", &g, &err);
	if (rc == 0)
		rc = grammar_render(g, "a", v, 1, 0, &out, &err);
	if (key_cases[_i].want != NULL) {
		ck_assert_msg(rc == 0, "%s", err.msg);
		ck_assert_str_eq(out.data, key_cases[_i].want);
	} else {
		ck_assert_int_eq(rc, -1);
		ck_assert_msg(strstr(err.msg, key_cases[_i].msg) != NULL,
			      "got '%s'", err.msg);
	}
	buf_free(&out);
	grammar_free(g);
	cJSON_Delete(v);
}
END_TEST

/* One render reading n distinct variables, each twice, then a missing
 * one and a list element: the memo of a render's variables starts in
 * the render, moves to the heap, and stops keeping values past its
 * bound (VARS_MAX_SLOTS / 2 in grammar.c), with the same text. */
static const int var_counts[] = { 1, 40, 200, 3000 };

START_TEST(many_vars)
{
	int n = var_counts[_i], i;
	cJSON *v = cJSON_CreateObject(), *o = cJSON_AddObjectToObject(v, "o");
	cJSON *l = cJSON_AddArrayToObject(v, "l");
	struct buf text, want, out;
	struct grammar *g = NULL;
	struct pf_error err;
	char key[32];

	ck_assert_ptr_nonnull(o);
	ck_assert_ptr_nonnull(l);
	ck_assert(cJSON_AddItemToArray(l, cJSON_CreateString("first")));
	buf_init(&text, 1 << 20);
	buf_init(&want, 1 << 20);
	buf_init(&out, 1 << 20);
	ck_assert_int_eq(buf_puts(&text, "a = <b><b>[?o.nope.x: bad | "
				  "none]{l.0}\nb = "), 0);
	for (i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		ck_assert_ptr_nonnull(cJSON_AddNumberToObject(o, key, i));
		ck_assert_int_eq(buf_printf(&text, "{o.k%d},", i), 0);
		ck_assert_int_eq(buf_printf(&want, "%d,", i), 0);
	}
	ck_assert_int_eq(buf_puts(&text, "\n"), 0);
	ck_assert_int_eq(buf_append(&out, want.data, want.len), 0);
	ck_assert_int_eq(buf_append(&want, out.data, out.len), 0);
	ck_assert_int_eq(buf_puts(&want, "nonefirst"), 0);
	buf_reset(&out);
	memset(&err, 0, sizeof(err));
	ck_assert_msg(grammar_compile(text.data, text.len, "t.grammar", &g,
				      &err) == 0, "%s", err.msg);
	ck_assert_msg(grammar_render(g, "a", v, 1, 0, &out, &err) == 0,
		      "%s", err.msg);
	ck_assert_str_eq(out.data, want.data);
	buf_free(&text);
	buf_free(&want);
	buf_free(&out);
	grammar_free(g);
	cJSON_Delete(v);
}
END_TEST

/* Every ok case again with a key index of "p" and of the variables
 * themselves, made at once and in two steps (grammar_keys_add): the
 * same text as without one. */
START_TEST(keyed_same)
{
	cJSON *v = cJSON_Parse(vars_json);
	const cJSON *objs[2];
	struct grammar_keys *k = NULL, *k2 = NULL;
	struct grammar *g = NULL;
	struct buf plain, keyed, keyed2;
	struct pf_error err;
	const char *text = ok_cases[_i].text;

	ck_assert_ptr_nonnull(v);
	objs[0] = cJSON_GetObjectItemCaseSensitive(v, "p");
	objs[1] = v;
	ck_assert_int_eq(grammar_keys_new(objs, 2, &k), 0);
	ck_assert_int_eq(grammar_keys_new(objs, 1, &k2), 0);
	ck_assert_int_eq(grammar_keys_add(k2, objs[1]), 0);
	memset(&err, 0, sizeof(err));
	ck_assert_msg(grammar_compile(text, strlen(text), "t.grammar", &g,
				      &err) == 0, "%s", err.msg);
	buf_init(&plain, 4096);
	buf_init(&keyed, 4096);
	buf_init(&keyed2, 4096);
	ck_assert_int_eq(grammar_render(g, ok_cases[_i].rule, v, 7,
					ok_cases[_i].flags, &plain, &err), 0);
	ck_assert_int_eq(grammar_render_keys(g, k, ok_cases[_i].rule, v, 7,
					     ok_cases[_i].flags, &keyed,
					     &err), 0);
	ck_assert_str_eq(keyed.data, plain.data);
	ck_assert_int_eq(grammar_render_keys(g, k2, ok_cases[_i].rule, v, 7,
					     ok_cases[_i].flags, &keyed2,
					     &err), 0);
	ck_assert_str_eq(keyed2.data, plain.data);
	buf_free(&plain);
	buf_free(&keyed);
	buf_free(&keyed2);
	grammar_free(g);
	grammar_keys_free(k);
	grammar_keys_free(k2);
	cJSON_Delete(v);
}
END_TEST

/* A key index made before its object grew: "o" has keys k0 .. k39 and
 * "r" is a reference to it; after the index is made, "late" and a
 * second "k3" are added. A render with the index must read what a walk
 * reads: the new key, and the first "k3". */
static const struct {
	const char *text, *before, *after;
} grow_cases[] = {
	{ "a = [?o.late: {o.late} | none]\n", "none", "new" },
	{ "a = [?r.late: {r.late} | none]\n", "none", "new" },
	{ "a = {o.k3} {r.k39}\n", "3 39", "3 39" },
	{ "a = [?o.k40: x | {o.k0}]\n", "0", "0" },
};

START_TEST(keyed_grown)
{
	cJSON *v = cJSON_CreateObject(), *o = cJSON_AddObjectToObject(v, "o");
	const char *text = grow_cases[_i].text;
	const cJSON *objs[1] = { o };
	struct grammar_keys *k = NULL;
	struct grammar *g = NULL;
	struct buf out;
	struct pf_error err;
	char key[16];
	int i;

	for (i = 0; i < 40; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		ck_assert_ptr_nonnull(cJSON_AddNumberToObject(o, key, i));
	}
	ck_assert(cJSON_AddItemReferenceToObject(v, "r", o));
	ck_assert_int_eq(grammar_keys_new(objs, 1, &k), 0);
	memset(&err, 0, sizeof(err));
	ck_assert_msg(grammar_compile(text, strlen(text), "t.grammar", &g,
				      &err) == 0, "%s", err.msg);
	buf_init(&out, 4096);
	ck_assert_int_eq(grammar_render_keys(g, k, "a", v, 1, 0, &out, &err),
			 0);
	ck_assert_str_eq(out.data, grow_cases[_i].before);
	ck_assert_ptr_nonnull(cJSON_AddStringToObject(o, "late", "new"));
	ck_assert_ptr_nonnull(cJSON_AddStringToObject(o, "k3", "dup"));
	buf_reset(&out);
	ck_assert_int_eq(grammar_render_keys(g, k, "a", v, 1, 0, &out, &err),
			 0);
	ck_assert_str_eq(out.data, grow_cases[_i].after);
	buf_free(&out);
	grammar_free(g);
	grammar_keys_free(k);
	cJSON_Delete(v);
}
END_TEST

/* More objects than an index holds, an empty one and a non-object:
 * those past GRAMMAR_KEYS_OBJS are walked, each reads its own value. */
START_TEST(keyed_many_objects)
{
	enum { NOBJ = GRAMMAR_KEYS_OBJS + 3 };
	cJSON *v = cJSON_CreateObject(), *o;
	const cJSON *objs[NOBJ + 2];
	struct grammar_keys *k = NULL;
	struct grammar *g = NULL;
	struct buf text, want, out;
	struct pf_error err;
	char key[16];
	int i, j;

	buf_init(&text, 1 << 16);
	buf_init(&want, 1 << 16);
	buf_init(&out, 1 << 16);
	ck_assert_int_eq(buf_puts(&text, "a ="), 0);
	for (i = 0; i < NOBJ; i++) {
		snprintf(key, sizeof(key), "o%d", i);
		objs[i] = o = cJSON_AddObjectToObject(v, key);
		for (j = 0; j < 20; j++) {
			snprintf(key, sizeof(key), "k%d", j);
			ck_assert_ptr_nonnull(cJSON_AddNumberToObject(
				o, key, 100 * i + j));
		}
		ck_assert_int_eq(buf_printf(&text, " {o%d.k%d}", i, i), 0);
		ck_assert_int_eq(buf_printf(&want, "%s%d", i ? " " : "",
					    101 * i), 0);
	}
	objs[NOBJ] = cJSON_AddObjectToObject(v, "empty");
	objs[NOBJ + 1] = cJSON_GetObjectItemCaseSensitive(objs[0], "k0");
	ck_assert_int_eq(buf_puts(&text, "\n"), 0);
	ck_assert_int_eq(grammar_keys_new(objs, NOBJ + 2, &k), 0);
	memset(&err, 0, sizeof(err));
	ck_assert_msg(grammar_compile(text.data, text.len, "t.grammar", &g,
				      &err) == 0, "%s", err.msg);
	ck_assert_int_eq(grammar_render_keys(g, k, "a", v, 1, 0, &out, &err),
			 0);
	ck_assert_str_eq(out.data, want.data);
	buf_free(&text);
	buf_free(&want);
	buf_free(&out);
	grammar_free(g);
	grammar_keys_free(k);
	cJSON_Delete(v);
}
END_TEST

/* buf_reserve() (the room gen_text_words() gives a render): appends up
 * to the room reserved keep the block, a reserve past the maximum
 * fails and changes nothing. */
START_TEST(reserved_room)
{
	struct buf b;
	char *data;
	int i;

	buf_init(&b, 100);
	ck_assert_int_eq(buf_reserve(&b, 80), 0);
	ck_assert_str_eq(b.data, "");
	data = b.data;
	for (i = 0; i < 80; i++)
		ck_assert_int_eq(buf_putc(&b, 'x'), 0);
	ck_assert_ptr_eq(b.data, data);
	ck_assert_int_eq(buf_reserve(&b, 21), -1);
	ck_assert_int_eq((int)b.len, 80);
	ck_assert_int_eq(buf_reserve(&b, 20), 0);
	ck_assert_int_eq((int)strlen(b.data), 80);
	buf_free(&b);
}
END_TEST

/* gen_text_cut(): a text whose max-th word is followed by more is cut
 * at the last sentence end before that word's space, or when none, at
 * the space before that word (the budget counts the word cut off). */
static const struct {
	const char *text;
	int max;
	const char *want;
} cut_cases[] = {
	{ "One two three. Four five six.", 4, "One two three." },
	{ "A b! C d? E f g", 5, "A b! C d?" },
	{ "one two three four five", 3, "one two" },
	{ "one two three", 3, "one two three" },
	{ "one two three", 0, "one two three" },
	{ "one. two", 9, "one. two" },
	{ "  one  two.  three four", 3, "  one  two." },
	{ "one two ", 2, "one" },
	{ "one two  ", 3, "one two  " },
	{ "", 2, "" },
};

START_TEST(cut_words)
{
	struct buf b;

	buf_init(&b, 4096);
	ck_assert_int_eq(buf_puts(&b, cut_cases[_i].text), 0);
	gen_text_cut(&b, cut_cases[_i].max);
	ck_assert_str_eq(b.data, cut_cases[_i].want);
	ck_assert_int_eq((int)b.len, (int)strlen(cut_cases[_i].want));
	buf_free(&b);
}
END_TEST

/* Every shipped rule file compiles. */
START_TEST(shipped_files)
{
	static const char *const files[] = {
		"templates/offline/voice.grammar",
		"templates/offline/life.grammar",
		"templates/offline/story.grammar",
		"templates/offline/lexicon.grammar",
		"templates/offline/interview.grammar",
		"templates/offline/narrative.grammar",
	};
	struct grammar *g;
	struct pf_error err;
	int i;

	for (i = 0; i < N(files); i++) {
		memset(&err, 0, sizeof(err));
		ck_assert_msg(grammar_load(check_tap_srcpath(files[i]), &g,
					   &err) == 0, "%s:%d:%d: %s",
			      err.file, err.line, err.col, err.msg);
		grammar_free(g);
	}
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("grammar");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, render_ok, 0, N(ok_cases));
	tcase_add_loop_test(tc, render_bad, 0, N(bad_cases));
	tcase_add_test(tc, seeded_choice);
	tcase_add_test(tc, output_bound);
	tcase_add_test(tc, includes);
	tcase_add_loop_test(tc, many_keys, 0, N(key_cases));
	tcase_add_loop_test(tc, many_vars, 0, N(var_counts));
	tcase_add_test(tc, shipped_files);
	tcase_add_loop_test(tc, keyed_same, 0, N(ok_cases));
	tcase_add_loop_test(tc, keyed_grown, 0, N(grow_cases));
	tcase_add_test(tc, keyed_many_objects);
	tcase_add_test(tc, reserved_room);
	tcase_add_loop_test(tc, cut_words, 0, N(cut_cases));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_tap_run(suite());
}
