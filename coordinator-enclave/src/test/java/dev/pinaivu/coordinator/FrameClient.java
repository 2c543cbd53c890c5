package dev.pinaivu.coordinator;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.coordinator.Frames;
import dev.pinaivu.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/** A raw protocol client for tests: sends any bytes, reads frames, notices the server closing. */
final class FrameClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  FrameClient(InetSocketAddress server) throws IOException {
    socket = new Socket();
    socket.connect(server, 5_000);
    socket.setSoTimeout(10_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  FrameClient sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  FrameClient send(String json) throws IOException {
    return sendRaw(Frames.encode(json.getBytes(UTF_8)));
  }

  /** The next response; fails when the server closed instead. */
  JsonNode receive() throws IOException {
    byte[] frame = Frames.read(in);
    if (frame == null) {
      throw new IOException("the server closed the connection");
    }
    return Json.parse(frame);
  }

  JsonNode call(String json) throws IOException {
    return send(json).receive();
  }

  /** True when the server has closed its side: the next read is the end of the stream. */
  boolean closedByServer() throws IOException {
    try {
      return in.read() == -1;
    } catch (java.net.SocketException e) {
      return true;
    }
  }

  void endOutput() throws IOException {
    socket.shutdownOutput();
  }

  /** Leaves abruptly: RST instead of FIN, as a crashed client would. */
  void abort() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
