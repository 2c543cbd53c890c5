package dev.pinaivu.functions.testsupport;

import java.net.URI;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * ElasticMQ (an SQS-compatible server) embedded in the test JVM on loopback, on a free port: one
 * per test run, stopped when the JVM exits. Not SQS: it speaks SQS's protocols, and the queue
 * adapters' contract suites run against it.
 */
public final class ElasticMq {
  private static ElasticMq shared;

  private final SQSRestServer server;
  private final URI endpoint;

  private ElasticMq() {
    server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
    int port = server.waitUntilStarted().localAddress().getPort();
    endpoint = URI.create("http://127.0.0.1:" + port);
    Runtime.getRuntime().addShutdownHook(new Thread(server::stopAndWait));
  }

  /** The run's server, started on first use. */
  public static synchronized ElasticMq shared() {
    if (shared == null) {
      shared = new ElasticMq();
    }
    return shared;
  }

  public URI endpoint() {
    return endpoint;
  }

  /** The real SDK client, with the HTTP client the functions ship, pointed at it. */
  public SqsClient client() {
    return SqsClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("elasticmq", "elasticmq")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }
}
