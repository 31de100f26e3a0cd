/* test_vote.c - unit tests for base/vote.c: the plurality of x, y and
 * tie votes, the way the pairwise judges count their samples.
 * Table-driven. */
#include "base/vote.h"
#include "tests/unit/check_tap.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const struct {
	const char *votes;   /* one verdict a character */
	char want;
} cases[] = {
	{ "", 0 },           /* nothing counted */
	{ "x", 'x' },
	{ "y", 'y' },
	{ "t", 't' },
	{ "xxy", 'x' },
	{ "xyy", 'y' },
	{ "xy", 't' },       /* equal counts */
	{ "xxyy", 't' },
	{ "xtt", 't' },      /* ties the most */
	{ "xxt", 'x' },
	{ "xxtt", 't' },     /* x only level with the ties */
	{ "yyxt", 'y' },
	{ "xyt", 't' },
	{ "x?", 't' },       /* anything but x or y counts as a tie */
	{ "xx?", 'x' },
};

START_TEST(plurality)
{
	struct vote v = { .count = { 0 } };
	const char *p;

	for (p = cases[_i].votes; *p != '\0'; p++)
		vote_add(&v, *p);
	ck_assert_msg(vote_plurality(&v) == cases[_i].want,
		      "votes '%s': got %d, want %d", cases[_i].votes,
		      vote_plurality(&v), cases[_i].want);
}
END_TEST

START_TEST(counts)
{
	struct vote v = { .count = { 0 } };

	vote_add(&v, 'x');
	vote_add(&v, 'y');
	vote_add(&v, 'y');
	vote_add(&v, 't');
	vote_add(&v, 0);
	ck_assert_int_eq(v.count[VOTE_X], 1);
	ck_assert_int_eq(v.count[VOTE_Y], 2);
	ck_assert_int_eq(v.count[VOTE_TIE], 2);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("vote");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, plurality, 0, N(cases));
	tcase_add_test(tc, counts);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_tap_run(suite());
}
