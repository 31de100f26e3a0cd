/* auditor.h - what every auditor looks like, and the registry of them.
 *
 * An auditor is a const table entry (tmux cmd_entry style): a name, a
 * version recorded next to each finding in the audit tables, and a text
 * scanner. The pipeline hands it one text field of a row at a time and
 * receives findings through a callback; the auditor keeps no state between
 * calls, so one entry serves every row and every thread.
 */
#ifndef PF_AUDITOR_H
#define PF_AUDITOR_H

#include <stddef.h>

/* How bad a finding is; ordered, so thresholds compare with < and >=. */
enum audit_severity {
	AUDIT_INFO = 0,  /* planted or reserved data: expected, recorded only */
	AUDIT_LOW,
	AUDIT_MEDIUM,    /* real-looking contact data */
	AUDIT_HIGH,      /* real-looking identifiers: SSNs, card numbers */
	AUDIT_CRITICAL
};

/* Receives one finding. `kind` and `reason` are static strings; `masked`
 * is valid only during the call (copy it to keep it). `offset` is the byte
 * offset of the finding in the scanned text. */
typedef void (*audit_report_fn)(void *ud, const char *kind,
				enum audit_severity sev, int synthetic,
				const char *masked, const char *reason,
				size_t offset);

struct auditor {
	const char *name;     /* as given to --auditors, e.g. "pii" */
	const char *version;  /* stored with each finding */
	/* Scan n bytes of one text field (need not be NUL-terminated or valid
	 * UTF-8) and call report for each finding in text order. Returns 0,
	 * or -1 if the scan could not run (the report calls made stand). */
	int (*scan_text)(const char *text, size_t n, audit_report_fn report,
			 void *ud);
};

extern const struct auditor auditor_pii;

/* Every auditor, in the order they run; auditor_count entries. */
extern const struct auditor *const auditor_registry[];
extern const size_t auditor_count;

/* The registry entry called `name`, or NULL if there is none. */
const struct auditor *auditor_find(const char *name);

/* "info", "low", "medium", "high", "critical"; "unknown" out of range. */
const char *audit_severity_name(enum audit_severity s);

/* Parse a severity name (case-insensitive) into *out. Returns 0, or -1 for
 * NULL or an unknown name, leaving *out unchanged. */
int audit_severity_parse(const char *s, enum audit_severity *out);

#endif
