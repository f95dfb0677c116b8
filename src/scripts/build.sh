#!/usr/bin/env bash
# Builds target/clip-search.jar unless it is newer than every source file.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
jar=target/clip-search.jar
if [ -f "$jar" ] && [ -z "$(find src pom.xml -newer "$jar" -type f -print -quit)" ]; then
  exit 0
fi
printf '[build] packaging %s\n' "$jar" >&2
mvn -B -q -DskipTests package
