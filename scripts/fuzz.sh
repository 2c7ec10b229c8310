#!/bin/sh
# `make fuzz`: the VM syscall fuzzer (guest/tests/fuzz.c), 10^7 calls per
# ISA over several seeds, without --check-invariants (which checks the whole
# kernel after every call, about ten times slower; `make test` runs 10^5
# calls per ISA with it). Prints, per run, the calls per second of zxsim's
# CPU time (user + system) and of wall-clock time (which on a shared machine
# also counts waiting for a CPU), and the totals; exits 1 if any run failed
# (an undefined status, a fault, a zxsim error).
#
# Usage: scripts/fuzz.sh [BUILD_DIR [CALLS_PER_ISA [SEEDS...]]]
#        (defaults: build, 10000000, seeds 1 2 3 4)

build=${1:-build}
total=${2:-10000000}
[ $# -ge 2 ] && shift 2 || shift $#
seeds=${*:-1 2 3 4}

# line LABEL CALLS CPU_MS WALL_NS
line() {
    awk -v l="$1" -v n="$2" -v cpu="$3" -v ns="$4" 'BEGIN {
        c = cpu > 0 ? cpu / 1000 : 0.001; w = ns / 1e9
        printf "%-14s %9d calls  cpu %6.1f s %8.0f calls/s  wall %6.1f s %8.0f calls/s\n",
               l, n, c, n / c, w, n / w }'
}

n=0
for s in $seeds; do n=$((n + 1)); done
per=$((total / n))

status=0
all_calls=0
all_ns=0
all_cpu=0
times=$(mktemp) || exit 1
trap 'rm -f "$times"' EXIT
for isa in arm64 x86_64; do
    elf=$build/guest/fuzz-$isa.elf
    if [ ! -x "$build/zxsim" ] || [ ! -f "$elf" ]; then
        echo "fuzz: $build/zxsim or $elf missing (build first: make build)" >&2
        exit 2
    fi
    for seed in $seeds; do
        start=$(date +%s%N)
        out=$(/usr/bin/time -o "$times" -f "%U %S" "$build/zxsim" "$elf" "$seed" "$per" 2>&1)
        rc=$?
        ns=$(($(date +%s%N) - start))
        cpu=$(awk '{ printf "%d", ($1 + $2) * 1000 }' "$times") # ms
        if [ $rc -ne 0 ] || ! printf '%s\n' "$out" | grep -q "^fuzz ok: $per calls"; then
            printf '%s\n' "$out" | tail -20
            echo "FAIL $isa seed $seed: exit status $rc"
            status=1
            continue
        fi
        all_calls=$((all_calls + per))
        all_ns=$((all_ns + ns))
        all_cpu=$((all_cpu + cpu))
        line "$isa seed $seed" "$per" "$cpu" "$ns"
    done
done
line "total" "$all_calls" "$all_cpu" "$all_ns"
exit $status
