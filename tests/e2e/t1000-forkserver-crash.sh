#!/bin/sh
# t1000: fork-server mode finds an easy crash (first byte 'A') within a
# bounded run, for clang and gcc builds and for stdin and @@ delivery; the
# crash is saved under out/default/crashes with an AFL-style name, and
# `ferret run` reports it as a crash and exits non-zero.
. "$(dirname "$0")/lib.sh"

seeds in 0
name_re='^id:000000,sig:(06|11),src:[0-9]{6},time:[0-9]+,execs:[0-9]+,op:[a-z0-9]+,rep:[0-9]+'
for cc in clang gcc; do
	FERRET_CC=$cc build crash-$cc crash_first_a.c
	for how in stdin file; do
		out=out-$cc-$how
		if [ $how = file ]; then set -- ./crash-$cc @@; else set -- ./crash-$cc; fi
		"$FERRET" fuzz -i in -o $out -s 1 -E 30000 -C -- "$@" 2>fuzz.log ||
			{ tail -n 5 fuzz.log >&2; fail "$cc/$how: ferret fuzz exited non-zero"; }
		ls $out/default/crashes >crashes.txt
		assert_eq 1 "$(count_files $out/default/crashes)" "$cc/$how: crashes saved"
		assert_grep "$name_re" crashes.txt
		crash=$out/default/crashes/$(grep '^id:' crashes.txt)
		assert_eq A "$(head -c 1 "$crash")" "$cc/$how: first byte of the crash"

		# reproduce it, with the input delivered the same way
		rc=0
		if [ $how = file ]; then
			"$FERRET" run -- ./crash-$cc @@ "$crash" >run.out 2>run.err || rc=$?
		else
			"$FERRET" run "$crash" -- ./crash-$cc >run.out 2>run.err || rc=$?
		fi
		assert_ne 0 "$rc" "$cc/$how: exit status of ferret run on the crash"
		assert_grep ': crash: signal 11 \(SIGSEGV\)$' run.out
	done
done
