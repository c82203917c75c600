/*
 * query-private.h — what query.c (the parser and matcher) uses of query-key.c.
 */
#ifndef HUITOU_QUERY_PRIVATE_H
#define HUITOU_QUERY_PRIVATE_H

#include "base/base.h"

bool has_han(const char *s);
/* folded is fold_text of a word, pinyin its fold_pinyin when it has no Han (else NULL). */
bool word_in_key(const char *folded, const char *pinyin, const char *key);
/* A word without Han as pinyin may spell it; NULL for Han, or when it adds nothing. */
char *word_pinyin(const char *word, const char *folded);

#endif
