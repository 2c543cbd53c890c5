#!/bin/bash
# The coordinator's parent instance, first boot. Rendered by infra-cdk's CoordinatorUserData,
# which fills in the at-sign placeholders at synth. Installs the Nitro Enclaves CLI and Java, fetches
# the enclave image, run-enclave.sh and the gateway from the stack's assets, and runs them as
# pinaivu-coordinator.service and pinaivu-gateway.service.
set -euxo pipefail

dnf install -y aws-nitro-enclaves-cli aws-nitro-enclaves-cli-devel socat jq \
  java-21-amazon-corretto-headless unzip
systemctl enable --now nitro-enclaves-allocator.service

install -d -m 0755 /opt/pinaivu
# 0711: the gateway's user may pass through to its own directory, not list this one (the
# identity's blob is no secret: it is kept in SSM in plain sight, below).
install -d -m 0711 "$(dirname '@IDENTITY_FILE@')"
aws s3 cp --region '@REGION@' '@EIF_URL@' /opt/pinaivu/coordinator.eif
aws s3 cp --region '@REGION@' '@RUN_SCRIPT_URL@' /opt/pinaivu/run-enclave.sh
chmod 0755 /opt/pinaivu/run-enclave.sh

# The gateway runs as its own unprivileged user, not as root beside the enclave tooling.
aws s3 cp --region '@REGION@' '@GATEWAY_URL@' /opt/pinaivu/gateway.zip
rm -rf /opt/pinaivu/gateway
unzip -q /opt/pinaivu/gateway.zip -d /opt/pinaivu/gateway
rm /opt/pinaivu/gateway.zip
id -u pinaivu > /dev/null 2>&1 || useradd --system --no-create-home --shell /sbin/nologin pinaivu
install -d -m 0700 -o pinaivu -g pinaivu /var/lib/pinaivu/gateway
# The secret the gateway and the enclave share (ADR 16), root-only: `pinaivu coordinator-secret`
# makes it at the first start of the coordinator's service and seals it for the enclave.
install -d -m 0700 "$(dirname '@PARENT_SECRET_FILE@')"

# The sealed identity's blob outlives this instance in an SSM parameter (it is useless outside
# the measured enclave): restored before the enclave starts, saved whenever the enclave hands
# back a new one. "restore" fails on anything but a missing parameter, so a network error never
# makes the enclave generate a new identity over the kept one.
cat > /opt/pinaivu/identity-blob.sh <<'SCRIPT'
#!/bin/bash
set -euo pipefail
PARAMETER='@IDENTITY_PARAMETER@'
FILE="${IDENTITY_FILE:?}"
REGION='@REGION@'
case "${1:-}" in
  restore)
    [ -s "$FILE" ] && exit 0
    if out="$(aws ssm get-parameter --region "$REGION" --name "$PARAMETER" \
        --query Parameter.Value --output text 2>&1)"; then
      printf '%s' "$out" | base64 -d > "$FILE.restore" && mv "$FILE.restore" "$FILE"
    elif grep -q ParameterNotFound <<<"$out"; then
      echo "identity-blob: no kept identity yet"
    else
      echo "identity-blob: cannot read $PARAMETER: $out" >&2
      exit 1
    fi ;;
  save)
    [ -s "$FILE" ] || exit 0
    aws ssm put-parameter --region "$REGION" --name "$PARAMETER" --type String --overwrite \
      --value "$(base64 -w0 "$FILE")" > /dev/null ;;
  *) echo "usage: identity-blob.sh restore|save" >&2; exit 2 ;;
esac
SCRIPT
chmod 0755 /opt/pinaivu/identity-blob.sh

# The parent secret in Parameter Store (ADR 37), where the serverless chat functions read it: a
# SecureString under the stack's own key. "restore" brings back the kept one before
# `coordinator-secret` runs (which keeps a secret it finds), so a replaced instance keeps the
# secret the functions know; "save" puts a new one, once (put-parameter without --overwrite never
# replaces it). The value is never on a command line, and every file it is in is owner-only.
cat > /opt/pinaivu/parent-secret.sh <<'SCRIPT'
#!/bin/bash
set -euo pipefail
umask 077
PARAMETER='@PARENT_SECRET_PARAMETER@'
FILE='@PARENT_SECRET_FILE@'
REGION='@REGION@'
case "${1:-}" in
  restore)
    [ -s "$FILE" ] && exit 0
    if out="$(aws ssm get-parameter --region "$REGION" --name "$PARAMETER" --with-decryption \
        --query Parameter.Value --output text 2>&1)"; then
      printf '%s\n' "$out" > "$FILE.restore" && mv "$FILE.restore" "$FILE"
    elif grep -q ParameterNotFound <<<"$out"; then
      echo "parent-secret: none kept yet"
    else
      echo "parent-secret: cannot read $PARAMETER: $out" >&2
      exit 1
    fi ;;
  save)
    input="$(mktemp)"
    trap 'rm -f "$input"' EXIT
    jq -n --rawfile value "$FILE" --arg name "$PARAMETER" --arg key '@PARENT_SECRET_KEY@' \
      '{Name: $name, Type: "SecureString", KeyId: $key, Value: ($value | rtrimstr("\n")),
        Description: "the coordinator parent secret (ADR 16, 37)"}' > "$input"
    if ! out="$(aws ssm put-parameter --region "$REGION" --cli-input-json "file://$input" 2>&1)"; then
      grep -q ParameterAlreadyExists <<<"$out" || {
        echo "parent-secret: cannot save $PARAMETER: $out" >&2
        exit 1
      }
    fi ;;
  *) echo "usage: parent-secret.sh restore|save" >&2; exit 2 ;;
esac
SCRIPT
chmod 0700 /opt/pinaivu/parent-secret.sh

# run-enclave.sh writes the allocator's pool (and restarts it when the pool changes), starts the
# enclave and its vsock bridges, and terminates the enclave when it is stopped.
cat > /etc/systemd/system/pinaivu-coordinator.service <<'UNIT'
[Unit]
Description=Pinaivu coordinator in a Nitro Enclave, with its vsock bridges
Wants=network-online.target
After=network-online.target nitro-enclaves-allocator.service

[Service]
Type=simple
Environment=KMS_REGION=@REGION@
Environment=ENCLAVE_CPUS=@ENCLAVE_CPUS@
Environment=ENCLAVE_MEMORY_MIB=@ENCLAVE_MEMORY_MIB@
Environment=IDENTITY_FILE=@IDENTITY_FILE@
Environment=PARENT_SECRET_SEALED=@PARENT_SECRET_SEALED@
Environment=FUNCTIONS_PORT=@FUNCTIONS_PORT@
ExecStartPre=/opt/pinaivu/identity-blob.sh restore
ExecStartPre=/opt/pinaivu/parent-secret.sh restore
# The parent secret, made once, and sealed again at every start for the enclave with KMS Encrypt
# under the state key (the role may encrypt with it; only the measured image may decrypt).
ExecStartPre=/usr/bin/java -cp /opt/pinaivu/gateway/pinaivu.jar:/opt/pinaivu/gateway/lib/* dev.pinaivu.cli.Pinaivu coordinator-secret --secret-file @PARENT_SECRET_FILE@ --sealed-file @PARENT_SECRET_SEALED@ --kms-key-id @SEAL_KEY@ --kms-region @REGION@
ExecStartPre=/opt/pinaivu/parent-secret.sh save
ExecStart=/opt/pinaivu/run-enclave.sh /opt/pinaivu/coordinator.eif
Restart=always
RestartSec=5

[Install]
WantedBy=multi-user.target
UNIT

cat > /etc/systemd/system/pinaivu-identity-save.path <<'UNIT'
[Unit]
Description=Keep the coordinator's sealed identity blob when the enclave writes a new one

[Path]
PathChanged=@IDENTITY_FILE@

[Install]
WantedBy=multi-user.target
UNIT

cat > /etc/systemd/system/pinaivu-identity-save.service <<'UNIT'
[Unit]
Description=Save the coordinator's sealed identity blob to SSM

[Service]
Type=oneshot
Environment=IDENTITY_FILE=@IDENTITY_FILE@
ExecStart=/opt/pinaivu/identity-blob.sh save
UNIT

# The gateway syncs the log (leaves in the stack's table) and serves clients on 127.0.0.1:8080
# only: operators reach it with Session Manager port forwarding. It restarts until the
# coordinator's bridge on 127.0.0.1:5000 is up. Before each start, root copies the parent secret
# into the gateway's own directory, owner-only for its user ("+": this line runs as root).
cat > /etc/systemd/system/pinaivu-gateway.service <<'UNIT'
[Unit]
Description=Pinaivu gateway on the parent, loopback only, log leaves in DynamoDB
Wants=network-online.target pinaivu-coordinator.service
After=network-online.target pinaivu-coordinator.service

[Service]
Type=simple
User=pinaivu
Group=pinaivu
Environment=AWS_REGION=@REGION@
WorkingDirectory=/var/lib/pinaivu/gateway
ExecStartPre=+/usr/bin/install -m 0400 -o pinaivu -g pinaivu @PARENT_SECRET_FILE@ /var/lib/pinaivu/gateway/coordinator-secret
ExecStart=/usr/bin/java --enable-native-access=ALL-UNNAMED -cp /opt/pinaivu/gateway/pinaivu.jar:/opt/pinaivu/gateway/lib/* dev.pinaivu.cli.Pinaivu gateway --host 127.0.0.1 --coordinator 127.0.0.1:5000 --coordinator-secret-file /var/lib/pinaivu/gateway/coordinator-secret --log-table @LOG_TABLE@ --aws-region @REGION@ --log-origin @LOG_ORIGIN@ --data-dir /var/lib/pinaivu/gateway --port 8080
Restart=always
RestartSec=5

[Install]
WantedBy=multi-user.target
UNIT

systemctl daemon-reload
systemctl enable --now pinaivu-identity-save.path
systemctl enable --now pinaivu-coordinator.service
systemctl enable --now pinaivu-gateway.service
