#!/usr/bin/env bash
# The official SDKs against `imgcat sim serve`, and imgcat against the same simulator.
# See docs/SDK_CROSSCHECK.md.
#
#   scripts/sdk_crosscheck.sh [--trace] [--only PROVIDER ...] [--markdown FILE]
#
# 1. creates/reuses a venv (CROSSCHECK_VENV, default .venv-crosscheck/, gitignored) with the pinned
#    SDKs (same versions as scripts/gen_vectors.py);
# 2. builds imgcat (release) and starts `imgcat sim serve --port P --images N --no-rate-limit` (CROSSCHECK_IMAGES,
#    default 2600) on a free port, with fixed test credentials in the SDKs' environment variables;
# 3. runs scripts/sdk_crosscheck.py: every image of the six APIs listed with each official SDK,
#    then with `imgcat list`, id sets compared; a table on stdout;
# 4. stops the simulator on exit. Exit status 1 when an SDK call failed or a set differs.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
VENV=${CROSSCHECK_VENV:-$ROOT/.venv-crosscheck}
IMAGES=${CROSSCHECK_IMAGES:-2600}
PINNED=(
  huaweicloudsdkcore==3.1.219
  huaweicloudsdkims==3.1.219
  huaweicloudsdkworkspace==3.1.219
  huaweicloudsdkcph==3.1.219
  qcloudapi-sdk-python==2.0.15
  zenlayercloud-sdk-python==2.0.77
  tencentcloud-sdk-python-common==3.1.195
  tencentcloud-sdk-python-cvm==3.1.178
)

# --- 1. venv with the official SDKs -------------------------------------------------------
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --disable-pip-version-check "${PINNED[@]}"

# --- 2. imgcat and the simulator ----------------------------------------------------------
cargo build --release --quiet
IMGCAT=$ROOT/target/release/imgcat

# Fixed test credentials (not secrets): the simulator accepts exactly these, the SDKs and imgcat
# read them from the same variables.
export HUAWEICLOUD_SDK_AK=XCHECKHWAK0000000001
export HUAWEICLOUD_SDK_SK=xcheck-huawei-sk/With+Chars=0123456789
export HUAWEICLOUD_SDK_PROJECT_ID=0123456789abcdef0123456789abcdef
export TENCENTCLOUD_SECRET_ID=AKIDxcheck000000000000000000000000001
export TENCENTCLOUD_SECRET_KEY=xcheck-tencent-secret-key-000001
export ZENLAYERCLOUD_ACCESS_KEY_ID=xcheck-zenlayer-key-id
export ZENLAYERCLOUD_ACCESS_KEY_PASSWORD=xcheck-zenlayer-password/+=
# Nothing else from the caller's environment may change who signs what or where requests go.
unset HUAWEICLOUD_SDK_SECURITY_TOKEN HUAWEICLOUD_AUTH_TOKEN HUAWEICLOUD_SDK_REGION \
  HUAWEICLOUD_SDK_IAM_ENDPOINT TENCENTCLOUD_SESSION_TOKEN TENCENTCLOUD_REGION \
  ZENLAYERCLOUD_TOKEN ZENLAYERCLOUD_ZONE IMGCAT_TENCENT_SIGNATURE_METHOD \
  HTTP_PROXY HTTPS_PROXY http_proxy https_proxy ALL_PROXY all_proxy
for v in $(env | sed -n 's/^\(IMGCAT_ENDPOINT_[A-Z_]*\)=.*/\1/p'); do unset "$v"; done
export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost
# huaweicloudsdkcore writes ~/.huaweicloud/application_id: keep it out of the real $HOME.
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/sdk-crosscheck.XXXXXX")
export HOME=$SCRATCH

PORT=$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
ENDPOINT=http://127.0.0.1:$PORT
SIM_PID=
cleanup() {
  if [ -n "$SIM_PID" ] && kill -0 "$SIM_PID" 2>/dev/null; then
    kill -INT "$SIM_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SIM_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SIM_PID" 2>/dev/null || true
  fi
  rm -rf "$SCRATCH"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# No rate limits: the SDKs do not pace themselves (the legacy one has no retry), and rows run back to
# back would be throttled; this script checks signatures, paging and ids (tests/regions_all.rs checks
# that imgcat keeps to the limits).
"$IMGCAT" sim serve --port "$PORT" --images "$IMAGES" --no-rate-limit 2>"$SCRATCH/sim.log" &
SIM_PID=$!
# Ready when it answers anything over HTTP (the Glance version document at / is a 300).
PROBE='import sys, urllib.request, urllib.error
try:
    urllib.request.urlopen(sys.argv[1], timeout=1)
except urllib.error.HTTPError:
    pass'
READY=
for _ in $(seq 300); do
  if "$VENV/bin/python" -c "$PROBE" "$ENDPOINT/" 2>/dev/null; then
    READY=1
    break
  fi
  if ! kill -0 "$SIM_PID" 2>/dev/null; then
    echo "sdk_crosscheck: the simulator exited:" >&2
    cat "$SCRATCH/sim.log" >&2
    exit 1
  fi
  sleep 0.1
done
if [ -z "$READY" ]; then
  echo "sdk_crosscheck: the simulator did not answer on $ENDPOINT within 30 s" >&2
  exit 1
fi
echo "sdk_crosscheck: simulator on $ENDPOINT ($IMAGES images per provider)" >&2

# --- 3. the SDKs, then imgcat -------------------------------------------------------------
"$VENV/bin/python" "$ROOT/scripts/sdk_crosscheck.py" --endpoint "$ENDPOINT" --imgcat "$IMGCAT" "$@"
