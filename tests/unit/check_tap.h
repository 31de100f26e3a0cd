/* check_tap.h - run a Check suite and print TAP for tap-driver.sh.
 *
 * Every unit test program ends with `return check_tap_run(suite());`.
 * Tests that need ../shared call check_tap_shared_dir(): it returns the
 * directory from $SHARED_DIR, or NULL (the test then skips itself, which
 * TAP reports as SKIP, never PASS).
 */
#ifndef PF_CHECK_TAP_H
#define PF_CHECK_TAP_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline int
check_tap_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_set_tap(sr, "-");
	srunner_run_all(sr, CK_SILENT);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

static inline const char *
check_tap_shared_dir(void)
{
	const char *d = getenv("SHARED_DIR");

	return d != NULL && *d != '\0' ? d : NULL;
}

/* Path of a file in the source tree (for fixtures); static buffer. */
static inline const char *
check_tap_srcpath(const char *rel)
{
	static char path[4096];
	const char *top = getenv("top_srcdir");

	snprintf(path, sizeof(path), "%s/%s", top ? top : ".", rel);
	return path;
}

#endif
