## tests/engine/: the `batch` command and the network engine end to end,
## against tests/server/mockllm (and the real-inference server, SKIP
## without it).
src_personaforge_SOURCES += src/cmd-batch.c

ENGINE_TESTS = tests/engine/batch-basic.sh tests/engine/batch-faults.sh \
	tests/engine/batch-kill.sh tests/engine/batch-secrets.sh \
	tests/engine/real-llama.sh tests/engine/real-llama-cqa.sh
TESTS += $(ENGINE_TESTS)
dist_noinst_SCRIPTS += $(ENGINE_TESTS) tests/engine/lib.sh
