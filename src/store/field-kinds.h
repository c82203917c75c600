/*
 * field-kinds.h — what the field type files share inside src/store/ (field-types.c,
 * field-numbers.c, ident.c): the parsers of numbers, amounts, dates and phone numbers, and the
 * calendar checks. Everything else sees only form.h.
 */
#ifndef HUITOU_FIELD_KINDS_H
#define HUITOU_FIELD_KINDS_H

#include "store/form.h"

/*
 * Each parser takes the cleaned input: valid UTF-8, NFC, trimmed, full-width ASCII folded,
 * and not empty. It sets *out to the canonical value (caller frees), or refuses with -1.
 */
int field_parse_integer(const struct field *f, const char *s, char **out, struct error *err);
int field_parse_money(const struct field *f, const char *s, char **out, struct error *err);
int field_parse_date(const struct field *f, const char *s, char **out, struct error *err);
/* field-set.c: several options, by value or label, separated by commas, 、 or spaces. */
int field_parse_set(const struct field *f, const char *s, char **out, struct error *err);
/* The option of f that s names (its value or either label, ASCII in any case); NULL: none. */
const struct enum_option *field_enum_match(const struct field *f, const char *s);
/* The refusal of s, which names no option of f, listing the options. */
int field_enum_refuse(const struct field *f, const char *s, struct error *err);
/* A set's labels joined by 、 (zh true: in Chinese whatever the language); valid until a few
 * later calls (a small ring of buffers). */
const char *field_set_display(const struct field *f, const char *value, bool zh);
int field_parse_phone(const struct field *f, const char *s, char **out, struct error *err);

/* A day of the Gregorian calendar, years 1 to 9999 (field-numbers.c). */
bool date_is_real(int year, int month, int day);
int date_days_in_month(int year, int month);

/* ident.c: a character of the credit code's alphabet; an identity number's birth date. */
bool uscc_char_ok(char c);
bool idcard_birth_valid(const char *id);

#endif
