#!/usr/bin/env bash
# Runs every fuzz target in fuzz/ for SECONDS each (default 20; CI's short run). Longer, for one
# target: `scripts/fuzz.sh 3600 record_form`. Needs `cargo install cargo-fuzz`; the targets are
# built with libFuzzer on the installed stable toolchain (RUSTC_BOOTSTRAP lets cargo-fuzz pass its
# instrumentation flags). A crash leaves its input in fuzz/artifacts/<target>/ and exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds=${1:-20}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(RUSTC_BOOTSTRAP=1 cargo fuzz list)
export RUSTC_BOOTSTRAP=1
cargo fuzz build -O
for target in "${targets[@]}"; do
    echo "== fuzz $target for ${seconds} s"
    cargo fuzz run -O "$target" -- -max_total_time="$seconds" 2>&1 | grep -E "^Done|ERROR|SUMMARY|panicked" || true
    # cargo fuzz exits non-zero on a crash; pipefail is defeated by the filter, so check the artifacts.
    if compgen -G "artifacts/$target/*" >/dev/null; then
        echo "fuzz: $target found a failing input: $(ls artifacts/"$target")" >&2
        exit 1
    fi
done
