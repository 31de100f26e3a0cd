/* cmd-probe.c - personaforge probe: the counterfactual probe of a
 * dataset's judge and generator (output/probellm.h; issue 20).
 *
 * The config gives the endpoints (or --base-url and --model), the
 * generation parameters and the templates; the dataset the stored pairs
 * and personas. LLM only: without an endpoint it says so and exits 2;
 * with one it sends there whatever the config's "backend" says (a
 * config built offline probes a model given by --base-url).
 * The measures replace the dataset's audit_metric rows of auditor
 * "probe"; they are printed, and `stats` shows them.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditors/counterfact.h"
#include "auditors/fairness.h"
#include "base/status.h"
#include "engine/prompts.h"
#include "generators/stages.h"
#include "output/dataset.h"
#include "output/probellm.h"
#include "src/build.h"
#include "src/cmd.h"

struct probe_args {
	struct build_args b;
	const char *db;
	char attrs_buf[256];
	const char *attrs[CF_MAX_ATTRS];
	size_t nattrs;
	long long probes;
};

static const struct option long_opts[] = {
	{ "attributes", required_argument, NULL, 'a' },
	{ "probes", required_argument, NULL, 'n' },
	{ "base-url", required_argument, NULL, 'u' },
	{ "model", required_argument, NULL, 'm' },
	{ "api-key-env", required_argument, NULL, 'k' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Split the comma-separated --attributes into a->attrs. Returns -1 to go
 * on, or the usage error's exit code. */
static int
parse_attrs(struct probe_args *a, const char *list)
{
	char *p, *save = NULL;

	if (strlen(list) >= sizeof(a->attrs_buf))
		return cmd_usage_error(&cmd_probe_entry, "--attributes is too "
				       "long");
	snprintf(a->attrs_buf, sizeof(a->attrs_buf), "%s", list);
	a->nattrs = 0;
	for (p = strtok_r(a->attrs_buf, ",", &save); p != NULL;
	     p = strtok_r(NULL, ",", &save)) {
		if (!cf_known(p))
			return cmd_usage_error(&cmd_probe_entry, "--attributes:"
				" the probe cannot change '%s' (it changes "
				"gender, age_band, region, race_ethnicity)", p);
		if (a->nattrs == CF_MAX_ATTRS)
			return cmd_usage_error(&cmd_probe_entry, "--attributes:"
				" at most %d", CF_MAX_ATTRS);
		a->attrs[a->nattrs++] = p;
	}
	return a->nattrs > 0 ? -1 : cmd_usage_error(&cmd_probe_entry,
		"--attributes names none");
}

static int
parse_args(int argc, char **argv, struct probe_args *a)
{
	int c, rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "qh", long_opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			if ((rc = parse_attrs(a, optarg)) >= 0)
				return rc;
			break;
		case 'n':
			a->probes = cmd_parse_count(optarg);
			if (a->probes < 1 || a->probes > PROBE_MAX)
				return cmd_usage_error(&cmd_probe_entry,
					"--probes must be 1 to %d, not '%s'",
					PROBE_MAX, optarg);
			break;
		case 'u': a->b.base_url = optarg; break;
		case 'm': a->b.model = optarg; break;
		case 'k': a->b.api_key_env = optarg; break;
		case 'q': a->b.quiet = 1; break;
		case 'h':
			cmd_usage(&cmd_probe_entry, stdout);
			return PF_EXIT_OK;
		default:
			return cmd_usage_error(&cmd_probe_entry, "unknown or "
					       "incomplete option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind + 2 != argc)
		return cmd_usage_error(&cmd_probe_entry, "probe needs a config "
				       "and a dataset DB");
	a->b.config = argv[optind];
	a->db = argv[optind + 1];
	return -1;
}

/* A stored value ("null" or a number) and interval ("[lo,hi]" or
 * "null") as printed: four decimals, "-" when undefined. */
static void
fmt(const char *value, const char *interval, char *v, char *ci, size_t n)
{
	double lo, hi;

	snprintf(v, n, "-");
	snprintf(ci, n, "-");
	if (value != NULL && strcmp(value, "null") != 0)
		snprintf(v, n, "%.4f", atof(value));
	if (interval != NULL && sscanf(interval, "[%lf,%lf]", &lo, &hi) == 2)
		snprintf(ci, n, "[%.4f, %.4f]", lo, hi);
}

/* The measures just stored, a line each. */
static void
print_results(struct dataset *ds, const struct probellm_counts *c)
{
	sqlite3_stmt *st = dataset_prepare(ds, "SELECT \"group\", metric, "
		"value, interval, n FROM audit_metric WHERE auditor = '"
		CF_AUDITOR "' ORDER BY metric_id", NULL);
	char v[48], ci[48];

	printf("counterfactual probe: %ld pairs, %ld requests (%ld failed)\n"
	       "  %-34s %-18s %8s  %-18s %6s\n", c->pairs, c->calls,
	       c->failed, "attribute", "measure", "value", "95% interval",
	       "n");
	while (st != NULL && sqlite3_step(st) == SQLITE_ROW) {
		fmt((const char *)sqlite3_column_text(st, 2),
		    (const char *)sqlite3_column_text(st, 3), v, ci,
		    sizeof(v));
		printf("  %-34.34s %-18s %8s  %-18s %6lld\n",
		       (const char *)sqlite3_column_text(st, 0),
		       (const char *)sqlite3_column_text(st, 1), v, ci,
		       (long long)sqlite3_column_int64(st, 4));
	}
	sqlite3_finalize(st);
}

static int
run(struct probe_args *a)
{
	struct probellm_opts o = {
		.attrs = a->attrs, .nattrs = a->nattrs,
		.probes = (int)a->probes, .quiet = a->b.quiet,
	};
	struct probellm_counts c;
	struct engine_config ec;
	struct pf_config *cfg = NULL;
	struct prompts *p = NULL;
	struct dataset *ds = NULL;
	struct pf_error err;
	int offline, rc;

	pf_error_clear(&err);
	rc = build_load(&a->b, &cfg, &ec, &offline);
	if (rc == 0 && prompts_load(cfg, &gen_stage_table, 0, &p, &err) != 0)
		rc = PF_EXIT_USAGE;
	if (rc == 0 && dataset_open(a->db, DATASET_WRITE, &ds, &err) != 0)
		rc = dataset_error_locked(&err) ? PF_EXIT_LOCKED :
		     PF_EXIT_USAGE;
	if (rc == 0) {
		o.cfg = cfg;
		o.prompts = p;
		o.ec = &ec;
		o.judge = p->st[GEN_JUDGE].prompt != NULL ? GEN_JUDGE : -1;
		o.narrative = p->st[GEN_NARRATIVE].prompt != NULL ?
			      GEN_NARRATIVE : -1;
		rc = probellm_run(ds, &o, &c);
		if (rc == 0)
			print_results(ds, &c);
	} else if (err.msg[0] != '\0') {
		pf_error_print(&err);
	}
	dataset_close(ds);
	prompts_free(p);
	engine_config_free(&ec);   /* build_load initialised it */
	config_free(cfg);
	return rc;
}

static int
exec_probe(int argc, char **argv)
{
	struct probe_args a = {
		.b = { .personas = -1, .seed = -1, .preview = -1 },
		.probes = PROBE_DEFAULT,
	};
	size_t i;
	int rc;

	for (i = 0; i < fairness_nprotected && i < CF_MAX_ATTRS; i++)
		a.attrs[a.nattrs++] = fairness_protected[i];
	if ((rc = parse_args(argc, argv, &a)) >= 0)
		return rc;
	return run(&a);
}

const struct cmd_entry cmd_probe_entry = {
	.name = "probe",
	.usage = "[options] CONFIG DB",
	.summary = "counterfactual probe: verdict flips and answer lengths "
		   "with a protected attribute changed (LLM only)",
	.help =
	"  --attributes LIST     comma-separated, from gender, age_band,\n"
	"                        region, race_ethnicity (default: all four,\n"
	"                        the fairness auditor's protected attributes)\n"
	"  --probes N            probes per attribute (default 100): a\n"
	"                        systematic sample of the judged pairs\n"
	"  --base-url URL        the endpoint (with --model), over the\n"
	"                        config's\n"
	"  --model NAME\n"
	"  --api-key-env VAR     the variable holding the API key\n"
	"  -q, --quiet           no progress\n"
	"Stores verdict_flip_rate (Wilson 95% interval) and length_ratio\n"
	"(delta-method 95% interval) per attribute in audit_metric (auditor\n"
	"\"probe\"), replacing the earlier ones. Exit 2 without an endpoint.\n",
	.exec = exec_probe,
};
