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
 * `allowed` ("unknown key 'k'" at `path`, with the closest allowed key as
 * a "did you mean" and the allowed keys). */
int jfield_keys(const struct jfield *x, const cJSON *obj, const char *path,
		const char *const *allowed);

/* An integer in [min, max] (exact: |v| <= 2^53). A number outside the
 * range (1e400 included) gets the range message "N is out of range:
 * expected an integer from MIN to MAX". */
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

/* A string that is one of the NULL-terminated `allowed`; *out points at
 * the allowed entry (left as it was when absent). Anything else fails
 * with the allowed values and a "did you mean" (base/suggest.h). */
int jfield_enum(const struct jfield *x, const cJSON *obj, const char *path,
		const char *key, const char *const *allowed, const char **out);

/* jfield_list whose items must each be one of `allowed`; a bad item is
 * named by its path ("$.stages.documents.types[1]"). */
int jfield_enum_list(const struct jfield *x, const cJSON *obj,
		     const char *path, const char *key,
		     const char *const *allowed, char **items, int *n);

/* Fail at `path` with "unknown WHAT "v"", a "did you mean" and the
 * allowed values. */
int jfield_fail_enum(const struct jfield *x, const char *path,
		     const char *what, const char *v,
		     const char *const *allowed);

#endif
