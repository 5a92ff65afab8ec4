#!/bin/sh
# t5001: libFuzzer flags of a harness linked with `ferret-cc --fuzzer`:
# -max_total_time stops on time with exit 0; an unknown flag gets
# libFuzzer's warning and is otherwise ignored, accepted-but-ignored flags
# get none; -create_missing_dirs=1 creates the corpus; -help=1 lists every
# flag of driver/lf_flags.def (docs/libfuzzer.md too) and exits 0;
# -artifact_prefix, -exact_artifact_path and -error_exitcode steer the
# crash artifact and exit code; -timeout gives a timeout-<sha1> artifact
# and exit 70 (or -timeout_exitcode); -rss_limit_mb gives an oom-<sha1>
# artifact; -dict supplies a token nothing else finds; -only_ascii=1 keeps
# every corpus file printable, compare-feedback inputs included;
# -close_fd_mask=1 silences the target's stdout, fuzzing and running
# files; -print_final_stats=1 prints the stat:: lines; a missing -dict or
# -artifact_prefix directory is one error line and exit 1 at start; an
# artifact that cannot be written is printed and retried, never left empty;
# a harness without coverage stops with libFuzzer's error.
# cost: 9 (seconds here: the runner starts the longest tests first)
. "$(dirname "$0")/lib.sh"

lf_build() { # NAME SRC [flags...]
	name=$1 src=$2
	shift 2
	"$FCC" -O1 -g -fsanitize=fuzzer "$@" -o "$name" "$TARGETS/$src"
}
lf_build magic lf_magic.c
lf_build paths lf_paths.c
lf_build hang lf_hang.c
lf_build oom lf_oom.c
lf_build dict lf_dict.c
now() { date +%s; }

# -max_total_time=2: stops by itself, on time, exit 0
t0=$(now)
rc=0
./paths -seed=1 -max_total_time=2 >/dev/null 2>mtt.err || rc=$?
t=$(($(now) - t0))
assert_eq 0 "$rc" "exit status with -max_total_time=2"
[ "$t" -ge 1 ] && [ "$t" -le 5 ] || fail "-max_total_time=2 ran for ${t}s"
assert_grep '^#[0-9]+	DONE   cov: ' mtt.err
assert_grep '^Done [0-9]+ runs in [0-9]+ second\(s\)$' mtt.err

# an unknown flag: libFuzzer's warning, then business as usual
rc=0
./paths -seed=1 -no_such_flag=1 -runs=500 >/dev/null 2>unk.err || rc=$?
assert_eq 0 "$rc" "exit status with an unknown flag"
assert_grep "^WARNING: unrecognized flag '-no_such_flag=1'; use -help=1 to list all flags\$" unk.err
assert_grep '^Done 500 runs in [0-9]+ second\(s\)$' unk.err

# ClusterFuzz's flags that ferret accepts without acting on them: no warning
./paths -seed=1 -runs=500 -detect_leaks=0 -reload=1 -len_control=0 -entropic=1 \
	-use_memmem=1 -keep_seed=1 -reduce_inputs=1 >/dev/null 2>ign.err ||
	fail "a ClusterFuzz-style command line exited non-zero"
assert_no_grep 'WARNING' ign.err
assert_grep '^Done 500 runs' ign.err

# -create_missing_dirs=1: a missing corpus directory is created and used
rc=0
./paths -seed=1 -runs=500 -create_missing_dirs=1 new-corpus >/dev/null 2>cmd.err || rc=$?
assert_eq 0 "$rc" "exit status with -create_missing_dirs=1 and a missing directory"
[ -d new-corpus ] || fail "-create_missing_dirs=1 did not create new-corpus/"
[ "$(ls new-corpus | wc -l)" -ge 1 ] || fail "new-corpus/ got no entries"

# -help=1: exit 0, every flag of lf_flags.def listed, no fuzzing
rc=0
./paths -help=1 >help.out 2>&1 || rc=$?
assert_eq 0 "$rc" "exit status of -help=1"
assert_no_grep 'INITED' help.out
sed -n 's/^\(FLAG\|IGNORED\)(\([a-z_]*\),.*/\2/p' "$TOP/driver/lf_flags.def" >flags.txt
[ "$(wc -l <flags.txt)" -ge 20 ] || fail "could not read the flags of driver/lf_flags.def"
while read -r f; do
	grep -Eq "^ $f[ 	]" help.out || fail "-help=1 does not list -$f"
done <flags.txt
# and docs/libfuzzer.md documents each of them
while read -r f; do
	grep -q "\`-$f\`" "$TOP/docs/libfuzzer.md" || fail "docs/libfuzzer.md does not list -$f"
done <flags.txt

# -artifact_prefix=dir/
mkdir -p arts
rc=0
./magic -seed=1 -runs=200000 -artifact_prefix=arts/ >/dev/null 2>ap.err || rc=$?
assert_eq 1 "$rc" "exit status of a crash with -artifact_prefix (UBSan's)"
assert_ubsan_signal SEGV ap.err
[ "$(ls arts | grep -Ec '^crash-[0-9a-f]{40}$')" = 1 ] || fail "arts/ holds: $(ls arts)"
crash=$(ls arts)
assert_grep "^artifact_prefix='arts/'; Test unit written to arts/$crash\$" ap.err
assert_eq "crash-$(sha1sum <arts/$crash | cut -d' ' -f1)" "$crash" "artifact name vs sha1"
[ -z "$(ls | grep '^crash-')" ] || fail "a crash- file was also written to ./"

# -exact_artifact_path=file, and -error_exitcode=9: the SEGV that UBSan
# reports exits with UBSan's code, 1, as with clang's libFuzzer; with
# UBSan's handler off libFuzzer's own "deadly signal" exits -error_exitcode
for handler in ubsan libfuzzer; do
	rc=0
	if [ $handler = ubsan ]; then
		./magic -seed=1 -runs=200000 -exact_artifact_path=the-crash -error_exitcode=9 >/dev/null 2>ex.err || rc=$?
		assert_eq 1 "$rc" "exit status of UBSan's report with -error_exitcode=9"
		assert_ubsan_signal SEGV ex.err
	else
		UBSAN_OPTIONS=handle_segv=0 ./magic -seed=1 -runs=200000 -exact_artifact_path=the-crash \
			-error_exitcode=9 >/dev/null 2>ex.err || rc=$?
		assert_eq 9 "$rc" "exit status with -error_exitcode=9"
		assert_grep '^==[0-9]+== ERROR: libFuzzer: deadly signal$' ex.err
	fi
	[ -s the-crash ] || fail "-exact_artifact_path: no file 'the-crash'"
	assert_grep 'Test unit written to the-crash$' ex.err
	assert_eq FUZ "$(head -c 3 the-crash)" "the crash in -exact_artifact_path"
	[ -z "$(ls | grep '^crash-')" ] || fail "a crash- file was written besides -exact_artifact_path"
	rm the-crash
done

# -timeout=1 on a target that hangs on 'H'
rc=0
./hang -seed=1 -runs=200000 -timeout=1 >/dev/null 2>to.err || rc=$?
assert_eq 70 "$rc" "exit status after a timeout"
assert_grep '^==[0-9]+== ERROR: libFuzzer: timeout after 1 seconds$' to.err
[ "$(ls | grep -Ec '^timeout-[0-9a-f]{40}$')" = 1 ] || fail "no timeout-<sha1> file: $(ls)"
to=$(ls | grep '^timeout-')
assert_grep "^artifact_prefix='\./'; Test unit written to \./$to\$" to.err
assert_eq "timeout-$(sha1sum <"$to" | cut -d' ' -f1)" "$to" "timeout artifact name vs sha1"
assert_eq H "$(head -c 1 "$to")" "first byte of the timeout artifact"
# running it with -runs=N: -timeout is per execution, as libFuzzer's
# alarm (the child running the file once got N times -timeout)
rc=0
start=$(date +%s)
timeout 60 ./hang -runs=1000 -timeout=1 "$to" >/dev/null 2>to-file.err || rc=$?
assert_eq 70 "$rc" "exit status running the hang with -runs=1000 -timeout=1"
assert_grep '^==[0-9]+== ERROR: libFuzzer: timeout after 1 seconds$' to-file.err
[ $(($(date +%s) - start)) -le 10 ] || fail "the hang ran for $(($(date +%s) - start)) s with -timeout=1"
rc=0
./hang -seed=1 -runs=200000 -timeout=1 -timeout_exitcode=5 -artifact_prefix=arts/ >/dev/null 2>to5.err || rc=$?
assert_eq 5 "$rc" "exit status with -timeout_exitcode=5"

# -rss_limit_mb=200 on a target that takes 512 MiB on 'M'
rc=0
./oom -seed=1 -runs=200000 -rss_limit_mb=200 >/dev/null 2>oom.err || rc=$?
assert_eq 71 "$rc" "exit status after an out-of-memory (libFuzzer's 71)"
assert_grep '^==[0-9]+== ERROR: libFuzzer: out-of-memory \(used: [0-9]+Mb; (exceeds|limit): 200Mb\)$' oom.err
[ "$(ls | grep -Ec '^oom-[0-9a-f]{40}$')" = 1 ] || fail "no oom-<sha1> file: $(ls)"
oom=$(ls | grep '^oom-')
assert_eq "oom-$(sha1sum <"$oom" | cut -d' ' -f1)" "$oom" "oom artifact name vs sha1"
assert_eq M "$(head -c 1 "$oom")" "first byte of the oom artifact"

# -dict: the token unlocks the crash; without it the same budget does not
printf '# a libFuzzer dictionary\nkw="XYZZY-PLUGH!"\n' >tok.dict
rc=0
./dict -seed=1 -use_cmp=0 -runs=200000 -dict=tok.dict -artifact_prefix=arts/dict- >/dev/null 2>dict.err || rc=$?
assert_eq 1 "$rc" "exit status with -dict holding the token"
[ "$(ls arts | grep -c '^dict-crash-')" = 1 ] || fail "no crash found with -dict: $(ls arts)"
grep -q 'XYZZY-PLUGH!' arts/dict-crash-* || fail "the dict crash does not hold the token"
rc=0
./dict -seed=1 -use_cmp=0 -runs=200000 -artifact_prefix=arts/nodict- >/dev/null 2>nodict.err || rc=$?
assert_eq 0 "$rc" "exit status without -dict"
[ -z "$(ls arts | grep '^nodict-')" ] || fail "a crash without the dictionary: $(ls arts)"

# -only_ascii=1: every corpus file is printable ASCII or whitespace
# (lf_paths.c branches on the byte 0xc3, which must not leak in)
mkdir -p ascii
./paths -seed=1 -runs=20000 -only_ascii=1 ascii >/dev/null 2>ascii.err ||
	fail "-only_ascii=1 run exited non-zero"
[ "$(ls ascii | wc -l)" -ge 3 ] || fail "-only_ascii=1: corpus did not grow: $(ls ascii)"
for f in ascii/*; do
	if LC_ALL=C grep -q '[^[:print:][:space:]]' "$f"; then
		od -An -c "$f" | head -n 3 >&2
		fail "-only_ascii=1 wrote a non-ASCII corpus file $f"
	fi
done

# -close_fd_mask=1: the target prints on 'P' inputs; stdout stays empty
mkdir -p pcorp
printf 'P' >pcorp/p
./paths -seed=1 -runs=2000 pcorp >loud.out 2>loud.err || fail "run without -close_fd_mask failed"
assert_grep '^HARNESS-STDOUT: ' loud.out
./paths -seed=1 -runs=2000 -close_fd_mask=1 pcorp >quiet.out 2>quiet.err ||
	fail "run with -close_fd_mask=1 failed"
[ ! -s quiet.out ] || fail "-close_fd_mask=1 while fuzzing: stdout has $(wc -l <quiet.out) lines: $(head -n 1 quiet.out)"
assert_grep '^Done 2000 runs' quiet.err
./paths -close_fd_mask=1 pcorp/p >quiet-file.out 2>quiet-file.err ||
	fail "running a file with -close_fd_mask=1 failed"
assert_grep '^Executed pcorp/p in ' quiet-file.err
[ ! -s quiet-file.out ] || fail "-close_fd_mask=1 running a file: stdout has: $(head -n 1 quiet-file.out)"

# -print_final_stats=1
./paths -seed=1 -runs=777 -print_final_stats=1 >/dev/null 2>stats.err || fail "-print_final_stats run failed"
assert_grep '^stat::number_of_executed_units: *777$' stats.err
for k in average_exec_per_sec new_units_added slowest_unit_time_sec peak_rss_mb; do
	assert_grep "^stat::$k: *[0-9]+\$" stats.err
done
./paths -seed=1 -runs=777 >/dev/null 2>nostats.err
assert_no_grep '^stat::' nostats.err

# A dictionary that cannot be read, and an artifact directory that does not
# exist, are one error line and exit 1 before anything runs (before, the
# missing dictionary gave an empty crash artifact and exit 77, and the
# missing directory lost the crash when it came).
mkdir -p fdir/fcorp
cd fdir
rc=0
../magic -dict=/does/not/exist -runs=100 fcorp >/dev/null 2>dict.err || rc=$?
assert_eq 1 "$rc" "exit status with a missing -dict"
assert_eq 1 "$(wc -l <dict.err)" "error lines with a missing -dict"
assert_grep "/does/not/exist" dict.err
assert_eq "" "$(ls | grep -E '^(crash|leak|timeout|oom)-' | head -n 1)" "artifacts written for a missing -dict"
rc=0
../magic -artifact_prefix=nodir/sub/ -runs=100 fcorp >/dev/null 2>prefix.err || rc=$?
assert_eq 1 "$rc" "exit status with a missing -artifact_prefix directory"
assert_eq 1 "$(wc -l <prefix.err)" "error lines with a missing -artifact_prefix directory"
assert_grep "nodir/sub" prefix.err
cd ..

# A crash artifact that cannot be written (here: a file size limit of 0,
# as on a full disk) leaves no file, partial or empty; the input is
# printed (hex and base64) and the write retried.
lf_build bug lf_bug.c
mkdir -p full
rc=$( (
	trap '' XFSZ
	ulimit -f 0
	r=0
	./bug -seed=1 -runs=200000 -artifact_prefix=full/ 2>&1 || r=$?
	echo "rc=$r"
) | tee full.log | sed -n 's/^rc=//p')
[ "$rc" -ne 0 ] || fail "exit status 0 after a crash whose artifact could not be written"
assert_grep '^ERROR: cannot write the artifact full/crash-[0-9a-f]{40}; the input, [0-9]+ bytes:$' full.log
assert_grep '^Base64: ' full.log
assert_eq 4 "$(grep -c "cannot write 'full/.crash-" full.log)" "write attempts (the first and 3 retries)"
assert_eq "" "$(ls -A full)" "files left in the artifact directory"

# A harness compiled without coverage (plain gcc, linked by ferret-cc) stops
# with libFuzzer's line and exit 1 instead of running blind with cov: 0.
gcc -O1 -c -o nocov.o "$TARGETS/lf_bug.c"
"$FCC" -fsanitize=fuzzer -o nocov nocov.o
mkdir -p nocorp
rc=0
./nocov -runs=1000 nocorp >nocov.out 2>&1 || rc=$?
assert_eq 1 "$rc" "exit status of a harness without coverage"
assert_grep '^ERROR: no interesting inputs were found\. Is the code instrumented for coverage\? Exiting\.$' nocov.out
