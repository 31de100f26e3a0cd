/* cmd-export.c - personaforge export: write a dataset as XML (one file,
 * valid against personaforge.xsd) or JSONL (a directory of files), and
 * say on stderr what was written (unless -q).
 *
 * A missing, unreadable or wrong-version dataset, bad options and an
 * output path that cannot be written exit 2 (as build does); an
 * unfinished dataset exits 10 unless --partial; a failed write exits 1
 * and leaves the previous output in place.
 */
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <getopt.h>
#include <stdlib.h>
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
#include "output/personabench.h"
#include "output/personamem.h"
#include "output/fewshot.h"
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
	struct fewshot_opts fs;   /* --shots, --rat, --human-share */
	int fs_set;            /* one of them was given */
};

enum { O_QUARANTINED = 256, O_PARTIAL, O_SHOTS, O_RAT, O_HUMAN };

static const struct option long_opts[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "include-quarantined", no_argument, NULL, O_QUARANTINED },
	{ "partial", no_argument, NULL, O_PARTIAL },
	{ "shots", required_argument, NULL, O_SHOTS },
	{ "rat", no_argument, NULL, O_RAT },
	{ "human-share", required_argument, NULL, O_HUMAN },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const char *const formats[] = { "xml", "jsonl", "sepqa", "fewshot",
	"personabench", "personamem", NULL };

/* The usage error for --format F, with a "did you mean". */
static int
unknown_format(const struct cmd_entry *e, const char *f)
{
	const char *near = suggest_closest(f, formats);

	return cmd_usage_error(e, "unknown format '%s'%s%s%s (use xml, jsonl, "
			       "sepqa, fewshot, personabench or personamem)", f, near ? " (did you mean '" : "",
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

/* --shots N (0..FEWSHOT_MAX_SHOTS) or --human-share F (0..1) into a->fs.
 * Returns 0, or the usage error's exit code. */
static int
fewshot_number(const struct cmd_entry *e, int opt, const char *v,
	       struct export_args *a)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(v, &end);
	a->fs_set = 1;
	if (opt == O_SHOTS && (errno || *end != '\0' || end == v ||
	    d != (int)d || d < 0 || d > FEWSHOT_MAX_SHOTS))
		return cmd_usage_error(e, "--shots wants an integer from 0 "
				       "to %d, not '%s'", FEWSHOT_MAX_SHOTS,
				       v);
	if (opt == O_HUMAN && (errno || *end != '\0' || end == v || d < 0 ||
	    d > 1))
		return cmd_usage_error(e, "--human-share wants a number from "
				       "0 to 1, not '%s'", v);
	if (opt == O_SHOTS)
		a->fs.shots = (int)d;
	else
		a->fs.human_share = d;
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
		case O_SHOTS:
		case O_HUMAN:
			if (fewshot_number(e, c, optarg, a) != 0)
				return PF_EXIT_USAGE;
			break;
		case O_RAT: a->fs.rat = 1; a->fs_set = 1; break;
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
				       "xml|jsonl|sepqa|fewshot|personabench|"
				       "personamem");
	if (!known_format(a->format))
		return unknown_format(e, a->format);
	if (a->out == NULL || *a->out == '\0')
		return cmd_usage_error(e, "export needs -o PATH");
	if (a->fs_set && strcmp(a->format, "fewshot") != 0)
		return cmd_usage_error(e, "--shots, --rat and --human-share "
				       "go with --format fewshot");
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

/* The fewshot export (output/fewshot.h), saying what it wrote. */
static int
export_fewshot(struct dataset *ds, struct export_args *a,
	       struct export_counts *counts, struct pf_error *err)
{
	struct fewshot_counts c;
	int rc;

	a->fs.export_opts = a->opts;
	rc = fewshot_export_write(ds, a->out, &a->fs, &c, err);
	counts->damaged = c.damaged;
	if (rc == 0 && !a->quiet)
		fprintf(stderr, "personaforge: wrote %s: rows.jsonl (%" PRIu64
			" labelled pairs; %" PRIu64 " ties and abstentions "
			"left out), episodes.jsonl (%" PRIu64 " episodes of "
			"%d shots from %" PRIu64 " users), needs_human.jsonl "
			"(%" PRIu64 " pairs)\n", a->out, c.rows,
			c.unlabelled, c.episodes, a->fs.shots, c.users,
			c.needs_human);
	return rc;
}

/* personabench writes a whole tree whose communities the authors' eval
 * lists, personamem a pair of files whose tag depends on the contexts:
 * an existing non-empty directory would mix in stale ones, so it is
 * refused (exit 2) before anything is written. `what` names the
 * export in the message. */
static int
dir_free(const char *dir, const char *what)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	int used = 0;

	if (stat(dir, &st) != 0)
		return 0;
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "personaforge: %s: exists and is not a "
			"directory\n", dir);
		return PF_EXIT_USAGE;
	}
	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "personaforge: %s: cannot read the output "
			"directory: %s\n", dir, strerror(errno));
		return PF_EXIT_USAGE;
	}
	while (!used && (e = readdir(d)) != NULL)
		used = strcmp(e->d_name, ".") != 0 &&
		       strcmp(e->d_name, "..") != 0;
	closedir(d);
	if (!used)
		return 0;
	fprintf(stderr, "personaforge: %s: the output directory exists and "
		"is not empty (a %s export is written into a new or empty "
		"directory)\n", dir, what);
	return PF_EXIT_USAGE;
}

/* The personabench export (output/personabench.h), saying what it
 * wrote. */
static int
export_personabench(struct dataset *ds, const struct export_args *a,
		    struct export_counts *counts, struct pf_error *err)
{
	struct pb_counts c;
	int rc = personabench_export_write(ds, a->out, a->opts, &c, err);

	counts->damaged = c.damaged;
	if (rc == 0 && !a->quiet)
		fprintf(stderr, "personaforge: wrote %s: %" PRIu64
			" communities, %" PRIu64 " personas, %" PRIu64
			" sessions at noise %.1f, %" PRIu64 " QA; %" PRIu64
			" QA left out (evidence only in document types "
			"PersonaBench does not have, %" PRIu64 " documents "
			"not exported)\n", a->out, c.communities, c.personas,
			c.sessions, c.noise, c.qa, c.qa_left_out,
			c.docs_left_out);
	return rc;
}

/* The personamem export (output/personamem.h), saying what it wrote. */
static int
export_personamem(struct dataset *ds, const struct export_args *a,
		  struct export_counts *counts, struct pf_error *err)
{
	struct pm_counts c;
	int rc = personamem_export_write(ds, a->out, a->opts, &c, err);

	counts->damaged = c.damaged;
	if (rc == 0 && !a->quiet)
		fprintf(stderr, "personaforge: wrote %s: questions_%s.csv (%"
			PRIu64 " questions), shared_contexts_%s.jsonl (%"
			PRIu64 " contexts, %" PRIu64 " messages, the longest "
			"%" PRId64 " tokens); %" PRIu64 " questions left out "
			"(their session is not exported)\n", a->out, c.tag,
			c.questions, c.tag, c.personas, c.messages,
			c.max_tokens, c.left_out);
	return rc;
}

static int
exec_export(int argc, char **argv)
{
	struct export_args a = { NULL, NULL, NULL, 0, 0,
				 { 8, 0, -1, 0 }, 0 };
	struct export_counts counts;
	struct dataset *ds = NULL;
	struct pf_error err;
	int rc;

	rc = parse_args(argc, argv, &a);
	if (rc >= 0)
		return rc;
	memset(&counts, 0, sizeof(counts));
	pf_error_clear(&err);
	if ((rc = cmd_dataset_read(a.db, &ds)) != 0)
		return rc;
	if ((rc = check_finished(ds, &a)) >= 0 ||
	    (rc = out_path_check(a.out)) != 0 ||
	    (strcmp(a.format, "personabench") == 0 &&
	     (rc = dir_free(a.out, "PersonaBench")) != 0) ||
	    (strcmp(a.format, "personamem") == 0 &&
	     (rc = dir_free(a.out, "PersonaMem")) != 0)) {
		dataset_close(ds);
		return rc;
	}
	LIBXML_TEST_VERSION
	if (strcmp(a.format, "sepqa") == 0)
		rc = export_sepqa(ds, &a, &counts, &err);
	else if (strcmp(a.format, "fewshot") == 0)
		rc = export_fewshot(ds, &a, &counts, &err);
	else if (strcmp(a.format, "personabench") == 0)
		rc = export_personabench(ds, &a, &counts, &err);
	else if (strcmp(a.format, "personamem") == 0)
		rc = export_personamem(ds, &a, &counts, &err);
	else if (strcmp(a.format, "xml") == 0)
		rc = xml_export_write(ds, a.out, a.opts, &counts, &err);
	else
		rc = jsonl_export_write(ds, a.out, a.opts, &counts, &err);
	if (rc != 0)
		pf_error_print(&err);
	else if (!a.quiet && (strcmp(a.format, "xml") == 0 ||
			      strcmp(a.format, "jsonl") == 0))
		print_written(&a, &counts);
	dataset_close(ds);
	xmlCleanupParser();
	if (rc == 0)
		return PF_EXIT_OK;
	return counts.damaged ? PF_EXIT_DAMAGED : PF_EXIT_RUNTIME;
}

const struct cmd_entry cmd_export_entry = {
	.name = "export",
	.usage = "DB --format xml|jsonl|sepqa|fewshot|personabench|personamem "
		 "-o PATH "
		 "[--shots N] [--rat] [--human-share F] [--include-quarantined] "
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
	"                         train/data_pers.jsonl, train/bm25_run.json);\n"
	"                         fewshot: the labelled preference pairs as\n"
	"                         FSPO reads them (rows.jsonl), its N-shot\n"
	"                         episodes (episodes.jsonl) and the pairs\n"
	"                         that need a human (needs_human.jsonl);\n"
	"                         personabench: the private documents and\n"
	"                         QA as PersonaBench's evaluation reads them\n"
	"                         (a new or empty directory: synthetic_data/\n"
	"                         community_K/{eval_info,private_data}/...)\n"
	"                         personamem: the multiple-choice items and\n"
	"                         the sessions as PersonaMem's inference\n"
	"                         script reads them (a new or empty\n"
	"                         directory: questions_TAG.csv and\n"
	"                         shared_contexts_TAG.jsonl, TAG 32k, 128k\n"
	"                         or 1M)\n"
	"  -o, --output PATH      the XML file, or the output directory\n"
	"                         (created if missing)\n"
	"  --shots N              fewshot: shots per episode (default 8)\n"
	"  --rat                  fewshot: a user description before both\n"
	"                         targets\n"
	"  --human-share F        fewshot: share of pairs, highest BPDE\n"
	"                         first, in needs_human.jsonl (default:\n"
	"                         $.stages.preferences.human_share, 0.2)\n"
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
