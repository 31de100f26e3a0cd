## tests/: unit tests (Check, TAP), CLI tests driven by data files, and
## integration tests against local servers. Layer-specific unit tests are
## listed in their layer's local.mk.
EXTRA_DIST += tests/unit/check_tap.h tests/unit/check_sql.h

## tests/tap.sh: the TAP helpers every shell test sources (tap_plan,
## tap_pass, tap_fail, tap_rc, tap_check, ..., tap_end).
EXTRA_DIST += tests/tap.sh

## End-to-end tests of the offline pipeline (needs sqlite3, xmllint,
## python3; valgrind optional).
TESTS += tests/integration/pipeline.sh
dist_noinst_SCRIPTS += tests/integration/pipeline.sh

## Golden outputs: exports, stats, journal request hashes and batch output
## byte-identical to tests/golden/SHA256SUMS (needs mockllm, sqlite3,
## python3).
TESTS += tests/integration/population.sh
dist_noinst_SCRIPTS += tests/integration/population.sh
TESTS += tests/integration/golden.sh
## The dataset card of the JSONL export (needs python3 with yaml and
## pandas: Debian's python3-yaml and python3-pandas).
TESTS += tests/integration/card.sh
dist_noinst_SCRIPTS += tests/integration/card.sh
## The HTML report (needs sqlite3; Debian's chromium for the rendering
## checks, which leave tests/report.png in the build folder).
TESTS += tests/integration/report.sh
dist_noinst_SCRIPTS += tests/integration/report.sh
CLEANFILES += tests/report.png
dist_noinst_SCRIPTS += tests/integration/golden.sh tests/golden/make.sh
EXTRA_DIST += tests/golden/SHA256SUMS tests/golden/heavy.json
EXTRA_DIST += tests/integration/lib.sh
## tap.sh's tap_check keeps a command's output in ./check.out; golden.sh and
## check-layers.sh run in the build folder, so distclean must remove it.
CLEANFILES += check.out

## `build` against the stand-in server: faults, kill -9, SIGINT, stops,
## secrets (needs tests/server/mockllm, curl, python3).
TESTS += tests/integration/build-net.sh
dist_noinst_SCRIPTS += tests/integration/build-net.sh

## Disk full wherever it happens: exit 1, a summary that counts the
## journal, and a resume (needs a tmpfs mount; skipped without one).
TESTS += tests/integration/disk-full.sh
dist_noinst_SCRIPTS += tests/integration/disk-full.sh

## Every endpoint failing at the start with a DNS or TLS error stops the
## build with exit 9, nothing marked failed (needs mockllm, sqlite3;
## unshare -n for the DNS part).
TESTS += tests/integration/unreachable.sh
dist_noinst_SCRIPTS += tests/integration/unreachable.sh

## The Slurm examples on a real single-node Slurm: run from .ci/run, not
## make check (it installs and starts slurmctld, slurmd and munge).
EXTRA_DIST += tests/slurm/slurm.sh

## Single-byte damage across a finished dataset is harmless or reported
## (export, verify), and a resume never copies it into the data (needs
## python3, sqlite3).
TESTS += tests/integration/corrupt.sh
dist_noinst_SCRIPTS += tests/integration/corrupt.sh

## scripts/check-layers on made-up trees (the real tree is checked by
## .ci/run).
TESTS += tests/integration/check-layers.sh
dist_noinst_SCRIPTS += tests/integration/check-layers.sh

## tests/shim/nolock.so: an LD_PRELOAD shim whose flock() fails with
## ENOLCK (or ENOSYS), for the build-nolock*.test files. Built plain (no
## sanitizer flags): the sanitized binary takes it with
## ASAN_OPTIONS=verify_asan_link_order=0.
check_DATA = tests/shim/nolock.so
tests/shim/nolock.so: $(srcdir)/tests/shim/nolock.c
	@mkdir -p tests/shim
	$(CC) -shared -fPIC -o $@ $(srcdir)/tests/shim/nolock.c
CLEANFILES += tests/shim/nolock.so
EXTRA_DIST += tests/shim/nolock.c

## examples/nightly/: the systemd units pass systemd-analyze verify with
## the built binary, and the crontab line runs under env -i (needs
## python3; systemd-analyze optional).
TESTS += tests/integration/nightly.sh
dist_noinst_SCRIPTS += tests/integration/nightly.sh

## The coherence rule table over a 10,000-persona offline build and all its
## texts: zero violations per rule (tests/integration/coherence_scan reads
## the JSONL export).
check_PROGRAMS += tests/integration/coherence_scan
tests_integration_coherence_scan_SOURCES = tests/integration/coherence_scan.c
tests_integration_coherence_scan_LDADD = libpersonaforge.a $(LIBS_ALL)
TESTS += tests/integration/coherence.sh
TESTS += tests/integration/fairness.sh
dist_noinst_SCRIPTS += tests/integration/fairness.sh

## Issue 14's figures: QA per type and difficulty, Basic templates,
## paraphrases, unsupported evidence (qa_stats.py) and the PersonaBench
## export through the authors' loading and gt-context retrieval
## (personabench_check.py) over a 10,000-persona offline build.
TESTS += tests/integration/qa.sh tests/integration/personabench.sh
dist_noinst_SCRIPTS += tests/integration/qa.sh \
	tests/integration/personabench.sh \
	tests/integration/qa_stats.py tests/integration/personabench_check.py

## Issue 15's PersonaMem items: the export through the authors' loading
## and answer scoring (personamem_check.py) over a 50-persona build, and
## the items' figures over a 10,000-persona build (mcq_stats.py).
TESTS += tests/integration/personamem.sh tests/integration/mcq.sh
dist_noinst_SCRIPTS += tests/integration/personamem.sh \
	tests/integration/mcq.sh tests/integration/personamem_check.py \
	tests/integration/mcq_stats.py

## Issue 13's figures: the persona world, sessions, noise, canaries and
## distinct-2 over a 10,000-persona offline build (world_stats.py).
TESTS += tests/integration/world.sh
dist_noinst_SCRIPTS += tests/integration/world.sh \
	tests/integration/world_stats.py
dist_noinst_SCRIPTS += tests/integration/coherence.sh

## The interview critic rejects at least 95% of contradictions injected
## into 10% of offline answers (test hook PERSONAFORGE_TEST_CONTRADICT)
## and the retries succeed (needs sqlite3).
TESTS += tests/integration/critic.sh
dist_noinst_SCRIPTS += tests/integration/critic.sh
## The offline safety rubric of a 1,000-persona build (issue 18).
TESTS += tests/integration/safety-rubric.sh
dist_noinst_SCRIPTS += tests/integration/safety-rubric.sh
TESTS += tests/integration/safety-llm.sh
dist_noinst_SCRIPTS += tests/integration/safety-llm.sh

## Community QA (cqa stage, sepqa export), read back as the SE-PQA and
## Sy-SE-PQA code reads it (needs python3).
TESTS += tests/integration/cqa.sh
dist_noinst_SCRIPTS += tests/integration/cqa.sh \
	tests/integration/cqa_check.py tests/integration/sepqa_read.py
## The persona-conditioned preference views (persona_w, persona_l).
TESTS += tests/integration/prefpersona.sh
dist_noinst_SCRIPTS += tests/integration/prefpersona.sh
## The counterfactual probe against the stand-in server with a planted
## bias and without (issue 20; needs mockllm and sqlite3).
TESTS += tests/integration/probe.sh
dist_noinst_SCRIPTS += tests/integration/probe.sh
## cqa questions read from a JSONL file, ours and SE-PQA's field names.
TESTS += tests/integration/cqafile.sh
dist_noinst_SCRIPTS += tests/integration/cqafile.sh \
	tests/integration/cqafile_check.py
EXTRA_DIST += tests/data/cqa-questions.jsonl
## Issue 16's figures for the community answers and the generated
## questions over a 10,000-persona demo build (needs python3).
TESTS += tests/integration/cqa10k.sh
dist_noinst_SCRIPTS += tests/integration/cqa10k.sh \
	tests/integration/cqa10k_check.py tests/integration/distinct.py

## The offline text's distinct-2, length and near-duplicate rate over a
## 10,000-persona build, and the build speed as a figure (issue 12).
check_PROGRAMS += tests/integration/textstats
tests_integration_textstats_SOURCES = tests/integration/textstats.c
tests_integration_textstats_LDADD = libpersonaforge.a $(LIBS_ALL)
TESTS += tests/integration/text.sh
dist_noinst_SCRIPTS += tests/integration/text.sh
TESTS += tests/integration/critic-earlier.sh
dist_noinst_SCRIPTS += tests/integration/critic-earlier.sh \
	tests/integration/critic-run.sh

## Preference pairs and the judge (issue 16): the fewshot export rebuilt
## as FSPO builds its episodes, and the figures of a 10,000-persona build
## (needs python3).
TESTS += tests/integration/fewshot.sh tests/integration/prefs10k.sh
dist_noinst_SCRIPTS += tests/integration/fewshot.sh \
	tests/integration/fewshot_check.py tests/integration/prefs10k.sh \
	tests/integration/prefs_check.py
