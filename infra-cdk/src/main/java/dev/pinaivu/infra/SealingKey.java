package dev.pinaivu.infra;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.iam.AnyPrincipal;
import software.amazon.awscdk.services.iam.ArnPrincipal;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.Key;
import software.constructs.Construct;

/**
 * A symmetric KMS key whose plaintext only the measured coordinator enclave ever sees
 * (docs/enclave.md §5, ADR 12). The instance role may {@code Decrypt} and {@code GenerateDataKey}
 * only with a {@code Recipient} attestation document whose PCRs are the pinned ones; KMS then
 * answers with an envelope for the enclave's own RSA key. A second statement denies those two
 * actions to everyone without the pinned PCR0, so no IAM policy added later can open the key to the
 * parent. The account root keeps administration (CDK's default statement).
 */
final class SealingKey extends Construct {

  /** PCR0 is the image digest; KMS names its condition key ImageSha384. */
  static final String PCR0_CONDITION = "kms:RecipientAttestation:ImageSha384";

  static final String PCR_CONDITION_PREFIX = "kms:RecipientAttestation:";

  static final List<String> ENCLAVE_ACTIONS = List.of("kms:Decrypt", "kms:GenerateDataKey");

  private final Key key;

  /**
   * @param parentMaySeal whether the instance role may also {@code Encrypt} (seal) without
   *     attestation. Never for the identity key: a parent that can encrypt can plant a seed it
   *     knows (ADR 12).
   */
  SealingKey(
      Construct scope,
      String id,
      String alias,
      String description,
      IRole instanceRole,
      Map<String, String> pinnedPcrs,
      boolean parentMaySeal) {
    super(scope, id);
    key =
        Key.Builder.create(this, "Key")
            .alias(alias)
            .description(description)
            .enableKeyRotation(true)
            .pendingWindow(Duration.days(30))
            .build();
    Map<String, Object> measured = Map.of("StringEqualsIgnoreCase", conditionValues(pinnedPcrs));
    key.addToResourcePolicy(
        PolicyStatement.Builder.create()
            .sid("OnlyTheMeasuredCoordinatorEnclave")
            .effect(Effect.ALLOW)
            .principals(List.of(new ArnPrincipal(instanceRole.getRoleArn())))
            .actions(ENCLAVE_ACTIONS)
            .resources(List.of("*"))
            .conditions(measured)
            .build());
    key.addToResourcePolicy(
        PolicyStatement.Builder.create()
            .sid("NobodyElseEvenByIamPolicy")
            .effect(Effect.DENY)
            .principals(List.of(new AnyPrincipal()))
            .actions(ENCLAVE_ACTIONS)
            .resources(List.of("*"))
            // A negated operator matches when the key is absent: no Recipient, no plaintext. PCR0
            // alone pins the whole image (one statement per register would be needed for more,
            // since the keys of one operator must all match).
            .conditions(
                Map.of("StringNotEqualsIgnoreCase", Map.of(PCR0_CONDITION, pinnedPcrs.get("PCR0"))))
            .build());
    if (parentMaySeal) {
      key.addToResourcePolicy(
          PolicyStatement.Builder.create()
              .sid("TheParentInstanceMaySeal")
              .effect(Effect.ALLOW)
              .principals(List.of(new ArnPrincipal(instanceRole.getRoleArn())))
              .actions(List.of("kms:Encrypt"))
              .resources(List.of("*"))
              .build());
    }
  }

  Key key() {
    return key;
  }

  static Map<String, Object> conditionValues(Map<String, String> pinnedPcrs) {
    Map<String, Object> values = new LinkedHashMap<>();
    pinnedPcrs.forEach((register, value) ->
        values.put(
            register.equals("PCR0") ? PCR0_CONDITION : PCR_CONDITION_PREFIX + register, value));
    return values;
  }
}
