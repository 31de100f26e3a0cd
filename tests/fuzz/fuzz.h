/* fuzz.h - the libFuzzer entry point every target under tests/fuzz/
 * defines. With clang's -fsanitize=fuzzer libFuzzer calls it (scripts/fuzz);
 * `make check` links the same file with tests/fuzz/main.c, which calls it
 * once per seed and regression input. Returns 0; anything worth a report
 * crashes (abort(), a sanitizer) instead. */
#ifndef PF_FUZZ_H
#define PF_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
