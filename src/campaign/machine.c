/*
 * machine.c — reads a states file (forms/NAME.states, forms/README.md): the states of a
 * record type, which are the options of one enum field, the board column of each, and the
 * moves between them with their guards and effects. Only reading and lookups: move.c moves.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/casework.h"

static const char *const column_names[N_COLUMNS] = { "todo", "doing", "verify", "done" };

const char *
board_column_name(enum board_column c)
{
	return c >= 0 && c < N_COLUMNS ? column_names[c] : "none";
}

const char *
board_column_label(enum board_column c)
{
	static const char *const zh[N_COLUMNS] = { "待办", "进行中", "待复查", "已完成" };
	static const char *const en[N_COLUMNS] = { "To do", "In progress", "Awaiting verification",
	    "Done" };

	return c >= 0 && c < N_COLUMNS ? lang_pick(zh[c], en[c]) : "";
}

struct machine_parser {
	const struct formset *forms;
	struct machine *m;
	struct machine_state *state;	/* the state being described, or NULL */
	struct machine_move *move;	/* the move being described, or NULL */
};

static const struct lf_keyword top_keys[], state_keys[], move_keys[];

static int
need_form(struct linefile *lf)
{
	struct machine_parser *p = lf->arg;

	if (p->m->form == NULL)
		return linefile_fail(lf, _("the file must start with 'machine FORM'"));
	return 0;
}

static int
set_machine(struct linefile *lf, const struct lf_line *ln)
{
	struct machine_parser *p = lf->arg;

	if (p->m->form != NULL)
		return linefile_fail(lf, _("'machine' given twice"));
	if (ln->n_words != 2 || (p->m->form = formset_find(p->forms, ln->words[1])) == NULL)
		return linefile_fail(lf, _("'machine' names a form in force, not '%s'"), ln->rest);
	return 0;
}

/* "field F", "deadline F", "person F": a field of the form, of the kind the line needs. */
static int
field_of_kind(struct linefile *lf, const struct lf_line *ln, enum field_kind kind, int *out)
{
	struct machine_parser *p = lf->arg;
	int i;

	if (need_form(lf) != 0)
		return -1;
	if (ln->n_words != 2 || (i = form_field_index(p->m->form, ln->words[1])) < 0)
		return linefile_fail(lf, _("'%s' names a field of form %s"), ln->words[0],
		    p->m->form->name);
	if (p->m->form->fields[i].kind != kind)
		return linefile_fail(lf, _("field '%s' is not of type %s"), ln->words[1],
		    field_kind_name(kind));
	*out = i;
	return 0;
}

static int
set_field(struct linefile *lf, const struct lf_line *ln)
{
	struct machine_parser *p = lf->arg;
	int i;

	if (field_of_kind(lf, ln, FT_ENUM, &i) != 0)
		return -1;
	if (!p->m->form->fields[i].by_move)
		return linefile_fail(lf, _("field '%s' must be marked 'by-move' in %s, so that only moves change it"),
		    ln->words[1], p->m->form->path);
	p->m->field = (size_t)i;
	return 0;
}

static int
set_deadline(struct linefile *lf, const struct lf_line *ln)
{
	return field_of_kind(lf, ln, FT_DATE, &((struct machine_parser *)lf->arg)->m->deadline_field);
}

static int
set_person(struct linefile *lf, const struct lf_line *ln)
{
	return field_of_kind(lf, ln, FT_REF, &((struct machine_parser *)lf->arg)->m->person_field);
}

static const struct field *
state_field(const struct machine *m)
{
	return m->field > 0 ? &m->form->fields[m->field] : NULL;
}

/* A state's name must be an option of the state field. */
static int
check_state_name(struct linefile *lf, const char *name, bool star_ok)
{
	const struct machine *m = ((struct machine_parser *)lf->arg)->m;
	const struct field *f = state_field(m);

	if (f == NULL)
		return linefile_fail(lf, _("'field' must name the state field before states and moves"));
	if ((star_ok && str_eq(name, "*")) || field_option(f, name) != NULL)
		return 0;
	return linefile_fail(lf, _("'%s' is not an option of field %s"), name, f->name);
}

static int
start_state(struct linefile *lf, const struct lf_line *ln)
{
	struct machine_parser *p = lf->arg;
	struct machine *m = p->m;

	if (need_form(lf) != 0 || ln->n_words != 2 || check_state_name(lf, ln->words[1], false) != 0)
		return lf->refused > 0 ? -1 : linefile_fail(lf, _("'state' takes one state"));
	if (machine_state(m, ln->words[1]) != NULL)
		return linefile_fail(lf, _("state '%s' is described twice"), ln->words[1]);
	m->states = xrealloc(m->states, (m->n_states + 1) * sizeof *m->states);
	p->state = &m->states[m->n_states++];
	p->move = NULL;
	memset(p->state, 0, sizeof *p->state);
	p->state->value = xstrdup(ln->words[1]);
	p->state->column = COLUMN_NONE;
	p->state->line = ln->number;
	lf->keywords = state_keys;
	return 0;
}

static int
state_column(struct linefile *lf, const struct lf_line *ln)
{
	struct machine_state *s = ((struct machine_parser *)lf->arg)->state;

	for (int c = 0; ln->n_words == 2 && c < N_COLUMNS; c++)
		if (str_eq(ln->words[1], column_names[c])) {
			s->column = (enum board_column)c;
			return 0;
		}
	return linefile_fail(lf, _("'column' takes one of todo, doing, verify, done"));
}

static int
state_final(struct linefile *lf, const struct lf_line *ln)
{
	if (ln->n_words != 1)
		return linefile_fail(lf, _("'final' takes nothing after it"));
	((struct machine_parser *)lf->arg)->state->final = true;
	return 0;
}

static int
start_move(struct linefile *lf, const struct lf_line *ln)
{
	struct machine_parser *p = lf->arg;
	struct machine *m = p->m;

	if (need_form(lf) != 0)
		return -1;
	if (ln->n_words != 3)
		return linefile_fail(lf, _("'move' takes two states: move FROM TO"));
	if (check_state_name(lf, ln->words[1], true) != 0 ||
	    check_state_name(lf, ln->words[2], false) != 0)
		return -1;
	if (str_eq(ln->words[1], ln->words[2]))
		return linefile_fail(lf, _("a move goes to another state"));
	m->moves = xrealloc(m->moves, (m->n_moves + 1) * sizeof *m->moves);
	p->move = &m->moves[m->n_moves++];
	p->state = NULL;
	memset(p->move, 0, sizeof *p->move);
	p->move->from = xstrdup(ln->words[1]);
	p->move->to = xstrdup(ln->words[2]);
	p->move->line = ln->number;
	lf->keywords = move_keys;
	return 0;
}

static int
move_action(struct linefile *lf, const struct lf_line *ln)
{
	struct machine_move *mv = ((struct machine_parser *)lf->arg)->move;

	if (ln->n_words != 2 || strspn(ln->words[1], "abcdefghijklmnopqrstuvwxyz0123456789.-_") !=
	    strlen(ln->words[1]))
		return linefile_fail(lf, _("'action' takes one name, e.g. rectification.verify"));
	free(mv->action);
	mv->action = xstrdup(ln->words[1]);
	return 0;
}

static int
move_words(struct linefile *lf, const struct lf_line *ln)
{
	struct machine_move *mv = ((struct machine_parser *)lf->arg)->move;

	if (*ln->rest == '\0')
		return linefile_fail(lf, _("'words' takes what happened: words 中文 | English"));
	split_label(ln->rest, &mv->words_zh, &mv->words_en);
	return 0;
}

static void
add_guard(struct machine_move *mv, enum guard_kind kind, const char *arg, int line)
{
	mv->guards = xrealloc(mv->guards, (mv->n_guards + 1) * sizeof *mv->guards);
	mv->guards[mv->n_guards].kind = kind;
	mv->guards[mv->n_guards].arg = arg != NULL ? xstrdup(arg) : NULL;
	mv->guards[mv->n_guards].values = NULL;
	mv->guards[mv->n_guards++].line = line;
}

static int
move_require(struct linefile *lf, const struct lf_line *ln)
{
	struct machine_parser *p = lf->arg;

	for (size_t i = 1; i < ln->n_words; i++)
		if (form_field(p->m->form, ln->words[i]) == NULL)
			return linefile_fail(lf, _("'require' names fields of form %s, not '%s'"),
			    p->m->form->name, ln->words[i]);
	if (ln->n_words < 2)
		return linefile_fail(lf, _("'require' names at least one field"));
	for (size_t i = 1; i < ln->n_words; i++)
		add_guard(p->move, GUARD_REQUIRE, ln->words[i], ln->number);
	return 0;
}

static int
move_reason(struct linefile *lf, const struct lf_line *ln)
{
	if (ln->n_words != 1)
		return linefile_fail(lf, _("'reason' takes nothing after it"));
	add_guard(((struct machine_parser *)lf->arg)->move, GUARD_REASON, NULL, ln->number);
	return 0;
}

/* "when FIELD VALUE…": a field of the form and values it may hold (options of an enum). */
static int
move_when(struct linefile *lf, const struct lf_line *ln)
{
	struct machine_parser *p = lf->arg;
	struct machine_move *mv = p->move;
	const struct field *f = ln->n_words > 1 ? form_field(p->m->form, ln->words[1]) : NULL;
	struct machine_guard *g;

	if (ln->n_words < 3)
		return linefile_fail(lf, _("'when' takes a field and the values it may hold"));
	if (f == NULL)
		return linefile_fail(lf, _("'when' names a field of form %s, not '%s'"),
		    p->m->form->name, ln->words[1]);
	for (size_t i = 2; i < ln->n_words; i++)
		if (f->kind == FT_ENUM && field_option(f, ln->words[i]) == NULL)
			return linefile_fail(lf, _("'%s' is not an option of field %s"),
			    ln->words[i], f->name);
	add_guard(mv, GUARD_WHEN, ln->words[1], ln->number);
	g = &mv->guards[mv->n_guards - 1];
	g->values = xcalloc(ln->n_words - 1, sizeof *g->values);
	for (size_t i = 2; i < ln->n_words; i++)
		g->values[i - 2] = xstrdup(ln->words[i]);
	return 0;
}

/* "by EFFECT" and "check NAME": one name each; move.c knows the names and refuses others. */
static int
move_named_guard(struct linefile *lf, const struct lf_line *ln)
{
	enum guard_kind kind = str_eq(ln->words[0], "by") ? GUARD_BY : GUARD_CHECK;

	if (ln->n_words != 2)
		return linefile_fail(lf, _("'%s' takes one name"), ln->words[0]);
	add_guard(((struct machine_parser *)lf->arg)->move, kind, ln->words[1], ln->number);
	return 0;
}

static int
move_effect(struct linefile *lf, const struct lf_line *ln)
{
	struct machine_move *mv = ((struct machine_parser *)lf->arg)->move;
	struct machine_effect *e;

	if (ln->n_words < 2)
		return linefile_fail(lf, _("'effect' takes a name and its arguments"));
	mv->effects = xrealloc(mv->effects, (mv->n_effects + 1) * sizeof *mv->effects);
	e = &mv->effects[mv->n_effects++];
	e->n_args = ln->n_words - 1;
	e->args = xcalloc(e->n_args + 1, sizeof *e->args);
	for (size_t i = 0; i < e->n_args; i++)
		e->args[i] = xstrdup(ln->words[i + 1]);
	e->line = ln->number;
	return 0;
}

/* "review STATE [accept ACTION] [reject ACTION]": checked against the moves in check_machine,
 * once the whole file is read (a move may come after it). */
static int
start_review(struct linefile *lf, const struct lf_line *ln)
{
	struct machine *m = ((struct machine_parser *)lf->arg)->m;
	struct machine_review *r;

	if (need_form(lf) != 0)
		return -1;
	if (ln->n_words < 4 || ln->n_words % 2 != 0)
		return linefile_fail(lf, _("'review' takes a state, then 'accept ACTION' and/or 'reject ACTION'"));
	if (check_state_name(lf, ln->words[1], false) != 0)
		return -1;
	if (machine_review(m, ln->words[1]) != NULL)
		return linefile_fail(lf, _("state '%s' has a review line already"), ln->words[1]);
	m->reviews = xrealloc(m->reviews, (m->n_reviews + 1) * sizeof *m->reviews);
	r = &m->reviews[m->n_reviews++];
	memset(r, 0, sizeof *r);
	r->state = xstrdup(ln->words[1]);
	r->line = ln->number;
	for (size_t i = 2; i + 1 < ln->n_words; i += 2) {
		char **slot = str_eq(ln->words[i], "accept") ? &r->accept :
		    str_eq(ln->words[i], "reject") ? &r->reject : NULL;

		if (slot == NULL || *slot != NULL)
			return linefile_fail(lf, _("'review' takes 'accept ACTION' and 'reject ACTION', once each, not '%s'"),
			    ln->words[i]);
		*slot = xstrdup(ln->words[i + 1]);
	}
	((struct machine_parser *)lf->arg)->state = NULL;
	((struct machine_parser *)lf->arg)->move = NULL;
	lf->keywords = top_keys;
	return 0;
}

static int
unknown_line(struct linefile *lf, const struct lf_line *ln)
{
	return linefile_fail(lf, _("unknown line '%s'"), ln->words[0]);
}

#define TOP_KEYS \
	{ "machine", set_machine }, { "field", set_field }, { "deadline", set_deadline }, \
	{ "person", set_person }, { "state", start_state }, { "move", start_move }, \
	{ "review", start_review }

static const struct lf_keyword top_keys[] = { TOP_KEYS, { NULL, unknown_line } };
static const struct lf_keyword state_keys[] = {
	TOP_KEYS, { "column", state_column }, { "final", state_final }, { NULL, unknown_line },
};
static const struct lf_keyword move_keys[] = {
	TOP_KEYS, { "action", move_action }, { "words", move_words }, { "require", move_require },
	{ "reason", move_reason }, { "by", move_named_guard }, { "check", move_named_guard },
	{ "effect", move_effect }, { "when", move_when }, { NULL, unknown_line },
};

/* The move from state whose action is action: named from it, else from "*"; NULL if none. */
static const struct machine_move *
move_by_action(const struct machine *m, const char *state, const char *action)
{
	const struct machine_move *any = NULL;

	for (size_t i = 0; i < m->n_moves; i++) {
		const struct machine_move *mv = &m->moves[i];

		if (mv->action == NULL || !str_eq(mv->action, action) || str_eq(mv->to, state))
			continue;
		if (str_eq(mv->from, state))
			return mv;
		if (any == NULL && str_eq(mv->from, "*"))
			any = mv;
	}
	return any;
}

/* One side of a review line: a move from the state that a person makes, and the one a move
 * from the state to its target finds. */
static int
check_review_move(struct linefile *lf, const struct machine_review *r, const char *action,
    char **to)
{
	const struct machine *m = ((struct machine_parser *)lf->arg)->m;
	const struct machine_move *mv;

	if (action == NULL)
		return 0;
	if ((mv = move_by_action(m, r->state, action)) == NULL)
		return linefile_fail_at(lf, r->line, _("no move from %s has the action '%s'"),
		    r->state, action);
	if (machine_find_move(m, r->state, mv->to) != mv)
		return linefile_fail_at(lf, r->line, _("'%s' is not the move from %s to %s: another comes first"),
		    action, r->state, mv->to);
	for (size_t i = 0; i < mv->n_guards; i++)
		if (mv->guards[i].kind == GUARD_BY)
			return linefile_fail_at(lf, r->line, _("'%s' is made only by %s, never by a person, so a review cannot make it"),
			    action, mv->guards[i].arg);
	*to = xstrdup(mv->to);
	return 0;
}

static int
check_reviews(struct linefile *lf)
{
	struct machine *m = ((struct machine_parser *)lf->arg)->m;

	for (size_t i = 0; i < m->n_reviews; i++) {
		struct machine_review *r = &m->reviews[i];

		if (check_review_move(lf, r, r->accept, &r->accept_to) != 0 ||
		    check_review_move(lf, r, r->reject, &r->reject_to) != 0)
			return -1;
	}
	return 0;
}

/* What needs the whole file: every option of the field is a state, every move is named, every
 * review names moves. */
static int
check_machine(struct linefile *lf)
{
	const struct machine *m = ((struct machine_parser *)lf->arg)->m;
	const struct field *f = state_field(m);

	if (f == NULL)
		return linefile_fail_at(lf, 0, _("names no state field ('field FIELD')"));
	for (size_t i = 0; i < f->n_options; i++)
		if (machine_state(m, f->options[i].value) == NULL)
			return linefile_fail_at(lf, 0, _("option '%s' of field %s is not a state"),
			    f->options[i].value, f->name);
	for (size_t i = 0; i < m->n_moves; i++)
		if (m->moves[i].action == NULL || m->moves[i].words_zh == NULL)
			return linefile_fail_at(lf, m->moves[i].line,
			    _("a move needs an 'action' and 'words'"));
	return check_reviews(lf);
}

int
machine_parse(const char *path, const char *text, const struct formset *forms,
    struct machine **out, struct error *err)
{
	struct machine_parser p = { .forms = forms };
	struct linefile lf = { .path = path, .keywords = top_keys, .arg = &p, .err = err };

	p.m = xcalloc(1, sizeof *p.m);
	p.m->path = xstrdup(path);
	p.m->text = xstrdup(text);
	p.m->deadline_field = p.m->person_field = -1;
	if (linefile_read(&lf, text, strlen(text)) != 0 || check_machine(&lf) != 0) {
		machine_free(p.m);
		return -1;
	}
	*out = p.m;
	return 0;
}

static void
free_move(struct machine_move *mv)
{
	free(mv->from);
	free(mv->to);
	free(mv->action);
	free(mv->words_zh);
	free(mv->words_en);
	for (size_t i = 0; i < mv->n_guards; i++) {
		free(mv->guards[i].arg);
		strv_free(mv->guards[i].values);
	}
	free(mv->guards);
	for (size_t i = 0; i < mv->n_effects; i++)
		strv_free(mv->effects[i].args);
	free(mv->effects);
}

void
machine_free(struct machine *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < m->n_states; i++)
		free(m->states[i].value);
	free(m->states);
	for (size_t i = 0; i < m->n_moves; i++)
		free_move(&m->moves[i]);
	free(m->moves);
	for (size_t i = 0; i < m->n_reviews; i++) {
		free(m->reviews[i].state);
		free(m->reviews[i].accept);
		free(m->reviews[i].reject);
		free(m->reviews[i].accept_to);
		free(m->reviews[i].reject_to);
	}
	free(m->reviews);
	free(m->path);
	free(m->text);
	free(m);
}

const struct machine_state *
machine_state(const struct machine *m, const char *value)
{
	for (size_t i = 0; i < m->n_states; i++)
		if (str_eq(m->states[i].value, value))
			return &m->states[i];
	return NULL;
}

const struct machine_move *
machine_find_move(const struct machine *m, const char *from, const char *to)
{
	const struct machine_move *any = NULL;

	for (size_t i = 0; i < m->n_moves; i++) {
		const struct machine_move *mv = &m->moves[i];

		if (!str_eq(mv->to, to) || str_eq(from, to))
			continue;
		if (str_eq(mv->from, from))
			return mv;
		if (any == NULL && str_eq(mv->from, "*"))
			any = mv;
	}
	return any;
}

const struct machine_review *
machine_review(const struct machine *m, const char *state)
{
	for (size_t i = 0; i < m->n_reviews; i++)
		if (str_eq(m->reviews[i].state, state))
			return &m->reviews[i];
	return NULL;
}

bool
machine_move_needs_reason(const struct machine_move *mv)
{
	for (size_t i = 0; i < mv->n_guards; i++)
		if (mv->guards[i].kind == GUARD_REASON)
			return true;
	return false;
}

/* The target of a move from state (exactly, or else from "*") into column want; NULL if none. */
static const char *
move_into_column(const struct machine *m, const char *state, int want)
{
	const struct machine_state *t;
	const char *any = NULL;

	for (size_t i = 0; i < m->n_moves; i++) {
		const struct machine_move *mv = &m->moves[i];

		if (str_eq(mv->to, state) || (t = machine_state(m, mv->to)) == NULL ||
		    (int)t->column != want)
			continue;
		if (str_eq(mv->from, state))
			return mv->to;
		if (any == NULL && str_eq(mv->from, "*"))
			any = mv->to;
	}
	return any;
}

/* Moves a person may not make ("by") are offered too: the move refuses them with the reason. */
const char *
machine_neighbour(const struct machine *m, const char *state, int direction)
{
	const struct machine_state *s = machine_state(m, state);
	const char *to;

	if (s == NULL || s->column == COLUMN_NONE)
		return NULL;
	for (int want = (int)s->column + direction; want >= 0 && want < N_COLUMNS;
	    want += direction)
		if ((to = move_into_column(m, state, want)) != NULL)
			return to;
	return NULL;
}

bool
machine_overdue(const struct machine *m, const struct record *rec, const char *today)
{
	const struct machine_state *s = machine_state(m, rec->values[m->field]);
	const char *deadline;

	if (m->deadline_field < 0 || (s != NULL && s->final))
		return false;
	deadline = rec->values[m->deadline_field];
	return *deadline != '\0' && strcmp(today, deadline) > 0;
}
