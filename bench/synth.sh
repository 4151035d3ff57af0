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
    if ! "$@" >"${out}/last.log" 2>&1; then
      echo "FAILED: ${label}" >&2
      tail -20 "${out}/last.log" >&2
      exit 1
    fi
    t1="$(date +%s.%N)"
    echo "${t1} - ${t0}" | bc
  done | median | xargs printf '%-58s %6.2f s\n' "${label}"
}

# validation on|off CMD...: runs CMD with aws-cdk-lib's built-in validation on (variable unset:
# even an empty CDK_VALIDATION turns it off under the CLI) or off (CDK_VALIDATION=false).
validation() {
  local mode="$1"
  shift
  if [ "${mode}" = on ]; then
    env -u CDK_VALIDATION "$@"
  else
    env CDK_VALIDATION=false "$@"
  fi
}
app_java() {
  validation "$1" env CDK_OUTDIR="${out}/a" CDK_CONTEXT_JSON="${context}" java -cp "${cp}" "${main}"
}
app_runsh() {
  validation "$1" env CDK_OUTDIR="${out}/c" CDK_CONTEXT_JSON="${context}" bash app/run.sh
}
app_exec() {
  validation "$1" env CDK_OUTDIR="${out}/b" CDK_CONTEXT_JSON="${context}" mvn -q -o -pl app \
    org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.mainClass="${main}"
}
cli_synth() {
  validation "$1" cdk synth -q --no-notices -o "${out}/d"
}
suite() {
  mvn -B -ntp -q verify
}

# Fetch the exec plugin once, outside the timing.
CDK_OUTDIR="${out}/warm" CDK_CONTEXT_JSON="${context}" mvn -q -pl app \
  org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.mainClass="${main}" >/dev/null

echo "runs per variant: ${runs}; cdk CLI $(cdk --version 2>/dev/null | cut -d' ' -f1)"
time_it "app: plain java launch, validation off" app_java off
time_it "app: plain java launch, validation on" app_java on
time_it "app: app/run.sh (up-to-date check + java), validation on" app_runsh on
time_it "app: mvn exec:java, validation on" app_exec on
time_it "cdk synth (README command: CLI + run.sh), validation on" cli_synth on
time_it "cdk synth, CDK_VALIDATION=false" cli_synth off
runs=1 time_it "test suite: mvn -B verify (1 run)" suite
