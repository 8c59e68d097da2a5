"""Drain3 baseline for bench/parser_vs_drain3.ts: mines one message per line of a file, prints JSON timings.

Usage: .vigil/venv/bin/python bench/parser_drain3.py CONTENTS_FILE [--masked] [--assign OUT_JSON]
Drain3 runs with its defaults (no masking instructions, its fastest setting), or with `--masked` the masking
instructions of Drain3's own example drain3.ini (IDs, IPs, hex sequences, hex, numbers), closer to what vigil
does. The file is read into memory before timing, so only mining is timed (vigil's figure also includes line
splitting and format parsing). `--assign OUT_JSON` also writes each line's cluster id and every cluster's final
template (for the accuracy comparison of bench/parser_generalisation.ts).
"""
import json
import sys
import time

from drain3 import TemplateMiner
from drain3.masking import MaskingInstruction
from drain3.template_miner_config import TemplateMinerConfig

DRAIN3_EXAMPLE_MASKS = [
    (r"((?<=[^A-Za-z0-9])|^)(([0-9a-f]{2,}:){3,}([0-9a-f]{2,}))((?=[^A-Za-z0-9])|$)", "ID"),
    (r"((?<=[^A-Za-z0-9])|^)(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})((?=[^A-Za-z0-9])|$)", "IP"),
    (r"((?<=[^A-Za-z0-9])|^)([0-9a-f]{6,} ?){3,}((?=[^A-Za-z0-9])|$)", "SEQ"),
    (r"((?<=[^A-Za-z0-9])|^)([0-9A-F]{4} ?){4,}((?=[^A-Za-z0-9])|$)", "SEQ"),
    (r"((?<=[^A-Za-z0-9])|^)(0x[a-f0-9A-F]+)((?=[^A-Za-z0-9])|$)", "HEX"),
    (r"((?<=[^A-Za-z0-9])|^)([\-\+]?\d+)((?=[^A-Za-z0-9])|$)", "NUM"),
]

with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
    lines = f.read().split("\n")
if lines and lines[-1] == "":
    lines.pop()
config = TemplateMinerConfig()
config.profiling_enabled = False
if "--masked" in sys.argv[2:]:
    config.masking_instructions = [MaskingInstruction(p, m) for p, m in DRAIN3_EXAMPLE_MASKS]
miner = TemplateMiner(config=config)
start = time.perf_counter()
cpu_start = time.process_time()
assigned = []
for line in lines:
    assigned.append(miner.add_log_message(line)["cluster_id"])
cpu_seconds = time.process_time() - cpu_start
seconds = time.perf_counter() - start
print(json.dumps({"lines": len(lines), "seconds": seconds, "cpuSeconds": cpu_seconds, "clusters": len(miner.drain.clusters)}))
if "--assign" in sys.argv[2:]:
    with open(sys.argv[sys.argv.index("--assign") + 1], "w", encoding="utf-8") as out:
        json.dump({"clusterIds": assigned, "templates": {str(c.cluster_id): c.get_template() for c in miner.drain.clusters}}, out)
