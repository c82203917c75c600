/*
 * fuzz-view.c — libFuzzer target: a user's saved-views file through views_file_parse, each
 * view then looked up by its name and the default columns of every form read back.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "console/views.h"

static void
ignore_warning(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct saved_views vs;
	const struct formset *forms = fuzz_forms();

	memset(&vs, 0, sizeof vs);
	views_file_parse(&vs, "fuzz.views", (const char *)data, size, ignore_warning, NULL);
	for (size_t i = 0; i < vs.n; i++)
		if (saved_views_find(&vs, vs.views[i].name) == NULL)
			abort();	/* a view kept must be found by its name */
	for (size_t i = 0; i < forms->n; i++)
		(void)saved_views_default_columns(&vs, forms->forms[i]->name);
	saved_views_free(&vs);
	return 0;
}
