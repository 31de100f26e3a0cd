/* endpoint.c - parse the engine sections of a run config (see endpoint.h).
 *
 * Numbers are read through tables of (key, type, offset, minimum), so each
 * section is a list of fields rather than a page of if-statements.
 */
#include "llm/endpoint.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/suggest.h"

enum ftype { F_DBL, F_UNS, F_LONG, F_U64, F_SIZE };

struct field {
	const char *key;
	enum ftype t;
	size_t off;
	double min;
	int gt;         /* 1: must be > min, else >= min */
};

#define EP(k, t, m, min, gt) { k, t, offsetof(struct endpoint_cfg, m), min, gt }
#define EC(k, t, m, min, gt) { k, t, offsetof(struct engine_config, m), min, gt }

static const struct field ep_fields[] = {
	EP("weight", F_DBL, weight, 0, 1),
	EP("concurrency", F_UNS, concurrency, 1, 0),
	EP("rpm", F_DBL, rpm, 0, 0),
	EP("input_tpm", F_DBL, input_tpm, 0, 0),
	EP("output_tpm", F_DBL, output_tpm, 0, 0),
	EP("price_input_per_mtok", F_DBL, price_in, 0, 0),
	EP("price_output_per_mtok", F_DBL, price_out, 0, 0),
	{ NULL, F_DBL, 0, 0, 0 }
};

static const struct field budget_fields[] = {
	EC("max_tokens", F_DBL, max_tokens, 0, 0),
	EC("max_cost", F_DBL, max_cost, 0, 0),
	{ NULL, F_DBL, 0, 0, 0 }
};

static const struct field retry_fields[] = {
	EC("max_attempts", F_UNS, max_attempts, 1, 0),
	EC("base_delay_ms", F_U64, base_delay_ms, 0, 0),
	EC("max_delay_ms", F_U64, max_delay_ms, 0, 0),
	{ NULL, F_DBL, 0, 0, 0 }
};

static const struct field engine_fields[] = {
	EC("connect_timeout_ms", F_LONG, connect_timeout_ms, 0, 0),
	EC("timeout_ms", F_LONG, timeout_ms, 0, 0),
	EC("low_speed_time_s", F_LONG, low_speed_time_s, 0, 0),
	EC("max_connections_per_host", F_LONG, max_connections_per_host, 0, 0),
	EC("min_concurrency", F_UNS, min_concurrency, 1, 0),
	EC("max_response_bytes", F_SIZE, max_response_bytes, 1024, 0),
	EC("grace_ms", F_U64, grace_ms, 0, 0),
	EC("unreachable_ms", F_U64, unreachable_ms, 0, 0),
	{ NULL, F_DBL, 0, 0, 0 }
};

static const char *const ep_strings[] = {
	"base_url", "model", "api_key_env", "headers", "structured_output",
	"profile", NULL
};

static const char *const wire_keys[] = {
	"structured_output", "profile", NULL
};

void
engine_config_init(struct engine_config *c)
{
	memset(c, 0, sizeof(*c));
	wire_opts_resolve(&c->wire, NULL);
	c->max_attempts = 6;
	c->base_delay_ms = 500;
	c->max_delay_ms = 60000;
	c->connect_timeout_ms = 10000;
	c->timeout_ms = 600000;
	c->min_concurrency = 1;
	c->max_response_bytes = (size_t)8 << 20;
	c->grace_ms = 10000;
	c->unreachable_ms = 10000;
}

static void
endpoint_free(struct endpoint_cfg *e)
{
	size_t i;

	free(e->base_url);
	free(e->model);
	free(e->api_key_env);
	for (i = 0; i < e->n_headers; i++) {
		free(e->headers[i].name);
		free(e->headers[i].value);
		free(e->headers[i].env);
	}
	free(e->headers);
	memset(e, 0, sizeof(*e));
}

void
engine_config_free(struct engine_config *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n_endpoints; i++)
		endpoint_free(&c->endpoints[i]);
	free(c->endpoints);
	engine_config_init(c);
}

/* Record an error at JSON path `path`; always returns -1. */
static int
fail(struct pf_error *err, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
fail(struct pf_error *err, const char *path, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	snprintf(err->where, sizeof(err->where), "%s", path);
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* sub = path + "." + key, cut to fit. */
static void
sub_path(char sub[256], const char *path, const char *key)
{
	snprintf(sub, 256, "%.120s.%.120s", path, key);
}

static const struct field *
field_find(const struct field *f, const char *key)
{
	for (; f->key != NULL; f++)
		if (strcmp(f->key, key) == 0)
			return f;
	return NULL;
}

static int
is_listed(const char *const *names, const char *key)
{
	for (; names != NULL && *names != NULL; names++)
		if (strcmp(*names, key) == 0)
			return 1;
	return 0;
}

/* Store number `v` into the field of `base` that `f` describes. */
static int
field_store(const struct field *f, void *base, double v, const char *path,
	    struct pf_error *err)
{
	char *p = (char *)base + f->off;
	int integral = f->t != F_DBL;

	if (!isfinite(v) || (f->gt ? v <= f->min : v < f->min) ||
	    (integral && (v != floor(v) || v > 9e15)))
		return fail(err, path, "expected %s %s %g",
			    integral ? "an integer" : "a number",
			    f->gt ? ">" : ">=", f->min);
	switch (f->t) {
	case F_DBL: *(double *)(void *)p = v; break;
	case F_UNS: *(unsigned *)(void *)p = v > 4e9 ? 4000000000u : (unsigned)v; break;
	case F_LONG: *(long *)(void *)p = (long)v; break;
	case F_U64: *(uint64_t *)(void *)p = (uint64_t)v; break;
	case F_SIZE: *(size_t *)(void *)p = (size_t)v; break;
	}
	return 0;
}

/* Read an object's keys: numbers through `fields`; keys in `extra` are
 * left to the caller; anything else is an error. */
static int
section_read(const cJSON *obj, const char *path, const struct field *fields,
	     const char *const *extra, void *base, struct pf_error *err)
{
	const struct field *f;
	const cJSON *it;
	char sub[256];

	if (!cJSON_IsObject(obj))
		return fail(err, path, "expected an object");
	cJSON_ArrayForEach(it, obj) {
		sub_path(sub, path, it->string);
		if (is_listed(extra, it->string))
			continue;
		f = field_find(fields, it->string);
		if (f == NULL)
			return fail(err, sub, "unknown key");
		if (!cJSON_IsNumber(it))
			return field_store(f, base, NAN, sub, err);
		if (field_store(f, base, it->valuedouble, sub, err) != 0)
			return -1;
	}
	return 0;
}

/* Copy an optional string member into *out. */
static int
str_read(const cJSON *obj, const char *key, const char *path, int required,
	 char **out, struct pf_error *err)
{
	const cJSON *it = json_get(obj, key);
	char sub[256];

	sub_path(sub, path, key);
	if (it == NULL)
		return required ? fail(err, sub, "required") : 0;
	if (!cJSON_IsString(it) || it->valuestring[0] == '\0')
		return fail(err, sub, "expected a non-empty string");
	*out = strdup(it->valuestring);
	return *out != NULL ? 0 : fail(err, sub, "out of memory");
}

static int
header_read(const cJSON *it, const char *path, struct endpoint_header *h,
	    struct pf_error *err)
{
	const cJSON *env;

	h->name = strdup(it->string);
	if (h->name == NULL)
		return fail(err, path, "out of memory");
	if (strpbrk(h->name, ": \r\n") != NULL || h->name[0] == '\0')
		return fail(err, path, "not a valid header name");
	if (cJSON_IsString(it)) {
		if (strpbrk(it->valuestring, "\r\n") != NULL)
			return fail(err, path, "header value has a line break");
		h->value = strdup(it->valuestring);
		return h->value != NULL ? 0 : fail(err, path, "out of memory");
	}
	env = json_get(it, "env");
	if (!cJSON_IsObject(it) || cJSON_GetArraySize(it) != 1 ||
	    !cJSON_IsString(env) || env->valuestring[0] == '\0')
		return fail(err, path,
			    "expected a string or {\"env\": \"VAR\"}");
	h->env = strdup(env->valuestring);
	return h->env != NULL ? 0 : fail(err, path, "out of memory");
}

static int
headers_read(const cJSON *obj, const char *path, struct endpoint_cfg *e,
	     struct pf_error *err)
{
	const cJSON *it;
	char sub[256];
	int n;

	if (obj == NULL)
		return 0;
	if (!cJSON_IsObject(obj))
		return fail(err, path, "expected an object");
	n = cJSON_GetArraySize(obj);
	e->headers = calloc(n > 0 ? (size_t)n : 1, sizeof(*e->headers));
	if (e->headers == NULL)
		return fail(err, path, "out of memory");
	cJSON_ArrayForEach(it, obj) {
		sub_path(sub, path, it->string);
		if (header_read(it, sub, &e->headers[e->n_headers++], err))
			return -1;
	}
	return 0;
}

/* Fail at path.key with the allowed names and a "did you mean", worded as
 * base/jfield.h's jfield_fail_enum words it for the rest of the config. */
static int
fail_name(struct pf_error *err, const char *path, const char *key,
	  const cJSON *v, const char *const *names)
{
	const char *s = cJSON_GetStringValue(v);
	const char *near = s != NULL ? suggest_closest(s, names) : NULL;
	char sub[256], list[256], mean[SUGGEST_MAX_LEN + 32] = "";

	sub_path(sub, path, key);
	suggest_list(names, list, sizeof(list));
	if (s == NULL)
		return fail(err, sub, "expected a string (allowed: %s)", list);
	if (near != NULL)
		snprintf(mean, sizeof(mean), "; did you mean \"%s\"?", near);
	return fail(err, sub, "unknown value \"%.64s\"%s (allowed: %s)", s,
		    mean, list);
}

/* structured_output and profile of an endpoint or of $.engine. */
static int
wire_read(const cJSON *obj, const char *path, struct wire_opts *w,
	  struct pf_error *err)
{
	const cJSON *m = json_get(obj, "structured_output");
	const cJSON *p = json_get(obj, "profile");

	if (m != NULL) {
		w->mode = wire_mode_parse(cJSON_GetStringValue(m), NULL);
		if (w->mode == WIRE_MODE_UNSET)
			return fail_name(err, path, "structured_output", m,
					 wire_mode_list);
	}
	if (p != NULL) {
		w->profile = wire_profile_parse(cJSON_GetStringValue(p), NULL);
		if (w->profile == WIRE_PROFILE_UNSET)
			return fail_name(err, path, "profile", p,
					 wire_profile_list);
	}
	return 0;
}

static int
endpoint_read(const cJSON *obj, const char *path, struct endpoint_cfg *e,
	      struct pf_error *err)
{
	char sub[256];
	size_t n;

	e->weight = 1;
	e->concurrency = 16;
	if (section_read(obj, path, ep_fields, ep_strings, e, err) != 0 ||
	    str_read(obj, "base_url", path, 1, &e->base_url, err) != 0 ||
	    str_read(obj, "model", path, 1, &e->model, err) != 0 ||
	    str_read(obj, "api_key_env", path, 0, &e->api_key_env, err) != 0 ||
	    wire_read(obj, path, &e->wire, err) != 0)
		return -1;
	sub_path(sub, path, "base_url");
	if (strncmp(e->base_url, "http://", 7) != 0 &&
	    strncmp(e->base_url, "https://", 8) != 0)
		return fail(err, sub, "expected an http:// or https:// URL");
	n = strlen(e->base_url);
	while (n > 0 && e->base_url[n - 1] == '/')
		e->base_url[--n] = '\0';
	sub_path(sub, path, "headers");
	return headers_read(json_get(obj, "headers"), sub, e, err);
}

static int
endpoints_read(const cJSON *arr, struct engine_config *c,
	       struct pf_error *err)
{
	const cJSON *it;
	char path[64];
	int n = cJSON_GetArraySize(arr);

	if (!cJSON_IsArray(arr))
		return fail(err, "$.endpoints", "expected an array");
	if (n == 0)
		return 0;
	c->endpoints = calloc((size_t)n, sizeof(*c->endpoints));
	if (c->endpoints == NULL)
		return fail(err, "$.endpoints", "out of memory");
	cJSON_ArrayForEach(it, arr) {
		snprintf(path, sizeof(path), "$.endpoints[%zu]", c->n_endpoints);
		if (endpoint_read(it, path, &c->endpoints[c->n_endpoints++],
				  err) != 0)
			return -1;
	}
	return 0;
}

int
engine_config_parse(const cJSON *root, const char *file,
		    struct engine_config *out, struct pf_error *err)
{
	const cJSON *s;
	int rc = -1;

	engine_config_init(out);
	if (err != NULL)
		snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
	if (!cJSON_IsObject(root)) {
		fail(err, "$", "expected an object");
		goto done;
	}
	if ((s = json_get(root, "endpoints")) != NULL &&
	    endpoints_read(s, out, err) != 0)
		goto done;
	if ((s = json_get(root, "budget")) != NULL &&
	    section_read(s, "$.budget", budget_fields, NULL, out, err) != 0)
		goto done;
	if ((s = json_get(root, "retry")) != NULL &&
	    section_read(s, "$.retry", retry_fields, NULL, out, err) != 0)
		goto done;
	if ((s = json_get(root, "engine")) != NULL &&
	    (section_read(s, "$.engine", engine_fields, wire_keys, out,
			  err) != 0 ||
	     wire_read(s, "$.engine", &out->wire, err) != 0))
		goto done;
	wire_opts_resolve(&out->wire, NULL);
	for (size_t i = 0; i < out->n_endpoints; i++)
		wire_opts_resolve(&out->endpoints[i].wire, &out->wire);
	if (out->max_delay_ms < out->base_delay_ms) {
		fail(err, "$.retry.max_delay_ms", "must be >= base_delay_ms");
		goto done;
	}
	rc = 0;
done:
	if (rc != 0)
		engine_config_free(out);
	return rc;
}

static int
dup_into(char **dst, const char *src)
{
	char *p = strdup(src);

	if (p == NULL)
		return -1;
	free(*dst);
	*dst = p;
	return 0;
}

/* Replace the endpoint list with one endpoint at `url`. */
static int
override_url(struct engine_config *c, const char *url, const char *model,
	     struct pf_error *err)
{
	struct endpoint_cfg one;

	memset(&one, 0, sizeof(one));
	one.weight = 1;
	one.concurrency = 16;
	one.wire = c->n_endpoints > 0 ? c->endpoints[0].wire : c->wire;
	if (model == NULL && c->n_endpoints > 0)
		model = c->endpoints[0].model;
	if (model == NULL)
		return fail(err, "--base-url", "needs --model");
	if (c->n_endpoints > 0 && c->endpoints[0].api_key_env != NULL &&
	    dup_into(&one.api_key_env, c->endpoints[0].api_key_env) != 0)
		return fail(err, "--base-url", "out of memory");
	if (dup_into(&one.base_url, url) != 0 ||
	    dup_into(&one.model, model) != 0) {
		endpoint_free(&one);
		return fail(err, "--base-url", "out of memory");
	}
	while (c->n_endpoints > 0)
		endpoint_free(&c->endpoints[--c->n_endpoints]);
	free(c->endpoints);
	c->endpoints = malloc(sizeof(one));
	if (c->endpoints == NULL) {
		endpoint_free(&one);
		return fail(err, "--base-url", "out of memory");
	}
	c->endpoints[0] = one;
	c->n_endpoints = 1;
	return 0;
}

int
engine_config_override(struct engine_config *c, const char *base_url,
		       const char *model, const char *api_key_env,
		       struct pf_error *err)
{
	size_t i;

	if (base_url != NULL && strncmp(base_url, "http://", 7) != 0 &&
	    strncmp(base_url, "https://", 8) != 0)
		return fail(err, "--base-url",
			    "expected an http:// or https:// URL");
	if (base_url != NULL && override_url(c, base_url, model, err) != 0)
		return -1;
	if (base_url == NULL && model != NULL)
		for (i = 0; i < c->n_endpoints; i++)
			if (dup_into(&c->endpoints[i].model, model) != 0)
				return fail(err, "--model", "out of memory");
	if (api_key_env == NULL)
		return 0;
	for (i = 0; i < c->n_endpoints; i++)
		if (dup_into(&c->endpoints[i].api_key_env, api_key_env) != 0)
			return fail(err, "--api-key-env", "out of memory");
	return 0;
}
