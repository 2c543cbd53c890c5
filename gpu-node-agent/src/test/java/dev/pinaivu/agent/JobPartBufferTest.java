package dev.pinaivu.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.protocol.FrameCodec;
import dev.pinaivu.core.protocol.JobParts;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The agent's bounds on the parts of jobs not yet whole, against a gateway that abuses them. */
class JobPartBufferTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
  private final JobPartBuffer buffer = new JobPartBuffer(3, 1_000, clock);
  private final GatewayConnection one = new NodeAgentTest.FakeConnection(null);
  private final GatewayConnection two = new NodeAgentTest.FakeConnection(null);

  private static Frame.Job job(String id) {
    return new Frame.Job(id, "m", false, "{\"model\":\"m\",\"content\":\"hello\"}", 1, "t");
  }

  private static List<Frame.JobPart> parts(Frame.Job job) {
    return JobParts.split(job.jobId(), FrameCodec.encode(job), 40);
  }

  private Optional<Frame.Job> deliver(GatewayConnection on, List<Frame.JobPart> parts) {
    Optional<Frame.Job> last = Optional.empty();
    for (Frame.JobPart part : parts) {
      last = buffer.add(on, part);
    }
    return last;
  }

  @Test
  void theLastPart_givesTheJob_andLeavesNothingHeld() {
    Frame.Job job = job("a");

    assertThat(deliver(one, parts(job))).contains(job);
    assertThat(buffer.jobs()).isZero();
    assertThat(buffer.bytes()).isZero();
  }

  @Test
  void partsOfEverNewJobs_holdAtMostTheJobsItMay_andTheOldestExpireToMakeRoom() {
    for (int i = 0; i < 1_000; i++) {
      buffer.add(one, new Frame.JobPart("flood-" + i, 0, 2, "x"));
    }
    assertThat(buffer.jobs()).isEqualTo(3);
    Frame.Job job = job("real");
    assertThat(deliver(one, parts(job))).as("no room for it").isEmpty();

    now.addAndGet(JobPartBuffer.EXPIRY.toMillis());
    assertThat(deliver(one, parts(job))).contains(job);
    assertThat(buffer.jobs()).isZero();
  }

  @Test
  void partsBeyondTheBytesItMayHold_dropTheJobTheyBelongTo() {
    String piece = "y".repeat(400);
    buffer.add(one, new Frame.JobPart("big", 0, 5, piece));
    buffer.add(one, new Frame.JobPart("big", 1, 5, piece));
    assertThat(buffer.bytes()).isEqualTo(800);

    buffer.add(one, new Frame.JobPart("big", 2, 5, piece));

    assertThat(buffer.bytes()).isLessThanOrEqualTo(1_000);
    assertThat(buffer.jobs()).isZero();
  }

  @Test
  void aPartThatContradictsTheOthers_dropsItsJob() {
    buffer.add(one, new Frame.JobPart("a", 0, 3, "{\"type\""));
    buffer.add(one, new Frame.JobPart("b", 0, 3, "{\"type\""));

    buffer.add(one, new Frame.JobPart("a", 0, 3, "{\"kind\""));
    buffer.add(one, new Frame.JobPart("b", 1, 4, ":\"job\""));

    assertThat(buffer.jobs()).isZero();
  }

  @Test
  void theSameJobOnTwoConnections_isTwoAssemblies_andAnEndedConnectionsAreForgotten() {
    List<Frame.JobPart> parts = parts(job("a"));
    buffer.add(one, parts.get(0));
    buffer.add(two, parts.get(0));
    assertThat(buffer.jobs()).isEqualTo(2);

    buffer.closed(one);

    assertThat(buffer.jobs()).isEqualTo(1);
    assertThat(deliver(two, parts.subList(1, parts.size()))).contains(job("a"));
  }
}
