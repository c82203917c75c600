/*
 * table-keys.c — where a table of a million records keeps its ids and search keys without
 * holding them in anonymous memory (the console's budget is 64 MB resident). Ids are packed one
 * after another in blocks that never move (no allocation each). Search keys are written to a
 * file of their own, unlinked at once, and read through a read-only mapping reserved large
 * enough that a key never moves: the pages a search or a limit reads are the page cache's, and
 * key_file_release gives them back after it. A key is written before anyone reads it
 * (key_file_flush after each chunk made). Without such a file (no room, no O_TMPFILE and no
 * mkstemp) the keys are kept on the heap as before.
 */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "console/table.h"

#define ID_BLOCK (256 * 1024)		/* bytes of ids per block */
#define KEY_RESERVE ((size_t)64 << 30)	/* address space reserved for the keys' mapping */
#define KEY_PENDING_MAX (256 * 1024)	/* keys buffered before a write */

/* A copy of id (len bytes) among the table's packed ids: it lives until id_text_free. */
char *
id_text_add(struct id_text *x, const char *id, size_t len)
{
	char *s;

	if (len + 1 > x->left) {
		size_t size = len + 1 > ID_BLOCK ? len + 1 : ID_BLOCK;

		if (x->own == NULL) {
			x->own = xcalloc(1, sizeof *x->own);
			x->own->refs = 1;
		}
		x->own->v = xrealloc(x->own->v, (x->own->n + 1) * sizeof *x->own->v);
		x->own->v[x->own->n++] = x->next = xmalloc(size);
		x->left = size;
	}
	s = x->next;
	memcpy(s, id, len);
	s[len] = '\0';
	x->next += len + 1;
	x->left -= len + 1;
	return s;
}

static void
blocks_unref(struct id_blocks *b)
{
	if (b == NULL || --b->refs > 0)
		return;
	for (size_t i = 0; i < b->n; i++)
		free(b->v[i]);
	free(b->v);
	free(b);
}

static void
blocks_borrow(struct id_text *x, struct id_blocks *b)
{
	if (b == NULL)
		return;
	b->refs++;
	x->borrowed = xrealloc(x->borrowed, (x->n_borrowed + 1) * sizeof *x->borrowed);
	x->borrowed[x->n_borrowed++] = b;
}

/* The blocks from's ids lie in, held for this table's ids that point into them. */
void
id_text_share(struct id_text *x, const struct id_text *from)
{
	blocks_borrow(x, from->own);
	for (size_t i = 0; i < from->n_borrowed; i++)
		blocks_borrow(x, from->borrowed[i]);
}

void
id_text_free(struct id_text *x)
{
	blocks_unref(x->own);
	for (size_t i = 0; i < x->n_borrowed; i++)
		blocks_unref(x->borrowed[i]);
	free(x->borrowed);
	memset(x, 0, sizeof *x);
}

/* An unlinked file for the keys: O_TMPFILE, else a named one removed at once. */
static int
key_file_create(void)
{
	const char *dir = secure_getenv("TMPDIR");
	char *path;
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
	path = xasprintf("%s/huitou-keys.XXXXXX", dir);
	fd = mkostemp(path, O_CLOEXEC);
	if (fd >= 0)
		(void)unlink(path);
	free(path);
	return fd;
}

static void
key_file_open(struct key_file *kf)
{
	memset(kf, 0, sizeof *kf);
	kf->opened = true;
	kf->fd = key_file_create();
	if (kf->fd < 0)
		return;
	kf->map = mmap(NULL, KEY_RESERVE, PROT_READ, MAP_SHARED | MAP_NORESERVE, kf->fd, 0);
	if (kf->map == MAP_FAILED) {
		close(kf->fd);
		kf->fd = -1;
		kf->map = NULL;
		return;
	}
	kf->reserved = KEY_RESERVE;
}

/* Writes what is buffered; false when it could not be (the keys made since are lost). */
bool
key_file_flush(struct key_file *kf)
{
	size_t done = 0;

	if (kf->pending.len == 0)
		return true;
	while (done < kf->pending.len) {
		ssize_t n = pwrite(kf->fd, kf->pending.data + done, kf->pending.len - done,
		    (off_t)(kf->len + done));

		if (n <= 0) {
			buf_reset(&kf->pending);
			return false;
		}
		done += (size_t)n;
	}
	kf->len += done;
	buf_reset(&kf->pending);
	return true;
}

/* Takes key (malloc'd) and gives what to keep in t->keys: a place in the mapping, readable
 * after key_file_flush; the key itself when no file is open or the reservation is full. */
char *
key_file_add(struct key_file *kf, char *key)
{
	size_t len = strlen(key) + 1, at;

	if (!kf->opened)
		key_file_open(kf);
	at = kf->len + kf->pending.len;
	if (kf->map == NULL || at + len > kf->reserved)
		return key;
	if (kf->pending.len + len > KEY_PENDING_MAX && !key_file_flush(kf))
		return key;
	at = kf->len + kf->pending.len;
	buf_add(&kf->pending, key, len);
	free(key);
	return kf->map + at;
}

/* Whether key is one of the file's (else the heap's, to free). */
bool
key_file_holds(const struct key_file *kf, const char *key)
{
	return kf->map != NULL && key >= kf->map && key < kf->map + kf->reserved;
}

/* The pages of keys read so far leave this process's resident memory (the file keeps them). */
void
key_file_release(struct key_file *kf)
{
	if (kf->map != NULL && kf->len > 0)
		(void)madvise(kf->map, kf->len, MADV_DONTNEED);
}

/*
 * Reading every key (a limit) through the mapping would fault in every page again after it
 * was given back, 3 to 5 µs a page on this machine (0.5 s at a million); read() copies them
 * from the page cache into one window instead, which stays resident. Keys lie in id order up
 * to kf->ordered; one made again since lies after it and is read on its own.
 */
#define READ_WINDOW (1024 * 1024)

static bool
read_at(int fd, char *buf, size_t len, size_t at, size_t *got)
{
	ssize_t n = pread(fd, buf, len, (off_t)at);

	*got = n > 0 ? (size_t)n : 0;
	return n >= 0;
}

/* The key at offset `at` of the file, read on its own into kr->one. */
static const char *
read_one(const struct key_file *kf, struct key_reader *kr, size_t at)
{
	size_t want = 4096, got;

	for (;;) {
		if (want + 1 > kr->one_cap) {
			kr->one_cap = want + 1;
			kr->one = xrealloc(kr->one, kr->one_cap);
		}
		if (!read_at(kf->fd, kr->one, want, at, &got))
			return NULL;
		kr->one[got] = '\0';
		if (memchr(kr->one, '\0', got) != NULL || got < want)
			return kr->one;
		want *= 2;
	}
}

const char *
key_read(const struct key_file *kf, struct key_reader *kr, const char *key)
{
	size_t at, got;
	const char *end;

	if (key == NULL || !key_file_holds(kf, key) || key >= kf->map + kf->len)
		return key;	/* on the heap: as it is */
	at = (size_t)(key - kf->map);
	if (kr->buf == NULL)
		kr->buf = xmalloc(READ_WINDOW + 1);
	if (at >= kr->from && at < kr->from + kr->whole)
		return kr->buf + (at - kr->from);
	if (kf->ordered > 0 && at >= kf->ordered)
		return read_one(kf, kr, at);	/* made again since: not among the others */
	if (!read_at(kf->fd, kr->buf, READ_WINDOW, at, &got))
		return NULL;
	kr->from = at;
	kr->buf[got] = '\0';
	end = got > 0 ? memrchr(kr->buf, '\0', got) : NULL;
	kr->whole = end != NULL ? (size_t)(end - kr->buf) : 0;	/* keys ending before it */
	if (kr->whole == 0 && memchr(kr->buf, '\0', got) == NULL)
		return read_one(kf, kr, at);	/* longer than the window */
	return kr->buf;
}

void
key_reader_free(struct key_reader *kr)
{
	free(kr->buf);
	free(kr->one);
	memset(kr, 0, sizeof *kr);
}

/* Every key forgotten: the file emptied for the keys made again. */
void
key_file_reset(struct key_file *kf)
{
	key_file_release(kf);
	buf_reset(&kf->pending);
	kf->ordered = 0;
	if (kf->opened && kf->fd >= 0 && ftruncate(kf->fd, 0) == 0)
		kf->len = 0;
}

void
key_file_close(struct key_file *kf)
{
	if (kf->map != NULL)
		(void)munmap(kf->map, kf->reserved);
	if (kf->opened && kf->fd >= 0)
		close(kf->fd);
	buf_free(&kf->pending);
	memset(kf, 0, sizeof *kf);
}
