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

# The class-data archives (JDK 17-24: cli/target/nnc-<JDK>-<hash>.jsa) or AOT caches (JDK 25+:
# .aot) of the JDK in JAVA_HOME (else the java on the PATH): made and used, the trained bits the
# same as without one, a stale one made again, a damaged one ignored (the same output, exit 0).
archive_checks() { # archive_checks LABEL EXTENSION
  local label="$1" ext="$2" made newest
  rm -f "$repo"/cli/target/nnc-*."$ext"
  "$work/bin/nnc" train "$repo/samples/xor/xor.nn" --out "$work/runs-$ext" --plot none >/dev/null 2>&1
  "$work/bin/nnc" check "$repo/samples/xor/xor.nn" >"$work/check-$ext.txt" 2>&1
  made="$(find "$repo/cli/target" -maxdepth 1 -name "nnc-*.$ext" -newer "$repo/cli/target/nnc.jar" | wc -l)"
  check "$label: the first train and check made their two .$ext files" 0 '^2$' -- echo "$made"
  NNC_CDS=off "$work/bin/nnc" train "$repo/samples/xor/xor.nn" --out "$work/runs-$ext-off" --plot none >/dev/null 2>&1
  "$work/bin/nnc" train "$repo/samples/xor/xor.nn" --out "$work/runs-$ext-on" --plot none >/dev/null 2>&1
  check "$label: trained with the .$ext file, the same weights as without" 0 '' -- \
    cmp "$work/runs-$ext-on/Xor.npz" "$work/runs-$ext-off/Xor.npz"
  check "$label: the same weights as the first run, which made it" 0 '' -- \
    cmp "$work/runs-$ext-on/Xor.npz" "$work/runs-$ext/Xor.npz"
  if [ "$ext" = aot ]; then
    check "$label: check opens the AOT cache" 0 'Opened AOT cache .*/cli/target/nnc-[0-9]+-[0-9]+-[0-9]+\.aot' -- \
      env NNC_JAVA_OPTS=-Xlog:aot "$work/bin/nnc" check "$repo/samples/xor/xor.nn"
    check "$label: check's classes are linked ahead of time" 0 'Using AOT-linked classes: true' -- \
      env NNC_JAVA_OPTS=-Xlog:aot "$work/bin/nnc" check "$repo/samples/xor/xor.nn"
  fi
  for archive in "$repo"/cli/target/nnc-*."$ext"; do
    touch -d '2000-01-01' "$archive"
  done
  "$work/bin/nnc" check "$repo/samples/xor/xor.nn" >/dev/null 2>&1
  newest="$(find "$repo/cli/target" -maxdepth 1 -name "nnc-*.$ext" -newer "$repo/cli/target/nnc.jar" | wc -l)"
  check "$label: a .$ext file older than the jar is made again" 0 '^1$' -- echo "$newest"
  # three first runs at once: each makes its own under a temporary name, checks it and renames it
  rm -f "$repo"/cli/target/nnc-*."$ext"
  for i in 1 2 3; do
    "$work/bin/nnc" check "$repo/samples/xor/xor.nn" >"$work/at-once-$i.txt" 2>&1 &
  done
  wait
  check "$label: three first runs at once print the same" 0 '' -- \
    sh -c 'cmp "$1" "$2" && cmp "$1" "$3" && cmp "$1" "$4"' _ "$work/check-$ext.txt" \
    "$work/at-once-1.txt" "$work/at-once-2.txt" "$work/at-once-3.txt"
  check "$label: and leave whole .$ext files only (their sizes as named), no temporary ones" 0 '^ok$' -- \
    sh -c 'n=0; for f in "$1"/nnc-*; do case "$f" in *."$2") s="${f##*-}"; [ "$(wc -c <"$f")" = "${s%.*}" ] || exit 1; n=$((n + 1)) ;; *.tmp | *.conf) exit 1 ;; esac; done; [ "$n" -ge 1 ] && echo ok' _ \
    "$repo/cli/target" "$ext"
  # cut short (a full disk, a copy interrupted): the launcher sees that its size is not its name's
  # and makes it again; overwritten with as many random bytes: the JVM refuses it
  for damage in truncated empty garbage; do
    for archive in "$repo"/cli/target/nnc-*."$ext"; do
      case "$damage" in
        truncated) head -c 100000 "$archive" >"$work/part" && cat "$work/part" >"$archive" ;;
        empty) : >"$archive" ;;
        garbage) head -c "$(wc -c <"$archive")" /dev/urandom >"$work/part" && cat "$work/part" >"$archive" ;;
      esac
    done
    check "$label: with a $damage .$ext file, check prints the same (no warning, no crash)" 0 '' -- \
      diff "$work/check-$ext.txt" <("$work/bin/nnc" check "$repo/samples/xor/xor.nn" 2>&1)
    check "$label: with a $damage .$ext file, train gives the same weights" 0 '' -- \
      sh -c '"$1" train "$2" --out "$3" --plot none >/dev/null 2>&1 && cmp "$3/Xor.npz" "$4"' _ \
      "$work/bin/nnc" "$repo/samples/xor/xor.nn" "$work/runs-$ext-$damage" "$work/runs-$ext-off/Xor.npz"
    if [ "$damage" != garbage ]; then
      check "$label: a $damage .$ext file is made again" 0 '' -- \
        sh -c 'for f in "$1"/nnc-*."$2"; do [ "$(wc -c <"$f")" -gt 100000 ] || exit 1; done' _ \
        "$repo/cli/target" "$ext"
    fi
  done
  rm -f "$repo"/cli/target/nnc-*."$ext" # made again by the next run
}
java_home_was="${JAVA_HOME-none}"
unset JAVA_HOME
default_feature="$(java -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -n 1)"
if [ "${default_feature:-0}" -ge 25 ]; then
  archive_checks "JDK $default_feature (the default)" aot
else
  archive_checks "JDK $default_feature (the default)" jsa
fi
if [ "$java_home_was" != none ]; then
  export JAVA_HOME="$java_home_was"
fi

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
  archive_checks "JDK 25" aot
  unset JAVA_HOME
  rm -f "$repo/cli/target/nnc.jar" # the next ./nnc builds again with the default JDK
else
  echo "skip  the tour on JDK 25: no JDK at $jdk25"
fi

echo "launcher: $passed passed, $failed failed"
[ "$failed" = 0 ]
