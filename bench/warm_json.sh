#!/usr/bin/env bash
# Warm `query --touches autoreceptor -f json` on a synthetic folder, new renderer against the old one
# (json.dumps patched back in) in the same run, outputs compared byte for byte.
#   python bench/synth.py 1000000 /tmp/skb/syn-1e6 && bash bench/warm_json.sh /tmp/skb/syn-1e6
set -euo pipefail
S=${1:?data folder}; export SEROKG_INDEX=${SEROKG_INDEX:-$(mktemp -d)/index.sqlite}
out=$(mktemp -d)
/usr/bin/time -f "index %e s %M KB" serokg index --data "$S"
for i in 1 2; do
    /usr/bin/time -f "old renderer %e s %M KB" python -c "
import json, serokg.cli.output as o
o._dumps = lambda v, i: json.dumps(v, ensure_ascii=False, indent=i)
from serokg.cli.main import run; run()" query --touches autoreceptor --format json --data "$S" > "$out/old.json"
    /usr/bin/time -f "new renderer %e s %M KB" serokg query --touches autoreceptor --format json --data "$S" > "$out/new.json"
done
cmp "$out/old.json" "$out/new.json" && echo "outputs identical"
