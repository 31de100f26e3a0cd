/* fuzz_batch.c - libFuzzer target: the batch-file reader
 * (src/batch-input.h): lines, the scan without a parse tree and the
 * parser.
 *
 * The input is a Batch API input file, read line by line as `batch`
 * reads it, with and without --model. Each line goes through both checks,
 * which must agree: a line the fast scan accepts must parse, with the
 * same custom_id; and where a parsed line can be scanned, the scan must
 * locate the same custom_id and the body. A disagreement aborts (it
 * would send a line pass 1 should have refused, or under another id).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/batch-input.h"
#include "tests/fuzz/fuzz.h"

static void
disagree(const char *what, const char *text, size_t len)
{
	fprintf(stderr, "fuzz_batch: %s on line: %.*s\n", what,
		(int)(len < 400 ? len : 400), text);
	abort();
}

/* Both checks of one line must agree. */
static void
one_line(const struct batch_input *in, const char *text, size_t len)
{
	char cid[BATCH_CID_MAX + 1];
	struct batch_line p;
	struct batch_scan ls;
	int fast = batch_line_check_fast(in, text, len, cid);
	int slow = batch_line_parse(in, text, len, &p);

	if (fast == 0 && slow != 0)
		disagree("the scan accepts what the parser refuses", text, len);
	if (fast == 0 && strcmp(cid, p.cid) != 0)
		disagree("the scan and the parser read other custom_ids", text,
			 len);
	if (slow == 0 && batch_line_scan(text, len, &ls) == 0 &&
	    (ls.cid.n != strlen(p.cid) ||
	     memcmp(ls.cid.p, p.cid, ls.cid.n) != 0 ||
	     ls.body.p == NULL || ls.body.p[0] != '{'))
		disagree("the scan locates another custom_id or body", text,
			 len);
	cJSON_Delete(p.root);
}

static void
read_all(const uint8_t *data, size_t size, const char *model)
{
	struct batch_input in = { .path = "fuzz.jsonl", .model = model };
	char *text;
	size_t len;

	in.f = fmemopen((void *)data, size, "r");
	if (in.f == NULL)
		abort();
	while (batch_input_next(&in, &text, &len) == 1)
		one_line(&in, text, len);
	fclose(in.f);
	free(in.line);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	read_all(data, size, NULL);
	read_all(data, size, "m");
	return 0;
}
