/*
 * sha1.c — git's blob ids, hashed with nettle's SHA-1 (see sha1.h).
 */
#include "config.h"

#include <stdio.h>

#include "audit/sha1.h"

void
sha1_blob_id(const void *text, size_t len, unsigned char id[SHA1_RAWSZ])
{
	struct sha1_ctx ctx;
	char head[32];
	int n = snprintf(head, sizeof head, "blob %zu", len);

	sha1_init(&ctx);
	sha1_update(&ctx, (size_t)n + 1, (const uint8_t *)head);	/* with its NUL */
	sha1_update(&ctx, len, text);
	sha1_digest(&ctx, SHA1_RAWSZ, id);
}
