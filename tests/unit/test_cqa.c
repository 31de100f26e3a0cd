/* test_cqa.c - question histories and the SE-PQA features (cqahist.h):
 * no later question leaks into the top-5 tags, the tag-overlap formula,
 * ordered timestamps, answerers other than the asker; and the asker's
 * words turned to the second person (cqaword.h). */
#include <string.h>

#include "generators/cqahist.h"
#include "generators/cqaword.h"
#include "check_tap.h"

static void
space_all(struct cqa_space *sp, int nasked, int nanswered)
{
	size_t i;

	memset(sp, 0, sizeof(*sp));
	for (i = 0; i < ncommunities && i < CQA_COMM_MAX; i++)
		sp->comm[sp->ncomm++] = &communities[i];
	sp->nasked = nasked;
	sp->nanswered = nanswered;
}

static int
has_tag(const struct cqa_post *p, const char *t)
{
	int k;

	for (k = 0; k < p->ntags; k++)
		if (strcmp(p->tags[k], t) == 0)
			return 1;
	return 0;
}

/* Every top tag of question j is on some question before j, and
 * rewriting every question from j on changes nothing. */
START_TEST(top_tags_never_leak)
{
	struct cqa_space sp;
	struct cqa_history h, alt;
	const char *top[CQA_TOP], *top2[CQA_TOP];
	int64_t p;
	int j, i, k, n, n2, seen;

	space_all(&sp, 12, 8);
	for (p = 0; p < 300; p++) {
		cqa_history_make(99, p, &sp, &h);
		for (j = 0; j < h.nasked; j++) {
			n = cqa_top_tags(&h, j, top);
			ck_assert_int_le(n, CQA_TOP);
			ck_assert_int_eq(n == 0, j == 0);
			for (i = 0; i < n; i++) {
				for (seen = 0, k = 0; k < j; k++)
					seen |= has_tag(&h.asked[k], top[i]);
				ck_assert_msg(seen, "p%ld q%d: tag %s is from "
					      "no earlier question", (long)p,
					      j, top[i]);
			}
			alt = h;
			for (k = j; k < alt.nasked; k++) {
				alt.asked[k].ntags = 1;
				alt.asked[k].tags[0] = "leak-probe";
			}
			n2 = cqa_top_tags(&alt, j, top2);
			ck_assert_int_eq(n, n2);
			for (i = 0; i < n; i++)
				ck_assert_str_eq(top[i], top2[i]);
		}
	}
}
END_TEST

START_TEST(top_tags_by_count)
{
	static const struct community c = { "x", "x",
		{ "a", "b", "c", "d", "e", "f" } };
	static const struct {
		const char *tags[3];
		int n;
	} posts[] = {
		{ { "a" }, 1 }, { { "b", "c" }, 2 }, { { "c" }, 1 },
		{ { "d", "e", "f" }, 3 }, { { "c", "b" }, 2 },
	};
	struct cqa_history h;
	const char *top[CQA_TOP];
	size_t i;
	int n;

	memset(&h, 0, sizeof(h));
	for (i = 0; i < sizeof(posts) / sizeof(posts[0]); i++) {
		h.asked[i].comm = &c;
		memcpy(h.asked[i].tags, posts[i].tags, sizeof(posts[i].tags));
		h.asked[i].ntags = posts[i].n;
		h.asked[i].ts = (int64_t)i + 1;
	}
	h.nasked = 5;
	/* c (3), b (2), then a, d, e by first use; f left out. */
	n = cqa_top_tags(&h, 5, top);
	ck_assert_int_eq(n, 5);
	ck_assert_str_eq(top[0], "c");
	ck_assert_str_eq(top[1], "b");
	ck_assert_str_eq(top[2], "a");
	ck_assert_str_eq(top[3], "d");
	ck_assert_str_eq(top[4], "e");
	/* Before question 2: a, b, c once each. */
	n = cqa_top_tags(&h, 2, top);
	ck_assert_int_eq(n, 3);
	ck_assert_str_eq(top[0], "a");
}
END_TEST

/* |Tq ∩ Ta| / (|Tq| + 1), Ta only from answers before the question. */
START_TEST(overlap_formula)
{
	static const struct community c = { "x", "x",
		{ "a", "b", "c", "d", "e", "f" } };
	struct cqa_history q, a;

	memset(&q, 0, sizeof(q));
	memset(&a, 0, sizeof(a));
	q.asked[0] = (struct cqa_post){ .comm = &c, .tags = { "a", "b" }, .ntags = 2, .ts = 100 };
	q.asked[1] = (struct cqa_post){ .comm = &c, .tags = { "c" }, .ntags = 1, .ts = 200 };
	q.asked[2] = (struct cqa_post){ .comm = &c, .tags = { "f" }, .ntags = 1, .ts = 300 };
	q.nasked = 3;
	a.answered[0] = (struct cqa_post){ .comm = &c, .tags = { "a", "d" }, .ntags = 2, .ts = 50 };
	a.answered[1] = (struct cqa_post){ .comm = &c, .tags = { "c" }, .ntags = 1, .ts = 150 };
	a.answered[2] = (struct cqa_post){ .comm = &c, .tags = { "b", "f" }, .ntags = 2, .ts = 250 };
	a.nanswered = 3;
	/* j = 1: Tq = {a, b, c}; Ta before 200 = {a, d, c}: 2 / 4. */
	ck_assert_double_eq_tol(cqa_tag_overlap(&q, 1, &a), 0.5, 1e-12);
	/* j = 0: Tq = {a, b}; Ta before 100 = {a, d}: 1 / 3. */
	ck_assert_double_eq_tol(cqa_tag_overlap(&q, 0, &a), 1.0 / 3, 1e-12);
	/* j = 2: Tq = {a, b, c, f}; Ta before 300 = all: 4 / 5. */
	ck_assert_double_eq_tol(cqa_tag_overlap(&q, 2, &a), 0.8, 1e-12);
}
END_TEST

START_TEST(histories_ordered_and_stable)
{
	struct cqa_space sp;
	struct cqa_history h, h2, a;
	int64_t p, who;
	int j;

	space_all(&sp, 10, 12);
	for (p = 0; p < 200; p++) {
		cqa_history_make(5, p, &sp, &h);
		cqa_history_make(5, p, &sp, &h2);
		ck_assert_int_eq(memcmp(&h, &h2, sizeof(h)), 0);
		for (j = 1; j < h.nasked; j++)
			ck_assert(h.asked[j].ts > h.asked[j - 1].ts);
		for (j = 1; j < h.nanswered; j++)
			ck_assert(h.answered[j].ts > h.answered[j - 1].ts);
		for (j = 0; j < h.nasked; j++) {
			ck_assert(cqa_history_active(&h, h.asked[j].comm));
			ck_assert(h.asked[j].ts >= CQA_EPOCH &&
				  h.asked[j].ts < CQA_EPOCH + CQA_SPAN + 64);
			who = cqa_answerer(5, &h, j, 0, 200, &sp, &a);
			ck_assert(who >= 0 && who < 200 && who != p);
		}
	}
	ck_assert_int_eq(cqa_answerer(5, &h, 0, 0, 1, &sp, &a), -1);
}
END_TEST

START_TEST(fifty_sepqa_communities)
{
	ck_assert_uint_eq(ncommunities, 50);
	ck_assert_ptr_nonnull(community_find("academia"));
	ck_assert_ptr_nonnull(community_find("writers"));
	ck_assert_ptr_null(community_find("stackoverflow"));
}
END_TEST

/* The asker's phrases as the answers quote them: whole words only, the
 * two-word forms first, and a short buffer cuts cleanly. */
START_TEST(second_person_table)
{
	static const struct {
		const char *in, *want;
		size_t n;
	} t[] = {
		{ .in = "a ticket I believe was wrong",
		  .want = "a ticket you believe was wrong", .n = 64 },
		{ .in = "a puja with steps I am unsure of",
		  .want = "a puja with steps you are unsure of", .n = 64 },
		{ .in = "talked to my grandparents about our customs",
		  .want = "talked to your grandparents about your customs",
		  .n = 64 },
		{ .in = "coach my kid's team without embarrassing myself",
		  .want = "coach your kid's team without embarrassing "
			  "yourself", .n = 64 },
		{ .in = "a pet that ignores me outside, I'm told",
		  .want = "a pet that ignores you outside, you're told",
		  .n = 64 },
		{ .in = "mine, Imogen, meal, mystery and India",
		  .want = "yours, Imogen, meal, mystery and India", .n = 64 },
		{ .in = "I was", .want = "you were", .n = 64 },
		{ .in = "my dog", .want = "your", .n = 5 },
		{ .in = "", .want = "", .n = 8 },
	};
	char out[64];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		cqa_word_second_person(t[i].in, out, t[i].n);
		ck_assert_str_eq(out, t[i].want);
	}
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("cqa");
	TCase *tc = tcase_create("history");

	tcase_add_test(tc, top_tags_never_leak);
	tcase_add_test(tc, top_tags_by_count);
	tcase_add_test(tc, overlap_formula);
	tcase_add_test(tc, histories_ordered_and_stable);
	tcase_add_test(tc, fifty_sepqa_communities);
	tcase_add_test(tc, second_person_table);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_tap_run(suite());
}
