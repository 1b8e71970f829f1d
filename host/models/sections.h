/* sections.h: the summary and JSON sections of the corr and msd estimators (the
 * entries report, json_parameters, json_results of hop_corr_estimator and
 * hop_msd_estimator, models/estimators.c) and of the vacancy-family models that share
 * them (the model entries of vacancy, random and solute).  Each writes into the stream
 * or cJSON object it is given, nothing else (models/model.h). */
#ifndef HOP_MODELS_SECTIONS_H
#define HOP_MODELS_SECTIONS_H

#include <stdio.h>
#include <cjson/cJSON.h>
#include "models/model.h"

/* corr: f at each truncation radius and the lost fraction; its parameters radius and
 * shells. */
void hop_corr_report(FILE *out, const hop_result *r);
void hop_corr_json_parameters(cJSON *o, const hop_params *p);
void hop_corr_json_results(cJSON *o, const hop_result *r);

/* msd: box, D_uncorrelated, D*, D_sigma, the Haven ratio in both conventions, the fit
 * and the finite-size check; its parameters size, time, n_times, fit_from, size_check
 * (the gas's too). */
void hop_msd_report(FILE *out, const hop_result *r);
void hop_msd_json_parameters(cJSON *o, const hop_params *p);
void hop_msd_json_results(cJSON *o, const hop_result *r);

/* The vacancy family: f with its principal components and the isotropy check, the
 * estimator's section, then the physical units when given (their parameters too). */
void hop_vacancy_report(FILE *out, const hop_result *r);
void hop_vacancy_json_parameters(cJSON *o, const hop_params *p);
void hop_vacancy_json_results(cJSON *o, const hop_result *r);

#endif
