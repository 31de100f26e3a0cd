/* jfield.h - reading checked fields out of a parsed JSON config.
 *
 * Every layer parses its own config section with these, so every section
 * reports a bad value the same way: the config file in err->file, the JSON
 * path of the value in err->where ("$.stages.qa.per_persona") and what was
 * expected in err->msg. A field that is absent leaves *out as it was (the
 * caller sets defaults first). Each returns 0, or -1 with the error set.
 */
#ifndef PF_JFIELD_H
#define PF_JFIELD_H

#include <stdint.h>
#include <cjson/cJSON.h>

#include "base/error.h"

#define JFIELD_MAX_LIST 32        /* items of a string list */

struct jfield {
	const char *file;             /* named in errors */
	struct pf_error *err;         /* may be NULL: nothing is reported */
};

/* Set the error at `path` (printf format) and return -1. */
int jfield_fail(const struct jfield *x, const char *path, const char *fmt,
		...) __attribute__((format(printf, 3, 4)));

/* Fail unless obj is an object whose keys are all in the NULL-terminated
 * `allowed` ("unknown key 'k'" at `path`). */
int jfield_keys(const struct jfield *x, const cJSON *obj, const char *path,
		const char *const *allowed);

/* An integer in [min, max] (exact: |v| <= 2^53). */
int jfield_int(const struct jfield *x, const cJSON *obj, const char *path,
	       const char *key, int64_t min, int64_t max, int64_t *out);
int jfield_intv(const struct jfield *x, const cJSON *obj, const char *path,
		const char *key, int min, int max, int *out);

/* A number in [min, max]. */
int jfield_num(const struct jfield *x, const cJSON *obj, const char *path,
	       const char *key, double min, double max, double *out);

/* true or false, stored as 1 or 0. */
int jfield_bool(const struct jfield *x, const cJSON *obj, const char *path,
		const char *key, int *out);

/* A non-empty string; *out (malloc'd, or NULL) is replaced by a copy. */
int jfield_str(const struct jfield *x, const cJSON *obj, const char *path,
	       const char *key, char **out);

/* An array of 1..JFIELD_MAX_LIST distinct non-empty strings; the *n
 * items already in `items` (malloc'd) are freed and replaced. */
int jfield_list(const struct jfield *x, const cJSON *obj, const char *path,
		const char *key, char **items, int *n);

#endif
