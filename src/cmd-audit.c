/* cmd-audit.c - personaforge audit: rerun auditors over a dataset.
 *
 * The auditors and their policies (quarantine severity, gate, own keys)
 * come from the `$.audit` section of the config the dataset was built
 * with (its run row); --auditors picks some of them. Their findings and
 * the quarantine marks are replaced in one transaction
 * (output/audit.h); then the gates of the config, and those of --gate,
 * are judged over the whole dataset and their verdicts stored
 * (output/gate.h): exit 3 when one fails.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditors/auditor.h"
#include "auditors/policy.h"
#include "base/error.h"
#include "base/status.h"
#include "base/suggest.h"
#include "output/audit.h"
#include "output/dataset.h"
#include "output/gate.h"
#include "src/cmd.h"

struct audit_args {
	const char *db, *auditors;
	struct audit_gate gates[AUDIT_MAX_GATES];
	int ngates, quiet;
};

static const struct option long_opts[] = {
	{ "auditors", required_argument, NULL, 'a' },
	{ "gate", required_argument, NULL, 'g' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Keep the instances named in the comma-separated list (all when NULL),
 * in registry order. Returns 0, or the usage error's exit code. */
static int
pick(const char *list, struct audit_instance *v, size_t *n)
{
	const char *names[32], *p, *c, *near;
	char want[64];
	size_t i, k, keep = 0;
	int *on = calloc(*n + 1, sizeof(*on));

	for (p = list; on != NULL && p != NULL && *p != '\0';
	     p = *c ? c + 1 : c) {
		c = p + strcspn(p, ",");
		snprintf(want, sizeof(want), "%.*s", (int)(c - p), p);
		for (k = 0; k < *n && strcmp(v[k].auditor->name, want); k++)
			;
		if (k < *n) {
			on[k] = 1;
			continue;
		}
		for (i = 0; i < *n && i < 31; i++)
			names[i] = v[i].auditor->name;
		names[i] = NULL;
		near = suggest_closest(want, names);
		free(on);
		return cmd_usage_error(&cmd_audit_entry, "auditor '%s' is not "
				       "enabled in the dataset's config%s%s%s",
				       want, near ? "; did you mean '" : "",
				       near ? near : "", near ? "'?" : "");
	}
	if (on == NULL)
		return PF_EXIT_RUNTIME;
	for (k = 0; k < *n; k++) {
		if (list == NULL || on[k])
			v[keep++] = v[k];
		else if (v[k].auditor->free_config != NULL)
			v[k].auditor->free_config(v[k].cfg);
	}
	*n = keep;
	free(on);
	return PF_EXIT_OK;
}

/* The gates of every auditor the config enables and of --gate, judged
 * and stored (output/gate.h). */
static int
judge(struct dataset *ds, const struct audit_args *a)
{
	struct audit_instance *v = NULL;
	struct pf_error err;
	size_t n = 0;
	int failed = 0, rc;

	pf_error_clear(&err);
	rc = dataset_stored_auditors(ds, &v, &n, &err);
	if (rc == 0)
		rc = dataset_gates_judge(ds, v, n, a->gates, (size_t)a->ngates,
					 &failed, &err);
	audit_instances_free(v, n);
	if (rc != 0) {
		pf_error_print(&err);
		return PF_EXIT_RUNTIME;
	}
	return failed > 0 ? PF_EXIT_GATE : PF_EXIT_OK;
}

static void
say(const struct audit_args *a, const struct audit_instance *v, size_t n,
    const struct audit_counts *c)
{
	size_t i;

	if (a->quiet)
		return;
	fprintf(stderr, "personaforge audit: %s:", a->db);
	for (i = 0; i < n; i++)
		fprintf(stderr, "%s %s %s", i ? "," : "", v[i].auditor->name,
			v[i].auditor->version);
	fprintf(stderr, " over %" PRId64 " rows: %" PRId64 " findings (%"
		PRId64 " real-looking); %" PRId64 " rows quarantined\n",
		c->rows, c->findings, c->real, c->quarantined);
}

static int
run_audit(const struct audit_args *a)
{
	struct audit_instance *v = NULL;
	struct audit_counts c;
	struct dataset *ds = NULL;
	struct pf_error err;
	size_t n = 0;
	int rc;

	pf_error_clear(&err);
	if (dataset_open(a->db, DATASET_WRITE, &ds, &err) != 0 ||
	    dataset_stored_auditors(ds, &v, &n, &err) != 0) {
		pf_error_print(&err);
		dataset_close(ds);
		return PF_EXIT_USAGE;
	}
	rc = pick(a->auditors, v, &n);
	if (rc == PF_EXIT_OK && dataset_audit_rerun(ds, v, n, &c, &err) != 0) {
		pf_error_print(&err);
		rc = PF_EXIT_RUNTIME;
	}
	if (rc == PF_EXIT_OK) {
		say(a, v, n, &c);
		rc = judge(ds, a);
	}
	audit_instances_free(v, n);
	dataset_close(ds);
	return rc;
}

/* Returns -1 to go on, else the exit code. */
static int
parse_args(int argc, char **argv, struct audit_args *a)
{
	int c, rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "qh", long_opts, NULL)) != -1) {
		switch (c) {
		case 'a': a->auditors = optarg; break;
		case 'q': a->quiet = 1; break;
		case 'g':
			if ((rc = cmd_parse_gate(&cmd_audit_entry, optarg,
						 NULL, a->gates,
						 &a->ngates)) >= 0)
				return rc;
			break;
		case 'h':
			cmd_usage(&cmd_audit_entry, stdout);
			return PF_EXIT_OK;
		default:
			return cmd_usage_error(&cmd_audit_entry, "unknown or "
					       "incomplete option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind + 1 != argc)
		return cmd_usage_error(&cmd_audit_entry, optind >= argc ?
				       "audit needs a dataset DB" :
				       "too many arguments");
	a->db = argv[optind];
	return -1;
}

static int
exec_audit(int argc, char **argv)
{
	struct audit_args a;
	int rc;

	memset(&a, 0, sizeof(a));
	if ((rc = parse_args(argc, argv, &a)) >= 0)
		return rc;
	return run_audit(&a);
}

const struct cmd_entry cmd_audit_entry = {
	.name = "audit",
	.usage = "DB [--auditors LIST] [--gate AUDITOR:SEVERITY=MAX ...] [-q]",
	.summary = "rerun auditors over a dataset, replacing their findings "
		"and quarantine",
	.help =
	"Options:\n"
	"  --auditors LIST     comma-separated auditors to rerun (default:\n"
	"                      every auditor the dataset's config enables)\n"
	"  --gate A:SEV=MAX    fail (exit 3) when auditor A has more than MAX\n"
	"                      real-looking findings at or above SEV in the\n"
	"                      dataset (besides the config's gates); repeat\n"
	"                      for more gates\n"
	"  -q, --quiet         no summary\n"
	"  -h, --help          show this help\n"
	"\n"
	"The auditors' findings and every row's quarantine flag are replaced\n"
	"in one transaction, with the policies of the dataset's config.\n"
	"\n"
	"Exit status: 0 done, 1 write error, 2 bad usage or a missing,\n"
	"unreadable or unsupported dataset, 3 a gate failed.\n",
	.exec = exec_audit,
};
