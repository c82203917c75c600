/*
 * sha1.h — SHA-1 for the checksums of the packs huitou writes itself (git's pack and index
 * trailers). Object ids come from libgit2 (git_odb_hash); this is only the file checksum.
 */
#ifndef HUITOU_SHA1_H
#define HUITOU_SHA1_H

#include <stddef.h>
#include <stdint.h>

struct sha1 {
	uint32_t h[5];
	uint64_t len;
	unsigned char block[64];
	size_t used;
};

void sha1_init(struct sha1 *s);
void sha1_update(struct sha1 *s, const void *data, size_t len);
void sha1_final(struct sha1 *s, unsigned char out[20]);

#endif
