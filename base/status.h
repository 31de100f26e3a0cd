/* status.h - process exit codes, shared by every subcommand.
 *
 * These are part of the command-line contract (documented in the README and
 * the man page). When several outcomes apply, status_merge() picks the one to
 * report: the highest of 5-7, 9 and 130 wins, then 4, then 3.
 */
#ifndef PF_STATUS_H
#define PF_STATUS_H

enum pf_exit {
	PF_EXIT_OK = 0,
	PF_EXIT_RUNTIME = 1,     /* runtime or I/O error */
	PF_EXIT_USAGE = 2,       /* usage, config or input error */
	PF_EXIT_GATE = 3,        /* audit gate failed */
	PF_EXIT_PARTIAL = 4,     /* some items failed after their retries */
	PF_EXIT_BUDGET = 5,      /* stopped by a budget */
	PF_EXIT_QUOTA = 6,       /* stopped: quota exhausted */
	PF_EXIT_AUTH = 7,        /* stopped: authentication failed */
	PF_EXIT_LOCKED = 8,      /* another process is writing the dataset
				  * (build exits at once, naming it) */
	PF_EXIT_UNREACHABLE = 9, /* stopped at the start: no endpoint could
				  * be reached; nothing was marked failed */
	PF_EXIT_UNFINISHED = 10, /* export: the dataset is unfinished and
				  * --partial was not given */
	PF_EXIT_DAMAGED = 11,    /* the dataset file is damaged: a row's
				  * checksum does not match, or SQLite finds
				  * the file corrupt (export, verify) */
	PF_EXIT_BADLINES = 12,   /* an input file the config names has bad
				  * lines, each printed as file:line (the
				  * cqa questions file) */
	PF_EXIT_INTERRUPTED = 130
};

/* Every exit code with a one-line meaning, in code order, for --help
 * (the README and the man page say the same; a test holds them to it). */
struct status_desc {
	int code;
	const char *meaning;
};
extern const struct status_desc status_table[];
extern const int status_ntable;

/* Combine two outcomes into the one to report. */
int status_merge(int a, int b);

#endif
