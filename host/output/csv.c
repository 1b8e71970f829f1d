/* csv.c: the MSD table of an msd run (see output/csv.h), through the atomic
 * file so a failed write never leaves a partial table. */
#include <errno.h>
#include <string.h>
#include "base/atomic_file.h"
#include "output/csv.h"

hop_status hop_msd_csv_write(const char *path, const hop_result *r)
{
    const hop_lattice *L = r->params.lattice;
    hop_atomic_file af;
    hop_status s;
    int bad = 0;
    if (!r->msd || r->n_points <= 0)
        return hop_error(HOP_ERR_INVAL, "no MSD curve to write to '%s' (not an msd run)", path);
    if ((s = hop_atomic_open(path, &af)) != HOP_OK)
        return s;
    bad |= fprintf(af.fp, "# hop %s msd: lattice %s, box %llu sites, %llu replicas, seed %llu;"
                   " t in 1/omega, msd in a^2\n", HOP_VERSION, L ? L->name : "?",
                   (unsigned long long)r->box_sites, (unsigned long long)r->replicas,
                   (unsigned long long)r->params.seed) < 0;
    bad |= fputs("t,msd_tracer,msd_tracer_se,msd_vacancy,msd_vacancy_se,"
                 "msd_collective,msd_collective_se\n", af.fp) == EOF;
    for (int i = 0; i < r->n_points && !bad; ++i) {
        const hop_msd_point *m = &r->msd[i];
        bad |= fprintf(af.fp, "%.10g,%.10g,%.10g,%.10g,%.10g,%.10g,%.10g\n", m->t,
                       m->tracer, m->tracer_se, m->vacancy, m->vacancy_se,
                       m->collective, m->collective_se) < 0;
    }
    if (bad) {
        int e = errno;
        hop_atomic_abort(&af);
        return hop_error(HOP_ERR_IO, "cannot write '%s': %s", path, strerror(e));
    }
    return hop_atomic_commit(&af);
}
