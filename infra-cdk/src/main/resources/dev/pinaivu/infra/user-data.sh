#!/bin/bash
# The coordinator's parent instance, first boot. Rendered by infra-cdk's CoordinatorUserData,
# which fills in the at-sign placeholders at synth. Installs the Nitro Enclaves CLI, fetches the
# enclave image and run-enclave.sh from the stack's assets, and runs them as
# pinaivu-coordinator.service.
set -euxo pipefail

dnf install -y aws-nitro-enclaves-cli aws-nitro-enclaves-cli-devel socat jq
systemctl enable --now nitro-enclaves-allocator.service

install -d -m 0755 /opt/pinaivu
install -d -m 0700 "$(dirname '@IDENTITY_FILE@')"
aws s3 cp --region '@REGION@' '@EIF_URL@' /opt/pinaivu/coordinator.eif
aws s3 cp --region '@REGION@' '@RUN_SCRIPT_URL@' /opt/pinaivu/run-enclave.sh
chmod 0755 /opt/pinaivu/run-enclave.sh

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
ExecStart=/opt/pinaivu/run-enclave.sh /opt/pinaivu/coordinator.eif
Restart=always
RestartSec=5

[Install]
WantedBy=multi-user.target
UNIT

systemctl daemon-reload
systemctl enable --now pinaivu-coordinator.service
