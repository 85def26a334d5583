// SPDX-License-Identifier: GPL-2.0
/* dmashim selftests - the kernel log, record by record (/dev/kmsg) */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

/* What tools/bench/evaluate counts as trouble, but IOMMU faults. */
static const char *const trouble[] = {
	"BUG:", "WARNING:", "Oops", "general protection fault",
	"Call Trace:", "UBSAN:", "soft lockup", "hard LOCKUP",
	"blocked for more than",
	/* DMA the IOMMU refused: intel's, AMD's */
	"DMAR: [DMA", "IO_PAGE_FAULT",
};

int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (lseek(fd, 0, SEEK_END) < 0) {
		close(fd);
		return -errno;
	}
	return fd;
}

/*
 * The next record's text (after "prio,seq,time,flags;"), into @line: 1,
 * 0 at the end, or -errno.  Records lost to a full buffer are skipped.
 */
static int kmsg_next(int fd, char *line, size_t len)
{
	char rec[8192], *text;
	ssize_t n;

	do
		n = read(fd, rec, sizeof(rec) - 1);
	while (n < 0 && errno == EPIPE);
	if (n < 0)
		return errno == EAGAIN ? 0 : -errno;
	rec[n] = '\0';
	text = strchr(rec, ';');
	text = text ? text + 1 : rec;
	text[strcspn(text, "\n")] = '\0';
	snprintf(line, len, "%s", text);
	return 1;
}

int kmsg_find(int fd, const char *needle, char *line, size_t len)
{
	int ret;

	while ((ret = kmsg_next(fd, line, len)) == 1)
		if (strstr(line, needle))
			return 1;
	return ret;
}

int kmsg_trouble(int fd, char *line, size_t len)
{
	size_t i;
	int ret;

	while ((ret = kmsg_next(fd, line, len)) == 1)
		for (i = 0; i < ARRAY_SIZE(trouble); i++)
			if (strstr(line, trouble[i]))
				return 1;
	return ret;
}
