#!/usr/bin/env bash
# Wall-clock benchmark: how the cdk.json app command and the test suite spend time.
# Usage: bash bench/synth.sh [runs]   (default 3). Prints median seconds per variant; compare
# ratios within one run, the machine is noisy.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs="${1:-3}"
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=1
main=dev.o11ycdk.app.O11yApp
out="$(mktemp -d)"
trap 'rm -rf "${out}"' EXIT

mvn -q -B -ntp -pl lib,app -am install -DskipTests
cp="app/target/classes:$(cat app/target/classpath.txt)"
context="$(python3 -c 'import json;print(json.dumps(json.load(open("cdk.json"))["context"]))')"

median() {
  sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

# time_it LABEL COMMAND...: runs the command $runs times, prints the median wall time.
time_it() {
  local label="$1" t0 t1
  shift
  for _ in $(seq "${runs}"); do
    t0="$(date +%s.%N)"
    "$@" >/dev/null 2>&1
    t1="$(date +%s.%N)"
    echo "${t1} - ${t0}" | bc
  done | median | xargs printf '%-58s %6.2f s\n' "${label}"
}

app_java() {
  CDK_OUTDIR="${out}/a" CDK_CONTEXT_JSON="${context}" java -cp "${cp}" "${main}"
}
app_exec() {
  CDK_OUTDIR="${out}/b" CDK_CONTEXT_JSON="${context}" mvn -q -o -pl app \
    org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.mainClass="${main}"
}
app_runsh() {
  CDK_OUTDIR="${out}/c" CDK_CONTEXT_JSON="${context}" bash app/run.sh
}

echo "runs per variant: ${runs}; cdk CLI $(cdk --version 2>/dev/null | cut -d' ' -f1)"
time_it "app: plain java launch, validation off" env CDK_VALIDATION=false bash -c "$(declare -f app_java); app_java"
time_it "app: plain java launch, validation on" bash -c "$(declare -f app_java); app_java"
time_it "app: app/run.sh (up-to-date check + java), validation on" bash -c "$(declare -f app_runsh); app_runsh"
time_it "app: mvn exec:java, validation on" bash -c "$(declare -f app_exec); app_exec"
time_it "cdk synth (README command, run.sh, validation on)" cdk synth -q --no-notices -o "${out}/d"
time_it "cdk synth, CDK_VALIDATION=false" env CDK_VALIDATION=false cdk synth -q --no-notices -o "${out}/e"
runs=1 time_it "test suite: mvn -B verify (1 run)" mvn -B -ntp -q verify
