// SPDX-License-Identifier: GPL-2.0
/* dmashim selftests - dmashim's debugfs: the device's view of mappings, bounce counters */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "helpers.h"

static int mapping_file(__u64 handle, const char *file, int flags)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), DMASHIM_DEBUGFS "/mappings/%llu/%s",
		 (unsigned long long)handle, file);
	fd = open(path, flags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* pread() or pwrite() the whole of @len at @off of a device view. */
static int view_io(__u64 handle, void *buf, size_t len, __u64 off,
		   bool write)
{
	int fd = mapping_file(handle, "device_view",
			      write ? O_WRONLY : O_RDONLY), ret = 0;
	ssize_t n;

	if (fd < 0)
		return fd;
	n = write ? pwrite(fd, buf, len, off) : pread(fd, buf, len, off);
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != len)
		ret = -EIO;
	close(fd);
	return ret;
}

int view_read(__u64 handle, void *buf, size_t len, __u64 off)
{
	return view_io(handle, buf, len, off, false);
}

int view_write(__u64 handle, const void *buf, size_t len, __u64 off)
{
	return view_io(handle, (void *)buf, len, off, true);
}

long long view_size(__u64 handle)
{
	int fd = mapping_file(handle, "device_view", O_RDONLY);
	struct stat st;
	int ret;

	if (fd < 0)
		return fd;
	ret = fstat(fd, &st) ? -errno : 0;
	close(fd);
	return ret ? ret : st.st_size;
}

int view_check(const struct mapping *m, char *line, size_t len)
{
	int fd = mapping_file(m->handle, "check", O_RDONLY);
	char want[64];
	ssize_t n;

	snprintf(line, len, "(unreadable)");
	if (fd < 0)
		return fd;
	n = read(fd, line, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	line[n] = '\0';
	line[strcspn(line, "\n")] = '\0';
	snprintf(want, sizeof(want), "ok %u segments", m->nr_segments);
	return strcmp(line, want) ? 1 : 0;
}

int live_mappings(void)
{
	DIR *d = opendir(DMASHIM_DEBUGFS "/mappings");
	struct dirent *de;
	int n = 0;

	if (!d)
		return -errno;
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

bool debugfs_mounted(void)
{
	struct statfs sfs;

	return !statfs("/sys/kernel/debug", &sfs) &&
	       sfs.f_type == DEBUGFS_MAGIC;
}

int debugfs_bounce(const char *name, struct dmashim_stats *stats)
{
	static const struct {
		const char *name;
		size_t offset;
	} fields[] = {
#define FIELD(f) { #f, offsetof(struct dmashim_stats, f) }
		FIELD(pool_bytes), FIELD(slot_bytes), FIELD(slots_total),
		FIELD(slots_used), FIELD(slots_high_water),
		FIELD(bytes_to_device), FIELD(bytes_to_cpu),
		FIELD(mappings_bounced), FIELD(failures),
#undef FIELD
	};
	char path[PATH_MAX], key[64];
	unsigned long long val;
	unsigned int seen = 0;
	size_t i;
	FILE *f;

	memset(stats, 0, sizeof(*stats));
	stats->size = sizeof(*stats);
	snprintf(path, sizeof(path), DMASHIM_DEBUGFS "/devices/%s/bounce",
		 name);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fscanf(f, "%63s %llu", key, &val) == 2) {
		for (i = 0; i < ARRAY_SIZE(fields); i++) {
			if (strcmp(key, fields[i].name))
				continue;
			*(__u64 *)((char *)stats + fields[i].offset) = val;
			seen++;
		}
	}
	fclose(f);
	return seen == ARRAY_SIZE(fields) ? 0 : -EPROTO;
}
