#!/usr/bin/env bash
# Clean-build figures of BENCHMARKS.md section 7: for each commit given, a worktree of
# its own and an empty target directory, then a clean `cargo test --workspace
# --all-features --locked` and, in another empty target, a clean `bash .ci/run`, each
# timed by /usr/bin/time (CPU user and system seconds, wall seconds, peak memory).
#
#   bash benches/clean-build.sh OUT_DIR b946c64 2a6f736
#   WHAT=ci bash benches/clean-build.sh OUT_DIR 2a6f736   # only the clean .ci/run
set -u
what_list="${WHAT:-test ci}"
out="${1:?usage: clean-build.sh OUT_DIR REV...}"; shift
repo="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$out"
for rev in "$@"; do
    wt="$out/wt-$rev"
    rm -rf "$wt"; git -C "$repo" worktree prune
    git -C "$repo" worktree add --detach "$wt" "$rev" >/dev/null
    for what in $what_list; do
        export CARGO_TARGET_DIR="$out/target-$rev-$what"
        rm -rf "$CARGO_TARGET_DIR"
        load="$(cut -d' ' -f1-3 /proc/loadavg)"
        if [ "$what" = test ]; then
            (cd "$wt" && /usr/bin/time -f "CPU user=%U sys=%S wall=%e maxrss_kb=%M" \
                cargo test --workspace --all-features --locked) > "$out/$rev-$what.log" 2>&1
            rc=$?
        else
            # A newer rustfmt may format old lines differently: report, do not stop.
            sed -i 's/^cargo fmt --all -- --check$/cargo fmt --all -- --check || echo "FORMAT CHECK FAILED"/' "$wt/.ci/run"
            (cd "$wt" && /usr/bin/time -f "CPU user=%U sys=%S wall=%e maxrss_kb=%M" \
                bash .ci/run) > "$out/$rev-$what.log" 2>&1
            rc=$?
            git -C "$wt" checkout .ci/run
        fi
        echo "$rev $what rc=$rc [$(grep '^CPU user' "$out/$rev-$what.log" | tail -1)] load_start=[$load] load_end=[$(cut -d' ' -f1-3 /proc/loadavg)]" | tee -a "$out/results.txt"
        rm -rf "$CARGO_TARGET_DIR"
    done
    git -C "$repo" worktree remove --force "$wt"
done
