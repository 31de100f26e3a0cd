/* registry.c - the table of auditors and the severity names they share. */
#include <string.h>
#include <strings.h>

#include "auditors/auditor.h"

const struct auditor *const auditor_registry[] = {
	&auditor_pii,
	&auditor_canary,
	&auditor_safety,
	&auditor_fairness,
	&auditor_diversity,
	&auditor_judge,
};

const size_t auditor_count =
	sizeof(auditor_registry) / sizeof(auditor_registry[0]);

static const char *const severity_names[] = {
	[AUDIT_INFO] = "info",
	[AUDIT_LOW] = "low",
	[AUDIT_MEDIUM] = "medium",
	[AUDIT_HIGH] = "high",
	[AUDIT_CRITICAL] = "critical",
};

#define NSEVERITY (sizeof(severity_names) / sizeof(severity_names[0]))

const struct auditor *
auditor_find(const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < auditor_count; i++)
		if (strcmp(auditor_registry[i]->name, name) == 0)
			return auditor_registry[i];
	return NULL;
}

void
audit_row_fields(const struct audit_row *row, const void *cfg,
		 audit_emit_fn report, void *ud,
		 void (*scan)(struct audit_relay *r, const char *text,
			      size_t len))
{
	struct audit_relay r = { row, NULL, report, ud, cfg };
	size_t i;

	for (i = 0; i < row->nfields; i++) {
		if (row->texts[i] == NULL)
			continue;
		r.field = row->names[i];
		scan(&r, row->texts[i], strlen(row->texts[i]));
	}
}

int
auditor_reads_table(const struct auditor *a, const char *table)
{
	const char *const *t;

	if (a->scan_row == NULL && a->score_row == NULL)
		return 0;
	if (a->tables == NULL)
		return 1;
	for (t = a->tables; *t != NULL; t++)
		if (strcmp(*t, table) == 0)
			return 1;
	return 0;
}

const char *
audit_severity_name(enum audit_severity s)
{
	if ((unsigned)s >= NSEVERITY)
		return "unknown";
	return severity_names[s];
}

int
audit_severity_parse(const char *s, enum audit_severity *out)
{
	size_t i;

	if (s == NULL)
		return -1;
	for (i = 0; i < NSEVERITY; i++) {
		if (strcasecmp(s, severity_names[i]) == 0) {
			*out = (enum audit_severity)i;
			return 0;
		}
	}
	return -1;
}
