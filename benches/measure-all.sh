#!/usr/bin/env bash
# Every figure of BENCHMARKS.md on one commit, one run after the other (issue 16).
# This is the script of the run BENCHMARKS.md quotes, with its two paths made settings:
#   OUT                          where the logs go (default /tmp/measure)
#   PROVISION_TEST_POSTGRES_URL  the PostgreSQL server for the ledger cases (required;
#                                e.g. $(bash .ci/start-postgres /tmp/pg))
# Each step's log starts and ends with the load average; $OUT/progress lists the steps
# with their exit codes. Takes about 40 minutes on 2 cores; run nothing else meanwhile.
set -uo pipefail
cd "$(dirname "$0")/.."
out="${OUT:-/tmp/measure}"
mkdir -p "$out"
: "${PROVISION_TEST_POSTGRES_URL:?set it to a PostgreSQL server (bash .ci/start-postgres DIR prints one)}"
la() { echo "[load $(cut -d' ' -f1-3 /proc/loadavg) at $(date -u +%H:%M:%S)]"; }
step() {
    local name="$1"; shift
    { echo "== $name: $*"; la; } >> "$out/$name.log"
    local t0
    t0=$(date +%s)
    "$@" >> "$out/$name.log" 2>&1
    local rc=$?
    { la; echo "rc=$rc wall=$(( $(date +%s) - t0 )) s"; } >> "$out/$name.log"
    echo "$name rc=$rc" >> "$out/progress"
}
git rev-parse HEAD > "$out/commit"; git status --porcelain > "$out/dirty"
cargo bench --workspace --all-features --no-run > "$out/build.log" 2>&1 || { echo build-failed >> "$out/progress"; exit 1; }
cargo build --profile bench --workspace --all-features --bin provision \
    --example scale_sweep --example ledger_sweep --example sweep_memory >> "$out/build.log" 2>&1 || { echo build2-failed >> "$out/progress"; exit 1; }
echo built >> "$out/progress"
# Let the build's load settle a little.
sleep 20
bin="$PWD/target/release/provision"
step sweep env PROVISION_BENCH_FULL=1 cargo bench --workspace --all-features --bench sweep
step clients env PROVISION_BIN="$bin" cargo bench --workspace --all-features --bench clients
step serve env PROVISION_BIN="$bin" DURATION=10s bash benches/serve-load.sh
step scale ./target/release/examples/scale_sweep
step ledger ./target/release/examples/ledger_sweep
step memory ./target/release/examples/sweep_memory
step core cargo bench --workspace --all-features --bench core
step crypto cargo bench --workspace --all-features --bench minio_crypto
step provisioning cargo bench --workspace --all-features --bench provisioning
echo all-done >> "$out/progress"
