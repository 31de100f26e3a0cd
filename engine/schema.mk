## engine/: JSON Schema (subset) validator for LLM replies and schema files.
libpersonaforge_a_SOURCES += engine/schema.c engine/schema.h
check_PROGRAMS += tests/unit/test_schema
tests_unit_test_schema_SOURCES = tests/unit/test_schema.c
tests_unit_test_schema_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_schema_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_schema
