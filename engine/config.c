/* config.c - run configuration parsing and identity (see config.h). */
#include "config.h"
#include "engine/config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditors/policy.h"
#include "base/buf.h"
#include "base/datadir.h"
#include "base/hash.h"
#include "base/json.h"

/* The life-story interview protocol (American Voices Project questions,
 * as used for deep-binding backstories); the first N are asked. */
static const struct {
	const char *key, *text;
} default_questions[] = {
	{ "childhood", "Tell me the story of your life, starting from your "
	  "childhood: your education, your family and the events that "
	  "shaped you." },
	{ "turning_point", "Describe a crossroads or turning point in your "
	  "life. What happened, and how did it change you?" },
	{ "family", "Tell me about the family members who matter most to you "
	  "now, such as a partner or children." },
	{ "people", "Who are the other important people in your life, such "
	  "as friends or close colleagues?" },
	{ "neighborhood", "Describe the neighbourhood where you live now. "
	  "What is it like?" },
	{ "week", "Walk me through a typical week. How does it vary?" },
	{ "work", "Tell me about your work: what you do, and when you "
	  "work." },
	{ "voting", "Do you vote? Why or why not?" },
	{ "politics", "How would you describe your political views?" },
};
#define NDEFAULT_Q (sizeof(default_questions) / sizeof(default_questions[0]))

static const char *const default_doc_types[] = {
	"conversation", "user_ai", "purchase", "email", "note", "calendar"
};
static const char *const default_views[] = {
	"concise", "detailed", "formal", "casual", "enthusiastic", "cautious"
};

struct ctx {
	const char *file;
	struct pf_error *err;
};

static int
fail(struct ctx *x, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
fail(struct ctx *x, const char *path, const char *fmt, ...)
{
	va_list ap;

	if (x->err == NULL)
		return -1;
	snprintf(x->err->file, sizeof(x->err->file), "%s", x->file);
	snprintf(x->err->where, sizeof(x->err->where), "%s", path);
	va_start(ap, fmt);
	vsnprintf(x->err->msg, sizeof(x->err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* Fail on any key of `obj` that is not in the NULL-terminated `allowed`. */
static int
check_keys(struct ctx *x, const cJSON *obj, const char *path,
	   const char *const *allowed)
{
	const cJSON *it;
	size_t i;

	if (!cJSON_IsObject(obj))
		return fail(x, path, "expected an object");
	cJSON_ArrayForEach(it, obj) {
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(it->string, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL)
			return fail(x, path, "unknown key '%s'", it->string);
	}
	return 0;
}

static void
subpath(char *out, size_t n, const char *path, const char *key)
{
	snprintf(out, n, "%s.%s", path, key);
}

/* Integer in [min, max]; absent leaves *out alone. */
static int
get_int(struct ctx *x, const cJSON *obj, const char *path, const char *key,
	int64_t min, int64_t max, int64_t *out)
{
	const cJSON *v = json_get(obj, key);
	char p[256];
	double d;

	if (v == NULL)
		return 0;
	subpath(p, sizeof(p), path, key);
	d = v->valuedouble;
	/* cJSON reads numbers as doubles: past 2^53 they are not exact. */
	if (cJSON_IsNumber(v) && (d < -9007199254740992.0 ||
				  d > 9007199254740992.0))
		return fail(x, p, "integers past 2^53 are not exact in JSON "
			    "(pass a larger seed with --seed)");
	if (!cJSON_IsNumber(v) || d != (double)(int64_t)d)
		return fail(x, p, "expected an integer");
	if ((int64_t)d < min || (int64_t)d > max)
		return fail(x, p, "expected an integer from %lld to %lld",
			    (long long)min, (long long)max);
	*out = (int64_t)d;
	return 0;
}

static int
get_intv(struct ctx *x, const cJSON *obj, const char *path, const char *key,
	 int64_t min, int64_t max, int *out)
{
	int64_t v = *out;

	if (get_int(x, obj, path, key, min, max, &v) != 0)
		return -1;
	*out = (int)v;
	return 0;
}

static int
get_num(struct ctx *x, const cJSON *obj, const char *path, const char *key,
	double min, double max, double *out)
{
	const cJSON *v = json_get(obj, key);
	char p[256];

	if (v == NULL)
		return 0;
	subpath(p, sizeof(p), path, key);
	if (!cJSON_IsNumber(v))
		return fail(x, p, "expected a number");
	if (v->valuedouble < min || v->valuedouble > max)
		return fail(x, p, "expected a number from %g to %g", min, max);
	*out = v->valuedouble;
	return 0;
}

static int
get_bool(struct ctx *x, const cJSON *obj, const char *path, const char *key,
	 int *out)
{
	const cJSON *v = json_get(obj, key);
	char p[256];

	if (v == NULL)
		return 0;
	subpath(p, sizeof(p), path, key);
	if (!cJSON_IsBool(v))
		return fail(x, p, "expected true or false");
	*out = cJSON_IsTrue(v);
	return 0;
}

/* Non-empty string; *out is replaced with a copy. */
static int
get_str(struct ctx *x, const cJSON *obj, const char *path, const char *key,
	char **out)
{
	const cJSON *v = json_get(obj, key);
	char p[256];

	if (v == NULL)
		return 0;
	subpath(p, sizeof(p), path, key);
	if (!cJSON_IsString(v) || v->valuestring[0] == '\0')
		return fail(x, p, "expected a non-empty string");
	free(*out);
	*out = strdup(v->valuestring);
	return *out ? 0 : fail(x, p, "out of memory");
}

/* Array of distinct non-empty strings, 1..CONFIG_MAX_LIST long. */
static int
get_list(struct ctx *x, const cJSON *obj, const char *path, const char *key,
	 char **items, int *n)
{
	const cJSON *v = json_get(obj, key), *it;
	char p[256];
	int i;

	if (v == NULL)
		return 0;
	subpath(p, sizeof(p), path, key);
	if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) < 1 ||
	    cJSON_GetArraySize(v) > CONFIG_MAX_LIST)
		return fail(x, p, "expected an array of 1 to %d strings",
			    CONFIG_MAX_LIST);
	for (i = 0; i < *n; i++)
		free(items[i]);
	*n = 0;
	cJSON_ArrayForEach(it, v) {
		if (!cJSON_IsString(it) || it->valuestring[0] == '\0')
			return fail(x, p, "item %d: expected a non-empty "
				    "string", *n);
		for (i = 0; i < *n; i++)
			if (strcmp(items[i], it->valuestring) == 0)
				return fail(x, p, "item %d repeats item %d "
					    "(\"%s\")", *n, i, items[i]);
		items[*n] = strdup(it->valuestring);
		if (items[(*n)++] == NULL)
			return fail(x, p, "out of memory");
	}
	return 0;
}

static int
parse_questions(struct ctx *x, struct pf_config *c, const cJSON *iv)
{
	const cJSON *q = json_get(iv, "questions"), *it;
	int64_t n = c->nquestions;
	char p[128];
	int i = 0;

	if (q == NULL || cJSON_IsNumber(q)) {
		if (get_int(x, iv, "$.stages.interview", "questions", 5,
			    NDEFAULT_Q, &n) != 0)
			return -1;
		c->nquestions = (int)n;
		return 0;
	}
	if (!cJSON_IsArray(q) || cJSON_GetArraySize(q) < 5 ||
	    cJSON_GetArraySize(q) > CONFIG_MAX_LIST)
		return fail(x, "$.stages.interview.questions", "expected a "
			    "count from 5 to %d or an array of 5 to %d "
			    "{\"key\", \"text\"} objects", (int)NDEFAULT_Q,
			    CONFIG_MAX_LIST);
	c->nquestions = 0;
	cJSON_ArrayForEach(it, q) {
		static const char *const keys[] = { "key", "text", NULL };
		snprintf(p, sizeof(p), "$.stages.interview.questions[%d]", i);
		if (check_keys(x, it, p, keys) != 0 ||
		    get_str(x, it, p, "key", &c->questions[i].key) != 0 ||
		    get_str(x, it, p, "text", &c->questions[i].text) != 0)
			return -1;
		if (!c->questions[i].key || !c->questions[i].text)
			return fail(x, p, "needs both \"key\" and \"text\"");
		c->nquestions = ++i;
	}
	return 0;
}

static int
parse_stages(struct ctx *x, struct pf_config *c, const cJSON *st)
{
	static const char *const keys[] = { "narrative", "interview",
		"documents", "qa", "preferences", NULL };
	static const char *const k_en[] = { "enabled", NULL };
	static const char *const k_iv[] = { "questions", NULL };
	static const char *const k_doc[] = { "per_persona", "types",
		"facts_per_document", NULL };
	static const char *const k_n[] = { "per_persona", NULL };
	static const char *const k_pref[] = { "per_persona", "views", NULL };
	const cJSON *s;

	if (st == NULL)
		return 0;
	if (check_keys(x, st, "$.stages", keys) != 0)
		return -1;
	if ((s = json_get(st, "narrative")) != NULL &&
	    (check_keys(x, s, "$.stages.narrative", k_en) != 0 ||
	     get_bool(x, s, "$.stages.narrative", "enabled", &c->narrative)))
		return -1;
	if ((s = json_get(st, "interview")) != NULL &&
	    (check_keys(x, s, "$.stages.interview", k_iv) != 0 ||
	     parse_questions(x, c, s) != 0))
		return -1;
	if ((s = json_get(st, "documents")) != NULL &&
	    (check_keys(x, s, "$.stages.documents", k_doc) != 0 ||
	     get_intv(x, s, "$.stages.documents", "per_persona", 0, 64,
		      &c->documents) != 0 ||
	     get_intv(x, s, "$.stages.documents", "facts_per_document", 1, 8,
		      &c->facts_per_document) != 0 ||
	     get_list(x, s, "$.stages.documents", "types", c->doc_types,
		      &c->ndoc_types) != 0))
		return -1;
	if ((s = json_get(st, "qa")) != NULL &&
	    (check_keys(x, s, "$.stages.qa", k_n) != 0 ||
	     get_intv(x, s, "$.stages.qa", "per_persona", 0, 256, &c->qa)))
		return -1;
	if ((s = json_get(st, "preferences")) != NULL &&
	    (check_keys(x, s, "$.stages.preferences", k_pref) != 0 ||
	     get_intv(x, s, "$.stages.preferences", "per_persona", 0, 64,
		      &c->pairs) != 0 ||
	     get_list(x, s, "$.stages.preferences", "views", c->views,
		      &c->nviews) != 0))
		return -1;
	return 0;
}

static int
parse_generation(struct ctx *x, struct pf_config *c, const cJSON *g)
{
	static const char *const keys[] = { "temperature", "top_p",
		"max_tokens", "response_format", "system_prompt",
		"max_attempts", NULL };
	char *rf = NULL;
	int rc;

	if (g == NULL)
		return 0;
	if (check_keys(x, g, "$.generation", keys) != 0 ||
	    get_num(x, g, "$.generation", "temperature", 0, 2,
		    &c->temperature) != 0 ||
	    get_num(x, g, "$.generation", "top_p", 0, 1, &c->top_p) != 0 ||
	    get_intv(x, g, "$.generation", "max_tokens", 16, 1 << 20,
		     &c->max_tokens) != 0 ||
	    get_intv(x, g, "$.generation", "max_attempts", 1, 20,
		     &c->accept_attempts) != 0 ||
	    get_str(x, g, "$.generation", "system_prompt",
		    &c->system_prompt) != 0 ||
	    get_str(x, g, "$.generation", "response_format", &rf) != 0)
		return -1;
	rc = 0;
	if (rf != NULL && strcmp(rf, "json_schema") == 0)
		c->json_schema = 1;
	else if (rf != NULL && strcmp(rf, "json_object") == 0)
		c->json_schema = 0;
	else if (rf != NULL)
		rc = fail(x, "$.generation.response_format",
			  "expected \"json_schema\" or \"json_object\"");
	free(rf);
	return rc;
}

/* Each `$.audit.<name>` section belongs to its auditor (auditors/policy.h);
 * the enabled ones, with their parsed configs, are kept for the caller. */
static int
parse_audit(struct ctx *x, struct pf_config *c, const cJSON *a)
{
	if (audit_config_parse(a, &c->auditors, &c->nauditors, x->err) == 0)
		return 0;
	if (x->err != NULL)
		snprintf(x->err->file, sizeof(x->err->file), "%s", x->file);
	return -1;
}

static int
parse_backend(struct ctx *x, struct pf_config *c, const cJSON *root)
{
	char *b = NULL;
	int rc = 0;

	if (get_str(x, root, "$", "backend", &b) != 0)
		return -1;
	if (b == NULL || strcmp(b, "auto") == 0)
		c->backend = BACKEND_AUTO;
	else if (strcmp(b, "offline") == 0)
		c->backend = BACKEND_OFFLINE;
	else if (strcmp(b, "openai") == 0)
		c->backend = BACKEND_OPENAI;
	else
		rc = fail(x, "$.backend", "expected \"auto\", \"offline\" or "
			  "\"openai\"");
	free(b);
	return rc;
}

/* The network sections belong to llm/endpoint.c; here they only have to
 * be of the right JSON kind. */
static int
check_runtime(struct ctx *x, const cJSON *root)
{
	static const char *const objs[] = { "budget", "retry", "engine", NULL };
	const cJSON *v;
	char p[64];
	int i;

	v = json_get(root, "endpoints");
	if (v != NULL && !cJSON_IsArray(v))
		return fail(x, "$.endpoints", "expected an array");
	for (i = 0; objs[i] != NULL; i++) {
		v = json_get(root, objs[i]);
		snprintf(p, sizeof(p), "$.%s", objs[i]);
		if (v != NULL && !cJSON_IsObject(v))
			return fail(x, p, "expected an object");
	}
	return 0;
}

static void
set_defaults(struct pf_config *c)
{
	size_t i;

	c->seed = 1;
	c->personas = 100;
	c->temperature = 0.7;
	c->top_p = 0.95;
	c->max_tokens = 768;
	c->json_schema = 1;
	c->accept_attempts = 3;
	c->narrative = 1;
	c->nquestions = 5;
	c->documents = 3;
	c->facts_per_document = 2;
	c->qa = 3;
	c->pairs = 2;
	for (i = 0; i < 3; i++)
		c->doc_types[i] = strdup(default_doc_types[i]);
	c->ndoc_types = 3;
	for (i = 0; i < 4; i++)
		c->views[i] = strdup(default_views[i]);
	c->nviews = 4;
}

/* Fill in the default interview questions when the config named a count. */
static int
fill_questions(struct pf_config *c)
{
	int i;

	for (i = 0; i < c->nquestions; i++) {
		if (c->questions[i].key != NULL)
			continue;
		c->questions[i].key = strdup(default_questions[i].key);
		c->questions[i].text = strdup(default_questions[i].text);
		if (!c->questions[i].key || !c->questions[i].text)
			return -1;
	}
	return 0;
}

static int
parse_top(struct ctx *x, struct pf_config *c, const cJSON *root)
{
	static const char *const keys[] = { "name", "seed", "personas",
		"backend", "templates_dir", "generation", "stages", "audit",
		"endpoints", "budget", "retry", "engine", "description", NULL };
	int64_t seed = 1;

	if (check_keys(x, root, "$", keys) != 0 ||
	    get_str(x, root, "$", "name", &c->name) != 0 ||
	    get_int(x, root, "$", "seed", 0, INT64_MAX, &seed) != 0 ||
	    get_int(x, root, "$", "personas", 0, 100000000,
		    &c->personas) != 0 ||
	    get_str(x, root, "$", "templates_dir", &c->templates_dir) != 0 ||
	    parse_backend(x, c, root) != 0 ||
	    parse_generation(x, c, json_get(root, "generation")) != 0 ||
	    parse_stages(x, c, json_get(root, "stages")) != 0 ||
	    parse_audit(x, c, json_get(root, "audit")) != 0 ||
	    check_runtime(x, root) != 0)
		return -1;
	c->seed = (uint64_t)seed;
	if (json_get(root, "description") != NULL &&
	    !cJSON_IsString(json_get(root, "description")))
		return fail(x, "$.description", "expected a string");
	if (c->pairs > 0 && c->nviews < 2)
		return fail(x, "$.stages.preferences.views",
			    "needs at least 2 views");
	if (c->qa > 0 && c->documents == 0)
		return fail(x, "$.stages.qa.per_persona", "grounded QA needs "
			    "documents ($.stages.documents.per_persona > 0)");
	return fill_questions(c) == 0 ? 0 : fail(x, "$", "out of memory");
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

const char *
config_datadir(void)
{
	return pf_datadir();
}

char *
config_data_path(const struct pf_config *c, const char *rel)
{
	return pf_data_path(c != NULL ? c->templates_dir : NULL, rel);
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
	struct ctx x = { path, err };
	struct pf_config *c;

	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return pf_error_set(err, "out of memory");
	set_defaults(c);
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
	int i;

	if (c == NULL)
		return;
	free(c->path);
	free(c->dir);
	free(c->name);
	free(c->templates_dir);
	free(c->system_prompt);
	for (i = 0; i < CONFIG_MAX_LIST; i++) {
		free(c->questions[i].key);
		free(c->questions[i].text);
		free(c->doc_types[i]);
		free(c->views[i]);
	}
	audit_instances_free(c->auditors, c->nauditors);
	cJSON_Delete(c->root);
	free(c);
}
