/* cmd-template.c - personaforge template render: render one Mustache
 * template with a JSON data file and print the result, so template
 * authors can check their work without running a build.
 *
 * Every bad input (missing file, template syntax, data syntax, partial
 * errors) is reported as "personaforge: FILE[:LINE:COL]: msg" and exits 2.
 * A variable with no value in the data is warned about with its line and
 * column (once per tag); --strict makes that an error (exit 2, nothing
 * printed on stdout).
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/json.h"
#include "base/status.h"
#include "src/cmd.h"
#include "templates/mustache.h"

#define INPUT_MAX ((size_t)16 << 20)  /* template and data files */

struct render_args {
	const char *file;      /* template */
	const char *data;      /* JSON data file */
	const char *partials;  /* partials dir, NULL = the template's dir */
	int strict;            /* a missing variable is an error */
};

/* The missing-variable tags reported so far (each tag once). */
struct missing {
	int strict;
	size_t n;
	char seen[256][64];    /* "line:col:file"; past 256, no dedupe */
};

static const struct option long_opts[] = {
	{ "data", required_argument, NULL, 'd' },
	{ "partials", required_argument, NULL, 'p' },
	{ "strict", no_argument, NULL, 's' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Parse `render` options into *a. Returns -1 to go on, else an exit code
 * (0 after --help). */
static int
parse_args(int argc, char **argv, struct render_args *a)
{
	int c;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, "d:p:h", long_opts, NULL)) != -1) {
		switch (c) {
		case 'd': a->data = optarg; break;
		case 'p': a->partials = optarg; break;
		case 's': a->strict = 1; break;
		case 'h':
			cmd_usage(&cmd_template_entry, stdout);
			return PF_EXIT_OK;
		default:
			return cmd_usage_error(&cmd_template_entry,
				"bad option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cmd_usage_error(&cmd_template_entry,
				       "render needs a template FILE");
	if (optind + 1 < argc)
		return cmd_usage_error(&cmd_template_entry,
				       "unexpected argument '%s'",
				       argv[optind + 1]);
	if (a->data == NULL)
		return cmd_usage_error(&cmd_template_entry,
				       "render needs --data DATA.json");
	a->file = argv[optind];
	return -1;
}

static int
file_error(const char *path, const char *msg, int line, int col)
{
	struct pf_error e;

	pf_error_clear(&e);
	snprintf(e.file, sizeof(e.file), "%s", path);
	snprintf(e.msg, sizeof(e.msg), "%s", msg);
	e.line = line;
	e.col = col;
	pf_error_print(&e);
	return PF_EXIT_USAGE;
}

/* Compile the template and parse the data; on failure report and return
 * the exit code, else -1. */
static int
load(const struct render_args *a, struct mustache **t, cJSON **data)
{
	struct json_error jerr;
	struct pf_error err;
	char *text;
	size_t len;
	int rc;

	if (file_read_all(a->file, INPUT_MAX, &text, &len) != 0)
		return file_error(a->file, strerror(errno), 0, 0);
	rc = mustache_compile(text, len, a->file, t, &err);
	free(text);
	if (rc != 0) {
		pf_error_print(&err);
		return PF_EXIT_USAGE;
	}
	if (json_parse_file(a->data, INPUT_MAX, data, &jerr) != 0)
		return file_error(a->data, jerr.msg, jerr.line, jerr.col);
	return -1;
}

/* mustache_missing_fn: warn (or, strict, report an error) once per tag. */
static void
on_missing(void *ud, const char *file, int line, int col, const char *name)
{
	struct missing *m = ud;
	char key[64];
	size_t i;

	snprintf(key, sizeof(key), "%d:%d:%s", line, col, file);
	for (i = 0; i < m->n && i < 256; i++)
		if (strcmp(m->seen[i], key) == 0)
			return;
	if (m->n < 256)
		memcpy(m->seen[m->n], key, sizeof(key));
	m->n++;
	fprintf(stderr, "personaforge: %s:%d:%d: %s: no value for '%s' in "
		"the data\n", file, line, col, m->strict ? "error" : "warning",
		name);
}

/* The directory part of `path` ("." when there is none), malloc'd. */
static char *
dir_of(const char *path)
{
	char *copy = strdup(path), *dir = NULL;

	if (copy != NULL)
		dir = strdup(dirname(copy));
	free(copy);
	return dir;
}

static int
render(const struct render_args *a)
{
	struct mustache *t = NULL;
	struct missing *m = calloc(1, sizeof(*m));
	struct pf_error err;
	cJSON *data = NULL;
	char *dir = NULL;
	struct buf out;
	int rc;

	buf_init(&out, BUF_MAX_DEFAULT);
	rc = load(a, &t, &data);
	if (rc >= 0)
		goto done;
	dir = a->partials ? strdup(a->partials) : dir_of(a->file);
	rc = PF_EXIT_RUNTIME;
	if (dir == NULL || m == NULL)
		goto done;
	m->strict = a->strict;
	if (mustache_render_checked(t, data, MUSTACHE_ESCAPE_HTML,
				    mustache_partials_from_dir, dir,
				    on_missing, m, &out, &err) != 0) {
		pf_error_print(&err);
		rc = PF_EXIT_USAGE;
		goto done;
	}
	rc = PF_EXIT_USAGE;
	if (a->strict && m->n > 0)
		goto done;
	if (fwrite(out.data ? out.data : "", 1, out.len, stdout) != out.len ||
	    fflush(stdout) != 0) {
		fprintf(stderr, "personaforge: writing output: %s\n",
			strerror(errno));
		goto done;
	}
	rc = PF_EXIT_OK;
done:
	buf_free(&out);
	free(m);
	free(dir);
	cJSON_Delete(data);
	mustache_free(t);
	return rc;
}

static int
exec_template(int argc, char **argv)
{
	struct render_args a = { NULL, NULL, NULL, 0 };
	int rc;

	if (argc < 2)
		return cmd_usage_error(&cmd_template_entry,
				       "missing subcommand");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		cmd_usage(&cmd_template_entry, stdout);
		return PF_EXIT_OK;
	}
	if (strcmp(argv[1], "render") != 0)
		return cmd_usage_error(&cmd_template_entry,
				       "unknown subcommand '%s'", argv[1]);
	rc = parse_args(argc - 1, argv + 1, &a);
	return rc >= 0 ? rc : render(&a);
}

const struct cmd_entry cmd_template_entry = {
	.name = "template",
	.usage = "render FILE --data DATA.json [--partials DIR] [--strict]",
	.summary = "render a Mustache template with JSON data",
	.help =
	"Render FILE (a Mustache template) with DATA.json as its context and\n"
	"print the result. {{x}} is HTML-escaped as the Mustache spec says;\n"
	"{{{x}}} and {{&x}} are not.\n"
	"\n"
	"Options:\n"
	"  -d, --data FILE      the JSON data (required)\n"
	"  -p, --partials DIR   where {{>name}} finds name.mustache\n"
	"                       (default: the directory of FILE)\n"
	"      --strict         a variable with no value in the data is an\n"
	"                       error (without it: a warning on stderr)\n"
	"  -h, --help           show this help\n"
	"\n"
	"Each variable with no value in the data is reported as\n"
	"FILE:LINE:COL: warning: no value for 'name' in the data.\n"
	"\n"
	"Exit status: 0 ok, 1 I/O error, 2 usage error or bad template,\n"
	"partial or data (reported as FILE:LINE:COL: message), or a missing\n"
	"variable with --strict.\n",
	.exec = exec_template,
};
