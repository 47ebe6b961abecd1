/*
 * pool.c - a bounded worker pool. A fixed number of threads run jobs
 * from a queue of fixed capacity; a caller whose job does not fit is told
 * so at once (never blocked, never queued without bound), and a caller
 * waits for its job with a deadline. A job whose caller gave up keeps its
 * argument and frees it when it ends, so a slow scan never touches freed
 * memory.
 *
 * Each worker has one private slot (the daemon keeps its struct dlp_scan
 * there: one scan state per thread).
 *
 * Wake-ups are signalled after the lock is released, so the woken thread
 * does not wake only to block on the lock again (that doubled the futex
 * calls per job). A job is freed by whichever of waiter and worker lets
 * go of it last (refs), since the worker still signals after unlocking.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dlpd.h"

struct dlp_job {
	dlp_job_fn fn;
	void *arg;
	void (*free_arg)(void *arg);
	bool started;
	bool done;
	bool abandoned;
	atomic_int refs; /* waiter and worker, while each may touch it */
	pthread_cond_t cv;
	struct dlp_job *next;
};

struct dlp_pool {
	pthread_mutex_t lock;
	pthread_cond_t work;
	struct dlp_job *head, *tail;
	unsigned busy; /* queued + running */
	unsigned capacity;
	bool stopping;
	pthread_condattr_t cattr; /* CLOCK_MONOTONIC, for the job deadlines */
	void (*fini_local)(void *local);
	pthread_t *threads;
	unsigned nthreads;
};

static void
job_unref(struct dlp_job *j)
{
	if (atomic_fetch_sub(&j->refs, 1) == 1) {
		pthread_cond_destroy(&j->cv);
		free(j);
	}
}

static void *
worker_main(void *vp)
{
	struct dlp_pool *p = vp;
	void *local = NULL;
	struct dlp_job *j;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (p->head == NULL && !p->stopping)
			pthread_cond_wait(&p->work, &p->lock);
		if (p->head == NULL)
			break;
		j = p->head;
		p->head = j->next;
		if (p->head == NULL)
			p->tail = NULL;
		j->started = true;
		pthread_mutex_unlock(&p->lock);

		j->fn(&local, j->arg);

		pthread_mutex_lock(&p->lock);
		p->busy--;
		j->done = true;
		if (j->abandoned) {
			if (j->free_arg != NULL)
				j->free_arg(j->arg);
		}
		pthread_mutex_unlock(&p->lock);
		/* The waiter saw done under the lock or is waiting: no lost
		 * wake-up. */
		pthread_cond_signal(&j->cv);
		job_unref(j);
		pthread_mutex_lock(&p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	if (p->fini_local != NULL)
		p->fini_local(local);
	return NULL;
}

struct dlp_pool *
dlp_pool_new(
    unsigned nworkers, unsigned queue_size, void (*fini_local)(void *local))
{
	struct dlp_pool *p;
	unsigned i;

	if (nworkers == 0 || (p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_condattr_init(&p->cattr);
	pthread_condattr_setclock(&p->cattr, CLOCK_MONOTONIC);
	p->capacity = nworkers + queue_size;
	p->fini_local = fini_local;
	if ((p->threads = calloc(nworkers, sizeof(*p->threads))) == NULL)
		goto fail;
	for (i = 0; i < nworkers; i++) {
		if (pthread_create(&p->threads[i], NULL, worker_main, p) != 0)
			goto fail;
		p->nthreads++;
	}
	return p;
fail:
	dlp_pool_free(p);
	return NULL;
}

enum dlp_pool_rc
dlp_pool_run(struct dlp_pool *p, dlp_job_fn fn, void *arg,
    void (*free_arg)(void *arg), unsigned timeout_ms)
{
	struct timespec dl;
	struct dlp_job *j, **pp;
	enum dlp_pool_rc rc;
	int w = 0;

	if ((j = calloc(1, sizeof(*j))) == NULL)
		return DLP_POOL_FULL;
	j->fn = fn;
	j->arg = arg;
	j->free_arg = free_arg;
	atomic_init(&j->refs, 1); /* the waiter's; the worker's comes later */
	pthread_cond_init(&j->cv, &p->cattr);

	clock_gettime(CLOCK_MONOTONIC, &dl);
	dl.tv_sec += timeout_ms / 1000;
	dl.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (dl.tv_nsec >= 1000000000L) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000L;
	}

	pthread_mutex_lock(&p->lock);
	if (p->stopping || p->busy >= p->capacity) {
		pthread_mutex_unlock(&p->lock);
		pthread_cond_destroy(&j->cv);
		free(j);
		return DLP_POOL_FULL;
	}
	p->busy++;
	atomic_fetch_add(&j->refs, 1); /* the worker's, dropped when it ends */
	if (p->tail != NULL)
		p->tail->next = j;
	else
		p->head = j;
	p->tail = j;
	pthread_mutex_unlock(&p->lock);
	pthread_cond_signal(&p->work);
	pthread_mutex_lock(&p->lock);
	while (!j->done && w != ETIMEDOUT) {
		if (timeout_ms == 0)
			pthread_cond_wait(&j->cv, &p->lock);
		else
			w = pthread_cond_timedwait(&j->cv, &p->lock, &dl);
	}
	if (j->done) {
		rc = DLP_POOL_DONE;
	} else if (!j->started) {
		/* Never started: take it off the queue; nobody else has it. */
		for (pp = &p->head; *pp != j; pp = &(*pp)->next)
			;
		*pp = j->next;
		p->tail = NULL;
		for (struct dlp_job *t = p->head; t != NULL; t = t->next)
			p->tail = t;
		p->busy--;
		j->done = true;
		atomic_fetch_sub(&j->refs, 1); /* no worker will have it */
		if (free_arg != NULL)
			free_arg(arg);
		rc = DLP_POOL_TIMEOUT;
	} else {
		j->abandoned = true; /* the worker frees arg */
		rc = DLP_POOL_TIMEOUT;
	}
	pthread_mutex_unlock(&p->lock);
	job_unref(j);
	return rc;
}

unsigned
dlp_pool_busy(struct dlp_pool *p)
{
	unsigned n;

	pthread_mutex_lock(&p->lock);
	n = p->busy;
	pthread_mutex_unlock(&p->lock);
	return n;
}

bool
dlp_pool_full(struct dlp_pool *p)
{
	bool full;

	pthread_mutex_lock(&p->lock);
	full = p->busy >= p->capacity;
	pthread_mutex_unlock(&p->lock);
	return full;
}

void
dlp_pool_free(struct dlp_pool *p)
{
	unsigned i;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	p->stopping = true;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	for (i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	free(p->threads);
	pthread_cond_destroy(&p->work);
	pthread_condattr_destroy(&p->cattr);
	pthread_mutex_destroy(&p->lock);
	free(p);
}
