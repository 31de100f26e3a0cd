## engine/ (rank 2): the scheduler, journal, write queue, progress, the
## stage contract, prompts and (for now) the config.
libpersonaforge_a_SOURCES += \
	engine/stage.c engine/stage.h \
	engine/runner.c engine/runner.h \
	engine/journal.c engine/journal.h \
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

## The scheduler and the runner with a made-up stage table and a fake
## backend.
check_PROGRAMS += tests/unit/test_scheduler
tests_unit_test_scheduler_SOURCES = tests/unit/test_scheduler.c
tests_unit_test_scheduler_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_scheduler_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_scheduler
