package io.dnalab.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnalab.spec.CorpusSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Corpus#excluding} with the regions a {@link CorpusLeakageScreen} matched. */
class CorpusLeakageExclusionTest {
  private static final int WINDOW = 64;

  @TempDir
  Path dir;

  @Test
  void exclusionRemovesExactlyTheWindowsThatOverlapAMatchedRegion() throws IOException {
    // One record of 120,000 bases: a single 100 kb block with its short tail joined to it.
    String genome = CorpusLeakageScreenTest.random(21, 120_000);
    StringBuilder fasta = new StringBuilder(">chr\n");
    for (int i = 0; i < genome.length(); i += 60) {
      fasta.append(genome, i, Math.min(genome.length(), i + 60)).append('\n');
    }
    Path file = dir.resolve("g.fa");
    Files.writeString(file, fasta);
    Map<String, Path> files = Map.of("g", file);
    // Two exact copies (one read off the minus strand) and one unrelated sequence.
    CorpusLeakageScreen.Result screen = new CorpusLeakageScreen(List.of(
        new CorpusLeakageScreen.Group("t", "test", List.of(genome.substring(10_000, 10_101),
            Dna.reverseComplement(genome.substring(70_000, 70_070)),
            CorpusLeakageScreenTest.random(22, 101)))))
        .screen(files);
    long[][] regions = screen.matchedRegions().get("g");
    assertThat(regions).isDeepEqualTo(new long[][] {{10_000, 10_101}, {70_000, 70_070}});

    CorpusSpec spec = new CorpusSpec("g", List.of(new CorpusSpec.GenomeSource("g", 1)), 0.0,
        false, 0.05, CorpusSpec.Leakage.EXCLUDE);
    Corpus whole = Corpus.load(spec, files);
    Corpus excluded = whole.excluding(screen.matchedRegions());

    // Every start of the one block, minus the starts whose window overlaps a region, counted
    // one by one; the block sits in one split or the other, so sum both.
    long expected = 0;
    for (long start = 0; start + WINDOW <= genome.length(); start++) {
      boolean overlaps = false;
      for (long[] region : regions) {
        overlaps |= start < region[1] && region[0] < start + WINDOW;
      }
      expected += overlaps ? 0 : 1;
    }
    assertThat(whole.windowStarts(false, WINDOW) + whole.windowStarts(true, WINDOW))
        .isEqualTo(genome.length() - WINDOW + 1);
    assertThat(excluded.windowStarts(false, WINDOW) + excluded.windowStarts(true, WINDOW))
        .isEqualTo(expected);

    // And no window drawn from the excluded corpus touches a region.
    boolean training = excluded.windowStarts(false, WINDOW) > 0;
    for (int step = 0; step < 2000; step++) {
      if (training) {
        excluded.trainingWindows(3, step, 1, WINDOW);
      } else {
        excluded.validationWindows(1, WINDOW);
      }
      long start = excluded.lastStart();
      for (long[] region : regions) {
        assertThat(start < region[1] && region[0] < start + WINDOW)
            .as("window at %d overlaps [%d, %d)", start, region[0], region[1]).isFalse();
      }
    }
  }

  @Test
  void noRegionsLeaveTheCorpusAsItWas() throws IOException {
    String genome = CorpusLeakageScreenTest.random(23, 300_000); // 3 blocks: both splits
    Path file = dir.resolve("h.fa");
    Files.writeString(file, ">chr\n" + genome + "\n");
    CorpusSpec spec = new CorpusSpec("h", List.of(new CorpusSpec.GenomeSource("h", 1)), 0.0,
        true, 0.05);
    Corpus whole = Corpus.load(spec, Map.of("h", file));
    Corpus same = whole.excluding(Map.of("h", new long[0][]));
    for (int step = 0; step < 20; step++) {
      assertThat(same.trainingWindows(5, step, 4, WINDOW))
          .isDeepEqualTo(whole.trainingWindows(5, step, 4, WINDOW));
    }
  }
}
