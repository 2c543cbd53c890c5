package dev.pinaivu.core.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.text.UnicodeText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JobPartsTest {
  private static final String JOB = "req_01j9z4kxm8vwqe3t5p6n7r2y0c";
  private static final int MESSAGE_LIMIT = 128 * 1024;

  private static Frame.Job job(String jobId, String content) {
    String body = Json.text(Json.object().put("model", "m").put("content", content));
    return new Frame.Job(jobId, "m", true, body, 1000, "token");
  }

  /** The bytes {@code text} takes as a JSON string in a frame, without its quotes. */
  private static int escaped(String text) {
    return Json.text(text).getBytes(UTF_8).length - 2;
  }

  private static Frame.Job assemble(List<Frame.JobPart> parts) throws ProtocolException {
    JobParts.Assembly assembly = new JobParts.Assembly(parts.getFirst().jobId());
    Optional<Frame.Job> job = Optional.empty();
    for (Frame.JobPart part : parts) {
      assertThat(job).as("complete before the last part").isEmpty();
      job = assembly.add(part);
    }
    return job.orElseThrow(() -> new AssertionError("not complete after every part"));
  }

  private static Frame.JobPart part(int index, int count, String data) {
    return new Frame.JobPart(JOB, index, count, data);
  }

  @Test
  void aSmallJob_isOnePart_andComesBackWhole() throws Exception {
    Frame.Job job = job(JOB, "hi");
    List<Frame.JobPart> parts =
        JobParts.split(JOB, FrameCodec.encode(job), JobParts.MAX_PART_BYTES);

    assertThat(parts).singleElement().extracting(Frame.JobPart::count).isEqualTo(1);
    assertThat(assemble(parts)).isEqualTo(job);
  }

  @Test
  void aPieceTakesAtMostItsBudget_asTheEscapedJsonThePartCarries_toTheByte() throws Exception {
    String text = FrameCodec.encode(job(JOB, "say \"hi\" \\ to ü and 😀"));
    int whole = escaped(text);

    assertThat(JobParts.split(JOB, text, whole)).hasSize(1);
    List<Frame.JobPart> two = JobParts.split(JOB, text, whole - 1);
    assertThat(two).hasSize(2);
    assertThat(escaped(two.get(0).data())).isLessThanOrEqualTo(whole - 1);
    assertThat(escaped(two.get(0).data()) + escaped(two.get(1).data())).isEqualTo(whole);
  }

  @Test
  void multiByteCharactersAndSurrogatePairs_atEveryCutPoint_areNeverSplit() throws Exception {
    Frame.Job job = job(JOB, "aé€😀\"\\b".repeat(20) + "😀😀😀");
    String text = FrameCodec.encode(job);
    for (int budget = 6; budget <= 48; budget++) {
      List<Frame.JobPart> parts = JobParts.split(JOB, text, budget);
      StringBuilder joined = new StringBuilder();
      for (Frame.JobPart part : parts) {
        assertThat(UnicodeText.isWellFormed(part.data())).as("budget " + budget).isTrue();
        assertThat(escaped(part.data())).isBetween(1, budget);
        assertThat(FrameCodec.decode(FrameCodec.encode(part))).isEqualTo(part);
        joined.append(part.data());
      }
      assertThat(joined.toString()).isEqualTo(text);
      assertThat(assemble(parts)).as("budget " + budget).isEqualTo(job);
    }
  }

  @Test
  void everyPartFrame_fitsOneWebSocketApiMessage_evenWhenAllOfItIsEscapedAgain() throws Exception {
    // a body of quotes and backslashes: each is escaped in the job frame, then again in its part
    Frame.Job job = job(JOB, "\"\\".repeat(400_000));
    String text = FrameCodec.encode(job);
    List<Frame.JobPart> parts = JobParts.split(JOB, text, JobParts.MAX_PART_BYTES);

    assertThat(parts.size()).isGreaterThan(text.length() / JobParts.MAX_PART_BYTES);
    for (Frame.JobPart part : parts) {
      assertThat(FrameCodec.encode(part).getBytes(UTF_8).length).isLessThan(MESSAGE_LIMIT);
    }
    assertThat(assemble(parts)).isEqualTo(job);
  }

  @Test
  void partsArrivingInAnyOrder_orTwiceTheSame_makeTheJobOnce() throws Exception {
    Frame.Job job = job(JOB, "x".repeat(100));
    List<Frame.JobPart> parts = new ArrayList<>(JobParts.split(JOB, FrameCodec.encode(job), 40));
    Collections.reverse(parts);
    JobParts.Assembly assembly = new JobParts.Assembly(JOB);

    assertThat(assembly.add(parts.getFirst())).isEmpty();
    assertThat(assembly.add(parts.getFirst())).as("the same part again").isEmpty();
    Optional<Frame.Job> last = Optional.empty();
    for (Frame.JobPart part : parts.subList(1, parts.size())) {
      last = assembly.add(part);
    }
    assertThat(last).contains(job);
  }

  @Test
  void anIndexOutOfRange_isNotAPart() {
    assertThatThrownBy(() -> part(3, 3, "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> part(-1, 3, "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> part(0, 0, "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() ->
            FrameCodec.decode(
                "{\"type\":\"job_part\",\"job_id\":\""
                    + JOB
                    + "\",\"index\":3,\"count\":3,"
                    + "\"data\":\"x\"}"))
        .isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() ->
            FrameCodec.decode("{\"type\":\"job_part\",\"job_id\":\"" + JOB + "\",\"data\":\"x\"}"))
        .as("no count")
        .isInstanceOf(ProtocolException.class);
  }

  @Test
  void aCountThatChanges_failsTheAssembly() throws Exception {
    JobParts.Assembly assembly = new JobParts.Assembly(JOB);
    assembly.add(part(0, 3, "a"));

    assertThatThrownBy(() -> assembly.add(part(1, 2, "b")))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("parts");
  }

  @Test
  void aPartOverItsBound_orEmpty_failsTheAssembly_oneAtItsBoundDoesNot() throws Exception {
    String atBound = "é".repeat(JobParts.MAX_PART_BYTES / 2); // 2 bytes each

    assertThat(new JobParts.Assembly(JOB).add(part(0, 2, atBound))).isEmpty();
    assertThatThrownBy(() -> new JobParts.Assembly(JOB).add(part(0, 2, atBound + "a")))
        .isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> new JobParts.Assembly(JOB).add(part(0, 2, "")))
        .isInstanceOf(ProtocolException.class);
  }

  @Test
  void tooManyParts_orMoreBytesThanAJobMayHold_failTheAssembly() throws Exception {
    assertThat(new JobParts.Assembly(JOB).add(part(0, JobParts.MAX_PARTS, "a"))).isEmpty();
    assertThatThrownBy(() -> new JobParts.Assembly(JOB).add(part(0, JobParts.MAX_PARTS + 1, "a")))
        .isInstanceOf(ProtocolException.class);

    String full = "x".repeat(JobParts.MAX_PART_BYTES); // one string, held by every index
    JobParts.Assembly assembly = new JobParts.Assembly(JOB);
    int fit = JobParts.MAX_JOB_BYTES / JobParts.MAX_PART_BYTES;
    for (int i = 0; i < fit; i++) {
      assembly.add(part(i, JobParts.MAX_PARTS, full));
    }
    assertThat(assembly.bytes()).isLessThanOrEqualTo(JobParts.MAX_JOB_BYTES);
    assertThatThrownBy(() -> assembly.add(part(fit, JobParts.MAX_PARTS, full)))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("more than");
    assertThat(assembly.bytes()).isLessThanOrEqualTo(JobParts.MAX_JOB_BYTES);
  }

  @Test
  void aConflictingDuplicate_failsTheAssembly() throws Exception {
    JobParts.Assembly assembly = new JobParts.Assembly(JOB);
    assembly.add(part(0, 2, "{\"type\":\"job\","));

    assertThatThrownBy(() -> assembly.add(part(0, 2, "{\"type\":\"cancel\",")))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("different");
  }

  @Test
  void partsOfAnotherJob_orMakingAnotherJobOrNoJob_failTheAssembly() throws Exception {
    String other = "req_01j9z4kxm8vwqe3t5p6n7r2y0d";
    assertThatThrownBy(() -> new JobParts.Assembly(JOB).add(new Frame.JobPart(other, 0, 1, "x")))
        .isInstanceOf(ProtocolException.class);

    List<Frame.JobPart> smuggled = JobParts.split(JOB, FrameCodec.encode(job(other, "hi")), 40);
    assertThatThrownBy(() -> assemble(smuggled))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining(other);

    List<Frame.JobPart> cancel =
        JobParts.split(JOB, FrameCodec.encode(new Frame.Cancel(JOB, "no")), 20);
    assertThatThrownBy(() -> assemble(cancel))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("Cancel");

    List<Frame.JobPart> garbage = JobParts.split(JOB, "{\"type\":\"job\",\"job_id\":", 10);
    assertThatThrownBy(() -> assemble(garbage)).isInstanceOf(ProtocolException.class);
  }

  @Test
  void textThatIsNotValidUnicode_isNotCut() {
    assertThatThrownBy(() -> JobParts.split(JOB, "{\"a\":\"\ud800\"}", 40))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JobParts.split(JOB, "", 40))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
