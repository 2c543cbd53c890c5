package dev.pinaivu.cli.receipts;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.crypto.Sha256;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.translog.Checkpoint;
import dev.pinaivu.core.translog.CheckpointVerifier;
import dev.pinaivu.core.translog.ConsistencyProof;
import dev.pinaivu.core.translog.LogVerifier;
import dev.pinaivu.core.translog.NoteVerifier;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The docs' test vectors cannot drift: the files in docs/vectors are exactly what the documented
 * recipes make from the docs' own example, and {@code ./pinaivu receipts verify} prints, for each,
 * exactly the line the table of docs/receipts.md §16 says.
 */
class DocVectorsTest {
  @Test
  void theVectorFiles_areExactlyWhatTheDocumentedRecipesMake() throws Exception {
    if (Boolean.getBoolean("vectors.write")) {
      DocVectors.write();
    }
    for (Map.Entry<String, byte[]> file : DocVectors.all().entrySet()) {
      assertThat(Files.readAllBytes(DocVectors.DIR.resolve(file.getKey())))
          .as("docs/vectors/%s (regenerate with -Dvectors.write=true)", file.getKey())
          .isEqualTo(file.getValue());
    }
  }

  @Test
  void theSavedClientResponse_hashesToTheReceiptsClientResponseSha256() throws Exception {
    byte[] saved = Files.readAllBytes(DocVectors.DIR.resolve("client-response.sse"));

    assertThat(Sha256.hex(saved))
        .isEqualTo("c4826662a9796c9682b6e585c5d3ece8f5f676ff07cf60a2cdcc3d7365731c20");
  }

  @Test
  void everyRowOfTheDocsTable_printsExactlyItsExpectedLine() throws Exception {
    List<DocVectors.Row> rows = DocVectors.table();
    assertThat(rows).hasSizeGreaterThanOrEqualTo(10);
    List<String> wrong = new ArrayList<>();
    for (DocVectors.Row row : rows) {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "receipts",
                  "verify",
                  DocVectors.DIR.resolve(row.file()).toString(),
                  "--coordinator-key",
                  "gTl3Dqh9F19Wo1Rmw0x-zMuNipG07jeiXfYPW4_Js5Q"));
      args.addAll(row.options());
      CliRun run = CliRun.pinaivu(args.toArray(String[]::new));
      String printed = (run.out() + run.err()).strip();
      if (!printed.equals(row.expected())) {
        wrong.add(
            row.file()
                + " "
                + row.options()
                + "\n  docs:    "
                + row.expected()
                + "\n  printed: "
                + printed);
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void theCheckpointPair_verifiesAndTheConsistencyProofLinksThem() throws Exception {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) 1);
    NoteVerifier key =
        new NoteVerifier("log.pinaivu.dev/receipts", Ed25519.PrivateKey.fromSeed(seed).publicKey());
    CheckpointVerifier verifier = new CheckpointVerifier("log.pinaivu.dev/receipts", key);
    Checkpoint older = verifier.verify(read("checkpoint-6.note"));
    Checkpoint newer = verifier.verify(read("checkpoint-8.note"));
    JsonNode proof = Json.parse(read("consistency-6-8.json"));

    assertThat(newer.rootHash().hex())
        .isEqualTo("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
    assertThat(
            new ConsistencyProof(6, 8, LogVerifier.hashes(proof.get("consistency_path")))
                .verify(older.rootHash(), newer.rootHash())
                .accepted())
        .isTrue();
  }

  private static String read(String name) throws Exception {
    return new String(Files.readAllBytes(DocVectors.DIR.resolve(name)), UTF_8);
  }
}
