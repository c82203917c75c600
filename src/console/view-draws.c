/*
 * view-draws.c — the draws' screen: the table of draw records (view-table.c, its keys and
 * help as in any table) with three keys of its own: a announces a draw from a few prompts
 * (population query, size, public source, inspectors and team size), m completes the draw
 * under the cursor with the public value, Enter opens the draw's page with its sample.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/draw.h"
#include "console/draws.h"
#include "console/table.h"
#include "console/views.h"

struct draws {
	struct view *table;	/* the table of draws, rebuilt after an announcement */
};

static const struct key_hint draws_hints[] = {
	{ ACT_NEW, N_("announce") },
	{ ACT_MOVE, N_("draw") },
	{ ACT_OPEN, N_("sample") },
};

static struct view *
draws_table(struct app *app, struct error *err)
{
	const struct form *form = formset_find(store_forms(app->store), DRAW_FORM);
	struct view *v;
	struct table *t;
	char *hint;

	if (form == NULL) {
		error_set(err, ST_FAILED, _("the forms in force have no '%s' form"), DRAW_FORM);
		return NULL;
	}
	if ((v = view_table_new(app, form, err)) == NULL)
		return NULL;
	t = view_table_of(v);
	hint = keys_hint(app, VIEW_CONTEXT(table), draws_hints, COUNT(draws_hints));
	free(t->title);
	t->title = xasprintf("%s  (%s)  %s", form_label(form), store_city_name(app->store), hint);
	free(hint);
	return v;
}

static void
table_free(struct view *v)
{
	v->ops->destroy(v);
	free(v);
}

/* The id under the cursor, or NULL on an empty table. */
static const char *
current_id(struct draws *d)
{
	struct table *t = d->table != NULL ? view_table_of(d->table) : NULL;

	return t != NULL && t->n_rows > 0 ? t->ids[t->rows[t->list.cursor]] : NULL;
}

/* The prompts of an announcement, in the order of the CLI's options; false on Esc. */
static bool
ask_params(struct app *app, char **answers, struct draw_params *p)
{
	char *end;

	if ((answers[0] = app_prompt(app, _("population (a query over institutions, empty for all): "), "")) == NULL ||
	    (answers[1] = app_prompt(app, _("how many to draw: "), "")) == NULL ||
	    (answers[2] = app_prompt(app, _("public source (a value published after now, e.g. 福彩3D 2026-12-03 开奖号码): "), "")) == NULL ||
	    (answers[3] = app_prompt(app, _("inspectors (a query over people, empty for no teams): "), "")) == NULL)
		return false;
	if (*answers[3] != '\0' && (answers[4] = app_prompt(app, _("inspectors per team: "), "2")) == NULL)
		return false;
	p->where = answers[0];
	p->size = (size_t)strtoull(answers[1], &end, 10);
	if (*end != '\0')
		p->size = 0;
	p->public_source = answers[2];
	p->inspectors = answers[3];
	p->per_team = answers[4] != NULL ? (size_t)strtoull(answers[4], &end, 10) : 0;
	if (answers[4] != NULL && *end != '\0')
		p->per_team = 0;
	return true;
}

static void
announce(struct app *app, struct draws *d)
{
	const struct form *form = formset_find(store_forms(app->store), DRAW_FORM);
	struct error err = ERROR_INIT;
	struct draw_params p = { NULL, 0, NULL, 0, NULL };
	char *answers[5] = { NULL }, *id = NULL;
	size_t population = 0;

	if (form != NULL && store_may_create(app->store, form, &err) != 0)
		app_message(app, true, "%s", err.message);
	else if (!ask_params(app, answers, &p))
		app_message(app, false, _("no draw announced"));
	else if (draw_announce(app->store, &p, &id, &population, &err) != 0)
		app_message(app, true, "%s", err.message);
	else {
		app_message(app, false, _("%s announced: %zu of %zu institutions; once the public value is out, m draws it"),
		    id, p.size, population);
		error_clear(&err);
		/* The old table first: it stops the background reading the new one starts. */
		table_free(d->table);
		if ((d->table = draws_table(app, &err)) == NULL)
			app_message(app, true, "%s", err.message);
	}
	for (size_t i = 0; i < 5; i++)
		free(answers[i]);
	free(id);
	error_clear(&err);
}

bool
draws_complete(struct app *app, const char *id)
{
	const struct form *form = formset_find(store_forms(app->store), DRAW_FORM);
	struct store_txn *txn = NULL;
	struct record *rec = NULL;
	struct error err = ERROR_INIT;
	struct draw_outcome o;
	char *prompt = NULL, *value = NULL, *question = NULL;
	bool done = false;

	if (form == NULL || store_txn_begin(app->store, false, &txn, &err) != 0 ||
	    store_get(txn, form, id, &rec, &err) != 0) {
		store_txn_abort(txn);
		app_message(app, true, "%s", err.message != NULL ? err.message : id);
		error_clear(&err);
		return false;
	}
	store_txn_abort(txn);
	if (!str_eq(record_get(rec, "state"), "announced")) {
		app_message(app, true, _("%s was drawn on %s already: a draw completes once"), id,
		    record_get(rec, "drawn_on"));
		record_free(rec);
		return false;
	}
	prompt = xasprintf(_("public value (%s): "), record_get(rec, "public_source"));
	if ((value = app_prompt(app, prompt, "")) == NULL || *value == '\0')
		app_message(app, false, _("not drawn"));
	else {
		question = xasprintf(_("draw %s with the public value '%s'? It cannot be undone"), id, value);
		if (!app_confirm(app, question))
			app_message(app, false, _("not drawn"));
		else if (draw_complete(app->store, id, value,
		    app_confirm(app, _("plan an inspection of each institution drawn, by its team's lead?")),
		    &o, &err) != 0)
			app_message(app, true, "%s", err.message);
		else {
			app_message(app, false, o.planned > 0 ?
			    _("%s drawn: %zu of %zu, seed %.16s…; inspections planned") :
			    _("%s drawn: %zu of %zu, seed %.16s…"), id, o.sample, o.population, o.seed);
			draw_outcome_clear(&o);
			done = true;
		}
	}
	error_clear(&err);
	free(question);
	free(value);
	free(prompt);
	record_free(rec);
	return done;
}

static void
open_draw(struct app *app, const char *id)
{
	struct error err = ERROR_INIT;
	struct view *v = view_draw_new(app, id, &err);

	if (v != NULL)
		app_push(app, v);
	else
		app_message(app, true, "%s", err.message);
	error_clear(&err);
}

static void
draws_draw(struct app *app, struct view *v)
{
	struct draws *d = v->data;

	if (d->table != NULL)
		d->table->ops->draw(app, d->table);
}

static int
draws_handle(struct app *app, struct view *v, enum action a, int key)
{
	struct draws *d = v->data;
	const char *id = current_id(d);

	if (d->table == NULL)
		return R_BACK;
	switch (a) {
	case ACT_NEW:
		announce(app, d);
		return R_DRAW;
	case ACT_MOVE:
		if (id != NULL && draws_complete(app, id))
			open_draw(app, id);
		return R_DRAW;
	case ACT_OPEN:
		if (id != NULL)
			open_draw(app, id);
		return R_DRAW;
	default:
		return d->table->ops->handle(app, d->table, a, key);
	}
}

static void
draws_destroy(struct view *v)
{
	struct draws *d = v->data;

	if (d->table != NULL)
		table_free(d->table);
	free(d);
}

static const char *
draws_title(struct view *v)
{
	struct draws *d = v->data;

	return d->table != NULL ? d->table->ops->title(d->table) : "";
}

static const struct view_ops draws_ops = {
	VIEW_CONTEXT(table), draws_draw, draws_handle, draws_destroy, draws_title,
};

struct view *
view_draws_new(struct app *app, const char *arg, struct error *err)
{
	struct draws *d;
	struct view *table = draws_table(app, err), *v;

	(void)arg;
	if (table == NULL)
		return NULL;
	d = xcalloc(1, sizeof *d);
	d->table = table;
	v = xcalloc(1, sizeof *v);
	v->ops = &draws_ops;
	v->data = d;
	return v;
}
