# Sourced by ./jnmt, ./mvn25 and .ci/run: sets JAVA_HOME to a JDK >= 25 or fails with one line.
# Order: $JAVA_HOME, `java` on PATH, then the usual install folders (/usr/lib/jvm, /opt, ~/.sdkman).
jnmt_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}
jnmt_find_jdk25() {
  local candidates=() c m
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for c in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/*; do
    [ -d "$c" ] && candidates+=("$c")
  done
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    m="$(jnmt_java_major "$c")"
    if [ -n "$m" ] && [ "$m" -ge 25 ]; then
      JAVA_HOME="$c"; export JAVA_HOME; return 0
    fi
  done
  echo "jnmt: no JDK 25 or newer found (looked at \$JAVA_HOME, java on PATH, /usr/lib/jvm, /opt); install one and set JAVA_HOME" >&2
  return 1
}
