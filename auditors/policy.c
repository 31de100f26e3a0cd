/* policy.c - the `$.audit` config section and the gate's verdict (see
 * policy.h). */
#include "auditors/policy.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/jfield.h"
#include "base/json.h"
#include "base/log.h"
#include "base/suggest.h"

/* The keys every section shares, and those of its "gate" object. */
static const char *const shared_keys[] = { "enabled", "quarantine", "gate",
	NULL };
static const char *const gate_keys[] = { "severity", "max_findings", NULL };

/* Fill err with the JSON path and message; always -1. */
static int
bad(struct pf_error *err, const char *path, const char *msg)
{
	struct jfield x = { NULL, err };

	return jfield_fail(&x, path, "%s", msg);
}

#define MAX_KEYS 32   /* shared keys plus one auditor's own */

/* obj must be an object whose keys are all in `a` or `b` (base/jfield's
 * check: the unknown key, a "did you mean" and the allowed keys). */
static int
only_keys(const cJSON *obj, const char *path, const char *const *a,
	  const char *const *b, struct pf_error *err)
{
	struct jfield x = { NULL, err };
	const char *all[MAX_KEYS + 1];
	size_t n = 0;

	for (; a != NULL && *a != NULL && n < MAX_KEYS; a++)
		all[n++] = *a;
	for (; b != NULL && *b != NULL && n < MAX_KEYS; b++)
		all[n++] = *b;
	all[n] = NULL;
	if (!cJSON_IsObject(obj))
		return bad(err, path, "expected an object");
	return jfield_keys(&x, obj, path, all);
}

/* The value of obj.key, with its path in p; NULL when absent. */
static const cJSON *
member(const cJSON *obj, const char *path, const char *key, char *p,
       size_t n)
{
	snprintf(p, n, "%s.%s", path, key);
	return json_get(obj, key);
}

static int
read_severity(const cJSON *obj, const char *path, const char *key,
	      enum audit_severity *out, struct pf_error *err)
{
	char p[256];
	const cJSON *v = member(obj, path, key, p, sizeof(p));

	if (v == NULL)
		return 0;
	if (!cJSON_IsString(v) || v->valuestring[0] == '\0')
		return bad(err, p, "expected a non-empty string");
	if (audit_severity_parse(v->valuestring, out) != 0)
		return bad(err, p, "expected one of info, low, medium, high, "
			   "critical");
	return 0;
}

/* One auditor's section into its instance: shared keys, then its own. */
static int
parse_section(const cJSON *sec, struct audit_instance *in,
	      struct pf_error *err)
{
	const struct auditor *a = in->auditor;
	struct audit_policy *p = &in->policy;
	struct jfield x = { NULL, err };
	char path[128], gpath[160];
	const cJSON *g;

	snprintf(path, sizeof(path), "$.audit.%s", a->name);
	if (only_keys(sec, path, shared_keys, a->keys, err) != 0 ||
	    jfield_bool(&x, sec, path, "enabled", &p->enabled) != 0 ||
	    read_severity(sec, path, "quarantine", &p->quarantine, err) != 0)
		return -1;
	g = member(sec, path, "gate", gpath, sizeof(gpath));
	if (g != NULL && (only_keys(g, gpath, gate_keys, NULL, err) != 0 ||
	    read_severity(g, gpath, "severity", &p->gate_severity, err) != 0 ||
	    jfield_int(&x, g, gpath, "max_findings", -1, INT64_MAX,
		       &p->gate_max) != 0))
		return -1;
	return a->parse != NULL ? a->parse(sec, path, &in->cfg, err) : 0;
}

/* Every key of `$.audit` must name a registered auditor. */
static int
check_names(const cJSON *audit, struct pf_error *err)
{
	const cJSON *it;
	char p[128];

	if (!cJSON_IsObject(audit))
		return bad(err, "$.audit", "expected an object");
	cJSON_ArrayForEach(it, audit) {
		if (auditor_find(it->string) != NULL)
			continue;
		snprintf(p, sizeof(p), "$.audit.%s", it->string);
		return bad(err, p, "unknown auditor");
	}
	return 0;
}

/* Drop the disabled instances, keeping the order; returns how many are
 * left. */
static size_t
keep_enabled(struct audit_instance *v, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (v[i].policy.enabled)
			v[k++] = v[i];
		else if (v[i].auditor->free_config != NULL)
			v[i].auditor->free_config(v[i].cfg);
	}
	return k;
}

int
audit_config_parse(const cJSON *audit, struct audit_instance **out,
		   size_t *n, struct pf_error *err)
{
	struct audit_instance *v;
	size_t i;

	*out = NULL;
	*n = 0;
	if (audit != NULL && check_names(audit, err) != 0)
		return -1;
	v = calloc(auditor_count, sizeof(*v));
	if (v == NULL)
		return bad(err, "$.audit", "out of memory");
	for (i = 0; i < auditor_count; i++) {
		v[i].auditor = auditor_registry[i];
		v[i].policy = auditor_registry[i]->defaults;
	}
	for (i = 0; i < auditor_count; i++) {
		const cJSON *sec = json_get(audit, v[i].auditor->name);

		if (sec != NULL && parse_section(sec, &v[i], err) != 0) {
			audit_instances_free(v, auditor_count);
			return -1;
		}
	}
	*n = keep_enabled(v, auditor_count);
	*out = v;
	return 0;
}

void
audit_instances_free(struct audit_instance *v, size_t n)
{
	size_t i;

	for (i = 0; v != NULL && i < n; i++)
		if (v[i].auditor->free_config != NULL)
			v[i].auditor->free_config(v[i].cfg);
	free(v);
}

int
audit_gate_verdict(const struct audit_instance *in, int64_t hits)
{
	const struct audit_policy *p = &in->policy;
	const char *label = in->auditor->label != NULL ? in->auditor->label
			    : in->auditor->name;

	if (p->gate_max < 0 || hits <= p->gate_max)
		return 0;
	log_error("audit gate failed: %" PRId64 " real-looking %s findings "
		  "at or above '%s' (at most %" PRId64 " allowed); see the "
		  "audit_finding table", hits, label,
		  audit_severity_name(p->gate_severity), p->gate_max);
	return 1;
}

static const char *const severity_words[] = {
	"info", "low", "medium", "high", "critical", NULL
};

/* Is name registered or one of extra? */
static int
gate_auditor_known(const char *name, const char *const *extra)
{
	for (; extra != NULL && *extra != NULL; extra++)
		if (strcmp(name, *extra) == 0)
			return 1;
	return auditor_find(name) != NULL;
}

/* The names a gate may give, for "did you mean": the registry, then
 * extra (at most 31 in all). */
static void
gate_names(const char *const *extra, const char **out)
{
	size_t i, n = 0;

	for (i = 0; i < auditor_count && n < 31; i++)
		out[n++] = auditor_registry[i]->name;
	for (; extra != NULL && *extra != NULL && n < 31; extra++)
		out[n++] = *extra;
	out[n] = NULL;
}

/* Fill err with "unknown WHAT 'v'", a "did you mean" and the allowed. */
static int
unknown(struct pf_error *err, const char *what, const char *v,
	const char *const *allowed)
{
	const char *near = suggest_closest(v, allowed);
	char list[256];

	suggest_list(allowed, list, sizeof(list));
	if (near != NULL)
		return pf_error_set(err, "unknown %s '%s'; did you mean '%s'? "
				    "(allowed: %s)", what, v, near, list);
	return pf_error_set(err, "unknown %s '%s' (allowed: %s)", what, v,
			    list);
}

int
audit_gate_parse(const char *spec, const char *const *extra,
		 struct audit_gate *out, struct pf_error *err)
{
	const char *colon = strchr(spec, ':'), *eq = strrchr(spec, '=');
	const char *names[32];
	char sev[16], *end;
	long long max;

	if (colon == NULL || eq == NULL || eq < colon ||
	    (size_t)(colon - spec) >= sizeof(out->auditor) ||
	    (size_t)(eq - colon - 1) >= sizeof(sev) || colon == spec)
		return pf_error_set(err, "bad gate '%s': expected "
				    "AUDITOR:SEVERITY=MAX, e.g. pii:high=0",
				    spec);
	snprintf(out->auditor, sizeof(out->auditor), "%.*s",
		 (int)(colon - spec), spec);
	snprintf(sev, sizeof(sev), "%.*s", (int)(eq - colon - 1), colon + 1);
	if (!gate_auditor_known(out->auditor, extra)) {
		gate_names(extra, names);
		return unknown(err, "auditor", out->auditor, names);
	}
	if (audit_severity_parse(sev, &out->severity) != 0)
		return unknown(err, "severity", sev, severity_words);
	errno = 0;
	max = strtoll(eq + 1, &end, 10);
	if (eq[1] < '0' || eq[1] > '9' || *end != '\0' || errno != 0)
		return pf_error_set(err, "bad gate '%s': MAX must be a "
				    "count of findings (0 or more)", spec);
	out->max = max;
	return 0;
}

void
audit_gate_format(const struct audit_gate *g, char *out, size_t n)
{
	snprintf(out, n, "%s:%s=%" PRId64, g->auditor,
		 audit_severity_name(g->severity), g->max);
}

int
audit_gate_spec_verdict(const struct audit_gate *g, int64_t hits)
{
	char name[64];

	if (hits <= g->max)
		return 0;
	audit_gate_format(g, name, sizeof(name));
	log_error("audit gate %s failed: %" PRId64 " real-looking findings "
		  "of %s at or above '%s' (at most %" PRId64 " allowed, %"
		  PRId64 " over)", name, hits, g->auditor,
		  audit_severity_name(g->severity), g->max, hits - g->max);
	return 1;
}
