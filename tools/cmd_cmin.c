/*
 * cmd_cmin.c - `ferret cmin`: afl-cmin's corpus minimization. Runs every
 * file of an input directory through the target (the fuzzer's executor,
 * src/exec/target.h), turns each clean run's classified map into "tuples"
 * (an edge and its hit-count bucket, or the edge alone with -e), and copies
 * to the output directory a small set of files that keeps every tuple the
 * whole directory has, chosen as afl-cmin does (select_files).
 *
 * Data flow: the parent lists and sorts the files (size, then name), forks
 * N workers (-T), each running its own target on every N-th file and
 * writing "index, verdict, tuples" records to a private temporary file; the
 * parent reads them all and selects. A file's tuples depend only on the
 * file, so the selection does not depend on N. Crashing, hanging and
 * oversized inputs are skipped and counted, as afl-cmin drops them.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "config.h"
#include "cov.h"
#include "errors.h"
#include "log.h"
#include "store.h"
#include "target.h"
#include "banned.h"

static const struct usage_opt cmin_opts[] = {
	{'i', NULL, "DIR", "the corpus to minimize"},
	{'o', NULL, "DIR", "where to copy the inputs kept; must not exist or be empty"},
	REPLAY_OPT_T("timeout per input", ""),
	REPLAY_OPT_M,
	{'e', NULL, "", "edges only: ignore hit counts"},
	{'T', NULL, "N|all",
	 "run N targets in parallel (all: one per online CPU; default 1); the "
	 "selection does not depend on N"},
	{0},
};

static const char *const cmin_synopsis[] = {
	"ferret cmin -i DIR -o DIR [-t MS] [-m MB] [-e] [-T N|all] -- PROGRAM [ARGS...]",
	NULL,
};

const struct usage cmin_usage = {
	.page = "ferret-cmin",
	.synopsis = cmin_synopsis,
	.description = "Copies to -o a small set of the files in -i that keeps every edge and\n"
		       "hit-count bucket (every tuple; with -e edges only) of the whole set, as\n"
		       "afl-cmin does: rarest tuple first, the smallest file that has it (ties\n"
		       "by name), unless a file already kept has the tuple. \"@@\" in ARGS is\n"
		       "the input file, stdin otherwise; a libFuzzer harness (ferret-cc\n"
		       "-fsanitize=fuzzer) gets \"@@\" when ARGS has none and its non-zero\n"
		       "exit is a crash. Crashing and hanging inputs are skipped. -o must not\n"
		       "exist or be empty.",
	.opts = cmin_opts,
	.see_also = "ferret(1), ferret-tmin(1), ferret-fuzz(1), ferret-showmap(1)",
};

enum verdict { V_OK, V_CRASH, V_HANG, V_BIG };

struct input {
	char *name; /* within the input directory; owned */
	off_t size;
	enum verdict verdict;
	uint32_t *tuples; /* sorted, owned */
	uint32_t ntuples;
};

struct opts {
	const char *in, *out;
	uint32_t timeout_ms;
	uint64_t mem_limit_mb;
	int edges_only;
	int harness; /* a libFuzzer harness: exiting non-zero is a crash */
	long workers;
	char **prog;
};

static void parse(int argc, char **argv, struct opts *o)
{
	memset(o, 0, sizeof(*o));
	o->timeout_ms = CFG_DEFAULT_TIMEOUT_MS;
	o->workers = 1;
	int i = 1;
	for (; i < argc && strcmp(argv[i], "--"); i++) {
		const char *s = argv[i], *v = argv[i + 1];
		if (s[0] != '-' || !s[1])
			break; /* the program, afl-cmin style without "--" */
		const struct usage_opt *opt = usage_find(&cmin_usage, s);
		if (!opt)
			die("unknown option '%s' (see 'ferret cmin --help')", s);
		if (opt->short_name == 'e') {
			o->edges_only = 1;
			continue;
		}
		if (!v)
			die("option '%s' needs a value", s);
		i++;
		switch (opt->short_name) {
		case 'i':
			o->in = v;
			break;
		case 'o':
			o->out = v;
			break;
		case 't':
		case 'm':
			replay_limit(opt->short_name, s, v, &o->timeout_ms, &o->mem_limit_mb);
			break;
		case 'T':
			if (!strcmp(v, "all"))
				o->workers = sysconf(_SC_NPROCESSORS_ONLN) > 0
						     ? sysconf(_SC_NPROCESSORS_ONLN)
						     : 1;
			else if (!(o->workers = (long)replay_number(s, v, 1024)))
				die("invalid value '0' for -T: expected at least 1");
			break;
		}
	}
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (!o->in)
		die("no input directory given (usage: ferret cmin -i DIR -o DIR -- PROGRAM)");
	if (!o->out)
		die("no output directory given (usage: ferret cmin -i DIR -o DIR -- PROGRAM)");
	if (i >= argc)
		die("no target program given (usage: ferret cmin -i DIR -o DIR -- PROGRAM)");
	o->prog = argv + i;
}

/*
 * A libFuzzer harness (ferret-cc -fsanitize=fuzzer) reads stdin only to
 * fuzz it, so its inputs must be files: "@@" is appended to a harness's
 * command line that has none. Its driver reports a deadly signal or a
 * sanitizer's finding by exiting non-zero (77, as libFuzzer), which for a
 * harness is a crash. Sets o->harness.
 */
static void harness_args(struct opts *o)
{
	size_t n = 0;
	int at = 0;
	for (; o->prog[n]; n++)
		at |= strstr(o->prog[n], "@@") != NULL;
	if (access(o->prog[0], R_OK))
		return; /* target_init says why */
	o->harness = replay_is_libfuzzer(o->prog[0]);
	if (!o->harness || at)
		return;
	char **args = calloc(n + 2, sizeof(char *));
	if (!args)
		die("out of memory");
	memcpy(args, o->prog, n * sizeof(char *));
	args[n] = "@@";
	o->prog = args;
}

static int by_size_then_name(const void *a, const void *b)
{
	const struct input *x = a, *y = b;
	if (x->size != y->size)
		return x->size < y->size ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void put(FILE *f, uint32_t v)
{
	if (fwrite(&v, sizeof(v), 1, f) != 1)
		_exit(3);
}

/*
 * One worker: starts its own target and runs the inputs w, w + n, w + 2n...
 * Writes to res: a u32 0 and the records "index, verdict, count, tuples"
 * (native u32s), or a u32 1 and the one line saying why the target could
 * not start. A tuple is edge * 8 + the bucket's bit (bit 0 with -e). Exits
 * 0, or 3 when it could not write its results.
 */
static void worker(const struct opts *o, struct input *in, size_t nin, size_t w, size_t n,
		   const char *res, const char *input_path)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	FILE *f = fopen(res, "wb");
	if (!f)
		_exit(3);
	struct target t;
	int err = target_init(&t, o->prog, input_path);
	if (!err) {
		t.timeout_ms = o->timeout_ms;
		t.mem_limit_mb = o->mem_limit_mb;
		t.flags |= TARGET_QUIET;
		err = target_start(&t);
	}
	if (err) {
		char why[256];
		put(f, 1);
		fprintf(f, "cannot start target '%s': %s", o->prog[0],
			target_start_error(&t, err, why, sizeof(why)));
		fclose(f);
		_exit(0);
	}
	put(f, 0);
	uint32_t *tuples = malloc(t.map_bytes * sizeof(uint32_t));
	char *path = NULL;
	if (!tuples)
		_exit(3);
	for (size_t i = w; i < nin; i += n) {
		uint8_t *data;
		size_t len;
		uint32_t verdict = V_OK, nt = 0;
		free(path);
		path = path_join(o->in, in[i].name);
		if (in[i].size > (off_t)CFG_MAX_INPUT_BYTES)
			verdict = V_BIG;
		else if (!path || store_read(path, CFG_MAX_INPUT_BYTES, &data, &len, NULL))
			_exit(4);
		if (verdict == V_OK) {
			struct run_result r;
			if ((err = target_run(&t, data, len, &r)))
				_exit(4);
			free(data);
			if (r.kind == RUN_OK && o->harness && r.exit_code)
				r.kind = RUN_CRASH;
			if (r.kind != RUN_OK)
				verdict = r.kind == RUN_CRASH ? V_CRASH : V_HANG;
		}
		if (verdict == V_OK) {
			cov_classify(t.map, t.map_bytes);
			for (size_t e = 0; e < t.map_bytes; e++)
				if (t.map[e])
					tuples[nt++] =
						(uint32_t)e * 8 +
						(o->edges_only ? 0
							       : (uint32_t)__builtin_ctz(t.map[e]));
		}
		put(f, (uint32_t)i);
		put(f, verdict);
		put(f, nt);
		if (nt && fwrite(tuples, sizeof(uint32_t), nt, f) != nt)
			_exit(3);
	}
	if (fclose(f))
		_exit(3);
	target_release(&t);
	_exit(0);
}

static int get(FILE *f, uint32_t *v)
{
	return fread(v, sizeof(*v), 1, f) == 1;
}

/* Reads a worker's results into in[]. Returns 0, or -1 with the line to
 * print in why (the worker's own when its target did not start). */
static int collect(const char *res, struct input *in, size_t nin, const char *prog, char *why,
		   size_t cap)
{
	FILE *f = fopen(res, "rb");
	uint32_t status, i, v, nt;
	if (!f || !get(f, &status)) {
		snprintf(why, cap, "a cmin worker for '%s' left no results", prog);
		goto fail;
	}
	if (status) {
		why[fread(why, 1, cap - 1, f)] = 0;
		goto fail;
	}
	while (get(f, &i)) {
		if (i >= nin || !get(f, &v) || !get(f, &nt))
			goto broken;
		in[i].verdict = (enum verdict)v;
		in[i].ntuples = nt;
		in[i].tuples = malloc(((size_t)nt + 1) * sizeof(uint32_t));
		if (!in[i].tuples)
			die("out of memory");
		if (fread(in[i].tuples, sizeof(uint32_t), nt, f) != nt)
			goto broken;
	}
	fclose(f);
	return 0;
broken:
	snprintf(why, cap, "a cmin worker for '%s' left broken results", prog);
fail:
	if (f)
		fclose(f);
	return -1;
}

struct rarity {
	uint32_t tuple, files; /* the tuple, how many files have it */
};

static int rarest_first(const void *a, const void *b)
{
	const struct rarity *x = a, *y = b;
	if (x->files != y->files)
		return x->files < y->files ? -1 : 1;
	return x->tuple < y->tuple ? -1 : x->tuple > y->tuple;
}

/*
 * afl-cmin's selection. in[] is sorted smallest first, so the first file
 * that has a tuple is its best file. Going through the tuples rarest
 * first (ties by tuple), each tuple no kept file has yet brings in its
 * best file, which covers all of that file's tuples. Rare tuples first
 * keeps the set small: a file kept for a rare tuple often covers the
 * common ones too. Sets keep[i] for the files kept; returns the number of
 * tuples. Costs two passes over all tuples and a sort of the distinct ones.
 */
static uint32_t select_files(const struct input *in, size_t nin, uint8_t *keep)
{
	uint32_t max = 0, distinct = 0;
	for (size_t i = 0; i < nin; i++)
		for (uint32_t k = 0; k < in[i].ntuples; k++)
			if (in[i].tuples[k] >= max)
				max = in[i].tuples[k] + 1;
	uint32_t *files = calloc((size_t)max + 1, sizeof(uint32_t));
	size_t *best = calloc((size_t)max + 1, sizeof(size_t));
	uint8_t *covered = calloc((size_t)max + 1, 1);
	if (!keep || !files || !best || !covered)
		die("out of memory");
	for (size_t i = 0; i < nin; i++)
		for (uint32_t k = 0; k < in[i].ntuples; k++) {
			uint32_t t = in[i].tuples[k];
			if (!files[t]++) {
				best[t] = i;
				distinct++;
			}
		}
	struct rarity *order = calloc((size_t)distinct + 1, sizeof(*order));
	if (!order)
		die("out of memory");
	for (uint32_t t = 0, j = 0; t < max; t++)
		if (files[t])
			order[j++] = (struct rarity){t, files[t]};
	qsort(order, distinct, sizeof(*order), rarest_first);
	for (uint32_t j = 0; j < distinct; j++) {
		if (covered[order[j].tuple])
			continue;
		const struct input *f = &in[best[order[j].tuple]];
		keep[f - in] = 1;
		for (uint32_t k = 0; k < f->ntuples; k++)
			covered[f->tuples[k]] = 1;
	}
	free(order);
	free(files);
	free(best);
	free(covered);
	return distinct;
}

/* OUT must not exist (it is created once there is something to copy) or
 * be an empty directory. */
static void check_out(const char *out)
{
	struct stat st;
	if (stat(out, &st)) {
		if (errno != ENOENT)
			die_errno("cannot use output directory '%s'", out);
		return;
	}
	if (!S_ISDIR(st.st_mode))
		die("output directory '%s' is not a directory", out);
	char **names;
	size_t n;
	int err = store_list(out, &names, &n);
	if (err == FERRET_EEMPTY)
		return;
	if (!err)
		store_free_list(names, n);
	die("output directory '%s' is not empty", out);
}

int cmd_cmin(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage_print(stdout, &cmin_usage);
			return 0;
		}
	struct opts o;
	parse(argc, argv, &o);
	harness_args(&o);

	char **names;
	size_t nin;
	int err = store_list(o.in, &names, &nin);
	if (err == FERRET_EEMPTY)
		die("input directory '%s' has no files", o.in);
	if (err)
		die("cannot read input directory '%s'", o.in);
	struct target probe;
	if (target_init(&probe, o.prog, "/dev/null"))
		die("cannot execute target '%s'", o.prog[0]);
	target_release(&probe);
	check_out(o.out);

	struct input *in = calloc(nin, sizeof(*in));
	if (!in)
		die("out of memory");
	for (size_t i = 0; i < nin; i++) {
		char *path = path_join(o.in, names[i]);
		struct stat st;
		if (!path || stat(path, &st))
			die_errno("cannot read input '%s'", names[i]);
		in[i].name = names[i];
		in[i].size = st.st_size;
		free(path);
	}
	qsort(in, nin, sizeof(*in), by_size_then_name);

	char tmp[] = "/tmp/ferret-cmin-XXXXXX";
	if (!mkdtemp(tmp))
		die_errno("cannot create a temporary directory");
	size_t n = (size_t)o.workers < nin ? (size_t)o.workers : nin;
	pid_t *pids = calloc(n, sizeof(pid_t));
	char **res = calloc(n, sizeof(char *)), **inp = calloc(n, sizeof(char *));
	if (!pids || !res || !inp)
		die("out of memory");
	fflush(NULL);
	for (size_t w = 0; w < n; w++) {
		char leaf[32];
		snprintf(leaf, sizeof(leaf), "results%zu", w);
		res[w] = path_join(tmp, leaf);
		snprintf(leaf, sizeof(leaf), "input%zu", w);
		inp[w] = path_join(tmp, leaf);
		if (!res[w] || !inp[w])
			die("out of memory");
		if ((pids[w] = fork()) < 0)
			die_errno("cannot start a cmin worker");
		if (!pids[w])
			worker(&o, in, nin, w, n, res[w], inp[w]);
	}
	int failed = 0;
	for (size_t w = 0; w < n; w++) {
		int st;
		while (waitpid(pids[w], &st, 0) < 0 && errno == EINTR)
			;
		failed |= !WIFEXITED(st) || WEXITSTATUS(st);
	}
	char why[512];
	snprintf(why, sizeof(why), "a cmin worker for '%s' failed", o.prog[0]);
	for (size_t w = 0; w < n && !failed; w++)
		failed = collect(res[w], in, nin, o.prog[0], why, sizeof(why));
	for (size_t w = 0; w < n; w++) {
		unlink(res[w]);
		unlink(inp[w]);
		free(res[w]);
		free(inp[w]);
	}
	rmdir(tmp);
	if (failed)
		die("%s", why);

	size_t kept = 0, crashed = 0, hung = 0, big = 0;
	for (size_t i = 0; i < nin; i++) {
		crashed += in[i].verdict == V_CRASH;
		hung += in[i].verdict == V_HANG;
		big += in[i].verdict == V_BIG;
	}
	uint8_t *keep = calloc(nin, 1);
	uint32_t tuples = select_files(in, nin, keep);
	for (size_t i = 0; i < nin; i++)
		kept += keep[i];
	if (crashed + hung + big)
		fprintf(stderr,
			"ferret: cmin skipped %zu crashing, %zu hanging and %zu too large "
			"input%s\n",
			crashed, hung, big, crashed + hung + big == 1 ? "" : "s");
	if (!kept)
		die("no input of '%s' ran cleanly", o.in);
	if (store_mkdirs(o.out))
		die("cannot create output directory '%s'", o.out);
	for (size_t i = 0; i < nin; i++) {
		if (!keep[i])
			continue;
		char *from = path_join(o.in, in[i].name);
		uint8_t *data;
		size_t len;
		if (!from || store_read(from, CFG_MAX_INPUT_BYTES, &data, &len, NULL))
			die("cannot read input '%s'", in[i].name);
		if (store_write(o.out, in[i].name, data, len))
			die("cannot write '%s' to '%s'", in[i].name, o.out);
		free(data);
		free(from);
	}
	printf("cmin: %zu files -> %zu files, %u tuples\n", nin, kept, tuples);
	for (size_t i = 0; i < nin; i++) {
		free(in[i].tuples);
		free(in[i].name);
	}
	free(names);
	free(in);
	free(keep);
	free(pids);
	free(res);
	free(inp);
	return 0;
}
