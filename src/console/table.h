/*
 * table.h — what view-table.c (drawing and keys) and table-data.c (reading ids and search
 * keys between keys, limits, sorting) share: the table's state.
 */
#ifndef HUITOU_TABLE_H
#define HUITOU_TABLE_H

#include "console/console-private.h"
#include "console/list.h"
#include "store/query.h"

#define ID_CHUNK 4096		/* ids read at a time, between keys */
#define KEY_CHUNK 256		/* records read for their search keys at a time */
#define SLICE_US 4000		/* background work stops for a key after this */
#define RELEASE_SLICES 2	/* read pages given back every so many slices (memory budget) */
#define SORT_RELEASE_ROWS 8192	/* and by a sort, every so many records read */
#define LIMIT_FIRST_US 6000	/* a limit's first slice, before the screen is repainted */
#define LIMIT_CHUNK 512		/* rows matched between two looks at the clock */
#define LIMIT_PROGRESS_US 100000	/* a limit's progress repainted this often */

/* The ids, packed in blocks that never move (table-keys.c), shared between the tables of a
 * form that copy them (a dashboard's Enter): each holds a reference. */
struct id_blocks {
	struct text_blocks text;
	unsigned refs;
};
struct id_text {
	struct id_blocks *own;		/* what this table read */
	struct id_blocks **borrowed;	/* another table's, which ids point into */
	size_t n_borrowed;
};

/* The search keys, in an unlinked file read through a mapping that never moves; shared by
 * reference between a table and the ones that borrow its keys (table-keys.c). */
struct key_store {
	int fd;			/* -1: no file, keys stay on the heap */
	char *map;		/* read-only, reserved bytes; NULL without a file */
	size_t reserved;
	size_t len;		/* bytes written */
	size_t ordered;		/* the keys before it are in id order (0: all of them) */
	struct buf pending;	/* keys made, not yet written: written before one is read */
	unsigned refs;
};
struct key_file {
	struct key_store *own;		/* made at the first key */
	struct key_store *borrowed;	/* another table's, its keys copied; or NULL */
};

/* The ids' or the keys' pointers (8 MB each at a million), one array for a table and those
 * that copied them (a dashboard's Enter) until one of them changes one: then it takes a copy
 * of its own (own_ptrs in table-data.c). */
struct shared_ptrs {
	char **v;
	unsigned refs;
};

struct table {
	struct app *app;
	const struct form *form;
	char **ids;		/* the ids read so far (n_ids), in id order, in id_text */
	struct id_text id_text;
	struct shared_ptrs *ids_shared;	/* ids is ids_shared->v, another table's too; NULL: its own */
	size_t n_ids, cap;	/* cap: the size of ids, rows, keys and tagged */
	size_t n;		/* how many there are: the store's count until all are read */
	bool ids_done;
	struct str_index by_id;	/* positions of ids, for the ids an index range gives */
	uint32_t *rows;		/* the rows shown: indexes into ids, after limit and sort (4 bytes
				 * each: a million rows in 4 MB; a form holds fewer than 2^32) */
	size_t n_rows;
	bool all_rows;		/* rows are every id in id order (no limit, no sort) */
	char **keys;		/* per id: its search key (query_record_key), in key_file */
	struct key_file key_file;
	struct shared_ptrs *keys_shared;	/* keys is keys_shared->v, shared as ids are */
	size_t keys_next;	/* keys are read in id order up to here */
	bool keys_done;
	bool *tagged;
	size_t n_tagged;
	struct list list;	/* the cursor and top row: indexes into rows */
	int *columns;		/* field indexes shown */
	size_t n_columns;
	int *widths;		/* per column shown, in display columns (layout_columns) */
	size_t n_shown;		/* the columns that fit the window */
	size_t col;		/* the column under the cursor (sort) */
	int sort_col;		/* -1: id order */
	bool sort_desc;
	struct query_word *search;
	char *limit;
	char *title;
	bool on_tagged;		/* after ";": the next action applies to the tagged rows */
	unsigned slices;	/* background slices run, to give read pages back now and then */
	struct table_counts *counts;	/* the people screen's counts (table-counts.c); NULL */
	struct limit_scan *scan;	/* a limit still filtering, between keys (table-scan.c) */
};

/* table-data.c */
void table_grow(struct table *t, size_t need);
void load_ids(struct app *app, struct table *t, size_t upto);	/* up to upto ids, if more */
void table_copy_ids(struct table *t, struct table *from);	/* from has every id read */
void table_copy_ids_to_limit(struct table *t, struct table *from);	/* limit_to next */
size_t id_index(const struct table *t, const char *id);		/* n_ids when not read */
void renew_key(struct table *t, size_t i, const struct record *rec);
void make_keys(struct app *app, struct table *t);		/* every search key, now */
bool table_background(struct app *app, void *arg);
void load_keys(struct app *app, struct table *t, size_t max);	/* up to max more keys */
/* A query's index terms counted per id, then each id matched (table-data.c, table-scan.c). */
struct index_count {
	struct table *t;
	struct key_reader *keys;	/* the keys read in order, not through the mapping */
	struct store_txn *txn;
	unsigned char *hits;	/* per id: how many index terms it satisfies */
	unsigned terms;
	struct error *err;
	size_t at;		/* where the pass through the table's ids has come to */
};
int count_index_terms(struct app *app, struct table *t, struct query *q, struct index_count *c);
bool id_matches(struct table *t, const struct query *q, struct index_count *c, size_t id);
int apply_query(struct app *app, struct table *t, struct query *q, bool tag);
void sort_rows(struct app *app, struct table *t);
int limit_to(struct app *app, struct table *t, const char *text, struct error *err);
void read_again(struct app *app, struct table *t, size_t n);
char **tagged_ids(const struct table *t);	/* in id order; strv_free */

/* table-counts.c: a form with "answers FORM" (the people) shows, per row, FORM's open records
 * naming it and the overdue ones; Enter on one lists them. NULL for other forms. */
#define TABLE_COUNTS 2		/* columns: open, overdue */
struct table_counts *table_counts_new(struct app *app, const struct form *form);
void table_counts_free(struct table_counts *tc);
int table_counts_width(const struct table_counts *tc);	/* 0 for NULL */
/* The header at x (counted again first if the store changed); selected: its column, or -1. */
void table_counts_header(struct app *app, struct table_counts *tc, int x, long selected);
void table_counts_row(struct table_counts *tc, int y, int x, const char *id);
void table_counts_drill(struct app *app, struct table_counts *tc, const char *id, size_t k);

/* The id of shown row r (t->ids[t->rows[r]]); of id number i: t->ids[i]. */
static inline const char *
table_id(const struct table *t, size_t r)
{
	return t->ids[t->rows[r]];
}
void table_data_free(struct table *t);	/* ids, keys, rows and tags */
/* Pages read by a scan (the store's, the keys') leave resident memory. */
void table_release_pages(struct app *app, struct table *t);

/* table-keys.c */
char *id_text_add(struct id_text *x, const char *id, size_t len);
void id_text_free(struct id_text *x);
void id_text_share(struct id_text *x, const struct id_text *from);	/* from's ids, kept */
bool key_file_flush(struct key_file *kf);
char *key_file_add(struct key_file *kf, char *key);
bool key_file_holds(const struct key_file *kf, const char *key);
bool key_file_unwritten(const struct key_file *kf, const char *key);
bool key_file_written(const struct key_file *kf, const char *key);	/* own or borrowed */
void key_file_mark_ordered(struct key_file *kf);
bool key_file_borrow(struct key_file *kf, const struct key_file *from);
void key_file_release(struct key_file *kf);
/* Keys read in file order through one window (a limit's pass over every key); a key is
 * valid until the next call. NULL when the file cannot be read. */
struct key_reader {
	const struct key_store *store;	/* whose file the window holds */
	char *buf;		/* the window: the file from `from` */
	size_t from, whole;	/* keys starting before from + whole end in the window */
	char *one;		/* a key read on its own */
	size_t one_cap;
};
const char *key_read(const struct key_file *kf, struct key_reader *kr, const char *key);
void key_reader_free(struct key_reader *kr);
void key_file_reset(struct key_file *kf);
void key_file_close(struct key_file *kf);

/* table-scan.c: a limit that reads every search key scans the ids a slice at a time between
 * keys (table_background), the rows found shown as it goes; whatever reads the limited rows
 * finishes it first. */
int limit_begin(struct app *app, struct table *t, struct query *q, const char *text,
    struct error *err);	/* q is the scan's from now; text NULL or "" for every row */
bool limit_scanning(const struct table *t);
bool limit_step(struct app *app, struct table *t, uint64_t budget_us);	/* true: more left */
void limit_finish(struct app *app, struct table *t);	/* now, the progress shown */
void limit_cancel(struct table *t);		/* every row shown, no limit */
void limit_scan_free(struct table *t);		/* the scan dropped, rows as they are */
char *limit_progress(const struct table *t);	/* "filtering 37% · 412 found" */

/* table-set.c: "=" on the row under the cursor, or after ";" on every tagged row. */
void table_set_fields(struct app *app, struct table *t, bool tagged);

/* view-table.c */
int table_rows(const struct app *app);	/* the rows a page of the table shows */
void move_cursor(struct app *app, struct table *t, long delta);

#endif
