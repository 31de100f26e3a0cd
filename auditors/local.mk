## auditors/: the auditor contract and registry, the `$.audit` section
## and gate verdict, and the auditors (PII so far).
libpersonaforge_a_SOURCES += \
	auditors/auditor.h auditors/registry.c \
	auditors/policy.c auditors/policy.h \
	auditors/pii.c auditors/pii.h

check_PROGRAMS += tests/unit/test_pii
tests_unit_test_pii_SOURCES = tests/unit/test_pii.c
tests_unit_test_pii_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_pii_LDADD = $(TEST_LDADD)

TESTS += tests/unit/test_pii

## The labeled set (tests/data/pii-labeled.txt) and its scorer: precision
## and recall per kind and overall, and the bars they must meet.
check_PROGRAMS += tests/unit/test_pii_labeled
tests_unit_test_pii_labeled_SOURCES = tests/unit/test_pii_labeled.c
tests_unit_test_pii_labeled_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_pii_labeled_LDADD = $(TEST_LDADD)
EXTRA_DIST += tests/data/pii-labeled.txt tests/data/pii-labeled-gen.py
