## tests/cli/: data-driven CLI tests. Each tests/cli/NAME.test file is one
## test (args, expected exit code and output, fixtures, setup and check
## scripts), run by tests/cli/run.sh, whose header describes the format;
## make check runs one per file, so a single one runs with
## `make check TESTS=tests/cli/NAME.test`. templates/local.mk lists the
## template-*.test files.
TEST_EXTENSIONS = .test
TEST_LOG_COMPILER = $(SHELL) $(srcdir)/tests/cli/run.sh
TEST_LOG_DRIVER = $(LOG_DRIVER)

BUILD_CLI_TESTS = \
	tests/cli/build-bad-backend.test \
	tests/cli/build-concurrent.test \
	tests/cli/build-lock-released.test \
	tests/cli/build-log-format-bad.test \
	tests/cli/build-log-json.test \
	tests/cli/build-nolock.test \
	tests/cli/build-nolock-enosys.test \
	tests/cli/build-datadir-bogus.test \
	tests/cli/build-datadir-unset.test \
	tests/cli/build-default-output.test \
	tests/cli/build-all-doc-types.test \
	tests/cli/build-mcq.test \
	tests/cli/build-mcq-no-documents.test \
	tests/cli/build-doc-type-typo.test \
	tests/cli/build-dry-run.test \
	tests/cli/build-dry-run-price.test \
	tests/cli/build-critic-narrative.test \
	tests/cli/build-near-duplicates.test \
	tests/cli/build-near-duplicate-bands.test \
	tests/cli/build-cqa-techniques.test \
	tests/cli/build-cqa-community-typo.test \
	tests/cli/build-cqa-questions-bad.test \
	tests/cli/build-cqa-questions-missing.test \
	tests/cli/build-failed-summary.test \
	tests/cli/build-findings-overflow.test \
	tests/cli/build-gate-bad.test \
	tests/cli/build-gate-option.test \
	tests/cli/build-help.test \
	tests/cli/build-malformed-json.test \
	tests/cli/build-missing-template.test \
	tests/cli/build-no-config.test \
	tests/cli/build-not-dataset.test \
	tests/cli/build-not-sqlite.test \
	tests/cli/build-one-doc-type.test \
	tests/cli/build-other-config.test \
	tests/cli/build-other-personas.test \
	tests/cli/build-other-seed.test \
	tests/cli/build-overwrite.test \
	tests/cli/build-personas-abc.test \
	tests/cli/build-personas-negative.test \
	tests/cli/build-personas-range.test \
	tests/cli/build-preview.test \
	tests/cli/build-preview-usage.test \
	tests/cli/build-rerun-failed.test \
	tests/cli/build-rerun-model.test \
	tests/cli/build-rerun-template.test \
	tests/cli/build-resume.test \
	tests/cli/verify-journal-damaged.test \
	tests/cli/build-schema-not-json.test \
	tests/cli/build-schema-version-old.test \
	tests/cli/build-schema-version-2.test \
	tests/cli/build-schema-version-5.test \
	tests/cli/build-schema-version-rollback.test \
	tests/cli/build-schema-version.test \
	tests/cli/build-single-file.test \
	tests/cli/build-template-syntax.test \
	tests/cli/build-templates-dir-missing.test \
	tests/cli/build-locale-ca.test \
	tests/cli/build-quota-counts.test \
	tests/cli/build-quota-proportional.test \
	tests/cli/build-tiny.test \
	tests/cli/build-unknown-key.test \
	tests/cli/build-unknown-option.test \
	tests/cli/build-unreachable.test \
	tests/cli/build-unwritable-output.test \
	tests/cli/build-verbose.test \
	tests/cli/build-not-verbose.test \
	tests/cli/build-version.test \
	tests/cli/build-wrong-type.test

VALIDATE_CLI_TESTS = \
	tests/cli/validate-backend-typo.test \
	tests/cli/validate-bad-backend.test \
	tests/cli/validate-bad-profile.test \
	tests/cli/validate-bad-response-format.test \
	tests/cli/validate-bad-structured-output.test \
	tests/cli/validate-base-url-no-model.test \
	tests/cli/validate-budget.test \
	tests/cli/validate-datadir-bogus.test \
	tests/cli/validate-datadir-unset.test \
	tests/cli/validate-deep-nesting.test \
	tests/cli/validate-demo.test \
	tests/cli/validate-doc-type-typo.test \
	tests/cli/validate-duplicate-key.test \
	tests/cli/validate-example-llama-server.test \
	tests/cli/validate-example-ollama.test \
	tests/cli/validate-example-openai.test \
	tests/cli/validate-example-vllm.test \
	tests/cli/validate-gate-key.test \
	tests/cli/validate-help.test \
	tests/cli/validate-malformed-json.test \
	tests/cli/validate-missing-config.test \
	tests/cli/validate-missing-template.test \
	tests/cli/validate-no-config.test \
	tests/cli/validate-no-endpoint.test \
	tests/cli/validate-nul-escaped.test \
	tests/cli/validate-nul-raw.test \
	tests/cli/validate-number-range.test \
	tests/cli/validate-offline-template.test \
	tests/cli/validate-overrides.test \
	tests/cli/validate-persona-table.test \
	tests/cli/validate-personas-abc.test \
	tests/cli/validate-personas-negative.test \
	tests/cli/validate-personas-range.test \
	tests/cli/validate-schema-keyword.test \
	tests/cli/validate-schema-not-json.test \
	tests/cli/validate-seed-range.test \
	tests/cli/validate-stage-typo.test \
	tests/cli/validate-template-syntax.test \
	tests/cli/validate-templates-dir-missing.test \
	tests/cli/validate-too-large.test \
	tests/cli/validate-unknown-auditor.test \
	tests/cli/validate-locale-missing.test \
	tests/cli/validate-quota-shape.test \
	tests/cli/validate-quota-sum.test \
	tests/cli/validate-quota-value.test \
	tests/cli/validate-unknown-key.test \
	tests/cli/validate-unknown-option.test \
	tests/cli/validate-view-typo.test \
	tests/cli/validate-wrong-type.test

STATS_CLI_TESTS = \
	tests/cli/stats-failed.test \
	tests/cli/stats-failed-stage.test \
	tests/cli/stats-json.test \
	tests/cli/stats-missing.test \
	tests/cli/stats-not-dataset.test \
	tests/cli/stats-text.test \
	tests/cli/stats-metrics.test \
	tests/cli/stats-stage-alone.test \
	tests/cli/stats-unfinished.test \
	tests/cli/stats-usage.test

EXPORT_CLI_TESTS = \
	tests/cli/export-complete-unmarked.test \
	tests/cli/export-missing-personas.test \
	tests/cli/export-partial-jsonl.test \
	tests/cli/export-partial-xml.test \
	tests/cli/export-quiet.test \
	tests/cli/export-stale-tmp.test \
	tests/cli/export-unfinished.test \
	tests/cli/export-unwritable-output.test \
	tests/cli/export-written.test \
	tests/cli/export-personabench.test \
	tests/cli/export-personamem.test \
	tests/cli/export-personamem-exists.test \
	tests/cli/export-personamem-quarantine.test \
	tests/cli/export-personabench-other-types.test \
	tests/cli/export-personabench-exists.test

BATCH_CLI_TESTS = \
	tests/cli/batch-unreachable.test

## build --shard and merge.
SHARD_CLI_TESTS = \
	tests/cli/build-shard-bad.test \
	tests/cli/build-shard-slurm-rerun.test \
	tests/cli/build-shard-slurm.test \
	tests/cli/merge-damaged.test \
	tests/cli/merge-edit.test \
	tests/cli/merge-mismatch.test \
	tests/cli/merge-missing.test \
	tests/cli/merge-out-exists.test \
	tests/cli/merge-overlap.test \
	tests/cli/merge-shards.test \
	tests/cli/merge-unfinished.test

SCAN_CLI_TESTS = \
	tests/cli/audit-gate.test \
	tests/cli/audit-not-dataset.test \
	tests/cli/audit-rerun.test \
	tests/cli/audit-unknown-auditor.test \
	tests/cli/audit-usage.test \
	tests/cli/scan-bad-gate.test \
	tests/cli/scan-bad-lines.test \
	tests/cli/scan-canaries.test \
	tests/cli/scan-canaries-persona-id.test \
	tests/cli/scan-findings.test \
	tests/cli/scan-gate.test \
	tests/cli/scan-memory.test \
	tests/cli/scan-missing-input.test \
	tests/cli/scan-stdin.test \
	tests/cli/scan-unknown-auditor.test \
	tests/cli/scan-usage.test

## Read-only datasets as another user; kill -9 during an export; one
## exit-code table in --help, the README and the man page.
EXPORT_CLI_SH = tests/cli/readonly.sh tests/cli/export-kill.sh \
	tests/cli/exit-codes.sh

TESTS += $(BUILD_CLI_TESTS) $(VALIDATE_CLI_TESTS) $(STATS_CLI_TESTS) \
	$(EXPORT_CLI_TESTS) $(BATCH_CLI_TESTS) $(SCAN_CLI_TESTS) \
	$(EXPORT_CLI_SH) $(SHARD_CLI_TESTS)
EXTRA_DIST += $(BUILD_CLI_TESTS) $(VALIDATE_CLI_TESTS) $(STATS_CLI_TESTS) \
	$(EXPORT_CLI_TESTS) $(BATCH_CLI_TESTS) $(SCAN_CLI_TESTS) \
	$(EXPORT_CLI_SH) $(SHARD_CLI_TESTS)
dist_noinst_SCRIPTS += tests/cli/run.sh
## The CLI tests' own config: a frozen copy of the demo config, so the
## demo can grow without changing the counts these tests expect.
EXTRA_DIST += tests/data/cli.json

## personaforge diff: two builds that differ by a template edit, a gate
## crossed, --json, usage; audit of a dataset a build holds (exit 8).
DIFF_CLI_TESTS = \
	tests/cli/audit-while-building.test \
	tests/cli/diff-gate-crossed.test \
	tests/cli/diff-json.test \
	tests/cli/diff-missing.test \
	tests/cli/diff-template-edit.test \
	tests/cli/diff-usage.test
TESTS += $(DIFF_CLI_TESTS)
EXTRA_DIST += $(DIFF_CLI_TESTS)

## The personalized-safety auditor (issue 18): scan with a persona, and a
## build whose risky chosen replies are quarantined.
SAFETY_CLI_TESTS = \
	tests/cli/scan-safety.test \
	tests/cli/build-safety-quarantine.test \
	tests/cli/build-safety-rubric-stored.test
TESTS += $(SAFETY_CLI_TESTS)
EXTRA_DIST += $(SAFETY_CLI_TESTS)

## personaforge metrics exposure: the worked example, nulls, bad lines.
METRICS_CLI_TESTS = \
	tests/cli/metrics-exposure.test \
	tests/cli/metrics-exposure-bad.test \
	tests/cli/metrics-exposure-null.test \
	tests/cli/metrics-exposure-repeat.test \
	tests/cli/metrics-usage.test
TESTS += $(METRICS_CLI_TESTS)
EXTRA_DIST += $(METRICS_CLI_TESTS)

## The fairness auditor in a build: its gates (exit 3), the measures in
## stats and in both exports.
FAIRNESS_CLI_TESTS = \
	tests/cli/fairness-export.test \
	tests/cli/fairness-gate.test \
	tests/cli/fairness-refusal.test \
	tests/cli/scan-fairness.test
TESTS += $(FAIRNESS_CLI_TESTS)
EXTRA_DIST += $(FAIRNESS_CLI_TESTS)

## issue 20: judge calibration and the counterfactual probe (probe)
PROBE_CLI_TESTS = \
	tests/cli/audit-safety-judgement.test
TESTS += $(PROBE_CLI_TESTS)
EXTRA_DIST += $(PROBE_CLI_TESTS)

## review leftovers (cleanup): the diversity auditor counts a cqa
## question once; the text stats report prints the safety LLM judge
CLEANUP_CLI_TESTS = \
	tests/cli/build-diversity-cqa-once.test \
	tests/cli/build-household-ages.test \
	tests/cli/build-hobby-fits.test \
	tests/cli/stats-safety-judge.test \
	tests/cli/export-damaged-rubric-orphan.test \
	tests/cli/export-damaged-rubric-emitted.test
TESTS += $(CLEANUP_CLI_TESTS)
EXTRA_DIST += $(CLEANUP_CLI_TESTS)
