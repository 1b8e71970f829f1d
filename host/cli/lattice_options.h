/* lattice_options.h: the lattice's rates and site energies from the command line,
 * `--rate CLASS=VALUE` and `--site-energy LABEL=VALUE[eV]` of `hop run` and `hop scan`
 * (cli/lattice_options.c).
 *
 * They override the jump-class rate prefactors R_c and the vacancy's site energies E_s
 * of the lattice a run uses (built-in or file; the rule Gamma = R_c exp(-B_c - (E_t -
 * E_s)/2) is lattice/rates.h's) on a private copy, whose integer rates are then derived
 * again with the temperature of --T.  Copies are kept for the life of the process,
 * one per distinct content, so a hop_params may point at one as at a built-in and two
 * points of a scan with the same effective lattice share one pointer. */
#ifndef HOP_CLI_LATTICE_OPTIONS_H
#define HOP_CLI_LATTICE_OPTIONS_H

#include "hop/hop.h"

/* At most this many distinct overridden lattices in one process (a scan's grid over
 * rates and energies; each is a copy of hop_lattice). */
#define HOP_LATTICE_COPIES_MAX 4096

/* One NAME=VALUE of --rate (a class's R) or --site-energy (a sublattice's E). */
typedef struct {
    char name[HOP_LABEL_LEN];
    double value;          /* R > 0; or E in kT, or in eV when ev */
    int ev;                /* --site-energy LABEL=VALUEeV: needs --T */
} hop_lattice_setting;

/* The --rate and --site-energy options of one command line, in the order given. */
typedef struct {
    hop_lattice_setting rate[HOP_MAX_CLASSES];
    int n_rates;
    hop_lattice_setting energy[HOP_MAX_SUB];
    int n_energies;
} hop_lattice_settings;

/* Parses the value `arg` of option `opt` ("--rate" or "--site-energy", rate selects
 * which) into s: NAME=VALUE with NAME 1 to 15 letters, digits or '_'; a rate is P/Q or a
 * decimal in (0, 1e30]; an energy a decimal in kT within +-1000, or with the suffix
 * "eV" within +-100 eV.  The same name twice is an error, as a repeated option is.
 * Returns HOP_OK, or HOP_ERR_INVAL with the usage error's one line in msg (n bytes). */
hop_status hop_lattice_setting_parse(const char *opt, int rate, const char *arg,
                                     hop_lattice_settings *s, char *msg, size_t n);

/* The lattice a run with settings s at temperature T (K; 0: not given) uses instead of
 * *lattice: a private copy with the settings applied and its rates derived again
 * (hop_lattice_apply_rates' rule with kT = k_B T), stored for the life of the process.
 * Also done without settings when the lattice gives an energy or barrier in eV, which
 * waits for --T; otherwise *lattice is left as it is.  An isotropic lattice whose new
 * rates and energies break the isotropy of its jump network's second moment is
 * isotropic no more (f is reported per axis).  Names the lattice does not have
 * (the message lists the valid ones), eV without --T and rates beyond the integer
 * rates' range are refused: HOP_ERR_INVAL with the usage error's one line in msg and
 * *lattice untouched.  Returns HOP_OK otherwise. */
hop_status hop_lattice_settings_apply(const hop_lattice_settings *s, double T,
                                      const hop_lattice **lattice, char *msg, size_t n);

/* Frees every copy made by hop_lattice_settings_apply; pointers to them become invalid.
 * For fuzz targets, which parse millions of command lines in one process. */
void hop_lattice_copies_clear(void);

#endif
