#!/usr/bin/env bash
# Checks ./nnc as a new user meets it: through a symlink from another folder, with JAVA_HOME chosen
# (JDK 25 when installed: the tour's commands run on it), and with a JDK that is too old or missing.
# Prints one line per check and "launcher: N passed, M failed"; exits 1 when a check failed.
# Usage: scripts/check-launcher.sh [JDK25_HOME]   (default /usr/lib/jvm/temurin-25-jdk-amd64)
set -uo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
jdk25="${1:-/usr/lib/jvm/temurin-25-jdk-amd64}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

check() { # check NAME EXPECTED_CODE REGEX -- COMMAND...
  local name="$1" want="$2" regex="$3"
  shift 4
  local out code
  out="$("$@" 2>&1)"
  code=$?
  if [ "$code" = "$want" ] && grep -Eq -- "$regex" <<<"$out"; then
    echo "ok    $name"
    passed=$((passed + 1))
  else
    echo "FAIL  $name: exit $code (wanted $want), output:"
    sed 's/^/      /' <<<"$out" | tail -n 20
    failed=$((failed + 1))
  fi
}

mkdir -p "$work/bin" "$work/elsewhere" "$work/old-jdk/bin"
ln -s "$repo/nnc" "$work/bin/nnc"
cd "$work/elsewhere" || exit 2

check "through a symlink, from another folder" 0 '^nnc [0-9]+\.[0-9]+' -- \
  env -u JAVA_HOME "$work/bin/nnc" --version

# a JDK that is too old: named, with what to do, exit 2
cat >"$work/old-jdk/bin/java" <<'JAVA'
#!/bin/sh
echo 'openjdk version "11.0.22" 2024-01-16' >&2
JAVA
chmod +x "$work/old-jdk/bin/java"
check "JAVA_HOME with a JDK 11 is refused" 2 'needs a JDK 17 or newer, but .*old-jdk/bin/java is version 11\.0\.22' -- \
  env JAVA_HOME="$work/old-jdk" "$work/bin/nnc" --version
check "JAVA_HOME that is not a JDK is refused" 2 'JAVA_HOME is /nonexistent' -- \
  env JAVA_HOME=/nonexistent "$work/bin/nnc" --version

if [ -x "$jdk25/bin/java" ]; then
  # the tour on JDK 25: builds with it (the jar is older than nothing, so force a rebuild) and runs
  rm -f "$repo/cli/target/nnc.jar"
  export JAVA_HOME="$jdk25"
  check "JDK 25: builds and says so" 0 'Java 25' -- "$work/bin/nnc" --version
  check "JDK 25: check" 0 '17 parameters|parameters.*17' -- "$work/bin/nnc" check "$repo/samples/xor/xor.nn"
  check "JDK 25: explain" 0 'dW_out' -- "$work/bin/nnc" explain "$repo/samples/xor/xor.nn"
  check "JDK 25: train" 0 'epoch +2000 +loss' -- \
    "$work/bin/nnc" train "$repo/samples/xor/xor.nn" --out "$work/runs" --plot none
  printf '0,0,0\n0,1,1\n1,0,1\n1,1,0\n' >"$work/xor.csv"
  check "JDK 25: predict" 0 'accuracy +100\.00%' -- \
    "$work/bin/nnc" predict "$repo/samples/xor/xor.nn" --weights "$work/runs/Xor.npz" --data "$work/xor.csv"
  unset JAVA_HOME
  rm -f "$repo/cli/target/nnc.jar" # the next ./nnc builds again with the default JDK
else
  echo "skip  the tour on JDK 25: no JDK at $jdk25"
fi

echo "launcher: $passed passed, $failed failed"
[ "$failed" = 0 ]
