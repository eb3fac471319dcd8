/* fuzz-target.h: the libFuzzer entry point, shared by the fuzz target and
 * the stand-alone driver that runs it without libFuzzer. */
#pragma once

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
