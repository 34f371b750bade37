#!/usr/bin/env bash
# The LeNet-5 step (samples/lenet/lenet5.nn, batch 64, 1 thread) from one or more builds of nnc's
# command line, in f64 and f32, then PyTorch's peer (bench/lenet5_torch.py), in one run: on a
# shared machine only figures of one run compare. Usage, from the repository's root:
#   cp cli/target/nnc.jar /tmp/a.jar; …change, rebuild…; bench/lenet5-ab.sh /tmp/a.jar cli/target/nnc.jar
# Prints the load average before and after. PyTorch: Debian's python3-torch (/usr/bin/python3).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$root/samples/lenet/lenet5.nn" "$work/lenet5.nn"
sed 's/^network LeNet5 {/network LeNet5Float {\n    precision float/' "$root/samples/lenet/lenet5.nn" \
  > "$work/lenet5_float.nn"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for model in lenet5.nn lenet5_float.nn; do
  for jar in "$@"; do
    java --add-modules jdk.incubator.vector -jar "$jar" bench "$work/$model" --batch 64 --threads 1 \
        --warmup 30000 --time 8000 2>/dev/null | grep generated | sed "s#^#$jar $model: #"
  done
done
/usr/bin/python3 "$root/bench/lenet5_torch.py"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
