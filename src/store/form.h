/*
 * form.h — record types described by form files (forms/NAME.form, see forms/README.md) and the
 * field types that parse, validate and format their values. A form is data: the store's
 * encoding, validation, table columns, the editor and the audit text all come from it.
 */
#ifndef HUITOU_FORM_H
#define HUITOU_FORM_H

#include "base/base.h"

enum field_kind {
	FT_ID,		/* the record's identifier, assigned by the store */
	FT_TEXT,	/* one line, max = limit in display columns */
	FT_LONGTEXT,	/* several lines, max = limit in display columns in all */
	FT_INTEGER,	/* min/max bounds */
	FT_MONEY,	/* yuan with two decimals, canonical "1234.50" */
	FT_DATE,	/* canonical YYYY-MM-DD */
	FT_ENUM,	/* one of the options, canonical = option value */
	FT_BOOL,	/* canonical "yes" or "no" */
	FT_REF,		/* the id of a record of another form */
	FT_DIVISION,	/* a district (6 digits) or street (9 digits) of the city */
	FT_USCC,	/* unified social credit code, GB 32100-2015 */
	FT_IDCARD,	/* resident identity number, GB 11643 */
	FT_TEACHER_CERT, /* teacher qualification certificate number, 17 digits */
	FT_PHONE,	/* mobile (11 digits) or area code + number */
	FT_SET,		/* several of the options, canonical "a,b" in option order */
};

enum division_level { DIV_DISTRICT, DIV_STREET };

struct enum_option {
	char *value;
	char *label_zh;
	char *label_en;
};

struct field {
	char *name;
	enum field_kind kind;
	char *label_zh, *label_en;
	char *help_zh, *help_en;
	bool required;
	bool unique;		/* no two records share a non-empty value */
	bool indexed;		/* kept in an index for lookups by value */
	bool by_move;		/* "by-move": once written, changed only by a move (casework) */
	bool needs_reason;	/* "reason": the console asks why when a person changes it */
	bool private_;		/* "private": kept from readers the policy's read rules name */
	bool has_min, has_max;
	long long min, max;
	struct enum_option *options;
	size_t n_options;
	char *ref_form;		/* FT_REF: the form referred to */
	enum division_level level; /* FT_DIVISION */
	char *within;		/* FT_DIVISION street: the district field it must lie in */
	/* "index-by FIELD": also an index of this field's value, then FIELD's, then the id (a
	 * state by its deadline, for the task board); NULL: none. */
	char *index_by;
	char *default_value;
	/* "from REF.FIELD": the value is taken from the record the ref field REF of this form
	 * names, whenever the record is written (the store fills it); never typed. */
	char *from_ref, *from_field;
	int column;		/* table column width in display columns; 0 = not a column */
	int line;		/* where it is defined in the form file */
};

#define TALLY_FIELDS_MAX 8
#define TALLY_COUNTS_MAX 16

struct form {
	char *name;		/* "institution" */
	char *path;		/* the file it came from */
	unsigned version;
	char *label_zh, *label_en;
	char *id_format;	/* e.g. "JG-{district}-{seq:6}" */
	char *title;		/* "title FIELD": what names a record where it is referred to; NULL */
	/* "answers FORM": its table counts, per record, FORM's open records whose states file's
	 * person names it, and the overdue ones (the people screen); NULL */
	char *answers;
	/* "tally F1 F2 …": the store keeps how many records hold each combination of these
	 * fields' values (store-tally.c), so counts by them read no record; NULL: none. */
	char **tally;
	size_t n_tally;
	/* "tally-count F=V …": with each combination, how many of its records hold each of these
	 * values (the inspections' failed checks); parallel arrays, NULL: none. */
	char **tally_count_field, **tally_count_value;
	size_t n_tally_count;
	struct field *fields;
	size_t n_fields;
	char *text;		/* the file's text, as committed to the audit trail */
};

struct formset {
	struct form **forms;
	size_t n;
};

/* Form files. */
int form_parse(const char *path, const char *text, struct form **out, struct error *err);
int form_load_file(const char *path, struct form **out, struct error *err);
void form_free(struct form *form);
int formset_load_dir(const char *dir, struct formset *out, struct error *err);
void formset_free(struct formset *set);
const struct form *formset_find(const struct formset *set, const char *name);
/* The form whose id-format starts with the id's prefix (the letters before its first '-'). */
const struct form *formset_form_of_id(const struct formset *set, const char *id);
int form_field_index(const struct form *form, const char *name);	/* -1 if none */
/* The place of field name among the form's tally fields; -1 when the tally lacks it. */
int form_tally_index(const struct form *form, const char *name);
const struct field *form_field(const struct form *form, const char *name);
/* Finds a field by id or by its Chinese or English label (CSV headers use either). */
const struct field *form_field_by_header(const struct form *form, const char *header);
/* "中文 | English" into *zh and *en, freeing what they held; without '|' both get it all. */
void split_label(const char *arg, char **zh, char **en);
const char *field_label(const struct field *f);	/* in the current language */
const char *form_label(const struct form *form);
const char *field_kind_name(enum field_kind kind);
int field_kind_from_name(const char *name, enum field_kind *out);
const struct enum_option *field_option(const struct field *f, const char *value);
/* The option's label in the user's language; the value itself when no option has it. */
const char *field_option_label(const struct field *f, const char *value);

/* A division of the deployment's city, as validation sees it. */
struct division {
	char code[16];
	char parent[16];	/* a street's district; "" for a district */
	enum division_level level;
	const char *name;
};

/*
 * What validation may ask of the surroundings: the city's divisions, whether a record exists,
 * and the other values of the record being validated (a street must lie in its district).
 * Any callback may be NULL, and then that check is skipped.
 */
struct field_ctx {
	void *data;
	const struct division *(*division_find)(void *data, const char *code_or_name,
	    enum division_level level, const char *parent);
	bool (*record_exists)(void *data, const char *form, const char *id);
	const char *(*value_of)(void *data, const char *field);
};

/*
 * Parses what a person typed into the canonical value stored (caller frees *out; "" for an
 * empty optional field). On refusal returns -1 with err holding the reason alone, in the
 * user's language ("bad check character: expected 3"); callers add the field and the place.
 */
int field_parse(const struct field *f, const char *input, const struct field_ctx *ctx,
    char **out, struct error *err);
/* A reason given for a change (a move's, a set's): checked as a text field's value is (no
 * control, bidirectional or NUL characters; one line of 200 columns, or lines of 500), trimmed
 * into *out; *out is NULL when there is none or it is blank. */
int reason_parse(const char *input, bool one_line, char **out, struct error *err);
/* The value as shown to a person: enum labels, bools in words, others as stored. */
const char *field_display(const struct field *f, const char *value);
/* A set's values (canonical "a,b"), as a NULL-terminated list (caller frees with strv_free). */
char **field_set_values(const char *value);
/* Whether the set value holds option; false for an empty value. */
bool field_set_has(const char *value, const char *option);
/* The same in Chinese whatever the language, as commit subjects are (the record text in git
 * keeps the codes). */
const char *field_display_zh(const struct field *f, const char *value);

/* Identifier checks (ident.c), usable on their own. */
int uscc_check_char(const char *first17);	/* the check character, or -1 */
bool uscc_valid(const char *code);
char idcard_check_char(const char *first17);	/* '0'-'9' or 'X', or 0 */
bool idcard_valid(const char *id);

#endif
