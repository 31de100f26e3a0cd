/* cmd-export.c - personaforge export: write a dataset as XML (one file,
 * valid against personaforge.xsd) or JSONL (a directory of files), and
 * say on stderr what was written (unless -q).
 *
 * A missing, unreadable or wrong-version dataset, bad options and an
 * output path that cannot be written exit 2 (as build does); an
 * unfinished dataset exits 10 unless --partial; a failed write exits 1
 * and leaves the previous output in place.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>

#include "base/error.h"
#include "base/status.h"
#include "base/suggest.h"
#include "output/card.h"
#include "output/complete.h"
#include "output/dataset.h"
#include "output/jsonl.h"
#include "output/sepqa.h"
#include "output/xml.h"
#include "src/cmd.h"
#include "src/out-path.h"

#include <inttypes.h>

struct export_args {
	const char *db;
	const char *format;    /* one of formats[] */
	const char *out;       /* XML file or output directory */
	unsigned opts;         /* enum export_opt bits */
	int quiet;
};

enum { O_QUARANTINED = 256, O_PARTIAL };

static const struct option long_opts[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "include-quarantined", no_argument, NULL, O_QUARANTINED },
	{ "partial", no_argument, NULL, O_PARTIAL },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const char *const formats[] = { "xml", "jsonl", "sepqa", NULL };

/* The usage error for --format F, with a "did you mean". */
static int
unknown_format(const struct cmd_entry *e, const char *f)
{
	const char *near = suggest_closest(f, formats);

	return cmd_usage_error(e, "unknown format '%s'%s%s%s (use xml, jsonl "
			       "or sepqa)", f, near ? " (did you mean '" : "",
			       near ? near : "", near ? "'?)" : "");
}

static int
known_format(const char *f)
{
	size_t i;

	for (i = 0; formats[i] != NULL; i++)
		if (strcmp(formats[i], f) == 0)
			return 1;
	return 0;
}

/* Parse options into *a. Returns -1 to go on, else an exit code (0 after
 * --help). */
static int
parse_args(int argc, char **argv, struct export_args *a)
{
	const struct cmd_entry *e = &cmd_export_entry;
	int c;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, "f:o:qh", long_opts, NULL)) != -1) {
		switch (c) {
		case 'f': a->format = optarg; break;
		case 'o': a->out = optarg; break;
		case 'q': a->quiet = 1; break;
		case O_QUARANTINED: a->opts |= EXPORT_QUARANTINED; break;
		case O_PARTIAL: a->opts |= EXPORT_PARTIAL; break;
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
		return cmd_usage_error(e, "export needs --format "
				       "xml|jsonl|sepqa");
	if (!known_format(a->format))
		return unknown_format(e, a->format);
	if (a->out == NULL || *a->out == '\0')
		return cmd_usage_error(e, "export needs -o PATH");
	return -1;
}

/* Refuse an unfinished dataset unless --partial; say how far it got.
 * --partial of a finished dataset is dropped: the export is whole.
 * Returns -1 to go on, else an exit code. */
static int
check_finished(struct dataset *ds, struct export_args *a)
{
	struct dataset_progress p;
	struct pf_error err;

	pf_error_clear(&err);
	if (dataset_progress_read(ds, &p, &err) != 0) {
		pf_error_print(&err);
		return PF_EXIT_RUNTIME;
	}
	if (dataset_progress_finished(&p)) {
		a->opts &= ~(unsigned)EXPORT_PARTIAL;  /* nothing left out */
		return -1;
	}
	if (!(a->opts & EXPORT_PARTIAL)) {
		fprintf(stderr, "personaforge: %s: unfinished dataset: %" PRId64
			" of %" PRId64 " personas complete (%" PRId64 " items "
			"not done); run its build again to finish it, or "
			"export with --partial to write the complete personas "
			"only\n", a->db, p.complete, p.expected, p.undone);
		return PF_EXIT_UNFINISHED;
	}
	if (!a->quiet)
		fprintf(stderr, "personaforge: %s: partial export: %" PRId64
			" of %" PRId64 " personas complete\n", a->db,
			p.complete, p.expected);
	return -1;
}

/* "N rows" of every table written into file (NULL: the one XML file). */
static void
print_counts(const struct export_counts *n, const char *file)
{
	const struct dataset_table *t;
	const char *sep = "";
	size_t i;

	for (i = 0; i < dataset_ntables; i++) {
		t = &dataset_tables[i];
		if (t->role == DATASET_SUB || (file != NULL && (t->jsonl ?
		    strcmp(t->jsonl, file) : t->role != DATASET_ONE ||
		    strcmp(file, dataset_table_role(DATASET_PERSONAS)->jsonl))))
			continue;
		fprintf(stderr, "%s%" PRIu64 " %s", sep, n->rows[i],
			t->stats ? t->stats : t->name);
		sep = ", ";
	}
}

/* What was written, one line per file. */
static void
print_written(const struct export_args *a, const struct export_counts *n)
{
	size_t i;

	if (strcmp(a->format, "xml") == 0) {
		fprintf(stderr, "personaforge: wrote %s (", a->out);
		print_counts(n, NULL);
		fprintf(stderr, ")\n");
		return;
	}
	for (i = 0; i < dataset_ntables; i++) {
		if (dataset_tables[i].jsonl == NULL)
			continue;
		fprintf(stderr, "personaforge: wrote %s/%s (", a->out,
			dataset_tables[i].jsonl);
		print_counts(n, dataset_tables[i].jsonl);
		fprintf(stderr, ")\n");
	}
	fprintf(stderr, "personaforge: wrote %s/%s (dataset card)\n", a->out,
		CARD_FILE);
}

/* The sepqa export (output/sepqa.h), saying what it wrote. */
static int
export_sepqa(struct dataset *ds, const struct export_args *a,
	     struct export_counts *counts, struct pf_error *err)
{
	struct sepqa_counts c;
	int rc = sepqa_export_write(ds, a->out, a->opts, &c, err);

	counts->damaged = c.damaged;
	if (rc == 0 && !a->quiet)
		fprintf(stderr, "personaforge: wrote %s: %" PRIu64 " question "
			"files, answer_collection.json (%" PRIu64 " answers), "
			"train/data_pers.jsonl, train/bm25_run.json; %" PRIu64
			" questions left out (no base answers or no tags)\n",
			a->out, c.questions, c.answers, c.skipped);
	return rc;
}

static int
exec_export(int argc, char **argv)
{
	struct export_args a = { NULL, NULL, NULL, 0, 0 };
	struct export_counts counts;
	struct dataset *ds = NULL;
	struct pf_error err;
	int rc;

	rc = parse_args(argc, argv, &a);
	if (rc >= 0)
		return rc;
	memset(&counts, 0, sizeof(counts));
	pf_error_clear(&err);
	if (dataset_open(a.db, DATASET_READ, &ds, &err) != 0) {
		pf_error_print(&err);
		return PF_EXIT_USAGE;
	}
	if ((rc = check_finished(ds, &a)) >= 0 ||
	    (rc = out_path_check(a.out)) != 0) {
		dataset_close(ds);
		return rc;
	}
	LIBXML_TEST_VERSION
	if (strcmp(a.format, "sepqa") == 0)
		rc = export_sepqa(ds, &a, &counts, &err);
	else if (strcmp(a.format, "xml") == 0)
		rc = xml_export_write(ds, a.out, a.opts, &counts, &err);
	else
		rc = jsonl_export_write(ds, a.out, a.opts, &counts, &err);
	if (rc != 0)
		pf_error_print(&err);
	else if (!a.quiet && strcmp(a.format, "sepqa") != 0)
		print_written(&a, &counts);
	dataset_close(ds);
	xmlCleanupParser();
	if (rc == 0)
		return PF_EXIT_OK;
	return counts.damaged ? PF_EXIT_DAMAGED : PF_EXIT_RUNTIME;
}

const struct cmd_entry cmd_export_entry = {
	.name = "export",
	.usage = "DB --format xml|jsonl|sepqa -o PATH [--include-quarantined] "
		 "[--partial] [-q]",
	.summary = "export a dataset as XML or as JSONL files",
	.help =
	"Options:\n"
	"  -f, --format FMT       xml: one file, valid against\n"
	"                         " PKGDATADIR "/personaforge.xsd;\n"
	"                         jsonl: a directory with one .jsonl file\n"
	"                         per record type, provenance.json and\n"
	"                         README.md, a Hugging Face dataset card;\n"
	"                         sepqa: the community QA as SE-PQA and\n"
	"                         Sy-SE-PQA read it (a directory: one\n"
	"                         file per question, answer_collection.json,\n"
	"                         train/data_pers.jsonl, train/bm25_run.json)\n"
	"  -o, --output PATH      the XML file, or the output directory\n"
	"                         (created if missing)\n"
	"  --include-quarantined  also export quarantined rows, marked\n"
	"                         quarantined=\"true\"\n"
	"  --partial              export an unfinished dataset: only its\n"
	"                         complete personas, marked partial\n"
	"                         (partial=\"true\" on the XML root,\n"
	"                         \"partial\": true in provenance.json)\n"
	"  -q, --quiet            do not list what was written\n"
	"  -h, --help             show this help\n"
	"\n"
	"Outputs are replaced atomically; the same dataset always gives the\n"
	"same bytes; each file written is listed on stderr with its records.\n"
	"Exit status: 0 done, 1 write error, 2 bad usage, an output path\n"
	"that cannot be written, or a missing, unreadable or unsupported\n"
	"dataset, 10 an unfinished dataset (some personas not complete)\n"
	"without --partial. See personaforge(1).\n",
	.exec = exec_export,
};
