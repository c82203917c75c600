/*
 * fuzz.h — what every libFuzzer target of huitou shares: the fuzzer's bytes as a C string
 * (parsers that take text stop at a NUL, as they would at the end of a file read with
 * file_read_all), and the shipped forms, loaded once, that rules files are checked against.
 */
#ifndef HUITOU_FUZZ_H
#define HUITOU_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "base/base.h"
#include "store/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* data and size as a NUL-terminated copy; caller frees. */
char *fuzz_text(const uint8_t *data, size_t size);
/* The forms of the source tree's forms/ (fatal when they do not load); never freed. */
const struct formset *fuzz_forms(void);
/* A form of fuzz_forms by name (fatal when there is none). */
const struct form *fuzz_form(const char *name);

#endif
