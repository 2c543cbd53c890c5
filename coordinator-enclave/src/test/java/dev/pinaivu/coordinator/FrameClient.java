package dev.pinaivu.coordinator;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.coordinator.Frames;
import dev.pinaivu.core.coordinator.ParentAuth;
import dev.pinaivu.core.coordinator.ParentSecret;
import dev.pinaivu.core.coordinator.RequestCodec;
import dev.pinaivu.core.coordinator.ResponseCodec;
import dev.pinaivu.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/** A raw protocol client for tests: sends any bytes, reads frames, notices the server closing. */
public final class FrameClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  public FrameClient(InetSocketAddress server) throws IOException {
    socket = new Socket();
    socket.connect(server, 5_000);
    socket.setSoTimeout(10_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  public FrameClient sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  public FrameClient send(String json) throws IOException {
    return sendRaw(Frames.encode(json.getBytes(UTF_8)));
  }

  /** The next response; fails when the server closed instead. */
  public JsonNode receive() throws IOException {
    byte[] frame = Frames.read(in);
    if (frame == null) {
      throw new IOException("the server closed the connection");
    }
    return Json.parse(frame);
  }

  public JsonNode call(String json) throws IOException {
    return send(json).receive();
  }

  /**
   * The parent's handshake (docs/coordinator-protocol.md §3.0) with {@code secret}: checks the
   * server's proof, then sends its own and expects it to be accepted.
   */
  public FrameClient authenticate(ParentSecret secret) throws IOException {
    byte[] clientNonce = ParentAuth.nonce();
    JsonNode begun = call(Json.text(RequestCodec.authBegin(1_000_001, clientNonce)));
    ResponseCodec.AuthChallenge challenge = ResponseCodec.authBegun(begun);
    if (!ParentAuth.serverProves(
        secret, clientNonce, challenge.serverNonce(), challenge.serverProof())) {
      throw new IOException("the server does not know the parent secret");
    }
    byte[] proof = ParentAuth.clientProof(secret, challenge.serverNonce(), clientNonce);
    JsonNode finished = call(Json.text(RequestCodec.authFinish(1_000_002, proof)));
    if (!finished.path("ok").asBoolean()) {
      throw new IOException("the server refused our proof: " + finished);
    }
    return this;
  }

  /** True when the server has closed its side: the next read is the end of the stream. */
  public boolean closedByServer() throws IOException {
    try {
      return in.read() == -1;
    } catch (java.net.SocketException e) {
      return true;
    }
  }

  public void endOutput() throws IOException {
    socket.shutdownOutput();
  }

  /** Leaves abruptly: RST instead of FIN, as a crashed client would. */
  public void abort() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
