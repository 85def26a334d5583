// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libdmashim - the caller's structs, which carry their own size: copying
 * them in and out as far as the caller and the library both know them
 */

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"

/*
 * Copy the library's struct @src (@ksize bytes, its first member the
 * size) out to the caller's @dst, whose first member is the caller's
 * size: at most that many bytes, zeroes after the library's, the
 * caller's size kept.  -EINVAL for a caller's size dmashim_size_ok()
 * refuses.
 */
int dmashim_struct_out(void *dst, const void *src, size_t ksize,
		       size_t first)
{
	uint32_t usize;

	memcpy(&usize, dst, sizeof(usize));
	if (!dmashim_size_ok(usize, first))
		return -EINVAL;
	memcpy((char *)dst + sizeof(usize), (const char *)src + sizeof(usize),
	       (usize < ksize ? usize : ksize) - sizeof(usize));
	/* Fields a newer caller knows and this library does not: none. */
	if (usize > ksize)
		memset((char *)dst + ksize, 0, usize - ksize);
	return 0;
}

/* A caller's size: its struct's first version's to 4096, 8-byte steps. */
bool dmashim_size_ok(uint32_t usize, size_t first)
{
	return usize >= first && usize <= DMASHIM_LIB_SIZE_MAX && !(usize % 8);
}

/*
 * Copy the caller's struct @src, whose first member is its size, into
 * the library's @dst (@ksize bytes), zero-extended.  -EINVAL for a size
 * dmashim_size_ok() refuses; -E2BIG if a byte this library does not
 * know is not 0.
 */
int dmashim_struct_in(void *dst, const void *src, size_t ksize, size_t first)
{
	const unsigned char *p = src;
	uint32_t usize;
	size_t i;

	memcpy(&usize, src, sizeof(usize));
	if (!dmashim_size_ok(usize, first))
		return -EINVAL;
	for (i = ksize; i < usize; i++)
		if (p[i])
			return -E2BIG;
	memset(dst, 0, ksize);
	memcpy(dst, src, usize < ksize ? usize : ksize);
	return 0;
}
