package dev.pinaivu.core.protocol;

import dev.pinaivu.core.text.UnicodeText;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@code job} frame too large for one message of API Gateway's WebSocket API (128 KB) travels as
 * {@code job_part} frames (ADR 27, docs/node-protocol.md): its encoded text cut into pieces on
 * code-point boundaries, which the node joins and decodes again. Nothing is signed here: the joined
 * text is the job frame the gateway encoded, so the dispatch token's {@code request_sha256} checks
 * its request as it checks a whole frame's.
 */
public final class JobParts {
  /**
   * The most a piece's {@code data} takes in its part frame, as escaped JSON in UTF-8: a part frame
   * (this, its job id and two numbers) stays well under the 128 KB message limit even when every
   * character of the piece is a quote or a backslash that the part escapes again.
   */
  public static final int MAX_PART_BYTES = 96 * 1024;

  /**
   * The most a job's pieces hold together, in UTF-8: twice the local gateway's 8 MiB body limit, as
   * a body at most doubles when it is escaped into the job frame's {@code request} string (only
   * quotes, backslashes and control characters are escaped); the WebSocket path's bodies are
   * smaller still (6 MB, API Gateway's limit for a Lambda's request).
   */
  public static final int MAX_JOB_BYTES = 16 * 1024 * 1024;

  /**
   * The most parts a job is cut into: a piece holds about half its budget of the frame's text at
   * least (escaping again at most doubles a character of an encoded frame, which has no raw control
   * characters), so {@link #MAX_JOB_BYTES} needs fewer than 350 of them.
   */
  public static final int MAX_PARTS = 384;

  private JobParts() {}

  /**
   * The pieces of {@code encodedJobFrame} (as {@link FrameCodec#encode} wrote it), in order, each
   * taking at most {@code maxBytes} as escaped JSON in its part frame.
   *
   * @throws IllegalArgumentException when the text is empty or not valid Unicode, or {@code
   *     maxBytes} cannot hold any character (less than 6)
   */
  public static List<Frame.JobPart> split(String jobId, String encodedJobFrame, int maxBytes) {
    if (maxBytes < 6 || encodedJobFrame.isEmpty() || !UnicodeText.isWellFormed(encodedJobFrame)) {
      throw new IllegalArgumentException("cannot cut this job frame in pieces of " + maxBytes);
    }
    List<String> pieces = new ArrayList<>();
    int start = 0;
    int bytes = 0;
    for (int i = 0; i < encodedJobFrame.length(); ) {
      int codePoint = encodedJobFrame.codePointAt(i);
      int cost = escapedBytes(codePoint);
      if (bytes + cost > maxBytes) {
        pieces.add(encodedJobFrame.substring(start, i));
        start = i;
        bytes = 0;
      }
      bytes += cost;
      i += Character.charCount(codePoint);
    }
    pieces.add(encodedJobFrame.substring(start));
    List<Frame.JobPart> parts = new ArrayList<>(pieces.size());
    for (int i = 0; i < pieces.size(); i++) {
      parts.add(new Frame.JobPart(jobId, i, pieces.size(), pieces.get(i)));
    }
    return parts;
  }

  /** What a code point takes inside a JSON string as Jackson writes it, in UTF-8. */
  private static int escapedBytes(int codePoint) {
    if (codePoint == '"' || codePoint == '\\') {
      return 2;
    }
    if (codePoint < 0x20) {
      return 6; // a six-character escape, or a shorter one
    }
    return utf8Bytes(codePoint);
  }

  private static int utf8Bytes(int codePoint) {
    if (codePoint < 0x80) {
      return 1;
    }
    if (codePoint < 0x800) {
      return 2;
    }
    return codePoint < 0x10000 ? 3 : 4;
  }

  static long utf8Bytes(String text) {
    long bytes = 0;
    for (int i = 0; i < text.length(); ) {
      int codePoint = text.codePointAt(i);
      bytes += utf8Bytes(codePoint);
      i += Character.charCount(codePoint);
    }
    return bytes;
  }

  /**
   * The parts of one job as they arrive, in any order. Every part is checked against the bounds
   * before it is kept, so that a gateway cannot make a node hold more than {@link #MAX_JOB_BYTES}
   * for one job; a part that breaks one fails the whole assembly ({@link ProtocolException}), and
   * its holder drops it.
   */
  public static final class Assembly {
    private final String jobId;
    private String[] pieces; // by index, from the first part's count
    private int received;
    private long bytes;
    private boolean done;

    public Assembly(String jobId) {
      this.jobId = jobId;
    }

    public String jobId() {
      return jobId;
    }

    /** The UTF-8 bytes of the pieces held so far. */
    public long bytes() {
      return bytes;
    }

    /**
     * Adds a part; returns the job once every part is in. The same part again changes nothing.
     *
     * @throws ProtocolException when the part breaks a bound or disagrees with the parts before it,
     *     or the joined parts are not a {@code job} frame of this job
     */
    public Optional<Frame.Job> add(Frame.JobPart part) throws ProtocolException {
      if (done) {
        throw new IllegalStateException("the parts of job " + jobId + " are all in already");
      }
      if (!part.jobId().equals(jobId)) {
        throw new ProtocolException("a part of job " + part.jobId() + " among those of " + jobId);
      }
      if (part.count() > MAX_PARTS) {
        throw new ProtocolException(part.count() + " parts, more than " + MAX_PARTS);
      }
      if (pieces == null) {
        pieces = new String[part.count()];
      } else if (part.count() != pieces.length) {
        throw new ProtocolException(
            "part " + part.index() + " says " + part.count() + " parts, not " + pieces.length);
      }
      String held = pieces[part.index()];
      if (held != null) {
        if (held.equals(part.data())) {
          return Optional.empty(); // sent twice: harmless
        }
        throw new ProtocolException("part " + part.index() + " came twice with different data");
      }
      long size = utf8Bytes(part.data());
      if (size == 0 || size > MAX_PART_BYTES) {
        throw new ProtocolException("part " + part.index() + " holds " + size + " bytes");
      }
      if (bytes + size > MAX_JOB_BYTES) {
        throw new ProtocolException("the parts hold more than " + MAX_JOB_BYTES + " bytes");
      }
      pieces[part.index()] = part.data();
      received++;
      bytes += size;
      return received < pieces.length ? Optional.empty() : Optional.of(joined());
    }

    private Frame.Job joined() throws ProtocolException {
      done = true;
      String text = String.join("", pieces);
      pieces = null;
      Frame frame = FrameCodec.decode(text);
      if (!(frame instanceof Frame.Job job)) {
        throw new ProtocolException(
            "the parts of " + jobId + " are a " + frame.getClass().getSimpleName() + " frame");
      }
      if (!job.jobId().equals(jobId)) {
        throw new ProtocolException("the parts of " + jobId + " are job " + job.jobId());
      }
      return job;
    }
  }
}
