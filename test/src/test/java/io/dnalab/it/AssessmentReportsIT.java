package io.dnalab.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders the two assessment notebooks with {@code bin/dnalab report}, as a user does, and opens
 * each report in headless Chromium with the network cut off: every table and chart must be in the
 * page. Then renders the pretraining assessment again: every stage is reused (the plan says so),
 * and the two wall times are printed side by side.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AssessmentReportsIT {
  private static final long TIMEOUT_SECONDS = 3600;
  private static Path reports;
  private static double firstSeconds;

  private static Path render(String notebook) throws Exception {
    if (reports == null) {
      reports = Files.createTempDirectory("dnalab-assessment");
    }
    long start = System.nanoTime();
    Dnalab.Result result = Dnalab.run(Dnalab.home(), TIMEOUT_SECONDS,
        "report", "notebooks/" + notebook + ".ipynb", "--output-dir", reports.toString());
    double seconds = (System.nanoTime() - start) / 1e9;
    assertThat(result.exitCode()).as("bin/dnalab report %s failed:\n%s", notebook, result.all())
        .isZero();
    System.out.printf("bin/dnalab report notebooks/%s.ipynb: %.1f s%n", notebook, seconds);
    if (notebook.equals("pretraining-assessment") && firstSeconds == 0) {
      firstSeconds = seconds;
    }
    return reports.resolve(notebook + ".html");
  }

  private static Document inBrowser(Path html, Path profile) throws Exception {
    Document dom = Jsoup.parse(HeadlessChromium.dumpDom(html, profile));
    // A failing cell or a stack trace would show as error output; none may.
    assertThat(dom.text()).doesNotContain("Exception", "Traceback", "error:");
    return dom;
  }

  @Test
  @Order(1)
  void pretrainingAssessmentShowsEveryTableAndChartOffline(@TempDir Path profile)
      throws Exception {
    Document dom = inBrowser(render("pretraining-assessment"), profile);
    // The summary's caption may go on to flag degenerate runs (⚠): at this scale tf_0's
    // random-init arm can collapse to one class, which the table must then say.
    assertThat(dom.select("table.dnalab-table caption").eachText()).anySatisfy(caption ->
        assertThat(caption).startsWith(
            "pretraining-assessment: test metrics, mean ± sd over seeds; 95% CI (t for 3 seeds)"));
    assertThat(dom.select("table.dnalab-table caption").eachText()).contains(
        "pretraining-assessment: pretraining on held-out genome windows, against the unigram baseline",
        "pretraining-assessment: against published GUE results (full training splits, days of GPU pretraining)");
    assertThat(dom.select("table.dnalab-table td").eachText())
        .contains("gue/prom_core_all", "gue/tf_0", "bpe4096", "6mer", "nucleotide", "69.37");
    // Metric by cell, pretraining curves, gain forest, gain vs cost, embeddings, vs published.
    assertThat(dom.select("div.dnalab-plot svg")).hasSizeGreaterThanOrEqualTo(6);
    assertThat(dom.select("div.dnalab-plot svg text").eachText())
        .anySatisfy(text -> assertThat(text).contains("PCA"));
  }

  @Test
  @Order(2)
  void tokenizationReportShowsEveryTableAndChartOffline(@TempDir Path profile) throws Exception {
    Document dom = inBrowser(render("tokenization"), profile);
    assertThat(dom.select("table.dnalab-table td").eachText())
        .contains("human chr20", "P. falciparum", "BPE 4096, multi-species", "tf_0 train");
    // Bases per token on genomes and on tasks, BPE token lengths, the Zipf plot.
    assertThat(dom.select("div.dnalab-plot svg")).hasSizeGreaterThanOrEqualTo(4);
  }

  @Test
  @Order(3)
  void aSecondRenderingReusesEveryStage(@TempDir Path profile) throws Exception {
    if (firstSeconds == 0) {
      render("pretraining-assessment");
    }
    double first = firstSeconds;
    long start = System.nanoTime();
    Document dom = inBrowser(render("pretraining-assessment"), profile);
    double second = (System.nanoTime() - start) / 1e9;
    // Not a timed assertion (timings here are noisy): the plan must say nothing is left to run.
    assertThat(dom.text()).contains("nothing to run");
    System.out.printf("pretraining-assessment: second rendering %.1f s, first %.1f s, ratio %.3f "
        + "(goal <= 0.10; the first may have reused stages of an earlier run)%n", second, first,
        second / first);
  }
}
