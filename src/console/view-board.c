/*
 * view-board.c — the task board (任务看板): one column per board column of the states files
 * (to do, in progress, awaiting verification, done) with its count and overdue count in the
 * header, cards of id, institution, district, deadline and person, overdue ones red and
 * marked "!". Keys move a card left or right (casework_move: refused with the reason), Enter
 * opens it, and filters narrow the board to a district, a person, "mine" or a type. The cards
 * and counts are board.c's; this file only draws and asks.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/board.h"
#include "campaign/campaign.h"
#include "console/console-private.h"
#include "console/list.h"

#define CARD_LINES 3
#define TOP 3		/* title, filters, column headers */

struct bview {
	struct store *store;
	struct casework *cw;
	struct board *b;
	char *district;		/* a district's code, or NULL */
	char *person;		/* a person's id, or NULL */
	char *person_name;	/* their name, for the header */
	bool mine;
	const struct form *type;
	int col;		/* the cursor's column */
	struct list list[N_COLUMNS];
	char today[11];
	bool stale;		/* a record was opened: count again when the board shows again */
	char *title;
};

static int
card_rows(const struct app *app)
{
	int n = (app->lines - TOP - 2) / CARD_LINES;

	return n > 1 ? n : 1;
}

static int
column_width(const struct app *app)
{
	return (app->cols - (N_COLUMNS - 1)) / N_COLUMNS;
}

static int
bview_count(struct app *app, struct bview *s, struct error *err)
{
	struct board_filter f = { s->district, s->mine ? store_actor(app->store)->id : s->person,
		s->type, NULL };
	struct board *b;

	clock_format_date(clock_today(), s->today);
	if (board_open(app->store, s->cw, &f, s->today, &b, err) != 0)
		return -1;
	board_free(s->b);
	s->b = b;
	s->stale = false;
	for (int c = 0; c < N_COLUMNS; c++)
		list_fit(&s->list[c], board_count(b, (enum board_column)c), card_rows(app));
	return 0;
}

/* "区县 雁塔区  人员 王芳  类型 整改", or that the whole board shows. */
static char *
filter_text(struct app *app, const struct bview *s)
{
	struct buf out = BUF_INIT;
	const struct division *d;

	if (s->district != NULL && (d = store_division_find(app->store, s->district, DIV_DISTRICT,
	    NULL)) != NULL)
		buf_printf(&out, "%s %s  ", _("district"), d->name);
	if (s->mine)
		buf_printf(&out, "%s  ", _("mine"));
	else if (s->person != NULL)
		buf_printf(&out, "%s %s  ", _("person"), s->person_name);
	if (s->type != NULL)
		buf_printf(&out, "%s %s  ", _("type"), form_label(s->type));
	if (out.len == 0)
		buf_adds(&out, _("all cards"));
	return buf_detach(&out);
}

static const struct key_hint board_hints[] = {
	{ ACT_BOARD_MOVE_LEFT, N_("left") }, { ACT_BOARD_MOVE_RIGHT, N_("right") },
	{ ACT_BOARD_DISTRICT, N_("district") }, { ACT_BOARD_PERSON, N_("person") },
	{ ACT_BOARD_MINE, N_("mine") }, { ACT_BOARD_TYPE, N_("type") },
	{ ACT_BOARD_CLEAR, N_("all") },
};

static void
draw_filters(struct app *app, const struct bview *s)
{
	char *filters = filter_text(app, s), *hint;
	char *line = xasprintf("%s: %s", _("filter"), filters);
	int used;

	hint = keys_hint(app, VIEW_CONTEXT(board), board_hints, COUNT(board_hints));
	move(1, 0);
	clrtoeol();
	attron(A_BOLD);
	used = draw_text(stdscr, 1, 1, app->cols - 2, line, false);
	attroff(A_BOLD);
	if (used + 3 < app->cols - 1)	/* the keys, as many as there is room for */
		draw_text(stdscr, 1, used + 3, app->cols - 1 - used - 3, hint, false);
	free(hint);
	free(line);
	free(filters);
}

static void
draw_headers(struct app *app, const struct bview *s)
{
	int w = column_width(app);

	attron(app->colors ? COLOR_PAIR(PAIR_HEADER) | A_BOLD : A_BOLD);
	draw_fill(stdscr, 2, 0, app->cols);
	for (int c = 0; c < N_COLUMNS; c++) {
		size_t od = board_overdue(s->b, (enum board_column)c);
		char *head = od > 0 ? xasprintf("%s %zu !%zu", board_column_label((enum board_column)c),
		    board_count(s->b, (enum board_column)c), od) :
		    xasprintf("%s %zu", board_column_label((enum board_column)c),
		    board_count(s->b, (enum board_column)c));

		if (c == s->col)
			attron(A_UNDERLINE);
		draw_text(stdscr, 2, c * (w + 1), w, head, false);
		if (c == s->col)
			attroff(A_UNDERLINE);
		free(head);
	}
	attroff(app->colors ? COLOR_PAIR(PAIR_HEADER) | A_BOLD : A_BOLD);
}

/* "12-20 王芳 雁塔区": the deadline (in full when there is room), the person, the district. */
static char *
card_detail(const struct board_card *c, int width)
{
	const char *d = c->deadline;

	if (width < 30 && strlen(d) == 10)
		d += 5;
	return xasprintf("%s %s %s", *d != '\0' ? d : "-", c->person_name, c->district);
}

static void
draw_card(struct app *app, int y, int x, int w, const struct board_card *c, bool current)
{
	int attr = current ? (app->colors ? COLOR_PAIR(PAIR_CURSOR) : A_REVERSE) :
	    c->overdue && app->colors ? COLOR_PAIR(PAIR_ERROR) : 0;
	char *head = w >= 30 ? xasprintf("%s%s %s", c->overdue ? "!" : " ", c->id, c->state_label) :
	    xasprintf("%s%s", c->overdue ? "!" : " ", c->id);
	char *detail = card_detail(c, w);

	attron(attr | (c->overdue ? A_BOLD : 0));
	draw_text(stdscr, y, x, w, head, true);
	draw_text(stdscr, y + 1, x, 1, " ", true);
	draw_text(stdscr, y + 1, x + 1, w - 1, c->institution, true);
	draw_text(stdscr, y + 2, x, 1, " ", true);
	draw_text(stdscr, y + 2, x + 1, w - 1, detail, true);
	attroff(attr | (c->overdue ? A_BOLD : 0));
	free(head);
	free(detail);
}

static void
draw_column(struct app *app, struct bview *s, int c)
{
	int w = column_width(app), x = c * (w + 1), rows = card_rows(app);
	struct list *l = &s->list[c];
	size_t n = board_count(s->b, (enum board_column)c);
	struct error err = ERROR_INIT;

	list_fit(l, n, rows);
	for (int i = 0; i < rows; i++) {
		int y = TOP + i * CARD_LINES;
		size_t at = l->top + (size_t)i;
		const struct board_card *card = at < n ?
		    board_card(s->b, (enum board_column)c, at, &err) : NULL;

		if (card != NULL)
			draw_card(app, y, x, w, card, c == s->col && at == l->cursor);
		else
			for (int k = 0; k < CARD_LINES; k++)
				draw_fill(stdscr, y + k, x, w);
		if (err.message != NULL)
			app_message(app, true, "%s", err.message);
		error_clear(&err);
	}
	for (int y = TOP; c + 1 < N_COLUMNS && y < app->lines - 2; y++)
		mvaddch(y, x + w, '|');	/* ASCII: right in every terminal */
}

static void
bview_status(struct app *app, const struct bview *s)
{
	char *today = xasprintf(_("today %s"), s->today);
	char *took = xasprintf(_("counted in %.0f ms"), board_open_ms(s->b));
	char *left = status_join((const char *const[]){ _(" Task board"), app->who_text, today,
	    took, app->opt->dir }, 5, app->cols - 1);

	draw_status(app, left, "");
	free(left);
	free(today);
	free(took);
}

static void
bview_draw(struct app *app, struct view *v)
{
	struct bview *s = v->data;
	struct error err = ERROR_INIT;
	int used = TOP + card_rows(app) * CARD_LINES;

	if (s->stale && bview_count(app, s, &err) != 0) {
		app_message(app, true, "%s", err.message);
		error_clear(&err);
	}
	draw_filters(app, s);
	draw_headers(app, s);
	for (int c = 0; c < N_COLUMNS; c++)
		draw_column(app, s, c);
	for (int y = used; y < app->lines - 2; y++) {
		move(y, 0);
		clrtoeol();
	}
	bview_status(app, s);
}

static const struct board_card *
current_card(struct app *app, struct bview *s)
{
	struct error err = ERROR_INIT;
	const struct board_card *c = board_card(s->b, (enum board_column)s->col,
	    s->list[s->col].cursor, &err);

	if (err.message != NULL)
		app_message(app, true, "%s", err.message);
	error_clear(&err);
	return c;
}

/* The reason a move asks for ("reason" in its states file); NULL when it needs none. */
static bool
move_needs_reason(const struct machine *m, const char *from, const char *to)
{
	const struct machine_move *mv = machine_find_move(m, from, to);

	for (size_t i = 0; mv != NULL && i < mv->n_guards; i++)
		if (mv->guards[i].kind == GUARD_REASON)
			return true;
	return false;
}

static void
report_move(struct app *app, const struct machine *m, const struct move_result *r)
{
	const struct field *f = &m->form->fields[m->field];

	if (r->n_created > 0)
		app_message(app, false, _("%s: %s → %s (%zu new records)"), r->id,
		    field_option_label(f, r->from), field_option_label(f, r->to), r->n_created);
	else
		app_message(app, false, "%s: %s → %s", r->id, field_option_label(f, r->from),
		    field_option_label(f, r->to));
}

/* The card under the cursor one column left (-1) or right (+1): a move of its record. */
static void
move_card(struct app *app, struct bview *s, int dir)
{
	const struct board_card *c = current_card(app, s);
	const struct machine *m;
	struct error err = ERROR_INIT;
	struct move_result res;
	char *id, *from, *reason = NULL;
	const char *to;

	if (c == NULL)
		return;
	m = c->machine;
	if ((to = machine_neighbour(m, c->state, dir)) == NULL) {
		app_message(app, true, _("%s cannot move further %s from %s"), c->id,
		    dir < 0 ? _("left") : _("right"), c->state_label);
		return;
	}
	id = xstrdup(c->id);
	from = xstrdup(c->state);	/* the card may be read again while the reason is typed */
	if (move_needs_reason(m, from, to) &&
	    ((reason = app_prompt(app, _("reason: "), NULL)) == NULL || *reason == '\0')) {
		app_message(app, true, _("%s not moved: the move needs a reason"), id);
		free(reason);
		free(from);
		free(id);
		return;
	}
	memset(&res, 0, sizeof res);
	if (casework_move_from(app->store, s->cw, id, from, to, reason, &res, &err) != 0)
		app_message(app, true, "%s", err.message);	/* refused: nothing moved */
	else if (board_apply_move(s->b, &res, &err) != 0)
		app_message(app, true, "%s", err.message);
	else
		report_move(app, m, &res);
	move_result_clear(&res);
	error_clear(&err);
	free(reason);
	free(from);
	free(id);
}

static void
open_card(struct app *app, struct bview *s)
{
	const struct board_card *c = current_card(app, s);
	struct error err = ERROR_INIT;
	struct view *form;

	if (c == NULL)
		return;
	if ((form = view_form_new(app, c->form, c->id, &err)) == NULL) {
		app_message(app, true, "%s", err.message);
		error_clear(&err);
		return;
	}
	s->stale = true;	/* it may be changed or moved there */
	app_push(app, form);
}

/* Counts again after a filter changed; the message says what shows now. */
static void
refilter(struct app *app, struct bview *s)
{
	struct error err = ERROR_INIT;

	if (bview_count(app, s, &err) != 0)
		app_message(app, true, "%s", err.message);
	error_clear(&err);
}

static void
pick_district(struct app *app, struct bview *s)
{
	size_t n = store_division_count(app->store, DIV_DISTRICT), current = 0;
	struct pick_item *items = xcalloc(n + 1, sizeof *items);
	int chosen;

	items[0].value = "";
	items[0].label = _("(every district)");
	for (size_t i = 0; i < n; i++) {
		const struct division *d = store_division_at(app->store, DIV_DISTRICT, i);

		items[i + 1].value = d->code;
		items[i + 1].label = d->name;
		if (s->district != NULL && str_eq(s->district, d->code))
			current = i + 1;
	}
	chosen = app_pick(app, _("district: type to narrow, Enter chooses"), items, n + 1, NULL,
	    current);
	if (chosen >= 0) {
		free(s->district);
		s->district = chosen > 0 ? xstrdup(items[chosen].value) : NULL;
		refilter(app, s);
	}
	free(items);
}

struct people {
	struct pick_item *items;
	char **owned;		/* ids and labels */
	size_t n, n_owned;
};

static void
people_own(struct people *p, char *s)
{
	p->owned = xrealloc(p->owned, (p->n_owned + 1) * sizeof *p->owned);
	p->owned[p->n_owned++] = s;
}

static int
add_person(const struct record *rec, void *arg)
{
	struct people *p = arg;
	char *id = xstrdup(record_id(rec));
	char *label = xasprintf("%s  %s  %s", record_get(rec, "name"), record_get(rec, "login"), id);

	people_own(p, id);
	people_own(p, label);
	p->items = xrealloc(p->items, (p->n + 1) * sizeof *p->items);
	p->items[p->n].value = id;
	p->items[p->n++].label = label;
	return 0;
}

static void
pick_person(struct app *app, struct bview *s)
{
	const struct form *users = formset_find(store_forms(app->store), PERSON_FORM);
	struct people p = { NULL, NULL, 0, 0 };
	struct store_txn *txn;
	struct error err = ERROR_INIT;
	size_t current = 0;
	int chosen;

	p.items = xcalloc(1, sizeof *p.items);
	p.items[0].value = "";
	p.items[0].label = _("(anyone)");
	p.n = 1;
	if (users == NULL || store_txn_begin(app->store, false, &txn, &err) != 0) {
		app_message(app, true, "%s", err.message != NULL ? err.message : _("no user form"));
		goto out;
	}
	if (store_foreach(txn, users, add_person, &p, &err) != 0)
		app_message(app, true, "%s", err.message);
	store_txn_abort(txn);
	for (size_t i = 1; s->person != NULL && i < p.n; i++)
		if (str_eq(p.items[i].value, s->person))
			current = i;
	chosen = app_pick(app, _("person: type to narrow, Enter chooses"), p.items, p.n, NULL,
	    current);
	if (chosen >= 0) {
		const char *label = p.items[chosen].label, *gap = strstr(label, "  ");

		free(s->person);
		free(s->person_name);
		s->person = chosen > 0 ? xstrdup(p.items[chosen].value) : NULL;
		s->person_name = chosen > 0 ? xstrndup(label, gap != NULL ? (size_t)(gap - label) :
		    strlen(label)) : NULL;
		s->mine = false;
		refilter(app, s);
	}
out:
	for (size_t i = 0; i < p.n_owned; i++)
		free(p.owned[i]);
	free(p.owned);
	free(p.items);
	error_clear(&err);
}

static bool
machine_has_columns(const struct machine *m)
{
	for (size_t i = 0; i < m->n_states; i++)
		if (m->states[i].column != COLUMN_NONE)
			return true;
	return false;
}

static void
pick_type(struct app *app, struct bview *s)
{
	struct pick_item *items = xcalloc(s->cw->n_machines + 1, sizeof *items);
	const struct form **forms = xcalloc(s->cw->n_machines + 1, sizeof *forms);
	size_t n = 1, current = 0;
	int chosen;

	items[0].value = "";
	items[0].label = _("(every type)");
	for (size_t i = 0; i < s->cw->n_machines; i++) {
		const struct machine *m = s->cw->machines[i];

		if (!machine_has_columns(m))
			continue;
		if (s->type == m->form)
			current = n;
		forms[n] = m->form;
		items[n].value = m->form->name;
		items[n++].label = form_label(m->form);
	}
	chosen = app_pick(app, _("type: type to narrow, Enter chooses"), items, n, NULL, current);
	if (chosen >= 0) {
		s->type = forms[chosen];
		refilter(app, s);
	}
	free(items);
	free(forms);
}

static void
toggle_mine(struct app *app, struct bview *s)
{
	if (!s->mine && store_actor(app->store)->id == NULL) {
		app_message(app, true, _("the login %s has no person record: no card is theirs"),
		    store_actor(app->store)->login);
		return;
	}
	s->mine = !s->mine;
	refilter(app, s);
}

static void
clear_filters(struct app *app, struct bview *s)
{
	free(s->district);
	free(s->person);
	free(s->person_name);
	s->district = s->person = s->person_name = NULL;
	s->mine = false;
	s->type = NULL;
	refilter(app, s);
}

static void
recount(struct app *app, struct bview *s)
{
	struct error err = ERROR_INIT;

	if (bview_count(app, s, &err) != 0)
		app_message(app, true, "%s", err.message);
	else
		app_message(app, false, _("counted again in %.0f ms"), board_open_ms(s->b));
	error_clear(&err);
	clearok(stdscr, TRUE);
}

static int
bview_handle(struct app *app, struct view *v, enum action a, int key)
{
	struct bview *s = v->data;

	(void)key;
	if (list_action(&s->list[s->col], board_count(s->b, (enum board_column)s->col),
	    card_rows(app), a))
		return R_DRAW;
	switch (a) {
	case ACT_LEFT:			s->col = s->col > 0 ? s->col - 1 : 0; break;
	case ACT_RIGHT:			s->col = s->col + 1 < N_COLUMNS ? s->col + 1 : s->col; break;
	case ACT_OPEN:			open_card(app, s); break;
	case ACT_BOARD_MOVE_LEFT:	move_card(app, s, -1); break;
	case ACT_BOARD_MOVE_RIGHT:	move_card(app, s, +1); break;
	case ACT_BOARD_DISTRICT:	pick_district(app, s); break;
	case ACT_BOARD_PERSON:		pick_person(app, s); break;
	case ACT_BOARD_MINE:		toggle_mine(app, s); break;
	case ACT_BOARD_TYPE:		pick_type(app, s); break;
	case ACT_BOARD_CLEAR:		clear_filters(app, s); break;
	case ACT_REVIEW:		review_from_board(app, s->b, s->col); break;
	case ACT_REDRAW:		recount(app, s); break;
	default:
		return R_UNHANDLED;
	}
	return R_DRAW;
}

static const char *
bview_title(struct view *v)
{
	struct bview *s = v->data;

	free(s->title);
	s->title = xasprintf("%s  (%s %s)", _("Task board"), store_city_name(s->store),
	    store_city_code(s->store));
	return s->title;
}

static void
bview_destroy(struct view *v)
{
	struct bview *s = v->data;

	board_free(s->b);
	casework_free(s->cw);
	free(s->district);
	free(s->person);
	free(s->person_name);
	free(s->title);
	free(s);
}

static const struct view_ops bview_ops = {
	VIEW_CONTEXT(board), bview_draw, bview_handle, bview_destroy, bview_title,
};

struct view *
view_board_new(struct app *app, struct error *err)
{
	struct bview *s = xcalloc(1, sizeof *s);
	char *dir = xasprintf("%s/forms", app->opt->dir);
	struct view *v;
	int rc = casework_load(dir, store_forms(app->store), &s->cw, err);

	free(dir);
	s->store = app->store;
	if (rc != 0 || bview_count(app, s, err) != 0) {
		casework_free(s->cw);
		free(s);
		return NULL;
	}
	v = xcalloc(1, sizeof *v);
	v->ops = &bview_ops;
	v->data = s;
	return v;
}
