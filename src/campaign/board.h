/*
 * board.h — the task board's cards (board.c): the records of every form whose states file
 * puts states in board columns, each column's count and overdue count taken from the
 * indexes, and only the cards a screen shows read from the store. The console's board and
 * "huitou board" both show these cards.
 */
#ifndef HUITOU_BOARD_H
#define HUITOU_BOARD_H

#include "campaign/casework.h"

/* Which cards are on the board; NULL members let everything through. */
struct board_filter {
	const char *district;		/* a district's code */
	const char *person;		/* a person's record id (the machine's "person" field) */
	const struct form *type;	/* one form */
	const char *where;		/* a query (store/query.h), read against each form */
};

/* A card as shown: strings owned by the board, valid until it changes (board_apply_move). */
struct board_card {
	const char *id;
	const struct form *form;
	const struct machine *machine;
	enum board_column column;
	const char *state;		/* the state field's value */
	const char *state_label;	/* in the user's language */
	bool overdue;
	const char *deadline;		/* "YYYY-MM-DD" or "" */
	const char *person;		/* the person's record id, or "" */
	const char *person_name;	/* their name, else the id */
	const char *institution;	/* the institution's name, else its id, or "" */
	const char *district;		/* the district's name, else its code, or "" */
	uint64_t version;
};

struct board;
/* Counts the board for today ("YYYY-MM-DD"); a where that no form of the board can read is
 * refused (ST_USAGE) with the reason. */
int board_open(struct store *store, const struct casework *cw, const struct board_filter *f,
    const char *today, struct board **out, struct error *err);
void board_free(struct board *b);
size_t board_count(const struct board *b, enum board_column c);
size_t board_overdue(const struct board *b, enum board_column c);
/* The card at place i of column c: the columns before done in deadline order (overdue first),
 * done newest first. Read from the store when first asked for. NULL past the end, or when it
 * cannot be read (err says why). */
const struct board_card *board_card(struct board *b, enum board_column c, size_t i,
    struct error *err);
/* After casework_move made r: the record leaves its column and takes its place in its new
 * one without counting the board again (a move with effects, or a where, counts again). */
int board_apply_move(struct board *b, const struct move_result *r, struct error *err);
/* How long board_open took, in milliseconds (for the status line and the benchmark). */
double board_open_ms(const struct board *b);

/* A set of ids with a tag each (board-ids.c). */
#define IDSET_KEY 22		/* an id this long or shorter is kept in its slot */
struct idslot;
struct idset {
	struct buf arena;	/* the ids, NUL-terminated */
	struct idslot *slots;
	size_t n, cap;
};
int idset_add(struct idset *s, const char *id, size_t len, uint8_t tag, uint32_t *off);
/* Room for n ids without growing. */
void idset_reserve(struct idset *s, size_t n);
/* The tag of id (which may be changed through it), or NULL when id is not in the set. */
uint8_t *idset_find(const struct idset *s, const char *id, size_t len, uint32_t *off);
const char *idset_str(const struct idset *s, uint32_t off);
void idset_each_tag(struct idset *s, void (*fn)(void *arg, uint8_t *tag), void *arg);
/* Each id with its tag; the set must not change meanwhile. */
void idset_each(struct idset *s, void (*fn)(void *arg, const char *id, uint8_t *tag), void *arg);
void idset_free(struct idset *s);

#endif
