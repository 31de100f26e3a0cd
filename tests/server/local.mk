## tests/server/: loopback test servers for the engine's tests and
## benchmarks (interface: tests/server/README.md). mockllm is built by
## plain `make` too, so benchmarks and manual runs can use it.
noinst_PROGRAMS += tests/server/mockllm
tests_server_mockllm_SOURCES = tests/server/mockllm.c
tests_server_mockllm_CFLAGS = $(AM_CFLAGS)
tests_server_mockllm_LDADD = libpersonaforge.a $(UV_LIBS) $(CJSON_LIBS) -lm

## Self-test of mockllm (needs curl(1); python3 optional), and a smoke test
## of the real-inference server (SKIP without node/npm/the model).
TESTS += tests/server/test-mockllm.sh tests/server/test-llama.sh
dist_noinst_SCRIPTS += tests/server/test-mockllm.sh \
	tests/server/test-llama.sh tests/server/start-llama.sh

## The llama.cpp profile against real inference: a node-llama-cpp grammar
## from every shipped schema as derived for it (wireschema prints that),
## and a 3-persona build of examples/llama-server.json with no HTTP failure
## (SKIP without node/npm/the model).
check_PROGRAMS += tests/server/wireschema
tests_server_wireschema_SOURCES = tests/server/wireschema.c
tests_server_wireschema_CFLAGS = $(AM_CFLAGS)
tests_server_wireschema_LDADD = libpersonaforge.a $(CJSON_LIBS) -lm
TESTS += tests/server/test-wire-llama.sh
dist_noinst_SCRIPTS += tests/server/test-wire-llama.sh
dist_noinst_DATA += tests/server/README.md tests/server/llama-server.mjs \
	tests/server/grammar-check.mjs \
	tests/server/llama-lib.sh \
	tests/server/package.json
