/* json_helper.h: reading the JSON records hop writes (--json), for the tests that
 * compare runs.  hop_test_json parses a whole file (failing the calling Criterion test
 * when it is missing or not JSON); hop_test_results detaches its "results" object, the
 * part that must have the same bits whatever ran it. */
#ifndef HOP_TEST_JSON_HELPER_H
#define HOP_TEST_JSON_HELPER_H

#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <stdlib.h>
#include "proc_helper.h"

static inline cJSON *hop_test_json(const char *path)
{
    char *text = read_whole_file(path);
    cJSON *root;
    cr_assert_not_null(text, "no file %s", path);
    root = cJSON_Parse(text);
    cr_assert_not_null(root, "%s does not parse:\n%s", path, text);
    free(text);
    return root;
}

/* The "results" object of the record at path (the caller deletes it). */
static inline cJSON *hop_test_results(const char *path)
{
    cJSON *root = hop_test_json(path);
    cJSON *results = cJSON_DetachItemFromObject(root, "results");
    cJSON_Delete(root);
    cr_assert_not_null(results, "%s has no results", path);
    return results;
}

#endif
