/* cmd-diff.c - personaforge diff: what changed between two builds.
 *
 * Opens OLD and NEW read-only, compares them (output/diff.h) and prints
 * rows added, removed and changed per table, findings that appeared or
 * went away by auditor and severity, and each audit gate in both, as a
 * table or (--json) one JSON object. Exit 0 whether or not they differ,
 * 3 when NEW fails a gate that OLD passed.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "base/error.h"
#include "base/status.h"
#include "output/dataset.h"
#include "output/diff.h"
#include "src/cmd.h"

struct diff_args {
	const char *old_db, *new_db;
	int json;
};

static const struct option long_opts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Parse options. Returns -1 to go on, else an exit code. */
static int
parse_args(int argc, char **argv, struct diff_args *a)
{
	int c;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		if (c == 'j')
			a->json = 1;
		if (c == 'h') {
			cmd_usage(&cmd_diff_entry, stdout);
			return PF_EXIT_OK;
		}
		if (c == '?' || c == ':')
			return cmd_usage_error(&cmd_diff_entry,
				"bad option '%s'", argv[optind - 1]);
	}
	if (argc - optind != 2)
		return cmd_usage_error(&cmd_diff_entry, argc - optind < 2 ?
			"diff needs two datasets, OLD and NEW" :
			"too many arguments");
	a->old_db = argv[optind];
	a->new_db = argv[optind + 1];
	return -1;
}

static void
print_gate(const struct diff_gate *g)
{
	char o[64], n[64];

	snprintf(o, sizeof(o), g->old_max < 0 ? "no gate" :
		 "%" PRId64 " of at most %" PRId64 ", %s", g->old_hits,
		 g->old_max, g->old_fail ? "fails" : "passes");
	snprintf(n, sizeof(n), g->new_max < 0 ? "no gate" :
		 "%" PRId64 " of at most %" PRId64 ", %s", g->new_hits,
		 g->new_max, g->new_fail ? "fails" : "passes");
	printf("  gate %s (%s and above): OLD %s; NEW %s%s\n", g->auditor,
	       g->severity, o, n, g->new_fail && !g->old_fail ?
	       "; CROSSED" : g->old_fail && !g->new_fail ?
	       "; now passes" : "");
}

static void
print_text(const struct diff_args *a, const struct diff_report *r)
{
	int64_t add = 0, rem = 0, chg = 0;
	size_t i;

	printf("personaforge diff: OLD %s, NEW %s\n", a->old_db, a->new_db);
	printf("  %-22s %8s %8s %8s %8s %8s\n", "rows by table", "old", "new",
	       "added", "removed", "changed");
	for (i = 0; i < r->ntables; i++) {
		const struct diff_table *t = &r->tables[i];

		printf("  %-22s %8" PRId64 " %8" PRId64 " %8" PRId64 " %8"
		       PRId64 " %8" PRId64 "\n", t->name, t->old_rows,
		       t->new_rows, t->added, t->removed, t->changed);
		add += t->added;
		rem += t->removed;
		chg += t->changed;
	}
	if (r->nfindings > 0)
		printf("  %-22s %8s %8s %8s %8s\n", "findings", "old", "new",
		       "appeared", "gone");
	for (i = 0; i < r->nfindings; i++) {
		const struct diff_findings *f = &r->findings[i];
		char name[96];

		snprintf(name, sizeof(name), "%s %s", f->auditor, f->severity);
		printf("  %-22s %8" PRId64 " %8" PRId64 " %8" PRId64 " %8"
		       PRId64 "\n", name, f->old_n, f->new_n, f->appeared,
		       f->went_away);
	}
	for (i = 0; i < r->ngates; i++)
		print_gate(&r->gates[i]);
	printf("personaforge diff: %" PRId64 " rows added, %" PRId64
	       " removed, %" PRId64 " changed; %s\n", add, rem, chg,
	       diff_gate_crossed(r) ? "NEW fails a gate that OLD passed" :
	       "no gate newly failed");
}

static void
add_max(cJSON *o, const char *k, int64_t max)
{
	if (max < 0)
		cJSON_AddNullToObject(o, k);
	else
		cJSON_AddNumberToObject(o, k, (double)max);
}

static cJSON *
gate_json(const struct diff_gate *g)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "auditor", g->auditor);
	cJSON_AddStringToObject(o, "severity", g->severity);
	cJSON_AddNumberToObject(o, "old_findings", (double)g->old_hits);
	add_max(o, "old_max", g->old_max);
	cJSON_AddBoolToObject(o, "old_passes", !g->old_fail);
	cJSON_AddNumberToObject(o, "new_findings", (double)g->new_hits);
	add_max(o, "new_max", g->new_max);
	cJSON_AddBoolToObject(o, "new_passes", !g->new_fail);
	cJSON_AddBoolToObject(o, "crossed", g->new_fail && !g->old_fail);
	return o;
}

/* Every figure of the report as one JSON object; NULL when out of
 * memory. */
static cJSON *
report_json(const struct diff_args *a, const struct diff_report *r)
{
	cJSON *o = cJSON_CreateObject(), *ts, *fs, *gs, *x;
	size_t i;

	cJSON_AddStringToObject(o, "old", a->old_db);
	cJSON_AddStringToObject(o, "new", a->new_db);
	ts = cJSON_AddObjectToObject(o, "tables");
	for (i = 0; i < r->ntables; i++) {
		const struct diff_table *t = &r->tables[i];

		x = cJSON_AddObjectToObject(ts, t->name);
		cJSON_AddNumberToObject(x, "old_rows", (double)t->old_rows);
		cJSON_AddNumberToObject(x, "new_rows", (double)t->new_rows);
		cJSON_AddNumberToObject(x, "added", (double)t->added);
		cJSON_AddNumberToObject(x, "removed", (double)t->removed);
		cJSON_AddNumberToObject(x, "changed", (double)t->changed);
	}
	fs = cJSON_AddArrayToObject(o, "findings");
	for (i = 0; i < r->nfindings; i++) {
		const struct diff_findings *f = &r->findings[i];

		cJSON_AddItemToArray(fs, x = cJSON_CreateObject());
		cJSON_AddStringToObject(x, "auditor", f->auditor);
		cJSON_AddStringToObject(x, "severity", f->severity);
		cJSON_AddNumberToObject(x, "old", (double)f->old_n);
		cJSON_AddNumberToObject(x, "new", (double)f->new_n);
		cJSON_AddNumberToObject(x, "appeared", (double)f->appeared);
		cJSON_AddNumberToObject(x, "went_away", (double)f->went_away);
	}
	gs = cJSON_AddArrayToObject(o, "gates");
	for (i = 0; i < r->ngates; i++)
		cJSON_AddItemToArray(gs, gate_json(&r->gates[i]));
	cJSON_AddBoolToObject(o, "gate_crossed", diff_gate_crossed(r));
	return o;
}

static int
print_json(const struct diff_args *a, const struct diff_report *r)
{
	cJSON *o = report_json(a, r);
	char *s = o != NULL ? cJSON_Print(o) : NULL;

	cJSON_Delete(o);
	if (s == NULL) {
		fprintf(stderr, "personaforge diff: out of memory\n");
		return -1;
	}
	printf("%s\n", s);
	cJSON_free(s);
	return 0;
}

static int
exec_diff(int argc, char **argv)
{
	static struct diff_report r;
	struct diff_args a = { NULL, NULL, 0 };
	struct dataset *old = NULL, *new = NULL;
	struct pf_error err;
	int rc;

	if ((rc = parse_args(argc, argv, &a)) >= 0)
		return rc;
	pf_error_clear(&err);
	if ((rc = cmd_dataset_read(a.old_db, &old)) != 0 ||
	    (rc = cmd_dataset_read(a.new_db, &new)) != 0) {
		dataset_close(old);
		return rc;
	}
	rc = dataset_diff(old, new, &r, &err);
	dataset_close(old);
	dataset_close(new);
	if (rc != 0) {
		pf_error_print(&err);
		return PF_EXIT_RUNTIME;
	}
	if (a.json ? print_json(&a, &r) != 0 : (print_text(&a, &r), 0))
		return PF_EXIT_RUNTIME;
	return diff_gate_crossed(&r) ? PF_EXIT_GATE : PF_EXIT_OK;
}

const struct cmd_entry cmd_diff_entry = {
	.name = "diff",
	.usage = "OLD.db NEW.db [--json]",
	.summary = "what changed between two builds: rows per table, "
		"findings, gates",
	.help =
	"Compares two datasets, read-only: per table the rows only in OLD\n"
	"(removed), only in NEW (added) and in both with other content or\n"
	"quarantine (changed), matched by id and compared by checksum; the\n"
	"audit findings by auditor and severity, with those that appeared\n"
	"and went away; and each audit gate of either config, counted in\n"
	"both.\n"
	"\n"
	"Options:\n"
	"  --json      one JSON object instead of the table\n"
	"  -h, --help  show this help\n"
	"\n"
	"Exit status: 0 whether or not they differ, 3 when NEW fails a gate\n"
	"that OLD passed, 1 read error, 2 bad usage or a missing, unreadable\n"
	"or unsupported dataset.\n",
	.exec = exec_diff,
};
