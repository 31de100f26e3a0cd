/* config-file.c - loading the run config file: the top-level keys and the
 * identity hash here, each section handed to the layer that owns it
 * (see src/config-file.h). */
#include "config.h"
#include "src/config-file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "auditors/policy.h"
#include "base/hash.h"
#include "base/jfield.h"
#include "base/json.h"
#include "base/jstrict.h"
#include "generators/config.h"
#include "personas/quota.h"

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
	static const char *const names[] = { "auto", "offline", "openai",
		NULL };
	const char *b = "auto";

	if (jfield_enum(x, root, "$", "backend", names, &b) != 0)
		return -1;
	c->backend = b == names[1] ? BACKEND_OFFLINE : b == names[2]
		     ? BACKEND_OPENAI : BACKEND_AUTO;
	return 0;
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

	if (jfield_int(x, root, "$", "seed", 0, CONFIG_SEED_MAX, seed) == 0)
		return 0;
	n = x->err != NULL ? strlen(x->err->msg) : 0;
	if (n > 0 && strstr(x->err->msg, "2^53") != NULL)
		snprintf(x->err->msg + n, sizeof(x->err->msg) - n,
			 " (pass a larger seed with --seed)");
	return -1;
}

/* `$.quotas` (parsed again, against the tables, by build) and
 * `$.locale`: a name of 2..16 lower-case letters and '-'. */
static int
check_personas(const struct jfield *x, const cJSON *root)
{
	struct persona_quota *q = NULL;
	char *locale = NULL;
	size_t n;
	int rc;

	rc = persona_quota_parse(x, json_get(root, "quotas"), &q);
	persona_quota_free(q);
	if (rc != 0 || jfield_str(x, root, "$", "locale", &locale) != 0)
		return -1;
	n = locale != NULL ? strspn(locale, "abcdefghijklmnopqrstuvwxyz-")
			   : 2;
	if (locale != NULL && (n != strlen(locale) || n < 2 || n > 16))
		rc = jfield_fail(x, "$.locale", "expected 2 to 16 lower-case "
				 "letters or '-'");
	free(locale);
	return rc;
}

/* `$.dataset`: what the dataset card (output/card.h) says of the data;
 * `license` is a Hugging Face license id (`cc-by-4.0`, `mit`, `other`),
 * lower case, digits, '.' and '-', so it goes into YAML as it is. */
static int
check_dataset(const struct jfield *x, const cJSON *root)
{
	static const char *const keys[] = { "license", NULL };
	const cJSON *d = json_get(root, "dataset");
	char *lic = NULL;
	size_t n;
	int rc;

	if (d == NULL)
		return 0;
	if (jfield_keys(x, d, "$.dataset", keys) != 0 ||
	    jfield_str(x, d, "$.dataset", "license", &lic) != 0)
		return -1;
	n = lic != NULL ? strspn(lic, "abcdefghijklmnopqrstuvwxyz0123456789"
				 ".-") : 1;
	rc = lic != NULL && (n != strlen(lic) || n > 64) ?
	     jfield_fail(x, "$.dataset.license", "expected a Hugging Face "
			 "license id (lower case, digits, '.' and '-'; such "
			 "as cc-by-4.0, mit or other)") : 0;
	free(lic);
	return rc;
}

static int
parse_top(const struct jfield *x, struct pf_config *c, const cJSON *root)
{
	static const char *const keys[] = { "name", "seed", "personas",
		"backend", "templates_dir", "generation", "stages", "audit",
		"endpoints", "budget", "retry", "engine", "description",
		"quotas", "locale", "dataset", NULL };
	int64_t seed = 1;

	if (jfield_keys(x, root, "$", keys) != 0 ||
	    jfield_str(x, root, "$", "name", &c->name) != 0 ||
	    parse_seed(x, root, &seed) != 0 ||
	    jfield_int(x, root, "$", "personas", 0, CONFIG_PERSONAS_MAX,
		       &c->personas) != 0 ||
	    jfield_str(x, root, "$", "templates_dir",
		       &c->templates_dir) != 0 ||
	    parse_backend(x, c, root) != 0 ||
	    config_generation_parse(x, json_get(root, "generation"), c) != 0 ||
	    parse_stages(x, c, json_get(root, "stages")) != 0 ||
	    parse_audit(x, c, json_get(root, "audit")) != 0 ||
	    check_personas(x, root) != 0 ||
	    check_dataset(x, root) != 0 ||
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

/* Top-level keys that say how to reach the model, not what to build. */
static const char *const runtime[] = { "endpoints", "budget", "retry",
	"engine", "backend", "description", "dataset", NULL };

static int
is_runtime(const char *k)
{
	size_t i;

	for (i = 0; runtime[i] != NULL; i++)
		if (strcmp(k, runtime[i]) == 0)
			return 1;
	return 0;
}

/* Append "$.k" to out unless k is runtime, seed or personas, or a and b
 * hold the same value for it. */
static void
diff_key(const cJSON *a, const cJSON *b, const char *k, char *out, size_t n)
{
	size_t len = strlen(out);

	if (is_runtime(k) || strcmp(k, "seed") == 0 ||
	    strcmp(k, "personas") == 0 || cJSON_Compare(json_get(a, k), json_get(b, k), 1))
		return;
	snprintf(out + len, n - len, "%s$.%s", len ? ", " : "", k);
}

int
config_diff_keys(const struct pf_config *c, const char *stored, char *out,
		 size_t n)
{
	const cJSON *it;
	cJSON *old;

	out[0] = '\0';
	if (json_parse(stored, strlen(stored), &old, NULL) != 0)
		return -1;
	cJSON_ArrayForEach(it, old)
		diff_key(old, c->root, it->string, out, n);
	cJSON_ArrayForEach(it, c->root)
		if (json_get(old, it->string) == NULL)
			diff_key(old, c->root, it->string, out, n);
	cJSON_Delete(old);
	return 0;
}

static void
compute_hash(struct pf_config *c)
{
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

/* Make templates_dir relative to the config file's directory; it must be
 * a directory. */
static int
resolve_dirs(const struct jfield *x, struct pf_config *c)
{
	struct stat st;
	char *p;

	if (c->templates_dir == NULL)
		return 0;
	if (c->templates_dir[0] != '/') {
		if (asprintf(&p, "%s/%s", c->dir, c->templates_dir) < 0)
			return jfield_fail(x, "$.templates_dir",
					   "out of memory");
		free(c->templates_dir);
		c->templates_dir = p;
	}
	if (stat(c->templates_dir, &st) != 0)
		return jfield_fail(x, "$.templates_dir", "%s: %s",
				   c->templates_dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return jfield_fail(x, "$.templates_dir", "%s: not a directory",
				   c->templates_dir);
	return 0;
}

int
config_load(const char *path, struct pf_config **out, struct pf_error *err)
{
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
	if (jstrict_parse_file(path, CONFIG_MAX_BYTES, CONFIG_MAX_DEPTH,
			       &c->root, err) != 0) {
		config_free(c);
		return -1;
	}
	if (parse_top(&x, c, c->root) != 0 || resolve_dirs(&x, c) != 0) {
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
