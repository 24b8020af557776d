package io.dnalab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dnalab.spec.CorpusSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {
  @TempDir
  Path dir;

  /** A random genome of {@code records} records; the first 5 kb of each is N (an assembly gap). */
  static String genome(long seed, int records, int basesPerRecord) {
    Random random = new Random(seed);
    StringBuilder fasta = new StringBuilder();
    for (int r = 0; r < records; r++) {
      fasta.append(">chr").append(r).append('\n');
      for (int i = 0; i < basesPerRecord; i++) {
        fasta.append(i < 5000 ? 'N' : "ACGTacgt".charAt(random.nextInt(8)));
        if (i % 60 == 59) {
          fasta.append('\n');
        }
      }
      fasta.append('\n');
    }
    return fasta.toString();
  }

  Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(text.getBytes(StandardCharsets.US_ASCII));
    }
    return file;
  }

  Corpus twoGenomes(double weightA, double weightB, boolean reverseComplement)
      throws IOException {
    Map<String, Path> files = Map.of("a", write("a.fa.gz", genome(1, 3, 400_000)), "b",
        write("b.fa.gz", genome(2, 1, 300_000)));
    CorpusSpec spec = new CorpusSpec("ab", List.of(new CorpusSpec.GenomeSource("a", weightA),
        new CorpusSpec.GenomeSource("b", weightB)), 0.0, reverseComplement, 0.2);
    return Corpus.load(spec, files);
  }

  @Test
  void windowsAreAPureFunctionOfSeedAndStep() throws IOException {
    Corpus corpus = twoGenomes(1, 1, true);
    byte[][] first = corpus.trainingWindows(7, 3, 16, 200);
    assertThat(corpus.trainingWindows(7, 3, 16, 200)).isDeepEqualTo(first);
    assertThat(Arrays.deepEquals(corpus.trainingWindows(7, 4, 16, 200), first)).isFalse();
    assertThat(Arrays.deepEquals(corpus.trainingWindows(8, 3, 16, 200), first)).isFalse();
    assertThat(corpus.validationWindows(8, 200)).isDeepEqualTo(corpus.validationWindows(8, 200));
  }

  @Test
  void trainingWindowsNeverTouchHeldOutBlocksAndHoldNoN() throws IOException {
    Corpus corpus = twoGenomes(1, 1, false);
    long[] bases = corpus.splitBases();
    assertThat(bases[1]).isPositive();
    assertThat(bases[0] + bases[1]).isEqualTo(3 * 400_000 + 300_000);
    for (int step = 0; step < 2000; step++) {
      byte[] window = corpus.trainingWindows(0, step, 1, 500)[0];
      assertThat(corpus.overlapsHeldOut(corpus.lastGenome(), corpus.lastStart(), 500)).isFalse();
      assertThat(new String(window, StandardCharsets.US_ASCII)).matches("[ACGT]{500}");
    }
    corpus.validationWindows(200, 500);
    assertThat(corpus.overlapsHeldOut(corpus.lastGenome(), corpus.lastStart(), 500)).isTrue();
  }

  @Test
  void genomesAreDrawnByMixingWeight() throws IOException {
    Corpus corpus = twoGenomes(3, 1, false);
    int fromA = 0;
    int draws = 4000;
    for (int step = 0; step < draws; step++) {
      corpus.trainingWindows(0, step, 1, 100);
      fromA += corpus.lastGenome().equals("a") ? 1 : 0;
    }
    // Binomial(4000, 0.75): sd ≈ 27, so ±100 is > 3.5 sd.
    assertThat(fromA).isBetween(2900, 3100);
  }

  @Test
  void aboutHalfTheWindowsAreReverseComplemented() throws IOException {
    Corpus plain = twoGenomes(1, 1, false);
    Corpus augmented = twoGenomes(1, 1, true);
    int flipped = 0;
    for (int step = 0; step < 400; step++) {
      byte[] forward = plain.trainingWindows(5, step, 1, 50)[0];
      byte[] maybe = augmented.trainingWindows(5, step, 1, 50)[0];
      if (!Arrays.equals(forward, maybe)) {
        byte[] copy = maybe.clone();
        Dna.reverseComplementInPlace(copy);
        assertThat(copy).isEqualTo(forward);
        flipped++;
      }
    }
    assertThat(flipped).isBetween(150, 250);
  }

  @Test
  void nPolicyRejectsWindowsAndSaysWhatToChange() throws IOException {
    Path allN = write("n.fa.gz", ">gap\n" + "N".repeat(250_000) + "\n");
    CorpusSpec spec = new CorpusSpec("gaps", List.of(new CorpusSpec.GenomeSource("n", 1)), 0.1,
        false, 0.2);
    Corpus corpus = Corpus.load(spec, Map.of("n", allN));
    assertThatThrownBy(() -> corpus.trainingWindows(0, 0, 1, 100))
        .hasMessageContaining("corpus gaps: no window of 100 bases with at most 0.1 N found")
        .hasMessageContaining("raise maxNFraction");
  }

  @Test
  void genomesAreReadLenientlyAndTheReadIsReported() throws IOException {
    // 200 kb of ACGT with an ambiguity code every 1000 bases and a soft-masked stretch
    StringBuilder fasta = new StringBuilder(">chr1\n");
    Random random = new Random(3);
    for (int i = 0; i < 200_000; i++) {
      char base = "ACGT".charAt(random.nextInt(4));
      fasta.append(i % 1000 == 500 ? 'R' : i < 1000 ? Character.toLowerCase(base) : base);
    }
    fasta.append("\n>empty\n");
    Path file = write("iupac.fa.gz", fasta.toString());
    CorpusSpec spec = new CorpusSpec("iupac", List.of(new CorpusSpec.GenomeSource("g", 1)), 0.1,
        false, 0.2);
    Corpus corpus = Corpus.load(spec, Map.of("g", file));
    assertThat(corpus.readReport()).containsExactly(new Corpus.GenomeRead("g",
        "LENIENT_CORPUS", 2, 1, 200_000, 999, 200));
    for (byte[] window : corpus.trainingWindows(0, 0, 8, 2000)) {
      assertThat(new String(window, StandardCharsets.US_ASCII)).matches("[ACGTN]{2000}")
          .contains("N");
    }
    // the same genome is no task input: the strict policy names the first ambiguity code
    assertThatThrownBy(() -> FastaReader.readAll(file, BasePolicy.STRICT))
        .hasMessageStartingWith(file + ":2:501: IUPAC ambiguity code 'R' at base 501");
  }

  @Test
  void catalogResolvesAndVerifiesTheRealGenomesAndNamesMissingOnes() {
    DatasetCatalog catalog = DatasetCatalog.environmentBuilder().cacheDir(dir)
        .dataDir(TestData.root()).build();
    DatasetCatalog.GenomeFile chr20 = catalog.genome("human_chr20");
    assertThat(chr20.id()).isEqualTo("human_GRCh37_chr20");
    assertThat(chr20.path()).endsWith(Path.of("genomes", "human_GRCh37_chr20.fa.gz"));
    for (String id : CorpusSpec.multiSpecies().genomes().stream()
        .map(CorpusSpec.GenomeSource::id).toList()) {
      assertThat(catalog.genome(id).path()).isRegularFile();
    }
    DatasetCatalog empty = DatasetCatalog.builder().cacheDir(dir).build();
    assertThatThrownBy(() -> empty.genome("ustilago_maydis"))
        .hasMessageContaining("ustilago_maydis")
        .hasMessageContaining("genomes/ustilago_maydis.fa.gz not found")
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("set DNALAB_DATA");
    assertThatThrownBy(() -> empty.genome("mars"))
        .hasMessageContaining("unknown genome 'mars'").hasMessageContaining("human_GRCh37_chr20");
  }

  @Test
  void aTamperedGenomeIsRefused() throws IOException {
    DatasetCatalog catalog = DatasetCatalog.builder().cacheDir(dir).build();
    Path fake = dir.resolve("genomes/ustilago_maydis.fa.gz");
    Files.createDirectories(fake.getParent());
    Files.writeString(fake, ">x\nACGT\n");
    assertThatThrownBy(() -> catalog.genome("ustilago_maydis"))
        .hasMessageContaining(fake.toString())
        .hasMessageContaining("but the catalog expects c17536af");
  }
}
