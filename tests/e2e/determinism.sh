# determinism.sh - sourced after lib.sh by the determinism tests (t3005,
# t5007, t6006; project issue 8): the same binary, seed, starting corpus and
# budget must give the same findings. Two runs' findings are compared by
# content only: the sorted sha1 of each file, never its name (queue names
# hold time: and execs: fields) and never timing output. On a difference
# the files that only one run has are listed (3 a side, as run.sh shows a
# failing test's last 30 lines) by name, size and first bytes, or for a
# value stream its first values, so the failure shows where the runs
# parted: a queue name says which entry and which mutation it came from.

# det_list DIR PATTERN: "sha1  name" for each file in DIR whose name
# matches the glob PATTERN, sorted (by sha1 first)
det_list() {
	find "$1" -maxdepth 1 -type f -name "$2" -exec sha1sum {} + | sed 's|  .*/|  |' | sort
}

# det_describe FILE: its size and first bytes, or for a value stream (a
# FERRET_TEST input) the number of values and the first few, as `ferret
# show` renders them
det_describe() {
	if [ "$(head -c 3 "$1")" = FVS ] && "$FERRET" show "$1" >det-show 2>/dev/null; then
		printf '%s: %s' "$(sed -n '1s/.*, \([0-9]* values\)$/\1/p' det-show)" \
			"$(sed -n '2,5{s/^ *[0-9]* *//; s/  */ /g; p}' det-show | paste -sd, - | sed 's/,/, /g')"
	else
		printf '%s bytes: %s' "$(wc -c <"$1" | tr -d ' ')" \
			"$(head -c 24 "$1" | od -An -c | tr -s ' \n' ' ' | sed 's/^ //; s/ $//')"
	fi
}

# det_same WHAT DIR_A DIR_B PATTERN MIN: the files matching PATTERN in
# DIR_A and DIR_B have the same contents, and DIR_A holds at least MIN of
# them (so a run that found nothing cannot pass). Returns 1 (after
# printing what differs) instead of failing, so a test can compare all of
# its runs before it fails.
det_same() {
	_what=$1 _a=$2 _b=$3 _pat=$4 _min=$5
	if [ ! -d "$_a" ] || [ ! -d "$_b" ]; then
		echo "$_what: no directory $_a or $_b" >&2
		return 1
	fi
	det_list "$_a" "$_pat" >det-a.list
	det_list "$_b" "$_pat" >det-b.list
	cut -d' ' -f1 det-a.list >det-a.sums
	cut -d' ' -f1 det-b.list >det-b.sums
	_na=$(wc -l <det-a.list | tr -d ' ')
	_nb=$(wc -l <det-b.list | tr -d ' ')
	_rc=0
	if [ "$_na" -lt "$_min" ]; then
		echo "$_what: only $_na files in $_a, expected >= $_min" >&2
		_rc=1
	fi
	if cmp -s det-a.sums det-b.sums; then
		echo "$_what: $_na files, the same in both runs" # for the log
		return $_rc
	fi
	comm -23 det-a.sums det-b.sums >det-only-a
	comm -13 det-a.sums det-b.sums >det-only-b
	echo "$_what: the runs differ: $_na vs $_nb files," \
		"$(wc -l <det-only-a | tr -d ' ') only in run a, $(wc -l <det-only-b | tr -d ' ') only in run b" >&2
	for _r in a b; do
		# as many files per sha1 as that sha1 has extra copies, 3 at most
		if [ $_r = a ]; then _dir=$_a; else _dir=$_b; fi
		awk 'NR == FNR { extra[$1]++; next }
			extra[$1] > 0 && shown < 3 { extra[$1]--; shown++; print $2 }' \
			det-only-$_r det-$_r.list |
			while read -r _f; do
				# printf, not echo: dash's echo would expand od's "\n"
				printf '    only in %s: %s (%s)\n' "$_r" "$_f" "$(det_describe "$_dir/$_f")"
			done >&2
		_more=$(($(wc -l <det-only-$_r) - 3))
		[ "$_more" -le 0 ] || echo "    only in $_r: ... and $_more more" >&2
	done
	return 1
}
