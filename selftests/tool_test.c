// SPDX-License-Identifier: GPL-2.0
/*
 * The dmashim command: "dmashim info", "alloc", "map", "copy", "bench
 * map" and "bench copy", their output and exit statuses.  The bench puts
 * the tool in PATH; DMASHIM_TOOL overrides it.
 */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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
	EXPECT_NE(NULL, strstr(out, "\"features\": 2047\n}")) TH_LOG("%s", out);
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

TEST(alloc)
{
	static char out[8192];

	ASSERT_EQ(0, run_tool("alloc --kind pages --size 64K", out,
			      sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "65536 bytes (64 KiB), pages, zero-filled"))
		TH_LOG("%s", out);
	ASSERT_EQ(0, run_tool("alloc --kind coherent --size 5000", out,
			      sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "8192 bytes (8 KiB), coherent"))
		TH_LOG("%s", out);
	EXPECT_EQ(1, run_tool("alloc --kind contiguous --size 16M", out,
			      sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "alloc: File too large")) TH_LOG("%s", out);
	EXPECT_EQ(2, run_tool("alloc --size 4K", out, sizeof(out)));
	EXPECT_EQ(2, run_tool("alloc --kind pages", out, sizeof(out)));
	EXPECT_EQ(2, run_tool("alloc --kind pages --size 0", out, sizeof(out)));
	EXPECT_EQ(2, run_tool("alloc --kind pages --size 4X", out,
			      sizeof(out)));
	EXPECT_EQ(2, run_tool("alloc --kind heap --size 4K", out, sizeof(out)));
}

/* Sum of the "length" values after "segments" in map's JSON. */
static unsigned long long json_segments_total(const char *out)
{
	const char *p = strstr(out, "\"segments\"");
	const char *end = p ? strstr(p, "]") : NULL;
	unsigned long long total = 0, len;

	while (p && (p = strstr(p, "\"length\": ")) && p < end) {
		p += strlen("\"length\": ");
		if (sscanf(p, "%llu", &len) == 1)
			total += len;
	}
	return total;
}

TEST(map_json)
{
	static char out[65536];

	ASSERT_EQ(0, run_tool("map --size 1M --json", out, sizeof(out)));
	EXPECT_EQ('{', out[0]) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"kind\": \"pages\","));
	EXPECT_NE(NULL, strstr(out, "\"length\": 1048576,"));
	EXPECT_NE(NULL, strstr(out, "\"dir\": \"bidirectional\","));
	EXPECT_NE(NULL, strstr(out, "\"pool_bytes\": "));
	EXPECT_EQ(1048576, json_segments_total(out)) TH_LOG("%s", out);
}

TEST(map_pin_bounce)
{
	static char out[65536];

	ASSERT_EQ(0, run_tool("map --pin --size 100000 --dir to --bounce", out,
			      sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "pinned")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "100000 bytes, to-device"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "bounced")) TH_LOG("%s", out);
	/* Shown while the mapping lives: its slots are in use. */
	EXPECT_EQ(NULL, strstr(out, ": 0 in use")) TH_LOG("%s", out);
}

TEST(map_errors)
{
	static char out[8192];

	EXPECT_EQ(2, run_tool("map --kind pages --pin --size 4K", out,
			      sizeof(out)));
	EXPECT_EQ(2, run_tool("map --size 4K --dir sideways", out,
			      sizeof(out)));
	EXPECT_EQ(2, run_tool("map", out, sizeof(out)));
	EXPECT_EQ(1, run_tool("map --size 4K --device pci:0000:ff:00.0", out,
			      sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "No such device")) TH_LOG("%s", out);
	EXPECT_EQ(1, run_tool("map --kind contiguous --size 8M", out,
			      sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "alloc: File too large")) TH_LOG("%s", out);
}

/* Counts of "needle" in @hay. */
static int count(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle))) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

FIXTURE(slow) {
	int unused;
};

FIXTURE_SETUP(slow)
{
}

FIXTURE_TEARDOWN(slow)
{
}

/* Every cell of the table is there, measured or saying why not. */
TEST_F_TIMEOUT(slow, bench_map_json, 600)
{
	static char out[65536];

	ASSERT_EQ(0, run_tool("bench map --iterations 1 --json", out,
			      sizeof(out)));
	EXPECT_EQ('{', out[0]) TH_LOG("%s", out);
	/* 6 sizes x 4 kinds x bounced or not. */
	EXPECT_EQ(48, count(out, "{ \"size\": ")) TH_LOG("%s", out);
	EXPECT_EQ(48, count(out, "\"map_unmap_ns\": ") + count(out, "\"na\": "))
		TH_LOG("%s", out);
	/* Unbounced, the default device maps every kind. */
	EXPECT_EQ(0, count(out, "\"bounce\": \"no\", \"na\""))
		TH_LOG("%s", out);

	EXPECT_EQ(2, run_tool("bench", out, sizeof(out)));
	EXPECT_EQ(2, run_tool("bench unmap", out, sizeof(out)));
	EXPECT_EQ(0, run_tool("bench --help", out, sizeof(out)));
	EXPECT_EQ(2, run_tool("bench map extra", out, sizeof(out)));
	EXPECT_EQ(2, run_tool("bench map --iterations 0", out, sizeof(out)));
}

TEST(copy)
{
	char cpu[DMASHIM_CHAN_NAME_LEN], edu[DMASHIM_CHAN_NAME_LEN];
	static char out[8192], args[256], want[256];

	REQUIRE_CHANNEL(CPU_DMA_DRIVER, cpu);
	REQUIRE_CHANNEL(EDU_DMA_DRIVER, edu);
	ASSERT_EQ(0, run_tool("copy --device dmashim_cpudma --size 1M --verify",
			      out, sizeof(out))) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "copied 1 MiB (pages) on dma"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "(device dmashim_cpudma) in "))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, ", verified\n")) TH_LOG("%s", out);
	ASSERT_EQ(0, run_tool("copy --device platform:dmashim_cpudma --size 64K --kind contiguous",
			      out, sizeof(out))) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "copied 64 KiB (contiguous)"))
		TH_LOG("%s", out);
	EXPECT_EQ(NULL, strstr(out, "verified")) TH_LOG("%s", out);

	snprintf(args, sizeof(args),
		 "copy --channel %s --size 5000 --kind coherent --verify", edu);
	ASSERT_EQ(0, run_tool(args, out, sizeof(out))) TH_LOG("%s", out);
	snprintf(want, sizeof(want), "copied 5000 B (coherent) on %s (device ",
		 edu);
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("%s", out);
}

TEST(copy_errors)
{
	static char out[8192];

	EXPECT_EQ(2, run_tool("copy", out, sizeof(out)));
	EXPECT_EQ(2, run_tool("copy --size 0", out, sizeof(out)));
	EXPECT_EQ(2, run_tool("copy --size 4K --kind heap", out, sizeof(out)));
	EXPECT_EQ(2, run_tool("copy --size 4K --channel a --device b", out,
			      sizeof(out)));
	EXPECT_EQ(2, run_tool("copy --size 4K --dma-bits 32", out,
			      sizeof(out)));
	EXPECT_EQ(1, run_tool("copy --channel dma999chan0 --size 4K", out,
			      sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "channel dma999chan0: no such free memcpy channel"))
		TH_LOG("%s", out);
	EXPECT_EQ(1, run_tool("copy --device nosuch --size 4K", out,
			      sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "no free memcpy channel on DMA device nosuch"))
		TH_LOG("%s", out);
	EXPECT_EQ(1, run_tool("copy --device dmashim_cpudma --size 8M --kind contiguous",
			      out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "alloc: File too large")) TH_LOG("%s", out);
}

/*
 * The pipeline on cpudma: every buffer filled, checked by the consumer
 * and returned; the first passed through vgem where the bench loaded it.
 */
TEST_F_TIMEOUT(slow, pipeline, 300)
{
	char cpu[DMASHIM_CHAN_NAME_LEN];
	static char out[16384];
	bool vgem = !access("/sys/module/vgem", F_OK);

	REQUIRE_CHANNEL(CPU_DMA_DRIVER, cpu);
	ASSERT_EQ(0, run_tool("pipeline --device dmashim_cpudma --buffers 3 --size 64K --rounds 10",
			      out, sizeof(out))) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "pipeline: 3 buffers of 65536 bytes, 10 rounds; DMA on dma"))
		TH_LOG("%s", out);
	EXPECT_EQ(10, count(out, " filled by DMA, checked by the consumer, back\n"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "round   9: buffer 0 filled"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\nverify (consumer mmap)         10     655360 "))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\nend to end                     10     655360 "))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, vgem ? "\nread back (vgem GEM)            1      65536 " :
					   "vgem: no vgem card")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "10 buffers filled, checked and returned; 0 mismatches\n"))
		TH_LOG("%s", out);
}

/*
 * Bad options; a transfer that fails is reported by the consumer, which
 * waits on its fence, and by the producer, which reads its record.
 */
TEST_F_TIMEOUT(slow, pipeline_errors, 300)
{
	char cpu[DMASHIM_CHAN_NAME_LEN];
	static char out[16384];

	EXPECT_EQ(2, run_tool("pipeline --buffers 0", out, sizeof(out)));
	EXPECT_EQ(2, run_tool("pipeline --buffers 65", out, sizeof(out)));
	EXPECT_EQ(2, run_tool("pipeline --rounds 0", out, sizeof(out)));
	EXPECT_EQ(2, run_tool("pipeline --size 0", out, sizeof(out)));
	EXPECT_EQ(2, run_tool("pipeline --channel a --device b", out,
			      sizeof(out)));
	EXPECT_EQ(1, run_tool("pipeline --device nosuch", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "no free memcpy channel on DMA device nosuch"))
		TH_LOG("%s", out);

	REQUIRE_CHANNEL(CPU_DMA_DRIVER, cpu);
	ASSERT_EQ(0, cpudma_fail_next(1));
	EXPECT_EQ(1, run_tool("pipeline --device dmashim_cpudma --buffers 2 --size 8K --rounds 4",
			      out, sizeof(out))) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "pipeline: FAILED: the DMA ")) TH_LOG("%s", out);
	EXPECT_EQ(NULL, strstr(out, "0 mismatches")) TH_LOG("%s", out);
	cpudma_fail_next(0);
}

/* One row per size, each measured, on the channels asked for. */
TEST_F_TIMEOUT(slow, bench_copy_json, 600)
{
	char cpu[DMASHIM_CHAN_NAME_LEN], edu[DMASHIM_CHAN_NAME_LEN];
	static char out[65536], args[256], want[128];

	REQUIRE_CHANNEL(CPU_DMA_DRIVER, cpu);
	REQUIRE_CHANNEL(EDU_DMA_DRIVER, edu);
	snprintf(args, sizeof(args),
		 "bench copy --channel %s --sizes 4K,1M --count 3 --json", cpu);
	ASSERT_EQ(0, run_tool(args, out, sizeof(out))) TH_LOG("%s", out);
	EXPECT_EQ('{', out[0]) TH_LOG("%s", out);
	snprintf(want, sizeof(want), "{ \"channel\": \"%s\"", cpu);
	EXPECT_EQ(2, count(out, want)) TH_LOG("%s", out);
	EXPECT_EQ(2, count(out, "\"count\": 3, \"latency_ns\": "))
		TH_LOG("%s", out);
	EXPECT_EQ(0, count(out, "\"na\"")) TH_LOG("%s", out);

	/* Named, edu copies the sizes asked for, beyond its default. */
	snprintf(args, sizeof(args),
		 "bench copy --channel %s --sizes 68K --count 1 --json", edu);
	ASSERT_EQ(0, run_tool(args, out, sizeof(out))) TH_LOG("%s", out);
	snprintf(want, sizeof(want),
		 "{ \"channel\": \"%s\", \"device\": \"", edu);
	EXPECT_EQ(1, count(out, want)) TH_LOG("%s", out);
	EXPECT_EQ(1, count(out, "\"size\": 69632, \"count\": 1, \"latency_ns\": "))
		TH_LOG("%s", out);

	EXPECT_EQ(2, run_tool("bench copy --sizes 0", out, sizeof(out)));
	EXPECT_EQ(2, run_tool("bench copy --sizes 4K,x", out, sizeof(out)));
	EXPECT_EQ(2, run_tool("bench copy --count 0", out, sizeof(out)));
	EXPECT_EQ(2, run_tool("bench copy extra", out, sizeof(out)));
	EXPECT_EQ(1, run_tool("bench copy --channel dma999chan0 --sizes 4K",
			      out, sizeof(out)));
}

/*
 * Every channel by default: eight sizes on each, edu's measured only up
 * to 64 KiB (the other five say why); a channel in use says so.
 */
TEST_F_TIMEOUT(slow, bench_copy_every_channel, 600)
{
	char name[DMASHIM_CHAN_NAME_LEN], held[DMASHIM_CHAN_NAME_LEN];
	static char out[65536];
	char want[128];
	unsigned int i, edus = 0;
	int ctx, ch;

	REQUIRE_CHANNEL(EDU_DMA_DRIVER, name);
	REQUIRE_CHANNEL(CPU_DMA_DRIVER, held);
	ctx = ctx_open();
	ASSERT_LE(0, ctx);
	ch = chan_open(ctx, held, 0, O_CLOEXEC);
	ASSERT_LE(0, ch);
	ASSERT_EQ(0, run_tool("bench copy --count 1 --json", out, sizeof(out)))
		TH_LOG("%s", out);
	close(ch);
	close(ctx);
	for (i = 0; !chan_find(EDU_DMA_DRIVER, i, name, sizeof(name)); i++) {
		snprintf(want, sizeof(want), "{ \"channel\": \"%s\"", name);
		EXPECT_EQ(8, count(out, want)) TH_LOG("%s", out);
		edus++;
	}
	for (i = 0; !chan_find(CPU_DMA_DRIVER, i, name, sizeof(name)); i++) {
		snprintf(want, sizeof(want), "{ \"channel\": \"%s\"", name);
		EXPECT_EQ(strcmp(name, held) ? 8 : 1, count(out, want))
			TH_LOG("%s", out);
	}
	snprintf(want, sizeof(want),
		 "\"%s\", \"device\": \"dmashim_cpudma\", \"na\": \"in use", held);
	EXPECT_EQ(1, count(out, want)) TH_LOG("%s", out);
	EXPECT_EQ(5 * edus, count(out, "\"na\": \"too slow for the default sizes"))
		TH_LOG("%s", out);
	/* swiotlb=force cannot bounce the largest copies: they say why. */
	if (!cmdline_has("swiotlb=force"))
		EXPECT_EQ(5 * edus + 1, count(out, "\"na\"")) TH_LOG("%s", out);
}

TEST_HARNESS_MAIN
