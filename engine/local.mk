## engine/: buffers, JSON, hashing, rng, logging, config, journal, loop,
## backends.
libpersonaforge_a_SOURCES += \
	engine/buf.c engine/buf.h \
	engine/json.c engine/json.h \
	engine/hash.c engine/hash.h \
	engine/rng.c engine/rng.h \
	engine/log.c engine/log.h \
	engine/status.c engine/status.h \
	engine/error.c engine/error.h
