/*
 * casework.h — the campaign's casework as data: the states and moves of a record type
 * (forms/NAME.states, read by machine.c), the deadline rules (forms/deadlines.rules) and the
 * one way to move a record from one state to another (move.c), which the command line
 * ("huitou move"), the console's form and the task board all call.
 */
#ifndef HUITOU_CASEWORK_H
#define HUITOU_CASEWORK_H

#include "store/store.h"

/* The task board's columns; a state names its own with "column". */
enum board_column {
	COLUMN_NONE = -1,	/* not on the board */
	COLUMN_TO_DO,		/* 待办 */
	COLUMN_DOING,		/* 进行中 */
	COLUMN_VERIFY,		/* 待复查 */
	COLUMN_DONE,		/* 已完成 */
	N_COLUMNS
};
const char *board_column_name(enum board_column c);	/* "todo" … */
const char *board_column_label(enum board_column c);	/* in the user's language */

struct machine_state {
	char *value;		/* an option of the machine's field */
	enum board_column column;
	bool final;		/* done: never overdue */
	int line;
};

enum guard_kind {
	GUARD_REQUIRE,		/* "require FIELD": the field holds something */
	GUARD_REASON,		/* "reason": the move is given a reason */
	GUARD_BY,		/* "by EFFECT": only that effect makes the move, never a person */
	GUARD_CHECK,		/* "check NAME": a named check of move.c (checklist-complete …) */
	GUARD_WHEN,		/* "when FIELD VALUE…": the field holds one of the values */
};
struct machine_guard {
	enum guard_kind kind;
	char *arg;		/* the field, effect or check; NULL for reason */
	char **values;		/* when: the values the field may hold (NULL-terminated) */
	int line;
};

struct machine_effect {
	char **args;		/* NULL-terminated; args[0] is the effect's name */
	size_t n_args;
	int line;
};

struct machine_move {
	char *from;		/* a state, or "*": any state but the target */
	char *to;
	char *action;		/* the commit's Action trailer, e.g. rectification.verify */
	char *words_zh, *words_en;	/* what happened, after the form's label and the id */
	struct machine_guard *guards;
	size_t n_guards;
	struct machine_effect *effects;
	size_t n_effects;
	int line;
};

/* "review STATE accept ACTION reject ACTION": what a review queue's accept and reject do to
 * a record in that state, each a move from it that a person makes; NULL: none given. */
struct machine_review {
	char *state;
	char *accept, *reject;		/* the moves' actions, as written */
	char *accept_to, *reject_to;	/* the states they move to */
	int line;
};

struct machine {
	char *path;		/* where it was read from */
	char *text;		/* the file's text, as the audit trail keeps it */
	const struct form *form;
	size_t field;		/* the state field (an enum of the form) */
	int deadline_field;	/* "deadline FIELD", a date: past it and not final is overdue; -1 */
	int person_field;	/* "person FIELD", a ref to a person: who must act; -1 */
	struct machine_state *states;
	size_t n_states;
	struct machine_move *moves;
	size_t n_moves;
	struct machine_review *reviews;
	size_t n_reviews;
};

/* Reads one states file against the forms; "FILE:LINE: reason" when it is wrong. */
int machine_parse(const char *path, const char *text, const struct formset *forms,
    struct machine **out, struct error *err);
void machine_free(struct machine *m);
const struct machine_state *machine_state(const struct machine *m, const char *value);
/* The move from state from to state to: the first in file order naming from, else the first
 * from "*"; NULL when there is none. */
const struct machine_move *machine_find_move(const struct machine *m, const char *from,
    const char *to);
/* The review line of state, or NULL when a review can only skip or edit such a record. */
const struct machine_review *machine_review(const struct machine *m, const char *state);
/* Whether the move needs a reason ("reason" among its guards). */
bool machine_move_needs_reason(const struct machine_move *mv);
/* The state a card moves to on the board from state, one column left (-1) or right (+1): the
 * target of the first move from it (or from "*") into the nearest column that has one, moves
 * made only by an effect included (casework_move refuses those with the reason). NULL: none. */
const char *machine_neighbour(const struct machine *m, const char *state, int direction);
/* Whether rec is overdue on day today ("YYYY-MM-DD"): past its deadline, not in a final
 * state. Derived, never stored. */
bool machine_overdue(const struct machine *m, const struct record *rec, const char *today);

/* Deadline rules (forms/deadlines.rules, read by deadlines.c). */
struct deadline_rules;
int deadline_rules_parse(const char *path, const char *text, struct deadline_rules **out,
    struct error *err);
void deadline_rules_free(struct deadline_rules *r);
/* The days to rectify a failed check of that severity, the most specific line winning;
 * -1 when no line applies. */
int deadline_days(const struct deadline_rules *r, const char *check, const char *severity);
/* The severity a finding of the check starts with; NULL when none is given. */
const char *deadline_severity(const struct deadline_rules *r, const char *check);
/* Whether every check and severity the rules name ("*" aside) is an option of the field
 * check and severity of form rectification; "FILE:LINE: reason" when not. */
int deadline_rules_check(const struct deadline_rules *r, const struct formset *forms,
    struct error *err);

/* Response rules (forms/responses.rules, read by responses.c): the days a complaint has to be
 * answered, by channel. */
struct response_rules;
int response_rules_parse(const char *path, const char *text, struct response_rules **out,
    struct error *err);
void response_rules_free(struct response_rules *r);
/* The days for a complaint that came in by channel: its line, else "*"; -1 when none. */
int response_days(const struct response_rules *r, const char *channel);
/* Whether every channel the rules name ("*" aside) is an option of complaint's channel;
 * "FILE:LINE: reason" when not. */
int response_rules_check(const struct response_rules *r, const struct formset *forms,
    struct error *err);

/* Everything of the casework in force: read from DATA/forms, a file missing there taken from
 * the shipped ones (an older data directory). */
struct casework {
	struct machine **machines;
	size_t n_machines;
	struct deadline_rules *deadlines;	/* NULL when no rules are found */
	char *deadlines_path, *deadlines_text;
	struct response_rules *responses;	/* NULL when no rules are found */
	char *responses_path, *responses_text;
};
int casework_load(const char *forms_dir, const struct formset *forms, struct casework **out,
    struct error *err);
void casework_free(struct casework *cw);
const struct machine *casework_machine(const struct casework *cw, const struct form *form);

/*
 * A move (move.c): the record id to state to, with its guards, its effects and the policy,
 * in one store transaction and one audit commit (subject "整改 ZG-… 复查通过", trailers
 * Action, Record, District, From-State, To-State). Refused (ST_REFUSED, nothing written) with
 * the reason in words when a guard, the policy or a "by" forbids it.
 */
struct move_result {
	char *id;		/* the record moved */
	char *from, *to;	/* its state before and after */
	char **created;		/* ids of records its effects made, NULL-terminated; may be NULL */
	size_t n_created;
	char **changed;		/* ids of other records its effects changed */
	size_t n_changed;
};
int casework_move(struct store *store, const struct casework *cw, const char *id,
    const char *to, const char *reason, struct move_result *out, struct error *err);
/* The same when the record is still in state from, the one the person saw (a form, a card):
 * if someone moved it meanwhile, refused (ST_REFUSED) and nothing is done. */
int casework_move_from(struct store *store, const struct casework *cw, const char *id,
    const char *from, const char *to, const char *reason, struct move_result *out,
    struct error *err);
/*
 * Several moves by a person in one store transaction and one audit commit (move-batch.c; a
 * review's decisions committed at the end): each with the state seen (from, NULL: any), its
 * guards, effects and the policy, as casework_move_from. All or nothing: the first refused
 * stops them (ST_REFUSED, *refused its index, nothing written). Subject "批量流转 N 条记录",
 * Action casework.moves, a Move trailer per move ("ID FROM TO ACTION"), the reasons in the
 * body; out gets one result per move.
 */
struct move_request {
	const char *id, *from, *to, *reason;
};
int casework_moves(struct store *store, const struct casework *cw,
    const struct move_request *req, size_t n, struct move_result *out, size_t *refused,
    struct error *err);
/* Whether that move would be allowed now (guards and policy); nothing written. */
int casework_move_check(struct store *store, const struct casework *cw, const char *id,
    const char *to, const char *reason, struct error *err);
void move_result_clear(struct move_result *r);

/*
 * The ten-check checklist (forms/checks.list, read by checks.c): each check's number, label
 * and sub-points, shown beside the check's field of an inspection. Every check is a field of
 * the list's form and an option of the order's check field ("orders FORM.FIELD"), and every
 * such option is a check.
 */
struct check {
	char *id;		/* the check's field, e.g. disclosure */
	int number;		/* 1 … */
	char *label_zh, *label_en;
	char **items_zh, **items_en;	/* the sub-points, n_items each */
	size_t n_items;
	int line;
};
struct checklist {
	char *path;
	char *form;		/* the form whose fields the checks are (inspection) */
	char *orders_form, *orders_field;	/* the enum whose options they are */
	struct check *checks;
	size_t n;
};
/* Reads checks.list text; "FILE:LINE: reason" when it is wrong. forms NULL: no cross-check. */
int checklist_parse(const char *path, const char *text, const struct formset *forms,
    struct checklist **out, struct error *err);
/* DIR/checks.list, else the shipped forms/checks.list; 1 (no error) when neither exists. */
int checklist_load(const char *forms_dir, const struct formset *forms, struct checklist **out,
    struct error *err);
void checklist_free(struct checklist *cl);
const struct check *checklist_find(const struct checklist *cl, const char *id);
/* The check a field of form shows: the check's own field or its FIELD_note; NULL for others. */
const struct check *checklist_for_field(const struct checklist *cl, const struct form *form,
    const char *field);
const char *check_label(const struct check *c);			/* in the user's language */
const char *check_item(const struct check *c, size_t i);	/* in the user's language */

#endif
