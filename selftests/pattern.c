// SPDX-License-Identifier: GPL-2.0
/* dmashim selftests - data patterns and comparisons */



#include "helpers.h"

unsigned char pattern_byte(__u64 off, unsigned int seed)
{
	__u64 x = (off ^ ((__u64)seed << 40)) * 0x9e3779b97f4a7c15ULL;

	return x >> 56;
}

void pattern_fill(void *p, size_t len, __u64 off, unsigned int seed)
{
	unsigned char *c = p;
	size_t i;

	for (i = 0; i < len; i++)
		c[i] = pattern_byte(off + i, seed);
}

long pattern_diff(const void *p, size_t len, __u64 off, unsigned int seed)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (c[i] != pattern_byte(off + i, seed))
			return i;
	return -1;
}

long first_diff(const void *a, const void *b, size_t len)
{
	const unsigned char *x = a, *y = b;
	size_t i;

	for (i = 0; i < len; i++)
		if (x[i] != y[i])
			return i;
	return -1;
}

long first_nonzero(const void *p, size_t len)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (c[i])
			return i;
	return -1;
}
