/*
 * pool.c — short jobs on threads kept for the process's life. A save runs a few jobs beside
 * its own work (the git objects made while LMDB syncs, fsyncs side by side, the next commit's
 * temporary files); a thread started and ended for each cost more processor time than the job
 * on the project's virtual machine (clone3 and the exit's page-table flushes), which every
 * other user of the two cores waits for. A job goes to an idle thread, or to a new one, up to
 * POOL_MAX; it is never queued behind another, so a job may start and join jobs of its own.
 * When no thread can be had, the job runs at once in the caller.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>

#include "base.h"

#define POOL_MAX 16

struct pool_job {
	void *(*fn)(void *);
	void *arg;
	bool done;
};

struct worker {
	pthread_cond_t wake;
	struct pool_job *job;	/* the job given, until it is done */
	bool started;
};

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pool_finished = PTHREAD_COND_INITIALIZER;
static struct worker workers[POOL_MAX];

static void *
worker_run(void *arg)
{
	struct worker *w = arg;

	pthread_mutex_lock(&pool_lock);
	for (;;) {
		struct pool_job *job;

		while (w->job == NULL)
			pthread_cond_wait(&w->wake, &pool_lock);
		job = w->job;
		pthread_mutex_unlock(&pool_lock);
		job->fn(job->arg);
		pthread_mutex_lock(&pool_lock);
		job->done = true;
		w->job = NULL;
		pthread_cond_broadcast(&pool_finished);
	}
	return NULL;
}

/* An idle worker, started if need be (the pool's lock held); NULL when none can be had. */
static struct worker *
idle_worker(void)
{
	pthread_t thread;

	for (size_t i = 0; i < POOL_MAX; i++) {
		struct worker *w = &workers[i];

		if (w->started && w->job == NULL)
			return w;
		if (!w->started) {
			if (pthread_cond_init(&w->wake, NULL) != 0)
				return NULL;
			if (pthread_create(&thread, NULL, worker_run, w) != 0) {
				pthread_cond_destroy(&w->wake);
				return NULL;
			}
			(void)pthread_detach(thread);
			w->started = true;
			return w;
		}
	}
	return NULL;
}

struct pool_job *
pool_start(void *(*fn)(void *), void *arg)
{
	struct pool_job *job = xcalloc(1, sizeof *job);
	struct worker *w;

	job->fn = fn;
	job->arg = arg;
	pthread_mutex_lock(&pool_lock);
	if ((w = idle_worker()) != NULL) {
		w->job = job;
		pthread_cond_signal(&w->wake);
	}
	pthread_mutex_unlock(&pool_lock);
	if (w == NULL) {
		fn(arg);
		job->done = true;
	}
	return job;
}

void
pool_join(struct pool_job *job)
{
	if (job == NULL)
		return;
	pthread_mutex_lock(&pool_lock);
	while (!job->done)
		pthread_cond_wait(&pool_finished, &pool_lock);
	pthread_mutex_unlock(&pool_lock);
	free(job);
}
