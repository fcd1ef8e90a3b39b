#!/usr/bin/env bash
# Runs every fuzz target for SECS seconds (default 60), one after the other, seeded from
# fuzz/seeds/<target> when it exists; prints libFuzzer's closing statistics per target.
# Usage (from the repository root): fuzz/run-all.sh [SECS] [TARGET...]
set -u
cd "$(dirname "$0")/.."
secs=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(ims_page workspace_page cph_answer cvm_answer tencent_answer zenlayer_answer
           huawei_error huawei_sign tc3_verify tencent_sign zenlayer_verify)
fi
export RUSTC_BOOTSTRAP=1
status=0
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  seeds=()
  [ -d "fuzz/seeds/$t" ] && seeds=("fuzz/seeds/$t")
  log="fuzz/artifacts/$t.log"
  mkdir -p fuzz/artifacts
  start=$(date +%s)
  cargo fuzz run "$t" "fuzz/corpus/$t" "${seeds[@]}" -- -max_total_time="$secs" -max_len=4096 \
    -print_final_stats=1 >"$log" 2>&1
  rc=$?
  end=$(date +%s)
  runs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
  cov=$(grep -E '^#[0-9]+.*(DONE|cov:)' "$log" | tail -1)
  echo "$t: exit $rc, $((end - start)) s, runs ${runs:-?}; last: ${cov}"
  [ $rc -eq 0 ] || status=1
done
exit $status
