/*
 * credit.h — credit tiers (信用分级) of institutions: weights and tier thresholds as data
 * (forms/credit.rules, read by credit.c), the facts of one institution counted against them
 * (its findings, overdue, open and on-time rectification orders, complaints and list), its
 * score, tier and the explanation of each contribution; and the store's side (credit-book.c):
 * the facts of every institution read from the indexes, and "credit --update", which writes
 * the tiers that changed in one commit. The effective tier is the override, else the computed.
 */
#ifndef HUITOU_CREDIT_H
#define HUITOU_CREDIT_H

#include "campaign/casework.h"
#include "store/store.h"

#define CREDIT_RULES_FILE "credit.rules"
#define CREDIT_INSTITUTION_FORM "institution"
#define CREDIT_TIER_FIELD "credit_tier"
#define CREDIT_OVERRIDE_FIELD "credit_override"

/* What an order counts as, beside its finding: past its deadline and not closed, open (not
 * closed, not overdue), closed on or before its deadline, or closed late. */
enum credit_order { CREDIT_ORDER_OVERDUE, CREDIT_ORDER_OPEN, CREDIT_ORDER_ON_TIME,
	CREDIT_ORDER_LATE };

struct credit_rules;
/* Reads credit.rules text; forms (may be NULL: no cross-check) name the checks, severities,
 * complaint states, list values and tiers that may be used. "FILE:LINE: reason" when wrong. */
int credit_rules_parse(const char *path, const char *text, const struct formset *forms,
    struct credit_rules **out, struct error *err);
/* DIR/credit.rules, else the shipped forms/credit.rules; 1 (no error) when neither exists. */
int credit_rules_load(const char *forms_dir, const struct formset *forms,
    struct credit_rules **out, struct error *err);
void credit_rules_free(struct credit_rules *r);
const char *credit_rules_text(const struct credit_rules *r);	/* as the audit trail keeps it */
size_t credit_rules_count(const struct credit_rules *r);	/* lines that count something */

/* The facts of one institution: a count per rule (credit_rules_count of them) and, for the
 * list history's rules, the months each counted ("2026-10, 2026-11"; NULL for none). */
struct credit_facts {
	uint32_t *counts;
	char **months;
	size_t n;
};
void credit_facts_init(const struct credit_rules *r, struct credit_facts *f);
void credit_facts_free(struct credit_facts *f);
void credit_facts_reset(const struct credit_rules *r, struct credit_facts *f);
/* Each counts one fact under the most specific rule that names it (none: not counted). */
void credit_note_finding(const struct credit_rules *r, uint32_t *counts, const char *check,
    const char *severity);
void credit_note_order(const struct credit_rules *r, uint32_t *counts, enum credit_order o);
void credit_note_complaint(const struct credit_rules *r, uint32_t *counts, const char *state);
void credit_note_list(const struct credit_rules *r, uint32_t *counts, const char *list);
/* A published month on list (a value of institution's list): under "latest" when it is the
 * latest publication, else under "published"; the rule counted, or -1. */
int credit_note_published(const struct credit_rules *r, uint32_t *counts, const char *list,
    bool latest);
/* Adds month to the months rule counted (credit_explain names them). */
void credit_facts_name_month(const struct credit_rules *r, struct credit_facts *f, int rule,
    const char *month);
/* Whether a "published" or "latest" rule weighs the published lists. */
bool credit_rules_weigh_history(const struct credit_rules *r);

/* The score (start + each count × its points) and the tier it falls in (an option value of
 * credit_tier; the last tier's for a score below every threshold). */
long credit_score(const struct credit_rules *r, const uint32_t *counts);
const char *credit_tier_of(const struct credit_rules *r, long score);
/* The explanation, in the user's language: one line per contribution ("2 项整改逾期 −20"),
 * the starting score first and "得分 62 → C级" last. Caller frees with strv_free. */
char **credit_explain(const struct credit_rules *r, const struct credit_facts *f, size_t *n);

/* The facts of institutions from the store (credit-book.c). */
struct credit_book {
	const struct credit_rules *rules;
	const struct form *form;	/* institution */
	char **ids;			/* every institution, in id order */
	size_t n;
	uint32_t **counts;		/* per institution; NULL: no facts but its list */
	char **stored, **override, **list;	/* per institution, "" when empty */
};
/* Every institution's facts, one pass over the orders and one over the complaints, from the
 * indexes; today "YYYY-MM-DD" decides what is overdue. progress (may be NULL) is called now
 * and then with what is done of what. */
int credit_book_fill(struct store *store, struct store_txn *txn, const struct casework *cw,
    const struct credit_rules *r, const char *today, struct credit_book *book,
    void (*progress)(void *arg, size_t done, size_t total), void *arg, struct error *err);
/* The facts of one institution (its orders and complaints through their indexes, its months
 * on the published lists, each named). */
int credit_facts_of(struct store *store, struct store_txn *txn, const struct casework *cw,
    const struct credit_rules *r, const char *today, const struct record *inst,
    struct credit_facts *facts, struct error *err);
void credit_book_free(struct credit_book *book);
/* The computed tier of institution i of the book. */
const char *credit_book_tier(const struct credit_book *book, size_t i);

/*
 * "credit --update": every institution whose stored credit_tier differs from its effective
 * tier (override, else computed) gets it, in one write transaction and one audit commit
 * (Action credit.update, the counts in the subject, the ids in the body, credit.rules added
 * when its text changed). The policy decides as for any record: a refusal stops it whole.
 * *changed: how many were written (0: no commit).
 */
int credit_update(struct store *store, const struct casework *cw, const struct credit_rules *r,
    const char *today, void (*progress)(void *arg, size_t done, size_t total), void *arg,
    size_t *changed, struct error *err);

#endif
