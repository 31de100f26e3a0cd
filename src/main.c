/* main.c - personaforge entry point: dispatch to the subcommand table. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#include "auditors/policy.h"
#include "output/dataset.h"
#include "base/status.h"
#include "src/cmd.h"

static const struct cmd_entry *const cmds[] = {
	&cmd_build_entry,
	&cmd_validate_entry,
	&cmd_export_entry,
	&cmd_template_entry,
	&cmd_stats_entry,
	&cmd_batch_entry,
	&cmd_verify_entry,
	&cmd_merge_entry,
	&cmd_scan_entry,
	&cmd_audit_entry,
	&cmd_diff_entry,
	&cmd_metrics_entry,
	&cmd_report_entry,
	&cmd_probe_entry,
};

#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

void
cmd_usage(const struct cmd_entry *c, void *fp)
{
	FILE *f = fp;

	fprintf(f, "usage: personaforge %s %s\n", c->name, c->usage);
	if (c->summary)
		fprintf(f, "\n%s\n", c->summary);
	if (c->help)
		fprintf(f, "\n%s", c->help);
}

int
cmd_usage_error(const struct cmd_entry *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "personaforge %s: ", c->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: personaforge %s %s\n"
		"Try 'personaforge %s --help' for more.\n",
		c->name, c->usage, c->name);
	return PF_EXIT_USAGE;
}

long long
cmd_parse_count(const char *s)
{
	char *end;
	long long v;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 0)
		return -1;
	return v;
}

int
cmd_dataset_read(const char *path, struct dataset **out)
{
	struct pf_error err;

	*out = NULL;
	pf_error_clear(&err);
	if (dataset_open(path, DATASET_READ, out, &err) == 0)
		return 0;
	pf_error_print(&err);
	*out = NULL;
	return PF_EXIT_USAGE;
}

int
cmd_parse_gate(const struct cmd_entry *c, const char *arg,
	       const char *const *extra, struct audit_gate *gates, int *n)
{
	struct pf_error err;

	pf_error_clear(&err);
	if (*n == AUDIT_MAX_GATES)
		return cmd_usage_error(c, "at most %d gates", AUDIT_MAX_GATES);
	if (audit_gate_parse(arg, extra, &gates[*n], &err) != 0)
		return cmd_usage_error(c, "--gate: %s", err.msg);
	(*n)++;
	return -1;
}

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: personaforge COMMAND [ARGS]\n\n"
		"Build synthetic persona datasets with an LLM and audit "
		"them.\n\nCommands:\n");
	for (i = 0; i < NCMDS; i++)
		fprintf(f, "  %-10s %s\n", cmds[i]->name, cmds[i]->summary);
	fprintf(f, "\nExit status (every command):\n");
	for (i = 0; i < (size_t)status_ntable; i++)
		fprintf(f, "  %3d  %s\n", status_table[i].code,
			status_table[i].meaning);
	fprintf(f, "\nOptions: --help, --version.  "
		"'personaforge COMMAND --help' describes a command.\n"
		"See personaforge(1).\n");
}

int
main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return PF_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return PF_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("personaforge %s\n", PACKAGE_VERSION);
		return PF_EXIT_OK;
	}
	for (i = 0; i < NCMDS; i++)
		if (strcmp(argv[1], cmds[i]->name) == 0)
			return cmds[i]->exec(argc - 1, argv + 1);
	fprintf(stderr, "personaforge: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return PF_EXIT_USAGE;
}
