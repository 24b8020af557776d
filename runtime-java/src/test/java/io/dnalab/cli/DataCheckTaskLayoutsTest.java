package io.dnalab.cli;

import static io.dnalab.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code data check} on the fixtures in src/test/resources/tasks: a Genomic Benchmarks folder
 * (2 classes, 30 train and 10 test files each) and a Nucleotide Transformer folder (3 classes, 20
 * train and 6 test records each), both 40 bp.
 */
class DataCheckTaskLayoutsTest {
  @TempDir Path temp;

  static final Path FIXTURES = Path.of("src", "test", "resources", "tasks");

  @Test
  void genomicBenchmarksFolderPrintsSizesAndClasses() {
    CliRun run = run("data", "check", FIXTURES.resolve("gb_layout_demo").toString(), "--cache",
        temp.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("task      local/gb_layout_demo")
        .contains("protocol  train and test files, no dev split")
        .contains("classes   2")
        .contains("note      classes (Genomic Benchmarks layout, label = index of the sorted class"
            + " folder): 0=negative, 1=positive")
        .contains("dev is 10% of each class of the train file (stratified, seed 42), 6 records;"
            + " the model trains on the other 54")
        .containsPattern("(?m)^train +60  \\[30, 30\\] +40/40/40 ")
        .containsPattern("(?m)^test +20  \\[10, 10\\] +40/40/40 ");
  }

  @Test
  void ntFolderAndSingleLabelledFastaPrintSizesAndClasses() {
    CliRun folder = run("data", "check", FIXTURES.resolve("nt_layout_demo").toString(), "--cache",
        temp.toString());
    assertThat(folder.exitCode()).as(folder.err()).isZero();
    assertThat(folder.out())
        .contains("classes   3")
        .containsPattern("(?m)^train +60  \\[20, 20, 20\\] ")
        .containsPattern("(?m)^test +18  \\[6, 6, 6\\] ");

    CliRun file = run("data", "check", FIXTURES.resolve("nt_layout_demo/test.fna").toString());
    assertThat(file.exitCode()).as(file.err()).isZero();
    assertThat(file.out())
        .contains("labelled FASTA (header >NAME|LABEL")
        .contains("classes   3")
        .containsPattern("(?m)^file +18  \\[6, 6, 6\\] ");
  }

  @Test
  void anEmptyClassFolderFailsWithExitOneNamingTheFolder() throws Exception {
    Path task = temp.resolve("gb");
    for (String split : new String[] {"train", "test"}) {
      Files.createDirectories(task.resolve(split).resolve("a"));
      Files.writeString(task.resolve(split).resolve("a").resolve("0.txt"), "ACGT");
      Files.createDirectories(task.resolve(split).resolve("b"));
    }
    Files.writeString(task.resolve("train/b/0.txt"), "ACGT");
    CliRun run = run("data", "check", task.toString(), "--cache", temp.resolve("cache").toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains(task.resolve("test/b") + ": empty class folder");
  }
}
