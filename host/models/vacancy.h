/* vacancy.h: what the vacancy-family models (vacancy, random, solute) share beyond the
 * estimators: their resolve and their report and JSON sections (models/vacancy.c; the
 * msd companion box is the estimator's, hop_msd_companion).  The solute's table
 * (models/solute.c) builds on them. */
#ifndef HOP_MODELS_VACANCY_H
#define HOP_MODELS_VACANCY_H

#include "models/model.h"

/* The estimator's defaults and checks (corr or msd, as p->estimator says), then the
 * physical units' (models/physics.h).  Usage errors into msg. */
hop_status hop_vacancy_family_resolve(hop_params *p, char *msg, size_t msg_len);

#endif
