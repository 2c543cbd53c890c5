package dev.pinaivu.functions.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The runtime loop against a stand-in of the Runtime API: streaming, errors, SnapStart. */
class StreamingRuntimeTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private RuntimeApiStandIn runtimeApi;
  private RuntimeApiStandIn.Loop loop;

  @BeforeEach
  void start() throws IOException {
    runtimeApi = new RuntimeApiStandIn();
  }

  @AfterEach
  void stop() throws Exception {
    runtimeApi.close();
    if (loop != null) {
      loop.join(WAIT);
    }
  }

  /** Serves invocations on a thread until the stand-in closes. */
  private void serve(StreamingHandler handler) {
    loop = runtimeApi.serve(handler);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void theFirstChunkLeavesBeforeTheHandlerFinishes() throws Exception {
    CountDownLatch released = new CountDownLatch(1);
    serve((invocation, response) -> {
      OutputStream out = response.open("text/event-stream");
      out.write(ascii("data: first\n\n"));
      out.flush();
      assertThat(released.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      out.write(ascii("data: second\n\n"));
    });
    runtimeApi.invoke("inv-1", "{}");

    RuntimeApiStandIn.Posted posted = runtimeApi.response("inv-1", WAIT);
    assertThat(new String(posted.nextChunk(WAIT), StandardCharsets.US_ASCII))
        .isEqualTo("data: first\n\n"); // while the handler waits for the latch
    assertThat(posted.body.isDone()).isFalse();
    released.countDown();

    assertThat(new String(posted.whole(WAIT), StandardCharsets.US_ASCII))
        .isEqualTo("data: first\n\ndata: second\n\n");
    assertThat(posted.headers)
        .containsEntry("lambda-runtime-function-response-mode", "streaming")
        .containsEntry("transfer-encoding", "chunked")
        .containsEntry("content-type", "text/event-stream")
        .containsEntry(
            "trailer", "Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body");
    assertThat(posted.trailers).isEmpty();
  }

  @Test
  void anErrorBeforeTheFirstByteFailsTheInvocation() throws Exception {
    serve((invocation, response) -> {
      throw new IllegalStateException("table unreachable");
    });
    runtimeApi.invoke("inv-2", "{}");
    runtimeApi.invoke("inv-3", "{}"); // the loop goes on after a failure

    awaitCalls(2);
    List<RuntimeApiStandIn.Call> calls = runtimeApi.calls();
    assertThat(calls)
        .extracting(RuntimeApiStandIn.Call::path)
        .containsExactly(
            RuntimeApiStandIn.BASE + "/invocation/inv-2/error",
            RuntimeApiStandIn.BASE + "/invocation/inv-3/error");
    assertThat(calls.get(0).errorType()).isEqualTo("Function.Unhandled");
    var body = Json.parse(calls.get(0).body());
    assertThat(body.path("errorType").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(body.path("errorMessage").asText()).isEqualTo("table unreachable");
  }

  @Test
  void anErrorAfterTheFirstByteEndsTheStreamWithTrailers() throws Exception {
    serve((invocation, response) -> {
      OutputStream out = response.open("text/event-stream");
      out.write(ascii("data: partial\n\n"));
      out.flush();
      throw new IOException("node lost");
    });
    runtimeApi.invoke("inv-4", "{}");

    RuntimeApiStandIn.Posted posted = runtimeApi.response("inv-4", WAIT);
    assertThat(new String(posted.whole(WAIT), StandardCharsets.US_ASCII))
        .isEqualTo("data: partial\n\n");
    assertThat(posted.trailers)
        .containsEntry("lambda-runtime-function-error-type", "Function.Unhandled");
    var error =
        Json.parse(
            Base64.getDecoder().decode(posted.trailers.get("lambda-runtime-function-error-body")));
    assertThat(error.path("errorType").asText()).isEqualTo("java.io.IOException");
    assertThat(error.path("errorMessage").asText()).isEqualTo("node lost");
    assertThat(runtimeApi.calls()).isEmpty(); // not invocation/error: the response had started
  }

  @Test
  void eachInvocationSeesItsOwnEventAndHeaders() throws Exception {
    List<Invocation> seen = new CopyOnWriteArrayList<>();
    AtomicReference<String> trace = new AtomicReference<>();
    serve((invocation, response) -> {
      seen.add(invocation);
      trace.set(System.getProperty("com.amazonaws.xray.traceHeader"));
      response.open("application/json").write(invocation.event());
    });
    runtimeApi.invoke(
        "inv-5", ascii("{\"n\":5}"), Map.of("Lambda-Runtime-Trace-Id", "Root=1-abc;Sampled=1"));
    assertThat(runtimeApi.response("inv-5", WAIT).whole(WAIT)).isEqualTo(ascii("{\"n\":5}"));
    runtimeApi.invoke("inv-6", "{\"n\":6}");
    assertThat(runtimeApi.response("inv-6", WAIT).whole(WAIT)).isEqualTo(ascii("{\"n\":6}"));

    assertThat(seen).extracting(Invocation::requestId).containsExactly("inv-5", "inv-6");
    assertThat(seen.get(0).traceId()).isEqualTo("Root=1-abc;Sampled=1");
    assertThat(seen.get(0).functionArn()).endsWith(":function:pinaivu-chat");
    assertThat(seen.get(0).deadline()).isAfter(java.time.Instant.now());
    assertThat(trace.get()).isNull(); // the second invocation had no trace: not the first one's
  }

  @Test
  void aLargeWriteGoesOutInChunksOfAtMost16Kilobytes() throws Exception {
    byte[] large = new byte[40 * 1024];
    java.util.Arrays.fill(large, (byte) 'x');
    serve((invocation, response) -> response.open("application/octet-stream").write(large));
    runtimeApi.invoke("inv-7", "{}");

    RuntimeApiStandIn.Posted posted = runtimeApi.response("inv-7", WAIT);
    assertThat(posted.whole(WAIT)).isEqualTo(large);
    assertThat(posted.chunks)
        .hasSize(3)
        .allSatisfy(c -> assertThat(c.length).isLessThanOrEqualTo(16 * 1024));
  }

  @Test
  void aHandlerThatOpensNothingSendsAnEmptyResponse() throws Exception {
    serve((invocation, response) -> {});
    runtimeApi.invoke("inv-8", "{}");
    RuntimeApiStandIn.Posted posted = runtimeApi.response("inv-8", WAIT);
    assertThat(posted.whole(WAIT)).isEmpty();
    assertThat(posted.headers).containsEntry("content-type", "application/json");
  }

  @Test
  void snapStartRunsTheCheckpointHookThenWaitsForTheRestoreThenTheRestoreHook() throws Exception {
    List<String> order = new CopyOnWriteArrayList<>();
    StreamingRuntime runtime =
        new StreamingRuntime(
            new RuntimeApi(runtimeApi.address()),
            new StreamingHandler() {
              @Override
              public void handle(Invocation invocation, InvocationResponse response) {}

              @Override
              public void beforeCheckpoint() {
                order.add("checkpoint hook, calls so far: " + runtimeApi.calls().size());
              }

              @Override
              public void afterRestore() {
                order.add("restore hook, calls so far: " + runtimeApi.calls().size());
              }
            });

    assertThat(runtime.initialise(true)).isZero();

    assertThat(order)
        .containsExactly("checkpoint hook, calls so far: 0", "restore hook, calls so far: 1");
    assertThat(runtimeApi.calls())
        .extracting(RuntimeApiStandIn.Call::path)
        .containsExactly(RuntimeApiStandIn.BASE + "/restore/next");
  }

  @Test
  void withoutSnapStartNoHookRuns() throws Exception {
    StreamingHandler handler =
        new StreamingHandler() {
          @Override
          public void handle(Invocation invocation, InvocationResponse response) {}

          @Override
          public void beforeCheckpoint() {
            throw new AssertionError("no checkpoint without SnapStart");
          }
        };
    assertThat(
            new StreamingRuntime(new RuntimeApi(runtimeApi.address()), handler).initialise(false))
        .isZero();
    assertThat(runtimeApi.calls()).isEmpty();
  }

  @Test
  void aFailedCheckpointHookIsAnInitErrorAndAFailedRestoreHookARestoreError() throws Exception {
    StreamingRuntime checkpointFails =
        new StreamingRuntime(
            new RuntimeApi(runtimeApi.address()),
            new StreamingHandler() {
              @Override
              public void handle(Invocation invocation, InvocationResponse response) {}

              @Override
              public void beforeCheckpoint() {
                throw new IllegalStateException("cannot close the relay");
              }
            });
    assertThat(checkpointFails.initialise(true)).isEqualTo(StreamingRuntime.CHECKPOINT_FAILED);

    StreamingRuntime restoreFails =
        new StreamingRuntime(
            new RuntimeApi(runtimeApi.address()),
            new StreamingHandler() {
              @Override
              public void handle(Invocation invocation, InvocationResponse response) {}

              @Override
              public void afterRestore() {
                throw new IllegalStateException("cannot reopen the relay");
              }
            });
    assertThat(restoreFails.initialise(true)).isEqualTo(StreamingRuntime.RESTORE_FAILED);

    assertThat(runtimeApi.calls())
        .extracting(RuntimeApiStandIn.Call::path, RuntimeApiStandIn.Call::errorType)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                RuntimeApiStandIn.BASE + "/init/error", "Runtime.BeforeCheckpointError"),
            org.assertj.core.groups.Tuple.tuple(RuntimeApiStandIn.BASE + "/restore/next", null),
            org.assertj.core.groups.Tuple.tuple(
                RuntimeApiStandIn.BASE + "/restore/error", "Runtime.AfterRestoreError"));
  }

  @Test
  void theHandlerIsLoadedByItsClassNameAndMustStream() throws Exception {
    assertThat(StreamingRuntime.load(Echo.class.getName() + "::handle")).isInstanceOf(Echo.class);
    assertThatThrownBy(() -> StreamingRuntime.load(String.class.getName()))
        .isInstanceOf(ClassCastException.class);
    assertThatThrownBy(() -> StreamingRuntime.load(null))
        .isInstanceOf(ClassNotFoundException.class);
  }

  /** A handler with a no-arg constructor, as the runtime loads one. */
  public static final class Echo implements StreamingHandler {
    @Override
    public void handle(Invocation invocation, InvocationResponse response) throws IOException {
      response.open("application/json").write(invocation.event());
    }
  }

  private void awaitCalls(int count) throws InterruptedException {
    long end = System.nanoTime() + WAIT.toNanos();
    while (runtimeApi.calls().size() < count && System.nanoTime() < end) {
      Thread.sleep(10);
    }
  }
}
