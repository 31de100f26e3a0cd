/* cmd-verify.c - personaforge verify: is a dataset file intact?
 *
 * SQLite's integrity check, every row's checksum and every journal reply's
 * (output/verify.h), read-only. Each problem is one line on stdout (at
 * most --max of each kind; all are counted), then one summary line.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "base/status.h"
#include "output/dataset.h"
#include "output/verify.h"
#include "src/cmd.h"

#define DEFAULT_MAX 20

struct verify_args {
	const char *db;
	long long max;
	int quiet;
};

static const struct option long_opts[] = {
	{ "max", required_argument, NULL, 'm' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Parse options. Returns -1 to go on, else an exit code. */
static int
parse_args(int argc, char **argv, struct verify_args *a)
{
	int c;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, "hq", long_opts, NULL)) != -1) {
		if (c == 'm' && (a->max = cmd_parse_count(optarg)) < 0)
			return cmd_usage_error(&cmd_verify_entry, "--max needs "
					       "a count, not '%s'", optarg);
		if (c == 'q')
			a->quiet = 1;
		if (c == 'h') {
			cmd_usage(&cmd_verify_entry, stdout);
			return PF_EXIT_OK;
		}
		if (c == '?' || c == ':')
			return cmd_usage_error(&cmd_verify_entry,
				"bad option '%s'", argv[optind - 1]);
	}
	if (optind != argc - 1)
		return cmd_usage_error(&cmd_verify_entry, optind == argc ?
			"verify needs a dataset DB" : "too many arguments");
	a->db = argv[optind];
	return -1;
}

static void
emit(void *ud, const char *line)
{
	printf("%s: damaged: %s\n", (const char *)ud, line);
}

/* The summary line: what was checked and what was found. */
static void
summary(const char *db, const struct verify_report *r)
{
	int64_t rows = 0, bad = 0;
	size_t i, tables = 0;

	for (i = 0; i < dataset_ntables; i++) {
		rows += r->rows[i];
		bad += r->damaged[i];
		tables++;
	}
	printf("%s: %s: integrity_check %s; %" PRId64 " rows in %zu tables, "
	       "%" PRId64 " damaged; %" PRId64 " journal rows, %" PRId64
	       " damaged%s\n", db, verify_ok(r) ? "intact" : "DAMAGED",
	       r->integrity ? "failed" : "ok", rows, tables, bad,
	       r->journal_rows, r->journal_damaged,
	       r->unreadable ? "; some pages could not be read" : "");
}

static int
exec_verify(int argc, char **argv)
{
	struct verify_args a = { NULL, DEFAULT_MAX, 0 };
	struct verify_report r;
	struct dataset *ds = NULL;
	struct pf_error err;
	int rc;

	if ((rc = parse_args(argc, argv, &a)) >= 0)
		return rc;
	pf_error_clear(&err);
	if ((rc = cmd_dataset_read(a.db, &ds)) != 0)
		return rc;
	rc = dataset_verify(ds, a.quiet ? 0 : (size_t)a.max, emit,
			    (void *)a.db, &r, &err);
	dataset_close(ds);
	if (rc != 0) {
		pf_error_print(&err);
		return PF_EXIT_RUNTIME;
	}
	summary(a.db, &r);
	return verify_ok(&r) ? PF_EXIT_OK : PF_EXIT_DAMAGED;
}

const struct cmd_entry cmd_verify_entry = {
	.name = "verify",
	.usage = "DB [--max N] [-q]",
	.summary = "check that a dataset file is intact: pages, indexes, "
		"every row's checksum",
	.help =
	"Runs SQLite's integrity check, then checks every dataset row and\n"
	"every done journal reply against the checksum written with it.\n"
	"Each problem is one line (\"DB: damaged: ...\"), then a summary.\n"
	"Read-only: works on a dataset in a read-only folder.\n"
	"\n"
	"Options:\n"
	"  --max N     list at most N problems of each kind (default 20;\n"
	"              all are counted)\n"
	"  -q, --quiet list no problems, only the summary\n"
	"  -h, --help  show this help\n"
	"\n"
	"Exit status: 0 intact, 11 damaged, 1 read error, 2 bad usage or a\n"
	"missing, unreadable or unsupported dataset.\n",
	.exec = exec_verify,
};
