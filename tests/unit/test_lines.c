/* test_lines.c - the bounded line reader: the bound exactly, lines over
 * it (short and across many reads), CRLF, a last line without '\n',
 * lines across buffer refills, and a missing file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/lines.h"
#include "tests/unit/check_tap.h"

/* Write text (n bytes) to a new temporary file; path into out. */
static void
temp_file(const char *text, size_t n, char *out, size_t cap)
{
	int fd;

	snprintf(out, cap, "%s/pf-lines.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	fd = mkstemp(out);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, n), (ssize_t)n);
	close(fd);
}

START_TEST(bound_crlf_and_tail)
{
	static const char text[] = "12345678\n123456789\r\nab\r\n\nlast";
	char path[256];
	struct lines *l;
	struct line ln;
	struct pf_error err;

	temp_file(text, sizeof(text) - 1, path, sizeof(path));
	ck_assert_int_eq(lines_open(path, 8, &l, &err), 0);
	ck_assert_int_eq(lines_next(l, &ln, &err), LINES_LINE);
	ck_assert_str_eq(ln.text, "12345678");
	ck_assert_int_eq(lines_next(l, &ln, &err), LINES_LONG);
	ck_assert_ptr_null(ln.text);
	ck_assert_uint_eq(ln.len, 10);
	ck_assert_int_eq(ln.lineno, 2);
	ck_assert_int_eq(lines_next(l, &ln, &err), LINES_LINE);
	ck_assert_str_eq(ln.text, "ab");
	ck_assert_int_eq(lines_next(l, &ln, &err), LINES_LINE);
	ck_assert_uint_eq(ln.len, 0);
	ck_assert_int_eq(lines_next(l, &ln, &err), LINES_LINE);
	ck_assert_str_eq(ln.text, "last");
	ck_assert_int_eq(ln.lineno, 5);
	ck_assert_int_eq(lines_next(l, &ln, &err), LINES_END);
	lines_close(l);
	unlink(path);
}
END_TEST

/* 3 MiB of numbered lines with a 2.5 MiB line in the middle, bound 1 MiB
 * + 10: every short line comes back whole, the long one is reported with
 * its length, across several reads. */
START_TEST(across_reads)
{
	size_t big = 5u << 19, n = 0, i, k;
	char *text = malloc(big + (4u << 20)), path[256], want[32];
	struct lines *l;
	struct line ln;
	struct pf_error err;
	int r;

	ck_assert_ptr_nonnull(text);
	for (i = 0; i < 100000; i++)
		n += (size_t)sprintf(text + n, "line %zu\n", i);
	memset(text + n, 'x', big);
	n += big;
	text[n++] = '\n';
	for (i = 0; i < 100000; i++)
		n += (size_t)sprintf(text + n, "tail %zu\n", i);
	temp_file(text, n, path, sizeof(path));
	ck_assert_int_eq(lines_open(path, (1u << 20) + 10, &l, &err), 0);
	for (k = 0; (r = lines_next(l, &ln, &err)) != LINES_END; k++) {
		if (k == 100000) {
			ck_assert_int_eq(r, LINES_LONG);
			ck_assert_uint_eq(ln.len, big);
			continue;
		}
		ck_assert_int_eq(r, LINES_LINE);
		snprintf(want, sizeof(want), "%s %zu", k < 100000 ? "line" :
			 "tail", k < 100000 ? k : k - 100001);
		ck_assert_str_eq(ln.text, want);
	}
	ck_assert_uint_eq(k, 200001);
	lines_close(l);
	unlink(path);
	free(text);
}
END_TEST

START_TEST(missing_file)
{
	struct lines *l = (struct lines *)1;
	struct pf_error err;

	pf_error_clear(&err);
	ck_assert_int_eq(lines_open("/nonexistent/x.jsonl", 10, &l, &err), -1);
	ck_assert_ptr_null(l);
	ck_assert_str_eq(err.file, "/nonexistent/x.jsonl");
	ck_assert_ptr_nonnull(strstr(err.msg, "cannot open"));
	lines_close(NULL);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("lines");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, bound_crlf_and_tail);
	tcase_add_test(tc, across_reads);
	tcase_add_test(tc, missing_file);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_tap_run(suite());
}
