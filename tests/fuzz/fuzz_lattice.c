/* fuzz_lattice.c: fuzz target for lattice files (host/lattice/file.c, lattice/check.c,
 * lattice/write.c and hop_lattice_finish).
 *
 * The input is the text of a lattice file, read from memory (fmemopen) by
 * hop_lattice_parse, which checks and derives it without keeping it (so no table
 * fills up).  Besides the sanitizers' findings, two properties are checked:
 *   - a refused file gets HOP_ERR_INVAL and one line "input:..." naming it;
 *   - a lattice that loads survives a round trip: hop_lattice_write accepts it, and
 *     what it writes loads back to the same table, derived fields included (memcmp);
 *   - a lattice with jump classes, its rates derived at kT = 1 eV (so energies in eV
 *     count as given), obeys detailed balance to the integer rates' rounding:
 *     rate(s->t) e^{-E_s} = rate(t->s) e^{-E_t} (lattice/rates.h).
 * The seed corpus is tests/fuzz/corpus/lattice/, the dictionary lattice.dict. */
#include <math.h>
#include <string.h>
#include "fuzz.h"
#include "lattice/file.h"
#include "lattice/impl.h"

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

/* Detailed balance of L's integer rates derived at kT = 1 eV: for every jump k of s to
 * t and its reverse, w(s->t) = w(t->s) e^{-(E_t - E_s)} up to each rate's rounding to
 * an integer (half a unit each). */
static void check_detailed_balance(const hop_lattice *L)
{
    hop_lattice R;
    char msg[400];
    memcpy(&R, L, sizeof R);
    if (R.n_classes < 1 || hop_lattice_derive_rates(&R, 1.0, msg, sizeof msg) != HOP_OK
        || R.rate_total[0] == 0)
        return;                 /* no classes, refused rates (a message), or equal rates */
    for (int s = 0; s < R.n_sub; ++s)
        for (int k = 0; k < R.z; ++k) {
            const int t = R.jump_sub[s][k], back = R.jump_rev[s][k];
            const double dE = R.site_energy[t] - R.site_energy[s];   /* kT = 1 eV: eV = kT */
            const double there = (double)R.rate[s][k], back_w = (double)R.rate[t][back];
            const double boltzmann = exp(-dE);
            HOP_FUZZ_CHECK(fabs(there - back_w * boltzmann) <= 0.5 + 0.5 * boltzmann
                               + 1e-9 * there,
                           "detailed balance: w(%d->%d) = %.17g, w(back) e^-dE = %.17g", s, t,
                           there, back_w * boltzmann);
        }
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
    check_detailed_balance(&L);
    return 0;
}
