## output/: the dataset table registry, the SQL derived from it, the
## dataset file and the writer, the auditors' row cursor and the audit
## gate over a dataset.
libpersonaforge_a_SOURCES += output/dataset.c output/dataset.h
libpersonaforge_a_SOURCES += output/writer.c output/writer.h
libpersonaforge_a_SOURCES += output/tables.c output/tables.h
libpersonaforge_a_SOURCES += output/tablesql.c output/tablesql.h
libpersonaforge_a_SOURCES += output/probellm.c output/probellm.h
libpersonaforge_a_SOURCES += output/rowsum.c output/rowsum.h
libpersonaforge_a_SOURCES += output/verify.c output/verify.h
libpersonaforge_a_SOURCES += output/merge.c output/merge.h
libpersonaforge_a_SOURCES += output/cursor.c output/cursor.h
libpersonaforge_a_SOURCES += output/gate.c output/gate.h
libpersonaforge_a_SOURCES += output/metrics.c output/metrics.h
libpersonaforge_a_SOURCES += output/ahead.c output/ahead.h
libpersonaforge_a_SOURCES += output/keyrank.c output/keyrank.h
libpersonaforge_a_SOURCES += output/findings.c output/findings.h
libpersonaforge_a_SOURCES += output/audit.c output/audit.h
libpersonaforge_a_SOURCES += output/safetyllm.c output/safetyllm.h
libpersonaforge_a_SOURCES += output/rowscan.c output/rowscan.h
libpersonaforge_a_SOURCES += output/safetystats.c output/safetystats.h
libpersonaforge_a_SOURCES += output/diff.c output/diff.h
libpersonaforge_a_SOURCES += output/complete.c output/complete.h

## The registry, the SQL made from it, doc/schema.md and the XSD agree.
check_PROGRAMS += tests/unit/test_tables
tests_unit_test_tables_SOURCES = tests/unit/test_tables.c
tests_unit_test_tables_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_tables_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_tables

check_PROGRAMS += tests/unit/test_ahead
tests_unit_test_ahead_SOURCES = tests/unit/test_ahead.c
tests_unit_test_ahead_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_ahead_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_ahead

check_PROGRAMS += tests/unit/test_audit
tests_unit_test_audit_SOURCES = tests/unit/test_audit.c
tests_unit_test_audit_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_audit_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_audit
