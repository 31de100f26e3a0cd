## engine/: network backend (openai), transport, admission control.
libpersonaforge_a_SOURCES += \
	engine/http.c engine/http.h \
	engine/jscan.c engine/jscan.h \
	engine/admission.c engine/admission.h \
	engine/endpoint.c engine/endpoint.h \
	engine/openai.c engine/openai.h \
	engine/progress.c engine/progress.h

check_PROGRAMS += tests/unit/test_admission tests/unit/test_openai
tests_unit_test_admission_SOURCES = tests/unit/test_admission.c
tests_unit_test_admission_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_admission_LDADD = $(TEST_LDADD)
tests_unit_test_openai_SOURCES = tests/unit/test_openai.c
tests_unit_test_openai_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_openai_LDADD = $(TEST_LDADD)

TESTS += tests/unit/test_admission tests/unit/test_openai
