/*
 * review.h — what the files of the review queue share: the queue itself, one record at a time
 * with a decision each, and its saved place (review-queue.c), the view that shows it
 * (view-review.c) and the ways in from a table, the board and the command line
 * (review-start.c).
 */
#ifndef HUITOU_REVIEW_H
#define HUITOU_REVIEW_H

#include "base/base.h"

enum review_decision { DECIDE_NONE, DECIDE_ACCEPT, DECIDE_REJECT, DECIDE_SKIP };

struct review_item {
	char *id;
	char *seen;		/* the state the decision was made on; NULL: none made */
	enum review_decision decision;
	bool pending;		/* decided, kept for the one commit at the end */
	char *reason;		/* a reject's (or an accept's, when its move needs one) */
	char *note;		/* why the last try was refused; not saved */
};

struct review_queue {
	char *dir;		/* the data directory the ids belong to */
	char *name;		/* what is reviewed, e.g. "机构: escalation=rectifying" */
	struct review_item *items;
	size_t n, pos;		/* pos: the record shown */
	bool at_end;		/* decisions are kept and committed at the end */
};

/* review-queue.c */
struct review_queue *review_queue_new(const char *dir, const char *name, char *const *ids,
    size_t n);
void review_queue_free(struct review_queue *q);
/* The items with that decision (pending ones only when pending, else the committed ones and
 * the skipped). */
size_t review_queue_count(const struct review_queue *q, enum review_decision d, bool pending);
/* Whether the queue is of exactly these ids, in this order. */
bool review_queue_same_ids(const struct review_queue *q, char *const *ids, size_t n);
/* Every record decided and nothing kept for the end. */
bool review_queue_finished(const struct review_queue *q);
/* The user's saved queue of data directory dir: 0 with *out, 1 when there is none, -1 with a
 * sentence when the file cannot be read or makes no sense. */
int review_queue_load(const char *dir, struct review_queue **out, struct error *err);
/* Written to the user's state dir, atomically (a temporary file renamed over it). */
int review_queue_save(const struct review_queue *q, struct error *err);
/* The saved queue of q's data directory removed (the review is finished). */
int review_queue_forget(const char *dir, struct error *err);
/* Where the queue of data directory dir is kept; caller frees. */
char *review_queue_path(const char *dir);

/* view-review.c: the view of queue q (which it takes), at its saved place. */
struct app;
struct view;
struct view *view_review_of_queue(struct app *app, struct review_queue *q);

#endif
