/* model.h: the contract every model meets, and the registry that holds them.
 *
 * A model (vacancy, random, solute, gas, ...) is one constant table of functions,
 * hop_model, registered in one place (host/models/registry.c).  The run loop, its
 * state, checkpoints, MPI, scans, the summary, JSON and CSV call the table instead of
 * branching on the model.  Adding a model means: its step header in include/hop/ and a
 * kernel, its file here (a hop_model and whatever it needs), its identifier in
 * include/hop/defs.h, and one line in registry.c.
 *
 * Two axes.  How the replicas' integer statistics are gathered and reduced is the
 * estimator (hop_estimator_ops): corr (jump correlations, hop_corr_counts) and msd (the
 * Einstein relation in a periodic box, hop_msd_accum rows) are shared by the
 * vacancy-family models (vacancy, random, solute; models/estimators.c); the lattice gas
 * brings its own (models/gas.c).  A model lists the estimators it offers in
 * estimator[HOP_EST_CORR] and estimator[HOP_EST_MSD] (NULL: not offered); the run uses
 * estimator[p->estimator], so what a model shares and what it owns is visible in its
 * table.
 *
 * The contract, for every entry (rules that hold for all of them first):
 *   - No printing, no exit: errors go through hop_error() (run-time) or, for resolve,
 *     into msg (usage errors, one line naming the parameter).  report and json_*
 *     format into the stream or cJSON object the caller passes and nothing else.
 *   - Bit identity: only integer statistics cross threads and ranks; run_part adds
 *     replica r's outcome from stream (seed, r) whatever the backend, thread count or
 *     slice; estimate reads the integers and nothing else that depends on how they
 *     were gathered.  So a result depends only on (parameters, replicas run).
 *   - Ownership: tables are static constants; pointers passed in stay the caller's;
 *     work allocated by work_alloc is freed by work_free (NULL is a no-op).
 *
 * Mandatory entries (tests/test_models.c checks them): of a model name, help, at least
 * one estimator, resolve, apply, collective_note, report, counts_label, json_parameters,
 * json_results and columns; companion where an estimator has a companion box;
 * msd_rates where it offers hop_msd_estimator.  Optional: step_rates, msd_clock.  Of
 * an estimator: name, shape, work_alloc, work_free, run_part, estimate and
 * json_parameters; the rest as said below.
 *
 * hop_model (per model):
 *   name, help    the --model name, unique among the models, and what `hop run --help`
 *                 says of it (lines after the first indented by 13 spaces).
 *   correlated    1 when successive jumps are correlated through the vacancies (vacancy,
 *                 solute, gas): a box then has a relaxation time (the msd run's default
 *                 length) and a finite-size effect (a smaller companion box bounds
 *                 it); 0 (random jumps) means neither.
 *   estimator[]   above.  At least one is non-NULL.
 *   resolve       called by hop_params_resolve after the common checks (lattice,
 *                 estimator and backend known, backend chosen): fills the zeros the
 *                 model and estimator default and checks every field they use, usage
 *                 errors into msg (HOP_ERR_INVAL).  May change p->estimator (the gas
 *                 uses its own).  Must leave a p that run_part can run.
 *   companion     after phase 0 of a run with rows: whether a smaller companion box
 *                 runs (HOP_COMPANION_RUN; *q is then its resolved parameters: q starts
 *                 as a copy of p, the model sets the size and anything that follows
 *                 from it, and q->replicas to the replicas it runs for a box of
 *                 p->replicas, a whole multiple m of them: one that costs m times
 *                 less per replica may run m times as many (models/estimators.h); the
 *                 run scales it to the replicas its box ran,
 *                 hop_model_companion_replicas), is not needed
 *                 (HOP_COMPANION_NOT_NEEDED: no finite-size effect, biases stay as
 *                 estimated) or cannot run
 *                 (HOP_COMPANION_SKIPPED: the estimator's bias_unbounded marks the
 *                 bias unknown).  NULL: corr-only models (never called for corr).
 *   step_rates    the step code's integer rates for p (hop_rates); NULL: equal rates.
 *   msd_clock     converts mp->time_steps (vacancy steps) to the step code's clock
 *                 units for p and sets mp->time_unit; NULL: the step counter is the
 *                 clock (equal rates).
 *   msd_rates     what the msd reduction needs of the model for the box of mp
 *                 (hop_msd_model, stats/msd.h: the atoms per vacancy, the tracer's
 *                 jump rate, whether D_sigma is defined); mandatory where the model
 *                 offers hop_msd_estimator, NULL elsewhere.
 *   apply         after the run succeeded: derived quantities and physical units
 *                 (models/physics.h) into r from r->params and the estimates.  Pure.
 *   collective_note  why D_sigma is undefined where the model has none (the msd
 *                 section says so when D_sigma is NaN).
 *   report        writes the model's part of the summary (everything between the
 *                 header and "how it ran") to out.
 *   counts_label  the words for the final line: "tracer jumps", "vacancy steps",
 *                 "steps/s" (the gas: jumps, attempts, attempts/s).
 *   json_parameters, json_results
 *                 add the model's keys to the JSON "parameters" object (after the
 *                 common ones and the estimator's) and fill the "results" object
 *                 (and, with physical units, the SI keys); o is the caller's.
 *   columns       the model's columns of a scan's CSV row (hop_model_columns; NaN
 *                 where it has none: start from hop_model_columns_none).
 *   exact_check   the exact solver (stats/exact.c, run/exact_run.c: one vacancy and one
 *                 tracer or solute, a Markov chain solved on boxes of growing size)
 *                 covers this model: checks p for it as a corr run would check it and
 *                 resolves in p what the exact run uses (physical units, and the rates
 *                 that follow from them), usage errors into msg (HOP_ERR_INVAL); the
 *                 rates it solves with are step_rates' (NULL: the lattice's own), and
 *                 apply converts its f to physical units as a corr run's.  NULL: the
 *                 model is not covered (many bodies, or nothing to solve).
 *   verdict       the judgement on a finished r where the model has more to judge
 *                 than its estimator (the gas: its drifts; models/verdict.h); NULL:
 *                 the estimator's.
 *   Why the sections are functions here and not in output/: a model's quantities are
 *   its own (the solute's f2 and Manning's f2, the gas's Theta and D_chem), so the
 *   model that computes them also says how they read; output/ writes the frame (the
 *   header, how the run went, the performance counters) and calls these, so adding a
 *   model touches no file of output/.  They share one way of writing numbers with
 *   errors (models/format.h).
 *
 * hop_estimator_ops (per estimator):
 *   name          "corr" or "msd" (the gas's rows say "msd": the Einstein relation).
 *                 Its defaults and checks are functions the model's resolve calls
 *                 (hop_corr_resolve, hop_msd_resolve: models/estimators.h), since
 *                 they interleave with the model's own.
 *   shape         the integer statistics of a run of resolved p (hop_state_shape);
 *                 run/state.c allocates them, checkpoints save them, MPI sums them.
 *   work_alloc    the constant tables one box needs (step parameters, box tables) for
 *                 resolved p (its size: phase 1 passes the companion's q).
 *                 HOP_ERR_NOMEM reported through hop_error.
 *   run_part      replicas [first, first + n) on p's backend added to st (this rank's
 *                 slice only: the caller sums ranks); *batches, *threads as the
 *                 backends say.  Errors reported.
 *   estimate      the reduction of st into r (f, its groups, the estimator's fields,
 *                 counts); reported errors (e.g. too few replicas); may be called
 *                 after every part, so it replaces what it fills (r->msd included).
 *   bias_from_companion   bounds the biases of r from the companion's estimate check
 *                 (NULL: no companion).
 *   bias_unbounded        marks r's finite-size biases unknown (NULL: nothing to do).
 *   json_parameters   the estimator's JSON parameters; output/json.c adds them after
 *                 the common ones and before the model's.
 *   report, json_results
 *                 the estimator's section of the summary and of the JSON results,
 *                 which the vacancy family's sections call (models/sections.h); the
 *                 gas's estimator leaves them to the gas's own sections (NULL there).
 *   verdict       the judgement on a finished r (models/verdict.h: code and one line
 *                 naming the number, sigma and the option to change); NULL: f's bias
 *                 against its sigma, as msd.
 */
#ifndef HOP_MODELS_MODEL_H
#define HOP_MODELS_MODEL_H

#include <stdio.h>
#include "hop/hop.h"
#include "hop/step.h"
#include "stats/corr.h"
#include "stats/msd.h"

struct cJSON;       /* <cjson/cJSON.h>: the JSON sections write into one */
struct hop_verdict_s;   /* models/verdict.h: hop_verdict */

/* The most replicas a run does (--replicas, and the rounds of --target-error). */
#define HOP_MAX_REPLICAS UINT64_C(1000000000000)
/* A box's (msd, gas, alloy) fewest replicas per point of its time grid: the GLS weights
 * come from the covariance of the same replicas, which biases the slope by
 * O(points / replicas) and makes sigma unreliable below this (resolve refuses fewer;
 * a run stopped by its time limit below it says so in its verdict). */
#define HOP_MIN_REPLICAS_PER_TIME 50

/* The integer statistics of one phase of a run: exactly one member is used. */
typedef struct {
    hop_corr_counts *counts;    /* corr tallies */
    hop_msd_accum *acc;         /* rows (msd, the gas) */
} hop_model_stats;

/* The shape of a run's statistics, which run/state.c allocates: corr tallies of
 * corr_types jump types and corr_shells radii (corr_types > 0), or two phases (the box
 * and its companion) of row accumulators with row_times times and row_groups series
 * groups (row_times > 0). */
typedef struct {
    int corr_types, corr_shells;
    int row_times, row_groups;
} hop_state_shape;

typedef enum {
    HOP_COMPANION_SKIPPED = 0,      /* wanted but cannot run: bias unbounded */
    HOP_COMPANION_RUN = 1,
    HOP_COMPANION_NOT_NEEDED = 2    /* no finite-size effect to bound */
} hop_companion;

typedef struct hop_estimator_ops {
    const char *name;
    void (*shape)(const hop_params *p, hop_state_shape *shape);
    hop_status (*work_alloc)(const hop_params *p, void **work);
    void (*work_free)(void *work);
    hop_status (*run_part)(const hop_params *p, const void *work, uint64_t first, uint64_t n,
                           hop_model_stats *st, int *batches, int *threads);
    hop_status (*estimate)(const hop_params *p, const void *work, const hop_model_stats *st,
                           hop_result *r);
    void (*bias_from_companion)(hop_result *r, const hop_result *check);
    void (*bias_unbounded)(hop_result *r);
    void (*report)(FILE *out, const hop_result *r);
    void (*json_parameters)(struct cJSON *o, const hop_params *p);
    void (*json_results)(struct cJSON *o, const hop_result *r);
    void (*verdict)(const hop_result *r, struct hop_verdict_s *v);
} hop_estimator_ops;

/* The model-specific columns of a scan's CSV row (cli/scan.c), NaN where a model has
 * none, so that every row has the same columns. */
typedef struct {
    double f2_manning, D2_over_Xv;      /* the solute */
    double c, J, pair_energy;           /* the gas: concentration used, J in kT, E in eV */
    hop_estimate D_star, D_sigma;       /* the gas: over D0 (value and stderr written) */
    hop_estimate theta, D_chem;         /* the gas: Theta, D_chem over D0 */
} hop_model_columns;

typedef struct hop_model {
    hop_model_id id;
    const char *name;
    const char *help;
    int correlated;
    const hop_estimator_ops *estimator[2];     /* by hop_estimator */
    hop_status (*resolve)(hop_params *p, char *msg, size_t msg_len);
    hop_companion (*companion)(const hop_params *p, hop_params *q);
    void (*step_rates)(const hop_params *p, hop_rates *R);
    void (*msd_clock)(const hop_params *p, hop_msd_params *mp);
    void (*msd_rates)(const hop_params *p, const hop_msd_params *mp, hop_msd_model *mm);
    void (*apply)(hop_result *r);
    const char *collective_note;
    void (*report)(FILE *out, const hop_result *r);
    const char *counts_label[3];
    void (*json_parameters)(struct cJSON *o, const hop_params *p);
    void (*json_results)(struct cJSON *o, const hop_result *r);
    void (*columns)(const hop_result *r, hop_model_columns *c);
    hop_status (*exact_check)(hop_params *p, char *msg, size_t msg_len);
    void (*verdict)(const hop_result *r, struct hop_verdict_s *v);
} hop_model;

/* Sites of the box of mp: N = cells^d times the basis (models/estimators.c). */
uint64_t hop_msd_box_sites(const hop_lattice *L, const hop_msd_params *mp);

/* ----------------------------------------------------------------- registry --- */

/* Number of registered models and the i-th (0 <= i < count), in registry order. */
int hop_model_count(void);
const hop_model *hop_model_at(int i);
/* The model with identifier id, or NULL. */
const hop_model *hop_model_get(int id);
/* The model named `name`, or NULL. */
const hop_model *hop_model_find(const char *name);
/* The estimator a resolved p runs: its model's estimator[p->estimator]; NULL when the
 * model or the estimator is unknown or not offered. */
const hop_estimator_ops *hop_model_estimator(const hop_params *p);
/* The replicas the companion box of resolved p runs after its box ran `replicas`: its
 * companion entry's q->replicas is a whole multiple m of p->replicas, so m times
 * `replicas`, within HOP_MAX_REPLICAS (`replicas` where m is 1 or no companion runs). */
uint64_t hop_model_companion_replicas(const hop_params *p, uint64_t replicas);
/* Every column NaN (the models without extra columns, and the start of the others). */
void hop_model_columns_none(const hop_result *r, hop_model_columns *c);
/* "vacancy, random, solute, gas": the names in registry order, into buf. */
void hop_model_names(char *buf, size_t n);

#endif
