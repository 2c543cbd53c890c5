#!/bin/sh
# Runs inside the Nitro Enclave as PID 1's child: brings up loopback, starts the two vsock bridges,
# then the coordinator. The enclave has no network: vsock to the parent (CID 3) is its only channel.
set -eu

COORDINATOR_PORT="${PINAIVU_COORDINATOR_PORT:-5000}"
KMS_PROXY_PORT="${PINAIVU_KMS_PROXY_PORT:-8000}"
METADATA_PORT="${PINAIVU_METADATA_PORT:-8001}"
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

exec java -XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError \
  -jar /app/pinaivu-coordinator-enclave.jar --enclave --port "${COORDINATOR_PORT}"
