#!/bin/sh
# Runs inside the Nitro Enclave as PID 1's child: brings up loopback, starts the two vsock bridges,
# then the coordinator. The enclave has no network: vsock to the parent (CID 3) is its only channel.
set -eu

COORDINATOR_PORT="${PINAIVU_COORDINATOR_PORT:-5000}"
KMS_PROXY_PORT="${PINAIVU_KMS_PROXY_PORT:-8000}"
METADATA_PORT="${PINAIVU_METADATA_PORT:-8001}"
IDENTITY_IN_PORT="${PINAIVU_IDENTITY_IN_PORT:-8002}"
IDENTITY_OUT_PORT="${PINAIVU_IDENTITY_OUT_PORT:-8003}"
PARENT_SECRET_PORT="${PINAIVU_PARENT_SECRET_PORT:-900}"
PARENT_CID=3

# Loopback is down when an enclave boots.
ip addr add 127.0.0.1/8 dev lo 2>/dev/null || true
ip link set dev lo up

# The parent reaches the coordinator on vsock port 5000; the coordinator itself only ever listens
# on loopback (ADR 8).
socat "VSOCK-LISTEN:${COORDINATOR_PORT},fork,reuseaddr" "TCP:127.0.0.1:${COORDINATOR_PORT}" &

# KMS: the SDK calls https://kms.REGION.amazonaws.com:8000; that name is loopback here, and socat
# carries the (still TLS-encrypted) bytes to the parent's vsock-proxy, which connects to KMS.
if [ -n "${PINAIVU_KMS_REGION:-}" ]; then
  echo "127.0.0.1 kms.${PINAIVU_KMS_REGION}.amazonaws.com" >> /etc/hosts
  socat "TCP-LISTEN:${KMS_PROXY_PORT},bind=127.0.0.1,fork,reuseaddr" \
    "VSOCK-CONNECT:${PARENT_CID}:${KMS_PROXY_PORT}" &
  # The parent instance role's credentials: the SDK reads the parent's metadata service here.
  socat "TCP-LISTEN:${METADATA_PORT},bind=127.0.0.1,fork,reuseaddr" \
    "VSOCK-CONNECT:${PARENT_CID}:${METADATA_PORT}" &
fi

# The parent secret (docs/enclave.md §5.3, ADR 16): the coordinator serves only connections that
# prove they know it. The parent sealed it with KMS for this image and serves the blob on vsock
# port 900; only this enclave can unseal it. Retry while the parent's bridge is not up yet.
[ -n "${PINAIVU_KMS_REGION:-}" ] || {
  echo "entrypoint: no KMS region in this image: the parent secret cannot be unsealed" >&2; exit 1; }
mkdir -p /run/pinaivu
PARENT_SECRET=/run/pinaivu/parent-secret.sealed
tries=0
until socat -u "VSOCK-CONNECT:${PARENT_CID}:${PARENT_SECRET_PORT}" "CREATE:${PARENT_SECRET}" \
    && [ -s "$PARENT_SECRET" ]; do
  tries=$((tries + 1))
  [ "$tries" -lt 30 ] || {
    echo "entrypoint: the parent serves no sealed parent secret on vsock port ${PARENT_SECRET_PORT}" >&2
    exit 1
  }
  sleep 1
done
set -- --parent-secret-sealed "$PARENT_SECRET" \
  --parent-secret-kms-key "${PINAIVU_PARENT_SECRET_KMS_KEY:-alias/pinaivu-coordinator-seal}" \
  --kms-region "$PINAIVU_KMS_REGION"

# A sealed identity (docs/enclave.md §5.1): one coordinator key across restarts. The KMS key is
# baked into the image, so measured: the parent cannot point the enclave at a key of its own.
if [ -n "${PINAIVU_IDENTITY_KMS_KEY:-}" ]; then
  IDENTITY=/run/pinaivu/identity.sealed
  # The parent serves its stored blob on vsock port 8002 (nothing at the first start). Retry while
  # its bridge is not up yet; an empty answer means there is no blob yet.
  tries=0
  until socat -u "VSOCK-CONNECT:${PARENT_CID}:${IDENTITY_IN_PORT}" "CREATE:${IDENTITY}.in"; do
    tries=$((tries + 1))
    [ "$tries" -lt 30 ] || { echo "entrypoint: the parent serves no sealed identity" >&2; exit 1; }
    sleep 1
  done
  if [ -s "${IDENTITY}.in" ]; then mv "${IDENTITY}.in" "$IDENTITY"; else rm -f "${IDENTITY}.in"; fi
  # Once the coordinator has the blob (it writes one at the first start), hand it to the parent
  # (vsock port 8003) to keep; the blob reveals nothing outside this enclave.
  (
    while [ ! -s "$IDENTITY" ]; do sleep 1; done
    socat -u "OPEN:${IDENTITY}" "VSOCK-CONNECT:${PARENT_CID}:${IDENTITY_OUT_PORT}"
  ) &
  set -- "$@" --sealed-identity "$IDENTITY" --kms-key-id "$PINAIVU_IDENTITY_KMS_KEY"
fi

set -- "$@" --log-origin "${PINAIVU_LOG_ORIGIN:-local.pinaivu.dev/receipts}"
for pcr0 in ${PINAIVU_TRUSTED_PREDECESSOR_PCR0:-}; do
  set -- "$@" --trust-predecessor-pcr0 "$pcr0"
done

exec java -XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError \
  -jar /app/pinaivu-coordinator-enclave.jar --enclave --port "${COORDINATOR_PORT}" "$@"
