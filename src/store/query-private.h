/*
 * query-private.h — what query.c (the parser and matcher) uses of query-key.c.
 */
#ifndef HUITOU_QUERY_PRIVATE_H
#define HUITOU_QUERY_PRIVATE_H

#include "store/store.h"

bool has_han(const char *s);
/* Whether a field of this kind has lines in a record's search key. */
bool kind_in_key(enum field_kind kind);
/* Field i's lines in a key: [*start, *end); false when the record has no value there. */
bool key_field_lines(const char *key, size_t i, const char **start, const char **end);
/* folded is fold_text of a word, pinyin its fold_pinyin when it has no Han (else NULL). */
bool word_in_key(const char *folded, const char *pinyin, const char *key);
/* A word without Han as pinyin may spell it; NULL for Han, or when it adds nothing. */
char *word_pinyin(const char *word, const char *folded);

#endif
