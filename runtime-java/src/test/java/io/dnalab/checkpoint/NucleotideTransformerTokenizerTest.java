package io.dnalab.checkpoint;

import static io.dnalab.checkpoint.CheckpointWeightsTest.copyOf;
import static io.dnalab.checkpoint.CheckpointWeightsTest.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dnalab.tokenize.NucleotideTransformerTokenizer;
import io.dnalab.tokenize.Padding;
import io.dnalab.tokenize.Tokenizer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NucleotideTransformerTokenizerTest {
  static List<String> gzipLines(Path file) throws Exception {
    try (var in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
      List<String> lines = new ArrayList<>();
      for (String line; (line = in.readLine()) != null; ) {
        lines.add(line);
      }
      return lines;
    }
  }

  @Test
  void idsEqualTransformersEsmTokenizerOnRealSequences() throws Exception {
    Tokenizer nt = NucleotideTransformerTokenizer.load(resource("configs/nt_v1"));
    // 2,400 GUE, Drosophila and chr20 sequences (soft-masked lowercase and N runs included).
    List<String> sequences = gzipLines(Path.of(NucleotideTransformerTokenizerTest.class.getResource("/tokenize/sequences.txt.gz").toURI()));
    List<String> expected = gzipLines(resource("nt_v1.ids.gz"));
    assertThat(sequences).hasSize(2400);
    assertThat(expected).hasSameSizeAs(sequences);
    for (int i = 0; i < sequences.size(); i++) {
      int[] want = Arrays.stream(expected.get(i).split(" ")).mapToInt(Integer::parseInt).toArray();
      assertThat(nt.encode(sequences.get(i)).ids()).as("line %d", i + 1).containsExactly(want);
    }
  }

  @Test
  void clsThenNonOverlappingSixMersWithSingleLettersForLeftoversAndN() {
    Tokenizer nt = NucleotideTransformerTokenizer.load(resource("configs/nt_v1"));
    // Printed by the generator from EsmTokenizer: <cls> ACGTAC G T N ACGTAA A A A A C.
    assertThat(nt.encode("ACGTACGTNACGTAAAAAAC").ids()).containsExactly(3, 728, 4105, 4103, 4106, 726, 4102, 4102, 4102, 4102, 4104);
    assertThat(nt.specialTokensAfter()).isEmpty();
    // Batches pad with <pad> (id 1) and mask it out.
    var batch = nt.withPadding(Padding.batchLongest()).encodeBatch(List.of("ACGTAC", "ACGTACG"));
    assertThat(batch.get(0).ids()).containsExactly(3, 728, 1);
    assertThat(batch.get(0).attentionMask()).containsExactly(1, 1, 0);
  }

  @Test
  void anEosTokenSetInTheTokenizerFilesIsAppended(@TempDir Path dir) throws Exception {
    Path folder = copyOf(resource("configs/nt_v1"), dir.resolve("nt"));
    // Without tokenizer_config.json's "eos_token": null, EsmTokenizer's default <eos> applies.
    Files.delete(folder.resolve("tokenizer_config.json"));
    Tokenizer withEos = NucleotideTransformerTokenizer.load(folder);
    assertThat(withEos.encode("ACGTAC").ids()).containsExactly(3, 728, 4);
    Files.writeString(folder.resolve("special_tokens_map.json"), "{\"eos_token\": {\"content\": \"<bos>\", \"lstrip\": false}}");
    assertThat(NucleotideTransformerTokenizer.load(folder).encode("ACGTAC").ids()).containsExactly(3, 728, 5);
  }

  @Test
  void aDamagedVocabularyIsNamedByLine(@TempDir Path dir) throws Exception {
    Path folder = copyOf(resource("configs/nt_v1"), dir.resolve("nt"));
    Path vocab = folder.resolve("vocab.txt");
    List<String> lines = new ArrayList<>(Files.readAllLines(vocab));
    lines.set(10, lines.get(9));
    Files.write(vocab, lines);
    assertThatThrownBy(() -> NucleotideTransformerTokenizer.load(folder))
        .hasMessage(vocab + ":11: token " + lines.get(9) + " repeats line 10");
    lines.remove(10);
    Files.write(vocab, lines);
    assertThatThrownBy(() -> NucleotideTransformerTokenizer.load(folder))
        .hasMessage(vocab + ": 4095 k-mers of length 6; a k-mer vocabulary holds all 4096");
    Files.delete(vocab);
    assertThatThrownBy(() -> NucleotideTransformerTokenizer.load(folder)).hasMessageStartingWith(vocab + ": no such file");
  }
}
