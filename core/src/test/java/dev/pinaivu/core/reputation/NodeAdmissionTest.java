package dev.pinaivu.core.reputation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.node.NodeKey;
import dev.pinaivu.core.reputation.NodeAdmission.Mode;
import dev.pinaivu.core.reputation.NodeAdmission.Refusal;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodeAdmissionTest {
  private final NodeId listed = NodeKey.generate().id();
  private final NodeId stranger = NodeKey.generate().id();

  @Test
  void open_admitsAnyNode() {
    assertThat(NodeAdmission.DEFAULTS.admit(stranger, 0.0).admitted()).isTrue();
  }

  @Test
  void allowlist_admitsOnlyTheListedKeys() {
    NodeAdmission policy = new NodeAdmission(Mode.ALLOWLIST, Set.of(listed), 0.4, 16, 64);

    assertThat(policy.admit(listed, 0.5).admitted()).isTrue();
    assertThat(policy.admit(stranger, 0.9).refusal()).isEqualTo(Refusal.NOT_ALLOWLISTED);
  }

  @Test
  void minReputation_admitsNewNodesAndRefusesThoseBelowTheThreshold() {
    NodeAdmission policy = new NodeAdmission(Mode.MIN_REPUTATION, Set.of(), 0.4, 16, 64);

    assertThat(policy.admit(stranger, 0.5).admitted()).isTrue();
    NodeAdmission.Verdict low = policy.admit(stranger, 0.25);
    assertThat(low.refusal()).isEqualTo(Refusal.LOW_REPUTATION);
    assertThat(low.message()).contains("0.25", "0.40");
    assertThat(policy.belowMinimum(0.39)).isTrue();
    assertThat(NodeAdmission.DEFAULTS.belowMinimum(0.0)).isFalse();
  }

  @Test
  void refusals_nameTheirLimitInTheCloseReason() {
    assertThat(NodeAdmission.DEFAULTS.addressFull("10.0.0.7").message())
        .isEqualTo("16 nodes from 10.0.0.7 are connected already");
    assertThat(NodeAdmission.DEFAULTS.operatorFull("acme").refusal().code())
        .isEqualTo("operator_limit");
  }

  @Test
  void modes_parseTheirCliSpelling() {
    assertThat(Mode.parse("min-reputation")).isEqualTo(Mode.MIN_REPUTATION);
    assertThat(Mode.parse("open")).isEqualTo(Mode.OPEN);
    assertThatThrownBy(() -> Mode.parse("closed")).hasMessageContaining("open, allowlist");
  }

  @Test
  void anEmptyAllowlist_isRefusedAsAPolicy() {
    assertThatThrownBy(() -> new NodeAdmission(Mode.ALLOWLIST, Set.of(), 0.4, 16, 64))
        .hasMessageContaining("at least one node key");
  }
}
