# ferret - the only build file. Sources are listed one per line, sorted.
# Layering is enforced by include paths: the runtime sees include/, common/
# and src/core/ only; src/core/ sees common/ only; tools see everything.
#
#   make                 build everything into build/ (bin, lib, include)
#   make test            build on every core, then unit + end-to-end tests
#                        (E2E_JOBS=3 tests at a time: many wait on timeouts)
#   make unit / make e2e one half of make test
#   make SAN=address,undefined unit   unit tests under sanitizers (build-san/)
#   make demo            fuzz examples/farid until it crashes, then reproduce
#   make install PREFIX=/usr/local   (DESTDIR too), man pages included
#   make man             the man pages alone, into build/man
#   make bench           side by side with AFL++ (never part of test)
#   make format / make check-format   apply / check .clang-format (CI checks it)
#
# Each of them first installs the Debian packages that are missing
# (scripts/install-deps.sh, the `deps` target below).

PREFIX ?= /usr/local
CC ?= cc
ifeq ($(origin CC),default)
CC := gcc
endif

ifneq ($(SAN),)
BUILD ?= build-san
SANFLAGS := -fsanitize=$(SAN) -fno-omit-frame-pointer -fno-sanitize-recover=all
else
BUILD ?= build
SANFLAGS :=
endif

WERROR ?=
WARN := -Wall -Wextra $(if $(WERROR),-Werror)
BASEFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g $(WARN) -MMD -MP
CORE_INC := -Icommon -Isrc/core
ENGINE_INC := -Iinclude -Icommon -Isrc/core -Isrc/exec -Isrc -Itools
RT_INC := -Iinclude -Icommon -Isrc/core

ENGINE_CFLAGS := $(BASEFLAGS) $(SANFLAGS) $(ENGINE_INC)
CORE_CFLAGS := $(BASEFLAGS) $(SANFLAGS) $(CORE_INC)
# The runtime is linked into targets: never sanitized or instrumented,
# position independent, everything hidden unless exported on purpose.
RT_CFLAGS := $(BASEFLAGS) -fPIC -fvisibility=hidden -fno-stack-protector $(RT_INC)
# Engine code that goes into harnesses: like the runtime, never sanitized.
PIC_CFLAGS := $(BASEFLAGS) -fPIC -fvisibility=hidden $(ENGINE_INC) -Idriver -Iruntime

CORE_SRCS += src/core/corpus.c
CORE_SRCS += src/core/cover.c
CORE_SRCS += src/core/cov.c
CORE_SRCS += src/core/dict.c
CORE_SRCS += src/core/errors.c
CORE_SRCS += src/core/i2s.c
CORE_SRCS += src/core/loop.c
CORE_SRCS += src/core/mutate.c
CORE_SRCS += src/core/pmin.c
CORE_SRCS += src/core/records.c
CORE_SRCS += src/core/sha1.c
CORE_SRCS += src/core/shrink.c
CORE_SRCS += src/core/valstream.c
CORE_SRCS += src/core/vmutate.c

ENGINE_SRCS += src/aflenv.c
ENGINE_SRCS += src/covsum.c
ENGINE_SRCS += src/custom.c
ENGINE_SRCS += src/dictfile.c
ENGINE_SRCS += src/exec/afl.c
ENGINE_SRCS += src/exec/child.c
ENGINE_SRCS += src/exec/cpu.c
ENGINE_SRCS += src/exec/shm.c
ENGINE_SRCS += src/exec/target.c
ENGINE_SRCS += src/fuzz.c
ENGINE_SRCS += src/jobs.c
ENGINE_SRCS += src/log.c
ENGINE_SRCS += src/stats.c
ENGINE_SRCS += src/store.c
ENGINE_SRCS += src/symbolizer.c
ENGINE_SRCS += src/triage.c
ENGINE_SRCS += src/ui.c
ENGINE_SRCS += src/vsprint.c

# Two runtimes that differ only in the coverage variant: clang's guards or
# gcc's trace-pc. ferret-cc links the one matching the compiler.
RT_SRCS += runtime/afl.c
RT_SRCS += runtime/cmp.c
RT_SRCS += runtime/crash.c
RT_SRCS += runtime/cxx.c
RT_SRCS += runtime/forkserver.c
RT_SRCS += runtime/hooks.c
RT_SRCS += runtime/modules.c
RT_SRCS += runtime/rt.c
RT_SRCS += runtime/smith.c
RT_CLANG_SRCS += runtime/cov_guard.c
RT_GCC_SRCS += runtime/cov_pc.c

# The libFuzzer-compatible driver: main() of harnesses, linked with the
# core, the file helpers and the runtime into libferret-fuzzer*.a.
DRIVER_SRCS += driver/artifact.c
DRIVER_SRCS += driver/funcs.c
DRIVER_SRCS += driver/harness.c
DRIVER_SRCS += driver/inputs.c
DRIVER_SRCS += driver/leaks.c
DRIVER_SRCS += driver/main.c
DRIVER_SRCS += driver/merge.c
DRIVER_SRCS += driver/options.c
DRIVER_SRCS += driver/srcpos.c
DRIVER_SRCS += driver/supervisor.c
DRIVER_SRCS += driver/tests.c
DRIVER_SRCS += driver/worker.c
DRIVER_ENGINE_SRCS += $(CORE_SRCS)
DRIVER_ENGINE_SRCS += src/custom.c
DRIVER_ENGINE_SRCS += src/dictfile.c
DRIVER_ENGINE_SRCS += src/exec/child.c
DRIVER_ENGINE_SRCS += src/exec/cpu.c
DRIVER_ENGINE_SRCS += src/log.c
DRIVER_ENGINE_SRCS += src/store.c
DRIVER_ENGINE_SRCS += src/vsprint.c

TOOL_SRCS += tools/cmd_cmin.c
TOOL_SRCS += tools/cmd_fuzz.c
TOOL_SRCS += tools/cmd_plot.c
TOOL_SRCS += tools/cmd_run.c
TOOL_SRCS += tools/cmd_show.c
TOOL_SRCS += tools/cmd_showmap.c
TOOL_SRCS += tools/cmd_tmin.c
TOOL_SRCS += tools/cmd_triage.c
TOOL_SRCS += tools/ferret.c
TOOL_SRCS += tools/instances.c
TOOL_SRCS += tools/lf_usage.c
TOOL_SRCS += tools/replay_args.c
TOOL_SRCS += tools/tmin.c
TOOL_SRCS += tools/usage.c

CC_SRCS += tools/cc/ferret-cc.c
CC_SRCS += tools/usage.c

UNIT_TESTS += afl_test
UNIT_TESTS += child_test
UNIT_TESTS += corpus_test
UNIT_TESTS += cover_test
UNIT_TESTS += covsum_test
UNIT_TESTS += custom_test
UNIT_TESTS += cov_test
UNIT_TESTS += dict_test
UNIT_TESTS += i2s_test
UNIT_TESTS += loop_test
UNIT_TESTS += mutate_test
UNIT_TESTS += pmin_test
UNIT_TESTS += records_test
UNIT_TESTS += rng_test
UNIT_TESTS += shrink_test
UNIT_TESTS += stats_test
UNIT_TESTS += store_test
UNIT_TESTS += symbolizer_test
UNIT_TESTS += valstream_test
UNIT_TESTS += vmutate_test

OBJ := $(BUILD)/obj
CORE_OBJS := $(CORE_SRCS:%.c=$(OBJ)/%.o)
ENGINE_OBJS := $(ENGINE_SRCS:%.c=$(OBJ)/%.o)
RT_OBJS := $(RT_SRCS:%.c=$(OBJ)/rt/%.o)
RT_CLANG_OBJS := $(RT_CLANG_SRCS:%.c=$(OBJ)/rt/%.o)
RT_GCC_OBJS := $(RT_GCC_SRCS:%.c=$(OBJ)/rt/%.o)
TOOL_OBJS := $(TOOL_SRCS:%.c=$(OBJ)/%.o)
CC_OBJS := $(CC_SRCS:%.c=$(OBJ)/%.o)
DRIVER_OBJS := $(DRIVER_SRCS:%.c=$(OBJ)/pic/%.o) $(DRIVER_ENGINE_SRCS:%.c=$(OBJ)/pic/%.o)

BIN := $(BUILD)/bin
LIB := $(BUILD)/lib
INC := $(BUILD)/include
# clang's FuzzedDataProvider.h (header-only C++) for gcc builds, which have
# no copy of their own: ferret-cc adds -idirafter INC/ferret-compat for
# gcc. Linked, not copied; absent when clang is not installed.
CLANG_FDP := $(wildcard $(shell clang -print-resource-dir 2>/dev/null)/include/fuzzer/FuzzedDataProvider.h)
FDP := $(if $(CLANG_FDP),$(INC)/ferret-compat/fuzzer/FuzzedDataProvider.h)

LIBFERRET := $(LIB)/libferret.a
LIBRT := $(LIB)/libferret-rt.a
LIBRT_GCC := $(LIB)/libferret-rt-gcc.a
LIBFUZZER := $(LIB)/libferret-fuzzer.a
LIBSMITH := $(LIB)/libferret-smith.a
LIBSHSTUB := $(LIB)/libferret-shstub.a
LIBFUZZER_GCC := $(LIB)/libferret-fuzzer-gcc.a
FERRET := $(BIN)/ferret
FERRET_CC := $(BIN)/ferret-cc
FERRET_CXX := $(BIN)/ferret-c++
MAN := $(BUILD)/man
MAN_STAMP := $(MAN)/.built
UNIT_BINS := $(UNIT_TESTS:%=$(BUILD)/tests/%)

# make test builds with one job per core unless the command line chose -j.
NPROC := $(shell nproc 2>/dev/null || echo 2)
E2E_JOBS ?= 3

.PHONY: all deps test unit e2e demo install clean format check-format bench man
all: $(FERRET) $(FERRET_CC) $(FERRET_CXX) $(LIBRT) $(LIBRT_GCC) $(LIBFUZZER) $(LIBFUZZER_GCC) $(LIBSMITH) $(LIBSHSTUB) $(INC)/ferret.h $(INC)/ferret-afl.h $(FDP) $(MAN_STAMP)

# Every rule that runs the compiler has `| deps`: an order-only prerequisite,
# so under -j no compiler starts before the missing packages are installed,
# yet deps, phony and always run, never makes a file out of date. The check
# is one dpkg-query (a few ms); apt-get runs only when a package is missing.
deps:
	@scripts/install-deps.sh

$(OBJ)/src/core/%.o: src/core/%.c | deps
	@mkdir -p $(@D)
	$(CC) $(CORE_CFLAGS) -c $< -o $@

$(OBJ)/src/%.o: src/%.c | deps
	@mkdir -p $(@D)
	$(CC) $(ENGINE_CFLAGS) -c $< -o $@

$(OBJ)/tools/%.o: tools/%.c | deps
	@mkdir -p $(@D)
	$(CC) $(ENGINE_CFLAGS) -c $< -o $@

$(OBJ)/rt/%.o: %.c | deps
	@mkdir -p $(@D)
	$(CC) $(RT_CFLAGS) -c $< -o $@

$(OBJ)/pic/%.o: %.c | deps
	@mkdir -p $(@D)
	$(CC) $(PIC_CFLAGS) -c $< -o $@

$(LIBFERRET): $(CORE_OBJS) $(ENGINE_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(LIBRT): $(RT_OBJS) $(RT_CLANG_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(LIBRT_GCC): $(RT_OBJS) $(RT_GCC_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

# what ferret-cc links into -shared objects instead of a runtime
$(LIBSHSTUB): $(OBJ)/rt/runtime/shstub.o
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(LIBSMITH): $(OBJ)/rt/runtime/smith.o
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

# The driver archives hold one object: every driver, engine and runtime
# object linked together (ld -r), then each hidden symbol made local, so
# that only what harnesses call or define (main, the runtime's callbacks,
# the weak LLVMFuzzer* and __sanitizer_* hooks: default visibility) is
# global. A harness or library with its own die(), log_info() or
# path_join() links as it does with libFuzzer, whose symbols live in a C++
# namespace; before, the engine's names collided with it.
$(LIBFUZZER): $(DRIVER_OBJS) $(RT_OBJS) $(RT_CLANG_OBJS)
	@mkdir -p $(@D)
	$(LD) -r -o $@.o $^ && objcopy --localize-hidden $@.o
	rm -f $@ && ar rcs $@ $@.o && rm -f $@.o

$(LIBFUZZER_GCC): $(DRIVER_OBJS) $(RT_OBJS) $(RT_GCC_OBJS)
	@mkdir -p $(@D)
	$(LD) -r -o $@.o $^ && objcopy --localize-hidden $@.o
	rm -f $@ && ar rcs $@ $@.o && rm -f $@.o

$(FERRET): $(TOOL_OBJS) $(LIBFERRET)
	@mkdir -p $(@D)
	$(CC) $(SANFLAGS) -o $@ $(TOOL_OBJS) $(LIBFERRET) -ldw -lstdc++ -lm -ldl

$(FERRET_CC): $(CC_OBJS)
	@mkdir -p $(@D)
	$(CC) $(SANFLAGS) -o $@ $^

$(FERRET_CXX): $(FERRET_CC)
	ln -sf ferret-cc $@

# lf_usage.c expands driver/lf_flags.def into ferret-libfuzzer(1)'s table.
$(OBJ)/tools/lf_usage.o: ENGINE_CFLAGS += -Idriver

# The man pages come from the usage tables in the binaries (tools/usage.h),
# written at build time so they are never stale: one page per command the
# binary lists, so a new command gets its page without a change here.
man: $(MAN_STAMP)
$(MAN_STAMP): $(FERRET) $(FERRET_CC)
	rm -rf $(MAN) && mkdir -p $(MAN)
	$(FERRET) --man >$(MAN)/ferret.1
	for c in $$($(FERRET) --commands); do $(FERRET) $$c --man >$(MAN)/ferret-$$c.1 || exit 1; done
	$(FERRET) --man-libfuzzer >$(MAN)/ferret-libfuzzer.1
	$(FERRET_CC) --ferret-man >$(MAN)/ferret-cc.1
	touch $@

$(INC)/ferret-compat/fuzzer/FuzzedDataProvider.h: $(CLANG_FDP)
	@mkdir -p $(dir $@)
	ln -sf $< $@

$(INC)/%.h: include/%.h
	@mkdir -p $(@D)
	cp $< $@

$(BUILD)/tests/%: tests/unit/%.c $(LIBFERRET) | deps
	@mkdir -p $(@D)
	$(CC) $(ENGINE_CFLAGS) -o $@ $< $(LIBFERRET) -lcmocka -ldw -lstdc++ -lm -ldl

unit: $(UNIT_BINS)
	@fail=0; for t in $(UNIT_BINS); do $$t || fail=1; done; exit $$fail

e2e: all
	@FERRET_BUILD=$(abspath $(BUILD)) tests/e2e/run.sh -j $(E2E_JOBS)

# Build everything in parallel (-j one per core, unless the command line
# gave its own -j), then run the unit tests beside the end-to-end tests
# (E2E_JOBS at a time; the unit tests mostly wait on their children's
# timeouts), the unit tests' output kept in a file and printed after, so
# the two never interleave. Fails if either fails.
test:
	$(MAKE) $(if $(filter -j% --jobserver%,$(MAKEFLAGS)),,-j$(NPROC)) all $(UNIT_BINS)
	@$(MAKE) --no-print-directory unit >$(BUILD)/unit.log 2>&1 & unit=$$!; \
	erc=0; $(MAKE) --no-print-directory e2e || erc=$$?; \
	urc=0; wait $$unit || urc=$$?; \
	cat $(BUILD)/unit.log; \
	if [ $$urc -ne 0 ]; then echo "unit tests failed (log above: $(BUILD)/unit.log)" >&2; fi; \
	[ $$erc -eq 0 ] && [ $$urc -eq 0 ]

demo: all
	examples/farid/demo.sh $(abspath $(BUILD))

# ttfc.sh's own default limit is the issue's 10 minutes a run (hours in
# all); make bench takes a minute a run unless TTFC_LIMIT says otherwise.
bench: all
	bench/run.sh
	TTFC_LIMIT=$${TTFC_LIMIT:-60} bench/ttfc.sh
	bench/corpus.sh
	HYP_LIMIT=$${HYP_LIMIT:-60} bench/hypothesis.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include
	install -m 755 $(FERRET) $(FERRET_CC) $(DESTDIR)$(PREFIX)/bin/
	ln -sf ferret-cc $(DESTDIR)$(PREFIX)/bin/ferret-c++
	install -m 644 $(LIBRT) $(LIBRT_GCC) $(LIBFUZZER) $(LIBFUZZER_GCC) $(LIBSMITH) $(LIBSHSTUB) $(LIBFERRET) $(DESTDIR)$(PREFIX)/lib/
	install -m 644 include/ferret.h include/ferret-afl.h $(DESTDIR)$(PREFIX)/include/
	$(if $(CLANG_FDP),install -d $(DESTDIR)$(PREFIX)/include/ferret-compat/fuzzer && ln -sf $(CLANG_FDP) $(DESTDIR)$(PREFIX)/include/ferret-compat/fuzzer/)
	install -d $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 644 $(MAN)/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	ln -sf ferret-cc.1 $(DESTDIR)$(PREFIX)/share/man/man1/ferret-c++.1

FORMAT_SRCS = $(shell git ls-files '*.c' '*.h')
# The style is .clang-format as Debian 12's clang-format (14) applies it;
# CI runs check-format after the tests.
format: deps
	clang-format -i $(FORMAT_SRCS)
check-format: deps
	clang-format --dry-run --Werror $(FORMAT_SRCS)

clean:
	rm -rf build build-san

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
