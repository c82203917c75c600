/*
 * table-keys.c — where a table of a million records keeps its ids and search keys without
 * holding them in anonymous memory (the console's budget is 64 MB resident). Ids are packed one
 * after another in blocks that never move (no allocation each). Search keys are written to a
 * file of their own, unlinked at once, and read through a read-only mapping reserved large
 * enough that a key never moves: the pages a search or a limit reads are the page cache's, and
 * key_file_release gives them back after it. A key is written before anyone reads it
 * (key_file_flush after each chunk made). Without such a file (no room, no O_TMPFILE and no
 * mkstemp) the keys are kept on the heap as before. A table opened from another one's ids (a
 * dashboard's Enter) borrows its key file too, holding a reference, rather than making a
 * million keys again.
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
	if (x->own == NULL) {
		x->own = xcalloc(1, sizeof *x->own);
		x->own->text = (struct text_blocks)TEXT_BLOCKS_INIT(ID_BLOCK);
		x->own->refs = 1;
	}
	return text_blocks_add(&x->own->text, id, len);
}

static void
blocks_unref(struct id_blocks *b)
{
	if (b == NULL || --b->refs > 0)
		return;
	text_blocks_free(&b->text);
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
key_store_create_fd(void)
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

/* A new store, its file mapped; map NULL when there is none (keys stay on the heap). */
static struct key_store *
key_store_new(void)
{
	struct key_store *ks = xcalloc(1, sizeof *ks);

	ks->refs = 1;
	ks->fd = key_store_create_fd();
	if (ks->fd < 0)
		return ks;
	ks->map = mmap(NULL, KEY_RESERVE, PROT_READ, MAP_SHARED | MAP_NORESERVE, ks->fd, 0);
	if (ks->map == MAP_FAILED) {
		close(ks->fd);
		ks->fd = -1;
		ks->map = NULL;
		return ks;
	}
	ks->reserved = KEY_RESERVE;
	return ks;
}

static void
key_store_unref(struct key_store *ks)
{
	if (ks == NULL || --ks->refs > 0)
		return;
	if (ks->map != NULL)
		(void)munmap(ks->map, ks->reserved);
	if (ks->fd >= 0)
		close(ks->fd);
	buf_free(&ks->pending);
	free(ks);
}

static bool
store_holds(const struct key_store *ks, const char *key)
{
	return ks != NULL && ks->map != NULL && key >= ks->map && key < ks->map + ks->reserved;
}

/* Writes what is buffered; false when it could not be (the keys made since are lost). */
bool
key_file_flush(struct key_file *kf)
{
	struct key_store *ks = kf->own;
	size_t done = 0;

	if (ks == NULL || ks->pending.len == 0)
		return true;
	while (done < ks->pending.len) {
		ssize_t n = pwrite(ks->fd, ks->pending.data + done, ks->pending.len - done,
		    (off_t)(ks->len + done));

		if (n <= 0) {
			buf_reset(&ks->pending);
			return false;
		}
		done += (size_t)n;
	}
	ks->len += done;
	buf_reset(&ks->pending);
	return true;
}

/* Takes key (malloc'd) and gives what to keep in t->keys: a place in the mapping, readable
 * after key_file_flush; the key itself when no file is open or the reservation is full. */
char *
key_file_add(struct key_file *kf, char *key)
{
	size_t len = strlen(key) + 1, at;
	struct key_store *ks;

	if (kf->own == NULL)
		kf->own = key_store_new();
	ks = kf->own;
	if (ks->map == NULL || ks->len + ks->pending.len + len > ks->reserved)
		return key;
	if (ks->pending.len + len > KEY_PENDING_MAX && !key_file_flush(kf))
		return key;
	at = ks->len + ks->pending.len;
	buf_add(&ks->pending, key, len);
	free(key);
	return ks->map + at;
}

/* Whether key is one of the files' (else the heap's, to free). */
bool
key_file_holds(const struct key_file *kf, const char *key)
{
	return store_holds(kf->own, key) || store_holds(kf->borrowed, key);
}

/* Whether key is in this table's own file but not written yet (a failed flush). */
bool
key_file_unwritten(const struct key_file *kf, const char *key)
{
	return store_holds(kf->own, key) && key >= kf->own->map + kf->own->len;
}

/* Whether key is in the file, own or borrowed, and written (it can be read in place). */
bool
key_file_written(const struct key_file *kf, const char *key)
{
	return (store_holds(kf->own, key) && key < kf->own->map + kf->own->len) ||
	    (store_holds(kf->borrowed, key) && key < kf->borrowed->map + kf->borrowed->len);
}

/* Every key made so far came in id order; those made again later go after them. */
void
key_file_mark_ordered(struct key_file *kf)
{
	if (kf->own != NULL && kf->own->ordered == 0)
		kf->own->ordered = kf->own->len;
}

/* Borrows from's keys (a reference on its file): false when from has keys of its own and
 * borrowed ones too, or none in a file. */
bool
key_file_borrow(struct key_file *kf, const struct key_file *from)
{
	if (from->borrowed != NULL || from->own == NULL || from->own->map == NULL ||
	    kf->borrowed != NULL)
		return false;
	kf->borrowed = from->own;
	kf->borrowed->refs++;
	return true;
}

static void
store_release(struct key_store *ks)
{
	if (ks != NULL && ks->map != NULL && ks->len > 0)
		(void)madvise(ks->map, ks->len, MADV_DONTNEED);
}

/* The pages of keys read so far leave this process's resident memory (the file keeps them). */
void
key_file_release(struct key_file *kf)
{
	store_release(kf->own);
	store_release(kf->borrowed);
}

/*
 * Reading every key (a limit) through the mapping would fault in every page again after it
 * was given back, 3 to 5 µs a page on this machine (0.5 s at a million); read() copies them
 * from the page cache into one window instead, which stays resident. Keys lie in id order up
 * to the store's `ordered`; one made again since lies after it and is read on its own.
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
read_one(const struct key_store *ks, struct key_reader *kr, size_t at)
{
	size_t want = 4096, got;

	for (;;) {
		if (want + 1 > kr->one_cap) {
			kr->one_cap = want + 1;
			kr->one = xrealloc(kr->one, kr->one_cap);
		}
		if (!read_at(ks->fd, kr->one, want, at, &got))
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
	const struct key_store *ks = store_holds(kf->own, key) ? kf->own :
	    store_holds(kf->borrowed, key) ? kf->borrowed : NULL;
	size_t at, got;
	const char *end;

	if (key == NULL || ks == NULL || key >= ks->map + ks->len)
		return key;	/* on the heap: as it is */
	at = (size_t)(key - ks->map);
	if (kr->buf == NULL)
		kr->buf = xmalloc(READ_WINDOW + 1);
	if (kr->store == ks && at >= kr->from && at < kr->from + kr->whole)
		return kr->buf + (at - kr->from);
	if (ks->ordered > 0 && at >= ks->ordered)
		return read_one(ks, kr, at);	/* made again since: not among the others */
	if (!read_at(ks->fd, kr->buf, READ_WINDOW, at, &got))
		return NULL;
	kr->store = ks;
	kr->from = at;
	kr->buf[got] = '\0';
	end = got > 0 ? memrchr(kr->buf, '\0', got) : NULL;
	kr->whole = end != NULL ? (size_t)(end - kr->buf) : 0;	/* keys ending before it */
	if (kr->whole == 0 && memchr(kr->buf, '\0', got) == NULL)
		return read_one(ks, kr, at);	/* longer than the window */
	return kr->buf;
}

void
key_reader_free(struct key_reader *kr)
{
	free(kr->buf);
	free(kr->one);
	memset(kr, 0, sizeof *kr);
}

/* Every key forgotten: the file emptied for the keys made again, or left to the tables that
 * borrowed it and a new one made. */
void
key_file_reset(struct key_file *kf)
{
	key_file_release(kf);
	key_store_unref(kf->borrowed);
	kf->borrowed = NULL;
	if (kf->own == NULL)
		return;
	if (kf->own->refs > 1 || kf->own->fd < 0 || ftruncate(kf->own->fd, 0) != 0) {
		key_store_unref(kf->own);
		kf->own = NULL;
		return;
	}
	kf->own->len = kf->own->ordered = 0;
	buf_reset(&kf->own->pending);
}

void
key_file_close(struct key_file *kf)
{
	key_store_unref(kf->own);
	key_store_unref(kf->borrowed);
	kf->own = kf->borrowed = NULL;
}
