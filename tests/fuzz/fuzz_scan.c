/* fuzz_scan.c - libFuzzer target: the `scan` line reader, base/lines.h
 * (bounded lines) and base/jscan.h (fields found and decoded without a
 * tree), as src/cmd-scan.c uses them.
 *
 * The input is a JSONL file, written to a scratch file and read with a
 * small line bound (64 bytes), so long lines are skipped and counted.
 * Line numbers must run 1, 2, 3 ... with long lines included; a line is
 * never longer than the bound. For each line that jscan_valid() accepts,
 * the "text" member found and decoded by jscan must equal what json_parse
 * (cJSON) reads for the same member, when both have one and it holds no
 * \u0000; a disagreement aborts (scan would audit other text than the
 * line says).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#include "base/jscan.h"
#include "base/json.h"
#include "base/lines.h"
#include "tests/fuzz/fuzz.h"

#define BOUND 64

static char path[64];

static void
fail(const char *what, const char *text, size_t len)
{
	fprintf(stderr, "fuzz_scan: %s: %.*s\n", what,
		(int)(len < 200 ? len : 200), text);
	abort();
}

/* jscan's "text" against cJSON's, on a line jscan calls valid. */
static void
same_text(const char *text, size_t len)
{
	static const char *const keys[] = { "text" };
	struct jspan v;
	cJSON *root = NULL;
	const cJSON *t;
	char *s;
	size_t n;

	if (!jscan_valid(text, len) || jscan_object(text, len, keys, 1,
						   &v) != 0 ||
	    v.p == NULL || v.p[0] != '"')
		return;
	if (json_parse(text, len, &root, NULL) != 0)
		fail("jscan_valid accepts what json_parse refuses", text, len);
	t = cJSON_GetObjectItemCaseSensitive(root, "text");
	s = jscan_string(&v, &n);
	if (s != NULL && (!cJSON_IsString(t) ||
			  strlen(t->valuestring) != n ||
			  memcmp(s, t->valuestring, n) != 0))
		fail("jscan and cJSON decode \"text\" differently", text, len);
	free(s);
	cJSON_Delete(root);
}

static void
read_lines(void)
{
	struct lines *l = NULL;
	struct line ln;
	struct pf_error err;
	enum lines_result r;
	long want = 1;

	if (lines_open(path, BOUND, &l, &err) != 0)
		abort();
	while ((r = lines_next(l, &ln, &err)) == LINES_LINE ||
	       r == LINES_LONG) {
		if (ln.lineno != want++)
			fail("line numbers skip", "", 0);
		if (r == LINES_LONG && ln.len <= BOUND)
			fail("a short line reported long", "", 0);
		if (r == LINES_LINE && ln.len > BOUND)
			fail("a long line returned", ln.text, ln.len);
		if (r == LINES_LINE)
			same_text(ln.text, ln.len);
	}
	if (r != LINES_END)
		fail("read error", err.msg, strlen(err.msg));
	lines_close(l);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f;

	if (path[0] == '\0')
		snprintf(path, sizeof(path), "%s/pf-fuzz-scan-%ld.jsonl",
			 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp",
			 (long)getpid());
	f = fopen(path, "wb");
	if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	read_lines();
	unlink(path);
	return 0;
}
