/*
 * view-draw.c — a draw's page: its parameters and what it was drawn with (each a field's
 * label and value, the labels in one column), then its sample in the order drawn (order,
 * institution, name, team) and its teams (lead first), as committed in git. Enter on an
 * institution or a person opens their record; m completes an announced draw.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/draw.h"
#include "console/draws.h"
#include "console/list.h"

#define ORDER_COLS 5
#define ID_COLS 18
#define TEAM_COLS 10

enum line_kind { LINE_FIELD, LINE_HEADING, LINE_ROW, LINE_TEAM, LINE_BLANK };

struct draw_line {
	enum line_kind kind;
	char *cells[4];		/* by kind: label value; heading; order id name team; team role id name */
	const char *ref_form;	/* what Enter opens: an institution or a person, or NULL */
	char *ref;
};

struct draw_page {
	int label_cols;		/* the widest label shown and a gap: 13 in Chinese, so a seed fits in 80 */
	char *id;
	char *title;
	struct draw_line *lines;
	size_t n;
	struct list list;
};

static int
page_rows(const struct app *app)
{
	return app->lines - 3;	/* title, status, message */
}

static struct draw_line *
add_line(struct draw_page *p, enum line_kind kind)
{
	p->lines = xrealloc(p->lines, (p->n + 1) * sizeof *p->lines);
	memset(&p->lines[p->n], 0, sizeof p->lines[p->n]);
	p->lines[p->n].kind = kind;
	return &p->lines[p->n++];
}

static void
lines_free(struct draw_page *p)
{
	for (size_t i = 0; i < p->n; i++) {
		for (size_t c = 0; c < 4; c++)
			free(p->lines[i].cells[c]);
		free(p->lines[i].ref);
	}
	free(p->lines);
	p->lines = NULL;
	p->n = 0;
}

/* The next CSV cell of *s (quoted or not), *s moved past it and its comma; caller frees. */
static char *
next_cell(const char **s)
{
	struct buf out = BUF_INIT;
	const char *p = *s;

	if (*p == '"') {
		for (p++; *p != '\0'; p++) {
			if (*p == '"' && p[1] == '"')
				p++;
			else if (*p == '"') {
				p++;
				break;
			}
			buf_addc(&out, *p);
		}
	} else
		for (; *p != '\0' && *p != ','; p++)
			buf_addc(&out, *p);
	*s = *p == ',' ? p + 1 : p;
	return buf_detach(&out);
}

/* The rows of a committed CSV text after its header, four cells each. */
static void
add_rows(struct draw_page *p, const char *text, enum line_kind kind)
{
	const char *line = text != NULL ? strchr(text, '\n') : NULL;

	while (line != NULL && *++line != '\0') {
		const char *end = strchr(line, '\n');
		char *row = end != NULL ? xstrndup(line, (size_t)(end - line)) : xstrdup(line);
		const char *at = row;
		struct draw_line *l = add_line(p, kind);

		for (size_t c = 0; c < 4; c++)
			l->cells[c] = next_cell(&at);
		l->ref_form = kind == LINE_ROW ? "institution" : PERSON_FORM;
		l->ref = xstrdup(kind == LINE_ROW ? l->cells[1] : l->cells[2]);
		free(row);
		line = end;
	}
}

static void
add_field(struct app *app, struct draw_page *p, const struct record *rec, const char *name)
{
	int i = form_field_index(rec->form, name);
	struct draw_line *l;

	if (i < 0 || *rec->values[i] == '\0')
		return;
	l = add_line(p, LINE_FIELD);
	l->cells[0] = xstrdup(field_label(&rec->form->fields[i]));
	if ((int)width_of(l->cells[0]) + 1 > p->label_cols)
		p->label_cols = (int)width_of(l->cells[0]) + 1;
	l->cells[1] = xstrdup(value_text(app, &rec->form->fields[i], rec->values[i]));
}

static const char *const shown_fields[] = {
	"state", "where", "size", "population_count", "inspectors", "per_team", "pool_count",
	"public_source", "announced_by", "announced_on", "announce_commit", "public_value",
	"seed", "sample_count", "drawn_by", "drawn_on", NULL,
};

static int
page_load(struct app *app, struct draw_page *p, struct error *err)
{
	const struct form *form = formset_find(store_forms(app->store), DRAW_FORM);
	struct store_txn *txn = NULL;
	struct record *rec = NULL;
	char *sample = NULL, *teams = NULL;
	int rc = form != NULL ? store_txn_begin(app->store, false, &txn, err) :
	    error_set(err, ST_FAILED, _("the forms in force have no '%s' form"), DRAW_FORM);

	rc = rc == 0 ? store_get(txn, form, p->id, &rec, err) : rc;
	store_txn_abort(txn);
	rc = rc == 0 ? draw_file(app->store, p->id, "sample.csv", &sample, err) : rc;
	rc = rc == 0 ? draw_file(app->store, p->id, "teams.csv", &teams, err) : rc;
	if (rc == 0) {
		lines_free(p);
		p->label_cols = 0;
		for (size_t i = 0; shown_fields[i] != NULL; i++)
			add_field(app, p, rec, shown_fields[i]);
		if (sample != NULL) {
			add_line(p, LINE_BLANK);
			add_line(p, LINE_HEADING)->cells[0] = xstrdup(_("Sample, in the order drawn"));
			add_rows(p, sample, LINE_ROW);
		}
		if (teams != NULL) {
			add_line(p, LINE_BLANK);
			add_line(p, LINE_HEADING)->cells[0] = xstrdup(_("Teams, lead first"));
			add_rows(p, teams, LINE_TEAM);
		}
		for (size_t i = 0; i < p->n && p->lines[p->list.cursor].ref == NULL; i++)
			p->list.cursor = i;	/* on the first institution, where Enter opens one */
	}
	record_free(rec);
	free(sample);
	free(teams);
	return rc;
}

static void
draw_cells(struct app *app, const struct draw_page *p, int y, const struct draw_line *l)
{
	int x = 2, right = app->cols - 1;
	char *team;

	switch (l->kind) {
	case LINE_FIELD:
		draw_text(stdscr, y, x, p->label_cols - 1, l->cells[0], false);
		/* to the last column: a seed's 64 digits fit beside an English label at 80 */
		draw_text(stdscr, y, x + p->label_cols, app->cols - x - p->label_cols, l->cells[1],
		    false);
		break;
	case LINE_HEADING:
		attron(A_BOLD);
		draw_text(stdscr, y, x, right - x, l->cells[0], false);
		attroff(A_BOLD);
		break;
	case LINE_ROW:
		team = *l->cells[3] != '\0' ? xasprintf(_("team %s"), l->cells[3]) : xstrdup("");
		draw_text(stdscr, y, x, ORDER_COLS - 1, l->cells[0], false);
		draw_text(stdscr, y, x + ORDER_COLS, ID_COLS - 1, l->cells[1], false);
		draw_text(stdscr, y, x + ORDER_COLS + ID_COLS,
		    right - x - ORDER_COLS - ID_COLS - TEAM_COLS - 1, l->cells[2], false);
		draw_text(stdscr, y, right - TEAM_COLS, TEAM_COLS, team, false);
		free(team);
		break;
	case LINE_TEAM:
		team = xasprintf(_("team %s"), l->cells[0]);
		draw_text(stdscr, y, x, TEAM_COLS - 1, team, false);
		draw_text(stdscr, y, x + TEAM_COLS, 6, str_eq(l->cells[1], "lead") ? _("lead") :
		    _("member"), false);
		draw_text(stdscr, y, x + TEAM_COLS + 8, 12, l->cells[2], false);
		draw_text(stdscr, y, x + TEAM_COLS + 8 + 12, right - x - TEAM_COLS - 20,
		    l->cells[3], false);
		free(team);
		break;
	case LINE_BLANK:
		break;
	}
}

static const struct key_hint page_hints[] = {
	{ ACT_OPEN, N_("open") },
	{ ACT_MOVE, N_("draw") },
	{ ACT_BACK, N_("back") },
	{ ACT_HELP, N_("keys") },
};

static void
page_draw(struct app *app, struct view *v)
{
	struct draw_page *p = v->data;
	int rows = page_rows(app);
	char *hint = keys_hint(app, VIEW_CONTEXT(draw), page_hints, COUNT(page_hints));
	char *left = xasprintf(" %s  %s", p->id, hint);

	list_fit(&p->list, p->n, rows);
	for (int i = 0; i < rows; i++) {
		size_t r = p->list.top + (size_t)i;
		bool current = r == p->list.cursor && r < p->n && p->lines[r].ref != NULL;

		if (current)
			attron(app->colors ? COLOR_PAIR(PAIR_CURSOR) : A_REVERSE);
		draw_fill(stdscr, 1 + i, 0, app->cols);
		if (r < p->n)
			draw_cells(app, p, 1 + i, &p->lines[r]);
		if (current)
			attroff(app->colors ? COLOR_PAIR(PAIR_CURSOR) : A_REVERSE);
	}
	draw_status(app, left, "");
	free(left);
	free(hint);
}

static int
page_handle(struct app *app, struct view *v, enum action a, int key)
{
	struct draw_page *p = v->data;
	const struct draw_line *l = p->n > 0 ? &p->lines[p->list.cursor] : NULL;
	struct error err = ERROR_INIT;
	struct view *opened;

	(void)key;
	if (list_action(&p->list, p->n, page_rows(app), a))
		return R_DRAW;
	switch (a) {
	case ACT_OPEN:
		if (l == NULL || l->ref == NULL)
			break;
		opened = view_form_new(app, formset_find(store_forms(app->store), l->ref_form),
		    l->ref, &err);
		if (opened != NULL)
			app_push(app, opened);
		else
			app_message(app, true, "%s", err.message);
		break;
	case ACT_MOVE:
		if (draws_complete(app, p->id) && page_load(app, p, &err) != 0)
			app_message(app, true, "%s", err.message);
		break;
	default:
		return R_UNHANDLED;
	}
	error_clear(&err);
	return R_DRAW;
}

static const char *
page_title(struct view *v)
{
	struct draw_page *p = v->data;

	return p->title;
}

static void
page_destroy(struct view *v)
{
	struct draw_page *p = v->data;

	lines_free(p);
	free(p->id);
	free(p->title);
	free(p);
}

static const struct view_ops page_ops = {
	VIEW_CONTEXT(draw), page_draw, page_handle, page_destroy, page_title,
};

struct view *
view_draw_new(struct app *app, const char *id, struct error *err)
{
	struct draw_page *p = xcalloc(1, sizeof *p);
	struct view *v;

	p->id = xstrdup(id);
	p->title = xasprintf(_("Spot-check draw %s"), id);
	if (page_load(app, p, err) != 0) {
		page_destroy(&(struct view){ &page_ops, p, NULL });
		return NULL;
	}
	v = xcalloc(1, sizeof *v);
	v->ops = &page_ops;
	v->data = p;
	return v;
}
