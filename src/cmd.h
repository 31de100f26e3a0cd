/* cmd.h - the subcommand table.
 *
 * Each subcommand lives in src/cmd-NAME.c and exports one const struct
 * cmd_entry; main.c lists them in its registry. Adding a subcommand is
 * adding a file and a line.
 */
#ifndef PF_CMD_H
#define PF_CMD_H

struct cmd_entry {
	const char *name;     /* word after "personaforge" */
	const char *usage;    /* synopsis after the name */
	const char *summary;  /* one line for the top-level help */
	const char *help;     /* option list for NAME --help */
	/* Run with argv[0] = the subcommand name. Returns an exit code from
	 * base/status.h. */
	int (*exec)(int argc, char **argv);
};

/* Print "usage: personaforge NAME USAGE" and the help text to `f`. */
void cmd_usage(const struct cmd_entry *c, void *f);

/* Report a usage error for `c` on stderr; returns PF_EXIT_USAGE. */
int cmd_usage_error(const struct cmd_entry *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Parse a non-negative decimal integer option; -1 on error. */
long long cmd_parse_count(const char *s);

struct dataset;

/* Open the dataset at `path` read-only for a reading subcommand (stats,
 * export, report, verify, diff, merge). On failure prints the error
 * (naming the file, and both schema versions for an older dataset) and
 * returns PF_EXIT_USAGE with *out NULL; 0 on success, the caller closes
 * *out with dataset_close(). */
int cmd_dataset_read(const char *path, struct dataset **out);

struct audit_gate;

/* Add the gate of a --gate option ("AUDITOR:SEVERITY=MAX";
 * auditors/policy.h; `extra` names more auditors, or NULL) to gates[*n]
 * (AUDIT_MAX_GATES of them). Returns -1 to go on, or the usage error's
 * exit code after reporting it for `c`. */
int cmd_parse_gate(const struct cmd_entry *c, const char *arg,
		   const char *const *extra, struct audit_gate *gates,
		   int *n);

extern const struct cmd_entry cmd_build_entry;
extern const struct cmd_entry cmd_validate_entry;
extern const struct cmd_entry cmd_export_entry;
extern const struct cmd_entry cmd_template_entry;
extern const struct cmd_entry cmd_stats_entry;
extern const struct cmd_entry cmd_batch_entry;
extern const struct cmd_entry cmd_verify_entry;
extern const struct cmd_entry cmd_merge_entry;
extern const struct cmd_entry cmd_scan_entry;
extern const struct cmd_entry cmd_audit_entry;
extern const struct cmd_entry cmd_diff_entry;
extern const struct cmd_entry cmd_metrics_entry;
extern const struct cmd_entry cmd_report_entry;
extern const struct cmd_entry cmd_probe_entry;

#endif
