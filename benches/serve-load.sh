#!/usr/bin/env bash
# Load test of `provision serve` (issue 16): creates and usage reads under 1, 8 and 64
# concurrent clients with the SQLite and the PostgreSQL ledger, then 64 concurrent
# POSTs of one order (one Idempotency-Key; then a key each) that must leave exactly
# one account and one service. Fails when any answer is not 2xx, any socket error
# happens, or the race leaves more than one account.
#
# Usage: bash benches/serve-load.sh
# Settings (environment):
#   PROVISION_BIN    the binary (target/release/provision; build it with
#                    cargo build --release --workspace --all-features --bin provision)
#   DURATION         per case, as wrk takes it (10s)
#   CLIENTS          concurrent connections per case ("1 8 64")
#   LEDGERS          "sqlite postgres"
#   MOCK_LATENCY_MS  the mock's delay before every answer (2: a LAN)
#   SEED_SERVICES    services created for the usage reads (200)
#   WRK_TIMEOUT      wrk's per-request timeout (30s: a slow answer is measured, not
#                    dropped; wrk's default of 2s would count it as a socket error)
#   RUST_LOG         serve's log filter, if set (default: serve's own, a line a request)
# The backend is the Nextcloud mock (`provision mock nextcloud`), the cheapest create.
# wrk runs 1 thread for 1 client and 2 threads otherwise (the machine the numbers
# were taken on has 2 cores; wrk, serve, the mock and PostgreSQL share them).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

bin="${PROVISION_BIN:-target/release/provision}"
duration="${DURATION:-10s}"
clients_list="${CLIENTS:-1 8 64}"
ledgers="${LEDGERS:-sqlite postgres}"
mock_latency="${MOCK_LATENCY_MS:-2}"
seed_services="${SEED_SERVICES:-200}"
wrk_timeout="${WRK_TIMEOUT:-30s}"
tool=(python3 "$here/serve/loadtool.py")
export SERVE_BENCH_LUA="$here/serve"

[ -x "$bin" ] || { echo "no binary at $bin (set PROVISION_BIN or build it)" >&2; exit 1; }
if ! command -v wrk >/dev/null; then
    echo "installing wrk from Debian's packages" >&2
    sudo_cmd=()
    [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq wrk >&2
fi

work="$(mktemp -d /tmp/provision-serve-load.XXXXXX)"
pids=()
pg_dir=""
stop_all() {
    local pid
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    pids=()
    if [ -n "$pg_dir" ]; then
        bash "$root/.ci/start-postgres" --stop "$pg_dir"
        rm -rf "$pg_dir"
        pg_dir=""
    fi
}
cleanup() {
    stop_all
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git status --porcelain 2>/dev/null)" ]; then commit="$commit (dirty tree)"; fi
# The SQLite settings as the ledger's source sets them (so this line cannot go stale).
pragma() {
    grep -o "PRAGMA $1 = [A-Za-z0-9]*" provision-core/src/ledger/sql/mod.rs | head -1 | sed 's/.*= //'
}
echo "== provision serve load test"
echo "commit:   $commit"
echo "binary:   $bin ($("$bin" --version 2>/dev/null || echo '?'))"
echo "machine:  $(nproc) cores, $(uname -sr); load average at start $(loadavg)"
echo "wrk:      $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2); $duration per case, --timeout $wrk_timeout;" \
    "threads: 1 for 1 client, 2 otherwise"
echo "backend:  provision mock nextcloud --latency $mock_latency (ms before every answer)"
echo "ledgers:  sqlite: journal_mode $(pragma journal_mode), synchronous $(pragma synchronous)" \
    "(provision-core/src/ledger/sql/mod.rs; one writer connection, four readers), in $(df -PT /tmp | awk 'NR==2 {print $2}') /tmp"
echo "          postgres: throwaway cluster of .ci/start-postgres (fsync=off, loopback," \
    "trust auth); serve's pool of 5 connections"

# The tokens file and the token, once for every run.
"$bin" --output json serve token --scope admin --name load > "$work/token.json"
token="$("${tool[@]}" token "$work/token.json" "$work/tokens")"
rm "$work/token.json"

rows=()
failed=0
run_number=0

# One wrk case: LEDGER CLIENTS OPERATION SCRIPT ARGS...; appends a table row.
run_case() {
    local ledger="$1" clients="$2" operation="$3" script="$4"
    shift 4
    local threads=2
    [ "$clients" -gt 1 ] || threads=1
    local before after out result
    before="$(loadavg)"
    out="$work/wrk-$ledger-$operation-$clients.txt"
    wrk -t "$threads" -c "$clients" -d "$duration" --timeout "$wrk_timeout" \
        -s "$here/serve/$script" "$api" -- "$@" > "$out" 2>&1 || true
    after="$(loadavg)"
    # wrk stops with requests in flight; serve finishes them before the next case.
    sleep 1
    result="$(grep '^RESULT ' "$out" || true)"
    if [ -z "$result" ]; then
        cat "$out" >&2
        echo "wrk printed no result for $ledger $operation $clients" >&2
        failed=1
        return
    fi
    # The RESULT line is key=value pairs (report.lua).
    local requests rps p50 p99 maxms non2xx socket statuses
    requests="$(sed -E 's/.* requests=([0-9]+).*/\1/' <<< "$result")"
    rps="$(sed -E 's/.* rps=([0-9.]+).*/\1/' <<< "$result")"
    p50="$(sed -E 's/.* p50_ms=([0-9.]+).*/\1/' <<< "$result")"
    p99="$(sed -E 's/.* p99_ms=([0-9.]+).*/\1/' <<< "$result")"
    maxms="$(sed -E 's/.* max_ms=([0-9.]+).*/\1/' <<< "$result")"
    non2xx="$(sed -E 's/.* non2xx=([0-9]+).*/\1/' <<< "$result")"
    socket="$(sed -E 's/.* socket=([0-9]+).*/\1/' <<< "$result")"
    statuses="$(sed -E 's/.* statuses=([^ ]+).*/\1/' <<< "$result")"
    local errors=$((non2xx + socket))
    echo "-- $ledger, $clients clients, $operation: load $before -> $after;" \
        "statuses $statuses; non-2xx $non2xx; socket errors $socket" \
        "($(sed -E 's/.*(connect=[0-9]+ read=[0-9]+ write=[0-9]+ timeout=[0-9]+).*/\1/' <<< "$result")); max ${maxms} ms"
    local row="| $ledger | $clients | $operation | $rps | $p50 ms | $p99 ms | $requests | $errors |"
    echo "$row"
    rows+=("$row")
    if [ "$errors" -ne 0 ]; then
        failed=1
        echo "   FAIL: $errors errors; serve's log: $work/serve-$ledger.log (kept: see below)" >&2
        keep_logs=1
    fi
}

keep_logs=0
for ledger in $ledgers; do
    run_number=$((run_number + 1))
    echo
    echo "== ledger: $ledger"
    # A fresh mock and a fresh ledger per run, so both start empty and agree.
    "$bin" mock nextcloud --latency "$mock_latency" > "$work/mock-$ledger.json" 2> "$work/mock-$ledger.log" &
    pids+=($!)
    ready="$("${tool[@]}" ready "$work/mock-$ledger.json")"
    mock_url="$("${tool[@]}" field "$ready" url)"
    mock_user="$("${tool[@]}" field "$ready" user)"
    control_url="$("${tool[@]}" field "$ready" control_url)"
    "${tool[@]}" field "$ready" password > "$work/nextcloud.secret"
    cat > "$work/provision.toml" <<EOF
[servers.cloud]
backend = "nextcloud"
url = "$mock_url"
user = "$mock_user"
password = { file = "$work/nextcloud.secret" }

[products.cloud]
name_rule = "nc{client_id}-{random_letter_3}"
password_rule = 16
quota = "10 GB"
notify_at = 90
EOF
    case "$ledger" in
        sqlite) ledger_arg="$work/ledger-$run_number.sqlite" ;;
        postgres)
            # Not under $work: as root the cluster runs as the postgres user, who
            # cannot enter a mktemp directory of root's.
            pg_dir="$(mktemp -d /tmp/provision-serve-load-pg.XXXXXX)"
            ledger_arg="$(bash "$root/.ci/start-postgres" "$pg_dir")"
            if command -v psql >/dev/null; then
                echo "postgres: $(psql "$ledger_arg" -Atc 'select version()' | cut -d' ' -f1-2);" \
                    "fsync $(psql "$ledger_arg" -Atc 'show fsync')," \
                    "synchronous_commit $(psql "$ledger_arg" -Atc 'show synchronous_commit')"
            fi
            ;;
        *) echo "unknown ledger $ledger (sqlite or postgres)" >&2; exit 2 ;;
    esac
    port="$(free_port)"
    api="http://127.0.0.1:$port"
    "$bin" --config "$work/provision.toml" --ledger "$ledger_arg" \
        serve --listen "127.0.0.1:$port" --tokens "$work/tokens" 2> "$work/serve-$ledger.log" &
    pids+=($!)
    "${tool[@]}" wait "$api/healthz"

    case_number=0
    for clients in $clients_list; do
        case_number=$((case_number + 1))
        run_case "$ledger" "$clients" create create.lua "$token" "$run_number$case_number" cloud cloud
    done
    "${tool[@]}" seed "$api" "$token" cloud cloud "$seed_services" "${run_number}9" "$work/usage-ids"
    for clients in $clients_list; do
        run_case "$ledger" "$clients" usage usage.lua "$token" cloud "$work/usage-ids"
    done

    # The race: client ids of their own, apart from the creates' (which start with
    # the run and case digits and are longer).
    echo "-- race, load $(loadavg)"
    "${tool[@]}" race "$api" "$token" cloud cloud "$control_url" "${run_number}01" same-key 64 || { failed=1; keep_logs=1; }
    "${tool[@]}" race "$api" "$token" cloud cloud "$control_url" "${run_number}02" distinct-keys 64 || { failed=1; keep_logs=1; }
    echo "-- load at the end of $ledger: $(loadavg)"
    server_errors="$(grep -c '"status":5[0-9][0-9]' "$work/serve-$ledger.log" || true)"
    warnings="$(grep -c '"level":"\(WARN\|ERROR\)"' "$work/serve-$ledger.log" || true)"
    echo "-- serve's log: $(wc -l < "$work/serve-$ledger.log") lines, ${server_errors:-0} with a 5xx status," \
        "${warnings:-0} warnings or errors"
    if [ "$keep_logs" = 1 ]; then
        cp "$work/serve-$ledger.log" "/tmp/provision-serve-load-$ledger.log"
        echo "   kept as /tmp/provision-serve-load-$ledger.log"
    fi
    stop_all
done

echo
echo "== summary (commit $commit, $duration per case, mock latency $mock_latency ms)"
echo "| ledger | clients | operation | requests/s | p50 | p99 | requests | errors |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
if [ "$failed" -ne 0 ]; then
    echo "FAILED: errors above" >&2
    exit 1
fi
echo "ok: no errors, no duplicate accounts"
