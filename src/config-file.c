/* config-file.c - loading the run config file: the top-level keys and the
 * identity hash here, each section handed to the layer that owns it
 * (see src/config-file.h). */
#include "config.h"
#include "src/config-file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditors/policy.h"
#include "base/hash.h"
#include "base/jfield.h"
#include "base/json.h"
#include "generators/config.h"

/* Each `$.audit.<name>` section belongs to its auditor (auditors/policy.h);
 * unknown auditors and their keys are refused there. */
static int
parse_audit(const struct jfield *x, struct pf_config *c, const cJSON *a)
{
	if (audit_config_parse(a, &c->auditors, &c->nauditors, x->err) == 0)
		return 0;
	if (x->err != NULL)
		snprintf(x->err->file, sizeof(x->err->file), "%s", x->file);
	return -1;
}

/* `$.stages` belongs to the stages (generators/config.h). */
static int
parse_stages(const struct jfield *x, struct pf_config *c, const cJSON *st)
{
	struct gen_config *g;
	int rc = gen_config_parse(st, x, &g);

	c->stages = g;
	return rc;
}

static int
parse_backend(const struct jfield *x, struct pf_config *c, const cJSON *root)
{
	char *b = NULL;
	int rc = 0;

	if (jfield_str(x, root, "$", "backend", &b) != 0)
		return -1;
	if (b == NULL || strcmp(b, "auto") == 0)
		c->backend = BACKEND_AUTO;
	else if (strcmp(b, "offline") == 0)
		c->backend = BACKEND_OFFLINE;
	else if (strcmp(b, "openai") == 0)
		c->backend = BACKEND_OPENAI;
	else
		rc = jfield_fail(x, "$.backend", "expected \"auto\", \"offline\" or "
			  "\"openai\"");
	free(b);
	return rc;
}

/* The network sections belong to llm/endpoint.c; here they only have to
 * be of the right JSON kind. */
static int
check_runtime(const struct jfield *x, const cJSON *root)
{
	static const char *const objs[] = { "budget", "retry", "engine", NULL };
	const cJSON *v;
	char p[64];
	int i;

	v = json_get(root, "endpoints");
	if (v != NULL && !cJSON_IsArray(v))
		return jfield_fail(x, "$.endpoints", "expected an array");
	for (i = 0; objs[i] != NULL; i++) {
		v = json_get(root, objs[i]);
		snprintf(p, sizeof(p), "$.%s", objs[i]);
		if (v != NULL && !cJSON_IsObject(v))
			return jfield_fail(x, p, "expected an object");
	}
	return 0;
}

/* $.seed; a seed past 2^53 can still be given on the command line. */
static int
parse_seed(const struct jfield *x, const cJSON *root, int64_t *seed)
{
	size_t n;

	if (jfield_int(x, root, "$", "seed", 0, INT64_MAX, seed) == 0)
		return 0;
	n = x->err != NULL ? strlen(x->err->msg) : 0;
	if (n > 0 && strstr(x->err->msg, "2^53") != NULL)
		snprintf(x->err->msg + n, sizeof(x->err->msg) - n,
			 " (pass a larger seed with --seed)");
	return -1;
}

static int
parse_top(const struct jfield *x, struct pf_config *c, const cJSON *root)
{
	static const char *const keys[] = { "name", "seed", "personas",
		"backend", "templates_dir", "generation", "stages", "audit",
		"endpoints", "budget", "retry", "engine", "description", NULL };
	int64_t seed = 1;

	if (jfield_keys(x, root, "$", keys) != 0 ||
	    jfield_str(x, root, "$", "name", &c->name) != 0 ||
	    parse_seed(x, root, &seed) != 0 ||
	    jfield_int(x, root, "$", "personas", 0, 100000000,
		       &c->personas) != 0 ||
	    jfield_str(x, root, "$", "templates_dir",
		       &c->templates_dir) != 0 ||
	    parse_backend(x, c, root) != 0 ||
	    config_generation_parse(x, json_get(root, "generation"), c) != 0 ||
	    parse_stages(x, c, json_get(root, "stages")) != 0 ||
	    parse_audit(x, c, json_get(root, "audit")) != 0 ||
	    check_runtime(x, root) != 0)
		return -1;
	c->seed = (uint64_t)seed;
	if (json_get(root, "description") != NULL &&
	    !cJSON_IsString(json_get(root, "description")))
		return jfield_fail(x, "$.description", "expected a string");
	return 0;
}

/* Base name of `path` without its extension. */
static char *
stem(const char *path)
{
	const char *b = strrchr(path, '/');
	char *s, *dot;

	s = strdup(b ? b + 1 : path);
	if (s != NULL && (dot = strrchr(s, '.')) != NULL && dot != s)
		*dot = '\0';
	return s;
}

static char *
dirname_of(const char *path)
{
	const char *b = strrchr(path, '/');

	if (b == NULL)
		return strdup(".");
	if (b == path)
		return strdup("/");
	return strndup(path, (size_t)(b - path));
}

/* Deep copy with object keys sorted, so the hash ignores key order. */
static cJSON *
sorted_copy(const cJSON *v)
{
	const cJSON *it, *best;
	cJSON *out, *kid;
	int n, i, j;
	const cJSON **seen;

	if (!cJSON_IsObject(v) && !cJSON_IsArray(v))
		return cJSON_Duplicate(v, 1);
	out = cJSON_IsArray(v) ? cJSON_CreateArray() : cJSON_CreateObject();
	if (out == NULL)
		return NULL;
	if (cJSON_IsArray(v)) {
		cJSON_ArrayForEach(it, v)
			cJSON_AddItemToArray(out, sorted_copy(it));
		return out;
	}
	n = cJSON_GetArraySize(v);
	seen = calloc((size_t)n + 1, sizeof(*seen));
	for (i = 0; seen != NULL && i < n; i++) {
		best = NULL;
		cJSON_ArrayForEach(it, v) {
			for (j = 0; j < i && seen[j] != it; j++)
				;
			if (j == i && (best == NULL ||
				       strcmp(it->string, best->string) < 0))
				best = it;
		}
		seen[i] = best;
		kid = sorted_copy(best);
		if (kid != NULL)
			cJSON_AddItemToObject(out, best->string, kid);
	}
	free(seen);
	return out;
}

char *
config_canonical(const struct pf_config *c)
{
	cJSON *s = sorted_copy(c->root);
	char *text;

	if (s == NULL)
		return NULL;
	text = cJSON_PrintUnformatted(s);
	cJSON_Delete(s);
	return text;
}

static void
compute_hash(struct pf_config *c)
{
	static const char *const runtime[] = { "endpoints", "budget", "retry",
		"engine", "backend", "description", NULL };
	cJSON *id = cJSON_Duplicate(c->root, 1), *s;
	char *text;
	int i;

	for (i = 0; id != NULL && runtime[i] != NULL; i++)
		cJSON_DeleteItemFromObjectCaseSensitive(id, runtime[i]);
	s = id ? sorted_copy(id) : NULL;
	text = s ? cJSON_PrintUnformatted(s) : NULL;
	hash_hex(text ? text : "", text ? strlen(text) : 0, c->config_hash);
	free(text);
	cJSON_Delete(s);
	cJSON_Delete(id);
}

void
config_override(struct pf_config *c, int64_t seed, int64_t personas)
{
	if (seed >= 0) {
		c->seed = (uint64_t)seed;
		cJSON_DeleteItemFromObjectCaseSensitive(c->root, "seed");
		cJSON_AddNumberToObject(c->root, "seed", (double)seed);
	}
	if (personas >= 0) {
		c->personas = personas;
		cJSON_DeleteItemFromObjectCaseSensitive(c->root, "personas");
		cJSON_AddNumberToObject(c->root, "personas", (double)personas);
	}
	/* Make defaults explicit so the hash sees what is built. */
	if (json_get(c->root, "seed") == NULL)
		cJSON_AddNumberToObject(c->root, "seed", (double)c->seed);
	if (json_get(c->root, "personas") == NULL)
		cJSON_AddNumberToObject(c->root, "personas",
					(double)c->personas);
	compute_hash(c);
}

/* Make templates_dir relative to the config file's directory. */
static int
resolve_dirs(struct pf_config *c)
{
	char *p;

	if (c->templates_dir == NULL || c->templates_dir[0] == '/')
		return 0;
	if (asprintf(&p, "%s/%s", c->dir, c->templates_dir) < 0)
		return -1;
	free(c->templates_dir);
	c->templates_dir = p;
	return 0;
}

int
config_load(const char *path, struct pf_config **out, struct pf_error *err)
{
	struct json_error je;
	struct jfield x = { path, err };
	struct pf_config *c;

	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return pf_error_set(err, "out of memory");
	c->seed = 1;
	c->personas = 100;
	config_generation_defaults(c);
	c->path = strdup(path);
	c->dir = dirname_of(path);
	if (json_parse_file(path, CONFIG_MAX_BYTES, &c->root, &je) != 0) {
		if (err != NULL) {
			snprintf(err->file, sizeof(err->file), "%s", path);
			err->line = je.line;
			err->col = je.col;
			snprintf(err->msg, sizeof(err->msg), "%s", je.msg);
		}
		config_free(c);
		return -1;
	}
	if (parse_top(&x, c, c->root) != 0 || resolve_dirs(c) != 0) {
		config_free(c);
		return -1;
	}
	if (c->name == NULL)
		c->name = stem(path);
	config_override(c, -1, -1);
	*out = c;
	return 0;
}

void
config_free(struct pf_config *c)
{
	if (c == NULL)
		return;
	free(c->path);
	free(c->dir);
	free(c->name);
	free(c->templates_dir);
	free(c->system_prompt);
	gen_config_free(c->stages);
	audit_instances_free(c->auditors, c->nauditors);
	cJSON_Delete(c->root);
	free(c);
}
