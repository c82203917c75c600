/*
 * fuzz-common.c — the helpers of fuzz.h, linked into each target.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"

char *
fuzz_text(const uint8_t *data, size_t size)
{
	char *s = xmalloc(size + 1);

	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

const struct formset *
fuzz_forms(void)
{
	static struct formset forms;
	static bool loaded;
	struct error err = ERROR_INIT;

	if (!loaded) {
		if (formset_load_dir(ABS_TOP_SRCDIR "/forms", &forms, &err) != 0)
			fatal("fuzz: %s", err.message);
		loaded = true;
	}
	return &forms;
}

const struct form *
fuzz_form(const char *name)
{
	const struct form *f = formset_find(fuzz_forms(), name);

	if (f == NULL)
		fatal("fuzz: no form %s in " ABS_TOP_SRCDIR "/forms", name);
	return f;
}
