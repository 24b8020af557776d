package io.dnalab.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A notebook whose cell throws fails the report with that cell and its message, briefly. */
class FailingCellIT {

  @Test
  void aSpecMistakeNamesTheCellAndTheField(@TempDir Path dir) throws Exception {
    Path nb = Dnalab.notebook(dir.resolve("broken.ipynb"),
        Dnalab.loadDsl(),
        "val ok = 1 + 1",
        "experimentSpec { tasks(gue(\"tf_0\")); model(convNova()); seeds(0) }",
        "println(\"never reached\")");

    Dnalab.Result result = Dnalab.run(dir, 600, "report", nb.toString(), "--output-dir",
        dir.resolve("reports").toString());

    assertThat(result.exitCode()).as(result.all()).isEqualTo(1);
    assertThat(result.stderr())
        .contains("broken.ipynb: cell 3 of 4 failed: ")
        .contains("seeds: must be between 1 and 1000, got 0")
        .contains("in: experimentSpec { tasks(gue(\"tf_0\")); model(convNova()); seeds(0) }");
    assertThat(result.stderr().lines().count())
        .as("a short message, not a wall of kernel log:\n%s", result.stderr())
        .isLessThanOrEqualTo(6);
    assertThat(dir.resolve("reports/broken.html")).as("no report for a failed notebook").doesNotExist();
  }

  @Test
  void aMissingNotebookIsNamed(@TempDir Path dir) throws Exception {
    Dnalab.Result result = Dnalab.run(dir, 300, "report", "nope.ipynb");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr()).contains("no such notebook: nope.ipynb");
    assertThat(Files.exists(dir.resolve("reports"))).isFalse();
  }
}
