package dev.pinaivu.coordinator.kms;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.coordinator.nsm.FakeNsm;
import dev.pinaivu.core.attestation.AttestationDocument;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The KMS adapter through the real AWS SDK client against {@link KmsTestServer}, a loopback fixture
 * speaking KMS's JSON protocol. The NSM is {@link FakeNsm} (its documents are unsigned; real KMS
 * would check them, the fixture only reads them).
 */
class KmsSealedStateIT {
  private static final byte[] STATE = "log-size=4711".getBytes(UTF_8);

  private KmsTestServer fixture;
  private KmsClient kms;
  private SealedState sealedState;

  @BeforeEach
  void start() throws Exception {
    fixture = new KmsTestServer();
    kms = fixture.client();
    sealedState = new KmsSealedState(kms, KmsTestServer.KEY_ARN, FakeNsm::document);
  }

  @AfterEach
  void stop() {
    kms.close();
    fixture.close();
  }

  @Test
  void sealedState_unsealsToTheSameBytes_throughAnAttestedRecipient() {
    byte[] sealed = sealedState.seal("log-position", STATE);

    assertThat(sealed).isNotEqualTo(STATE);
    assertThat(sealedState.unseal("log-position", sealed)).isEqualTo(STATE);
  }

  @Test
  void generatedState_isRevealedThroughTheRecipient_andUnsealsToTheSameBytes() {
    SealedState.Generated generated = sealedState.generate("identity-key", 32);

    assertThat(generated.state()).hasSize(32);
    assertThat(sealedState.unseal("identity-key", generated.sealed())).isEqualTo(generated.state());
    JsonNode request = fixture.generateRequests().get(0);
    assertThat(request.path("NumberOfBytes").asInt()).isEqualTo(32);
    assertThat(request.path("Recipient").path("KeyEncryptionAlgorithm").asText())
        .isEqualTo("RSAES_OAEP_SHA_256");
    assertThat(generated.toString()).contains("redacted");
  }

  @Test
  void generate_inAnEnclaveThePolicyDoesNotAccept_isRefused() {
    fixture.requirePcr0("ab".repeat(48));

    assertThatThrownBy(() -> sealedState.generate("identity-key", 32))
        .isInstanceOf(SealingException.class)
        .hasMessage(
            "KMS GenerateDataKey failed: AccessDeniedException: kms:RecipientAttestation denied");
  }

  @Test
  void theDecryptRequest_carriesTheRecipient_withAnAttestedFreshRsaKey() throws Exception {
    sealedState.unseal("log-position", sealedState.seal("log-position", STATE));

    List<JsonNode> requests = fixture.decryptRequests();
    assertThat(requests).hasSize(1);
    JsonNode request = requests.get(0);
    assertThat(request.path("KeyId").asText()).isEqualTo(KmsTestServer.KEY_ARN);
    assertThat(request.path("EncryptionContext").path("pinaivu:sealed").asText())
        .isEqualTo("log-position");
    JsonNode recipient = request.path("Recipient");
    assertThat(recipient.path("KeyEncryptionAlgorithm").asText()).isEqualTo("RSAES_OAEP_SHA_256");
    byte[] document = Base64.getDecoder().decode(recipient.path("AttestationDocument").asText());
    byte[] spki = AttestationDocument.parse(document).publicKey();
    assertThat(KmsEnvelopes.publicKey(spki).getAlgorithm()).isEqualTo("RSA");
    assertThat(spki).hasSize(294);
  }

  @Test
  void everyUnseal_usesANewRecipientKey() throws Exception {
    byte[] sealed = sealedState.seal("log-position", STATE);
    sealedState.unseal("log-position", sealed);
    sealedState.unseal("log-position", sealed);

    List<JsonNode> requests = fixture.decryptRequests();
    assertThat(requests.get(0).path("Recipient").path("AttestationDocument"))
        .isNotEqualTo(requests.get(1).path("Recipient").path("AttestationDocument"));
  }

  @Test
  void aBlobSealedUnderOneName_doesNotUnsealUnderAnother() {
    byte[] sealed = sealedState.seal("log-position", STATE);

    assertThatThrownBy(() -> sealedState.unseal("identity-key", sealed))
        .isInstanceOf(SealingException.class)
        .hasMessageStartingWith("KMS Decrypt failed: InvalidCiphertextException");
  }

  @Test
  void anEnclaveTheKeyPolicyDoesNotAccept_isToldSo() {
    byte[] sealed = sealedState.seal("log-position", STATE);
    fixture.requirePcr0("ab".repeat(48));

    assertThatThrownBy(() -> sealedState.unseal("log-position", sealed))
        .isInstanceOf(SealingException.class)
        .hasMessage("KMS Decrypt failed: AccessDeniedException: kms:RecipientAttestation denied");
  }

  @Test
  void aPlaintextAnswer_isRefused() {
    byte[] sealed = sealedState.seal("log-position", STATE);
    fixture.answerWithPlaintext();

    assertThatThrownBy(() -> sealedState.unseal("log-position", sealed))
        .hasMessageContaining("without CiphertextForRecipient");
  }

  @Test
  void anEnvelopeForAnotherKey_isRefused() {
    byte[] sealed = sealedState.seal("log-position", STATE);
    fixture.envelopeFor(RecipientKey.generate().publicKeyDer());

    assertThatThrownBy(() -> sealedState.unseal("log-position", sealed))
        .isInstanceOf(SealingException.class)
        .hasMessageStartingWith("the envelope does not open with this recipient key");
  }

  @Test
  void badNamesAndSizes_areRefusedBeforeKmsIsCalled() {
    assertThatThrownBy(() -> sealedState.seal("Log Position", STATE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sealedState.seal("log-position", new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sealedState.seal("log-position", new byte[4097]))
        .hasMessageContaining("1..4096");
    assertThat(fixture.decryptRequests()).isEmpty();
  }

  @Test
  void theInstanceRolesCredentials_fromTheMetadataBridge_signTheKmsCalls() throws Exception {
    try (InstanceMetadataTestServer metadata = new InstanceMetadataTestServer();
        KmsClient asInstance =
            EnclaveKms.client(
                fixture.endpoint(),
                Region.EU_WEST_1,
                EnclaveKms.instanceRole(metadata.endpoint()))) {
      SealedState sealed = new KmsSealedState(asInstance, KmsTestServer.KEY_ARN, FakeNsm::document);

      assertThat(sealed.unseal("identity-key", sealed.seal("identity-key", STATE)))
          .isEqualTo(STATE);
      assertThat(metadata.credentialReads()).isPositive();
      assertThat(fixture.authorizations())
          .hasSize(2)
          .allSatisfy(header ->
              assertThat(header)
                  .startsWith(
                      "AWS4-HMAC-SHA256 Credential="
                          + InstanceMetadataTestServer.ACCESS_KEY_ID
                          + "/")
                  .contains("/eu-west-1/kms/aws4_request"));
    }
  }

  @Test
  void theEnclaveEndpoint_isTheRealKmsHostNameOnTheProxyPort() {
    assertThat(EnclaveKms.endpoint(Region.EU_WEST_1, EnclaveKms.PROXY_PORT))
        .hasToString("https://kms.eu-west-1.amazonaws.com:8000");
  }
}
