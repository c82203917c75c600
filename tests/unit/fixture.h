/*
 * fixture.h — a store on a temporary data directory with the shipped forms, for the unit tests
 * that need one (test-store, test-dashboard); removed again with everything in it.
 */
#ifndef HUITOU_FIXTURE_H
#define HUITOU_FIXTURE_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>

#include "store/store.h"

struct fixture {
	char dir[64];
	struct formset forms;
	struct store *store;
	const struct form *inst;
};

static inline int
fixture_remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

/* A new store for city with its divisions; NULL (and a message on stderr) on failure. */
static inline struct fixture *
fixture_new(const struct division_row *city, const struct division_row *divisions, size_t n)
{
	struct fixture *fx = xcalloc(1, sizeof *fx);
	struct error err = ERROR_INIT;

	snprintf(fx->dir, sizeof fx->dir, "/tmp/huitou-test-XXXXXX");
	if (mkdtemp(fx->dir) == NULL)
		return NULL;
	if (store_create(fx->dir, city, divisions, n, &err) != 0 ||
	    formset_load_dir(ABS_TOP_SRCDIR "/forms", &fx->forms, &err) != 0 ||
	    store_open(fx->dir, &fx->forms, &fx->store, &err) != 0) {
		fprintf(stderr, "setup: %s\n", err.message);
		return NULL;
	}
	fx->inst = formset_find(&fx->forms, "institution");
	return fx;
}

static inline void
fixture_free(struct fixture *fx)
{
	store_close(fx->store);
	formset_free(&fx->forms);
	nftw(fx->dir, fixture_remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(fx);
}

#endif
