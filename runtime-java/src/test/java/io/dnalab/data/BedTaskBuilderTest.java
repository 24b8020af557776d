package io.dnalab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BedTaskBuilderTest {
  @TempDir Path temp;

  static final int CONTIG = 60_000;
  static final int BLOCK = 5_000;

  /** Two random contigs of 60 kb, chrA and chrB. */
  private Path genome() {
    SplittableRandom random = new SplittableRandom(3);
    StringBuilder fasta = new StringBuilder();
    for (String id : List.of("chrA", "chrB")) {
      fasta.append('>').append(id).append('\n');
      for (int i = 0; i < CONTIG; i++) {
        fasta.append("ACGT".charAt(random.nextInt(4)));
        if (i % 60 == 59) {
          fasta.append('\n');
        }
      }
    }
    return TestData.write(temp.resolve("genome.fa"), fasta.toString());
  }

  /** Intervals of 100 bp every 400 bp, alternating class and strand, with a #header line. */
  private Path bed() {
    StringBuilder text = new StringBuilder("#chrom\tstart\tend\tname\tscore\tstrand\tclass\n");
    int n = 0;
    for (String id : List.of("chrA", "chrB")) {
      for (int start = 200; start + 300 <= CONTIG; start += 400, n++) {
        text.append(id).append('\t').append(start).append('\t').append(start + 100)
            .append("\tr").append(n).append("\t0\t").append(n % 3 == 0 ? '-' : '+').append('\t')
            .append(n % 2 == 0 ? "enhancer" : "background").append('\n');
      }
    }
    return TestData.write(temp.resolve("regions.bed"), text.toString());
  }

  private static BedTaskBuilder.Options options(String labelColumn, int flank, int length) {
    return new BedTaskBuilder.Options(labelColumn, flank, length, true, BLOCK, 0.1, 0.1, 42,
        true);
  }

  private static String contigSequence(Path genome, String id) {
    return FastaReader.readAll(genome, BasePolicy.STRICT).stream()
        .filter(r -> r.id().equals(id)).findFirst().orElseThrow().sequence();
  }

  @Test
  void labelsFromANamedColumnStrandAwareWithFlanksAndRegionSplits() {
    Path genome = genome();
    BedTaskBuilder.Result result = BedTaskBuilder.build("bedtask", List.of(bed()), genome,
        options("class", 20, 0));

    assertThat(result.classNames()).containsExactly("background", "enhancer");
    assertThat(result.task().numClasses()).isEqualTo(2);
    String chrA = contigSequence(genome, "chrA");
    List<TaskBuilder.Window> all = new ArrayList<>();
    result.windows().values().forEach(all::addAll);
    // 149 intervals per contig (starts 200, 600, ..., 59400); those whose window straddles a
    // 5 kb block boundary are dropped and counted
    assertThat(result.stats().intervals()).isEqualTo(298);
    assertThat(result.stats().droppedAcrossBlocks()).isPositive();
    assertThat(all.size() + result.stats().droppedAcrossBlocks()
        + result.stats().droppedAsLeaked()).isEqualTo(298);
    for (TaskBuilder.Window w : all) {
      assertThat(w.end() - w.start()).isEqualTo(140); // 100 bp + 2 x 20 bp flanks
      if (w.contig().equals("chrA")) {
        String forward = chrA.substring(w.start(), w.end());
        assertThat(w.sequence()).isEqualTo(w.strand() == Strand.REVERSE
            ? Dna.reverseComplement(forward) : forward);
      }
    }
    assertThat(all).anyMatch(w -> w.strand() == Strand.REVERSE);
    // leakage-safe: no block holds windows of two splits
    Map<String, List<TaskBuilder.Window>> windows = result.windows();
    for (String a : windows.keySet()) {
      for (String b : windows.keySet()) {
        if (a.compareTo(b) < 0) {
          for (TaskBuilder.Window x : windows.get(a)) {
            for (TaskBuilder.Window y : windows.get(b)) {
              assertThat(x.contig().equals(y.contig()) && x.start() / BLOCK == y.start() / BLOCK)
                  .as(a + " " + x + " vs " + b + " " + y).isFalse();
            }
          }
        }
      }
    }
    assertThat(result.task().dev()).isNotEmpty();
    assertThat(result.task().test()).isNotEmpty();
    // same inputs, same seed: the same task
    assertThat(BedTaskBuilder.build("bedtask", List.of(bed()), genome, options("class", 20, 0))
        .task()).isEqualTo(result.task());
  }

  @Test
  void fixedLengthIsCentredOnTheInterval() {
    BedTaskBuilder.Result result = BedTaskBuilder.build("fixed", List.of(bed()), genome(),
        options("7", 0, 50));
    for (List<TaskBuilder.Window> split : result.windows().values()) {
      for (TaskBuilder.Window w : split) {
        assertThat(w.end() - w.start()).isEqualTo(50);
        // interval [200 + 400 i, 300 + 400 i): centre 250 + 400 i, window from 225 + 400 i
        assertThat((w.start() - 225) % 400).as(w.toString()).isEqualTo(0);
      }
    }
  }

  @Test
  void oneBedFilePerClassLabelsByFileOrder() {
    Path negative = TestData.write(temp.resolve("background.bed"), "chrA\t100\t200\n"
        .repeat(1) + lines("chrA", 0, 60) + lines("chrB", 0, 60));
    Path positive = TestData.write(temp.resolve("enhancer.bed.gz"), "");
    TestData.writeGzip(positive, lines("chrA", 150, 60) + lines("chrB", 150, 60));
    BedTaskBuilder.Result result = BedTaskBuilder.build("perclass", List.of(negative, positive),
        genome(), options(null, 0, 0));
    assertThat(result.classNames()).containsExactly("background", "enhancer");
    for (List<TaskBuilder.Window> split : result.windows().values()) {
      for (TaskBuilder.Window w : split) {
        assertThat(w.label()).isEqualTo(w.start() % 1000 == 150 ? 1 : 0);
      }
    }
  }

  @Test
  void sequenceIdsAreBedNamesElseCoordinatesAndSurviveTheWrittenTask() {
    Path genome = genome();
    // bed() names each interval r<n> in column 4; the label is column 7
    BedTaskBuilder.Result named = BedTaskBuilder.build("named", List.of(bed()), genome,
        options("class", 20, 0));
    assertThat(named.task().test()).extracting(LabeledSequence::id)
        .allMatch(id -> id.matches("r\\d+"));
    // 3-column BED files, one per class: no names, so contig:start-end(strand) of the sequence
    Path negative = TestData.write(temp.resolve("background.bed"), lines("chrA", 0, 60)
        + lines("chrB", 0, 60));
    Path positive = TestData.write(temp.resolve("enhancer.bed"), lines("chrA", 150, 60)
        + lines("chrB", 150, 60));
    BedTaskBuilder.Result unnamed = BedTaskBuilder.build("unnamed", List.of(negative, positive),
        genome, options(null, 0, 0));
    TaskBuilder.Window first = unnamed.windows().get("test").get(0);
    assertThat(unnamed.task().test().get(0).id()).isEqualTo(first.contig() + ":" + first.start()
        + "-" + first.end() + "(" + (first.strand() == Strand.REVERSE ? "-" : "+") + ")");

    // the task's files give the loader the same ids: named ones in an id column, the others
    // from the coordinate columns
    for (BedTaskBuilder.Result result : List.of(named, unnamed)) {
      Path folder = temp.resolve("written-" + result.task().name());
      TaskWriter.write(result.windows(), folder);
      List<LabeledSequence> read = CsvSequenceReader.readAll(folder.resolve("test.csv.gz"),
          ReadOptions.strict()).records();
      assertThat(read).isEqualTo(result.task().test());
    }
  }

  /** {@code count} 50 bp intervals starting at {@code offset}, 1 kb apart. */
  private static String lines(String contig, int offset, int count) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < count; i++) {
      int start = offset + i * 1000;
      text.append(contig).append('\t').append(start).append('\t').append(start + 50).append('\n');
    }
    return text.toString();
  }

  @Test
  void anIntervalPastTheContigEndIsAnErrorNamingFileAndLine() {
    Path bed = TestData.write(temp.resolve("past.bed"),
        "chrA\t100\t200\t.\t0\t+\tx\nchrB\t59950\t60010\t.\t0\t-\ty\n");
    assertThatThrownBy(() -> BedTaskBuilder.build("t", List.of(bed), genome(),
        options("7", 0, 0)))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(bed + ":2:1: interval (with 0 bp flanks: 59950-60010) ends past the end of"
            + " contig chrB (60000 bp) (value \"chrB\\t59950\\t60010\\t.\\t0\\t-\\ty\")");
    // flanks count: inside the contig, but not with 200 bp flanks
    Path flanked = TestData.write(temp.resolve("flank.bed"),
        "chrA\t100\t200\t.\t0\t+\tx\nchrA\t300\t400\t.\t0\t+\ty\n");
    assertThatThrownBy(() -> BedTaskBuilder.build("t", List.of(flanked), genome(),
        options("7", 200, 0)))
        .hasMessageStartingWith(flanked + ":1:1: interval (with 200 bp flanks: -100-400) starts"
            + " before the start of contig chrA");
  }

  @Test
  void anUnknownContigIsAnErrorListingTheGenomesContigs() {
    Path bed = TestData.write(temp.resolve("unknown.bed"),
        "chrA\t100\t200\t.\t0\t+\tx\n1\t100\t200\t.\t0\t+\ty\n");
    assertThatThrownBy(() -> BedTaskBuilder.build("t", List.of(bed), genome(),
        options("7", 0, 0)))
        .hasMessageStartingWith(bed + ":2:1: unknown contig '1': " + temp.resolve("genome.fa")
            + " has 2 sequence(s) [chrA, chrB] (do the BED and the genome use the same names");
  }

  @Test
  void aMissingLabelColumnIsAnError() {
    Path bed = TestData.write(temp.resolve("nolabel.bed"),
        "#chrom\tstart\tend\tlabel\nchrA\t100\t200\tx\nchrA\t300\t400\n");
    assertThatThrownBy(() -> BedTaskBuilder.build("t", List.of(bed), genome(),
        options("label", 0, 0)))
        .hasMessage(bed + ":3:1: label column label (column 4) missing: the line has 3 fields"
            + " (value \"chrA\\t300\\t400\")");
    assertThatThrownBy(() -> BedTaskBuilder.build("t", List.of(bed), genome(),
        options("class", 0, 0)))
        .hasMessageStartingWith(bed + ":2:1: no header line names a column 'class'");
  }
}
