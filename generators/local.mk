## generators/: the generation stages (documents + facts + grounded QA,
## preference pairs + judge) and the stage registry.
libpersonaforge_a_SOURCES += \
	generators/facts.c generators/facts.h \
	generators/world.c generators/world.h \
	generators/session.c generators/session.h \
	generators/doctext.c generators/doctext.h
libpersonaforge_a_SOURCES += \
	generators/registry.c generators/stages.h \
	generators/config.c generators/config.h \
	generators/text.c generators/text.h \
	generators/life.c generators/life.h \
	generators/documents.c \
	generators/qa.c generators/qaplan.c generators/qaplan.h \
	generators/preferences.c \
	generators/narrative.c \
	generators/dedup.c \
	generators/dedup.h \
	generators/interview.c
libpersonaforge_a_SOURCES += \
	generators/communities.c generators/communities.h \
	generators/cqahist.c generators/cqahist.h \
	generators/cqaword.c generators/cqaword.h \
	generators/cqafile.c generators/cqafile.h \
	generators/cqa.c \
	generators/prefview.c generators/prefview.h \
	generators/pairs.h generators/judge.c
libpersonaforge_a_SOURCES += \
	generators/mcq.c generators/mcqplan.c generators/mcqplan.h

check_PROGRAMS += tests/unit/test_cqa
tests_unit_test_cqa_SOURCES = tests/unit/test_cqa.c
tests_unit_test_cqa_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_cqa_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_cqa

## The persona world, its timeline, sessions and their offline text hold
## together over a table of settings.
check_PROGRAMS += tests/unit/test_world
tests_unit_test_world_SOURCES = tests/unit/test_world.c
tests_unit_test_world_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_world_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_world

check_PROGRAMS += tests/unit/test_prefview
tests_unit_test_prefview_SOURCES = tests/unit/test_prefview.c
tests_unit_test_prefview_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_prefview_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_prefview

## PersonaMem's multiple-choice items hold together over a table of
## settings (generators/mcqplan.h).
check_PROGRAMS += tests/unit/test_mcq
tests_unit_test_mcq_SOURCES = tests/unit/test_mcq.c
tests_unit_test_mcq_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_mcq_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_mcq
