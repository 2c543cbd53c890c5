package dev.pinaivu.core.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.pricing.FeePolicy;
import dev.pinaivu.core.receipt.Receipt;
import dev.pinaivu.core.receipt.ReceiptVerifier;
import dev.pinaivu.core.receipt.SignedDispatchToken;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.receipt.TrustedKeys;
import dev.pinaivu.core.receipt.Verification;
import dev.pinaivu.core.translog.InMemoryLogStore;
import dev.pinaivu.core.translog.TransparencyLog;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A coordinator that restarted with a new key still settles the jobs its predecessor authorised,
 * once its log proved that predecessor: a restart loses no bill. A coordinator its log did not
 * prove settles none of them.
 */
class PredecessorTokensTest {
  private final TransparencyLog log =
      new TransparencyLog(CoordinatorOptions.DEFAULT_LOG_ORIGIN, new InMemoryLogStore());

  private static CoordinatorService newCoordinator() {
    return CoordinatorService.dev(CoordinatorOptions.withFees(new FeePolicy(500)));
  }

  @Test
  void aSuccessorResumingThePredecessorsLog_settlesItsTokens() throws Exception {
    CoordinatorService predecessor = newCoordinator();
    new LogSync(predecessor, log).open();
    new LogSync(predecessor, log).sync(); // its key is in a stored checkpoint
    CoordinatorJob job = new CoordinatorJob();
    SignedDispatchToken token = predecessor.dispatch(job.dispatchRequest());
    // the predecessor dies here, before the job's proof arrives
    CoordinatorService successor = newCoordinator();
    new LogSync(successor, log).open();

    SignedReceipt receipt = successor.settle(job.settleRequest(token)).orElseThrow();

    assertThat(receipt.keyId()).isEqualTo(successor.identity().keyId());
    assertThat(token.token().coordinatorKeyId()).isEqualTo(predecessor.identity().keyId());
    Verification<Receipt> verified =
        new ReceiptVerifier(
                new TrustedKeys(List.of(successor.identity(), predecessor.identity()), true))
            .verify(receipt);
    assertThat(verified.reason()).isEmpty();
    // trusting the successor alone is not enough: the token's key must be trusted too
    assertThat(
            new ReceiptVerifier(new TrustedKeys(List.of(successor.identity()), true))
                .verify(receipt)
                .reason())
        .startsWith("dispatch token: key_id");
  }

  @Test
  void aCoordinatorWhoseLogDidNotProveTheKey_refusesItsTokens() throws Exception {
    CoordinatorService stranger = newCoordinator();
    CoordinatorJob job = new CoordinatorJob();
    SignedDispatchToken token = stranger.dispatch(job.dispatchRequest());
    CoordinatorService other = newCoordinator();
    new LogSync(other, log).open();

    assertThat(other.settle(job.settleRequest(token)).reason())
        .contains("is not a trusted coordinator key");
  }
}
