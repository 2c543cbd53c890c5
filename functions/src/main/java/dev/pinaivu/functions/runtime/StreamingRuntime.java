package dev.pinaivu.functions.runtime;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime loop of a streaming function (ADR 26), in place of the managed Java runtime's
 * interface client, which cannot stream: the wrapper script {@code pinaivu-streaming} (set as
 * {@code AWS_LAMBDA_EXEC_WRAPPER}) starts this class with the function's handler class. It loads
 * the handler (init), takes part in SnapStart's checkpoint and restore when the function is
 * initialised for a snapshot, then serves invocations one at a time, for ever.
 */
public final class StreamingRuntime {
  /** Exit code after a failed checkpoint hook, as the managed runtime's client uses. */
  static final int CHECKPOINT_FAILED = 64;

  /** Exit code after a failed restore hook. */
  static final int RESTORE_FAILED = 65;

  private static final Logger log = LoggerFactory.getLogger(StreamingRuntime.class);
  private static final String TRACE_PROPERTY = "com.amazonaws.xray.traceHeader";

  private final RuntimeApi api;
  private final StreamingHandler handler;

  StreamingRuntime(RuntimeApi api, StreamingHandler handler) {
    this.api = api;
    this.handler = handler;
  }

  /**
   * @param args the handler's class name; {@code _HANDLER} when absent
   */
  public static void main(String[] args) throws IOException {
    Map<String, String> env = System.getenv();
    String address = env.get("AWS_LAMBDA_RUNTIME_API");
    if (address == null || address.isBlank()) {
      throw new IllegalStateException("AWS_LAMBDA_RUNTIME_API is not set: not in a Lambda runtime");
    }
    RuntimeApi api = new RuntimeApi(address);
    String name = args.length > 0 ? args[0] : env.get("_HANDLER");
    StreamingHandler handler;
    try {
      handler = load(name);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      log.error("the handler {} could not be loaded", name, e);
      api.initError(FunctionError.of("Runtime.HandlerNotLoaded", rootCause(e)));
      System.exit(1);
      return;
    }
    StreamingRuntime runtime = new StreamingRuntime(api, handler);
    int failed = runtime.initialise("snap-start".equals(env.get("AWS_LAMBDA_INITIALIZATION_TYPE")));
    if (failed != 0) {
      System.exit(failed);
    }
    while (true) {
      runtime.serveNext(); // an unreachable Runtime API ends the process: Lambda starts another
    }
  }

  /**
   * Instantiates {@code name} ({@code Class} or {@code Class::method}) by its no-arg constructor.
   */
  static StreamingHandler load(String name) throws ReflectiveOperationException {
    if (name == null || name.isBlank()) {
      throw new ClassNotFoundException("no handler named: pass it or set _HANDLER");
    }
    int method = name.indexOf("::");
    Class<?> type = Class.forName(method < 0 ? name : name.substring(0, method));
    if (!StreamingHandler.class.isAssignableFrom(type)) {
      throw new ClassCastException(
          type.getName() + " is not a " + StreamingHandler.class.getName());
    }
    return (StreamingHandler) type.getDeclaredConstructor().newInstance();
  }

  /**
   * Ends the init phase. Under SnapStart the checkpoint hook runs, the snapshot is taken while
   * {@code restore/next} waits, and the restore hook runs in the restored environment.
   *
   * @return 0, or the exit code after a failed hook (reported to the Runtime API)
   */
  int initialise(boolean snapStart) throws IOException {
    if (!snapStart) {
      return 0;
    }
    try {
      handler.beforeCheckpoint();
    } catch (Exception e) {
      log.error("the checkpoint hook failed", e);
      api.initError(FunctionError.of("Runtime.BeforeCheckpointError", e));
      return CHECKPOINT_FAILED;
    }
    api.restoreNext();
    try {
      handler.afterRestore();
    } catch (Exception e) {
      log.error("the restore hook failed", e);
      api.restoreError(FunctionError.of("Runtime.AfterRestoreError", e));
      return RESTORE_FAILED;
    }
    return 0;
  }

  /** Waits for the next invocation and answers it. */
  void serveNext() throws IOException {
    Invocation invocation = api.next();
    if (invocation.traceId() == null) {
      System.clearProperty(TRACE_PROPERTY);
    } else {
      System.setProperty(TRACE_PROPERTY, invocation.traceId());
    }
    InvocationResponse response = new InvocationResponse(api, invocation.requestId());
    try {
      handler.handle(invocation, response);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failed(invocation, response, e);
      return;
    } catch (Exception | LinkageError e) {
      failed(invocation, response, e);
      return;
    }
    if (!response.opened()) {
      response.open("application/json"); // an empty answer, told so
    }
    if (response.failure() != null) {
      response.stream().fail(response.failure());
    } else {
      response.stream().close();
    }
  }

  private void failed(Invocation invocation, InvocationResponse response, Throwable e)
      throws IOException {
    log.error("invocation {} failed", invocation.requestId(), e);
    FunctionError error = FunctionError.of("Function.Unhandled", e);
    if (!response.opened()) {
      api.error(invocation.requestId(), error);
      return;
    }
    try {
      response.stream().fail(error);
    } catch (IOException broken) {
      // the stream itself broke (the cause, often): nothing more can be told about this invocation
      log.warn("invocation {}: its stream could not be ended", invocation.requestId(), broken);
    }
  }

  private static Throwable rootCause(Throwable e) {
    if (e instanceof InvocationTargetException target && target.getCause() != null) {
      return target.getCause();
    }
    return e;
  }
}
