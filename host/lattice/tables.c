/* tables.c: the twelve built-in lattices, as data (see include/hop/lattice.h).
 *
 * Coordinates are integers in a lattice basis chosen so that every site is an integer
 * vector and the conventional cell is diagonal:
 *   chain, square, sc      units of a, Cartesian
 *   bcc, fcc               units of a/2, Cartesian
 *   diamond                units of a/4, Cartesian (fcc sites A plus A + (1,1,1))
 *   triangular             basis a1 = (1,0), a2 = (1/2, sqrt3/2), units of a
 *   honeycomb              the triangular basis in units of a/3; A at (0,0), B at (1,1)
 *   hcp (ideal c/a)        a1 = (1,0,0), a2 = (-1/2, sqrt3/2, 0) in units of a/3, c in
 *                          units of c/2 = a sqrt(2/3); A at (0,0,0), B at (1,2,1)
 *   kagome                 the triangular basis in units of a/2 (a: the Bravais lattice
 *                          constant, twice the nearest-neighbour distance); corner-sharing
 *                          triangles, sites A (0,0), B (1,0), C (0,1); z = 4
 *   pyrochlore             units of a/4, Cartesian: the 16c (or 16d) sites of spinel,
 *                          corner-sharing tetrahedra, fcc translations plus A (0,0,0),
 *                          B (0,1,1), C (1,0,1), D (1,1,0); z = 6 at a sqrt2/4
 *   perovskite-O           units of a/2, Cartesian: the O sublattice of cubic ABO3, X at
 *                          (0,1,1), Y (1,0,1), Z (1,1,0) (labelled by the axis the B-O bond
 *                          runs along); z = 8 at a/sqrt2
 * Each sublattice of kagome, pyrochlore and perovskite-O alone has an anisotropic second
 * moment of its jumps; the whole network's is isotropic (hop_lattice_moment_isotropic).
 * `cart`, `weight` and `metric_den` give Cartesian components and lengths exactly
 * (lattice.h).  Only the fields named here are written; hop_lattice_finish derives
 * the rest and checks the table. */
#include "lattice/impl.h"

const hop_lattice hop_lattice_tables[HOP_N_LATTICES] = {
    {   .name = "chain", .cell_name = "1 site", .dim = 1, .z = 2, .n_sub = 1,
        .cell = {1, 1, 1}, .n_basis = 1, .basis = {{0, 0, 0}}, .basis_sub = {0},
        .jump = {{{1, 0, 0}, {-1, 0, 0}}},
        .cart = {{1, 0, 0}, {0, 0, 0}, {0, 0, 0}}, .weight = {1, 0, 0}, .metric_den = 1,
        .n_groups = 1, .group_of_axis = {0, 0, 0}, .group_name = {"x"}, .isotropic = 1 },
    {   .name = "square", .cell_name = "square", .dim = 2, .z = 4, .n_sub = 1,
        .cell = {1, 1, 1}, .n_basis = 1, .basis = {{0, 0, 0}}, .basis_sub = {0},
        .jump = {{{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}}},
        .cart = {{1, 0, 0}, {0, 1, 0}, {0, 0, 0}}, .weight = {1, 1, 0}, .metric_den = 1,
        .n_groups = 2, .group_of_axis = {0, 1, 0}, .group_name = {"x", "y"}, .isotropic = 1 },
    {   .name = "triangular", .cell_name = "rhombic", .dim = 2, .z = 6, .n_sub = 1,
        .cell = {1, 1, 1}, .n_basis = 1, .basis = {{0, 0, 0}}, .basis_sub = {0},
        .jump = {{{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {1, -1, 0}, {-1, 1, 0}}},
        .cart = {{2, 1, 0}, {0, 1, 0}, {0, 0, 0}}, .weight = {1, 3, 0}, .metric_den = 4,
        .n_groups = 2, .group_of_axis = {0, 1, 0}, .group_name = {"x", "y"}, .isotropic = 1 },
    {   .name = "honeycomb", .cell_name = "rhombic", .dim = 2, .z = 3, .n_sub = 2,
        .cell = {3, 3, 1}, .n_basis = 2, .basis = {{0, 0, 0}, {1, 1, 0}}, .basis_sub = {0, 1},
        .jump = {{{1, 1, 0}, {1, -2, 0}, {-2, 1, 0}},
                 {{-1, -1, 0}, {-1, 2, 0}, {2, -1, 0}}},
        .cart = {{2, 1, 0}, {0, 1, 0}, {0, 0, 0}}, .weight = {1, 3, 0}, .metric_den = 36,
        .n_groups = 2, .group_of_axis = {0, 1, 0}, .group_name = {"x", "y"}, .isotropic = 1 },
    {   .name = "sc", .cell_name = "cubic", .dim = 3, .z = 6, .n_sub = 1,
        .cell = {1, 1, 1}, .n_basis = 1, .basis = {{0, 0, 0}}, .basis_sub = {0},
        .jump = {{{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}}},
        .cart = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, .weight = {1, 1, 1}, .metric_den = 1,
        .n_groups = 3, .group_of_axis = {0, 1, 2}, .group_name = {"x", "y", "z"}, .isotropic = 1 },
    {   .name = "bcc", .cell_name = "cubic", .dim = 3, .z = 8, .n_sub = 1,
        .cell = {2, 2, 2}, .n_basis = 2, .basis = {{0, 0, 0}, {1, 1, 1}}, .basis_sub = {0, 0},
        .jump = {{{1, 1, 1}, {-1, -1, -1}, {1, 1, -1}, {-1, -1, 1},
                  {1, -1, 1}, {-1, 1, -1}, {-1, 1, 1}, {1, -1, -1}}},
        .cart = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, .weight = {1, 1, 1}, .metric_den = 4,
        .n_groups = 3, .group_of_axis = {0, 1, 2}, .group_name = {"x", "y", "z"}, .isotropic = 1 },
    {   .name = "fcc", .cell_name = "cubic", .dim = 3, .z = 12, .n_sub = 1,
        .cell = {2, 2, 2}, .n_basis = 4,
        .basis = {{0, 0, 0}, {0, 1, 1}, {1, 0, 1}, {1, 1, 0}}, .basis_sub = {0, 0, 0, 0},
        .jump = {{{1, 1, 0}, {-1, -1, 0}, {1, -1, 0}, {-1, 1, 0},
                  {1, 0, 1}, {-1, 0, -1}, {1, 0, -1}, {-1, 0, 1},
                  {0, 1, 1}, {0, -1, -1}, {0, 1, -1}, {0, -1, 1}}},
        .cart = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, .weight = {1, 1, 1}, .metric_den = 4,
        .n_groups = 3, .group_of_axis = {0, 1, 2}, .group_name = {"x", "y", "z"}, .isotropic = 1 },
    {   .name = "diamond", .cell_name = "cubic", .dim = 3, .z = 4, .n_sub = 2,
        .cell = {4, 4, 4}, .n_basis = 8,
        .basis = {{0, 0, 0}, {0, 2, 2}, {2, 0, 2}, {2, 2, 0},
                  {1, 1, 1}, {1, 3, 3}, {3, 1, 3}, {3, 3, 1}},
        .basis_sub = {0, 0, 0, 0, 1, 1, 1, 1},
        .jump = {{{1, 1, 1}, {1, -1, -1}, {-1, 1, -1}, {-1, -1, 1}},
                 {{-1, -1, -1}, {-1, 1, 1}, {1, -1, 1}, {1, 1, -1}}},
        .cart = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, .weight = {1, 1, 1}, .metric_den = 16,
        .n_groups = 3, .group_of_axis = {0, 1, 2}, .group_name = {"x", "y", "z"}, .isotropic = 1 },
    {   .name = "hcp", .cell_name = "hexagonal", .dim = 3, .z = 12, .n_sub = 2,
        .cell = {3, 3, 2}, .n_basis = 2, .basis = {{0, 0, 0}, {1, 2, 1}}, .basis_sub = {0, 1},
        .jump = {{{3, 0, 0}, {-3, 0, 0}, {0, 3, 0}, {0, -3, 0}, {3, 3, 0}, {-3, -3, 0},
                  {1, 2, 1}, {1, -1, 1}, {-2, -1, 1}, {1, 2, -1}, {1, -1, -1}, {-2, -1, -1}},
                 {{3, 0, 0}, {-3, 0, 0}, {0, 3, 0}, {0, -3, 0}, {3, 3, 0}, {-3, -3, 0},
                  {-1, -2, 1}, {-1, 1, 1}, {2, 1, 1}, {-1, -2, -1}, {-1, 1, -1}, {2, 1, -1}}},
        .cart = {{2, -1, 0}, {0, 1, 0}, {0, 0, 1}}, .weight = {1, 3, 24}, .metric_den = 36,
        .n_groups = 2, .group_of_axis = {0, 0, 1}, .group_name = {"x", "z"}, .isotropic = 0 },
    {   .name = "kagome", .cell_name = "rhombic", .dim = 2, .z = 4, .n_sub = 3,
        .cell = {2, 2, 1}, .n_basis = 3, .basis = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}},
        .basis_sub = {0, 1, 2},
        .jump = {{{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}},
                 {{1, 0, 0}, {-1, 0, 0}, {-1, 1, 0}, {1, -1, 0}},
                 {{0, 1, 0}, {0, -1, 0}, {1, -1, 0}, {-1, 1, 0}}},
        .cart = {{2, 1, 0}, {0, 1, 0}, {0, 0, 0}}, .weight = {1, 3, 0}, .metric_den = 16,
        .n_groups = 2, .group_of_axis = {0, 1, 0}, .group_name = {"x", "y"}, .isotropic = 1 },
    {   .name = "pyrochlore", .cell_name = "cubic", .dim = 3, .z = 6, .n_sub = 4,
        .cell = {4, 4, 4}, .n_basis = 16,
        .basis = {{0, 0, 0}, {0, 2, 2}, {2, 0, 2}, {2, 2, 0},
                  {0, 1, 1}, {0, 3, 3}, {2, 1, 3}, {2, 3, 1},
                  {1, 0, 1}, {1, 2, 3}, {3, 0, 3}, {3, 2, 1},
                  {1, 1, 0}, {1, 3, 2}, {3, 1, 2}, {3, 3, 0}},
        .basis_sub = {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3},
        .jump = {{{0, 1, 1}, {0, -1, -1}, {1, 0, 1}, {-1, 0, -1}, {1, 1, 0}, {-1, -1, 0}},
                 {{0, 1, 1}, {0, -1, -1}, {1, -1, 0}, {-1, 1, 0}, {1, 0, -1}, {-1, 0, 1}},
                 {{1, 0, 1}, {-1, 0, -1}, {1, -1, 0}, {-1, 1, 0}, {0, 1, -1}, {0, -1, 1}},
                 {{1, 1, 0}, {-1, -1, 0}, {1, 0, -1}, {-1, 0, 1}, {0, 1, -1}, {0, -1, 1}}},
        .cart = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, .weight = {1, 1, 1}, .metric_den = 16,
        .n_groups = 3, .group_of_axis = {0, 1, 2}, .group_name = {"x", "y", "z"}, .isotropic = 1 },
    {   .name = "perovskite-O", .cell_name = "cubic", .dim = 3, .z = 8, .n_sub = 3,
        .cell = {2, 2, 2}, .n_basis = 3, .basis = {{0, 1, 1}, {1, 0, 1}, {1, 1, 0}},
        .basis_sub = {0, 1, 2},  .sub_name = {"X", "Y", "Z"},
        .jump = {{{1, 1, 0}, {-1, -1, 0}, {1, -1, 0}, {-1, 1, 0},
                  {1, 0, 1}, {-1, 0, -1}, {1, 0, -1}, {-1, 0, 1}},
                 {{1, 1, 0}, {-1, -1, 0}, {1, -1, 0}, {-1, 1, 0},
                  {0, 1, 1}, {0, -1, -1}, {0, 1, -1}, {0, -1, 1}},
                 {{1, 0, 1}, {-1, 0, -1}, {1, 0, -1}, {-1, 0, 1},
                  {0, 1, 1}, {0, -1, -1}, {0, 1, -1}, {0, -1, 1}}},
        .cart = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, .weight = {1, 1, 1}, .metric_den = 4,
        .n_groups = 3, .group_of_axis = {0, 1, 2}, .group_name = {"x", "y", "z"}, .isotropic = 1 },
};
