/*
 * seal.c — private values sealed for the audit text and opened again (seal.h). AES-SIV is
 * deterministic authenticated encryption: no nonce to store, the same input gives the same
 * text, and a changed byte, another record's or field's seal moved here, or another key is
 * refused when opened. The nonce is fixed; the record id and field name are the associated
 * data.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nettle/base64.h>
#include <nettle/siv-cmac.h>

#include "store/seal.h"

static const uint8_t seal_nonce[] = "huitou-seal";

struct seal {
	struct siv_cmac_aes128_ctx ctx;
};

struct seal *
seal_new(const unsigned char key[SEAL_KEY_BYTES])
{
	struct seal *s = xcalloc(1, sizeof *s);

	siv_cmac_aes128_set_key(&s->ctx, key);
	return s;
}

void
seal_free(struct seal *s)
{
	if (s != NULL)
		explicit_bzero(s, sizeof *s);
	free(s);
}

/* "id NUL field": what binds a seal to its place. */
static char *
seal_adata(const char *id, const char *field, size_t *len)
{
	size_t a = strlen(id), b = strlen(field);
	char *ad = xmalloc(a + b + 2);

	memcpy(ad, id, a + 1);
	memcpy(ad + a + 1, field, b + 1);
	*len = a + b + 1;
	return ad;
}

char *
seal_value(const struct seal *s, const char *id, const char *field, const char *value)
{
	size_t vlen = strlen(value), clen = vlen + SIV_DIGEST_SIZE, alen, plen = strlen(SEAL_PREFIX);
	uint8_t *cipher = xmalloc(clen);
	char *ad = seal_adata(id, field, &alen);
	char *out = xmalloc(plen + BASE64_ENCODE_RAW_LENGTH(clen) + 1);

	siv_cmac_aes128_encrypt_message(&s->ctx, sizeof seal_nonce - 1, seal_nonce, alen,
	    (const uint8_t *)ad, clen, cipher, (const uint8_t *)value);
	memcpy(out, SEAL_PREFIX, plen);
	base64_encode_raw(out + plen, clen, cipher);
	out[plen + BASE64_ENCODE_RAW_LENGTH(clen)] = '\0';
	free(cipher);
	free(ad);
	return out;
}

bool
seal_is_sealed(const char *text)
{
	return str_starts(text, SEAL_PREFIX);
}

/* The bytes of the base64 after the prefix; NULL when it is not base64. */
static uint8_t *
seal_decode(const char *b64, size_t *len)
{
	struct base64_decode_ctx ctx;
	size_t n = strlen(b64);
	uint8_t *bytes = xmalloc(BASE64_DECODE_LENGTH(n) + 1);

	*len = BASE64_DECODE_LENGTH(n) + 1;
	base64_decode_init(&ctx);
	if (!base64_decode_update(&ctx, len, bytes, n, b64) || !base64_decode_final(&ctx)) {
		free(bytes);
		return NULL;
	}
	return bytes;
}

int
seal_open(const struct seal *s, const char *id, const char *field, const char *text,
    char **out, struct error *err)
{
	size_t clen, alen;
	uint8_t *cipher;
	char *ad, *plain;
	int ok;

	if (s == NULL)
		return error_set(err, ST_FAILED,
		    _("%s of %s is sealed and the data directory has no %s to open it"), field, id,
		    SEAL_KEY_FILE);
	cipher = seal_decode(text + strlen(SEAL_PREFIX), &clen);
	if (cipher == NULL || clen < SIV_DIGEST_SIZE) {
		free(cipher);
		return error_set(err, ST_FAILED, _("%s of %s: the sealed text is damaged"), field, id);
	}
	ad = seal_adata(id, field, &alen);
	plain = xmalloc(clen - SIV_DIGEST_SIZE + 1);
	ok = siv_cmac_aes128_decrypt_message(&s->ctx, sizeof seal_nonce - 1, seal_nonce, alen,
	    (const uint8_t *)ad, clen - SIV_DIGEST_SIZE, (uint8_t *)plain, cipher);
	free(cipher);
	free(ad);
	if (!ok || memchr(plain, '\0', clen - SIV_DIGEST_SIZE) != NULL) {
		free(plain);
		return error_set(err, ST_FAILED,
		    _("%s of %s cannot be unsealed: the text was changed, or %s is not the key it was sealed with"),
		    field, id, SEAL_KEY_FILE);
	}
	plain[clen - SIV_DIGEST_SIZE] = '\0';
	*out = plain;
	return 0;
}

static int
hex_digit(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int
seal_load(const char *dir, struct seal **out, struct error *err)
{
	char *path = xasprintf("%s/%s", dir, SEAL_KEY_FILE);
	struct buf text = BUF_INIT;
	unsigned char key[SEAL_KEY_BYTES];
	int rc = 0;

	*out = NULL;
	if (!path_exists(path))
		goto out;
	if (file_read_all(path, &text, err) != 0)
		rc = -1;
	else if (text.len < 2 * SEAL_KEY_BYTES)
		rc = error_set(err, ST_FAILED, _("%s is not a seal key (64 hex digits)"), path);
	for (size_t i = 0; rc == 0 && i < SEAL_KEY_BYTES; i++) {
		int hi = hex_digit(text.data[2 * i]), lo = hex_digit(text.data[2 * i + 1]);

		if (hi < 0 || lo < 0)
			rc = error_set(err, ST_FAILED, _("%s is not a seal key (64 hex digits)"), path);
		key[i] = (unsigned char)(hi * 16 + lo);
	}
	if (rc == 0)
		*out = seal_new(key);
	explicit_bzero(key, sizeof key);
	if (text.data != NULL)
		explicit_bzero(text.data, text.len);
out:
	buf_free(&text);
	free(path);
	return rc;
}

/* Like the LMDB files beside it: the coordinators' group reads the values in the store
 * anyway, and the key only keeps them from readers of git (the umask, 007, keeps others out). */
#define KEY_MODE 0660

static int
write_key(int fd, const char *path, struct error *err)
{
	unsigned char key[SEAL_KEY_BYTES];
	char hex[2 * SEAL_KEY_BYTES + 2];
	int rc = 0;

	if (getrandom(key, sizeof key, 0) != (ssize_t)sizeof key)
		return error_set(err, ST_FAILED, _("cannot make a seal key: %s"), strerror(errno));
	for (size_t i = 0; i < SEAL_KEY_BYTES; i++)
		snprintf(hex + 2 * i, 3, "%02x", key[i]);
	hex[2 * SEAL_KEY_BYTES] = '\n';
	if (write(fd, hex, sizeof hex - 1) != (ssize_t)(sizeof hex - 1) || fsync(fd) != 0)
		rc = error_set(err, ST_FAILED, _("cannot write %s: %s"), path, strerror(errno));
	explicit_bzero(key, sizeof key);
	explicit_bzero(hex, sizeof hex);
	return rc;
}

int
seal_create(const char *dir, struct error *err)
{
	char *path = xasprintf("%s/%s", dir, SEAL_KEY_FILE);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, KEY_MODE);
	int rc = 0;

	if (fd < 0 && errno != EEXIST)
		rc = error_set(err, ST_FAILED, _("cannot create %s: %s"), path, strerror(errno));
	else if (fd >= 0) {
		rc = write_key(fd, path, err);
		if (close(fd) != 0 && rc == 0)
			rc = error_set(err, ST_FAILED, _("cannot write %s: %s"), path, strerror(errno));
		if (rc != 0)
			(void)unlink(path);
	}
	free(path);
	return rc;
}
