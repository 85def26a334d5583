// SPDX-License-Identifier: GPL-2.0
/* dmashim selftests - PCI devices through sysfs: finding edu, drivers, rescans */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

static unsigned long read_hex(const char *dir, const char *file)
{
	char path[PATH_MAX], buf[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "r");
	if (!f)
		return ~0UL;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return strtoul(buf, NULL, 16);
}

/*
 * The first PCI device with @vendor and @device whose driver is not
 * @not_driver (NULL: any), as "DDDD:BB:DD.F" in @addr; 0 or -ENOENT.
 */
static int pci_find_not_driven(unsigned int vendor, unsigned int device,
			       const char *not_driver, char *addr, size_t len)
{
	const char *root = "/sys/bus/pci/devices";
	char dir[PATH_MAX];
	struct dirent *de;
	int ret = -ENOENT;
	DIR *d;

	d = opendir(root);
	if (!d)
		return -ENOENT;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", root, de->d_name);
		if (read_hex(dir, "vendor") == vendor &&
		    read_hex(dir, "device") == device &&
		    (!not_driver ||
		     strcmp(pci_driver_of(de->d_name), not_driver))) {
			snprintf(addr, len, "%s", de->d_name);
			ret = 0;
			break;
		}
	}
	closedir(d);
	return ret;
}

int pci_find(unsigned int vendor, unsigned int device, char *addr,
	     size_t len)
{
	return pci_find_not_driven(vendor, device, NULL, addr, len);
}

const char *edu_addr(void)
{
	static char addr[64];

	return pci_find_not_driven(EDU_VENDOR, EDU_DEVICE, EDU_DMA_DRIVER,
				   addr, sizeof(addr)) ? NULL : addr;
}

const char *edu_bind_name(void)
{
	static char name[80];
	const char *addr = edu_addr();

	if (!addr)
		return NULL;
	snprintf(name, sizeof(name), "pci:%s", addr);
	return name;
}

const char *pci_driver_of(const char *addr)
{
	static char driver[PATH_MAX];
	char link[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/sys/bus/pci/devices/%s/driver", addr);
	n = readlink(link, driver, sizeof(driver) - 1);
	if (n < 0)
		return "";
	driver[n] = '\0';
	return strrchr(driver, '/') + 1;
}

int sysfs_write(const char *path, const char *val)
{
	int fd, ret = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

int pci_rescan(const char *addr)
{
	char path[PATH_MAX];
	int ret;

	ret = sysfs_write("/sys/bus/pci/rescan", "1");
	if (ret || strcmp(pci_driver_of(addr), EDU_DMA_DRIVER))
		return ret;
	snprintf(path, sizeof(path), "/sys/bus/pci/drivers/%s/unbind",
		 EDU_DMA_DRIVER);
	return sysfs_write(path, addr);
}

int expected_edu_domain(void)
{
	static const struct {
		const char *name;
		int domain;
	} map[] = {
		{ "none", DMASHIM_IOMMU_NONE },
		{ "identity", DMASHIM_IOMMU_IDENTITY },
		{ "strict", DMASHIM_IOMMU_DMA_STRICT },
		{ "lazy", DMASHIM_IOMMU_DMA_LAZY },
	};
	const char *want = getenv("DMASHIM_EXPECT_IOMMU");
	size_t i;

	for (i = 0; want && i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(want, map[i].name))
			return map[i].domain;
	return -1;
}
