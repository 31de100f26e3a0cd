/* cmd-metrics.c - personaforge metrics: fairness measures of data that is
 * not a dataset.
 *
 * `metrics exposure --input TOPK.jsonl --items N` reads top-k lists, one
 * JSON array of item ids 1..N a line (every list of one length k, no
 * repeats within a list), and prints one JSON object with the fifteen
 * individual item fairness measures of auditors/exposure.h under the
 * keys of the authors' code, undefined ones as null. Lists are ranked
 * (their order is the ranking) unless --unordered. Bad input stops at the
 * first bad line with exit 2, naming the file and the line.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditors/exposure.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/json.h"
#include "base/lines.h"
#include "base/status.h"
#include "src/cmd.h"

#define LINE_MAX_BYTES ((size_t)1 << 20)   /* one list's line */

struct metrics_args {
	const char *what, *input;
	long long items;
	int unordered;
};

static const struct option long_opts[] = {
	{ "input", required_argument, NULL, 'i' },
	{ "items", required_argument, NULL, 'n' },
	{ "unordered", no_argument, NULL, 'u' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int
parse_args(int argc, char **argv, struct metrics_args *a)
{
	int c;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		if (c == 'i') {
			a->input = optarg;
		} else if (c == 'n') {
			if ((a->items = cmd_parse_count(optarg)) < 1)
				return cmd_usage_error(&cmd_metrics_entry,
					"--items needs a positive count, not "
					"'%s'", optarg);
		} else if (c == 'u') {
			a->unordered = 1;
		} else if (c == 'h') {
			cmd_usage(&cmd_metrics_entry, stdout);
			return PF_EXIT_OK;
		} else {
			return cmd_usage_error(&cmd_metrics_entry,
				"bad option '%s'", argv[optind - 1]);
		}
	}
	if (optind + 1 != argc)
		return cmd_usage_error(&cmd_metrics_entry, optind >= argc ?
			"metrics needs a measure: exposure" :
			"too many arguments");
	a->what = argv[optind];
	if (strcmp(a->what, "exposure") != 0)
		return cmd_usage_error(&cmd_metrics_entry, "unknown measure "
				       "'%s' (there is: exposure)", a->what);
	if (a->input == NULL || a->items == 0)
		return cmd_usage_error(&cmd_metrics_entry, "exposure needs "
				       "--input FILE and --items N");
	return -1;
}

/* The ids of one line's JSON array into ids[] (*k of them). Returns 0,
 * or -1 with err's msg saying what the line is instead. */
static int
parse_list(const struct line *ln, int64_t *ids, size_t *k,
	   struct pf_error *err)
{
	struct json_error je;
	const cJSON *it;
	cJSON *root;
	size_t n = 0;
	int rc = 0;

	if (json_parse(ln->text, ln->len, &root, &je) != 0)
		return pf_error_set(err, "not JSON: %s", je.msg);
	if (!cJSON_IsArray(root)) {
		cJSON_Delete(root);
		*k = 0;
		return pf_error_set(err, "not a JSON array of item ids");
	}
	cJSON_ArrayForEach(it, root) {
		if (n == EXPOSURE_MAX_K) {
			rc = pf_error_set(err, "more than %d items in a list",
					  EXPOSURE_MAX_K);
			break;
		}
		if (!cJSON_IsNumber(it) || it->valuedouble != (double)
		    (int64_t)it->valuedouble) {
			rc = pf_error_set(err, "item %zu is not an integer id",
					  n + 1);
			break;
		}
		ids[n++] = (int64_t)it->valuedouble;
	}
	cJSON_Delete(root);
	*k = n;
	return rc;
}

/* Add every line of the input to x. Returns 0, or -1 with err naming the
 * file and the bad line. */
static int
read_lists(const char *path, struct exposure *x, struct pf_error *err)
{
	static int64_t ids[EXPOSURE_MAX_K];
	enum lines_result r;
	struct lines *l;
	struct line ln;
	size_t k = 0;
	int rc = 0;

	if (lines_open(path, LINE_MAX_BYTES, &l, err) != 0)
		return -1;
	while (rc == 0 && (r = lines_next(l, &ln, err)) != LINES_END) {
		if (r == LINES_ERROR) {
			rc = -1;
			break;
		}
		if (r == LINES_LONG)
			rc = pf_error_set(err, "a line of %zu bytes (at most "
					  "%zu)", ln.len, LINE_MAX_BYTES);
		else if (parse_list(&ln, ids, &k, err) != 0 ||
			 exposure_add(x, ids, k, err) != 0)
			rc = -1;
		if (rc != 0) {
			snprintf(err->file, sizeof(err->file), "%s", path);
			err->line = (int)ln.lineno;
		}
	}
	lines_close(l);
	return rc;
}

/* The measures as one JSON object, in exposure_keys order. */
static int
print_result(const struct exposure_result *res)
{
	struct buf b;
	size_t i;
	int rc;

	buf_init(&b, 1 << 12);
	rc = buf_putc(&b, '{');
	for (i = 0; i < EXPOSURE_NKEYS; i++) {
		rc |= buf_printf(&b, "%s", i ? ", " : "");
		rc |= json_quote(&b, exposure_keys[i],
				 strlen(exposure_keys[i]));
		rc |= res->defined[i] ? buf_printf(&b, ": %.15g",
						   res->value[i])
			: buf_puts(&b, ": null");
	}
	rc |= buf_puts(&b, "}\n");
	if (rc == 0)
		fwrite(b.data, 1, b.len, stdout);
	buf_free(&b);
	return rc == 0 && fflush(stdout) == 0 ? PF_EXIT_OK : PF_EXIT_RUNTIME;
}

static int
exec_metrics(int argc, char **argv)
{
	struct metrics_args a = { NULL, NULL, 0, 0 };
	struct exposure_result res;
	struct exposure x;
	struct pf_error err;
	int rc;

	if ((rc = parse_args(argc, argv, &a)) >= 0)
		return rc;
	pf_error_clear(&err);
	if (exposure_init(&x, a.items, !a.unordered, &err) != 0) {
		pf_error_print(&err);
		return PF_EXIT_USAGE;
	}
	if (read_lists(a.input, &x, &err) != 0) {
		pf_error_print(&err);
		rc = PF_EXIT_USAGE;
	} else if (exposure_compute(&x, &res, &err) != 0) {
		pf_error_print(&err);
		rc = PF_EXIT_RUNTIME;
	} else {
		rc = print_result(&res);
	}
	exposure_free(&x);
	return rc;
}

const struct cmd_entry cmd_metrics_entry = {
	.name = "metrics",
	.usage = "exposure --input TOPK.jsonl --items N [--unordered]",
	.summary = "fairness measures of top-k lists (individual item "
		"exposure)",
	.help =
	"Reads one JSON array of item ids (1..N) a line, every list of the\n"
	"same length k with no repeats, and prints one JSON object with the\n"
	"fifteen measures of Rampisela et al. (2024): Jain_ori, Jain_our,\n"
	"QF_ori, QF_our, Ent_ori, Ent_our, Gini_ori, Gini_our, Gini-w_ori,\n"
	"Gini-w_our, FSat_ori, FSat_our, VoCD_ori, II-D_ori, AI-D_ori.\n"
	"A measure undefined for the given N, lists and k is null.\n"
	"\n"
	"Options:\n"
	"  --input FILE  the lists (\"-\": standard input)\n"
	"  --items N     the catalogue size\n"
	"  --unordered   lists are sets, not rankings (Gini-w, II-D and\n"
	"                AI-D are then null)\n"
	"  -h, --help    show this help\n"
	"\n"
	"Exit status: 0 done, 1 runtime error, 2 bad usage or a bad line\n"
	"(named by file and line number).\n",
	.exec = exec_metrics,
};
