/*
 * board-private.h — what board.c (counting the board) and board-card.c (reading its cards,
 * paging the done column, a move) share: the board's columns of entries and its sets of ids.
 */
#ifndef HUITOU_BOARD_PRIVATE_H
#define HUITOU_BOARD_PRIVATE_H

#include "campaign/board.h"

#define MAX_FORMS 16
#define NARROW_RATIO 16	/* a filter passing 1/16 of the records or fewer: read them */
#define LAZY_PAGE 64		/* cards read from an index at a time */
#define TAG_COLUMN 0x0f		/* a listed id's tag: its column + 1 … */
#define TAG_LAZY 0x10		/* … its column is paged, not listed */
#define TAG_SEEN 0x20		/* … the deadline walk met it */

struct entry {
	uint32_t id;		/* offset in the board's ids, or in lazy_ids (paged, streamed) */
	uint8_t form;
	char deadline[11];	/* "" when none (last in the order) */
};

struct held_card {
	struct board_card c;
	struct record *rec;
	char *institution;	/* its name, which the card points to */
};

struct bform {
	const struct form *form;
	const struct machine *m;
	bool filtered;
	struct idset allowed;	/* with filtered: the ids the filter lets through (tag 1) */
	size_t passed;		/* how many */
};

struct segment {		/* a paged column's states, one after the other */
	enum board_column column;
	uint8_t form;
	const char *state;
};

/* A state of a listed column read from its pair index (index-by the deadline): the column's
 * cards are the streams' entries merged by deadline, read a page at a time. */
struct stream {
	enum board_column column;
	uint8_t form;
	const char *state;
	bool empties;		/* reading the entries without a deadline, which come last */
	char *second, *after;	/* the last entry read: its deadline and id; NULL: none yet */
};

struct bcolumn {
	size_t count, overdue;
	struct entry *e;	/* listed: every card in order; paged, streamed: those read so far */
	struct held_card **cards;	/* per entry, once read */
	size_t n, cap;
	bool paged;
	bool streamed;		/* listed, from the streams (pair indexes), read as it scrolls */
	size_t seg;		/* paged: the segment being read, and the last id read in it */
	char *after;
	bool exhausted;
};

struct person_name {
	char *id, *name;
};

struct board {
	struct store *store;
	const struct casework *cw;
	struct board_filter filter;	/* copies */
	char *district, *person, *where;
	char today[11];
	struct bform forms[MAX_FORMS];
	size_t n_forms;
	struct idset ids;	/* the ids in states that are not final, tagged */
	struct idset lazy_ids;	/* the ids read into paged and streamed columns */
	struct bcolumn col[N_COLUMNS];
	struct segment *segs;
	size_t n_segs;
	bool pairs;		/* every listed state has a pair index by its deadline */
	bool narrow;		/* counted from the few records a filter lets through */
	struct stream *streams;
	size_t n_streams;
	struct person_name *people;	/* the names read so far */
	size_t n_people;
	double ms;
};


/* board.c */
bool board_allows(const struct bform *bf, const char *id, size_t len);
void board_column_push(struct bcolumn *col, uint32_t id, uint8_t form, const char *deadline,
    size_t dlen);

/* board-narrow.c */
bool board_is_narrow(const struct board *b, struct store_txn *txn);
int board_count_narrow(struct board *b, struct store_txn *txn, struct error *err);

/* board-card.c */
int board_stream_more(struct board *b, enum board_column c, size_t want, struct error *err);
void board_card_free(struct held_card *hc);
/* Forgets what a paged column read (after a move into or out of it). */
void board_column_unread(struct board *b, struct bcolumn *col);
int board_recount(struct board *b, struct error *err);

#endif
