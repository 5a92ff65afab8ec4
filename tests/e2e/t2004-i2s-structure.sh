#!/bin/sh
# t2004: input-to-state builds structure (tests/targets/i2s_struct.c, the
# check chosen by argv[1]), for clang and gcc builds at -O1, each from its
# own seed with -s 1 and a budget of 3000 executions; each crash must be
# found and hold what its check wants:
#   nested  "bug" by three nested byte ifs, which clang -O1 turns into
#           unconditional byte compares and one branch (read as one string
#           from consecutive compares)
#   sum     a 16-bit offset + size equal to the input's length (the sum is
#           nowhere in the input: the fields are set)
#   diff    a 32-bit end - start == 0x00c0ffee (likewise)
#   len     a length byte kept equal to what follows when "FERRET-LENGTH"
#           is put there with a length change
#   crc     a big-endian CRC-32 written into its field from the compare,
#           then kept by the candidate that writes 0xfeedc0de under it
#   insert  "FIRST" inserted before the seed "second-part", not over it
# Measured when written (seeds 1..5, both compilers): nested 11 (clang) and
# 803 (gcc, one byte per entry as before), sum 12-16, diff 15-21, len 28,
# crc 446-672, insert 28-35 executions. Before (i2s writing operands over
# each other only), within 20000 executions: nested (clang), diff, len and
# crc never (diff: gcc once, at 3991), sum at 43..6061, insert 4 times in 10
# (1332..19492).
. "$(dirname "$0")/lib.sh"

budget=3000
problems=

# hexbytes FILE SKIP COUNT: COUNT bytes of FILE from offset SKIP, as hex
hexbytes() {
	od -An -tx1 -j "$2" -N "$3" "$1" | tr -d ' \n'
}

# expect CHECK FILE: the crash input holds what CHECK wants, and crashes
# the target again (for crc the only proof the CRC is right)
expect() {
	rc=0
	./st-$cc $1 <"$2" 2>/dev/null || rc=$?
	[ $rc -gt 128 ] || problems="$problems $cc/$1: the saved crash exits $rc when run again;"
	size=$(wc -c <"$2")
	case $1 in
	nested) want=627567 got=$(hexbytes "$2" 0 3) ;;
	sum) want=$size got=$(od -An -tu2 -N2 "$2" | tr -d ' ')
		got=$((got + $(od -An -tu2 -j2 -N2 "$2" | tr -d ' '))) ;;
	diff) want=c0ffee got=$(printf '%06x' $((($(od -An -tu4 -j4 -N4 "$2" | tr -d ' ') - \
		$(od -An -tu4 -N4 "$2" | tr -d ' ')) & 0xffffffff))) ;;
	len) want=0d4645525245542d4c454e475448 got=$(hexbytes "$2" 0 14) ;;
	crc) want=dec0edfe got=$(hexbytes "$2" 4 4) ;;
	insert) want=4649525354 got=$(hexbytes "$2" 0 5) ;;
	esac
	[ "$want" = "$got" ] || problems="$problems $cc/$1: crash holds $got, expected $want;"
}

# seed CHECK: the seed file of CHECK in in-CHECK/
seed() {
	mkdir -p "in-$1"
	case $1 in
	len) printf '\004abcd' ;;
	crc) printf '\000\000\000\000abcdefgh' ;;
	insert) printf 'second-part' ;;
	*) printf 'AAAAAAAAAAAAAAAAAAAA' ;;
	esac >"in-$1/seed"
}

checks="nested sum diff len crc insert"
for check in $checks; do seed $check; done
for cc in clang gcc; do
	FERRET_CC=$cc build st-$cc i2s_struct.c
	for check in $checks; do
		out=out-$cc-$check
		"$FERRET" fuzz -i in-$check -o $out -s 1 -E $budget -C -- ./st-$cc $check 2>fuzz.log ||
			{ tail -n 5 fuzz.log >&2; fail "$cc/$check: ferret fuzz exited non-zero"; }
		crash=
		for f in "$out"/default/crashes/id:*; do [ -e "$f" ] && crash=$f && break; done
		if [ -z "$crash" ]; then
			problems="$problems $cc/$check: no crash within $budget executions;"
		else
			expect $check "$crash"
		fi
	done
done

[ -z "$problems" ] || fail "input-to-state structure:$problems"
