/*
 * draw-sample.c — the procedure of a spot-check draw on bytes and indexes (doc/draw.md, which
 * an independent verifier follows): the seed from the announcement commit's id, the public
 * value and the draw's id; SHA-256 in counter mode; numbers below n by rejection, never by a
 * bare modulo; a partial Fisher–Yates shuffle. Nothing here reads the store.
 */
#include "config.h"

#include <nettle/sha2.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/draw.h"

void
draw_seed(const char *draw_id, const char *commit_hex, const char *public_value,
    uint8_t seed[DRAW_SEED_BYTES])
{
	char *text = xasprintf("huitou-draw-v1\ndraw %s\ncommit %s\nvalue %s\n", draw_id,
	    commit_hex, public_value);
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, strlen(text), (const uint8_t *)text);
	sha256_digest(&ctx, SHA256_DIGEST_SIZE, seed);
	free(text);
}

void
draw_seed_hex(const uint8_t seed[DRAW_SEED_BYTES], char hex[2 * DRAW_SEED_BYTES + 1])
{
	for (size_t i = 0; i < DRAW_SEED_BYTES; i++)
		snprintf(hex + 2 * i, 3, "%02x", seed[i]);
}

/* The teams' seed: SHA-256 of "huitou-draw-v1 teams\n", the seed in hex and "\n". */
void
draw_team_seed(const uint8_t seed[DRAW_SEED_BYTES], uint8_t out[DRAW_SEED_BYTES])
{
	char hex[2 * DRAW_SEED_BYTES + 1];
	char *text;
	struct sha256_ctx ctx;

	draw_seed_hex(seed, hex);
	text = xasprintf("huitou-draw-v1 teams\n%s\n", hex);
	sha256_init(&ctx);
	sha256_update(&ctx, strlen(text), (const uint8_t *)text);
	sha256_digest(&ctx, SHA256_DIGEST_SIZE, out);
	free(text);
}

void
draw_stream_init(struct draw_stream *s, const uint8_t seed[DRAW_SEED_BYTES])
{
	memcpy(s->seed, seed, DRAW_SEED_BYTES);
	s->counter = 0;
}

/* The next block's first 8 bytes, big-endian. */
static uint64_t
stream_next(struct draw_stream *s)
{
	uint8_t counter[8], block[SHA256_DIGEST_SIZE];
	struct sha256_ctx ctx;
	uint64_t x = 0;

	for (int i = 0; i < 8; i++)
		counter[i] = (uint8_t)(s->counter >> (56 - 8 * i));
	s->counter++;
	sha256_init(&ctx);
	sha256_update(&ctx, DRAW_SEED_BYTES, s->seed);
	sha256_update(&ctx, sizeof counter, counter);
	sha256_digest(&ctx, SHA256_DIGEST_SIZE, block);
	for (int i = 0; i < 8; i++)
		x = x << 8 | block[i];
	return x;
}

uint64_t
draw_stream_below(struct draw_stream *s, uint64_t n)
{
	/* 2^64 mod n, so that [0, limit) holds every residue equally often. */
	uint64_t rest = (0 - n) % n, limit = 0 - rest, x;

	do
		x = stream_next(s);
	while (rest != 0 && x >= limit);
	return x % n;
}

void
draw_pick(const uint8_t seed[DRAW_SEED_BYTES], size_t n, size_t k, size_t *out)
{
	struct draw_stream s;
	size_t *a = xcalloc(n + 1, sizeof *a);

	draw_stream_init(&s, seed);
	for (size_t i = 0; i < n; i++)
		a[i] = i;
	for (size_t i = 0; i < k && i < n; i++) {
		size_t j = i + (size_t)draw_stream_below(&s, n - i), t = a[i];

		a[i] = a[j];
		a[j] = t;
		out[i] = a[i];
	}
	free(a);
}
