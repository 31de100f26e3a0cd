/* test_canary.c - canary files and the canary auditor: loading (and its
 * errors with line numbers), finding canaries of several lengths at any
 * offset, own private documents against leaks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auditors/canary.h"
#include "tests/unit/check_tap.h"

static void
temp_file(const char *text, char *out, size_t cap)
{
	FILE *f;
	int fd;

	snprintf(out, cap, "%s/pf-canary.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	fd = mkstemp(out);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
}

static const struct {
	const char *text;
	int line;                 /* 0: loads */
	const char *msg;
} load_cases[] = {
	{ "{\"persona_id\": 1, \"canary\": \"CANARY-0001\"}\n\n"
	  "{\"persona_id\": \"p000002\", \"canary\": \"CANARY-0002\"}\n", 0,
	  NULL },
	{ "{\"persona_id\": 1, \"canary\": \"CANARY-0001\"}\nnope\n", 2,
	  "not JSON" },
	{ "{\"persona_id\": \"x1\", \"canary\": \"CANARY-0001\"}\n", 1,
	  "expected {\"persona_id\"" },
	{ "{\"persona_id\": 1, \"canary\": \"short\"}\n", 1,
	  "\"canary\" must be a string of 8 to 256 bytes" },
	{ "{\"persona_id\":1,\"canary\":\"aaaaaaaa\"}\n"
	  "{\"persona_id\":1,\"canary\":\"aaaaaaaaa\"}\n"
	  "{\"persona_id\":1,\"canary\":\"aaaaaaaaaa\"}\n"
	  "{\"persona_id\":1,\"canary\":\"aaaaaaaaaaa\"}\n"
	  "{\"persona_id\":1,\"canary\":\"aaaaaaaaaaaa\"}\n"
	  "{\"persona_id\":1,\"canary\":\"aaaaaaaaaaaaa\"}\n"
	  "{\"persona_id\":1,\"canary\":\"aaaaaaaaaaaaaa\"}\n"
	  "{\"persona_id\":1,\"canary\":\"aaaaaaaaaaaaaaa\"}\n"
	  "{\"persona_id\":1,\"canary\":\"aaaaaaaaaaaaaaaa\"}\n", 9,
	  "canaries of more than 8 different lengths" },
};

START_TEST(load)
{
	struct canary_set *c = NULL;
	struct pf_error err;
	char path[256];
	int rc;

	pf_error_clear(&err);
	temp_file(load_cases[_i].text, path, sizeof(path));
	rc = canary_set_load(path, &c, &err);
	unlink(path);
	if (load_cases[_i].line == 0) {
		ck_assert_int_eq(rc, 0);
		ck_assert_uint_eq(canary_set_size(c), 2);
	} else {
		ck_assert_int_eq(rc, -1);
		ck_assert_ptr_null(c);
		ck_assert_int_eq(err.line, load_cases[_i].line);
		ck_assert_msg(strstr(err.msg, load_cases[_i].msg) != NULL,
			      "%s", err.msg);
	}
	canary_set_free(c);
}
END_TEST

struct seen {
	int n;
	char what[8][64];
};

static void
on_hit(void *ud, const struct audit_hit *h)
{
	struct seen *s = ud;

	ck_assert_int_lt(s->n, 8);
	snprintf(s->what[s->n++], sizeof(s->what[0]), "%s %s %zu+%zu %s",
		 h->kind, audit_severity_name(h->severity), h->offset, h->len,
		 h->masked);
}

START_TEST(find_and_judge)
{
	static const char text[] = "xCANARY-0001 and long-canary-of-two!"
				   "CANARY-0001";
	const char *names[] = { "content" }, *texts[] = { text };
	struct audit_row own = { "document", "p000001-d1", 1, 1, names,
				 texts, NULL, NULL };
	struct audit_row other = { "qa", "p000001-q1", 1, 1, names, texts,
				   NULL, NULL };
	struct canary_set *c;
	struct pf_error err;
	struct seen s = { 0 };
	char path[256];

	temp_file("{\"persona_id\": 1, \"canary\": \"CANARY-0001\"}\n"
		  "{\"persona_id\": 2, \"canary\": \"long-canary-of-two\"}\n",
		  path, sizeof(path));
	ck_assert_int_eq(canary_set_load(path, &c, &err), 0);
	unlink(path);
	ck_assert_int_eq(auditor_canary.scan_row(c, &own, on_hit, &s), 0);
	ck_assert_int_eq(s.n, 3);
	ck_assert_str_eq(s.what[0], "canary info 1+11 canary of p000001");
	ck_assert_str_eq(s.what[1], "canary info 36+11 canary of p000001");
	ck_assert_str_eq(s.what[2], "canary_leak high 17+18 canary of "
			 "p000002");
	s.n = 0;
	ck_assert_int_eq(auditor_canary.scan_row(c, &other, on_hit, &s), 0);
	ck_assert_int_eq(s.n, 3);
	ck_assert_str_eq(s.what[0], "canary_leak high 1+11 canary of p000001");
	s.n = 0;
	ck_assert_int_eq(auditor_canary.scan_row(NULL, &other, on_hit, &s), 0);
	ck_assert_int_eq(s.n, 0);
	canary_set_free(c);
	ck_assert_int_eq(canary_persona_id("p000042", 7), 42);
	ck_assert_int_eq(canary_persona_id("42", 2), 42);
	ck_assert_int_eq(canary_persona_id("p", 1), -1);
	ck_assert_int_eq(canary_persona_id("4x", 2), -1);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("canary");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, load, 0, (int)(sizeof(load_cases) /
					       sizeof(load_cases[0])));
	tcase_add_test(tc, find_and_judge);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_tap_run(suite());
}
