#!/usr/bin/env bash
# Runs the coordinator enclave on this (parent) EC2 instance and bridges it, as root:
#   KMS_REGION=eu-west-1 coordinator-enclave/enclave/run-enclave.sh [path/to/coordinator.eif]
# IDENTITY_FILE (default /var/lib/pinaivu/identity.sealed) keeps a sealed identity's blob;
# PARENT_SECRET_SEALED (default /var/lib/pinaivu/secret/coordinator-secret.sealed) is the parent
# secret sealed for the enclave, made first by `pinaivu coordinator-secret` (docs/enclave.md §5.3).
# Then the gateway on this instance uses --coordinator 127.0.0.1:5000 with
# --coordinator-secret-file set to that secret's file. Stops the enclave on exit.
# Needs: an enclave-enabled instance, aws-nitro-enclaves-cli (nitro-cli, vsock-proxy, the
# allocator service), socat >= 1.7.4, jq, curl. Only runs on AWS; see docs/enclave.md.
# FUNCTIONS_PORT (unset: none) bridges the coordinator on that port of the instance's private
# address too, for the serverless chat functions over the VPC peering (ADR 37); FUNCTIONS_BIND
# overrides the address (default: the instance's, from its metadata service).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
EIF="${1:-$HERE/../target/enclave/coordinator.eif}"
CID="${ENCLAVE_CID:-16}"
CPUS="${ENCLAVE_CPUS:-2}"
MEMORY_MIB="${ENCLAVE_MEMORY_MIB:-2048}"
PORT="${COORDINATOR_PORT:-5000}"
KMS_PROXY_PORT="${KMS_PROXY_PORT:-8000}"
METADATA_PORT="${METADATA_PORT:-8001}"
# Below 1024, so only root can listen there: a process that could would hand the enclave a secret
# of its own choosing (any process here may KMS-Encrypt with the instance role).
PARENT_SECRET_PORT="${PARENT_SECRET_PORT:-900}"
PARENT_SECRET_SEALED="${PARENT_SECRET_SEALED:-/var/lib/pinaivu/secret/coordinator-secret.sealed}"
: "${KMS_REGION:?set KMS_REGION to the region of the sealing key, e.g. eu-west-1}"

for tool in nitro-cli vsock-proxy socat jq curl; do
  command -v "$tool" >/dev/null || { echo "run-enclave: $tool is not installed" >&2; exit 2; }
done
[ -f "$EIF" ] || { echo "run-enclave: no enclave image at $EIF (run build-enclave.sh)" >&2; exit 2; }
[ -s "$PARENT_SECRET_SEALED" ] || {
  echo "run-enclave: no sealed parent secret at $PARENT_SECRET_SEALED (run \`pinaivu" \
    "coordinator-secret --secret-file FILE --sealed-file $PARENT_SECRET_SEALED --kms-key-id" \
    "alias/pinaivu-coordinator-seal\` first; docs/enclave.md §5.3)" >&2
  exit 2
}

# The allocator sets memory and CPUs aside for enclaves at boot of its service; the enclave gets
# them from that pool, so the pool must be at least what the enclave asks for.
ALLOCATOR=/etc/nitro_enclaves/allocator.yaml
WANTED="$(printf -- '---\nmemory_mib: %s\ncpu_count: %s\n' "$MEMORY_MIB" "$CPUS")"
if [ "$(cat "$ALLOCATOR" 2>/dev/null)" != "$WANTED" ]; then
  printf '%s\n' "$WANTED" > "$ALLOCATOR"
  systemctl restart nitro-enclaves-allocator.service
fi

DEBUG_FLAGS=()
if [ "${ENCLAVE_DEBUG:-}" = 1 ]; then
  # Debug mode zeroes PCR0/1/2/8 in every attestation: verifiers refuse it unless told otherwise.
  DEBUG_FLAGS=(--debug-mode)
fi

RUN_JSON="$(nitro-cli run-enclave --eif-path "$EIF" --cpu-count "$CPUS" --memory "$MEMORY_MIB" \
  --enclave-cid "$CID" "${DEBUG_FLAGS[@]}")"
ENCLAVE_ID="$(jq -r .EnclaveID <<<"$RUN_JSON")"
echo "enclave $ENCLAVE_ID running with CID $CID"

stop() {
  trap - EXIT INT TERM
  jobs -p | xargs -r kill 2>/dev/null || true
  nitro-cli terminate-enclave --enclave-id "$ENCLAVE_ID" >/dev/null || true
}
trap stop EXIT INT TERM

# The gateway's loopback port -> the enclave's vsock port 5000 (ADR 8). Loopback only: the
# coordinator protocol is not encrypted (it authenticates the parent with the secret below).
socat "TCP-LISTEN:$PORT,bind=127.0.0.1,fork,reuseaddr" "VSOCK-CONNECT:$CID:$PORT" &

# The serverless chat functions (ADR 37): the same bridge on the instance's private address, where
# the security group lets in only the functions' group. Each connection still proves the parent
# secret first (ADR 16), which the functions read from Parameter Store.
if [ -n "${FUNCTIONS_PORT:-}" ]; then
  if [ -z "${FUNCTIONS_BIND:-}" ]; then
    imds_token="$(curl -sf -X PUT http://169.254.169.254/latest/api/token \
      -H 'X-aws-ec2-metadata-token-ttl-seconds: 60')"
    FUNCTIONS_BIND="$(curl -sf -H "X-aws-ec2-metadata-token: $imds_token" \
      http://169.254.169.254/latest/meta-data/local-ipv4)"
  fi
  [ -n "$FUNCTIONS_BIND" ] || { echo "run-enclave: no private address for FUNCTIONS_PORT" >&2; exit 2; }
  socat "TCP-LISTEN:$FUNCTIONS_PORT,bind=$FUNCTIONS_BIND,fork,reuseaddr" "VSOCK-CONNECT:$CID:$PORT" &
  echo "coordinator bridged on $FUNCTIONS_BIND:$FUNCTIONS_PORT for the chat functions"
fi

# The enclave's KMS calls: vsock port 8000 -> kms.REGION.amazonaws.com:443 (TLS passes through;
# the host must be in /etc/nitro_enclaves/vsock-proxy.yaml, which lists the KMS endpoints).
vsock-proxy "$KMS_PROXY_PORT" "kms.$KMS_REGION.amazonaws.com" 443 &

# The enclave's AWS credentials: this instance's role, from its metadata service (IMDSv2; the
# request leaves from this instance, so a hop limit of 1 suffices).
socat "VSOCK-LISTEN:$METADATA_PORT,fork,reuseaddr" "TCP:169.254.169.254:80" &

# A sealed identity (images built with IDENTITY_KMS_KEY): the enclave fetches its blob from
# vsock port 8002 at start (nothing when the file does not exist yet) and hands a new one back on
# 8003, which replaces the file atomically. The blob is useless without the attested enclave.
IDENTITY_FILE="${IDENTITY_FILE:-/var/lib/pinaivu/identity.sealed}"
mkdir -p "$(dirname "$IDENTITY_FILE")"
socat -u "VSOCK-LISTEN:8002,fork,reuseaddr" "SYSTEM:cat '$IDENTITY_FILE' 2>/dev/null || true" &
socat -u "VSOCK-LISTEN:8003,fork,reuseaddr" \
  "SYSTEM:cat > '$IDENTITY_FILE.tmp' && [ -s '$IDENTITY_FILE.tmp' ] && mv '$IDENTITY_FILE.tmp' '$IDENTITY_FILE'" &

# The parent secret, sealed for the enclave (ADR 16): the entrypoint fetches it from vsock port
# 900 at start. Whoever else connects gets a blob that only the measured image can unseal.
socat -u "VSOCK-LISTEN:$PARENT_SECRET_PORT,fork,reuseaddr" "SYSTEM:cat '$PARENT_SECRET_SEALED'" &

if [ "${ENCLAVE_DEBUG:-}" = 1 ]; then
  nitro-cli console --enclave-id "$ENCLAVE_ID" &
fi
wait
