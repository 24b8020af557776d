package io.dnalab.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Renders notebooks/quickstart.ipynb once per test JVM; several ITs read the same report. */
final class QuickstartReport {
  private static Path report;

  private QuickstartReport() {}

  static synchronized Path html() throws IOException, InterruptedException {
    if (report == null) {
      Path out = Files.createTempDirectory("dnalab-reports");
      Dnalab.Result result = Dnalab.run(Dnalab.home(), 1200,
          "report", "notebooks/quickstart.ipynb", "--output-dir", out.toString());
      assertThat(result.exitCode()).as("bin/dnalab report failed:\n%s", result.all()).isZero();
      report = out.resolve("quickstart.html");
      assertThat(report).exists();
    }
    return report;
  }
}
