/*
 * alloc.c — allocation that never returns NULL. Running out of memory ends the program
 * through fatal(), which first runs the hook a front end set (the console restores the
 * terminal there) so the user is never left with a broken screen.
 */
#include "config.h"

#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "base.h"

static void (*fatal_hook)(void);

void
fatal_set_hook(void (*hook)(void))
{
	fatal_hook = hook;
}

void
fatal(const char *fmt, ...)
{
	va_list ap;

	if (fatal_hook != NULL) {
		void (*hook)(void) = fatal_hook;

		fatal_hook = NULL;
		hook();
	}
	fputs("huitou: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(ST_FAILED);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		fatal("out of memory");
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		fatal("out of memory");
	return p;
}

void *
xrealloc(void *old, size_t n)
{
	void *p = realloc(old, n ? n : 1);

	if (p == NULL)
		fatal("out of memory");
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		fatal("out of memory");
	va_end(ap);
	return s;
}

#define HUGE_PAGE ((uintptr_t)2 << 20)
#define BIG_BLOCK ((size_t)4 << 20)	/* from this size on, ask for huge pages */

/*
 * Where the first touch of each 4 KB page is slow (about 25 µs on the project's virtual
 * machine), filling a 50 MB buffer costs over a second of page faults; in 2 MB transparent
 * huge pages it costs fifty times less. A block for them starts on a huge page boundary
 * (only whole aligned huge pages inside it can be used) and is advised before anything
 * touches it. Advice only: where it fails, nothing changes but the speed.
 */
static void *
alloc_huge(size_t n)
{
	void *p;

	if (posix_memalign(&p, HUGE_PAGE, n) != 0)
		fatal("out of memory");
#ifdef MADV_HUGEPAGE
	if (n >= HUGE_PAGE)
		(void)madvise(p, n & ~(HUGE_PAGE - 1), MADV_HUGEPAGE);
#endif
	return p;
}

void *
xcalloc_big(size_t n, size_t size)
{
	void *p;

	if (size != 0 && n > SIZE_MAX / size)
		fatal("out of memory");
	if (n * size < BIG_BLOCK)
		return xcalloc(n, size);
	p = alloc_huge(n * size);
	memset(p, 0, n * size);
	return p;
}

/* A large block moves to fresh memory, advised before the copy touches it: realloc would
 * keep the pages it has and place them anywhere. */
void *
xrealloc_big(void *p, size_t used, size_t n)
{
	void *q;

	if (n < BIG_BLOCK)
		return xrealloc(p, n);
	q = alloc_huge(n);
	if (used > 0)
		memcpy(q, p, used);
	free(p);
	return q;
}

#define TRIM_DEFAULT ((size_t)128 << 10)	/* glibc's M_TRIM_THRESHOLD */

static bool heap_reserved;	/* the trim threshold is raised */

/*
 * The heap grows a 4 KB page at a time as small blocks are first touched, and LMDB takes each
 * page of a write transaction as a malloc of 4 KB: committing 50 MB costs some 12,000 page
 * faults, about 0.3 s on the project's machine. Here the heap is grown by n at once (a block
 * that must come from it, not from mmap), its whole huge pages advised and touched (a fault
 * per 2 MB), then the block is freed and kept at the heap's top (not trimmed) for the small
 * blocks that follow. The transparent huge page setting "madvise" allows this; advice only:
 * where anything fails nothing changes but the speed.
 */
void
heap_reserve(size_t n)
{
#if defined(M_MMAP_MAX) && defined(M_TRIM_THRESHOLD) && defined(MADV_HUGEPAGE)
	int keep = n < INT32_MAX / 2 ? (int)(2 * n) : INT32_MAX;
	uintptr_t start, end;
	char *p;

	if (n < 2 * HUGE_PAGE || mallopt(M_TRIM_THRESHOLD, keep) == 0)
		return;
	heap_reserved = true;
	if (mallopt(M_MMAP_MAX, 0) == 0)
		return;
	p = malloc(n);
	(void)mallopt(M_MMAP_MAX, 65536);	/* glibc's default */
	if (p == NULL)
		return;
	start = ((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	end = ((uintptr_t)p + n) & ~(HUGE_PAGE - 1);
	if (end > start && madvise((void *)start, end - start, MADV_HUGEPAGE) == 0)
		for (uintptr_t q = start; q < end; q += HUGE_PAGE)
			*(volatile char *)q = 0;
	free(p);
#else
	(void)n;
#endif
}

/* The heap may shrink again (what heap_reserve kept is given back as it is freed). */
void
heap_release(void)
{
#ifdef M_TRIM_THRESHOLD
	if (heap_reserved)
		(void)mallopt(M_TRIM_THRESHOLD, (int)TRIM_DEFAULT);
#endif
	heap_reserved = false;
}

char *
text_blocks_add(struct text_blocks *t, const char *s, size_t len)
{
	char *copy;

	if (len + 1 > t->left) {
		size_t size = len + 1 > t->block ? len + 1 : t->block;

		t->v = xrealloc(t->v, (t->n + 1) * sizeof *t->v);
		t->next = t->v[t->n++] = xmalloc(size);
		t->left = size;
	}
	copy = t->next;
	memcpy(copy, s, len);
	copy[len] = '\0';
	t->next += len + 1;
	t->left -= len + 1;
	return copy;
}

void
text_blocks_free(struct text_blocks *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
	t->v = NULL;
	t->n = t->left = 0;
	t->next = NULL;
}
