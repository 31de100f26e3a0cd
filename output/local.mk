## output/: the dataset schema and writer, the auditors' row cursor and
## the audit gate over a dataset.
libpersonaforge_a_SOURCES += output/dataset.c output/dataset.h
libpersonaforge_a_SOURCES += output/writer.c output/writer.h
libpersonaforge_a_SOURCES += output/cursor.c output/cursor.h
libpersonaforge_a_SOURCES += output/gate.c output/gate.h

check_PROGRAMS += tests/unit/test_audit
tests_unit_test_audit_SOURCES = tests/unit/test_audit.c
tests_unit_test_audit_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_audit_LDADD = $(TEST_LDADD)

TESTS += tests/unit/test_audit
