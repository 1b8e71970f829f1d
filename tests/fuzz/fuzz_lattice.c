/* fuzz_lattice.c: fuzz target for lattice files (host/lattice/file.c, lattice/check.c,
 * lattice/write.c and hop_lattice_finish).
 *
 * The input is the text of a lattice file, read from memory (fmemopen) by
 * hop_lattice_parse, which checks and derives it without keeping it (so no table
 * fills up).  Besides the sanitizers' findings, two properties are checked:
 *   - a refused file gets HOP_ERR_INVAL and one line "input:..." naming it;
 *   - a lattice that loads survives a round trip: hop_lattice_write accepts it, and
 *     what it writes loads back to the same table, derived fields included (memcmp).
 * The seed corpus is tests/fuzz/corpus/lattice/, the dictionary lattice.dict. */
#include <string.h>
#include "fuzz.h"
#include "lattice/file.h"

#define NAME "input"

/* Parses size bytes at text (size 0 included) as a lattice file named NAME. */
static hop_status parse(const void *text, size_t size, hop_lattice *L, char *msg, size_t n)
{
    static char empty[1];
    FILE *f = fmemopen(size ? (void *)text : empty, size, "r");
    hop_status s;
    HOP_FUZZ_CHECK(f != NULL, "fmemopen of %zu bytes failed", size);
    s = hop_lattice_parse(f, NAME, L, msg, n);
    fclose(f);
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hop_lattice L, again;
    char msg[512] = "", msg2[512] = "";
    char *text = NULL;
    size_t len = 0;
    FILE *out;
    hop_status s;
    memset(&L, 0, sizeof L);
    memset(&again, 0, sizeof again);
    s = parse(data, size, &L, msg, sizeof msg);
    if (s != HOP_OK) {
        HOP_FUZZ_CHECK(s == HOP_ERR_INVAL, "status %d (%s)", (int)s, msg);
        HOP_FUZZ_CHECK(strncmp(msg, NAME ":", strlen(NAME ":")) == 0,
                       "message does not name the file: '%s'", msg);
        HOP_FUZZ_CHECK(strchr(msg, '\n') == NULL, "message of more than one line: '%s'", msg);
        return 0;
    }
    out = open_memstream(&text, &len);
    HOP_FUZZ_CHECK(out != NULL, "open_memstream failed");
    s = hop_lattice_write(out, &L);
    HOP_FUZZ_CHECK(fclose(out) == 0, "writing to memory failed");
    HOP_FUZZ_CHECK(s == HOP_OK, "hop_lattice_write refused a loaded lattice (status %d)", (int)s);
    s = parse(text, len, &again, msg2, sizeof msg2);
    HOP_FUZZ_CHECK(s == HOP_OK, "the written lattice does not load back: %s\n%s", msg2, text);
    HOP_FUZZ_CHECK(memcmp(&L, &again, sizeof L) == 0,
                   "the written lattice loads back different:\n%s", text);
    free(text);
    return 0;
}
