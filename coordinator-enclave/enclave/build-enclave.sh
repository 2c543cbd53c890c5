#!/usr/bin/env bash
# Builds the coordinator's enclave image (EIF) and writes its measurements for the release:
#   KMS_REGION=eu-west-1 coordinator-enclave/enclave/build-enclave.sh
# Optional, all measured: IDENTITY_KMS_KEY (ARN sealing a long-lived key), LOG_ORIGIN (the log's
# name), TRUSTED_PREDECESSOR_PCR0 (space-separated PCR0s of releases whose log this one continues).
# Needs: JDK 21+, Docker with BuildKit (buildx >= 0.13 for rewrite-timestamp), nitro-cli, jq.
# Output (in coordinator-enclave/target/enclave/): coordinator.eif, pcrs.json, describe-eif.json.
# Only runs where Docker and nitro-cli are installed (an EC2 instance with the Nitro Enclaves CLI,
# or any Linux build host with aws-nitro-enclaves-cli); see docs/enclave.md.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="${OUT:-$ROOT/coordinator-enclave/target/enclave}"
IMAGE="${IMAGE:-pinaivu-coordinator-enclave:release}"
: "${KMS_REGION:?set KMS_REGION to the region of the sealing key, e.g. eu-west-1}"

for tool in docker nitro-cli jq git; do
  command -v "$tool" >/dev/null || { echo "build-enclave: $tool is not installed" >&2; exit 2; }
done

# A placeholder digest would let the tag float, and PCR0 with it.
if grep -q 'sha256:0\{64\}' "$HERE/Dockerfile" && [ "${ALLOW_UNPINNED_BASE:-}" != 1 ]; then
  echo "build-enclave: pin BASE_IMAGE in coordinator-enclave/enclave/Dockerfile by digest first" \
    "(or ALLOW_UNPINNED_BASE=1 for a throwaway build whose PCRs nobody can reproduce)" >&2
  exit 2
fi

# The commit's own time, so two builds of one commit stamp the same times.
SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$ROOT" log -1 --format=%ct)}"
export SOURCE_DATE_EPOCH
COMMIT="$(git -C "$ROOT" rev-parse HEAD)"
if [ -n "$(git -C "$ROOT" status --porcelain)" ]; then
  echo "build-enclave: warning: the work tree has uncommitted changes; these PCRs match no commit" >&2
fi

(cd "$ROOT" && ./mvnw -B -q -pl coordinator-enclave -am package -DskipTests)

CONTEXT="$OUT/context"
rm -rf "$CONTEXT"
mkdir -p "$CONTEXT"
cp "$HERE/Dockerfile" "$HERE/entrypoint.sh" "$CONTEXT/"
cp "$ROOT/coordinator-enclave/target/pinaivu-coordinator-enclave-"*.jar \
  "$CONTEXT/pinaivu-coordinator-enclave.jar"
cp -r "$ROOT/coordinator-enclave/target/lib" "$CONTEXT/lib"
# Same times on every staged file, whatever the checkout's.
find "$CONTEXT" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

docker buildx build \
  --build-arg "SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH" \
  --build-arg "KMS_REGION=$KMS_REGION" \
  --build-arg "IDENTITY_KMS_KEY=${IDENTITY_KMS_KEY:-}" \
  --build-arg "LOG_ORIGIN=${LOG_ORIGIN:-local.pinaivu.dev/receipts}" \
  --build-arg "TRUSTED_PREDECESSOR_PCR0=${TRUSTED_PREDECESSOR_PCR0:-}" \
  --provenance=false \
  --output "type=docker,name=$IMAGE,rewrite-timestamp=true" \
  "$CONTEXT"

nitro-cli build-enclave --docker-uri "$IMAGE" --output-file "$OUT/coordinator.eif" \
  > "$OUT/build-enclave.json"
nitro-cli describe-eif --eif-path "$OUT/coordinator.eif" > "$OUT/describe-eif.json"

jq --arg commit "$COMMIT" \
  --arg epoch "$SOURCE_DATE_EPOCH" \
  --arg region "$KMS_REGION" \
  --arg eif_sha256 "$(sha256sum "$OUT/coordinator.eif" | cut -d' ' -f1)" \
  '{commit: $commit, source_date_epoch: ($epoch | tonumber), kms_region: $region,
    eif_sha256: $eif_sha256,
    pcr0: .Measurements.PCR0, pcr1: .Measurements.PCR1, pcr2: .Measurements.PCR2}' \
  "$OUT/build-enclave.json" > "$OUT/pcrs.json"

echo "coordinator.eif: $OUT/coordinator.eif"
echo "measurements (publish pcrs.json with the release):"
cat "$OUT/pcrs.json"
