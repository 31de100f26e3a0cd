## tests/fuzz/: libFuzzer targets (scripts/fuzz builds them with clang and
## runs each for 60 s in .ci/run). make check builds the same targets with
## a plain main() (tests/fuzz/main.c) and replays each seed corpus and
## every crash input found so far (tests/fuzz/regress/), no clang needed.
## The config and batch targets take their src/ file along (src/ is not in
## the library); their own CFLAGS give those objects their own names.
FUZZ_MAIN = tests/fuzz/main.c tests/fuzz/fuzz.h
FUZZ_LDADD = libpersonaforge.a $(LIBS_ALL)
check_PROGRAMS += tests/fuzz/fuzz_mustache tests/fuzz/fuzz_config \
	tests/fuzz/fuzz_reply tests/fuzz/fuzz_batch
tests_fuzz_fuzz_mustache_SOURCES = tests/fuzz/fuzz_mustache.c $(FUZZ_MAIN)
tests_fuzz_fuzz_mustache_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_reply_SOURCES = tests/fuzz/fuzz_reply.c $(FUZZ_MAIN)
tests_fuzz_fuzz_reply_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_config_SOURCES = tests/fuzz/fuzz_config.c $(FUZZ_MAIN) \
	src/config-file.c
tests_fuzz_fuzz_config_CFLAGS = $(AM_CFLAGS)
tests_fuzz_fuzz_config_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_batch_SOURCES = tests/fuzz/fuzz_batch.c $(FUZZ_MAIN) \
	src/batch-input.c
tests_fuzz_fuzz_batch_CFLAGS = $(AM_CFLAGS)
tests_fuzz_fuzz_batch_LDADD = $(FUZZ_LDADD)
TESTS += tests/fuzz/replay.sh
dist_noinst_SCRIPTS += tests/fuzz/replay.sh scripts/fuzz
EXTRA_DIST += tests/fuzz/corpus tests/fuzz/regress
