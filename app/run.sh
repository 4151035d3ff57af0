#!/bin/bash
# The cdk.json app command. A Maven build only when a source changed since the last one, then a
# plain `java` launch: `mvn exec:java` pays Maven's start-up and resolution on every synth.
#
# The JVM is tuned for a short run that mostly waits on jsii's node process: the C1 compiler only,
# the serial collector, and a class-data-sharing archive of the app's own classes (aws-cdk-lib's
# Java side is thousands of classes), written by the first synth after a build and reused after.
# bench/synth.sh measures each of these.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${root}/app/target"
stamp="${target}/classpath.txt"
# The reactor's version, from the parent reference in app/pom.xml.
version="$(sed -n '/<parent>/,/<\/parent>/s/.*<version>\(.*\)<\/version>.*/\1/p' "${root}/app/pom.xml")"
jar="${target}/o11y-cdk-app-${version}.jar"
# Rebuilt when a source is newer than the last build, or when a build stopped before the jar
# (`mvn compile` writes the classpath, not the jar).
if [ ! -f "${stamp}" ] || [ ! -f "${jar}" ] || [ "${stamp}" -nt "${jar}" ] || [ -n "$(find "${root}/lib/src" "${root}/app/src" "${root}/pom.xml" "${root}/lib/pom.xml" "${root}/app/pom.xml" -newer "${stamp}" -print -quit)" ]; then
  mvn -q -f "${root}/pom.xml" -pl lib,app -am install -DskipTests >&2
fi
classpath="${jar}:$(cat "${stamp}")"
archive="${target}/app.jsa"
jvm=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off)
if [ "${O11Y_CDS:-on}" = on ] && { [ ! -f "${archive}" ] || [ "${jar}" -nt "${archive}" ] || [ "${stamp}" -nt "${archive}" ]; }; then
  # Dumped to a private name and moved into place only when complete: a concurrent run never reads half an archive.
  jvm+=("-XX:ArchiveClassesAtExit=${archive}.$$")
  trap 'if [ -s "${archive}.$$" ]; then mv -f "${archive}.$$" "${archive}"; else rm -f "${archive}.$$"; fi' EXIT
  java "${jvm[@]}" -cp "${classpath}" dev.o11ycdk.app.O11yApp
  exit
fi
if [ "${O11Y_CDS:-on}" = on ]; then
  jvm+=("-XX:SharedArchiveFile=${archive}")
fi
exec java "${jvm[@]}" -cp "${classpath}" dev.o11ycdk.app.O11yApp
