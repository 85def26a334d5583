# SPDX-License-Identifier: GPL-2.0
#
# dmashim: kernel module, libdmashim, the dmashim tool and the selftests.
#
#   make              build everything (installing missing packages first)
#   make check        static checks, then every QEMU bench configuration;
#                     CONFIGS="6.1-intel 6.12-amd" runs a subset
#   make demo         boot the bench and run the zero-copy pipeline (edu, vgem)
#   make lint         the static checks only
#   make fuzz [SECONDS=N] [CONFIG=NAME] [SEED=N]
#                     the fuzzer alone, for N seconds (default 600) in one
#                     bench configuration (default 6.12-debug)
#   make install      library, header, pkg-config file and tool (PREFIX)
#   make modules_install [KVER=RELEASE]
#                     the modules, for an installed kernel with headers
#                     (default: the running one)
#
# Everything is built under build/; nothing is written into the sources.

# Much of what follows is read from installed packages while make parses
# this file (the kernels, the kernel source tarball, libdrm).  So every
# goal but those below runs in two passes: the first installs what is
# missing (tools/setup-deps), the second parses this file again, with the
# packages in place, and does the work.  "check" runs tools/check, which
# does its own setup first.
SETUP_FREE_GOALS := check clean deps
GOALS := $(or $(MAKECMDGOALS),all)

ifeq ($(DMASHIM_SETUP_DONE)$(filter-out $(SETUP_FREE_GOALS),$(GOALS)),)
# Only goals that need no packages: straight to the rules below.
DMASHIM_SETUP_DONE := 1
endif

ifndef DMASHIM_SETUP_DONE

.PHONY: $(GOALS)
$(firstword $(GOALS)):
	@tools/setup-deps
	@$(MAKE) --no-print-directory DMASHIM_SETUP_DONE=1 $(GOALS)
$(wordlist 2,$(words $(GOALS)),$(GOALS)): $(firstword $(GOALS))
	@:

else

VERSION := 1.0.0
SOVERSION := 1

BUILD ?= $(CURDIR)/build
PREFIX ?= /usr/local
CC ?= cc
CFLAGS ?= -O2 -g
export BUILD

# Kernels the module is built for: every installed kernel with headers
# (6.1 or later), plus the debug kernel once it is built.
KVERS ?= $(shell tools/kernels list) \
	 $(shell tools/kernels release debug 2>/dev/null)

USER_CFLAGS := $(CFLAGS) -std=gnu11 -Wall -Wextra -Werror \
	-Wno-unused-parameter -Wmissing-prototypes -Wshadow \
	-D_GNU_SOURCE -I$(CURDIR)/uapi -I$(CURDIR)/lib

# libdrm (PRIME in the library, the tool and the selftests), asked for when
# used: tools/setup-deps installs it.
DRM_CFLAGS = $(shell pkg-config --cflags libdrm)
DRM_LIBS = $(shell pkg-config --libs libdrm)

# The kselftest harness is -Wall clean, as kselftests are built.
TEST_CFLAGS := $(CFLAGS) -std=gnu11 -Wall -Werror -D_GNU_SOURCE \
	-I$(CURDIR)/uapi -I$(CURDIR)/lib

LIB_SRCS := $(wildcard lib/*.c)
LIB_OBJS := $(LIB_SRCS:lib/%.c=$(BUILD)/lib/obj/%.o)
LIB_SO := $(BUILD)/lib/libdmashim.so.$(VERSION)
LIB_A := $(BUILD)/lib/libdmashim.a
LIB_PC := $(BUILD)/lib/libdmashim.pc
MAN3 := $(BUILD)/man/man3/.stamp

TOOL_SRCS := $(wildcard tools/dmashim/*.c)
TOOL := $(BUILD)/bin/dmashim

# The kernel source package provides checkpatch, kernel-doc and the
# kselftest harness; they are extracted here, never committed.
KSRC_TARBALL ?= $(lastword $(sort $(wildcard /usr/src/linux-source-6.12*.tar.xz)))
KSRC_VERSION := $(shell dpkg-query -W -f='$${Version}' linux-source-6.12 2>/dev/null)
KSRC := $(BUILD)/ksrc
KSRC_STAMP := $(KSRC)/.extracted-$(KSRC_VERSION)

# compat_1_0_test is a program built for 1.0: its own rule, below.
TEST_SRCS := $(filter-out selftests/compat_1_0_test.c,\
	       $(wildcard selftests/*_test.c))
TESTS := $(TEST_SRCS:selftests/%.c=$(BUILD)/selftests/%)
TEST_COMPAT := $(BUILD)/selftests/compat_1_0_test
HELPER_SRCS := $(filter-out $(TEST_SRCS) selftests/compat_1_0_test.c,\
	       $(wildcard selftests/*.c))
HELPER_OBJS := $(HELPER_SRCS:selftests/%.c=$(BUILD)/selftests/obj/%.o)
TEST_HELPERS := $(BUILD)/selftests/obj/libhelpers.a

# The uAPI's i386 ABI, on the running module: abi_test built with -m32
# and linked statically (the guests have no 32-bit libraries), with the
# helpers and the library built the same way.
TEST_I386 := $(BUILD)/selftests/abi_i386_test
OBJS_I386 := $(patsubst %.c,$(BUILD)/obj-i386/%.o,$(HELPER_SRCS) $(LIB_SRCS))
HELPERS_I386 := $(BUILD)/obj-i386/libhelpers.a

.PHONY: all deps modules lib man tool selftests check lint demo fuzz \
	install abi-baseline \
	modules_install clean FORCE

all: modules lib man tool selftests

deps:
	@tools/setup-deps

# ---- kernel module -------------------------------------------------------

# One shadow copy of kernel/ and uapi/ per kernel, so that builds for
# different kernels never share object files.
modules:
	@set -e; for kver in $(KVERS); do \
		tools/build-module "$$kver" "$(BUILD)/kmod/$$kver"; \
	done

# KVER names the kernel; without headers for it, say which kernels have them.
KVER ?= $(shell uname -r)
modules_install:
	@tools/kernels installable "$(KVER)"
	@tools/build-module "$(KVER)" "$(BUILD)/kmod/$(KVER)"
	tools/build-module "$(KVER)" "$(BUILD)/kmod/$(KVER)" install

# ---- library ---------------------------------------------------------------

lib: $(LIB_SO) $(LIB_A) $(LIB_PC)

# The man pages need the kernel source's kernel-doc: their own target.
man: $(MAN3)

# The library's man pages, from its header's kernel-doc (tools/gen-man).
$(MAN3): lib/libdmashim.h tools/gen-man $(KSRC_STAMP)
	@echo "  MAN3    $(@D)"
	@tools/gen-man $(KSRC)/scripts/kernel-doc lib/libdmashim.h $(VERSION) \
		$(@D) >/dev/null
	@touch $@

# The library's ABI as committed, which tools/lint compares the build
# with: regenerate it only with a new SONAME, or to record additions.
abi-baseline: $(LIB_SO)
	abidw --no-corpus-path --no-comp-dir-path --short-locs $(LIB_SO) \
		>lib/libdmashim.abi

$(BUILD)/lib/obj/%.o: lib/%.c lib/*.h uapi/linux/dmashim.h
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) $(DRM_CFLAGS) -fPIC -fvisibility=hidden -c -o $@ $<

$(LIB_SO): $(LIB_OBJS) lib/libdmashim.map
	$(CC) -shared -o $@ $(LIB_OBJS) -Wl,-soname,libdmashim.so.$(SOVERSION) \
		-Wl,--version-script=lib/libdmashim.map -Wl,--no-undefined \
		$(DRM_LIBS)
	ln -sf libdmashim.so.$(VERSION) $(BUILD)/lib/libdmashim.so.$(SOVERSION)
	ln -sf libdmashim.so.$(SOVERSION) $(BUILD)/lib/libdmashim.so

$(LIB_A): $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(LIB_PC): lib/libdmashim.pc.in Makefile
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' $< >$@

# ---- tool ------------------------------------------------------------------

tool: $(TOOL)

$(TOOL): $(TOOL_SRCS) tools/dmashim/*.h lib/libdmashim.h $(LIB_SO) Makefile
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) $(DRM_CFLAGS) -DDMASHIM_VERSION='"$(VERSION)"' \
		-o $@ $(TOOL_SRCS) \
		-L$(BUILD)/lib -ldmashim $(DRM_LIBS) -Wl,-rpath,'$$ORIGIN/../lib'

# ---- selftests -----------------------------------------------------------

selftests: $(TESTS) $(TEST_I386) $(TEST_COMPAT)

$(KSRC_STAMP): $(KSRC_TARBALL)
	@test -n "$(KSRC_TARBALL)" || { echo "no linux-source tarball: run tools/setup-deps" >&2; exit 1; }
	@mkdir -p $(KSRC)
	@echo "  EXTRACT $(notdir $(KSRC_TARBALL)): checkpatch, kernel-doc, kselftest harness"
	tar -xJf $(KSRC_TARBALL) -C $(KSRC) --strip-components=1 --wildcards \
		'*/tools/testing/selftests/kselftest.h' \
		'*/tools/testing/selftests/kselftest_harness.h' \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch' '*/scripts/kernel-doc'
	touch $@

# What the test programs share, one concern per file, as a static library.
$(BUILD)/selftests/obj/%.o: selftests/%.c selftests/helpers.h uapi/linux/dmashim.h
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) $(DRM_CFLAGS) -c -o $@ $<

$(TEST_HELPERS): $(HELPER_OBJS)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/selftests/%: selftests/%.c selftests/helpers.h selftests/abi_1_0.h \
		$(TEST_HELPERS) \
		$(KSRC_STAMP) $(LIB_SO)
	$(CC) $(TEST_CFLAGS) $(DRM_CFLAGS) -I$(KSRC)/tools/testing/selftests \
		-o $@ $< $(TEST_HELPERS) -L$(BUILD)/lib -ldmashim $(DRM_LIBS) \
		-Wl,-rpath,'$$ORIGIN/../lib'

$(BUILD)/obj-i386/%.o: %.c selftests/helpers.h lib/libdmashim.h \
		lib/internal.h uapi/linux/dmashim.h
	@mkdir -p $(@D)
	$(CC) -m32 $(USER_CFLAGS) $(DRM_CFLAGS) -c -o $@ $<

$(HELPERS_I386): $(OBJS_I386)
	rm -f $@
	ar rcs $@ $^

# The harness casts pointers to 64-bit integers, which -m32 warns of.
$(TEST_I386): selftests/abi_test.c selftests/helpers.h selftests/abi_1_0.h \
		$(HELPERS_I386) \
		$(KSRC_STAMP)
	$(CC) -m32 -static $(TEST_CFLAGS) -Wno-pointer-to-int-cast \
		-I$(KSRC)/tools/testing/selftests -o $@ $< $(HELPERS_I386)

# A program built for 1.0: against the 1.0 headers alone, with the
# tree's library (selftests/compat/1.0/README).
$(TEST_COMPAT): selftests/compat_1_0_test.c selftests/compat/1.0/*.h \
		selftests/compat/1.0/linux/dmashim.h $(KSRC_STAMP) $(LIB_SO)
	$(CC) $(CFLAGS) -std=gnu11 -Wall -Werror -D_GNU_SOURCE \
		-Iselftests/compat/1.0 -I$(KSRC)/tools/testing/selftests \
		-o $@ $< -L$(BUILD)/lib -ldmashim -Wl,-rpath,'$$ORIGIN/../lib'

# ---- checks, bench, demo -------------------------------------------------

lint: $(KSRC_STAMP) lib man
	@DMASHIM_LIB_SO=$(LIB_SO) tools/lint $(KVERS)

# The README's test command.  CONFIGS selects bench configurations.
check:
	@tools/check $(CONFIGS)

demo: all
	@tools/bench/demo

# A long run of selftests/fuzz_test.c alone.  The debug kernel is built
# first if it is the configuration (cached), then everything, for it too.
SECONDS ?= 600
CONFIG ?= 6.12-debug
fuzz:
	@if [ "$(CONFIG)" = 6.12-debug ]; then tools/bench/debug-kernel build; fi
	@$(MAKE) --no-print-directory -s all
	@DMASHIM_FUZZ_SECONDS=$(SECONDS) DMASHIM_FUZZ_SEED=$(SEED) \
		tools/bench/run --tests fuzz_test $(CONFIG)

# ---- install ---------------------------------------------------------------

install: lib man tool
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include/linux \
		$(DESTDIR)$(PREFIX)/bin
	install -m 644 $(LIB_SO) $(LIB_A) $(DESTDIR)$(PREFIX)/lib/
	ln -sf libdmashim.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libdmashim.so.$(SOVERSION)
	ln -sf libdmashim.so.$(SOVERSION) $(DESTDIR)$(PREFIX)/lib/libdmashim.so
	install -m 644 $(LIB_PC) $(DESTDIR)$(PREFIX)/lib/pkgconfig/
	install -m 644 lib/libdmashim.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 uapi/linux/dmashim.h $(DESTDIR)$(PREFIX)/include/linux/
	install -m 755 $(TOOL) $(DESTDIR)$(PREFIX)/bin/
	install -d $(DESTDIR)$(PREFIX)/share/man/man3
	install -m 644 $(BUILD)/man/man3/*.3 $(DESTDIR)$(PREFIX)/share/man/man3/
	$(if $(DESTDIR),,ldconfig)

clean:
	rm -rf $(BUILD)

endif
