/*
 * query.h — what coordinators type to find records: "/" search words and "l" limit
 * expressions (district=610113 status=rectifying, name~启明, date>2021-07-01, date<today,
 * date<today+7, and/or/not, parentheses). Matching folds case, full-width letters, Traditional to Simplified Chinese
 * and pinyin (qmx and qimingxing find 启明星). Errors point at the word that is wrong.
 */
#ifndef HUITOU_QUERY_H
#define HUITOU_QUERY_H

#include "store/store.h"

/* A record's search key: its text fields folded (fold_text), their full pinyin and pinyin
 * initials, separated by '\n', each field's lines after a marker line of its own. Computed
 * once per record and kept by the caller. */
char *query_record_key(const struct record *rec);

struct query;
/* Parses an expression for form; on error err says what is wrong and *err_offset is the byte
 * offset of the bad word in text. An empty text is a query that matches everything. With a
 * ctx from store_field_ctx, divisions may be named or spelt in pinyin (district=雁塔区,
 * district=yt) and refs named by their form's title (responsible=徐明), resolved here once;
 * otherwise only codes and ids match. */
int query_parse(const struct form *form, const struct field_ctx *ctx, const char *text,
    struct query **out, size_t *err_offset, struct error *err);
void query_free(struct query *q);
/* key is query_record_key(rec) (may be NULL, then it is computed). */
bool query_match(const struct query *q, const struct record *rec, const char *key);

/* Sets used[i] for each field i of the form the query reads (used has one flag per field);
 * a bare word reads the whole search key, so it marks them all. */
void query_mark_fields(const struct query *q, bool *used, size_t n_fields);

/* A plain search word, as "/" uses it: matches when the folded word is in the key. */
bool query_word_matches(const char *word, const char *key);
/* The same, with the word folded once for many keys (incremental search). */
struct query_word;
struct query_word *query_word_new(const char *word);
bool query_word_in(const struct query_word *w, const char *key);
const char *query_word_folded(const struct query_word *w);
void query_word_free(struct query_word *w);

/*
 * Answering a limit without decoding records. query_index_terms calls fn for each term on an
 * indexed field that every match must satisfy (joined by "and" at the top): field=value, and
 * for dates also <, <=, >, >= (an index holds dates in their order), with the value as the
 * index holds it; fn returning non-zero stops and is returned. After it, query_match_key takes
 * those terms as satisfied: ask it only about the records the index gave for every term. It
 * answers from the key alone where it can (words, field~text) and says QUERY_MAYBE where the
 * record is needed (then use query_match).
 */
enum query_answer { QUERY_NO, QUERY_YES, QUERY_MAYBE };
int query_index_terms(struct query *q, int (*fn)(void *arg, const struct field *f,
    enum store_cmp cmp, const char *value), void *arg);
enum query_answer query_match_key(const struct query *q, const char *key);
/* Whether the index terms alone answer q (terms on indexed fields joined by "and"), so
 * no search key is needed; true only after query_index_terms. */
bool query_by_index(const struct query *q);

#endif
