/*
 * fuzz-form.c — libFuzzer target: a form file (forms/NAME.form) through form_parse.
 */
#include "config.h"

#include <stdlib.h>

#include "fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	struct form *form = NULL;
	struct error err = ERROR_INIT;

	if (form_parse("fuzz.form", text, &form, &err) == 0)
		form_free(form);
	error_clear(&err);
	free(text);
	return 0;
}
