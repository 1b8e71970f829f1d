#!/usr/bin/env python3
"""check_cpu_env.py CTEST BUILD_DIR: every ctest test not labelled gpu runs with the GPU
hidden (ENVIRONMENT CUDA_VISIBLE_DEVICES=, tests/CMakeLists.txt), so that on a GPU
machine `--backend auto` inside it resolves to the cpu backend.  Reads the registered
tests from `ctest --show-only=json-v1`; exit 1 naming every test that lacks it (or when
the listing holds no gpu test or fewer than 10 others, i.e. it was not read)."""
import json
import subprocess
import sys

ctest, build = sys.argv[1], sys.argv[2]
listing = json.loads(subprocess.run([ctest, "--test-dir", build, "--show-only=json-v1"],
                                    check=True, capture_output=True, text=True).stdout)
gpu, pinned, bad = [], [], []
for test in listing["tests"]:
    props = {p["name"]: p["value"] for p in test.get("properties", [])}
    labels = props.get("LABELS", [])
    if "gpu" in labels:
        gpu.append(test["name"])
    elif "CUDA_VISIBLE_DEVICES=" in props.get("ENVIRONMENT", []):
        pinned.append(test["name"])
    else:
        bad.append(test["name"])
if bad:
    sys.exit("tests that may reach a GPU without the gpu label: " + " ".join(bad))
if not gpu or len(pinned) < 10:
    sys.exit(f"the listing looks wrong: {len(gpu)} gpu tests, {len(pinned)} others")
print(f"{len(pinned)} tests run with the GPU hidden; {len(gpu)} gpu test(s) see it")
