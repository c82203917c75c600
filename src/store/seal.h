/*
 * seal.h — private fields sealed in the audit text: "sealed:v1:BASE64", AES-SIV (nettle's
 * siv_cmac_aes128) with the record id and the field name as associated data. Deterministic on
 * purpose: the same value of the same field of the same record always gives the same text,
 * so an unchanged record stays unchanged in git while a changed value shows as a changed seal.
 * The key is DATA/seal.key (32 random bytes, hex), made at init, never committed.
 */
#ifndef HUITOU_SEAL_H
#define HUITOU_SEAL_H

#include "base/base.h"

#define SEAL_PREFIX "sealed:v1:"
#define SEAL_KEY_FILE "seal.key"	/* in the data directory */
#define SEAL_KEY_BYTES 32

struct seal;

/* A seal from the key's 32 bytes (tests), or from DIR/seal.key: *out NULL with no error when
 * the file is missing (a data directory made before sealing), an error when it is unreadable
 * or malformed. */
struct seal *seal_new(const unsigned char key[SEAL_KEY_BYTES]);
int seal_load(const char *dir, struct seal **out, struct error *err);
/* Makes DIR/seal.key with fresh random bytes unless it exists, with the mode of the LMDB
 * files (the group's, never others'). */
int seal_create(const char *dir, struct error *err);
void seal_free(struct seal *s);

/* "sealed:v1:…" for value (non-empty), bound to the record id and field name; caller frees. */
char *seal_value(const struct seal *s, const char *id, const char *field, const char *value);
bool seal_is_sealed(const char *text);
/* The value back from a sealed text; refused (a sentence naming the field and the record)
 * when the text was tampered with or sealed with another key, or when s is NULL. */
int seal_open(const struct seal *s, const char *id, const char *field, const char *text,
    char **out, struct error *err);

#endif
