// SPDX-License-Identifier: GPL-2.0
/* dmashim selftests - buffers and mappings, and what a mapping must look like */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "helpers.h"

int buf_alloc(int ctx, __u64 length, __u32 kind, __u32 fd_flags,
	      __u64 *rounded)
{
	struct dmashim_alloc alloc = {
		.size = sizeof(alloc),
		.length = length,
		.kind = kind,
		.fd_flags = fd_flags,
	};
	int ret = ioctl_errno(ctx, DMASHIM_IOCTL_ALLOC, &alloc);

	if (ret)
		return ret;
	if (rounded)
		*rounded = alloc.length;
	return alloc.fd;
}

int buf_pin(int ctx, const void *addr, __u64 length, __u32 flags)
{
	struct dmashim_pin pin = {
		.size = sizeof(pin),
		.flags = flags,
		.addr = (uintptr_t)addr,
		.length = length,
		.fd_flags = O_RDWR | O_CLOEXEC,
	};
	int ret = ioctl_errno(ctx, DMASHIM_IOCTL_PIN, &pin);

	return ret ? ret : pin.fd;
}

const char *kind_name(unsigned int kind)
{
	static const char *const names[] = {
		[DMASHIM_BUF_PAGES] = "pages",
		[DMASHIM_BUF_CONTIGUOUS] = "contiguous",
		[DMASHIM_BUF_COHERENT] = "coherent",
		[KIND_PINNED] = "pinned",
	};

	return kind < ARRAY_SIZE(names) ? names[kind] : "unknown";
}

/* Pinned buffers start this far into a page, as malloc()ed memory does. */
#define PIN_OFFSET 64

int buffer_get(int ctx, unsigned int kind, size_t len, struct buffer *b)
{
	__u64 size = 0;
	void *p;
	int fd;

	memset(b, 0, sizeof(*b));
	b->fd = -1;
	if (kind == KIND_PINNED) {
		b->cpu_len = PIN_OFFSET + len;
		p = mmap(NULL, b->cpu_len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		if (p == MAP_FAILED)
			return -errno;
		b->cpu = (unsigned char *)p + PIN_OFFSET;
		b->len = len;
		fd = buf_pin(ctx, b->cpu, len, DMASHIM_PIN_DEVICE_WRITES);
	} else {
		fd = buf_alloc(ctx, len, kind, O_RDWR | O_CLOEXEC, &size);
		if (fd >= 0) {
			b->len = b->cpu_len = size;
			p = mmap(NULL, size, PROT_READ | PROT_WRITE,
				 MAP_SHARED, fd, 0);
			if (p == MAP_FAILED) {
				close(fd);
				return -errno;
			}
			b->cpu = p;
		}
	}
	if (fd < 0) {
		buffer_put(b);
		return fd;
	}
	b->fd = fd;
	return 0;
}

void buffer_put(struct buffer *b)
{
	long page = sysconf(_SC_PAGESIZE);

	if (b->cpu)
		munmap((void *)((uintptr_t)b->cpu & ~(uintptr_t)(page - 1)),
		       b->cpu_len);
	if (b->fd >= 0)
		close(b->fd);
	b->cpu = NULL;
	b->fd = -1;
}

/* Segments map_buf() takes from the map call; the rest come by SEGMENTS. */
#define MAP_ROOM 4

int map_buf(int ctx, int buf_fd, __u32 dir, __u32 flags, struct mapping *m)
{
	struct dmashim_segment first[MAP_ROOM];
	struct dmashim_map map = {
		.size = sizeof(map),
		.flags = flags,
		.fd = buf_fd,
		.dir = dir,
		.segments = (uintptr_t)first,
		.nr_segments = MAP_ROOM,
		.segment_size = sizeof(first[0]),
	};
	struct dmashim_segments req;
	int ret;

	memset(m, 0, sizeof(*m));
	ret = ioctl_errno(ctx, DMASHIM_IOCTL_MAP, &map);
	if (ret)
		return ret;
	m->handle = map.handle;
	m->length = map.length;
	m->mapped_flags = map.mapped_flags;
	m->nr_segments = map.nr_segments;
	m->segs = calloc(map.nr_segments ? map.nr_segments : 1,
			 sizeof(*m->segs));
	if (!m->segs) {
		ctx_unmap(ctx, m->handle);
		return -ENOMEM;
	}
	memcpy(m->segs, first, sizeof(first[0]) *
	       (map.nr_segments < MAP_ROOM ? map.nr_segments : MAP_ROOM));
	if (map.nr_segments <= MAP_ROOM)
		return 0;
	req = (struct dmashim_segments){
		.size = sizeof(req),
		.handle = m->handle,
		.segments = (uintptr_t)&m->segs[MAP_ROOM],
		.first = MAP_ROOM,
		.count = map.nr_segments - MAP_ROOM,
		.segment_size = sizeof(m->segs[0]),
	};
	ret = ioctl_errno(ctx, DMASHIM_IOCTL_SEGMENTS, &req);
	if (!ret && (req.count != map.nr_segments - MAP_ROOM ||
		     req.nr_segments != map.nr_segments))
		ret = -EIO;
	if (ret) {
		ctx_unmap(ctx, m->handle);
		mapping_free(m);
	}
	return ret;
}

void mapping_free(struct mapping *m)
{
	free(m->segs);
	m->segs = NULL;
}

static const char *bounce_problem(const struct mapping *m,
				  const struct dmashim_info *info,
				  const struct buffer *b, unsigned int kind,
				  __u32 map_flags)
{
	bool bounced = m->mapped_flags & DMASHIM_MAPPED_BOUNCED;
	bool swiotlb = m->mapped_flags & DMASHIM_MAPPED_SWIOTLB;
	enum bounce_expect expect;
	int reach;

	if (map_flags & DMASHIM_MAP_BOUNCE)
		return !bounced ? "not bounced, though asked to" :
		       swiotlb ? "in the kernel's swiotlb, though bounced" : "";
	/*
	 * The tests map coherent memory for the device it was allocated for,
	 * which has it mapped already: neither pool serves it.
	 */
	expect = kind == DMASHIM_BUF_COHERENT ? BOUNCE_NEVER :
						expected_bounce(info);
	switch (expect) {
	case BOUNCE_NEVER:
		return bounced ? "bounced, though the device reaches it" :
		       swiotlb ? "in the kernel's swiotlb" : "";
	case BOUNCE_ALWAYS:
		return !bounced ? "not bounced, under swiotlb=force" :
		       swiotlb ? "in the kernel's swiotlb, though bounced" : "";
	case BOUNCE_SWIOTLB:
		return bounced ? "bounced, though the device reaches it" :
		       !swiotlb ? "not in swiotlb, under swiotlb=force" : "";
	case BOUNCE_IF_UNREACHABLE:
		if (swiotlb)
			return "in the kernel's swiotlb";
		reach = reachable(b->cpu, b->len, info->dma_mask);
		if (reach < 0)
			return "cannot read the buffer's frames (pagemap)";
		if (reach && bounced)
			return "bounced, though every page is within the mask";
		if (!reach && !bounced)
			return "not bounced, with pages beyond the mask";
	}
	return "";
}

const char *mapping_problem(const struct mapping *m,
			    const struct dmashim_info *info,
			    const struct buffer *b, unsigned int kind,
			    __u32 map_flags)
{
	bool hidden = m->mapped_flags & DMASHIM_MAPPED_ADDRS_HIDDEN;
	bool iommu = m->mapped_flags & DMASHIM_MAPPED_IOMMU;
	static char why[256];
	__u64 total = 0, end;
	unsigned int i;

	if (m->length != b->len)
		return "length is not the buffer's";
	if (iommu != !!(info->dev_flags & DMASHIM_DEV_IOMMU))
		return "DMASHIM_MAPPED_IOMMU is not the device's";
	if (hidden && iommu)
		return "IOVAs hidden";
	for (i = 0; i < m->nr_segments; i++) {
		const struct dmashim_segment *s = &m->segs[i];

		end = s->addr + s->length - 1;
		total += s->length;
		snprintf(why, sizeof(why), "segment %u (0x%llx + 0x%llx): ", i,
			 (unsigned long long)s->addr,
			 (unsigned long long)s->length);
		if (!s->length || s->length > info->max_seg_size)
			strcat(why, "length 0 or above max_seg_size");
		else if (hidden && s->addr)
			strcat(why, "address not hidden");
		else if (hidden)
			continue;
		else if (end < s->addr || end > info->dma_mask)
			strcat(why, "beyond the DMA mask");
		else if ((s->addr | info->seg_boundary_mask) !=
			 (end | info->seg_boundary_mask))
			strcat(why, "crosses a segment boundary");
		else if (iommu && (s->addr < info->iova_start ||
				   end > info->iova_end))
			strcat(why, "outside the IOMMU aperture");
		else if (kind == DMASHIM_BUF_CONTIGUOUS && i &&
			 !(m->mapped_flags & (DMASHIM_MAPPED_BOUNCED |
					      DMASHIM_MAPPED_SWIOTLB)) &&
			 m->segs[i - 1].addr + m->segs[i - 1].length != s->addr)
			strcat(why, "contiguous memory, not contiguous here");
		else
			continue;
		return why;
	}
	if (total != m->length)
		return "segments do not add up to the length";
	return bounce_problem(m, info, b, kind, map_flags);
}

/*
 * How many pages of [@addr, @addr + @len), all mapped and present, lie at
 * physical addresses @mask reaches, and how many there are, from
 * /proc/self/pagemap; 0 or -errno.
 */
static int pages_within(const void *addr, size_t len, __u64 mask,
			size_t *within, size_t *total)
{
	long page = sysconf(_SC_PAGESIZE);
	uintptr_t va = (uintptr_t)addr & ~(uintptr_t)(page - 1);
	uintptr_t end = (uintptr_t)addr + len;
	__u64 entry, pfn;
	int fd, ret = 0;

	*within = *total = 0;
	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (; va < end && !ret; va += page) {
		pfn = 0;
		if (pread(fd, &entry, sizeof(entry),
			  va / page * sizeof(entry)) != sizeof(entry))
			ret = -EIO;
		/* Present, with a frame number (needs CAP_SYS_ADMIN). */
		else if (!(entry >> 63) ||
			 !(pfn = entry & ((1ULL << 55) - 1)))
			ret = -ENOENT;
		*within += (pfn + 1) * page - 1 <= mask;
		(*total)++;
	}
	close(fd);
	return ret;
}

int reachable(const void *addr, size_t len, __u64 mask)
{
	size_t within, total;
	int ret = pages_within(addr, len, mask, &within, &total);

	return ret ? ret : within == total;
}

int unreachable(const void *addr, size_t len, __u64 mask)
{
	size_t within, total;
	int ret = pages_within(addr, len, mask, &within, &total);

	return ret ? ret : !within;
}

enum bounce_expect expected_bounce(const struct dmashim_info *info)
{
	__u64 reach = info->dma_mask;
	bool limited;

	if (info->bus_dma_limit && info->bus_dma_limit < reach)
		reach = info->bus_dma_limit;
	if (info->dev_flags & DMASHIM_DEV_IOMMU)
		return BOUNCE_NEVER;
	limited = reach < info->required_mask;
	if (cmdline_has("swiotlb=force"))
		return limited ? BOUNCE_ALWAYS : BOUNCE_SWIOTLB;
	return limited ? BOUNCE_IF_UNREACHABLE : BOUNCE_NEVER;
}
