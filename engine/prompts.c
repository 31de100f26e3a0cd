/* prompts.c - stage templates and schemas (see prompts.h). */
#include "engine/prompts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/datadir.h"
#include "base/hash.h"
#include "base/json.h"

#define TEMPLATE_MAX_BYTES (1u << 20)

static int
compile_file(const char *path, struct mustache **out, struct pf_error *err)
{
	char *text;
	size_t len;
	int rc;

	if (file_read_all(path, TEMPLATE_MAX_BYTES, &text, &len) != 0) {
		snprintf(err->file, sizeof(err->file), "%s", path);
		return pf_error_set(err, "cannot read template: %s",
				    strerror(errno));
	}
	rc = mustache_compile(text, len, path, out, err);
	free(text);
	return rc;
}

/* The json_schema (or json_object) response_format for a stage. */
static char *
response_format(const char *name, const char *schema_path, int strict,
		struct pf_error *err)
{
	struct json_error je;
	cJSON *schema = NULL, *rf, *js;
	char *text;

	if (!strict)
		return strdup("{\"type\":\"json_object\"}");
	if (json_parse_file(schema_path, TEMPLATE_MAX_BYTES, &schema,
			    &je) != 0) {
		snprintf(err->file, sizeof(err->file), "%s", schema_path);
		err->line = je.line;
		err->col = je.col;
		pf_error_set(err, "%s", je.msg);
		return NULL;
	}
	rf = cJSON_CreateObject();
	cJSON_AddStringToObject(rf, "type", "json_schema");
	js = cJSON_AddObjectToObject(rf, "json_schema");
	cJSON_AddStringToObject(js, "name", name);
	cJSON_AddTrueToObject(js, "strict");
	cJSON_AddItemToObject(js, "schema", schema);
	text = cJSON_PrintUnformatted(rf);
	cJSON_Delete(rf);
	return text;
}

static int
load_stage(struct prompts *p, int k, const struct stage *s, int offline,
	   struct pf_error *err)
{
	struct stage_templates *t = &p->st[k];
	char rel[256];

	snprintf(rel, sizeof(rel), "templates/prompts/%s.mustache", s->name);
	t->prompt_path = config_data_path(p->cfg, rel);
	snprintf(rel, sizeof(rel), "templates/prompts/%s.schema.json",
		 s->name);
	t->schema_path = config_data_path(p->cfg, rel);
	snprintf(rel, sizeof(rel), "templates/offline/%s.mustache", s->name);
	t->offline_path = config_data_path(p->cfg, rel);
	if (!t->prompt_path || !t->schema_path || !t->offline_path)
		return pf_error_set(err, "out of memory");
	if (compile_file(t->prompt_path, &t->prompt, err) != 0 ||
	    schema_load_file(t->schema_path, &t->schema, err) != 0)
		return -1;
	t->response_format = response_format(s->name, t->schema_path,
					     p->cfg->json_schema, err);
	if (t->response_format == NULL)
		return -1;
	if (offline && compile_file(t->offline_path, &t->offline, err) != 0)
		return -1;
	return 0;
}

/* $.generation.system_prompt, when set, replaces system.mustache. */
static int
load_system(struct prompts *p, struct pf_error *err)
{
	const char *t = p->cfg->system_prompt;
	int rc;

	if (t == NULL)
		return compile_file(p->system_path, &p->system, err);
	rc = mustache_compile(t, strlen(t), p->cfg->path, &p->system, err);
	if (rc != 0 && err != NULL)
		snprintf(err->where, sizeof(err->where),
			 "$.generation.system_prompt");
	return rc;
}

/* The table's unit template, templates/prompts/NAME.mustache. */
static int
load_unit(struct prompts *p, const char *name, struct pf_error *err)
{
	char rel[256];

	if (name == NULL)
		return 0;
	snprintf(rel, sizeof(rel), "templates/prompts/%s.mustache", name);
	p->unit_path = config_data_path(p->cfg, rel);
	if (p->unit_path == NULL)
		return pf_error_set(err, "out of memory");
	return compile_file(p->unit_path, &p->unit, err);
}

/* Add the bytes of `path` (or of `text` when not NULL) to c, with a
 * separator. Returns 0, or -1 with err filled. */
static int
hash_part(struct sha256 *c, const char *path, const char *text,
	  struct pf_error *err)
{
	char *data = NULL;
	size_t len;

	if (text == NULL && path == NULL)
		return 0;
	if (text == NULL &&
	    file_read_all(path, TEMPLATE_MAX_BYTES, &data, &len) != 0) {
		snprintf(err->file, sizeof(err->file), "%s", path);
		return pf_error_set(err, "cannot read template: %s",
				    strerror(errno));
	}
	if (text != NULL)
		len = strlen(text);
	sha256_update(c, text != NULL ? text : data, len);
	sha256_update(c, "\0", 1);
	free(data);
	return 0;
}

/* st[k].hash (see prompts.h). */
static int
hash_stage(struct prompts *p, int k, int offline, struct pf_error *err)
{
	struct stage_templates *t = &p->st[k];
	struct sha256 c;

	sha256_init(&c);
	if (hash_part(&c, p->system_path, p->cfg->system_prompt, err) != 0 ||
	    hash_part(&c, p->unit_path, NULL, err) != 0 ||
	    hash_part(&c, t->prompt_path, NULL, err) != 0 ||
	    hash_part(&c, NULL, t->response_format, err) != 0 ||
	    hash_part(&c, t->schema_path, NULL, err) != 0 ||
	    (offline && hash_part(&c, t->offline_path, NULL, err) != 0))
		return -1;
	sha256_hex(&c, t->hash);
	return 0;
}

int
prompts_load(const struct pf_config *cfg, const struct stage_table *tab,
	     int offline, struct prompts **out, struct pf_error *err)
{
	struct prompts *p;
	int i;

	*out = NULL;
	/* without a data root every template below would fail, each naming
	 * only a path under a guess of where it should be */
	if (pf_datadir_check(err) != 0)
		return -1;
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return pf_error_set(err, "out of memory");
	p->cfg = cfg;
	p->system_path = config_data_path(cfg,
					  "templates/prompts/system.mustache");
	if (p->system_path == NULL || load_system(p, err) != 0 ||
	    load_unit(p, tab->unit_template, err) != 0)
		goto fail;
	for (i = 0; i < tab->n && i < STAGE_MAX; i++) {
		if (tab->stages[i]->count(cfg) == 0)
			continue;
		if (load_stage(p, i, tab->stages[i], offline, err) != 0 ||
		    hash_stage(p, i, offline, err) != 0)
			goto fail;
	}
	*out = p;
	return 0;
fail:
	prompts_free(p);
	return -1;
}

void
prompts_free(struct prompts *p)
{
	int i;

	if (p == NULL)
		return;
	mustache_free(p->system);
	free(p->system_path);
	mustache_free(p->unit);
	free(p->unit_path);
	for (i = 0; i < STAGE_MAX; i++) {
		mustache_free(p->st[i].prompt);
		mustache_free(p->st[i].offline);
		schema_free(p->st[i].schema);
		free(p->st[i].response_format);
		free(p->st[i].prompt_path);
		free(p->st[i].schema_path);
		free(p->st[i].offline_path);
	}
	free(p);
}

/* Partials resolve like every other template file. */
static int
load_partial(void *ud, const char *name, char **text, size_t *len)
{
	const struct prompts *p = ud;
	char rel[512], *path;
	int rc;

	if (strstr(name, "..") != NULL || name[0] == '/') {
		errno = EINVAL;
		return -1;
	}
	snprintf(rel, sizeof(rel), "templates/prompts/%s.mustache", name);
	path = config_data_path(p->cfg, rel);
	if (path == NULL)
		return -1;
	rc = file_read_all(path, TEMPLATE_MAX_BYTES, text, len);
	free(path);
	if (rc != 0)
		return errno == ENOENT ? 1 : -1;
	return 0;
}

int
prompts_render(const struct prompts *p, const struct mustache *t,
	       const cJSON *vars, int json_escape, struct buf *out,
	       struct pf_error *err)
{
	return mustache_render(t, vars, json_escape ? MUSTACHE_ESCAPE_JSON
			       : MUSTACHE_ESCAPE_NONE, load_partial,
			       (void *)p, out, err);
}
