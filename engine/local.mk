## engine/: buffers, JSON, hashing, rng, logging, config, journal, loop,
## backends.
libpersonaforge_a_SOURCES += \
	engine/buf.c engine/buf.h \
	engine/json.c engine/json.h \
	engine/hash.c engine/hash.h \
	engine/rng.c engine/rng.h \
	engine/log.c engine/log.h \
	engine/status.c engine/status.h \
	engine/error.c engine/error.h \
	engine/journal.c engine/journal.h \
	engine/config.c engine/config.h \
	engine/prompts.c engine/prompts.h \
	engine/stage.h engine/backend.h
libpersonaforge_a_SOURCES += engine/scheduler.c engine/scheduler.h
libpersonaforge_a_SOURCES += engine/offline.c engine/offline.h \
	engine/sqlq.c engine/sqlq.h
