/* jfield.c - checked config fields (see jfield.h). */
#include "base/jfield.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"

#define PATH_MAX_BYTES 256

int
jfield_fail(const struct jfield *x, const char *path, const char *fmt, ...)
{
	va_list ap;

	if (x->err == NULL)
		return -1;
	snprintf(x->err->file, sizeof(x->err->file), "%s",
		 x->file ? x->file : "");
	snprintf(x->err->where, sizeof(x->err->where), "%s", path);
	va_start(ap, fmt);
	vsnprintf(x->err->msg, sizeof(x->err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int
jfield_keys(const struct jfield *x, const cJSON *obj, const char *path,
	    const char *const *allowed)
{
	const cJSON *it;
	size_t i;

	if (!cJSON_IsObject(obj))
		return jfield_fail(x, path, "expected an object");
	cJSON_ArrayForEach(it, obj) {
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(it->string, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL)
			return jfield_fail(x, path, "unknown key '%s'",
					   it->string);
	}
	return 0;
}

/* The value of key in obj and its path, or NULL if absent. */
static const cJSON *
field(const cJSON *obj, const char *path, const char *key,
      char p[PATH_MAX_BYTES])
{
	snprintf(p, PATH_MAX_BYTES, "%s.%s", path, key);
	return json_get(obj, key);
}

int
jfield_int(const struct jfield *x, const cJSON *obj, const char *path,
	   const char *key, int64_t min, int64_t max, int64_t *out)
{
	char p[PATH_MAX_BYTES];
	const cJSON *v = field(obj, path, key, p);
	double d;

	if (v == NULL)
		return 0;
	d = v->valuedouble;
	/* cJSON reads numbers as doubles: past 2^53 they are not exact. */
	if (cJSON_IsNumber(v) && (d < -9007199254740992.0 ||
				  d > 9007199254740992.0))
		return jfield_fail(x, p, "integers past 2^53 are not exact in "
				   "JSON");
	if (!cJSON_IsNumber(v) || d != (double)(int64_t)d)
		return jfield_fail(x, p, "expected an integer");
	if ((int64_t)d < min || (int64_t)d > max)
		return jfield_fail(x, p, "expected an integer from %lld to "
				   "%lld", (long long)min, (long long)max);
	*out = (int64_t)d;
	return 0;
}

int
jfield_intv(const struct jfield *x, const cJSON *obj, const char *path,
	    const char *key, int min, int max, int *out)
{
	int64_t v = *out;

	if (jfield_int(x, obj, path, key, min, max, &v) != 0)
		return -1;
	*out = (int)v;
	return 0;
}

int
jfield_num(const struct jfield *x, const cJSON *obj, const char *path,
	   const char *key, double min, double max, double *out)
{
	char p[PATH_MAX_BYTES];
	const cJSON *v = field(obj, path, key, p);

	if (v == NULL)
		return 0;
	if (!cJSON_IsNumber(v))
		return jfield_fail(x, p, "expected a number");
	if (v->valuedouble < min || v->valuedouble > max)
		return jfield_fail(x, p, "expected a number from %g to %g",
				   min, max);
	*out = v->valuedouble;
	return 0;
}

int
jfield_bool(const struct jfield *x, const cJSON *obj, const char *path,
	    const char *key, int *out)
{
	char p[PATH_MAX_BYTES];
	const cJSON *v = field(obj, path, key, p);

	if (v == NULL)
		return 0;
	if (!cJSON_IsBool(v))
		return jfield_fail(x, p, "expected true or false");
	*out = cJSON_IsTrue(v);
	return 0;
}

int
jfield_str(const struct jfield *x, const cJSON *obj, const char *path,
	   const char *key, char **out)
{
	char p[PATH_MAX_BYTES];
	const cJSON *v = field(obj, path, key, p);

	if (v == NULL)
		return 0;
	if (!cJSON_IsString(v) || v->valuestring[0] == '\0')
		return jfield_fail(x, p, "expected a non-empty string");
	free(*out);
	*out = strdup(v->valuestring);
	return *out ? 0 : jfield_fail(x, p, "out of memory");
}

/* Append it (a list item) to items unless it is bad or repeats one. */
static int
list_add(const struct jfield *x, const char *p, const cJSON *it,
	 char **items, int *n)
{
	int i;

	if (!cJSON_IsString(it) || it->valuestring[0] == '\0')
		return jfield_fail(x, p, "item %d: expected a non-empty "
				   "string", *n);
	for (i = 0; i < *n; i++)
		if (strcmp(items[i], it->valuestring) == 0)
			return jfield_fail(x, p, "item %d repeats item %d "
					   "(\"%s\")", *n, i, items[i]);
	items[*n] = strdup(it->valuestring);
	if (items[(*n)++] == NULL)
		return jfield_fail(x, p, "out of memory");
	return 0;
}

int
jfield_list(const struct jfield *x, const cJSON *obj, const char *path,
	    const char *key, char **items, int *n)
{
	char p[PATH_MAX_BYTES];
	const cJSON *v = field(obj, path, key, p), *it;
	int i;

	if (v == NULL)
		return 0;
	if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) < 1 ||
	    cJSON_GetArraySize(v) > JFIELD_MAX_LIST)
		return jfield_fail(x, p, "expected an array of 1 to %d "
				   "strings", JFIELD_MAX_LIST);
	for (i = 0; i < *n; i++) {
		free(items[i]);
		items[i] = NULL;
	}
	*n = 0;
	cJSON_ArrayForEach(it, v)
		if (list_add(x, p, it, items, n) != 0)
			return -1;
	return 0;
}
