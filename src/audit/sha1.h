/*
 * sha1.h — SHA-1 for what huitou hashes itself: the ids of the blobs of a commit (git's
 * "blob LEN\0" + text) and the checksum trailers of the packs and indexes it writes. It is
 * nettle's, which uses the processor's SHA instructions where there are any: on the project's
 * machine ten times the speed of plain C and four of libgit2's own (git_odb_hash).
 */
#ifndef HUITOU_SHA1_H
#define HUITOU_SHA1_H

#include <stddef.h>
#include <nettle/sha1.h>

#define SHA1_RAWSZ SHA1_DIGEST_SIZE

/* The id git gives a blob holding text. */
void sha1_blob_id(const void *text, size_t len, unsigned char id[SHA1_RAWSZ]);

#endif
