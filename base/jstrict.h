/* jstrict.h - the strict reading of a JSON file a person wrote (a config).
 *
 * json_parse() takes what RFC 8259 allows; a config file is held to more,
 * so a mistake in it is never read as something else: no NUL, raw or
 * escaped (\u0000 would cut a C string short), no key twice in one object,
 * no nesting deeper than a stated limit, no number beyond a double (1e400),
 * and a file larger than its limit is refused saying the limit. Every
 * error names the file, line, column and the JSON path of the value.
 * Owned by base/; src/config-file.c reads the run config through it.
 */
#ifndef PF_JSTRICT_H
#define PF_JSTRICT_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "base/error.h"

/* Check the text p[0..n) for the faults above (nesting of objects and
 * arrays at most max_depth levels). Returns 0 when it has none (a syntax
 * error is left to json_parse()), or -1 with err's line, col, where (the
 * JSON path) and msg set; err->file is left as it was. */
int jstrict_check(const char *p, size_t n, int max_depth,
		  struct pf_error *err);

/* Read the file `path` (at most max_bytes), check it and parse it. Returns
 * 0 with the tree in *out (cJSON_Delete), or -1 with *err filled, the file
 * named in err->file. */
int jstrict_parse_file(const char *path, size_t max_bytes, int max_depth,
		       cJSON **out, struct pf_error *err);

#endif
