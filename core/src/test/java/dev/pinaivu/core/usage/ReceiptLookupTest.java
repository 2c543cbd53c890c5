package dev.pinaivu.core.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.error.ErrorKind;
import dev.pinaivu.core.id.RequestId;
import org.junit.jupiter.api.Test;

class ReceiptLookupTest {
  private final InMemoryReceiptStore store = new InMemoryReceiptStore();
  private final ReceiptLookup lookup = new ReceiptLookup(store);

  private StoredReceipt saved(RequestId id, String account) {
    StoredReceipt r =
        new StoredReceipt(
            id,
            account,
            "key_1",
            "m",
            "node_x",
            "completed",
            1,
            1,
            1,
            1,
            "{\"alg\":\"Ed25519\",\"request\":\"" + id + "\"}");
    store.save(r);
    return r;
  }

  private ApiException refusal(String account, String requestId) {
    return catchThrowableOfType(ApiException.class, () -> lookup.signedReceipt(account, requestId));
  }

  @Test
  void theCallersOwnReceipt_isTheStoredJsonUnchanged() {
    StoredReceipt r = saved(RequestId.next(), "acct_alice");

    assertThat(lookup.signedReceipt("acct_alice", r.requestId().value()))
        .isEqualTo(r.signedReceipt());
  }

  @Test
  void anUnknownId_isNotFound() {
    ApiException e = refusal("acct_alice", RequestId.next().value());

    assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
    assertThat(e.code()).isEqualTo("not_found");
  }

  @Test
  void anotherAccountsReceipt_getsTheSameAnswerAsAnUnknownId() {
    RequestId bobs = RequestId.next();
    saved(bobs, "acct_bob");
    RequestId unknown = RequestId.next();

    ApiException forBobs = refusal("acct_alice", bobs.value());
    ApiException forUnknown = refusal("acct_alice", unknown.value());

    assertThat(forBobs.kind()).isEqualTo(forUnknown.kind()).isEqualTo(ErrorKind.NOT_FOUND);
    assertThat(forBobs.code()).isEqualTo(forUnknown.code());
    assertThat(forBobs.param()).isEqualTo(forUnknown.param());
    assertThat(forBobs.getMessage().replace(bobs.value(), "ID"))
        .isEqualTo(forUnknown.getMessage().replace(unknown.value(), "ID"));
    assertThat(forBobs.getMessage()).doesNotContain("acct_bob");
  }

  @Test
  void aMalformedId_isNotFoundToo() {
    assertThat(refusal("acct_alice", "../etc/passwd").kind()).isEqualTo(ErrorKind.NOT_FOUND);
    assertThat(refusal("acct_alice", null).kind()).isEqualTo(ErrorKind.NOT_FOUND);
    assertThat(refusal("acct_alice", "req_" + "x".repeat(5000)).getMessage()).hasSizeLessThan(200);
  }
}
