package io.dnalab.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TaskBuilderTest {

  private static String randomBases(Random random, int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append("ACGT".charAt(random.nextInt(4)));
    }
    return sb.toString();
  }

  private static Feature cds(int start, int end, Strand strand) {
    return new Feature("CDS", strand, List.of(new Interval(start, end)), false, Map.of(), 0);
  }

  /** 8 contigs of 100 kb, a forward and a reverse CDS of 3 kb every 10 kb. */
  private static List<AnnotatedContig> syntheticGenome(long seed) {
    Random random = new Random(seed);
    List<AnnotatedContig> contigs = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      List<Feature> features = new ArrayList<>();
      for (int s = 1_000; s + 8_000 < 100_000; s += 10_000) {
        features.add(cds(s, s + 3_000, Strand.FORWARD));
        features.add(cds(s + 5_000, s + 8_000, Strand.REVERSE));
      }
      contigs.add(new AnnotatedContig("ctg" + c, randomBases(random, 100_000), features));
    }
    return contigs;
  }

  private static TaskBuilder.Options options(TaskBuilder.Kind kind, boolean dropLeaked) {
    return new TaskBuilder.Options(kind, 200, 200, 10_000, 0.125, 0.125, 7, dropLeaked);
  }

  @Test
  void codingWindowsFollowTheGeneStrandAndFrame() {
    List<AnnotatedContig> genome = syntheticGenome(1);
    TaskBuilder.Result result = TaskBuilder.build("t", genome,
        options(TaskBuilder.Kind.CODING_VS_INTERGENIC, false));
    String ctg0 = genome.get(0).sequence();
    List<TaskBuilder.Window> all = new ArrayList<>();
    result.windows().values().forEach(all::addAll);

    // Forward CDS [1000, 4000): windows tiled from its start, read as is.
    assertThat(all).filteredOn(w -> w.contig().equals("ctg0") && w.start() == 1_000)
        .singleElement().satisfies(w -> {
          assertThat(w.label()).isEqualTo(1);
          assertThat(w.sequence()).isEqualTo(ctg0.substring(1_000, 1_200));
        });
    // Reverse CDS [6000, 9000): tiled from its end (the gene's start), reverse-complemented.
    assertThat(all).filteredOn(w -> w.contig().equals("ctg0") && w.end() == 9_000
            && w.label() == 1)
        .singleElement().satisfies(w -> {
          assertThat(w.strand()).isEqualTo(Strand.REVERSE);
          assertThat(w.sequence()).isEqualTo(Dna.reverseComplement(ctg0.substring(8_800, 9_000)));
        });
    // Every coding window lies in a CDS, every intergenic one in none.
    for (TaskBuilder.Window w : all) {
      Interval span = new Interval(w.start(), w.end());
      boolean inCds = genome.stream().filter(c -> c.id().equals(w.contig()))
          .flatMap(c -> c.features().stream())
          .anyMatch(f -> f.start() <= w.start() && w.end() <= f.end());
      boolean touchesCds = genome.stream().filter(c -> c.id().equals(w.contig()))
          .flatMap(c -> c.features().stream()).anyMatch(f -> f.span().overlaps(span));
      assertThat(w.label() == 1 ? inCds : !touchesCds).as(w.toString()).isTrue();
    }
  }

  @Test
  void splitsAreBalancedDisjointByRegionAndDeterministic() {
    List<AnnotatedContig> genome = syntheticGenome(2);
    TaskBuilder.Result result = TaskBuilder.build("t", genome,
        options(TaskBuilder.Kind.CODING_VS_INTERGENIC, false));

    for (List<TaskBuilder.Window> split : result.windows().values()) {
      long positives = split.stream().filter(w -> w.label() == 1).count();
      assertThat(positives * 2).isEqualTo(split.size());
      assertThat(split).isNotEmpty();
    }
    assertNoOverlapBetweenSplits(result.windows());
    assertThat(result.task().train()).hasSize(result.windows().get("train").size());

    TaskBuilder.Result again = TaskBuilder.build("t", genome,
        options(TaskBuilder.Kind.CODING_VS_INTERGENIC, false));
    assertThat(again.windows()).isEqualTo(result.windows());
  }

  static void assertNoOverlapBetweenSplits(Map<String, List<TaskBuilder.Window>> windows) {
    List<String> names = List.copyOf(windows.keySet());
    for (int a = 0; a < names.size(); a++) {
      for (int b = a + 1; b < names.size(); b++) {
        for (TaskBuilder.Window x : windows.get(names.get(a))) {
          for (TaskBuilder.Window y : windows.get(names.get(b))) {
            if (x.contig().equals(y.contig())) {
              assertThat(new Interval(x.start(), x.end()).overlaps(
                  new Interval(y.start(), y.end()))).as(x + " / " + y).isFalse();
            }
          }
        }
      }
    }
  }

  @Test
  void promoterWindowsAreUpstreamOfTheStartOnEitherStrand() {
    List<AnnotatedContig> genome = syntheticGenome(3);
    TaskBuilder.Result result = TaskBuilder.build("t", genome,
        options(TaskBuilder.Kind.PROMOTER_VS_BACKGROUND, false));
    String ctg1 = genome.get(1).sequence();
    List<TaskBuilder.Window> all = new ArrayList<>();
    result.windows().values().forEach(all::addAll);
    List<TaskBuilder.Window> promoters = all.stream()
        .filter(w -> w.label() == 1 && w.contig().equals("ctg1")).toList();
    // Forward CDS at 11000 -> [10800, 11000); reverse CDS [16000, 19000) -> [19000, 19200) RC.
    // Which of them survive balancing is random, so check every one that did.
    assertThat(promoters).isNotEmpty();
    for (TaskBuilder.Window w : promoters) {
      if (w.strand() == Strand.FORWARD) {
        assertThat((w.end() - 1_000) % 10_000).isZero();
        assertThat(w.sequence()).isEqualTo(ctg1.substring(w.start(), w.end()));
      } else {
        assertThat((w.start() - 9_000) % 10_000).isZero();
        assertThat(w.sequence()).isEqualTo(Dna.reverseComplement(ctg1.substring(w.start(),
            w.end())));
      }
    }
    // Background windows keep a window's length away from every CDS start (5' end).
    for (TaskBuilder.Window w : all) {
      if (w.label() == 0) {
        AnnotatedContig contig = genome.stream().filter(c -> c.id().equals(w.contig()))
            .findFirst().orElseThrow();
        for (Feature f : contig.features()) {
          int geneStart = f.strand() == Strand.REVERSE ? f.end() - 1 : f.start();
          assertThat(geneStart < w.start() - 200 || geneStart >= w.end() + 200)
              .as(w.contig() + ":" + w.start() + " vs gene start " + geneStart).isTrue();
        }
      }
    }
  }

  @Test
  void duplicatedRegionsAreReportedAndCanBeDropped() {
    // Two identical contigs: whatever lands in dev/test has an exact twin in another split.
    List<AnnotatedContig> genome = new ArrayList<>(syntheticGenome(4));
    AnnotatedContig copy = genome.get(0);
    genome.add(new AnnotatedContig("copy", copy.sequence(), copy.features()));
    genome.add(new AnnotatedContig("copy2", copy.sequence(), copy.features()));

    TaskBuilder.Result leaky = TaskBuilder.build("t", genome,
        options(TaskBuilder.Kind.CODING_VS_INTERGENIC, false));
    assertThat(leaky.leakage().clean()).isFalse();
    assertThat(leaky.leakage().pairs().stream().mapToInt(LeakageReport.Pair::exactDuplicates)
        .sum()).isPositive();

    TaskBuilder.Result cleaned = TaskBuilder.build("t", genome,
        options(TaskBuilder.Kind.CODING_VS_INTERGENIC, true));
    assertThat(cleaned.leakage().clean()).isTrue();
    assertThat(cleaned.stats().droppedAsLeaked()).isPositive();
  }

  @Test
  void leptospiraCodingVsIntergenicHasNoCrossSplitOverlapOrNearDuplicates() {
    List<AnnotatedContig> genome = GenBankReader.readAll(
        TestData.genome("leptospira_kirschneri_H1_annotated.gbk.gz"));
    TaskBuilder.Result result = TaskBuilder.build("lepto", genome,
        TaskBuilder.Options.defaults(TaskBuilder.Kind.CODING_VS_INTERGENIC));
    assertThat(result.task().train().size()).isBetween(5_000, 6_000);
    assertThat(result.leakage().clean()).isTrue();
    assertNoOverlapBetweenSplits(result.windows());
  }
}
