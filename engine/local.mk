## engine/ (rank 2): the scheduler, journal, write queue, progress, the
## stage contract, prompts and (for now) the config.
libpersonaforge_a_SOURCES += \
	engine/stage.c engine/stage.h \
	engine/runner.c engine/runner.h \
	engine/interrupt.c engine/interrupt.h \
	engine/journal.c engine/journal.h \
	engine/jplan.c engine/jplan.h \
	engine/config.c engine/config.h \
	engine/prompts.c engine/prompts.h \
	engine/scheduler.c engine/scheduler.h \
	engine/sqlq.c engine/sqlq.h \
	engine/progress.c engine/progress.h

check_PROGRAMS += tests/unit/test_sqlq
tests_unit_test_sqlq_SOURCES = tests/unit/test_sqlq.c
tests_unit_test_sqlq_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_sqlq_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_sqlq

check_PROGRAMS += tests/unit/test_jplan
tests_unit_test_jplan_SOURCES = tests/unit/test_jplan.c
tests_unit_test_jplan_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_jplan_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_jplan

## The scheduler and the runner with a made-up stage table and a fake
## backend.
check_PROGRAMS += tests/unit/test_scheduler
## It is built from base/, templates/ (prompts), engine/ and the backend
## contract only, not from the library: a call into a stage, a persona or
## a backend from the engine would not link.
tests_unit_test_scheduler_SOURCES = tests/unit/test_scheduler.c \
	base/buf.c base/datadir.c base/error.c base/hash.c base/jfield.c \
	base/jscan.c base/json.c base/log.c base/pool.c base/rng.c base/schema.c \
	base/status.c base/suggest.c base/sum64.c templates/mustache.c llm/backend.c \
	engine/config.c engine/journal.c engine/jplan.c engine/progress.c \
	engine/prompts.c engine/runner.c engine/interrupt.c engine/scheduler.c \
	engine/sqlq.c engine/stage.c
tests_unit_test_scheduler_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_scheduler_LDADD = $(CHECK_LIBS) $(LIBS_ALL)
TESTS += tests/unit/test_scheduler
