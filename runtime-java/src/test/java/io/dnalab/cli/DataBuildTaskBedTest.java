package io.dnalab.cli;

import static io.dnalab.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code data build-task --bed}: one BED file per class on a synthetic 60 kb genome. */
class DataBuildTaskBedTest {
  @TempDir Path temp;

  private Path genome() throws Exception {
    SplittableRandom random = new SplittableRandom(11);
    StringBuilder fasta = new StringBuilder(">chrA\n");
    for (int i = 0; i < 60_000; i++) {
      fasta.append("ACGT".charAt(random.nextInt(4)));
      if (i % 60 == 59) {
        fasta.append('\n');
      }
    }
    return Files.writeString(temp.resolve("genome.fa"), fasta);
  }

  /** 60 intervals of 80 bp, 1 kb apart, from {@code offset}. */
  private Path bed(String name, int offset) throws Exception {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 60; i++) {
      int start = offset + i * 1000;
      text.append("chrA\t").append(start).append('\t').append(start + 80).append("\t.\t0\t")
          .append(i % 2 == 0 ? '+' : '-').append('\n');
    }
    return Files.writeString(temp.resolve(name + ".bed"), text);
  }

  @Test
  void buildsATaskThatDataCheckReadsAndRecordsItsProvenance() throws Exception {
    Path out = temp.resolve("task");
    CliRun build = run("data", "build-task", "--bed", bed("background", 100).toString(), "--bed",
        bed("peak", 600).toString(), "--genome", genome().toString(), "--flank", "10",
        "--block", "5000", "--name", "peaks", "--out", out.toString());
    assertThat(build.exitCode()).as(build.err()).isZero();
    assertThat(build.out()).contains("class names (label = index): [background, peak]")
        .containsPattern("(?m)^train +\\d+  \\[\\d+, \\d+\\] +100/100/100 ");
    String provenance = Files.readString(out.resolve("PROVENANCE.md"));
    assertThat(provenance).contains("Classes (label = index): 0 = background, 1 = peak.")
        .contains("--flank 10");

    CliRun check = run("data", "check", out.toString(), "--cache", temp.resolve("c").toString());
    assertThat(check.exitCode()).as(check.err()).isZero();
    assertThat(check.out()).contains("classes   2");
  }

  @Test
  void anUnknownContigExitsWithOneNamingTheBedLine() throws Exception {
    Path bad = Files.writeString(temp.resolve("bad.bed"), "chrA\t10\t90\nchrZ\t10\t90\n");
    CliRun build = run("data", "build-task", "--bed", bad.toString(), "--bed",
        bed("peak", 600).toString(), "--genome", genome().toString(), "--name", "x", "--out",
        temp.resolve("x").toString());
    assertThat(build.exitCode()).isNotZero();
    assertThat(build.err()).contains(bad + ":2:1: unknown contig 'chrZ'");
  }
}
