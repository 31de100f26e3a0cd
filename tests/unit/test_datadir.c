/* test_datadir.c - the data root search with its build-time places
 * pointed at folders the test controls: $PERSONAFORGE_DATADIR wins when
 * it is a directory, a bogus one is named, the build tree is found, and
 * when nothing holds the data the error names the variable and every
 * place tried. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The places are relative, so they resolve inside the test's own
 * scratch folder; the binary is not in BINDIR, as in a build tree. */
#undef PKGDATADIR
#undef BINDIR
#undef BUILD_DATADIR
#define PKGDATADIR "installed"
#define BINDIR "/nonexistent/bin"
#define BUILD_DATADIR "source"
#include "base/datadir.c"

#include "tests/unit/check_tap.h"

static char scratch[64];

/* A fresh search in an empty scratch folder. */
static void
setup(void)
{
	snprintf(scratch, sizeof(scratch), "/tmp/pf-datadir-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(scratch));
	ck_assert_int_eq(chdir(scratch), 0);
	memset(&dd, 0, sizeof(dd));
	unsetenv("PERSONAFORGE_DATADIR");
}

static void
teardown(void)
{
	char cmd[128];

	ck_assert_int_eq(chdir("/"), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", scratch);
	ck_assert_int_eq(system(cmd), 0);
}

static void
make_root(const char *dir)
{
	char cmd[512];
	FILE *f;

	snprintf(cmd, sizeof(cmd), "mkdir -p %s/templates/prompts", dir);
	ck_assert_int_eq(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/%s", dir, PF_DATADIR_MARKER);
	f = fopen(cmd, "w");
	ck_assert_ptr_nonnull(f);
	fclose(f);
}

START_TEST(env_directory_is_taken_as_is)
{
	struct pf_error e;

	ck_assert_int_eq(mkdir("mine", 0755), 0);
	make_root("source");
	setenv("PERSONAFORGE_DATADIR", "mine", 1);
	ck_assert_int_eq(pf_datadir_check(&e), 0);
	ck_assert_str_eq(pf_datadir(), "mine");
}
END_TEST

START_TEST(bogus_env_is_named)
{
	struct pf_error e;

	make_root("source");
	setenv("PERSONAFORGE_DATADIR", "no-such-dir", 1);
	pf_error_clear(&e);
	ck_assert_int_eq(pf_datadir_check(&e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg,
				     "$PERSONAFORGE_DATADIR=no-such-dir"));
	ck_assert_str_eq(pf_datadir(), "no-such-dir");
}
END_TEST

START_TEST(build_tree_found)
{
	char *p;

	make_root("installed");
	make_root("source");
	setenv("PERSONAFORGE_DATADIR", "", 1);   /* empty counts as unset */
	ck_assert_int_eq(pf_datadir_check(NULL), 0);
	ck_assert_str_eq(pf_datadir(), "source");
	p = pf_data_path(NULL, "personas/data/age.tsv");
	ck_assert_str_eq(p, "source/personas/data/age.tsv");
	free(p);
}
END_TEST

START_TEST(installed_data_when_no_build_tree)
{
	make_root("installed");
	ck_assert_int_eq(pf_datadir_check(NULL), 0);
	ck_assert_str_eq(pf_datadir(), "installed");
}
END_TEST

START_TEST(nothing_found_names_every_place)
{
	struct pf_error e;

	pf_error_clear(&e);
	ck_assert_int_eq(pf_datadir_check(&e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "PERSONAFORGE_DATADIR"));
	ck_assert_ptr_nonnull(strstr(e.msg, "tried source (build tree"));
	ck_assert_ptr_nonnull(strstr(e.msg, ", installed (installed data"));
	ck_assert_str_eq(pf_datadir(), "source");
}
END_TEST

START_TEST(user_dir_first)
{
	char *p;

	make_root("source");
	make_root("user");
	rename("user/templates/prompts", "user/prompts");
	p = pf_data_path("user", "templates/prompts/system.mustache");
	ck_assert_str_eq(p, "user/prompts/system.mustache");
	free(p);
	p = pf_data_path("user", "templates/prompts/qa.mustache");
	ck_assert_str_eq(p, "source/templates/prompts/qa.mustache");
	free(p);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("datadir");
	TCase *tc = tcase_create("core");

	/* each test searches afresh in its own folder */
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, env_directory_is_taken_as_is);
	tcase_add_test(tc, bogus_env_is_named);
	tcase_add_test(tc, build_tree_found);
	tcase_add_test(tc, installed_data_when_no_build_tree);
	tcase_add_test(tc, nothing_found_names_every_place);
	tcase_add_test(tc, user_dir_first);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_tap_run(suite());
}
