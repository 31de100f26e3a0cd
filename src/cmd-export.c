/* cmd-export.c - personaforge export: write a dataset as XML (one file,
 * valid against personaforge.xsd) or JSONL (a directory of files).
 *
 * A missing, unreadable or wrong-version dataset and bad options exit 2;
 * a failed write exits 1 and leaves the previous output in place.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>

#include "base/error.h"
#include "base/status.h"
#include "output/dataset.h"
#include "output/jsonl.h"
#include "output/xml.h"
#include "src/cmd.h"

struct export_args {
	const char *db;
	const char *format;    /* "xml" or "jsonl" */
	const char *out;       /* XML file or JSONL directory */
	int include_quarantined;
};

static const struct option long_opts[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "include-quarantined", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Parse options into *a. Returns -1 to go on, else an exit code (0 after
 * --help). */
static int
parse_args(int argc, char **argv, struct export_args *a)
{
	const struct cmd_entry *e = &cmd_export_entry;
	int c;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, "f:o:h", long_opts, NULL)) != -1) {
		switch (c) {
		case 'f': a->format = optarg; break;
		case 'o': a->out = optarg; break;
		case 'q': a->include_quarantined = 1; break;
		case 'h':
			cmd_usage(e, stdout);
			return PF_EXIT_OK;
		default:
			return cmd_usage_error(e, "bad option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cmd_usage_error(e, "export needs a dataset DB");
	if (optind + 1 < argc)
		return cmd_usage_error(e, "unexpected argument '%s'",
				       argv[optind + 1]);
	a->db = argv[optind];
	if (a->format == NULL)
		return cmd_usage_error(e, "export needs --format xml|jsonl");
	if (strcmp(a->format, "xml") != 0 && strcmp(a->format, "jsonl") != 0)
		return cmd_usage_error(e, "unknown format '%s' (use xml or "
				       "jsonl)", a->format);
	if (a->out == NULL || *a->out == '\0')
		return cmd_usage_error(e, "export needs -o PATH");
	return -1;
}

static int
exec_export(int argc, char **argv)
{
	struct export_args a = { NULL, NULL, NULL, 0 };
	struct dataset *ds = NULL;
	struct pf_error err;
	int rc;

	rc = parse_args(argc, argv, &a);
	if (rc >= 0)
		return rc;
	pf_error_clear(&err);
	if (dataset_open(a.db, DATASET_READ, &ds, &err) != 0) {
		pf_error_print(&err);
		return PF_EXIT_USAGE;
	}
	LIBXML_TEST_VERSION
	if (strcmp(a.format, "xml") == 0)
		rc = xml_export_write(ds, a.out, a.include_quarantined, &err);
	else
		rc = jsonl_export_write(ds, a.out, a.include_quarantined,
					&err);
	if (rc != 0)
		pf_error_print(&err);
	dataset_close(ds);
	xmlCleanupParser();
	return rc == 0 ? PF_EXIT_OK : PF_EXIT_RUNTIME;
}

const struct cmd_entry cmd_export_entry = {
	.name = "export",
	.usage = "DB --format xml|jsonl -o PATH [--include-quarantined]",
	.summary = "export a dataset as XML or as JSONL files",
	.help =
	"Options:\n"
	"  -f, --format FMT       xml: one file, valid against\n"
	"                         " PKGDATADIR "/personaforge.xsd;\n"
	"                         jsonl: a directory with one .jsonl file\n"
	"                         per record type and provenance.json\n"
	"  -o, --output PATH      the XML file, or the JSONL directory\n"
	"                         (created if missing)\n"
	"  --include-quarantined  also export quarantined rows, marked\n"
	"                         quarantined=\"true\"\n"
	"  -h, --help             show this help\n"
	"\n"
	"Outputs are replaced atomically; the same dataset always gives the\n"
	"same bytes. Exit status: 0 done, 1 write error, 2 bad usage or a\n"
	"missing, unreadable or unsupported dataset.\n",
	.exec = exec_export,
};
