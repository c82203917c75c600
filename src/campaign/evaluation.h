/*
 * evaluation.h — the city's supervision of its districts (督导检查 / 综合考评): per district
 * and period, the measures of the look-back (coverage, findings per check, rectification
 * closure and overdue orders, complaint response time, platform entry, publication on time),
 * each turned into points by the weights of forms/evaluation.rules, a score out of 100 and a
 * rank. evaluation-rules.c reads the rules, evaluation.c counts, evaluation-score.c scores
 * and says which records stand behind each number (the console's drill-down).
 */
#ifndef HUITOU_EVALUATION_H
#define HUITOU_EVALUATION_H

#include "store/store.h"

struct casework;
struct machine;

/* The measures, in the order of the report's columns. */
#define EVAL_MEASURES(X) \
	X(INSTITUTIONS, "institutions") \
	X(COVERAGE, "coverage") \
	X(FINDINGS, "findings") \
	X(DUE, "due") \
	X(CLOSURE, "closure") \
	X(OVERDUE, "overdue") \
	X(RESPONSE, "response") \
	X(LATE, "late") \
	X(PLATFORM, "platform") \
	X(PUBLICATION, "publication")
enum eval_measure {
#define X(id, name) EVAL_##id,
	EVAL_MEASURES(X)
#undef X
	EVAL_N
};
const char *eval_measure_name(enum eval_measure m);	/* "coverage" */
const char *eval_measure_label(enum eval_measure m);	/* 覆盖率, in the user's language */
const char *eval_measure_label_zh(enum eval_measure m);	/* 覆盖率 whatever the language */
const char *eval_measure_short(enum eval_measure m);	/* 覆盖, for the screen's header */
int eval_measure_from_name(const char *name);		/* -1 when none */

/* forms/evaluation.rules (forms/README.md): the weights and how a value maps to points. */
struct eval_weight {
	bool set;
	double weight;		/* the most points it gives; the weights total 100 */
	double full, zero;	/* the value that earns all of them, and the one that earns none */
};
struct eval_rules {
	char *path;
	char from[11], to[11];	/* "period FROM TO": the campaign's period; "" when not given */
	int publish_by;		/* "publish-by DAY": a month's lists are due by this day of it */
	char **exclude;		/* "exclude-status V…": institutions not counted (banned) */
	struct eval_weight w[EVAL_N];
};
int eval_rules_parse(const char *path, const char *text, struct eval_rules **out,
    struct error *err);
/* DATA/forms/evaluation.rules, else the shipped one. */
int eval_rules_load(const char *forms_dir, struct eval_rules **out, struct error *err);
void eval_rules_free(struct eval_rules *r);
/* Whether s is a real date written YYYY-MM-DD; the days from a to b (dates), or 0. */
bool eval_date_ok(const char *s);
long eval_days_between(const char *a, const char *b);
/* The period to report when none is asked for: the rules' period, else the last three
 * months up to today (from the same day three months before). */
void eval_default_period(const struct eval_rules *r, const char *today, char from[11],
    char to[11]);

/* One district's numbers. A measure with nothing to measure (no institution, no order due,
 * no complaint received or replied, no month's list due) is not applicable: shown as "-",
 * its weight shared out among the others. */
struct eval_district {
	char code[16];
	const char *name;
	size_t institutions;	/* not excluded */
	size_t covered;		/* of them: inspected (an inspection done) in the period */
	size_t inspections;	/* done in the period */
	size_t findings;	/* failed checks of those inspections */
	size_t *by_check;	/* per check item (evaluation.checks) */
	size_t due, closed, overdue;	/* orders due in the period; final; past due, not final */
	size_t received;	/* complaints received in the period */
	size_t replied;		/* of them: replied */
	size_t late;		/* of those received: replied after the deadline, or past it unreplied */
	char **late_ids;	/* which (NULL-terminated); from a tally: eval_late_ids */
	double response_days;	/* median days from received to replied */
	size_t platform_yes;	/* of the institutions: platform_entered = yes */
	double value[EVAL_N];
	bool applicable[EVAL_N];
	double points[EVAL_N];
	double score;		/* out of 100 */
	bool scored;		/* some measure applies: else no score and no rank ("-") */
	int rank;		/* 1 the best; equal scores share a rank; 0 when not scored */
};
struct evaluation {
	char from[11], to[11], today[11];
	const char **checks;	/* the check items: options of rectification's check */
	const char **check_labels;
	size_t n_checks;
	struct eval_district *d;	/* the city's districts, in code order */
	size_t n;
	bool publication_known;		/* the form publication is in force */
	size_t months_due, months_on_time;
	char **publication_ids;		/* the publications counted on time */
	const char *closed_states[8];	/* rectification's final states */
	size_t n_closed;
	size_t hint;			/* the district found last (evaluation.c) */
};
/* Counts and scores every district over from..to (dates, from <= to) in txn; cw gives the
 * final states of orders and complaints. */
int evaluation_compute(struct store_txn *txn, struct store *store, const struct casework *cw,
    const struct eval_rules *rules, const char *from, const char *to, struct evaluation *out,
    struct error *err);
void evaluation_clear(struct evaluation *ev);
/* The city's district of that code, or NULL; the one found last is tried first (records
 * come grouped by district). */
struct eval_district *eval_district_of(struct evaluation *ev, const char *code);
/* Whether an institution of that status is left out of the evaluation (the rules' exclude). */
bool eval_excluded(const struct eval_rules *r, const char *status);
/* evaluation-covered.c: the institutions each district inspected in the period, each once,
 * those of an excluded status left out (read at init from inst's status index, else its
 * records): added as the inspections are counted, the calls for one institution together (a
 * group); each district new to its group counted in that district's covered. */
struct eval_id {
	const char *id;			/* not NUL-terminated */
	size_t len;
};
struct eval_covered {
	struct evaluation *ev;
	const struct eval_rules *rules;
	int f_status;
	struct eval_id *excluded;	/* sorted; in the store's map, or in copies */
	size_t n_excluded, cap, at;	/* at: where the merge stands */
	char **copies;			/* the excluded ids read from records */
	size_t n_copies;
	struct buf group;		/* the institution of the calls */
	bool group_out;			/* it is excluded */
	size_t *seen, n_seen;		/* the districts counted for it */
};
int eval_covered_init(struct eval_covered *c, struct store_txn *txn, const struct form *inst,
    struct evaluation *ev, const struct eval_rules *rules, struct error *err);
/* Institution id (len bytes) inspected in the period by district (index into ev->d). */
void eval_covered_add(struct eval_covered *c, size_t district, const char *id, size_t len);
void eval_covered_free(struct eval_covered *c);
/* evaluation-indexed.c: the period's inspections counted from what the write path keeps of
 * them, no inspection read. eval_inspections_from_tally: when form's tally begins with
 * district and institution, holds the states file's state field (m->field) and the date it is
 * indexed by, and counts "fail" of every check item (forms/inspection.form): one walk of the
 * tally, its entries grouped by institution; 1 (nothing counted) when it does not. Else, when
 * the form indexes its district, institution and every check item, eval_inspections_indexed
 * counts the inspections of ids (the period's, in a final state) from those indexes. Either
 * gives each district's inspections, findings and findings per check, and adds the
 * institutions to covered. */
int eval_inspections_from_tally(struct store_txn *txn, const struct form *form,
    const struct machine *m, struct evaluation *ev, struct eval_covered *covered,
    struct error *err);
bool eval_inspections_indexable(const struct form *form, const struct evaluation *ev);
int eval_inspections_indexed(struct store_txn *txn, const struct form *form,
    struct evaluation *ev, char **ids, size_t n_ids, struct eval_covered *covered,
    struct error *err);
/* District i's late complaints' ids into its late_ids, when evaluation_compute counted
 * them from the complaint form's tally (which keeps no id; else they are there already): the
 * drill-down reads the district's complaints, the count does not. */
int eval_late_ids(struct store_txn *txn, const struct formset *forms,
    const struct casework *cw, struct evaluation *ev, size_t i, struct error *err);
/* Scores and ranks what evaluation_compute counted (it calls it). */
void evaluation_score(struct evaluation *ev, const struct eval_rules *rules);
/* A measure's value as the report shows it: "87.5%", "3", "4.5" (days), "-"; into out. */
void eval_format(const struct eval_district *d, enum eval_measure m, char *out, size_t size);
/* The score ("52.2") or the rank ("2"), "-" for a district not scored. */
void eval_format_score(const struct eval_district *d, bool rank, char *out, size_t size);
/* The records behind district i's measure m: the form (*form) and a limit expression in
 * query.h's language that names exactly them (coverage: the inspections done in the period;
 * findings: those with a failed check); NULL when none. Caller frees. */
char *eval_cell_where(const struct evaluation *ev, const struct eval_rules *rules,
    const struct formset *forms, size_t i, enum eval_measure m, const struct form **form);

#endif
