#!/usr/bin/env bash
# (make-suite.sh is its successor for memory-hungry programs: the workload suite of experiments/paper-class.yaml.)
# Captures the real workloads of experiments/real-workloads.yaml: six programs with different translation
# behaviour, each a window of about 100 M data references after its start-up (--skip-instrs), into
# experiments/workloads/traces/ (build outputs: hundreds of MB, not committed). Deterministic inputs are generated
# here; the captures are as repeatable as the programs (single-threaded, fixed seeds and inputs).
#
#   bash experiments/workloads/make-traces.sh [--refs N]     (default N = 100000000)
#   ONLY="chase cc1" bash experiments/workloads/make-traces.sh   (capture only these)
set -euo pipefail
cd "$(dirname "$0")"
here=$(pwd)
root=$(cd ../.. && pwd)
refs=100000000
if [ "${1:-}" = "--refs" ]; then refs=$2; fi
out=$here/traces
work=$out/inputs
mkdir -p "$out" "$work"

need=()
for tool in gcc valgrind xz sqlite3 sort java; do
    command -v "$tool" > /dev/null || need+=("$tool")
done
if [ ${#need[@]} -gt 0 ]; then
    pkgs="gcc valgrind xz-utils sqlite3 coreutils default-jre-headless"
    if command -v apt-get > /dev/null && [ "$(id -u)" = 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pkgs > /dev/null
    else
        echo "make-traces: missing ${need[*]}; install them with: apt-get install $pkgs" >&2
        exit 2
    fi
fi
jar=$root/target/nestwalk.jar
if [ ! -f "$jar" ]; then (cd "$root" && mvn -q -DskipTests package); fi
nw() { java -jar "$jar" "$@"; }

# Deterministic inputs.
gcc -O2 -o "$work/gups" "$here/gups.c"
gcc -O2 -o "$work/chase" "$here/chase.c"
if [ ! -f "$work/words.txt" ]; then
    # 2 M pseudo-random lines (a fixed linear congruential sequence), about 24 MiB.
    awk 'BEGIN { x = 12345; for (i = 0; i < 2000000; i++) { x = (x * 1103515245 + 12345) % 2147483648; print x, i } }' \
        > "$work/words.txt"
fi
if [ ! -f "$work/db.sqlite" ]; then
    sqlite3 "$work/db.sqlite" "CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT);
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400000)
        INSERT INTO t SELECT (i * 2654435761) % 4294967296, hex(randomblob(48)) FROM n;
        CREATE INDEX tv ON t(v);"
fi
cc1=$(gcc -print-prog-name=cc1)
cp "$root/src/main/resources/nwtrace/nw_main.c" "$work/compile-me.c"
cat > "$work/Hello.java" <<'JAVA'
import java.util.HashMap;
public class Hello {
    public static void main(String[] a) {
        HashMap<Integer, String> m = new HashMap<>();
        for (int i = 0; i < 2_000_000; i++) m.put(i * 31, Integer.toString(i));
        long s = 0;
        for (int i = 0; i < 2_000_000; i++) s += m.get(i * 31).length();
        System.out.println(s);
    }
}
JAVA
(cd "$work" && javac Hello.java)

capture() { # name skip-instructions command...
    local name=$1 skip=$2
    shift 2
    if [ -n "${ONLY:-}" ] && [[ " $ONLY " != *" $name "* ]]; then return; fi
    echo "make-traces: $name" >&2
    nw trace capture --stop --skip-instrs "$skip" --max-refs "$refs" -o "$out/$name.trace" -- "$@" > /dev/null
}
capture gups     200000000  "$work/gups"
capture chase    200000000  "$work/chase"
capture xz       20000000   xz -9 -T1 -c "$work/words.txt"
capture sort     10000000   sort -S 64M -o /dev/null "$work/words.txt"
capture sqlite   20000000   sqlite3 "$work/db.sqlite" "SELECT count(*) FROM t WHERE v > '8'; SELECT k, v FROM t ORDER BY substr(v, 9) LIMIT 5;"
capture cc1      0          "$cc1" -quiet -O2 -I/usr/include/valgrind -DVGA_amd64=1 -DVGO_linux=1 \
    -DVGP_amd64_linux=1 -DVGPV_amd64_linux_vanilla=1 "$work/compile-me.c" -o /dev/null
capture jvm      0          java -Xint -XX:+UseSerialGC -Xmx256m -cp "$work" Hello
for t in "$out"/*.trace; do nw trace info "$t"; done
