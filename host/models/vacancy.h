/* vacancy.h: what the vacancy-family models (vacancy, random, solute) share beyond the
 * estimators: their resolve, their companion box and their report and JSON sections
 * (models/vacancy.c).  The solute's table (models/solute.c) builds on them. */
#ifndef HOP_MODELS_VACANCY_H
#define HOP_MODELS_VACANCY_H

#include "models/model.h"

/* The estimator's defaults and checks (corr or msd, as p->estimator says), then the
 * physical units' (models/physics.h).  Usage errors into msg. */
hop_status hop_vacancy_family_resolve(hop_params *p, char *msg, size_t msg_len);

/* The msd companion: half the edge when the size check is on and the half box is at
 * least the lattice's smallest; else skipped. */
hop_companion hop_vacancy_half_box(const hop_params *p, hop_params *q);

#endif
