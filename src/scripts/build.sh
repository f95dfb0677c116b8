#!/usr/bin/env bash
# Builds target/clip-search.jar unless it is newer than every source file. The native image library is built into it
# when cmake, a C++ compiler and the image -dev packages are there; otherwise the jar uses the Java path.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
source src/scripts/lib.sh build
jar=target/clip-search.jar
if [ -f "$jar" ] && [ -z "$(find src pom.xml native ui/src -newer "$jar" -type f -print -quit)" ]; then
  exit 0
fi
command -v mvn >/dev/null || die "mvn not found: install Maven 3.8+ and JDK 17 (Debian/Ubuntu: apt-get install maven openjdk-17-jdk-headless)"
if [ -d "$HOME/.m2/repository/org/bytedeco/pytorch" ]; then
  log "packaging $jar (Maven; 1-3 minutes)"
else
  log "packaging $jar (Maven; the first build downloads about 500 MB of dependencies: 3-10 minutes)"
fi
net 3600 "mvn package" mvn -B -ntp -DskipTests package
