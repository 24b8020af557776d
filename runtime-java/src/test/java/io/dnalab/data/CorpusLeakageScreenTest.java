package io.dnalab.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusLeakageScreenTest {
  @TempDir
  Path dir;

  /** Random bases: any 31-mer of one seed's text is absent from another's (4^31 ≈ 5·10^18). */
  static String random(long seed, int length) {
    Random random = new Random(seed);
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append("ACGT".charAt(random.nextInt(4)));
    }
    return s.toString();
  }

  static char otherBase(char base) {
    return base == 'A' ? 'C' : 'A';
  }

  /** A corpus of two records, chr1 and chr2, written 60 bases a line. */
  Map<String, Path> corpus(String chr1, String chr2) throws IOException {
    StringBuilder fasta = new StringBuilder();
    for (String[] record : new String[][] {{"chr1", chr1}, {"chr2", chr2}}) {
      fasta.append('>').append(record[0]).append('\n');
      for (int i = 0; i < record[1].length(); i += 60) {
        fasta.append(record[1], i, Math.min(record[1].length(), i + 60)).append('\n');
      }
    }
    Path file = dir.resolve("corpus.fa");
    Files.writeString(file, fasta);
    return Map.of("g", file);
  }

  static CorpusLeakageReport.Counts only(CorpusLeakageScreen.Result result) {
    assertThat(result.report().counts()).hasSize(1);
    return result.report().counts().get(0);
  }

  static CorpusLeakageScreen.Result screen(Map<String, Path> corpus, String... sequences) {
    return new CorpusLeakageScreen(List.of(new CorpusLeakageScreen.Group("t", "test",
        List.of(sequences)))).screen(corpus);
  }

  @Test
  void aSequenceCopiedFromTheCorpusIsAnExactCopyOnEitherStrand() throws IOException {
    String chr1 = random(1, 5000);
    String chr2 = random(2, 3000);
    String copy = chr1.substring(1000, 1101); // 101 bp, a tf-task length
    String rcCopy = Dna.reverseComplement(chr2.substring(200, 270)); // 70 bp, read off the minus strand
    String unrelated = random(3, 101);
    CorpusLeakageReport.Counts counts = only(screen(corpus(chr1, chr2), copy, rcCopy, unrelated));
    assertThat(counts.screened()).isEqualTo(3);
    assertThat(counts.exactCopies()).isEqualTo(2);
    assertThat(counts.nearCopies()).isEqualTo(2);
    assertThat(counts.tooShort()).isZero();
  }

  @Test
  void sixtyPercentSharedKmersIsANearCopyFortyIsNot() throws IOException {
    String chr1 = random(4, 5000);
    // 130 bases have 100 31-mers. The first 90 bases copied from the corpus give k-mers 0..59
    // inside the copy (60 of 100); k-mer 60 already ends on the first unrelated base.
    // The base after each copy differs from the corpus's, so the copy ends where it says.
    String sixty = chr1.substring(2000, 2090) + otherBase(chr1.charAt(2090)) + random(5, 39);
    // 70 copied bases: k-mers 0..39 inside the copy, 40 of 100.
    String forty = chr1.substring(3000, 3070) + otherBase(chr1.charAt(3070)) + random(6, 59);
    CorpusLeakageScreen.Result result = screen(corpus(chr1, random(7, 1000)), sixty, forty);
    CorpusLeakageReport.Counts counts = only(result);
    assertThat(counts.nearCopies()).isEqualTo(1);
    assertThat(counts.exactCopies()).isZero();
    // The near copy's 60 shared k-mers cover corpus bases 2000..2089: one region of 90 bases.
    assertThat(counts.regions()).isEqualTo(1);
    assertThat(counts.bases()).isEqualTo(90);
    assertThat(result.matchedRegions().get("g")).isDeepEqualTo(new long[][] {{2000, 2090}});
  }

  @Test
  void nInTheCorpusOrTheSequenceBreaksKmersAndPositionsCountN() throws IOException {
    String before = random(8, 500);
    String segment = random(9, 101);
    // chr1: 500 random bases, 37 N (a gap), the segment, more random bases.
    String chr1 = before + "N".repeat(37) + segment + random(10, 400);
    // The segment with one N in its middle: 101 - 31 + 1 = 71 windows, 31 of them hold the N,
    // the 40 N-free ones all occur in the corpus: a near copy, but never an exact copy.
    String withN = segment.substring(0, 50) + "N" + segment.substring(51);
    // Spanning the gap: 20 k-mers left of the N and 20 right of it, all in the corpus.
    String acrossGap = before.substring(450) + "N".repeat(37) + segment.substring(0, 50);
    CorpusLeakageScreen.Result result = screen(corpus(chr1, random(11, 500)), segment, withN,
        acrossGap);
    CorpusLeakageReport.Counts counts = only(result);
    assertThat(counts.exactCopies()).isEqualTo(1); // only the segment itself
    assertThat(counts.nearCopies()).isEqualTo(3);
    // Positions count the N: the segment starts at 537, and the first 20 k-mers of the gap-spanning
    // sequence (bases 450..499) join it as a second region.
    assertThat(result.matchedRegions().get("g")).isDeepEqualTo(new long[][] {{450, 500},
        {537, 638}});
  }

  @Test
  void kmersNeverCrossARecordBoundary() throws IOException {
    String chr1 = random(12, 600);
    String chr2 = random(13, 600);
    // The last 50 bases of chr1 followed by the first 51 of chr2: consecutive in the file's
    // text, but no record holds it. Its 20 k-mers inside chr1 and 21 inside chr2 are shared, the
    // 30 spanning the boundary are not (41 of 71): a near copy, not an exact one.
    String spanning = chr1.substring(550) + chr2.substring(0, 51);
    CorpusLeakageReport.Counts counts = only(screen(corpus(chr1, chr2), spanning));
    assertThat(counts.exactCopies()).isZero();
    assertThat(counts.nearCopies()).isEqualTo(1);
  }

  @Test
  void sequencesShorterThanKAreCountedAsTooShort() throws IOException {
    String chr1 = random(14, 2000);
    CorpusLeakageReport.Counts counts = only(screen(corpus(chr1, random(15, 500)),
        chr1.substring(100, 130), "N".repeat(40), chr1.substring(100, 131)));
    assertThat(counts.screened()).isEqualTo(3);
    assertThat(counts.tooShort()).isEqualTo(2); // 30 bp, and 40 N
    assertThat(counts.exactCopies()).isEqualTo(1); // the 31-bp one: exactly one k-mer, present
  }

  @Test
  void groupsAreCountedSeparately() throws IOException {
    String chr1 = random(16, 3000);
    CorpusLeakageScreen.Result result = new CorpusLeakageScreen(List.of(
        new CorpusLeakageScreen.Group("a", "dev", List.of(chr1.substring(0, 70))),
        new CorpusLeakageScreen.Group("a", "test", List.of(random(17, 70), random(18, 70)))))
        .screen(corpus(chr1, random(19, 500)));
    assertThat(result.report().counts()).extracting(CorpusLeakageReport.Counts::split,
            CorpusLeakageReport.Counts::screened, CorpusLeakageReport.Counts::nearCopies,
            CorpusLeakageReport.Counts::bases)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("dev", 1, 1, 70L),
            org.assertj.core.groups.Tuple.tuple("test", 2, 0, 0L));
    assertThat(result.report().corpusBases()).isEqualTo(3500);
    assertThat(result.report().clean()).isFalse();
  }

  @Test
  void reverseComplementCodeMatchesTheReverseComplementString() {
    String kmer = random(20, 31);
    long[] codes = new long[2];
    Dna.forEachCanonicalKmer(kmer, 31, code -> codes[0] = code);
    Dna.forEachCanonicalKmer(Dna.reverseComplement(kmer), 31, code -> codes[1] = code);
    long forward = 0;
    for (char c : kmer.toCharArray()) {
      forward = (forward << 2) | Dna.code(c);
    }
    long reverse = CorpusLeakageScreen.reverseComplementCode(forward);
    assertThat(Math.min(forward, reverse)).isEqualTo(codes[0]).isEqualTo(codes[1]);
    assertThat(CorpusLeakageScreen.reverseComplementCode(reverse)).isEqualTo(forward);
  }
}
