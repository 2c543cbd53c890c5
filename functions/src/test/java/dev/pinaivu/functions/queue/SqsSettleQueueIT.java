package dev.pinaivu.functions.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.billing.SettleQueueUnavailableException;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.functions.testsupport.ElasticMq;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** Settle reminders on SQS's protocol, against ElasticMQ embedded on loopback. */
class SqsSettleQueueIT {
  private final SqsClient sqs = ElasticMq.shared().client();
  private final String url =
      sqs.createQueue(b -> b.queueName("settle-" + UUID.randomUUID())).queueUrl();

  private List<Message> receive(int waitSeconds) {
    return sqs.receiveMessage(
            b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(waitSeconds))
        .messages();
  }

  @Test
  void aReminder_namesItsRequest_andArrivesOnlyAfterItsDelay() {
    RequestId id = RequestId.next();
    new SqsSettleQueue(sqs, url, Duration.ofSeconds(2)).remind(id);

    assertThat(receive(0)).as("held back by its delay").isEmpty();
    List<Message> later = receive(5);

    assertThat(later)
        .singleElement()
        .satisfies(m -> assertThat(SqsSettleQueue.requestId(m.body())).isEqualTo(id));
  }

  @Test
  void aBodyThatIsNoReminder_isRefusedWithTheReason() {
    assertThatThrownBy(() -> SqsSettleQueue.requestId("hello"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("JSON");
    assertThatThrownBy(() -> SqsSettleQueue.requestId("{\"request_id\":7}"))
        .hasMessageContaining("request_id");
    assertThatThrownBy(() -> SqsSettleQueue.requestId("{\"request_id\":\"req_nope\"}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SqsSettleQueue.requestId(null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aQueueThatCannotBeReached_isReportedAsUnavailable() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, null)) {
      closedPort = s.getLocalPort();
    }
    SqsClient unreachable =
        SqsClient.builder()
            .endpointOverride(URI.create("http://127.0.0.1:" + closedPort))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
            .httpClient(UrlConnectionHttpClient.create())
            .build();

    assertThatThrownBy(
            () -> new SqsSettleQueue(unreachable, url, Duration.ZERO).remind(RequestId.next()))
        .isInstanceOf(SettleQueueUnavailableException.class);
  }

  @Test
  void aDelayBeyondSqssLimit_isRefused() {
    assertThatThrownBy(() -> new SqsSettleQueue(sqs, url, Duration.ofMinutes(16)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
