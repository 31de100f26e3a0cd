## base/ (rank 0): buffers, checked JSON, the structural JSON scan, the
## JSON Schema subset, SHA-256, the row checksum, RNG, logging, error descriptions, exit
## codes, finding the data directory, a fork-join thread pool. No project
## knowledge.
libpersonaforge_a_SOURCES += \
	base/buf.c base/buf.h \
	base/json.c base/json.h \
	base/jscan.c base/jscan.h \
	base/schema.c base/schema.h \
	base/hash.c base/hash.h \
	base/sum64.c base/sum64.h \
	base/rng.c base/rng.h \
	base/log.c base/log.h \
	base/status.c base/status.h \
	base/error.c base/error.h \
	base/jfield.c base/jfield.h \
	base/jstrict.c base/jstrict.h \
	base/suggest.c base/suggest.h \
	base/datadir.c base/datadir.h \
	base/lines.c base/lines.h \
	base/minhash.c base/minhash.h \
	base/pool.c base/pool.h

check_PROGRAMS += tests/unit/test_engine tests/unit/test_schema \
	tests/unit/test_schema_suite tests/unit/test_datadir \
	tests/unit/test_jstrict tests/unit/test_lines tests/unit/test_minhash \
	tests/unit/test_pool
tests_unit_test_pool_SOURCES = tests/unit/test_pool.c
tests_unit_test_pool_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_pool_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_pool
tests_unit_test_minhash_SOURCES = tests/unit/test_minhash.c
tests_unit_test_minhash_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_minhash_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_minhash
tests_unit_test_engine_SOURCES = tests/unit/test_engine.c
tests_unit_test_engine_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_engine_LDADD = $(TEST_LDADD)
tests_unit_test_schema_SOURCES = tests/unit/test_schema.c
tests_unit_test_schema_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_schema_LDADD = $(TEST_LDADD)
## The official JSON Schema Test Suite from $SHARED_DIR (SKIP without it).
tests_unit_test_schema_suite_SOURCES = tests/unit/test_schema_suite.c
tests_unit_test_schema_suite_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_schema_suite_LDADD = $(TEST_LDADD)
tests_unit_test_datadir_SOURCES = tests/unit/test_datadir.c
tests_unit_test_datadir_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_datadir_LDADD = $(TEST_LDADD)
tests_unit_test_jstrict_SOURCES = tests/unit/test_jstrict.c
tests_unit_test_jstrict_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_jstrict_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_engine tests/unit/test_schema \
	tests/unit/test_schema_suite tests/unit/test_datadir \
	tests/unit/test_jstrict

## The bounded line reader (scan's input).
tests_unit_test_lines_SOURCES = tests/unit/test_lines.c
tests_unit_test_lines_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_lines_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_lines

## base/vote: the plurality vote of the pairwise judges.
libpersonaforge_a_SOURCES += base/vote.c base/vote.h
check_PROGRAMS += tests/unit/test_vote
tests_unit_test_vote_SOURCES = tests/unit/test_vote.c
tests_unit_test_vote_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_vote_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_vote
