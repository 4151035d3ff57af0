#!/usr/bin/env bash
# Wall-clock benchmark of `cdk synth`, all variants in one run, interleaved round by round so the
# machine's noise falls on every variant alike. Prints the median of each and the ratios the issues
# ask for: the default app against a one-bucket Java CDK app through the same CLI, and 1,000
# services against the default 5.
#
# Usage: bash bench/synth.sh [runs] [--suite]   (default 5 runs; --suite also times the README's `mvn -B verify` once)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs="${1:-5}"
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=1
out="$(mktemp -d)"
trap 'rm -rf "${out}"' EXIT

# Builds outside the timing: the app (run.sh would do it on the first synth) and the baseline app.
mvn -q -B -ntp -pl lib,app -am install -DskipTests
(cd bench/bucket-app && mvn -q -B -ntp compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt)
services_1000="$(python3 - <<'EOF'
import json
kinds = [(8080, "/actuator/prometheus"), (9090, "/metrics"), (3000, "/metrics"), (9464, "/metrics")]
print(json.dumps([{"name": "svc-%04d" % i, "port": kinds[i % 4][0], "path": kinds[i % 4][1]} for i in range(1000)]))
EOF
)"

# variant NAME: one synth; validation on means CDK_VALIDATION unset (even an empty value turns it off).
variant() {
  case "$1" in
    bucket)            (cd bench/bucket-app && env -u CDK_VALIDATION cdk synth -q --no-notices -o "${out}/b") ;;
    bucket-novalid)    (cd bench/bucket-app && CDK_VALIDATION=false cdk synth -q --no-notices -o "${out}/bn") ;;
    o11y)              env -u CDK_VALIDATION cdk synth -q --no-notices -o "${out}/o" ;;
    o11y-novalid)      CDK_VALIDATION=false cdk synth -q --no-notices -o "${out}/on" ;;
    o11y-nocds)        O11Y_CDS=off env -u CDK_VALIDATION cdk synth -q --no-notices -o "${out}/oc" ;;
    o11y-1000)         env -u CDK_VALIDATION cdk synth -q --no-notices -o "${out}/o1" -c "services=${services_1000}" ;;
  esac
}
variants=(bucket bucket-novalid o11y o11y-novalid o11y-nocds o11y-1000)

# Warm-up: the CDS archive of the app is written by its first synth after a build.
variant o11y >/dev/null 2>&1

for r in $(seq "${runs}"); do
  for v in "${variants[@]}"; do
    t0="$(date +%s.%N)"
    if ! variant "${v}" >"${out}/last.log" 2>&1; then
      echo "FAILED: ${v}" >&2
      tail -20 "${out}/last.log" >&2
      exit 1
    fi
    t1="$(date +%s.%N)"
    echo "${v} $(echo "${t1} - ${t0}" | bc)" >>"${out}/times"
  done
done

median() {
  grep "^$1 " "${out}/times" | awk '{print $2}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
echo "cdk CLI $(cdk --version 2>/dev/null | cut -d' ' -f1), ${runs} interleaved runs per variant, median seconds:"
for v in "${variants[@]}"; do
  printf '  %-16s %6.2f s   (%s)\n' "${v}" "$(median "${v}")" "$(grep "^${v} " "${out}/times" | awk '{printf "%.2f ", $2}')"
done
ratio() {
  echo "scale=2; $(median "$1") / $(median "$2")" | bc
}
echo "ratios:"
echo "  default app / one-bucket app, validation on:   $(ratio o11y bucket)   (goal <= 1.3)"
echo "  default app / one-bucket app, validation off:  $(ratio o11y-novalid bucket-novalid)"
echo "  1,000 services / 5 services:                   $(ratio o11y-1000 o11y)   (goal <= 1.5)"
echo "  without / with the app's class-data archive:   $(ratio o11y-nocds o11y)"

if [ "${2:-}" = "--suite" ]; then
  t0="$(date +%s.%N)"
  mvn -B -ntp -q verify >/dev/null
  t1="$(date +%s.%N)"
  printf 'test suite: mvn -B verify (1 run) %.1f s\n' "$(echo "${t1} - ${t0}" | bc)"
fi
