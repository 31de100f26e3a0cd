/* test_schema_suite.c - base/schema.c against the official JSON Schema
 * Test Suite (draft 2020-12), read from
 * $SHARED_DIR/conformance/json-schema-test-suite/ (SKIP without it).
 *
 * For every schema of every file: if schema_compile() refuses it, its
 * cases count as refused (a keyword outside our subset, never silently
 * ignored); otherwise every case must agree with its "valid". One TAP
 * line per file says passed, refused and failed; a file fails when any
 * case disagrees, and each disagreement is printed as a diagnostic.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/json.h"
#include "base/schema.h"
#include "tests/unit/check_tap.h"

#define SUITE_MAX_BYTES ((size_t)16 << 20)

struct tally {
	int passed, refused, failed;
};

/* Run one group {description, schema, tests}. */
static void
run_group(const char *file, const cJSON *g, struct tally *t)
{
	const cJSON *tests = json_get(g, "tests"), *c;
	const char *gd = cJSON_GetStringValue(json_get(g, "description"));
	struct schema *s = NULL;
	struct pf_error err;
	int ok;

	memset(&err, 0, sizeof(err));
	if (schema_compile(json_get(g, "schema"), &s, &err) != 0) {
		t->refused += cJSON_GetArraySize(tests);
		printf("# %s: refused \"%s\": %s: %s\n", file, gd, err.where,
		       err.msg);
		return;
	}
	cJSON_ArrayForEach(c, tests) {
		ok = schema_validate(s, json_get(c, "data"), NULL) == 0;
		if (ok == cJSON_IsTrue(json_get(c, "valid"))) {
			t->passed++;
			continue;
		}
		t->failed++;
		printf("# %s: FAILED \"%s\" / \"%s\": we say %s\n", file, gd,
		       cJSON_GetStringValue(json_get(c, "description")),
		       ok ? "valid" : "invalid");
	}
	schema_free(s);
}

static int
by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int
is_json(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 5 && strcmp(d->d_name + n - 5, ".json") == 0;
}

/* Run one file; returns 1 when it passes. */
static int
run_file(const char *dir, const char *name, struct tally *all)
{
	char path[8192];
	struct json_error je;
	struct tally t = { 0, 0, 0 };
	cJSON *root = NULL;
	const cJSON *g;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (json_parse_file(path, SUITE_MAX_BYTES, &root, &je) != 0) {
		printf("# %s:%d:%d: %s\n", path, je.line, je.col, je.msg);
		return 0;
	}
	cJSON_ArrayForEach(g, root)
		run_group(name, g, &t);
	cJSON_Delete(root);
	all->passed += t.passed;
	all->refused += t.refused;
	all->failed += t.failed;
	printf("%s - %s: passed %d, refused %d, failed %d\n",
	       t.failed == 0 ? "ok" : "not ok", name, t.passed, t.refused,
	       t.failed);
	return t.failed == 0;
}

int
main(void)
{
	const char *shared = check_tap_shared_dir();
	struct dirent **list;
	struct tally all = { 0, 0, 0 };
	char dir[4096];
	int i, n, bad = 0;

	if (shared == NULL) {
		printf("1..0 # SKIP SHARED_DIR not set\n");
		return 0;
	}
	snprintf(dir, sizeof(dir), "%s/conformance/json-schema-test-suite",
		 shared);
	n = scandir(dir, &list, is_json, by_name);
	if (n <= 0) {
		printf("1..0 # SKIP no test files in %s\n", dir);
		return 0;
	}
	printf("1..%d\n", n);
	for (i = 0; i < n; i++) {
		bad += !run_file(dir, list[i]->d_name, &all);
		free(list[i]);
	}
	free(list);
	printf("# total: passed %d, refused %d, failed %d\n", all.passed,
	       all.refused, all.failed);
	return bad == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
