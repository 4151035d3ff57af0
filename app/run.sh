#!/bin/bash
# The cdk.json app command. A Maven build only when a source changed since the last one, then a
# plain `java` launch: `mvn exec:java` pays Maven's start-up and resolution on every synth.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
stamp="${root}/app/target/classpath.txt"
if [ ! -f "${stamp}" ] || [ -n "$(find "${root}/lib/src" "${root}/app/src" "${root}/pom.xml" "${root}/lib/pom.xml" "${root}/app/pom.xml" -newer "${stamp}" -print -quit)" ]; then
  mvn -q -f "${root}/pom.xml" -pl lib,app -am install -DskipTests >&2
fi
exec java -cp "${root}/app/target/classes:$(cat "${stamp}")" dev.o11ycdk.app.O11yApp
