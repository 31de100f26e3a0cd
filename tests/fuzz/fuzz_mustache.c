/* fuzz_mustache.c - libFuzzer target: the Mustache parser and renderer
 * (templates/mustache.h).
 *
 * The input is a template: it is compiled, and a template that compiles
 * is rendered with both escapings against a fixed context holding every
 * kind of value (strings with characters to escape, numbers, booleans,
 * null, nested objects, lists), with partials that resolve to the input
 * itself (so partials recurse until MUSTACHE_MAX_PARTIAL_DEPTH) or to
 * nothing. A compile or render error is a normal outcome; a crash, a leak
 * or undefined behaviour is a finding.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "base/buf.h"
#include "templates/mustache.h"
#include "tests/fuzz/fuzz.h"

static const char context[] =
	"{\"name\":\"Ada <&> \\\"x\\\"\",\"n\":42,\"f\":-1.5e3,\"t\":true,"
	"\"no\":false,\"nil\":null,\"empty\":[],\"list\":[1,\"two\","
	"{\"name\":\"inner\",\"list\":[[]]}],\"obj\":{\"a\":{\"b\":{\"c\":"
	"\"deep\"}},\"list\":[{\"x\":1},{\"x\":2}]},\"s\":\"\"}";

struct input {
	const uint8_t *data;
	size_t size;
};

/* Partial "self" is the input, any other name none. */
static int
partial(void *ud, const char *name, char **text, size_t *len)
{
	const struct input *in = ud;

	if (strcmp(name, "self") != 0)
		return 1;
	*text = malloc(in->size + 1);
	if (*text == NULL)
		return -1;
	memcpy(*text, in->data, in->size);
	*len = in->size;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static cJSON *ctx;
	struct input in = { data, size };
	struct mustache *t = NULL;
	struct pf_error err;
	struct buf out;

	if (ctx == NULL && (ctx = cJSON_Parse(context)) == NULL)
		abort();
	if (mustache_compile((const char *)data, size, "fuzz", &t, &err) != 0)
		return 0;
	buf_init(&out, 1 << 20);
	mustache_render(t, ctx, MUSTACHE_ESCAPE_HTML, partial, &in, &out,
			&err);
	buf_reset(&out);
	mustache_render(t, ctx, MUSTACHE_ESCAPE_JSON, NULL, NULL, &out, &err);
	buf_free(&out);
	mustache_free(t);
	return 0;
}
