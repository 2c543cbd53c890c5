package dev.pinaivu.functions.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.translog.Checkpoint;
import dev.pinaivu.core.translog.CheckpointVerifier;
import dev.pinaivu.core.translog.Hash;
import dev.pinaivu.core.translog.LogQueries;
import dev.pinaivu.core.translog.NoteSigner;
import dev.pinaivu.core.translog.TransparencyLog;
import dev.pinaivu.functions.store.DynamoDbLogStore;
import dev.pinaivu.functions.testsupport.DynamoTransactionsFront;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The public log routes on Lambda, over a log on dynalite that another process (the coordinator's
 * parent) writes: the checkpoint verifies under the log's key, and an entry and its inclusion proof
 * are the log's.
 */
class LogHandlerIT {
  private static final String ORIGIN = "test.pinaivu.dev/lambda-log";
  private static final NoteSigner SIGNER = new NoteSigner(ORIGIN, Ed25519.PrivateKey.generate());

  private LogHandler handler;

  @BeforeEach
  void log() {
    var dynamo = DynamoTransactionsFront.shared().client();
    String table = "lambda-log-" + UUID.randomUUID().toString().substring(0, 8);
    DynamoDbLogStore.createTable(dynamo, table);
    TransparencyLog writer =
        new TransparencyLog(ORIGIN, new DynamoDbLogStore(dynamo, table, ORIGIN));
    for (int i = 0; i < 3; i++) {
      writer.append(("entry " + i).getBytes(StandardCharsets.UTF_8));
    }
    writer.publishCheckpoint(SIGNER);
    // the function's own reader, as ServerlessNetwork opens it: a new process on the same table
    handler =
        new LogHandler(
            new LogQueries(
                new TransparencyLog(ORIGIN, new DynamoDbLogStore(dynamo, table, ORIGIN))));
  }

  private APIGatewayProxyResponseEvent get(String event) {
    APIGatewayProxyRequestEvent request = ApiEvent.load("api/" + event).event();
    return handler.handleRequest(request, null);
  }

  @Test
  void theCheckpoint_isTheSignedNote_andVerifies() {
    APIGatewayProxyResponseEvent response = get("get-log-checkpoint.json");

    assertThat(response.getStatusCode()).isEqualTo(200);
    assertThat(response.getHeaders().get("Content-Type")).startsWith("text/plain");
    Checkpoint checkpoint =
        new CheckpointVerifier(ORIGIN, SIGNER.verifier()).verify(response.getBody());
    assertThat(checkpoint.treeSize()).isEqualTo(3);
  }

  @Test
  void anEntry_andItsInclusionProof_areTheLogs() throws Exception {
    APIGatewayProxyResponseEvent entry = get("get-log-entry.json");
    APIGatewayProxyResponseEvent proof = get("get-log-inclusion.json");

    assertThat(entry.getStatusCode()).as(entry.getBody()).isEqualTo(200);
    JsonNode e = Json.parse(entry.getBody());
    assertThat(
            new String(
                Base64.getDecoder().decode(e.path("entry").asText()), StandardCharsets.UTF_8))
        .isEqualTo("entry 2");
    assertThat(e.path("leaf_hash").asText())
        .isEqualTo(Hash.leaf("entry 2".getBytes(StandardCharsets.UTF_8)).base64());
    assertThat(proof.getStatusCode()).as(proof.getBody()).isEqualTo(200);
    JsonNode p = Json.parse(proof.getBody());
    assertThat(p.path("index").asLong()).isEqualTo(1);
    assertThat(p.path("inclusion_path").size()).isEqualTo(2);
    assertThat(proof.getHeaders().get("x-request-id")).startsWith("req_");
  }

  @Test
  void anEntryBeyondTheCheckpoint_isA404_inTheOpenAiShape() throws Exception {
    APIGatewayProxyRequestEvent request =
        ApiEvent.load("api/get-log-entry.json").pathParameter(LogHandler.INDEX, "7").event();

    APIGatewayProxyResponseEvent response = handler.handleRequest(request, null);

    assertThat(response.getStatusCode()).isEqualTo(404);
    assertThat(Json.parse(response.getBody()).path("error").path("type").asText())
        .isEqualTo("not_found_error");
  }
}
