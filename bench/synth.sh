#!/usr/bin/env bash
# Wall-clock benchmark of `cdk synth`, all variants in one run, interleaved round by round so the
# machine's noise falls on every variant alike. Prints the median of each and the ratios the issues
# ask for: the default app against a one-bucket Java CDK app through the same CLI, and 1,000
# services against the default 5.
#
# Usage: bash bench/synth.sh [runs] [--suite]   (default 5 runs; --suite also times the README's `mvn -B verify` once)
#        VARIANTS="o11y o11y-eks" bash bench/synth.sh 3   (only those variants; the ratios of the others are left out)
#
# Layout variants: o11y-ec2fargate and o11y-eks synthesize one part of the default app (-c layouts=...).
# Each variant writes to its own cdk.out, kept between rounds, so after the warm-up every asset is
# already staged there (as with a developer's repeated `cdk synth`); the *-fresh variants empty their
# cdk.out before each run (outside the timing), so they also pay for copying every asset in (the kubectl
# and AWS CLI layer zips of the EKS stack: 54 MB).
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
    o11y-fresh)        env -u CDK_VALIDATION cdk synth -q --no-notices -o "${out}/of" ;;
    o11y-ec2fargate)   env -u CDK_VALIDATION cdk synth -q --no-notices -o "${out}/oef" -c layouts=ec2,fargate ;;
    o11y-eks)          env -u CDK_VALIDATION cdk synth -q --no-notices -o "${out}/oe" -c layouts=eks ;;
    o11y-eks-fresh)    env -u CDK_VALIDATION cdk synth -q --no-notices -o "${out}/oef2" -c layouts=eks ;;
  esac
}
# Before each timed run, outside the timing: the fresh variants start from an empty cdk.out.
prepare() {
  case "$1" in
    o11y-fresh)        rm -rf "${out}/of" ;;
    o11y-eks-fresh)    rm -rf "${out}/oef2" ;;
  esac
}
read -r -a variants <<<"${VARIANTS:-bucket bucket-novalid o11y o11y-novalid o11y-nocds o11y-1000 o11y-fresh o11y-ec2fargate o11y-eks o11y-eks-fresh}"

# Warm-up: the CDS archive of the app is written by its first synth after a build; then each variant
# that keeps its cdk.out stages its assets there once, so its timed runs measure a repeated synth.
variant o11y >/dev/null 2>&1
for v in "${variants[@]}"; do
  case "${v}" in
    o11y | bucket* | *-fresh) ;;
    *) variant "${v}" >/dev/null 2>&1 ;;
  esac
done

for _ in $(seq "${runs}"); do
  for v in "${variants[@]}"; do
    prepare "${v}"
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
ran() {
  grep -q "^$1 " "${out}/times"
}
# ratio LABEL A B: the line, when both variants ran.
ratio() {
  if ran "$2" && ran "$3"; then
    printf '  %-48s %s%s\n' "$1:" "$(echo "scale=2; $(median "$2") / $(median "$3")" | bc)" "${4:-}"
  fi
}
# Per synth of the EKS stack: what staging its assets into an empty cdk.out adds.
if ran o11y-eks && ran o11y-eks-fresh; then
  printf 'EKS assets staged into an empty cdk.out: +%.2f s per synth, %s copied\n' \
    "$(echo "$(median o11y-eks-fresh) - $(median o11y-eks)" | bc)" "$(du -sch "${out}"/oef2/asset.* | tail -1 | cut -f1)"
fi
echo "ratios:"
ratio "default app / one-bucket app, validation on" o11y bucket "   (goal <= 1.3)"
ratio "default app / one-bucket app, validation off" o11y-novalid bucket-novalid
ratio "1,000 services / 5 services" o11y-1000 o11y "   (goal <= 1.5)"
ratio "without / with the app's class-data archive" o11y-nocds o11y
ratio "default (3 layouts) / layouts ec2,fargate" o11y o11y-ec2fargate
ratio "layouts eks / layouts ec2,fargate" o11y-eks o11y-ec2fargate
ratio "empty cdk.out / assets already staged" o11y-fresh o11y

if [ "${2:-}" = "--suite" ]; then
  t0="$(date +%s.%N)"
  mvn -B -ntp -q verify >/dev/null
  t1="$(date +%s.%N)"
  printf 'test suite: mvn -B verify (1 run) %.1f s\n' "$(echo "${t1} - ${t0}" | bc)"
fi
