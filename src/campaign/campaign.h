/*
 * campaign.h — the public face of src/campaign/: the domain rules of the look-back campaign.
 * Field assignments, bulk changes, the dashboard's counts, people and their roles and the demo
 * data set; the casework (states, moves, deadlines, the checklist) is in casework.h, the task
 * board in board.h, documents in template.h. Lists and evaluation follow.
 */
#ifndef HUITOU_CAMPAIGN_H
#define HUITOU_CAMPAIGN_H

#include <stdio.h>

#include "store/query.h"
#include "store/store.h"

/* FIELD=VALUE words parsed against a form (assign.c); FIELD is an id or a label. */
struct assignments {
	const struct form *form;
	const struct field **fields;
	char **values;
	size_t n;
};
int assignments_parse(const struct form *form, char *const *words, size_t n,
    struct assignments *out, struct error *err);
/* The same from one typed line; a word without '=' continues the value before it. */
int assignments_parse_line(const struct form *form, const char *line, struct assignments *out,
    struct error *err);
void assignments_free(struct assignments *a);
/* Sets the values on rec through the field types, in form order; err names the field. */
int assignments_apply(const struct assignments *a, struct store_txn *txn, struct record *rec,
    struct error *err);
/* The assignments with the values rec holds after them, in Chinese; caller frees. */
char *assignments_describe(const struct assignments *a, const struct record *rec);

/* The assignments on every record of ids, in one transaction and one audit commit; all or
 * nothing. *changed counts the records that differ after it (0: no commit). The reason (NULL:
 * none) is the commit's Reason trailer, which a change of a "reason" field needs. */
int bulk_set_reason(struct store *store, const struct form *form, char *const *ids, size_t n,
    const struct assignments *a, const char *reason, size_t *changed, struct error *err);

/* The tagged ids that the policy lets the actor change with the assignments, and those it
 * refuses, with the first refusal's sentence; asked before a bulk change, nothing written. */
struct bulk_split {
	char **allowed, **refused;	/* NULL-terminated */
	size_t n_allowed, n_refused;
	char *why;			/* the first refusal, or NULL */
	char *rule;			/* the name of its rule */
	size_t n_changing;		/* of the allowed: those whose values would change */
	struct record **before, **after;	/* the first BULK_SAMPLE of them, as they are and
						 * as they would be */
	size_t n_sample;
};
#define BULK_SAMPLE 5
int bulk_split_allowed(struct store *store, const struct form *form, char *const *ids, size_t n,
    const struct assignments *a, struct bulk_split *out, struct error *err);
void bulk_split_free(struct bulk_split *s);
/* "JG-…  办学状态 整改中 → 停办": each field that differs between was and now, in the
 * user's language. Caller frees. */
char *bulk_describe_change(const struct record *was, const struct record *now);

/* The records a where expression names (select.c), in query.h's language. select_parse: the
 * expression for form, divisions and people by name as txn knows them; a bad one is ST_USAGE
 * with "--where: " and the reason. select_matching: which of ids (every id of form, in id
 * order; keys their search keys or NULL) q matches: match[i] set, *n_match counted; indexed
 * terms from the indexes, the rest from the key, else the record. select_ids: the matching ids,
 * in id order (caller frees with strv_free); select_ids_in the same in the caller's txn. */
int select_parse(struct store_txn *txn, const struct form *form, const char *where,
    struct query **q, struct error *err);
int select_matching(struct store_txn *txn, const struct form *form, struct query *q,
    char *const *ids, char *const *keys, size_t n, bool *match, size_t *n_match,
    struct error *err);
int select_ids(struct store *store, const struct form *form, const char *where, char ***ids,
    size_t *n, struct error *err);
int select_ids_in(struct store_txn *txn, const struct form *form, const char *where,
    char ***ids, size_t *n, struct error *err);

/* Inserts a record of form with the values (field, value pairs ending with NULL; a NULL value
 * is left empty), each validated as typed; *id, when id is not NULL, gets the new id
 * (demo-write.c: the demo's records and a draw's planned inspections). */
int insert_pairs(struct store_txn *txn, const struct form *form, const char *const *pairs,
    char **id, struct error *err);

/* The person a login is (people.c): from the record of forms/user.form with that login. */
#define PERSON_FORM "user"
struct person {
	char *id;		/* NULL when the login has no record */
	char *name;
	char *role;		/* the role's label in the user's language; NULL if none or inactive */
	char *district;		/* the district's name, or NULL for the city's own staff */
	bool active;
};
int person_find(struct store *store, const char *login, struct person *out, struct error *err);
void person_free(struct person *p);
/* Adds the demo's people in txn: a coordinator for each district (init made the acting user
 * the city coordinator). */
int demo_people(struct store *store, struct store_txn *txn, size_t *n, struct error *err);

#define DEMO_INSTITUTIONS 240

/* The demo's generator (splitmix64): the next number of the sequence state is at. */
uint64_t demo_random(uint64_t *state);

/* Adds n realistic institutions spread over the city's districts, reproducible from seed, and
 * the demo's people, in one transaction and one audit commit. */
int demo_generate(struct store *store, const struct form *form, size_t n, unsigned seed,
    struct error *err);
/* The demo's casework (demo-casework.c), one commit after demo_generate: inspections in every
 * district, an order for each failed check (deadlines from cw's rules) in every state. */
struct casework;
int demo_casework(struct store *store, const struct casework *cw, unsigned seed,
    struct error *err);
/* The demo's teachers and cases (demo-cases.c), one commit: two cases in every district. */
int demo_cases(struct store *store, unsigned seed, struct error *err);
/* The demo's filings (demo-filings.c), one commit after the casework: an expert, and filings
 * of subject-class institutions in every district, in every state. */
int demo_filings(struct store *store, unsigned seed, struct error *err);
/* The demo's joint-enforcement ledger (demo-ledger.c), one commit after the casework's: in
 * every district a sealed unlicensed institution, a visit, an operation at a flat. */
int demo_ledger(struct store *store, struct error *err);
/* demo-lists.c: last month's publication of the lists, then three manual decisions. */
int demo_lists(struct store *store, const char *data_dir, struct error *err);
/* The demo's complaints and social supervisors (demo-complaints.c), one commit before the
 * casework: two districts, complaints in every state. */
int demo_complaints(struct store *store, const struct casework *cw, struct error *err);
/* Writes n generated institutions as CSV (header of field ids, no id column) to fp. */
int demo_write_csv(struct store *store, const struct form *form, size_t n, unsigned seed,
    FILE *fp, struct error *err);

/*
 * A dashboard (views/NAME.view, views/README.md): the records of a form counted by a row field
 * (a district, or an enum) and a column field (an enum), with totals, and named counts of the
 * records a query matches, per row and in all.
 */
struct dashboard_count {
	char *name;
	char *label_zh, *label_en;
	char *where;		/* the expression, as written */
	struct query *query;	/* NULL when its form is missing */
	int line;		/* where the count starts in the file */
	/* "form NAME" in the count: it counts that form's records, by its field named as the
	 * dashboard's row field; NULL: the dashboard's form. */
	char *form_name;
	const struct form *form;	/* the form counted */
	bool missing;		/* form_name is not in force: the count shows "-" */
	size_t row_field;	/* in form */
	size_t district_field;	/* in form, on a district's screen: the district it lies in */
	/* "summary": shown as a line under the table, not as its column; the summary counts
	 * come after the columns' counts (n_table_counts of the dashboard). */
	bool summary;
	size_t *per_row;	/* results: per row, and in all */
	size_t total;
};

struct dashboard {
	char *path;
	const struct form *form;
	char *label_zh, *label_en;	/* may be NULL */
	size_t row_field, column_field;	/* field indexes; column_field 0: no columns */
	char *within;			/* a district's code: the rows are its streets; else NULL */
	size_t district_field;		/* with within: the form's district field */
	bool streets;			/* "streets": Enter on a district opens its streets */
	size_t n_rows, n_columns;	/* columns: the column field's options */
	const char **row_values;	/* district codes or option values; labels to show */
	const char **row_labels;
	struct dashboard_count *counts;
	size_t n_counts;
	size_t n_table_counts;		/* the counts shown as columns: those before the summaries */
	/* Results of dashboard_compute. */
	size_t *cells;			/* n_rows × n_columns */
	size_t *row_totals, *column_totals;
	size_t total;
	size_t unplaced;		/* records whose row value is none of the rows */
};

/* Calls each for every record of form with the wanted fields filled in (store_scan_fields,
 * *weight 1), or, when the form's tally holds every wanted field, once per combination of the
 * tally's values with *weight the records it stands for: counts that read no record. */
int scan_counted(struct store_txn *txn, const struct form *form, const bool *wanted,
    int (*each)(const struct record *rec, void *arg), void *arg, size_t *weight,
    struct error *err);
/* Reads a dashboard file; a bad line is refused as "FILE:LINE: reason". Expressions that say
 * "today" take the day they are read. Free with dashboard_free. */
int dashboard_load(struct store *store, const char *path, struct dashboard **out,
    struct error *err);
/* The same, with the streets of the district (a code) as the rows, each form counted by its
 * street field within the row field: a district's screen. */
int dashboard_load_within(struct store *store, const char *path, const char *district,
    struct dashboard **out, struct error *err);
/* The form a count counts (its own "form NAME", else the dashboard's). */
const struct form *dashboard_count_form(const struct dashboard *d,
    const struct dashboard_count *c);
/* Counts every record of the dashboard's form, from the indexes where they suffice. */
int dashboard_compute(struct store *store, struct dashboard *d, struct error *err);
void dashboard_free(struct dashboard *d);

#endif
