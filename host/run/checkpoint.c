/* checkpoint.c: writing and reading checkpoints (format in checkpoint.h).
 *
 * The file is assembled in memory, its crc32 (zlib) appended (hop_checkpoint_format),
 * and written through host/base/atomic_file.c.  Reading works on the whole file in memory
 * (hop_checkpoint_parse; hop_checkpoint_load reads the file first), so the fuzz target
 * tests/fuzz/fuzz_checkpoint.c runs the same checks without files.  Reading checks, in
 * order: the format line, the trailer and its crc32 (so a truncated or altered file is
 * caught before anything in it is trusted), the program version, the byte order, the
 * parameters, the state and the payload's size. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "base/atomic_file.h"
#include "run/checkpoint.h"
#include "lattice/file.h"
#include "run/state.h"

#define FORMAT_LINE "hop-checkpoint 1\n"
#define TRAILER_LEN 15                  /* "crc32 XXXXXXXX\n" */
#define BYTE_ORDER_MARK UINT64_C(0x0102030405060708)

/* The byte-order line's value: the bytes of BYTE_ORDER_MARK in memory order. */
static void byte_order(char *buf, size_t n)
{
    const uint64_t mark = BYTE_ORDER_MARK;
    unsigned char b[8];
    memcpy(b, &mark, sizeof b);
    snprintf(buf, n, "%02x%02x%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5],
             b[6], b[7]);
}

char *hop_checkpoint_describe(const hop_params *p)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return NULL;
    fprintf(f, "lattice %s\nestimator %s\nmodel %s\nseed %" PRIu64 "\nreplicas %" PRIu64 "\n",
            p->lattice->name, p->estimator == HOP_EST_MSD ? "msd" : "corr",
            hop_model_name(p->model), p->seed,
            p->replicas);
    fprintf(f, "radius %a\nshells %d\nsize %d\ntime %a\ntimes %d\nfit-from %a\nsize-check %d\n",
            p->radius, p->shells, p->size, p->time, p->n_times, p->fit_from, p->size_check);
    for (int i = 0; i < 5; ++i)
        fprintf(f, "w%d %a\n", i, p->w[i]);
    fprintf(f, "w3p %a\nw3pp %a\n", p->w3p, p->w3pp);
    fprintf(f, "T %a\nQf %a\nQm %a\nbond-energy %a\nnu %a\na %a\n", p->T, p->Qf, p->Qm,
            p->bond_energy, p->nu, p->a);
    /* The entropies and barriers convert to physical units (the statistics do not
     * depend on them); listed when given, so a file saved without them still matches. */
    if (p->Sf != 0 || p->Sm != 0)
        fprintf(f, "Sf %a\nSm %a\n", p->Sf, p->Sm);
    for (int i = 1; i < 5; ++i)
        if (p->E[i] > 0)
            fprintf(f, "E%d %a\n", i, p->E[i]);
    fprintf(f, "c %a\nJ %a\nequilibrate %a\n", p->c, p->J, p->equilibrate);
    /* the alloy's composition and rates, only for its runs (other files stay as they were) */
    if (p->model == HOP_MODEL_ALLOY) {
        fprintf(f, "vacancies %d\n", p->alloy.vacancies);
        for (int i = 0; i < p->alloy.n_species; ++i)
            fprintf(f, "species %s %a %a\n", p->alloy.name[i], p->alloy.fraction[i],
                    p->alloy.w[i]);
        for (int i = 0; i < p->alloy.n_species; ++i)
            for (int j = i; j < p->alloy.n_species; ++j)
                if (p->alloy.pair[i][j] != 0)
                    fprintf(f, "pair %s %s %a\n", p->alloy.name[i], p->alloy.name[j],
                            p->alloy.pair[i][j]);
    }
    fprintf(f, "carrier-density %a\ncharge %a\ntarget-error %a\nlattice-table\n",
            p->carrier_density, p->charge, p->target_error);
    if (hop_lattice_write(f, p->lattice) != HOP_OK)    /* every lattice hop runs is writable */
        fprintf(f, "name %s (not representable)\n", p->lattice->name);
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

/* The payload: corr's tallies, or the accumulators of the two boxes of msd and the gas,
 * each its counts then its entries; sized by the state the caller allocated for p (its
 * estimator's shape, models/model.h). */
static size_t corr_slots(const hop_params *p)
{
    return (size_t)HOP_CORR_SLOTS(p->lattice->n_sub * p->lattice->z, p->shells);
}

static size_t acc_entries(const hop_msd_accum *a)
{
    return (size_t)hop_msd_entries(a->n_series, a->n_times);
}

static size_t payload_size(const hop_params *p, const hop_checkpoint_state *st)
{
    size_t n = 0;
    if (st->counts)
        return corr_slots(p) * sizeof(uint64_t);
    for (int ph = 0; ph < 2 && st->acc[ph]; ++ph)
        n += 3 * sizeof(uint64_t) + acc_entries(st->acc[ph]) * sizeof(hop_i128);
    return n;
}

static void write_payload(FILE *f, const hop_params *p, const hop_checkpoint_state *st)
{
    if (st->counts) {
        fwrite(st->counts->tally, sizeof(uint64_t), corr_slots(p), f);
        return;
    }
    for (int ph = 0; ph < 2 && st->acc[ph]; ++ph) {
        const hop_msd_accum *a = st->acc[ph];
        const uint64_t counts[3] = {a->replicas, a->vacancy_steps, a->tracer_jumps};
        fwrite(counts, sizeof counts[0], 3, f);
        fwrite(a->entry, sizeof(hop_i128), acc_entries(a), f);
    }
}

static void read_payload(const unsigned char *b, const hop_params *p, hop_checkpoint_state *st)
{
    if (st->counts) {
        memcpy(st->counts->tally, b, corr_slots(p) * sizeof(uint64_t));
        return;
    }
    for (int ph = 0; ph < 2 && st->acc[ph]; ++ph) {
        hop_msd_accum *a = st->acc[ph];
        uint64_t counts[3];
        memcpy(counts, b, sizeof counts);
        b += sizeof counts;
        a->replicas = counts[0];
        a->vacancy_steps = counts[1];
        a->tracer_jumps = counts[2];
        memcpy(a->entry, b, acc_entries(a) * sizeof(hop_i128));
        b += acc_entries(a) * sizeof(hop_i128);
    }
}

hop_status hop_checkpoint_format(const hop_params *p, const hop_checkpoint_state *st,
                                 char **text, size_t *len)
{
    char *params = hop_checkpoint_describe(p), order[20];
    FILE *f;
    *text = NULL;
    *len = 0;
    if (!params)
        return HOP_ERR_NOMEM;
    if (!(f = open_memstream(text, len))) {
        free(params);
        return HOP_ERR_NOMEM;
    }
    byte_order(order, sizeof order);
    fprintf(f, FORMAT_LINE "hop %s\nbyte-order %s\nparams\n%send-params\n", HOP_VERSION, order,
            params);
    fprintf(f, "state phase %d done %" PRIu64 " %" PRIu64 " phase1-for %" PRIu64
               " batches %d compute-s %a\npayload %zu\n",
            st->phase, st->done[0], st->done[1], st->phase1_for, st->batches, st->compute_s,
            payload_size(p, st));
    write_payload(f, p, st);
    free(params);
    /* the crc32 of everything so far (fflush makes *text and *len current) */
    if (fflush(f) != 0) {
        fclose(f);
        free(*text);
        *text = NULL;
        *len = 0;
        return HOP_ERR_NOMEM;
    }
    fprintf(f, "crc32 %08lx\n", crc32(crc32(0L, Z_NULL, 0), (const Bytef *)*text, (uInt)*len));
    if (fclose(f) != 0) {
        free(*text);
        *text = NULL;
        *len = 0;
        return HOP_ERR_NOMEM;
    }
    return HOP_OK;
}

hop_status hop_checkpoint_save(const char *path, const hop_params *p,
                               const hop_checkpoint_state *st)
{
    char *text = NULL;
    size_t len = 0;
    hop_atomic_file af;
    hop_status s;
    if (hop_checkpoint_format(p, st, &text, &len) != HOP_OK)
        return hop_error(HOP_ERR_NOMEM, "out of memory writing checkpoint '%s'", path);
    if ((s = hop_atomic_open(path, &af)) != HOP_OK) {
        free(text);
        return s;
    }
    fwrite(text, 1, len, af.fp);
    free(text);
    return hop_atomic_commit(&af);
}

#define REFUSE(...) \
    do { snprintf(msg, msg_len, __VA_ARGS__); s = HOP_ERR_INVAL; goto done; } while (0)

/* The whole file at path into a new buffer (*len bytes plus a NUL), or NULL. */
static unsigned char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    long size;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0
        && (buf = malloc((size_t)size + 1))) {
        *len = fread(buf, 1, (size_t)size, f);
        if (*len != (size_t)size) {
            free(buf);
            buf = NULL;
        } else {
            buf[*len] = '\0';
        }
    }
    fclose(f);
    return buf;
}

/* The next line of buf (from *at, up to len) as a NUL-terminated copy in line[n];
 * returns 0 at the end or when the line does not fit. */
static int next_line(const unsigned char *buf, size_t len, size_t *at, char *line, size_t n)
{
    const unsigned char *nl = memchr(buf + *at, '\n', len - *at);
    size_t l;
    if (!nl || (l = (size_t)(nl - (buf + *at))) + 1 > n)
        return 0;
    memcpy(line, buf + *at, l);
    line[l] = '\0';
    *at += l + 1;
    return 1;
}

/* The first line in which two texts differ, copied to a/b (truncated to n). */
static void first_difference(const char *x, const char *y, char *a, char *b, size_t n)
{
    while (*x && *y) {
        size_t lx = strcspn(x, "\n"), ly = strcspn(y, "\n");
        if (lx != ly || memcmp(x, y, lx) != 0)
            break;
        x += lx + (x[lx] == '\n');
        y += ly + (y[ly] == '\n');
    }
    snprintf(a, n, "%.*s", (int)strcspn(x, "\n"), *x ? x : "(nothing)");
    snprintf(b, n, "%.*s", (int)strcspn(y, "\n"), *y ? y : "(nothing)");
}

/* The checks of hop_checkpoint_load on the len bytes at buf, which are followed by a
 * NUL and may be changed; path names the file in messages.  Same returns. */
static hop_status parse(unsigned char *buf, size_t len, const char *path, const hop_params *p,
                        hop_checkpoint_state *st, char *msg, size_t msg_len)
{
    size_t at = 0, expected = payload_size(p, st), plen;
    char *want = hop_checkpoint_describe(p);
    char line[512], order[20], version[64];
    unsigned long crc_file;
    hop_status s = HOP_OK;
    if (!want)
        REFUSE("out of memory reading checkpoint '%s'", path);
    if (len < strlen(FORMAT_LINE) || memcmp(buf, "hop-checkpoint ", 15) != 0)
        REFUSE("'%s' is not a hop checkpoint", path);
    if (memcmp(buf, FORMAT_LINE, strlen(FORMAT_LINE)) != 0)
        REFUSE("checkpoint '%s' has another format version (%.*s); this hop reads %.*s", path,
               (int)strcspn((char *)buf, "\n"), (char *)buf, (int)strlen(FORMAT_LINE) - 1,
               FORMAT_LINE);
    if (len < strlen(FORMAT_LINE) + TRAILER_LEN
        || sscanf((char *)buf + len - TRAILER_LEN, "crc32 %8lx", &crc_file) != 1
        || buf[len - 1] != '\n')
        REFUSE("checkpoint '%s' is truncated (no crc32 line at its end)", path);
    if (crc_file != crc32(crc32(0L, Z_NULL, 0), buf, (uInt)(len - TRAILER_LEN)))
        REFUSE("checkpoint '%s' is corrupted (its crc32 does not match its contents)", path);
    len -= TRAILER_LEN;
    at = strlen(FORMAT_LINE);
    if (!next_line(buf, len, &at, line, sizeof line) || sscanf(line, "hop %63s", version) != 1)
        REFUSE("checkpoint '%s': no version line", path);
    if (strcmp(version, HOP_VERSION) != 0)
        REFUSE("checkpoint '%s' was written by hop %s; this is hop %s", path, version,
               HOP_VERSION);
    byte_order(order, sizeof order);
    if (!next_line(buf, len, &at, line, sizeof line) || strncmp(line, "byte-order ", 11) != 0
        || strcmp(line + 11, order) != 0)
        REFUSE("checkpoint '%s' comes from a machine of another byte order", path);
    if (!next_line(buf, len, &at, line, sizeof line) || strcmp(line, "params") != 0)
        REFUSE("checkpoint '%s': no parameters", path);
    {
        const char *end = strstr((char *)buf + at, "end-params\n");
        const size_t n = end ? (size_t)(end - ((char *)buf + at)) : 0;
        if (!end)
            REFUSE("checkpoint '%s': parameters not terminated", path);
        if (n != strlen(want) || memcmp(buf + at, want, n) != 0) {
            char had[160], has[160];
            ((char *)buf)[at + n] = '\0';
            first_difference((char *)buf + at, want, had, has, sizeof had);
            REFUSE("checkpoint '%s' is of other parameters: it has '%s' where this run has '%s'",
                   path, had, has);
        }
        at += n + strlen("end-params\n");
    }
    if (!next_line(buf, len, &at, line, sizeof line)
        || sscanf(line, "state phase %d done %" SCNu64 " %" SCNu64 " phase1-for %" SCNu64
                        " batches %d compute-s %la",
                  &st->phase, &st->done[0], &st->done[1], &st->phase1_for, &st->batches,
                  &st->compute_s) != 6
        || st->phase < 0 || st->phase > 1 || (!st->acc[1] && st->phase != 0))
        REFUSE("checkpoint '%s': unreadable state line", path);
    /* What a run can have done (host/run/run.c): phase 0 stops at --replicas, or with a
     * target at HOP_MAX_REPLICAS; phase 1 runs the companion's replicas for phase 0's, as
     * saved when it began (a whole multiple of them, models/model.h).  A resumed run
     * trusts these counts: more replicas than this would reuse random streams or end
     * with more than the parameters ask for. */
    if (st->done[0] > (p->target_error > 0 ? HOP_MAX_REPLICAS : p->replicas)
        || st->phase1_for > st->done[0]
        || st->done[1] > hop_model_companion_replicas(p, st->phase1_for)
        || (st->phase == 0 && (st->phase1_for != 0 || st->done[1] != 0)) || st->batches < 0
        || !isfinite(st->compute_s) || st->compute_s < 0)
        REFUSE("checkpoint '%s': its state (replicas done, batches, seconds) is not one a "
               "run of these parameters reaches", path);
    if (!next_line(buf, len, &at, line, sizeof line) || sscanf(line, "payload %zu", &plen) != 1
        || plen != expected || len - at != plen)
        REFUSE("checkpoint '%s': the statistics are not of the size these parameters need",
               path);
    read_payload(buf + at, p, st);
done:
    free(want);
    return s;
}

hop_status hop_checkpoint_parse(const unsigned char *buf, size_t len, const char *name,
                                const hop_params *p, hop_checkpoint_state *st, char *msg,
                                size_t msg_len)
{
    unsigned char *copy = malloc(len + 1);
    hop_status s;
    if (!copy) {
        snprintf(msg, msg_len, "out of memory reading checkpoint '%s'", name);
        return HOP_ERR_INVAL;
    }
    if (len)
        memcpy(copy, buf, len);
    copy[len] = '\0';
    s = parse(copy, len, name, p, st, msg, msg_len);
    free(copy);
    return s;
}

hop_status hop_checkpoint_load(const char *path, const hop_params *p,
                               hop_checkpoint_state *st, char *msg, size_t msg_len)
{
    size_t len = 0;
    unsigned char *buf = read_all(path, &len);
    hop_status s;
    if (!buf) {
        snprintf(msg, msg_len, "cannot read checkpoint '%s': %s", path, strerror(errno));
        return HOP_ERR_INVAL;
    }
    s = parse(buf, len, path, p, st, msg, msg_len);
    free(buf);
    return s;
}

hop_status hop_checkpoint_check(const char *path, const hop_params *p, char *msg,
                                size_t msg_len)
{
    hop_checkpoint_state st;
    hop_status s = hop_run_state_alloc(p, &st);
    if (s == HOP_OK)
        s = hop_checkpoint_load(path, p, &st, msg, msg_len);
    else
        snprintf(msg, msg_len, "out of memory reading checkpoint '%s'", path);
    hop_run_state_free(&st);
    return s;
}
