## llm/ (rank 1): the backend contract (backend.h), curl multi on libuv,
## admission control, endpoint config, the OpenAI-compatible and offline
## backends.
libpersonaforge_a_SOURCES += \
	llm/backend.c llm/backend.h \
	llm/http.c llm/http.h \
	llm/admission.c llm/admission.h \
	llm/endpoint.c llm/endpoint.h \
	llm/openai.c llm/openai.h \
	llm/wire.c llm/wire.h \
	llm/offline.c llm/offline.h

check_PROGRAMS += tests/unit/test_admission tests/unit/test_openai \
	tests/unit/test_wire
tests_unit_test_admission_SOURCES = tests/unit/test_admission.c
tests_unit_test_admission_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_admission_LDADD = $(TEST_LDADD)
tests_unit_test_openai_SOURCES = tests/unit/test_openai.c
tests_unit_test_openai_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_openai_LDADD = $(TEST_LDADD)
tests_unit_test_wire_SOURCES = tests/unit/test_wire.c
tests_unit_test_wire_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_wire_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_admission tests/unit/test_openai tests/unit/test_wire
