package io.dnalab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dnalab.experiment.Embedder;
import io.dnalab.experiment.EmbedderFixtures;
import io.dnalab.experiment.EmbedderModels;
import io.dnalab.experiment.ArtifactStore;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dnalab embed} end to end in process: dnalab's own encoder, public checkpoints against
 * the reference implementation's outputs, and bad input.
 */
class EmbedCommandTest {
  /** The tolerance for hidden states computed by another implementation. */
  private static final double REFERENCE_TOLERANCE = 1e-4;

  @Test
  void embedsAFastaWithDnalabsOwnEncoderAsTheEmbedderDoes(@TempDir Path dir) throws Exception {
    Path artifact = EmbedderFixtures.tinyBertArtifact(dir.resolve("artifact"));
    Path fasta = dir.resolve("in.fa");
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < EmbedderFixtures.SEQUENCES.size(); i++) {
      text.append(">s").append(i).append('\n').append(EmbedderFixtures.SEQUENCES.get(i))
          .append('\n');
    }
    Files.writeString(fasta, text);
    Path out = dir.resolve("out.npy");
    CliRun run = CliRun.run("embed", "--model", artifact.toString(), "--out", out.toString(),
        "--pooling", "cls", "--batch-size", "4", "--quiet", fasta.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains("wrote " + out + ": (6, 16) float32, cls pooling of layer 2");

    Embedder.Embeddings expected;
    try (Embedder.Encoder encoder = EmbedderModels.open(artifact.toString(),
        new ArtifactStore(dir.resolve("store")))) {
      expected = Embedder.embed(encoder, EmbedderFixtures.SEQUENCES, Embedder.Pooling.CLS, -1, 4,
          Embedder.Progress.NONE);
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray written = EmbedderFixtures.readNpy(manager, out);
      assertThat(written.getShape().getShape()).containsExactly(6, 16);
      float[] flat = written.toFloatArray();
      for (int i = 0; i < 6; i++) {
        for (int c = 0; c < 16; c++) {
          // the same computation, same batches: bit-identical
          assertThat(flat[i * 16 + c]).isEqualTo(expected.pooled()[i][c]);
        }
      }
    }

    // a CSV with a sequence column and no label column gives the same rows
    Path csv = dir.resolve("in.csv");
    Files.writeString(csv, "name,sequence\n" + String.join("\n",
        EmbedderFixtures.SEQUENCES.stream().map(s -> "x," + s).toList()) + "\n");
    Path fromCsv = dir.resolve("csv.npy");
    assertThat(CliRun.run("embed", "--model", artifact.toString(), "--out", fromCsv.toString(),
        "--pooling", "cls", "--batch-size", "4", "--quiet", csv.toString()).exitCode()).isZero();
    assertThat(Files.readAllBytes(fromCsv)).isEqualTo(Files.readAllBytes(out));
  }

  /**
   * {@code embed --pooling mean} on each layout's tiny checkpoint equals the mean-pooled output
   * of the reference implementation ({@code checkpoints/generate_hidden_states.py}: a plain
   * PyTorch port of DNABERT-2's bert_layers.py; transformers' BertModel for DNABERT 6-mer and
   * EsmModel for Nucleotide Transformer v1) on real GUE sequences of mixed lengths. The batches
   * here are sorted and padded differently from the reference's.
   */
  @Test
  void meanPoolingOfATinyCheckpointEqualsTheReference(@TempDir Path dir) throws Exception {
    for (String layout : List.of("dnabert2", "dnabert6", "nt_v1")) {
      Path model = Path.of(getClass().getResource("/checkpoints/models/" + layout).toURI());
      JsonNode golden;
      try (InputStream in = new GZIPInputStream(Files.newInputStream(
          model.resolveSibling(layout + ".hidden.json.gz")))) {
        golden = new ObjectMapper().readTree(in);
      }
      Path fasta = dir.resolve(layout + ".fa");
      StringBuilder text = new StringBuilder();
      List<String> sequences = new ArrayList<>();
      golden.get("sequences").forEach(s -> sequences.add(s.asText()));
      for (int i = 0; i < sequences.size(); i++) {
        text.append(">s").append(i).append('\n').append(sequences.get(i)).append('\n');
      }
      Files.writeString(fasta, text);
      Path out = dir.resolve(layout + ".npy");
      CliRun run = CliRun.run("embed", "--model", model.toString(), "--out", out.toString(),
          "--pooling", "mean", "--batch-size", "2", "--quiet", fasta.toString());
      assertThat(run.exitCode()).as(run.err()).isZero();
      JsonNode expected = golden.get("mean_pooled");
      double maxDelta = 0;
      try (NDManager manager = NDManager.newBaseManager()) {
        NDArray written = EmbedderFixtures.readNpy(manager, out);
        int hidden = expected.get(0).size();
        assertThat(written.getShape().getShape()).containsExactly(sequences.size(), hidden);
        float[] flat = written.toFloatArray();
        for (int i = 0; i < sequences.size(); i++) {
          for (int c = 0; c < hidden; c++) {
            maxDelta = Math.max(maxDelta,
                Math.abs(flat[i * hidden + c] - expected.get(i).get(c).asDouble()));
          }
        }
      }
      System.out.printf(Locale.ROOT, "embed --pooling mean, %s: max |delta| vs reference %.3g "
          + "over %d sequences%n", layout, maxDelta, sequences.size());
      assertThat(maxDelta).as(layout).isLessThan(REFERENCE_TOLERANCE);
    }
  }

  @Test
  void badInputIsOneLineAndStatus2(@TempDir Path dir) throws Exception {
    Path artifact = EmbedderFixtures.tinyBertArtifact(dir.resolve("artifact"));
    Path fasta = dir.resolve("in.fa");
    Files.writeString(fasta, ">a\nACGTACGT\n");
    String out = dir.resolve("out.npy").toString();

    CliRun pooling = CliRun.run("embed", "--model", artifact.toString(), "--out", out,
        "--pooling", "max", fasta.toString());
    assertThat(pooling.exitCode()).isEqualTo(2);
    assertThat(pooling.err().strip())
        .isEqualTo("dnalab embed: pooling must be mean, cls or none, got \"max\"");

    Path empty = dir.resolve("empty.fa");
    Files.writeString(empty, "");
    CliRun emptyRun = CliRun.run("embed", "--model", artifact.toString(), "--out", out,
        empty.toString());
    assertThat(emptyRun.exitCode()).isEqualTo(2);
    assertThat(emptyRun.err().strip()).startsWith("dnalab embed: " + empty).doesNotContain("\n")
        .doesNotContain("Exception");

    // a hub id that is in no cache: the locator's message, the places it looked and the
    // command that fetches the model on a connected machine
    CliRun missing = CliRun.run("embed", "--model", "nobody/no-such-model", "--out", out,
        fasta.toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).startsWith("dnalab embed: model nobody/no-such-model not found")
        .contains("hf download nobody/no-such-model").doesNotContain("Exception");
    assertThat(dir.resolve("out.npy")).doesNotExist();
  }
}
