// SPDX-License-Identifier: GPL-2.0
/*
 * The dmashim command: "dmashim info" output and exit statuses.  The
 * bench puts the tool in PATH; DMASHIM_TOOL overrides it.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "helpers.h"

/* Run the tool with @args; captures stdout+stderr; returns exit status. */
static int run_tool(const char *args, char *out, size_t len)
{
	const char *tool = getenv("DMASHIM_TOOL");
	char cmd[512];
	size_t n = 0;
	FILE *p;
	int status;

	snprintf(cmd, sizeof(cmd), "%s %s 2>&1", tool ? tool : "dmashim",
		 args);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (n < len - 1 && fgets(out + n, len - n, p))
		n += strlen(out + n);
	out[n] = '\0';
	status = pclose(p);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(info_default_text)
{
	static char out[8192];

	ASSERT_EQ(0, run_tool("info", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "dmashim (bus platform, driver dmashim, dmashim's default device)"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "0xffffffffffffffff (64 bits)"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "not translated (domain none)"))
		TH_LOG("%s", out);
}

TEST(info_edu_json)
{
	static char out[8192], args[128];

	if (!edu_addr())
		SKIP(return, "no edu device (run under the QEMU bench)");
	snprintf(args, sizeof(args), "info --device %s --dma-bits 28 --json",
		 edu_bind_name());
	ASSERT_EQ(0, run_tool(args, out, sizeof(out)));
	EXPECT_EQ('{', out[0]);
	EXPECT_NE(NULL, strstr(out, "\"dma_mask\": 268435455,"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"bus\": \"pci\","));
	EXPECT_NE(NULL, strstr(out, "\"abi_version\": 1\n}"));
}

TEST(info_errors)
{
	static char out[8192];

	EXPECT_EQ(1, run_tool("info --device pci:0000:ff:00.0", out,
			      sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "bind pci:0000:ff:00.0: No such device"))
		TH_LOG("%s", out);
	EXPECT_EQ(1, run_tool("info --device nobus:x", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "Invalid argument")) TH_LOG("%s", out);
	EXPECT_EQ(2, run_tool("info --dma-bits 65", out, sizeof(out)));
	EXPECT_EQ(2, run_tool("info --dma-bits x", out, sizeof(out)));
	EXPECT_EQ(2, run_tool("info extra", out, sizeof(out)));
	EXPECT_EQ(2, run_tool("no-such-command", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "unknown command")) TH_LOG("%s", out);
	EXPECT_EQ(2, run_tool("", out, sizeof(out)));
	EXPECT_EQ(0, run_tool("help", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "info")) TH_LOG("%s", out);
}

TEST_HARNESS_MAIN
