/*
 * forms-fixture.h — the shipped forms without a store, for the unit tests that only read
 * them (test-checks, test-seal): a static formset with a cmocka setup and teardown.
 */
#ifndef HUITOU_FORMS_FIXTURE_H
#define HUITOU_FORMS_FIXTURE_H

#include <stdio.h>

#include "store/store.h"

static struct formset forms;

/* Loads the shipped forms into forms; -1 (and a message on stderr) on failure. */
static int
load_shipped_forms(void **state)
{
	struct error err = ERROR_INIT;

	(void)state;
	if (formset_load_dir(ABS_TOP_SRCDIR "/forms", &forms, &err) != 0) {
		fprintf(stderr, "setup: %s\n", err.message);
		return -1;
	}
	return 0;
}

static int
free_forms(void **state)
{
	(void)state;
	formset_free(&forms);
	return 0;
}

#endif
