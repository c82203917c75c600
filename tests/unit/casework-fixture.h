/*
 * casework-fixture.h — a casework world for the unit tests of moves (test-casework and the
 * complaints, cases, filing and ledger tests): the store of fixture.h with its setup
 * committed and the shipped states and rules loaded, today pinned if asked, and helpers to
 * add, set and read records and to make a move or see one refused.
 */
#ifndef HUITOU_CASEWORK_FIXTURE_H
#define HUITOU_CASEWORK_FIXTURE_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "campaign/casework.h"

struct world {
	struct fixture *fx;
	struct casework *cw;
	struct error err;
	bool pinned;		/* HUITOU_NOW set by world_setup, unset by world_teardown */
};

/* A cmocka setup: a new world for city with its divisions, today pinned to today unless NULL. */
static inline int
world_setup(void **state, const struct division_row *city,
    const struct division_row *divisions, size_t n, const char *today)
{
	struct world *w = xcalloc(1, sizeof *w);

	if (today != NULL) {
		if (setenv("HUITOU_NOW", today, 1) != 0)
			return -1;
		w->pinned = true;
	}
	w->fx = fixture_new(city, divisions, n);
	if (w->fx == NULL || store_commit_setup(w->fx->store, &w->err) != 0 ||
	    casework_load(ABS_TOP_SRCDIR "/forms", &w->fx->forms, &w->cw, &w->err) != 0) {
		fprintf(stderr, "setup: %s\n", w->err.message);
		return -1;
	}
	*state = w;
	return 0;
}

/* world_setup for 西安市 with 新城区 and its 西一路街道, the divisions most of these tests use. */
static inline int
world_setup_xincheng(void **state, const char *today)
{
	static const struct division_row city = { "6101", "", "西安市" };
	static const struct division_row divisions[] = {
		{ "610102", "", "新城区" }, { "610102001", "610102", "西一路街道" },
	};

	return world_setup(state, &city, divisions, 2, today);
}

/* The cmocka teardown of world_setup. */
static inline int
world_teardown(void **state)
{
	struct world *w = *state;

	if (w->pinned)
		unsetenv("HUITOU_NOW");
	casework_free(w->cw);
	fixture_free(w->fx);
	error_clear(&w->err);
	free(w);
	return 0;
}

/* The shipped form of that name. */
static inline const struct form *
world_form(struct world *w, const char *name)
{
	return formset_find(&w->fx->forms, name);
}

/* A new record of form from "field=value" pairs, NULL-terminated; returns its id. */
static inline char *
world_add(struct world *w, const char *form, const char *const *pairs)
{
	struct store_txn *txn;
	struct record *rec = record_new(world_form(w, form));
	struct field_ctx ctx;
	char *id;

	assert_int_equal(store_txn_begin(w->fx->store, true, &txn, &w->err), 0);
	store_field_ctx(txn, rec, &ctx);
	for (size_t i = 0; pairs[i] != NULL; i++) {
		char *name = xstrdup(pairs[i]), *eq = strchr(name, '=');

		*eq = '\0';
		if (record_set_input(rec, name, eq + 1, &ctx, &w->err) != 0)
			fail_msg("%s: %s", pairs[i], w->err.message);
		free(name);
	}
	if (store_insert(txn, rec, &w->err) != 0)
		fail_msg("insert: %s", w->err.message);
	id = xstrdup(record_id(rec));
	assert_int_equal(store_txn_commit(txn, &w->err), 0);
	record_free(rec);
	return id;
}

/* Sets one field of a stored record, as stored (as `huitou set` does, not a move). */
static inline void
world_set(struct world *w, const char *id, const char *field, const char *value)
{
	const struct form *form = formset_form_of_id(&w->fx->forms, id);
	struct store_txn *txn;
	struct record *rec;

	assert_int_equal(store_txn_begin(w->fx->store, true, &txn, &w->err), 0);
	assert_int_equal(store_get(txn, form, id, &rec, &w->err), 0);
	record_set_raw(rec, (size_t)form_field_index(form, field), value);
	if (store_update(txn, rec, &w->err) != 0 || store_txn_commit(txn, &w->err) != 0)
		fail_msg("set %s %s: %s", id, field, w->err.message);
	record_free(rec);
}

/* A stored field's value (static buffer: one at a time). */
static inline const char *
world_get(struct world *w, const char *id, const char *field)
{
	static char value[512];
	const struct form *form = formset_form_of_id(&w->fx->forms, id);
	struct store_txn *txn;
	struct record *rec;

	assert_int_equal(store_txn_begin(w->fx->store, false, &txn, &w->err), 0);
	assert_int_equal(store_get(txn, form, id, &rec, &w->err), 0);
	snprintf(value, sizeof value, "%s", record_get(rec, field));
	record_free(rec);
	store_txn_abort(txn);
	return value;
}

/* A move expected to succeed, its result in r (the caller clears it). */
static inline void
world_moved(struct world *w, const char *id, const char *to, const char *reason,
    struct move_result *r)
{
	if (casework_move(w->fx->store, w->cw, id, to, reason, r, &w->err) != 0)
		fail_msg("move %s %s: %s", id, to, w->err.message);
	assert_string_equal(r->to, to);
}

/* A move expected to fail with a message holding want, and with status ST_REFUSED if
 * check_status; nothing written. */
static inline void
world_refused_as(struct world *w, const char *id, const char *to, const char *reason,
    const char *want, bool check_status)
{
	struct move_result r;

	error_clear(&w->err);
	assert_int_equal(casework_move(w->fx->store, w->cw, id, to, reason, &r, &w->err), -1);
	if (check_status)
		assert_int_equal(w->err.status, ST_REFUSED);
	if (strstr(w->err.message, want) == NULL)
		fail_msg("wanted '%s' in '%s'", want, w->err.message);
	move_result_clear(&r);
	error_clear(&w->err);
}

/* A move expected to be refused (ST_REFUSED) with a message holding want; nothing written. */
static inline void
world_refused(struct world *w, const char *id, const char *to, const char *reason,
    const char *want)
{
	world_refused_as(w, id, to, reason, want, true);
}

#endif
