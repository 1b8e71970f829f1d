/* choice.c: Walker's alias tables for the unequal-rate choice of the vacancy's jump.
 *
 * The step code must choose jump k of the vacancy's sublattice s with probability
 * rate[s][k] / rate_total[s] at every step.  Walker's alias method (A. J. Walker, ACM
 * TOMS 3, 253 (1977); the O(n) construction of M. D. Vose, IEEE TSE 17, 972 (1991))
 * does it in constant time: N = HOP_CHOICE_COLUMNS equally likely columns, column c
 * keeping jump c with probability t_c and otherwise giving its alias a_c.  The step
 * takes the column from the top HOP_CHOICE_BITS bits of half a word and compares the
 * other 11 with the top of t_c's 59-bit integer numerator T_c (hop_typed_pick): half a
 * word, one table read and a comparison, where the cumulative search it replaces drew
 * two words and walked all z rates.  Everything here is integer arithmetic, so the tables, and the
 * choices made from them, are the same on every host and on the GPU. */
#include <string.h>
#include "lattice/choice.h"

typedef hop_u128 u128;

/* One column's share of 2^64: 2^(64 - HOP_CHOICE_BITS). */
#define COLUMN ((u128)1 << (64 - HOP_CHOICE_BITS))

void hop_lattice_choice_weights(const hop_lattice *L, int s, u128 *q)
{
    u128 rem[HOP_MAX_Z], left = (u128)1 << 64;
    const u128 total = L->rate_total[s];
    for (int k = 0; k < L->z; ++k) {
        const u128 scaled = (u128)L->rate[s][k] << 64;   /* < 2^97 */
        q[k] = scaled / total;
        rem[k] = scaled % total;
        left -= q[k];
    }
    /* left = (sum of rem) / total < z: largest remainders first; each has rem > 0 (the
     * remainders are below total and sum to left times it), so a rate-0 jump gets none. */
    for (; left > 0; --left) {
        int best = 0;
        for (int k = 1; k < L->z; ++k)
            if (rem[k] > rem[best])
                best = k;
        ++q[best];
        rem[best] = 0;
    }
}

/* Jump k of sublattice s as an entry of choice_next (lattice.h). */
static uint16_t next_entry(const hop_lattice *L, int s, int k)
{
    return (uint16_t)(L->jump_sub[s][k] << HOP_CHOICE_TO_SHIFT | (s * HOP_MAX_Z + k));
}

/* Column c of sublattice s keeps jump c with probability T / 2^59 (T < 2^59), else alias. */
static void set_column(hop_lattice *L, int s, int c, u128 T, int alias)
{
    L->choice_cut[s][c] = (uint32_t)(T >> 32) << HOP_CHOICE_BITS | (uint32_t)alias;
    L->choice_cut_low[s][c] = (uint32_t)T;
    L->choice_sub[s][c][0] = (uint8_t)(c < L->z ? L->jump_sub[s][c] : 0);
    L->choice_sub[s][c][1] = (uint8_t)L->jump_sub[s][alias];
    L->choice_next[s][c][1] = next_entry(L, s, alias);
    L->choice_next[s][c][0] = c < L->z ? next_entry(L, s, c) : L->choice_next[s][c][1];
}

/* Vose's construction on the integer weights q (summing to N COLUMN): an under-full
 * column a (q_a < COLUMN) keeps its own weight and is topped up by an over-full one g,
 * whose weight drops by the top-up; columns left when one list empties are exactly full
 * (the weights still to place always sum to COLUMN times their number), and keep
 * themselves.  A weight-0 jump is never over-full, so never an alias. */
static void alias_table(hop_lattice *L, int s, u128 *q)
{
    int under[HOP_CHOICE_COLUMNS], over[HOP_CHOICE_COLUMNS], n_under = 0, n_over = 0;
    for (int c = 0; c < HOP_CHOICE_COLUMNS; ++c) {
        if (q[c] < COLUMN)
            under[n_under++] = c;
        else
            over[n_over++] = c;
    }
    while (n_under > 0 && n_over > 0) {
        const int a = under[--n_under], g = over[n_over - 1];
        set_column(L, s, a, q[a], g);
        q[g] -= COLUMN - q[a];
        if (q[g] < COLUMN) {
            --n_over;
            under[n_under++] = g;
        }
    }
    while (n_over > 0) {
        const int c = over[--n_over];
        set_column(L, s, c, 0, c);       /* full: keeps itself either way */
    }
    while (n_under > 0) {                /* not reached (see above); kept exact anyway */
        const int c = under[--n_under];
        set_column(L, s, c, 0, c);
    }
}

void hop_lattice_derive_choice(hop_lattice *L)
{
    memset(L->choice_cut, 0, sizeof L->choice_cut);
    memset(L->choice_cut_low, 0, sizeof L->choice_cut_low);
    memset(L->choice_sub, 0, sizeof L->choice_sub);
    memset(L->choice_next, 0, sizeof L->choice_next);
    memset(L->residence, 0, sizeof L->residence);
    if (!L->rate_total[0])
        return;
    for (int s = 0; s < L->n_sub && L->rate_total[s]; ++s) {
        u128 q[HOP_CHOICE_COLUMNS] = {0};
        hop_lattice_choice_weights(L, s, q);
        alias_table(L, s, q);
        L->residence[s] = UINT64_MAX / L->rate_total[s];
    }
}
