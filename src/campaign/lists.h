/*
 * lists.h — the black and white lists (黑白名单) and their monthly publication (一月一公布):
 * membership by rules kept as data (forms/lists.rules, lists-rules.c) and the newest manual
 * decision of each institution (listing.form), computed from the indexes (lists-compute.c);
 * a publication as one commit with its files and an annotated tag (lists-publish.c); and
 * what past publications held, read back from git (lists-read.c).
 */
#ifndef HUITOU_LISTS_H
#define HUITOU_LISTS_H

#include "store/store.h"

enum list_kind { LIST_NONE, LIST_WHITE, LIST_BLACK };

/* What the rules may ask about an institution beyond its own fields. */
enum list_fact {
	FACT_APPROVED_FILING,	/* a filing of it is approved */
	FACT_OPEN_ORDER,	/* a rectification order of it is open */
	FACT_SERIOUS_ORDER,	/* an open order of a serious check */
	FACT_OVERDUE_ORDER,	/* an open order past its deadline */
	FACT_COUNT
};

struct list_rules;
/* The rules file's text, checked against the forms; "FILE:LINE: reason" when wrong. */
int list_rules_parse(const char *path, const char *text, const struct formset *forms,
    struct list_rules **out, struct error *err);
/* DIR/lists.rules (DIR the data directory's forms/), else the shipped one; *text gets the
 * text read (caller frees), committed with a publication. */
int list_rules_load(const char *forms_dir, const struct formset *forms, struct list_rules **out,
    char **text, struct error *err);
void list_rules_free(struct list_rules *r);
/* Whether check (a rectification check) is serious, and state an order's closed state. */
bool list_rules_serious(const struct list_rules *r, const char *check);
bool list_rules_closed(const struct list_rules *r, const char *state);
/* The list inst belongs on by the rules, facts[f] telling each fact; *rule gets the words of
 * the rule that put it there (Chinese and English), NULL for LIST_NONE. */
struct list_rule_words {
	const char *name, *zh, *en;
};
/* Sets wanted[i] for each field i of the institution form a rule reads. */
void list_rules_fields(const struct list_rules *r, bool *wanted);
enum list_kind list_rules_apply(const struct list_rules *r, const struct record *inst,
    const bool facts[FACT_COUNT], const struct list_rule_words **rule);

const char *list_kind_value(enum list_kind k);		/* "white", "black", "none" */
const char *list_kind_label(enum list_kind k);		/* 白名单 / White list …, translated */
enum list_kind list_kind_parse(const char *value);	/* LIST_NONE for anything else */

/* One institution on a list. */
struct list_member {
	char *id, *name, *district, *street;	/* district and street by name */
	char *district_code, *street_code;	/* computed members only; NULL when read back */
	enum list_kind list;
	char *reason;		/* the rule's Chinese words, or 决定 MD-…：the decision's reason */
};
/* An institution a decision keeps off both lists: why, as a removal from one says. */
struct list_off {
	char *id;
	char *reason;		/* 决定 MD-…：the decision's reason */
};
struct list_membership {
	struct list_member *members;	/* on the white or the black list, in id order */
	size_t n, cap;
	size_t n_white, n_black;
	struct list_off *off;		/* computed only: kept off by a decision, in id order */
	size_t n_off;
	bool computed;			/* by the rules now, not read back from a publication */
	struct text_blocks texts;	/* computed: the members' texts, freed as blocks */
};
void list_membership_free(struct list_membership *m);
/* Who is on which list now, by the rules and the decisions, read in txn; progress (when not
 * NULL) is called now and then with what is done of a whole. */
int lists_compute(struct store *store, struct store_txn *txn, const struct list_rules *r,
    void (*progress)(void *arg, size_t done, size_t whole), void *arg,
    struct list_membership *out, struct error *err);
/* About how many bytes the members of list k (LIST_NONE: both) take as text: their cells and
 * per_row more a row, to grow a file's buffer once rather than by doubling (100 MB at 1M). */
size_t list_text_guess(const struct list_membership *m, enum list_kind k, size_t per_row);
/* A list as CSV (id,name,district,street,reason), header included; caller frees. */
char *list_csv(const struct list_membership *m, enum list_kind k);
/* A list read back from that CSV text, into out (members appended, counts kept). */
int list_csv_read(const char *text, size_t len, enum list_kind k, struct list_membership *out,
    struct error *err);

/* What changed between two memberships: each entry a member of after added to a list, or of
 * before removed from it. */
struct list_change {
	const struct list_member *member;
	bool added;
	const char *why;	/* an addition: its reason; a removal: its list or decision now, or
				 * that the rules no longer hold */
};
struct list_diff {
	struct list_change *changes;	/* per list (black first), in id order */
	size_t n;
	size_t added[3], removed[3];	/* per enum list_kind */
};
void list_diff_make(const struct list_membership *before, const struct list_membership *after,
    struct list_diff *out);
void list_diff_free(struct list_diff *d);

/* A past publication (lists-read.c), from the publication records. */
struct list_publication {
	char *id, *name, *month, *published_on, *corrects_name, *reason;
	size_t white, black;
};
struct list_publications {
	struct list_publication *p;	/* oldest first (id order) */
	size_t n;
};
int lists_publications(struct store *store, struct store_txn *txn, struct list_publications *out,
    struct error *err);
void lists_publications_free(struct list_publications *ps);
/* The membership a publication published, read from its tag's tree (lists/NAME/). */
int lists_read_published(struct store *store, const char *name, struct list_membership *out,
    struct error *err);

/* What the lists held month by month (lists-history.c): each month published, oldest first,
 * with its publication in force (the newest of the month: a correction replaces what it
 * corrects) and what that published, read from git. */
struct list_history {
	char **months;				/* YYYY-MM */
	char **names;				/* the publication in force: 2026-11, 2026-11-c1 */
	struct list_membership *lists;		/* per month, by list (black first) then id */
	size_t n;
};
/* Nothing published, or no publication form: n is 0. */
int lists_history_read(struct store *store, struct store_txn *txn, struct list_history *out,
    struct error *err);
/* The list id was on in month (an index of h). */
enum list_kind lists_history_on(const struct list_history *h, size_t month, const char *id);
void lists_history_free(struct list_history *h);

/* A publication (lists-publish.c). */
struct list_publish_plan {
	char *month;		/* YYYY-MM */
	char *name;		/* the month, or MONTH-cN for a correction */
	char *corrects_id;	/* the publication corrected, or NULL */
	char *corrects_name;
	char *reason;		/* of a correction */
	char *last_name;	/* the publication the preview compares with, or NULL */
	struct list_membership now;
	struct list_membership last;
	struct list_diff diff;
	char *rules_text;
};
/* Computes what publishing month would publish: refused (ST_REFUSED) with a sentence when the
 * month is published and this is no correction, or a correction of a month never published. */
int lists_plan(struct store *store, const char *data_dir, const char *month, bool correct,
    const char *reason, void (*progress)(void *arg, size_t done, size_t whole), void *arg,
    struct list_publish_plan *out, struct error *err);
/* Writes it: one transaction, one audit commit with the files and the tag; *id gets the
 * publication record's id (caller frees). */
int lists_publish(struct store *store, const char *data_dir, struct list_publish_plan *plan,
    char **id, struct error *err);
void list_publish_plan_free(struct list_publish_plan *p);
/* The month of today, YYYY-MM. */
void lists_this_month(char out[8]);
/* Whether s is a month YYYY-MM. */
bool lists_month_valid(const char *s);

#endif
