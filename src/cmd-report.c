/* cmd-report.c - personaforge report: one self-contained HTML file about
 * a dataset (output/report.h), for a researcher deciding whether to
 * publish it. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "base/status.h"
#include "output/dataset.h"
#include "src/cmd.h"
#include "src/report-file.h"

static const struct option long_opts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct report_args {
	const char *db, *out;
	int quiet;
};

/* Parse options into *a. Returns -1 to go on, else an exit code. */
static int
parse_args(int argc, char **argv, struct report_args *a)
{
	const struct cmd_entry *e = &cmd_report_entry;
	int c;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, "o:qh", long_opts, NULL)) != -1) {
		if (c == 'o') {
			a->out = optarg;
		} else if (c == 'q') {
			a->quiet = 1;
		} else if (c == 'h') {
			cmd_usage(e, stdout);
			return PF_EXIT_OK;
		} else {
			return cmd_usage_error(e, "bad option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind + 1 != argc)
		return cmd_usage_error(e, optind >= argc ? "report needs a "
				       "dataset DB" : "too many arguments");
	a->db = argv[optind];
	if (a->out == NULL || *a->out == '\0')
		return cmd_usage_error(e, "report needs -o FILE.html");
	return -1;
}

static int
exec_report(int argc, char **argv)
{
	struct report_args a = { NULL, NULL, 0 };
	struct dataset *ds = NULL;
	int rc;

	if ((rc = parse_args(argc, argv, &a)) >= 0)
		return rc;
	if ((rc = cmd_dataset_read(a.db, &ds)) != 0)
		return rc;
	rc = report_file_write(ds, a.out);
	dataset_close(ds);
	if (rc == 0 && !a.quiet)
		fprintf(stderr, "personaforge: wrote %s\n", a.out);
	return rc;
}

const struct cmd_entry cmd_report_entry = {
	.name = "report",
	.usage = "DB -o FILE.html [-q]",
	.summary = "write one self-contained HTML report of a dataset",
	.help =
	"Options:\n"
	"  -o, --output FILE  the HTML file (replaced atomically)\n"
	"  -q, --quiet        do not say what was written\n"
	"  -h, --help         show this help\n"
	"\n"
	"The report has provenance, counts per table and stage, failed\n"
	"items, each persona attribute against its table (TVD), geography,\n"
	"Big Five histograms, fairness and parity, safety, PII and canary\n"
	"findings, diversity, judge calibration, quarantined rows and sample\n"
	"records; a section whose auditor has not run says so. Inline CSS\n"
	"and SVG only: no script, no network.\n"
	"Exit status: 0 done, 1 read or write error, 2 bad usage, an output\n"
	"that cannot be written, or a missing or unsupported dataset.\n",
	.exec = exec_report,
};
