"""Drain3 baseline for bench/parser_vs_drain3.ts: mines one message per line of a file, prints JSON timings.

Usage: .vigil/venv/bin/python bench/parser_drain3.py CONTENTS_FILE
Drain3 runs with its defaults (no masking instructions, which is its fastest setting); the file is read into
memory before timing, so only mining is timed (vigil's figure also includes line splitting and format parsing).
"""
import json
import sys
import time

from drain3 import TemplateMiner
from drain3.template_miner_config import TemplateMinerConfig

with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
    lines = f.read().split("\n")
if lines and lines[-1] == "":
    lines.pop()
config = TemplateMinerConfig()
config.profiling_enabled = False
miner = TemplateMiner(config=config)
start = time.perf_counter()
for line in lines:
    miner.add_log_message(line)
seconds = time.perf_counter() - start
print(json.dumps({"lines": len(lines), "seconds": seconds, "clusters": len(miner.drain.clusters)}))
