/* test_jstrict.c - the strict reading of a config text (base/jstrict.h)
 * and the "did you mean" helper (base/suggest.h), table-driven: each case
 * is a text and the path, line, column and message it must get (or none),
 * or a word, a list and the suggestion. */
#include <string.h>

#include "base/jstrict.h"
#include "base/suggest.h"
#include "tests/unit/check_tap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *text;
	size_t len;           /* 0: strlen(text) */
	const char *where;    /* NULL: accepted */
	int line, col;
	const char *msg;
} strict_cases[] = {
	{ "{\"a\": [1, {\"b\": \"x\"}]}", 0, NULL, 0, 0, NULL },
	{ "{\"a\": 1, \"a\": 2}", 0, "$.a", 1, 10, "duplicate key 'a'" },
	{ "{\"a\": {\"b\": 1,\n\"c\": 2, \"b\": 3}}", 0, "$.a.b", 2, 9,
	  "duplicate key 'b'" },
	{ "[{\"k\": 1}, {\"k\": 1}]", 0, NULL, 0, 0, NULL },
	{ "{\"s\": \"a\\u0000b\"}", 0, "$.s", 1, 9,
	  "\\u0000 (NUL) is not allowed in a config string" },
	{ "{\"s\": \"a\\\\u0000b\"}", 0, NULL, 0, 0, NULL },
	{ "{\"s\": \"a\0b\"}", 12, "$.s", 1, 9,
	  "a NUL byte is not allowed in a config file" },
	{ "{\"x\": 1}\0", 9, "$", 1, 9,
	  "a NUL byte is not allowed in a config file" },
	{ "{\"n\": [1e400]}", 0, "$.n[0]", 1, 8,
	  "the number 1e400 is out of range (beyond a double)" },
	{ "{\"n\": -1e400}", 0, "$.n", 1, 7,
	  "the number -1e400 is out of range (beyond a double)" },
	{ "[[[[1]]]]", 0, NULL, 0, 0, NULL },
	{ "[[[[[1]]]]]", 0, "$[0][0][0][0]", 1, 5,
	  "nesting deeper than 4 levels" },
	{ "{\"a\": 1,", 0, NULL, 0, 0, NULL },      /* left to json_parse */
	/* what cJSON would take though it is no JSON (a control character as
	 * white space) is refused: past it, a repeated key went unseen */
	{ "{\"a\": 1,\x0e \"a\": 2}", 0, "$", 1, 9,
	  "not JSON: byte 0x0E is not allowed here" },
	/* ... or before the first value, where it once passed as an empty
	 * literal and left the whole file unchecked */
	{ "\t\x08\t{\"a\": 1, \"a\": 2}", 0, "$", 1, 2,
	  "not JSON: byte 0x08 is not allowed here" },
	{ "", 0, NULL, 0, 0, NULL },
};

START_TEST(strict_check)
{
	struct pf_error e;
	const char *t = strict_cases[_i].text;
	size_t n = strict_cases[_i].len ? strict_cases[_i].len : strlen(t);
	int rc;

	pf_error_clear(&e);
	rc = jstrict_check(t, n, 4, &e);
	if (strict_cases[_i].where == NULL) {
		ck_assert_msg(rc == 0, "case %d: %s", _i, e.msg);
		return;
	}
	ck_assert_int_eq(rc, -1);
	ck_assert_str_eq(e.where, strict_cases[_i].where);
	ck_assert_int_eq(e.line, strict_cases[_i].line);
	ck_assert_int_eq(e.col, strict_cases[_i].col);
	ck_assert_str_eq(e.msg, strict_cases[_i].msg);
}
END_TEST

static const char *const kinds[] = { "conversation", "user_ai", "purchase",
	"email", "note", "calendar", NULL };

static const struct {
	const char *word;
	const char *want;     /* NULL: nothing near enough */
} suggest_cases[] = {
	{ "purchse", "purchase" },
	{ "emial", "email" },        /* transposition */
	{ "user-ai", "user_ai" },
	{ "Note", "note" },
	{ "calender", "calendar" },
	{ "invoice", NULL },
	{ "x", NULL },
	{ "", NULL },
};

START_TEST(suggest_word)
{
	const char *got = suggest_closest(suggest_cases[_i].word, kinds);

	if (suggest_cases[_i].want == NULL)
		ck_assert_ptr_null(got);
	else
		ck_assert_str_eq(got ? got : "(none)", suggest_cases[_i].want);
}
END_TEST

START_TEST(suggest_distances_and_list)
{
	char list[64];

	ck_assert_int_eq(suggest_distance("", "abc"), 3);
	ck_assert_int_eq(suggest_distance("kitten", "sitting"), 3);
	ck_assert_int_eq(suggest_distance("ab", "ba"), 1);
	suggest_list(kinds + 3, list, sizeof(list));
	ck_assert_str_eq(list, "email, note, calendar");
	suggest_list(kinds, list, 12);
	ck_assert_str_eq(list, "conversatio");
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("jstrict");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, strict_check, 0, (int)N(strict_cases));
	tcase_add_loop_test(tc, suggest_word, 0, (int)N(suggest_cases));
	tcase_add_test(tc, suggest_distances_and_list);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_tap_run(suite());
}
