#!/usr/bin/env bash
# The dashboards benchmark of issue 16: every panel query of every Fargate dashboard, asked as Grafana
# asks it, of a real Prometheus 3.5.3 (Debian sid's, .ci/sid-binaries) pinned to one CPU (taskset -c 0,
# GOMAXPROCS=1: the Fargate task's 1 vCPU) holding N services' history (test/.../bench/FleetLoader:
# what the Fargate layout scrapes, through the rendered relabelling, with the rendered recording rules
# evaluated over it). Prints per size and revision each dashboard's query p50/max, its slowest panel
# and the time it takes to open (variables, then its panels at once), the rule groups' evaluation
# times and the memory per head series; a Markdown summary last.
#
# Usage: bash bench/dashboards.sh [sizes...]            (default 5 100 1000)
#        BASELINE=<git rev> bash bench/dashboards.sh 1000  (also the dashboards and rules of that revision,
#                                                          "before", each size on a fresh Prometheus)
#        RANGE=6h ...   every dashboard over this range instead of its own default
#        RUNS=3 ...     runs per query and per opening (the median is reported)
#        VARIANTS=before ...  only these of after,before (with BASELINE)
# The loader runs in a JVM kept off CPU 0 (taskset -c 1) where the machine has a second CPU.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$(pwd)"
bin="$(bash .ci/sid-binaries)"
export PATH="${bin}:${PATH}"
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
export CDK_VALIDATION=false JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=1

# render SRC OUT: the Fargate layout's rendered files (dashboards, rules, prometheus.yml) of the tree in SRC.
render() {
  local src="$1" out="$2"
  (cd "${src}" && mvn -B -q -ntp compile dependency:build-classpath -pl lib,app -Dmdep.outputFile="${out}.cp" >&2)
  local context
  context="$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1])).get("context", {}); c["layouts"]="fargate"; print(json.dumps(c))' "${src}/cdk.json")"
  (cd "${src}" && CDK_CONTEXT_JSON="${context}" CDK_OUTDIR="${out}" java -XX:TieredStopAtLevel=1 \
    -cp "${src}/app/target/classes:${src}/lib/target/classes:$(cat "${out}.cp")" dev.o11ycdk.app.O11yApp >/dev/null 2>&1)
  test -d "${out}/O11yFargate.rendered/grafana/dashboards"
}

mvn -B -q -ntp test-compile dependency:build-classpath -pl lib,app,test -Dmdep.outputFile="${work}/test.cp" -Dmdep.includeScope=test >&2
render "${root}" "${work}/after"
variants="after=${work}/after/O11yFargate.rendered"
if [ -n "${BASELINE:-}" ]; then
  rev="$(git rev-parse --verify "${BASELINE}^{commit}")"
  mkdir -p "${work}/before-src"
  git archive "${rev}" | tar -x -C "${work}/before-src"
  render "${work}/before-src" "${work}/before"
  variants="${variants},before=${work}/before/O11yFargate.rendered"
  echo "before: ${BASELINE} (${rev})" >&2
fi
echo "after: $(git rev-parse HEAD)$(git diff --quiet HEAD -- lib app || echo ' with local changes')" >&2

if [ -n "${VARIANTS:-}" ]; then
  variants="$(tr ',' '\n' <<<"${variants}" | grep -E "^($(tr ',' '|' <<<"${VARIANTS}"))=" | paste -sd, -)"
fi
if [ $# -eq 0 ]; then set -- 5 100 1000; fi
pin=()
if [ "$(nproc)" -gt 1 ]; then pin=(taskset -c 1); fi
"${pin[@]}" java -Xmx4g -cp "${root}/test/target/test-classes:$(cat "${work}/test.cp")" \
  -Do11y.repoRoot="${root}" -Dbench.variants="${variants}" -Dbench.range="${RANGE:-}" -Dbench.runs="${RUNS:-3}" \
  dev.o11ycdk.test.bench.DashboardBench "$@"
