/* replay.c: runs a fuzz target on given inputs without libFuzzer, so that the seed
 * corpus and every regression input are ordinary tests in any build (gcc included).
 *
 *   fuzz_replay_<target> PATH...    each PATH a file or a directory of files
 *
 * Files in a directory run in name order; names starting with '.' and README files
 * are skipped.  The name of each input goes to stderr before it runs, so a crash
 * points at its input; the target's stdout (help texts, lattice files) is discarded.
 * Exit status 0 when every input ran, 1 when a path cannot be read (a crash ends the
 * process with the target's abort or signal, which ctest reports as a failure). */
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include "fuzz.h"

/* Runs the target on the file at path; returns 0, or 1 when it cannot be read. */
static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *data = NULL;
    size_t size = 0, cap = 0, n;
    if (!f) {
        fprintf(stderr, "replay: cannot open %s: %s\n", path, strerror(errno));
        return 1;
    }
    do {
        if (size == cap) {
            uint8_t *bigger = realloc(data, cap = 2 * cap + 4096);
            if (!bigger) {
                fprintf(stderr, "replay: %s: out of memory\n", path);
                free(data);
                fclose(f);
                return 1;
            }
            data = bigger;
        }
        size += n = fread(data + size, 1, cap - size, f);
    } while (n > 0);
    if (ferror(f)) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        free(data);
        fclose(f);
        return 1;
    }
    fclose(f);
    fprintf(stderr, "replay: %s (%zu bytes)\n", path, size);
    LLVMFuzzerTestOneInput(data, size);
    free(data);
    return 0;
}

static int is_input(const struct dirent *e)
{
    return e->d_name[0] != '.' && strncmp(e->d_name, "README", 6) != 0;
}

/* Runs the target on path, a file or a directory of files; *count += inputs run. */
static int replay_path(const char *path, int *count)
{
    struct stat st;
    struct dirent **names;
    int n, bad = 0;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return 1;
    }
    if (!S_ISDIR(st.st_mode)) {
        *count += 1;
        return replay_file(path);
    }
    if ((n = scandir(path, &names, is_input, alphasort)) < 0) {
        fprintf(stderr, "replay: cannot list %s: %s\n", path, strerror(errno));
        return 1;
    }
    for (int i = 0; i < n; ++i) {
        char file[4096];
        snprintf(file, sizeof file, "%s/%s", path, names[i]->d_name);
        if (stat(file, &st) == 0 && S_ISREG(st.st_mode)) {
            *count += 1;
            bad |= replay_file(file);
        }
        free(names[i]);
    }
    free(names);
    return bad;
}

int main(int argc, char **argv)
{
    int bad = 0, count = 0;
    if (argc < 2) {
        fprintf(stderr, "usage: %s PATH...  (files or directories of fuzz inputs)\n", argv[0]);
        return 2;
    }
    if (!freopen("/dev/null", "w", stdout)) {
        fprintf(stderr, "replay: cannot discard stdout: %s\n", strerror(errno));
        return 1;
    }
    for (int i = 1; i < argc; ++i)
        bad |= replay_path(argv[i], &count);
    fprintf(stderr, "replay: %d inputs%s\n", count, bad ? ", some unreadable" : "");
    return bad;
}
