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
int field_parse_phone(const struct field *f, const char *s, char **out, struct error *err);

/* A day of the Gregorian calendar, years 1 to 9999 (field-numbers.c). */
bool date_is_real(int year, int month, int day);
int date_days_in_month(int year, int month);

/* ident.c: a character of the credit code's alphabet; an identity number's birth date. */
bool uscc_char_ok(char c);
bool idcard_birth_valid(const char *id);

#endif
