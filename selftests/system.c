// SPDX-License-Identifier: GPL-2.0
/* dmashim selftests - facts about the running system, capabilities, fd passing */

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

long long meminfo(const char *field)
{
	char line[256], unit[8];
	size_t len = strlen(field);
	long long val = -ENOENT;
	FILE *f;

	f = fopen("/proc/meminfo", "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, field, len) || line[len] != ':')
			continue;
		unit[0] = '\0';
		if (sscanf(line + len + 1, "%lld %7s", &val, unit) < 1)
			val = -EPROTO;
		else if (!strcmp(unit, "kB"))
			val *= 1024;
		break;
	}
	fclose(f);
	return val;
}

long dmabufs_live(void)
{
	char line[512];
	long n = -ENOENT;
	FILE *f = fopen("/sys/kernel/debug/dma_buf/bufinfo", "re");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Total %ld objects", &n) == 1)
			break;
	fclose(f);
	return n;
}

long pins_held(void)
{
	long val, acquired = -ENOENT, released = -ENOENT;
	char key[64];
	FILE *f;

	sysfs_write("/proc/sys/vm/stat_refresh", "1");
	f = fopen("/proc/vmstat", "re");
	if (!f)
		return -errno;
	while (fscanf(f, "%63s %ld", key, &val) == 2) {
		if (!strcmp(key, "nr_foll_pin_acquired"))
			acquired = val;
		else if (!strcmp(key, "nr_foll_pin_released"))
			released = val;
	}
	fclose(f);
	return acquired < 0 || released < 0 ? -ENOENT : acquired - released;
}

long long dma_debug_errors(void)
{
	char line[32];
	FILE *f;
	long long n = -ENOENT;

	f = fopen("/sys/kernel/debug/dma-api/error_count", "re");
	if (!f)
		return -errno;
	if (fgets(line, sizeof(line), f))
		n = atoll(line);
	fclose(f);
	return n;
}

bool cmdline_has(const char *word)
{
	char line[4096], *tok, *save;
	bool found = false;
	FILE *f;

	f = fopen("/proc/cmdline", "re");
	if (!f)
		return false;
	if (fgets(line, sizeof(line), f))
		for (tok = strtok_r(line, " \n", &save); tok && !found;
		     tok = strtok_r(NULL, " \n", &save))
			found = !strcmp(tok, word);
	fclose(f);
	return found;
}

bool kernel_at_least(unsigned int major, unsigned int minor)
{
	unsigned int ma = 0, mi = 0;
	struct utsname u;

	if (uname(&u) || sscanf(u.release, "%u.%u", &ma, &mi) != 2)
		return false;
	return ma > major || (ma == major && mi >= minor);
}

static int caps_get(struct __user_cap_header_struct *hdr,
		    struct __user_cap_data_struct data[2])
{
	*hdr = (struct __user_cap_header_struct){
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	return syscall(SYS_capget, hdr, data) ? -errno : 0;
}

int drop_cap(unsigned int cap)
{
	struct __user_cap_header_struct hdr;
	struct __user_cap_data_struct data[2];
	int ret = caps_get(&hdr, data);

	if (ret)
		return ret;
	data[cap / 32].effective &= ~(1U << (cap % 32));
	return syscall(SYS_capset, &hdr, data) ? -errno : 0;
}

bool have_cap(unsigned int cap)
{
	struct __user_cap_header_struct hdr;
	struct __user_cap_data_struct data[2];

	return !caps_get(&hdr, data) &&
	       (data[cap / 32].effective >> (cap % 32) & 1);
}

int send_fd(int sock, int fd)
{
	char data = 'f', cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { &data, 1 };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cbuf,
		.msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);

	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -errno;
}

int recv_fd(int sock)
{
	char data, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &data, 1 };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cbuf,
		.msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cmsg;
	ssize_t n;
	int fd;

	n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	if (n < 0)
		return -errno;
	cmsg = CMSG_FIRSTHDR(&msg);
	if (n != 1)
		return -EPROTO;
	if (!cmsg || cmsg->cmsg_type != SCM_RIGHTS)
		return -EPROTO;
	memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	return fd;
}

int open_node_to_group(void)
{
	if (chown(DMASHIM_DEV_PATH, 0, NODE_GID) ||
	    chmod(DMASHIM_DEV_PATH, 0660))
		return -errno;
	return 0;
}

int as_nobody(int (*fn)(void *arg), void *arg)
{
	gid_t group = NODE_GID;
	int pipefd[2], ret = -EPIPE, status;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		close(pipefd[0]);
		close(pipefd[1]);
		return ret;
	}
	if (!pid) {
		close(pipefd[0]);
		/* Every uid non-zero: the capabilities go too. */
		if (setgroups(1, &group) || setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			ret = -errno;
		else
			ret = fn(arg);
		if (write(pipefd[1], &ret, sizeof(ret)) != sizeof(ret))
			_exit(1);
		_exit(0);
	}
	close(pipefd[1]);
	if (read(pipefd[0], &ret, sizeof(ret)) != sizeof(ret))
		ret = -EPIPE;
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	return ret;
}
