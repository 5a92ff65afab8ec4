#!/bin/sh
# t5012: differential conformance with libFuzzer (issue 14). Each case builds
# one harness of tests/conform/ twice, with `ferret-cc -fsanitize=fuzzer`
# and with clang's own `-fsanitize=fuzzer` (LLVM 14's libFuzzer), runs both
# with the same flags on copies of the same inputs, and asserts the same
# observable result: the exit code, the artifacts (names and bytes), what
# the harness printed on stdout, and the lines scripts grep (ERROR, NOTE,
# SUMMARY, ALARM, the unit: MS, hex, text,
# artifact and Base64 lines; INITED and DONE counts; "Done N runs"; the seed
# and seed corpus lines; the '--flag' warnings; -minimize_crash's CRASH_MIN
# lines, the commands it runs among them), after PIDs, addresses,
# RSS, speeds, stack frames, the kind of coverage points (ferret's guards,
# libFuzzer's inline counters: their number must match) and the seconds a timeout took (libFuzzer's
# alarm ticks once a second, so it says 1 or 2: either is taken) are
# masked. libFuzzer's result is printed
# beside ferret's when they differ. Fuzzing and running files, with ASan
# where a case needs it (leaks).
# cost: 19 (seconds here: the runner starts the longest tests first)
. "$(dirname "$0")/lib.sh"

CONFORM=$TOP/tests/conform
command -v clang >/dev/null || fail "clang is needed for the conformance cases"

# both NAME [SANITIZERS]: builds tests/conform/NAME.c as fer_NAME and
# lf_NAME, with -fsanitize=fuzzer[,SANITIZERS]
both() {
	san=fuzzer${2:+,$2}
	"$FCC" -O1 -g -fsanitize=$san -o "fer_$1" "$CONFORM/$1.c" ||
		fail "ferret-cc cannot build $1"
	clang -O1 -g -fsanitize=$san -o "lf_$1" "$CONFORM/$1.c" ||
		fail "clang -fsanitize=$san cannot build $1 (libclang-rt-14-dev?)"
}

# what scripts grep, with what differs by nature masked (the seed and
# modules lines once: libFuzzer's merge prints them again from its inner
# process). -minimize_crash: in the commands it runs, the harness's path
# (../fer_NAME, ../lf_NAME) is BIN, and the minimized-from- names, the
# sizes of the steps' inputs and the engine's frame of a DEDUP_TOKEN
# (libFuzzer's ExecuteCallback) are masked: each engine takes steps of its
# own (libFuzzer mutates at random), so each distinct line is kept once;
# the input it ends with, and its size, are compared
grepped() {
	sed -E -e 's/^==[0-9]+==/==PID==/' -e 's/^INFO: Seed: [0-9]+$/INFO: Seed: N/' -e 's/0x[0-9a-f]{8,}/ADDR/g' \
		-e 's/rss: [0-9]+Mb/rss: NMb/' -e "s/used: [0-9]+Mb/used: NMb/" -e 's/exec\/s: [0-9]+/exec\/s: N/' \
		-e 's/in [0-9]+ second\(s\)/in N second(s)/' -e 's/ lim: [0-9]+//' \
		-e 's/(Unit for|timeout after) [12] seconds/\1 N seconds/' \
		-e 's/^==PID==ERROR: (Leak|Address|UndefinedBehavior)Sanitizer/==PID== ERROR: \1Sanitizer/' \
		-e 's/^(==PID== ERROR: UndefinedBehaviorSanitizer: .*) T[0-9]+\)$/\1 TPID)/' \
		-e 's/^INFO: Loaded ([0-9]+) modules +\(([0-9]+) (guards|inline 8-bit counters)\).*/INFO: Loaded \1 modules (\2 coverage points)/' \
		-e 's/^(INFO: Loaded [0-9]+ PC tables \([0-9]+ PCs\)).*/\1/' \
		-e 's/FuzzWithFork[0-9]+\.dir/FuzzWithForkPID.dir/' \
		-e 's/^#[0-9]+: cov: [0-9]+ ft: [0-9]+ corp: [0-9]+ exec\/s [0-9]+ (oom\/timeout\/crash: [0-9]+\/[0-9]+\/[0-9]+) time: [0-9]+s (job: [0-9]+) dft_time: [0-9]+$/#N: cov: N ft: N corp: N exec\/s N \1 time: Ns \2 dft_time: N/' \
		-e 's/^(INFO: exiting: [0-9]+ time: )[0-9]+s$/\1Ns/' -e 's/^INFO: fuzzed for [0-9]+ (iterations|seconds)/INFO: fuzzed for N \1/' \
		-e 's/^(CRASH_MIN: executing: )\.\.\/(fer|lf)_[a-z_]+ /\1BIN /' -e 's/minimized-from-[0-9a-f]{40}/minimized-from-SHA/g' \
		-e "s/^(CRASH_MIN: (minimizing crash input: )?'[^']*') \([0-9]+ bytes\)/\1 (N bytes)/" \
		-e 's/^(INFO: Starting MinimizeCrashInputInternalStep: )[0-9]+$/\1N/' \
		-e 's/--(lf_harness_run|fuzzer::Fuzzer::ExecuteCallback\(unsigned char const\*, unsigned long\))$/--ENGINE/' "$1" |
		awk '
		hex { print; hex = 0; next }   # the unit as text follows its hex
		/^INFO: Seed: / && seeds++ { next }   # a merge prints it again from its inner process
		/^0x[0-9a-f]+,/ { print; hex = 1; next }
		/^==PID== ERROR: libFuzzer|^NOTE: libFuzzer|^      Combine libFuzzer|^SUMMARY: libFuzzer/ { print }
		/^MS: |^artifact_prefix=|^Base64:|^ALARM: |^       and the timeout value/ { print }
		/^#[0-9]+	(INITED|DONE)|^Done [0-9]+ runs/ { print }
		/^MERGE-OUTER: [0-9]+ new files with|^MERGE-OUTER: [0-9]+ files, |^MERGE-OUTER: (control file ok|nothing to do|starting merge from scratch)|will be skipped as unlucky/ { print }
		/^CRASH_MIN: |^\*{33}$|^INFO: (Starting|Done) MinimizeCrashInputInternalStep|^INFO: The input is small enough/ { print }
		/^INFO: you need to specify -runs|^INFO: defaulting to -max_total_time|^ERROR: the input .* did not crash$|^ERROR: -minimize_crash / { print }
		/^INFO: found LLVMFuzzerCustomMutator/ { print }
		/^ERROR: no interesting inputs were found/ { print }
		/^stat::/ { if ($1 != "stat::number_of_executed_units:") sub(/: *[0-9]+$/, ": N"); else sub(/units: */, "units: "); print }
		/^INFO: found (line matching|item with checksum) / { print }
		/^INFO: -fork=|^#N: cov: |^INFO: log from the inner process:$|^INFO: fuzzed for |^INFO: exiting: / { print }
		/^INFO: +[0-9]+ files found in .*FuzzWithForkPID\.dir/ { next }   # the own directory of a fork job (none in ferret)
		/^INFO: Loaded [0-9]+ (modules|PC tables) / { print }
		/^ERROR: argv\[0\] has been modified|^ERROR: -cleanse_crash|^CLEANSE/ { print }
		/^INFO: Seed: |^INFO: seed corpus: |^INFO: +[0-9]+ files found|^INFO: libFuzzer ignores|^WARNING: did you mean|^WARNING: unrecognized flag/ { print }
		/^INFO: a leak has been found|^INFO: to ignore leaks|ERROR: (LeakSanitizer|AddressSanitizer)|^SUMMARY: AddressSanitizer/ { print }
		/^UndefinedBehaviorSanitizer:DEADLYSIGNAL$|ERROR: UndefinedBehaviorSanitizer|^==PID==(The signal is caused|Hint: )|^SUMMARY: UndefinedBehaviorSanitizer/ { print }
		/: Running [0-9]+ inputs [0-9]+ time\(s\) each\.$|^Running: |^Executed / { sub(/^.*: Running/, "PROG: Running"); sub(/ in [0-9]+ ms$/, " in N ms"); print }
		' | awk '!/^INFO: (Seed|Loaded) |^CRASH_MIN: |^\*+$|MinimizeCrashInputInternalStep/ || !seen[$0]++'
}

# case NAME INPUTS FLAGS...: runs both builds of NAME in their own
# directories, each with a copy of the directory INPUTS ("-": none) as
# ./in (and of $OUT_SEED, when set, as ./out), with FLAGS; compares exit
# codes, artifacts (and the files of ./out), stdout and grepped lines (only
# those matching $ONLY, when set). With KEEP=1 the directories of the last
# case of NAME are run in again as they are; with KINDS=1 artifacts are
# compared by kind only (crash, timeout, ...), for runs that find the same
# bug through inputs of their own.
case_() {
	name=$1 inputs=$2
	shift 2
	for e in fer lf; do
		[ -z "${KEEP:-}" ] || break
		rm -rf "$e.$name" && mkdir "$e.$name"
		[ "$inputs" = - ] || cp -r "$inputs" "$e.$name/in"
		[ -z "${OUT_SEED:-}" ] || cp -r "$OUT_SEED" "$e.$name/out"
	done
	for e in fer lf; do
		(
			cd "$e.$name"
			rc=0
			timeout 60 "../${e}_$name" "$@" >stdout 2>err || rc=$?
			echo $rc >rc
		) &
	done
	wait
	for e in fer lf; do
		grepped "$e.$name/err" | grep -E "${ONLY:-.}" >"$e.$name/lines" || true
		grep '^printed ' "$e.$name/stdout" >"$e.$name/printed" || true
		(cd "$e.$name" && for f in crash-* timeout-* oom-* leak-* min.out; do
			[ -e "$f" ] || continue
			if [ -n "${KINDS:-}" ]; then
				echo "${f%%-*}"
			else
				echo "$f $(sha1sum <"$f" | cut -d' ' -f1)"
			fi
		done && if [ -d out ]; then ls out; fi) >"$e.$name/artifacts"
	done
	for what in rc artifacts lines printed; do
		cmp -s "fer.$name/$what" "lf.$name/$what" && continue
		echo "--- $name: $what, ferret then libFuzzer:" >&2
		diff "fer.$name/$what" "lf.$name/$what" >&2 || true
		fail "$name ($*): the $what differ from libFuzzer's"
	done
	[ -s "fer.$name/lines" ] || fail "$name: no line of ferret's to compare"
	[ -s "lf.$name/lines" ] || fail "$name: no line of libFuzzer's to compare"
}

# a crash in the seed corpus: the report, the unit with libFuzzer's escapes
both crash_escapes
mkdir -p s_escape && printf 'XY\030\134\042\177\377 a' >s_escape/x
case_ crash_escapes s_escape -seed=1 -runs=10 in
assert_grep '^XY\\030\\\\\\"\\177\\377 a$' fer.crash_escapes/lines

# exit() in the harness
both exits
mkdir -p s_exit && printf 'E' >s_exit/e
case_ exits s_exit -seed=1 -runs=10 in

# the empty input runs first
both empty
case_ empty - -seed=1 -runs=10

# -fork=1: libFuzzer's fork-mode lines (the job line after each job, its
# numbers masked); a crash not ignored dumps the job's log (the crash
# report, its artifact) and exits with the job's exit code; with
# -ignore_crashes=1 each job's ERROR line, and jobs go on until -runs is
# spent (each job dies on the empty input again, as every job runs it
# first), exit code the last job's
case_ empty - -fork=1 -seed=1 -runs=10
assert_grep '^INFO: log from the inner process:$' fer.empty/lines
assert_grep '^#N: cov: N ft: N corp: N exec/s N oom/timeout/crash: 0/0/0 time: Ns job: 1 dft_time: N$' fer.empty/lines
case_ empty - -fork=1 -ignore_crashes=1 -seed=1 -runs=3
assert_grep '^INFO: fuzzed for N iterations, wrapping up soon$' fer.empty/lines
assert_grep '^INFO: exiting: 77 time: Ns$' fer.empty/lines
# -fork=2: two jobs at once (which ends first, and so the job line, is a
# race in both)
ONLY='^(INFO: -fork|INFO: log from|INFO: exiting|==PID== ERROR|artifact_prefix)' case_ empty - -fork=2 -seed=1 -runs=10

# a timeout: ALARM, the unit, ERROR, SUMMARY
both hangs
mkdir -p s_hang && printf 'H' >s_hang/h
case_ hangs s_hang -seed=1 -timeout=1 -runs=10 in

# flags: '--' flags, a negative seed, -runs with a corpus (the empty input
# and the corpus: no fuzzing, so the numbers are comparable); the seed corpus
# and the INITED/DONE counts
both quiet
mkdir -p s_quiet && printf a >s_quiet/a && printf bb >s_quiet/b && printf abc >s_quiet/c
case_ quiet s_quiet --runs=10 -seed=-1 -runs=4 in
assert_grep '^INFO: Seed: 4294967295$' fer.quiet/err
assert_grep '^WARNING: did you mean' fer.quiet/lines
# -cross_over=0 accepted as libFuzzer takes it; -print_final_stats=1: the
# set and order of the stat:: lines (numbers masked but the executions)
case_ quiet s_quiet -cross_over=0 -print_final_stats=1 -seed=1 -runs=4 in
assert_grep '^stat::number_of_executed_units: 4$' fer.quiet/lines

# a leak under ASan (-detect_leaks=1 by default): LeakSanitizer's report,
# libFuzzer's INFO lines, the unit and leak-<sha1>; the same when the
# leaking file is run. With -detect_leaks=0, LeakSanitizer's own check at
# the end of a run that ends normally: its report, the empty unit as
# crash-<sha1 of nothing>, the sanitizer's exit code (1); running the
# file, the report after the NOTE, exit 1, no artifact.
both leaks address
mkdir -p s_leak && printf 'La' >s_leak/l
case_ leaks s_leak -seed=1 -runs=10 in
assert_grep '^INFO: a leak has been found in the initial corpus\.$' fer.leaks/lines
assert_grep '^leak-[0-9a-f]{40} ' fer.leaks/artifacts
case_ leaks s_leak in/l
case_ leaks s_leak -detect_leaks=0 -seed=1 -runs=2 in
assert_grep '^crash-da39a3ee5e6b4b0d3255bfef95601890afd80709 ' fer.leaks/artifacts
assert_eq 1 "$(cat fer.leaks/rc)" "the exit code of a leak at the end (-detect_leaks=0)"
case_ leaks s_leak -detect_leaks=0 in/l
assert_grep 'ERROR: LeakSanitizer' fer.leaks/lines

# running files: a crash, an exit, a clean run
case_ crash_escapes s_escape in/x
assert_grep '^PROG: Running 1 inputs 1 time\(s\) each\.$' fer.crash_escapes/lines
case_ exits s_exit in/e
case_ quiet s_quiet in/a in/b

# the harness's stdout reaches a file, fuzzing (the empty input and "\n")
# and running a file
both prints
mkdir -p s_print && printf abc >s_print/a
case_ prints - -seed=1 -runs=2
assert_grep '^printed 1$' fer.prints/printed
case_ prints s_print in/a
assert_grep '^printed 3$' fer.prints/printed

# an ASan report: its lines, the unit, the artifact, the sanitizer's exit
# code; still visible with -close_fd_mask=2
both overflow address
mkdir -p s_over && printf 'Axxxxxxx' >s_over/a
case_ overflow s_over -seed=1 -runs=10 in
assert_grep 'ERROR: AddressSanitizer: heap-buffer-overflow' fer.overflow/lines
case_ overflow s_over -seed=1 -runs=10 -close_fd_mask=2 in
assert_grep 'ERROR: AddressSanitizer: heap-buffer-overflow' fer.overflow/lines
# running the crashing file: the sanitizer's report and exit code, and no
# line of libFuzzer's after it (ferret said "fuzz target exited", exit 77)
case_ overflow s_over in/a
assert_grep 'ERROR: AddressSanitizer: heap-buffer-overflow' fer.overflow/lines

# a deadly signal in a build without another sanitizer: clang links UBSan's
# runtime into every -fsanitize=fuzzer build (ferret-cc as well), whose
# handler reports a SEGV or an FPE (DEADLYSIGNAL, ERROR, SUMMARY with the
# source line) before libFuzzer's unit and artifact, exit 1 (UBSan's, not
# -error_exitcode); running the file, the report and exit 1. A trap (SIGILL)
# or an abort stays libFuzzer's own "deadly signal" (crash_escapes, empty).
both faults
mkdir -p s_segv s_fpe && printf 'Sx' >s_segv/s && printf 'D\000' >s_fpe/d
case_ faults s_segv -seed=1 -runs=10 -error_exitcode=9 in
assert_eq 1 "$(cat fer.faults/rc)" "the exit code after UBSan's report of a SEGV"
assert_grep '^SUMMARY: UndefinedBehaviorSanitizer: SEGV .*/faults\.c:[0-9]+:[0-9]+ in LLVMFuzzerTestOneInput$' fer.faults/lines
assert_grep '^crash-[0-9a-f]{40} ' fer.faults/artifacts
case_ faults s_segv in/s
assert_grep '^==PID== ERROR: UndefinedBehaviorSanitizer: SEGV on unknown address ' fer.faults/lines
# the report still visible with -close_fd_mask=2, fuzzing and running it
case_ faults s_segv -seed=1 -runs=10 -close_fd_mask=2 in
assert_grep '^SUMMARY: UndefinedBehaviorSanitizer: SEGV ' fer.faults/lines
case_ faults s_segv -close_fd_mask=2 in/s
assert_grep '^SUMMARY: UndefinedBehaviorSanitizer: SEGV ' fer.faults/lines
case_ faults s_fpe -seed=1 -runs=10 in
assert_grep '^SUMMARY: UndefinedBehaviorSanitizer: FPE .*/faults\.c:[0-9]+:[0-9]+ in LLVMFuzzerTestOneInput$' fer.faults/lines
assert_grep '^crash-[0-9a-f]{40} ' fer.faults/artifacts
case_ faults s_fpe in/d
assert_eq 1 "$(cat fer.faults/rc)" "the exit code running a file that divides by 0"
# -fork=1, fuzzing from "D\001" to a division by 0: the job's log dumped
# with UBSan's report in it, its exit code (each finds it through an input
# of its own: artifacts by kind)
mkdir -p s_div && printf 'D\001' >s_div/d
FAULT=fpe KINDS=1 ONLY='^(INFO: -fork|INFO: log from|INFO: exiting|==PID== ERROR|SUMMARY)' \
	case_ faults s_div -fork=1 -seed=1 -runs=100000 in
assert_grep '^INFO: log from the inner process:$' fer.faults/lines
assert_grep '^SUMMARY: UndefinedBehaviorSanitizer: FPE ' fer.faults/lines
assert_eq crash "$(cat fer.faults/artifacts)" "-fork=1: ferret's artifacts"

# Inputs libFuzzer solves in seconds (issue 14's list: a hit counter,
# strstr, memmem, a 3-byte memcmp, value profile on a 4-byte compare,
# std::string == a literal and == a run-time string, a
# FuzzedDataProvider string; a division by zero through trace-div's value
# profile, whose SIGFPE UBSan's runtime reports, as above; two table loads
# through trace-gep's; a 200-level recursion through the stack depth):
# tests/targets/lf_solve.c and .cc built once per engine with -DSOLVE_ANY
# (once more with trace-div, once with trace-gep), the case picked by
# $LF_SOLVE; seed 1 and 1 M runs, but seed 4 and 3 M runs for the
# recursion (the seeds 1-6 where both engines find it within 3 M). Both must find
# the crash within the same -runs from the same seed; each finds it through
# inputs of its own, so the artifacts are compared by kind. How many runs
# each takes is bench/lf_solve.sh's (and t2011's for the deeper ones).
"$FCC" -O1 -g -fsanitize=fuzzer -DSOLVE_ANY -o fer_solve \
	"$TOP/tests/targets/lf_solve.c" || fail "ferret-cc cannot build lf_solve.c"
clang -O1 -g -fsanitize=fuzzer -DSOLVE_ANY -o lf_solve \
	"$TOP/tests/targets/lf_solve.c" || fail "clang cannot build lf_solve.c"
"$FCXX" -O1 -g -fsanitize=fuzzer -DSOLVE_ANY -o fer_solvecc \
	"$TOP/tests/targets/lf_solve.cc" || fail "ferret-c++ cannot build lf_solve.cc"
clang++ -O1 -g -fsanitize=fuzzer -DSOLVE_ANY -o lf_solvecc "$TOP/tests/targets/lf_solve.cc" ||
	fail "clang++ cannot build lf_solve.cc"
"$FCC" -O1 -g -fsanitize=fuzzer -fsanitize-coverage=trace-div -DSOLVE_ANY -o fer_solvediv \
	"$TOP/tests/targets/lf_solve.c" || fail "ferret-cc cannot build lf_solve.c with trace-div"
clang -O1 -g -fsanitize=fuzzer -fsanitize-coverage=trace-div -DSOLVE_ANY -o lf_solvediv \
	"$TOP/tests/targets/lf_solve.c" || fail "clang cannot build lf_solve.c with trace-div"
for flag in gep; do
	"$FCC" -O1 -g -fsanitize=fuzzer -fsanitize-coverage=trace-$flag -DSOLVE_ANY -o fer_solve$flag \
		"$TOP/tests/targets/lf_solve.c" || fail "ferret-cc cannot build lf_solve.c with trace-$flag"
	clang -O1 -g -fsanitize=fuzzer -fsanitize-coverage=trace-$flag -DSOLVE_ANY -o lf_solve$flag \
		"$TOP/tests/targets/lf_solve.c" || fail "clang cannot build lf_solve.c with trace-$flag"
done
for c in counter strstr memmem three vp4 string string2 fdp div gep recurse; do
	bin=solve vp= seed=1 runs=1000000
	case $c in string* | fdp) bin=solvecc ;; div) bin=solvediv ;; gep) bin=solvegep ;; esac
	case $c in vp4 | div | gep) vp=-use_value_profile=1 ;; esac
	case $c in recurse) seed=4 runs=3000000 ;; esac
	# shellcheck disable=SC2086 # $vp: no flag or one
	LF_SOLVE=$c KINDS=1 ONLY='^==PID== ERROR|^SUMMARY' case_ $bin - -seed=$seed -runs=$runs $vp
	assert_eq crash "$(cat fer.$bin/artifacts)" "$c: ferret's artifacts"
done
assert_grep '^SUMMARY: UndefinedBehaviorSanitizer: FPE .*/lf_solve\.c:[0-9]+:[0-9]+ in LLVMFuzzerTestOneInput$' fer.solvediv/lines

# -merge=1: the same files kept (libFuzzer's order: OUT's inputs first, the
# new ones smaller first and, at equal size, those with more features not
# seen before them), the same counts
mkdir -p m_out m_in && printf a >m_out/a
printf xb >m_in/1 && printf ab >m_in/2 && printf zzz >m_in/3 && printf abc >m_in/4 && printf qqqq >m_in/5
OUT_SEED=m_out case_ quiet m_in -merge=1 out in
[ "$(ls fer.quiet/out | wc -l)" -eq 4 ] || fail "merge: $(ls fer.quiet/out | wc -l) files in OUT, not 4"
mkdir -p m_empty m_in2
for i in $(seq 1 12); do printf "%s" "$(head -c $i /dev/zero | tr '\0' b)" >m_in2/f$i; done
printf a >m_in2/g && printf ab >m_in2/h && printf abcd >m_in2/k
OUT_SEED=m_empty case_ quiet m_in2 -merge=1 out in
# -set_cover_merge=1 on the same inputs: the same files kept
OUT_SEED=m_out case_ quiet m_in -set_cover_merge=1 out in
OUT_SEED=m_empty case_ quiet m_in2 -set_cover_merge=1 out in

# a harness compiled without coverage, linked by each engine: libFuzzer's
# error line and exit 1, not a blind run
clang -O1 -c -o nocov.o "$CONFORM/quiet.c"
"$FCC" -fsanitize=fuzzer -o fer_nocov nocov.o || fail "ferret-cc cannot link nocov.o"
clang -fsanitize=fuzzer -o lf_nocov nocov.o || fail "clang cannot link nocov.o"
mkdir -p s_nocov
case_ nocov s_nocov -seed=1 -runs=1000
assert_grep '^ERROR: no interesting inputs were found' fer.nocov/lines

# -seed_inputs (a list, and @FILE holding one) and -keep_seed=1: the seed
# corpus line, INITED and DONE counts (no fuzzing: -runs ends with the seeds)
mkdir -p s_seeds/extra && printf a >s_seeds/extra/a && printf ab >s_seeds/extra/b
case_ quiet s_seeds -seed=1 -runs=3 -seed_inputs=in/extra/a,in/extra/b
assert_grep '^INFO: seed corpus: files: 2 ' fer.quiet/lines
printf 'in/extra/a,in/extra/b' >s_seeds/list
case_ quiet s_seeds -seed=1 -runs=3 -seed_inputs=@in/list
case_ quiet s_seeds -seed=1 -runs=4 -keep_seed=1 -seed_inputs=in/extra/a,in/extra/b,in/extra/a
assert_grep '^#4	INITED cov: [0-9]+ ft: [0-9]+ corp: 3/4b ' fer.quiet/lines

# a harness that writes to its const input: reported, the input saved as it
# was before the write
both writes
mkdir -p s_write && printf Wab >s_write/w
case_ writes s_write -seed=1 -runs=5 in
assert_grep 'overwrites its const input' fer.writes/lines

# a custom mutator: libFuzzer's line saying it was found
both mutator
case_ mutator - -seed=1 -runs=2
assert_grep '^INFO: found LLVMFuzzerCustomMutator \(ADDR\)\. Disabling -len_control by default\.$' fer.mutator/lines

# -minimize_crash=1 -exact_artifact_path: the same minimal input, the
# commands run (each step's on min.out) and the line libFuzzer ends with
both bug_anywhere
mkdir -p s_min && { head -c 30 /dev/zero | tr '\0' a; printf BUG; head -c 30 /dev/zero | tr '\0' a; } >s_min/x
MIN_LINES='^CRASH_MIN|MinimizeCrashInputInternalStep|^\*+$|^INFO: (you need|defaulting)|^ERROR: (the input|-minimize_crash)'
# (UBSAN_OPTIONS=symbolize=0, ASAN_OPTIONS below: libFuzzer's report of
# each step's crash, symbolized, took 6 of its 7 seconds here; no line
# compared needs it but the DEDUP_TOKENs of function names)
UBSAN_OPTIONS=symbolize=0 ONLY=$MIN_LINES case_ bug_anywhere s_min -minimize_crash=1 -runs=2000 -seed=1 -exact_artifact_path=min.out in/x
assert_eq BUG "$(cat fer.bug_anywhere/min.out)" "the minimized crash"
assert_grep '^CRASH_MIN: executing: BIN -runs=2000 -seed=1 in/x -minimize_crash_internal_step=1 -exact_artifact_path=min\.out 2>&1$' fer.bug_anywhere/lines
assert_grep '^CRASH_MIN: executing: BIN -runs=2000 -seed=1 min\.out -minimize_crash_internal_step=1 -exact_artifact_path=min\.out 2>&1$' fer.bug_anywhere/lines
assert_grep '^CRASH_MIN: failed to minimize beyond min\.out \(3 bytes\), exiting$' fer.bug_anywhere/lines

# -minimize_crash=1 without -exact_artifact_path, abort() (a deadly signal
# with no sanitizer): one minimized-from-<sha1 of its input> per step, the
# first the original's, the last "BUG"; and with UBSAN_OPTIONS'
# dedup_token_length, where libFuzzer's token is its signal handler's
# frames, the same for both sites, and ferret prints none: any crash counts
# in both, both end with "BUG"
both aborts
mkdir -p s_abort && printf 'aaaaaaBUGaaaaaa' >s_abort/x && printf 'BUG!a' >s_abort/y
UBSAN_OPTIONS=symbolize=0 ONLY=$MIN_LINES case_ aborts s_abort -minimize_crash=1 -runs=2000 -seed=1 in/x
for e in fer lf; do
	[ -f "$e.aborts/minimized-from-$(sha1sum <s_abort/x | cut -d' ' -f1)" ] || fail "$e: no minimized-from- of the original: $(ls $e.aborts)"
	last=$(sed -n 's/^CRASH_MIN: failed to minimize beyond \(.*\) (3 bytes), exiting$/\1/p' $e.aborts/err)
	assert_eq BUG "$(cat "$e.aborts/$last")" "$e: the last step's input"
done
# (libFuzzer's DedupToken lines, its handler's frames, have no
# counterpart in ferret, docs/libfuzzer.md: every other line compares)
UBSAN_OPTIONS=dedup_token_length=3 ONLY='^CRASH_MIN: [^D]|MinimizeCrashInputInternalStep|^\*+$' case_ aborts s_abort -minimize_crash=1 -runs=300 -seed=1 -exact_artifact_path=min.out in/y
assert_eq BUG "$(cat fer.aborts/min.out)" "the minimized crash (any deadly signal counting)"
assert_grep '^CRASH_MIN: DedupToken2: DEDUP_TOKEN: __sanitizer_print_stack_trace--' lf.aborts/err
assert_no_grep 'DedupToken' fer.aborts/err
# the first command alone: an input that does not crash, without -runs
# (libFuzzer's lines adding -max_total_time=600 to the command)
printf 'harmless' >s_abort/fine
ONLY=$MIN_LINES case_ aborts s_abort -minimize_crash=1 in/fine
assert_grep '^CRASH_MIN: executing: BIN -max_total_time=600 in/fine 2>&1$' fer.aborts/lines
assert_grep '^ERROR: the input in/fine did not crash$' fer.aborts/lines
# a step run alone: the crash it finds reported (its own input: kinds
# only), and an input too small to shrink
KINDS=1 ONLY='MinimizeCrashInputInternalStep|^==PID== ERROR|^SUMMARY' case_ aborts s_abort -minimize_crash_internal_step=1 -runs=100 -seed=1 in/x
assert_eq 77 "$(cat fer.aborts/rc)" "exit code of a step that found a crash"
printf 'B' >s_abort/one
ONLY='MinimizeCrashInputInternalStep|small enough' case_ aborts s_abort -minimize_crash_internal_step=1 -runs=100 -seed=1 in/one
assert_grep '^INFO: The input is small enough, exiting$' fer.aborts/lines

# -minimize_crash=1 with two crash sites: "BUG!..." crashes in site_one,
# the smaller "BUG" in site_two. As LLVM 14's libFuzzer sets no
# dedup_token_length, any crash counts: both end with "BUG". With
# ASAN_OPTIONS=dedup_token_length=3 the sanitizer's DEDUP_TOKEN names each
# crash, and both stop at the first reduction that crashes elsewhere
# (libFuzzer's line), keeping the input before it: one that crashes in
# site_one (its size depends on each engine's order of reductions, so the
# bytes are not compared)
both two_sites address
mkdir -p s_two && printf 'BUG!aaaaaa' >s_two/x
ASAN_OPTIONS=symbolize=0 ONLY=$MIN_LINES case_ two_sites s_two -minimize_crash=1 -runs=300 -seed=1 -exact_artifact_path=min.out in/x
assert_eq BUG "$(cat fer.two_sites/min.out)" "the minimized crash (any crash counting)"
ASAN_OPTIONS=dedup_token_length=3 ONLY=$MIN_LINES case_ two_sites s_two -minimize_crash=1 -runs=300 -seed=1 -exact_artifact_path=min.two in/x
assert_grep '^CRASH_MIN: mismatch in dedup tokens' fer.two_sites/lines
for e in fer lf; do
	assert_eq 'BUG!' "$(head -c 4 $e.two_sites/min.two)" "$e: the start of the input kept"
	assert_grep '^CRASH_MIN: DedupToken2: DEDUP_TOKEN: site_two--' $e.two_sites/err
done

# memory limits when running files: one allocation over -malloc_limit_mb
# (and over -rss_limit_mb, the default malloc limit), under ASan; the
# resident size over -rss_limit_mb
both hogs address
mkdir -p s_hog && printf M >s_hog/m && printf R >s_hog/r
case_ hogs s_hog -malloc_limit_mb=100 in/m
assert_grep 'out-of-memory \(malloc\(314572800\)\)' fer.hogs/lines
case_ hogs s_hog -rss_limit_mb=200 in/m
case_ hogs s_hog -rss_limit_mb=200 -malloc_limit_mb=1000 in/r
assert_grep 'out-of-memory \(used: NMb; limit: 200Mb\)' fer.hogs/lines

# a harness that takes the sanitizers' crash state and exits: not
# reported, its exit code, no artifact; fuzzing and running the file
both quiet_exit
mkdir -p s_qexit && printf Q >s_qexit/q
case_ quiet_exit s_qexit -seed=1 -runs=10 in
assert_eq 5 "$(cat fer.quiet_exit/rc)" "the exit code after the crash state was taken"
case_ quiet_exit s_qexit in/q

# LLVMFuzzerInitialize editing argv: flags it adds are read; a copy of
# argv[0] is fine; a changed argv[0] is an error
both init_argv
mkdir -p s_init && printf a >s_init/a
INIT_ARGV=add case_ init_argv s_init -seed=1 in
assert_grep '^Done 3 runs' fer.init_argv/lines
INIT_ARGV=copy case_ init_argv s_init -seed=1 -runs=2 in
INIT_ARGV=rename case_ init_argv s_init -seed=1 -runs=2 in

# -cleanse_crash=1 -exact_artifact_path: the same bytes replaced by ' ' (a
# new process each, its output thrown away), the same CLEANSE lines; the
# error without -exact_artifact_path
mkdir -p s_cleanse && printf 'xxBUGyyQ' >s_cleanse/x
case_ bug_anywhere s_cleanse -cleanse_crash=1 -exact_artifact_path=min.out in/x
assert_eq '  BUG   ' "$(cat fer.bug_anywhere/min.out)" "the cleansed crash"
case_ bug_anywhere s_cleanse -cleanse_crash=1 in/x

# -merge=1 -merge_control_file: a merge killed midway (the harness kills
# it on the input "Kb", once) leaves the control file; run again, it
# resumes after that input, skipped, and keeps as many files as one merge
# that was never killed
both kills
mkdir -p k_out k_in && printf a >k_out/a
printf xb >k_in/1 && printf Kb >k_in/2 && printf abc >k_in/4 && printf qqqq >k_in/5 && printf zzz >k_in/3
KILL_ONCE=killed OUT_SEED=k_out case_ kills k_in -merge=1 -merge_control_file=ctl out in
assert_eq 137 "$(cat fer.kills/rc)" "the killed merge's exit code"
grep -v '^FT \|^COV ' fer.kills/ctl >fer.kills/ctl.head
grep -v '^FT \|^COV ' lf.kills/ctl >lf.kills/ctl.head
cmp -s fer.kills/ctl.head lf.kills/ctl.head || fail "the control files differ: $(diff fer.kills/ctl.head lf.kills/ctl.head)"
KEEP=1 KILL_ONCE=killed case_ kills k_in -merge=1 -merge_control_file=ctl out in
assert_grep "^MERGE-OUTER: 'in/2' will be skipped as unlucky" fer.kills/lines
ls fer.kills/out >resumed
# again with the same file: OUT has more files now, so from scratch with
# what the file knows (and, as libFuzzer, OUT's files it knows count as
# new; its counts of runs and edges are not compared: libFuzzer's count
# the files it knows in its own way); then a merge done before has
KEEP=1 ONLY='^MERGE-OUTER: ([0-9]+ files|starting|control file)' case_ kills k_in -merge=1 -merge_control_file=ctl out in
assert_grep '^MERGE-OUTER: starting merge from scratch' fer.kills/lines
# (the getenv() the merge never took is one edge more for libFuzzer's
# instrumentation: the counts are not compared)
ONLY='^MERGE-OUTER: [0-9]+ files' OUT_SEED=k_out case_ kills k_in -merge=1 out in
# (as many files: which of two inputs alike is kept depends on the
# features each reported, and a resumed merge's worker starts afresh, in
# libFuzzer as in ferret)
assert_eq "$(wc -l <resumed)" "$(ls fer.kills/out | wc -l)" "files kept by a resumed merge and by one never killed"

# every flag libFuzzer knows, ferret knows (its -help=1 lists it); an
# unknown one gets the same warning; -ignore_remaining_args=1 leaves the
# rest to the harness
lf_help() { "./$1" -help=1 2>&1 | awk 'NR > 2 && /^ [a-z]/ { print $1 }' | sort; }
lf_help lf_quiet >lf.flags
lf_help fer_quiet >fer.flags
missing=$(comm -23 lf.flags fer.flags | tr '\n' ' ')
[ -z "$missing" ] || fail "flags libFuzzer has and ferret does not: $missing"
case_ quiet - -seed=1 -runs=2 -no_such_flag=1
assert_grep "^WARNING: unrecognized flag '-no_such_flag=1'" fer.quiet/lines
case_ quiet - -seed=1 -runs=2 -ignore_remaining_args=1 -no_such_flag=1 not-a-dir
assert_no_grep 'unrecognized flag' fer.quiet/lines

# -exit_on_src_pos: the unit reaching the line's block ends the run with
# libFuzzer's line and exit 0, no DONE or Done line: a seed, as soon as it
# has run (before INITED); found fuzzing, right after its NEW line. A line
# that begins no block (in the middle of one) is never matched by either:
# both run to the end (each reaches all 5 edges, those around it, by then)
both src_pos
mkdir -p s_pos && printf a >s_pos/a && printf ab >s_pos/ab
ab_line=src_pos.c:$(grep -n '/\* only ab \*/' "$CONFORM/src_pos.c" | cut -d: -f1)
no_line=src_pos.c:$(grep -n '/\* no block \*/' "$CONFORM/src_pos.c" | cut -d: -f1)
case_ src_pos s_pos -seed=1 -runs=100000 -exit_on_src_pos=$ab_line in
assert_grep "^INFO: found line matching '$ab_line', exiting\.$" fer.src_pos/lines
assert_no_grep 'INITED' fer.src_pos/lines
ONLY='^(INFO: found|Done |#[0-9]+	DONE)' case_ src_pos - -seed=1 -runs=100000 -exit_on_src_pos=$ab_line
assert_grep "^INFO: found line matching '$ab_line', exiting\.$" fer.src_pos/lines
ONLY='^(INFO: found|Done )' case_ src_pos - -seed=1 -runs=5000 -exit_on_src_pos=$no_line
assert_grep '^Done 5000 runs' fer.src_pos/lines

# -exit_on_item: a seed with that sha1 ends the run as it is kept; the
# "\n" an empty corpus starts from, at the next NEW (libFuzzer checks
# after a seed and after each new unit)
ab_sha=$(printf ab | sha1sum | cut -d' ' -f1)
case_ src_pos s_pos -seed=1 -runs=100000 -exit_on_item=$ab_sha in
assert_grep "^INFO: found item with checksum '$ab_sha', exiting\.$" fer.src_pos/lines
nl_sha=$(printf '\n' | sha1sum | cut -d' ' -f1)
ONLY='^(INFO: found|Done |#[0-9]+	DONE)' case_ src_pos - -seed=1 -runs=100000 -exit_on_item=$nl_sha
assert_grep "^INFO: found item with checksum '$nl_sha', exiting\.$" fer.src_pos/lines

# NEW_FUNC lines (-print_funcs, default 2): which input covers a function
# first is the engine's, so what is compared is the set of functions named
# (name, file and line; addresses masked) once both have found them all. A
# corpus is run silently (libFuzzer prints them only once it fuzzes), even
# when it covers every function; fuzzing from 'a', each other function is
# named once; -print_funcs=0 names none; -fork=1 names each function after
# the job's line, LLVMFuzzerTestOneInput too (the job's "\n" is no seed).
both funcs
mkdir -p s_funcs_all s_funcs_a && printf a >s_funcs_a/a
for i in a ab b c d; do printf $i >s_funcs_all/$i; done
# newfuncs DIR: the functions named in DIR/err's NEW_FUNC lines, sorted
newfuncs() {
	sed -n -E 's/^(	NEW_FUNC\[[0-9]+\/[0-9]+\]|  NEW_FUNC): 0x[0-9a-f]+ //p' "$1/err" | sort
}
ONLY='INITED|^Done' case_ funcs s_funcs_all -seed=1 -runs=0 in
assert_no_grep NEW_FUNC fer.funcs/err
assert_no_grep NEW_FUNC lf.funcs/err
ONLY='INITED|^Done' case_ funcs s_funcs_a -seed=1 -runs=20000 in
newfuncs fer.funcs >fer.funcs/named
newfuncs lf.funcs >lf.funcs/named
cmp -s fer.funcs/named lf.funcs/named || fail "NEW_FUNC: $(diff fer.funcs/named lf.funcs/named)"
assert_eq "conform_on_c conform_on_d on_ab on_b" "$(cut -d' ' -f2 fer.funcs/named | tr '\n' ' ' | sed 's/ $//')" "the functions named fuzzing from 'a'"
assert_grep "^in conform_on_d $CONFORM/funcs.c:[0-9]+$" fer.funcs/named
ONLY='INITED|^Done' case_ funcs - -seed=1 -runs=20000 -print_funcs=0
assert_no_grep NEW_FUNC fer.funcs/err
ONLY='^(#N: cov|INFO: fuzzed|INFO: exiting)' case_ funcs - -fork=1 -seed=1 -runs=10
newfuncs fer.funcs >fer.funcs/named
newfuncs lf.funcs >lf.funcs/named
cmp -s fer.funcs/named lf.funcs/named || fail "-fork NEW_FUNC: $(diff fer.funcs/named lf.funcs/named)"
[ "$(wc -l <fer.funcs/named)" = 6 ] || fail "-fork named $(wc -l <fer.funcs/named) functions, not 6"
