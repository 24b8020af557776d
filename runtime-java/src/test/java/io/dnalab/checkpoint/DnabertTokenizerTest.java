package io.dnalab.checkpoint;

import static io.dnalab.checkpoint.CheckpointWeightsTest.resource;
import static io.dnalab.checkpoint.NucleotideTransformerTokenizerTest.gzipLines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dnalab.tokenize.DnabertTokenizer;
import io.dnalab.tokenize.Tokenizer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DnabertTokenizerTest {
  /** The fixture folder with its vocabulary unpacked (it ships gzipped to keep the fixtures small). */
  static Path dnabertFolder(Path dir) throws Exception {
    Path folder = Files.createDirectories(dir.resolve("dnabert6"));
    Path fixture = resource("configs/dnabert6");
    Files.copy(fixture.resolve("config.json"), folder.resolve("config.json"));
    Files.copy(fixture.resolve("tokenizer_config.json"), folder.resolve("tokenizer_config.json"));
    try (InputStream in = new GZIPInputStream(Files.newInputStream(fixture.resolve("vocab.txt.gz")))) {
      Files.copy(in, folder.resolve("vocab.txt"));
    }
    return folder;
  }

  @Test
  void idsEqualTransformersBertTokenizerOnDnabertsKmerText(@TempDir Path dir) throws Exception {
    Tokenizer dnabert = DnabertTokenizer.load(dnabertFolder(dir));
    List<String> sequences = gzipLines(Path.of(DnabertTokenizerTest.class.getResource("/tokenize/sequences.txt.gz").toURI()));
    List<String> expected = gzipLines(resource("dnabert6.ids.gz"));
    // The generator tokenized every 10th sequence.
    assertThat(expected).hasSize(240);
    for (int i = 0; i < expected.size(); i++) {
      int[] want = Arrays.stream(expected.get(i).split(" ")).mapToInt(Integer::parseInt).toArray();
      assertThat(dnabert.encode(sequences.get(10 * i)).ids()).as("line %d", 10 * i + 1).containsExactly(want);
    }
  }

  @Test
  void clsOverlappingSixMersSep(@TempDir Path dir) throws Exception {
    Tokenizer dnabert = DnabertTokenizer.load(dnabertFolder(dir));
    // BertTokenizer on "ACGNAC CGNACG GNACGT NACGTA ACGTAC CGTACG GTACGT TACGTA ACGTAA CGTAAA GTAAAC":
    // k-mers holding N are [UNK] (1); ids of the rest are 5 + their lexicographic rank.
    assertThat(dnabert.encode("ACGNACGTACGTAAAC").ids())
        .containsExactly(2, 1, 1, 1, 1, 438, 1739, 2848, 3185, 437, 1733, 2822, 3);
    assertThat(dnabert.encode("ACGTA").ids()).containsExactly(2, 3);
    assertThat(dnabert.vocabSize()).isEqualTo(4101);
  }

  @Test
  void lowercasingTokenizerFilesAreRefused(@TempDir Path dir) throws Exception {
    Path folder = dnabertFolder(dir);
    Files.delete(folder.resolve("tokenizer_config.json"));
    assertThatThrownBy(() -> DnabertTokenizer.load(folder))
        .hasMessage(folder.resolve("tokenizer_config.json") + ": do_lower_case = unset (BertTokenizer's default: true):"
            + " lowercased k-mers match nothing in a DNA vocabulary; DNABERT's tokenizer sets it to false");
  }
}
