/* Conformance (t5012): an LLVMFuzzerInitialize that edits argv as the
 * environment variable INIT_ARGV says: "add" appends -runs=3 (libFuzzer
 * reads its flags after Initialize), "copy" puts a copy of argv[0] in its
 * place (allowed), "rename" changes argv[0] (an error). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static char *args[64], name[4096];
	const char *how = getenv("INIT_ARGV");
	int n = 0;
	if (!how || *argc > 60 || strlen((*argv)[0]) >= sizeof(name))
		return 0;
	for (int i = 0; i < *argc; i++)
		args[n++] = (*argv)[i];
	if (!strcmp(how, "add"))
		args[n++] = "-runs=3";
	if (!strcmp(how, "copy"))
		args[0] = strcpy(name, (*argv)[0]);
	if (!strcmp(how, "rename"))
		args[0] = "renamed";
	args[n] = NULL;
	*argc = n;
	*argv = args;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)data, (void)size;
	return 0;
}
