## tests/: unit tests (Check, TAP), CLI tests driven by data files, and
## integration tests against local servers. Layer-specific unit tests are
## listed in their layer's local.mk.
EXTRA_DIST += tests/unit/check_tap.h

check_PROGRAMS += tests/unit/test_engine
tests_unit_test_engine_SOURCES = tests/unit/test_engine.c
tests_unit_test_engine_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_engine_LDADD = $(TEST_LDADD)

TESTS += tests/unit/test_engine

## End-to-end tests of the offline pipeline (needs sqlite3, xmllint,
## python3; valgrind optional).
TESTS += tests/integration/pipeline.sh
dist_noinst_SCRIPTS += tests/integration/pipeline.sh

## Golden outputs: exports, stats, journal request hashes and batch output
## byte-identical to tests/golden/SHA256SUMS (needs mockllm, sqlite3,
## python3).
TESTS += tests/integration/golden.sh
dist_noinst_SCRIPTS += tests/integration/golden.sh tests/golden/make.sh
EXTRA_DIST += tests/golden/SHA256SUMS tests/golden/heavy.json
EXTRA_DIST += tests/integration/lib.sh

## `build` against the stand-in server: faults, kill -9, SIGINT, stops,
## secrets (needs tests/server/mockllm, curl, python3).
TESTS += tests/integration/build-net.sh
dist_noinst_SCRIPTS += tests/integration/build-net.sh

check_PROGRAMS += tests/unit/test_sqlq
tests_unit_test_sqlq_SOURCES = tests/unit/test_sqlq.c
tests_unit_test_sqlq_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_sqlq_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_sqlq
