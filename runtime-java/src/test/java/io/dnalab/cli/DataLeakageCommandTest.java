package io.dnalab.cli;

import static io.dnalab.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataLeakageCommandTest {
  @TempDir Path temp;

  static String random(long seed, int length) {
    Random random = new Random(seed);
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      s.append("ACGT".charAt(random.nextInt(4)));
    }
    return s.toString();
  }

  @Test
  void countsTheCopiesOfALocalTaskInAFastaCorpus() throws IOException {
    String genome = random(1, 6000);
    Path corpus = temp.resolve("corpus.fa");
    Files.writeString(corpus, ">chr1\n" + genome + "\n");
    Path task = Files.createDirectories(temp.resolve("task"));
    Files.writeString(task.resolve("train.csv"), "sequence,label\n" + random(2, 80) + ",0\n"
        + random(3, 80) + ",1\n");
    // dev: one exact copy and one unrelated; test: two unrelated
    Files.writeString(task.resolve("dev.csv"), "sequence,label\n" + genome.substring(500, 580)
        + ",0\n" + random(4, 80) + ",1\n");
    Files.writeString(task.resolve("test.csv"), "sequence,label\n" + random(5, 80) + ",0\n"
        + random(6, 80) + ",1\n");
    CliRun result = run("data", "leakage", "--corpus", corpus.toString(), "--task",
        task.toString(), "--markdown", "--cache", temp.resolve("cache").toString());
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("| dev | 2 | 0 | 1 | 1 | 50.00 | 1 | 80 |")
        .contains("| test | 2 | 0 | 0 | 0 | 0.00 | 0 | 0 |")
        .contains("corpus corpus.fa: 6,000 bases");
  }

  @Test
  void aMissingCorpusFileIsOneLineNamingIt() {
    Path missing = temp.resolve("no-such-genome.fa.gz");
    CliRun result = run("data", "leakage", "--corpus", missing.toString(), "--task", "gue/tf_0");
    assertThat(result.exitCode()).isEqualTo(CliErrors.USER_ERROR);
    assertThat(result.err().strip().lines()).hasSize(1);
    assertThat(result.err()).contains("--corpus " + missing + ": no such file");
  }
}
