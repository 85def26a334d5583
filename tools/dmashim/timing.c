// SPDX-License-Identifier: GPL-2.0
/* dmashim tool - timing for the benches: medians, and memcpy as reference */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmds.h"

#define BATCH_NS 5000000ULL
#define AUTO_ITERATIONS_MAX 10000

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int measure(op_fn op, void *arg, unsigned int batches,
	    unsigned int iterations, double *ns)
{
	double *per_call;
	unsigned int b, i;
	uint64_t t;
	int ret;

	ret = op(arg);
	if (ret)
		return ret;
	if (!iterations) {
		t = now_ns();
		ret = op(arg);
		if (ret)
			return ret;
		t = now_ns() - t;
		iterations = t ? BATCH_NS / t : AUTO_ITERATIONS_MAX;
		if (iterations < 1)
			iterations = 1;
		if (iterations > AUTO_ITERATIONS_MAX)
			iterations = AUTO_ITERATIONS_MAX;
	}
	per_call = calloc(batches, sizeof(*per_call));
	if (!per_call)
		return -ENOMEM;
	for (b = 0; b < batches; b++) {
		t = now_ns();
		for (i = 0; i < iterations; i++) {
			ret = op(arg);
			if (ret)
				goto out;
		}
		per_call[b] = (double)(now_ns() - t) / iterations;
	}
	qsort(per_call, batches, sizeof(per_call[0]), cmp_double);
	*ns = per_call[batches / 2];
out:
	free(per_call);
	return ret;
}

struct copy_op {
	void *dst;
	const void *src;
	size_t size;
};

static int copy_once(void *arg)
{
	struct copy_op *c = arg;

	memcpy(c->dst, c->src, c->size);
	/* The copy is the point: keep the compiler from dropping it. */
	__asm__ volatile("" : : "r"(c->dst) : "memory");
	return 0;
}

int memcpy_ns(size_t size, unsigned int iterations, double *ns)
{
	struct copy_op c = { .size = size };
	int ret = -ENOMEM;

	c.dst = malloc(size);
	c.src = malloc(size);
	if (c.dst && c.src) {
		memset(c.dst, 0, size);
		memset((void *)c.src, 0x5a, size);
		ret = measure(copy_once, &c, MEASURE_BATCHES, iterations, ns);
	}
	free(c.dst);
	free((void *)c.src);
	return ret;
}
