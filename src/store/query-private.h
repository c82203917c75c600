/*
 * query-private.h — what the files of the query share: the parsed tree (query.c makes it,
 * query-match.c matches it) and the search key's layout (query-key.c).
 */
#ifndef HUITOU_QUERY_PRIVATE_H
#define HUITOU_QUERY_PRIVATE_H

#include "store/store.h"

enum op { OP_EQ, OP_NE, OP_LT, OP_GT, OP_LE, OP_GE, OP_HAS };

enum node_kind { N_AND, N_OR, N_NOT, N_WORD, N_FIELD };

struct node {
	enum node_kind kind;
	struct node *left, *right;	/* and, or: both; not: left */
	size_t field;		/* N_FIELD: its index in the form */
	enum field_kind kind_of_field;
	enum op op;
	char *value;		/* folded for words, ~ and text; canonical for the rest */
	char *pinyin;		/* words and ~ without Han, as fold_pinyin spells them */
	long long number;	/* integer and money, in hundredths */
	int option;		/* enum: the option's index */
	bool canonical;		/* value is as the store keeps it (enum, bool, division code) */
	char **codes;		/* = and != on a division or ref named, not coded: what it names */
	bool by_index;		/* an equality the caller answered through the index */
};

struct query {
	const struct form *form;
	struct node *root;	/* NULL matches everything */
};

/* Yuan or a whole number, in hundredths (query.c); -1 when s is neither. */
int number_parse(const char *s, long long *out);

bool has_han(const char *s);
/* Whether a field of this kind has lines in a record's search key. */
bool kind_in_key(enum field_kind kind);
/* Field i's lines in a key: [*start, *end); false when the record has no value there. */
bool key_field_lines(const char *key, size_t i, const char **start, const char **end);
/* folded is fold_text of a word, pinyin its fold_pinyin when it has no Han (else NULL). */
bool word_in_key(const char *folded, const char *pinyin, const char *key);
/* The key lines [start, end) have the word; initials count only at a name's or word's start. */
bool lines_have(const char *start, const char *end, const char *folded, const char *pinyin);
/* The key lines of one text (folded, and its pinyin when it has Han); caller frees. */
char *text_key(const char *s);
/* A word without Han as pinyin may spell it; NULL for Han, or when it adds nothing. */
char *word_pinyin(const char *word, const char *folded);

/* The codes (divisions) or ids (refs, by their form's title) that value names, resolved
 * through a ctx from store_field_ctx: whole names (or pinyin, or initials) first, else the
 * names it starts. NULL when none, or without such a ctx; strv_free it. */
char **query_resolve_names(const struct field_ctx *ctx, const struct field *f,
    const char *value);

#endif
