package dev.pinaivu.functions.testsupport;

import java.net.URI;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * LocalStack's DynamoDB and SQS in a Docker container (Testcontainers), for the suites that also
 * run where Docker exists: one container per test JVM, started on first use. Test classes using it
 * carry {@code @Testcontainers(disabledWithoutDocker = true)}, so without Docker they are skipped,
 * never failed, and this class is never touched. The image is the root pom's {@code
 * localstack.image}.
 */
public final class LocalStack {
  private static LocalStack shared;

  private final LocalStackContainer container;
  private final DynamoDbClient client;

  private LocalStack(LocalStackContainer container) {
    this.container = container;
    this.client = forContainer(DynamoDbClient.builder());
  }

  /** The JVM's LocalStack, started on the first call; stopped when the JVM exits. */
  public static synchronized LocalStack shared() {
    if (shared == null) {
      String image = System.getProperty("localstack.image", "localstack/localstack:4.4");
      LocalStackContainer container =
          new LocalStackContainer(DockerImageName.parse(image)).withServices("dynamodb", "sqs");
      container.start();
      shared = new LocalStack(container);
      Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "localstack-stop"));
    }
    return shared;
  }

  public URI endpoint() {
    return container.getEndpoint();
  }

  /** A client shared by the JVM's tests; do not close it. */
  public DynamoDbClient client() {
    return client;
  }

  /** A new SQS client for the container; the caller closes it. */
  public SqsClient sqsClient() {
    return forContainer(SqsClient.builder());
  }

  /** {@code builder}'s client for the container's endpoint, region and credentials. */
  private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C forContainer(
      B builder) {
    return builder
        .endpointOverride(endpoint())
        .region(Region.of(container.getRegion()))
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(container.getAccessKey(), container.getSecretKey())))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  private void stop() {
    client.close();
    container.stop();
  }
}
