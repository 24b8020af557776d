package io.dnalab.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders the two assessment notebooks with {@code bin/dnalab report}, as a user does, and opens
 * each report in headless Chromium with the network cut off: every table and chart must be in the
 * page, and the assessment's generated conclusion must repeat the gain table's intervals and
 * verdicts. Then renders the pretraining assessment again: every stage is reused (the plan says so),
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
    // The summary's caption may go on to flag degenerate runs (⚠).
    assertThat(captions(dom)).anySatisfy(caption -> assertThat(caption).startsWith(
        "pretraining-assessment: test metrics, mean ± sd over seeds; 95% CI"));
    assertThat(captions(dom)).contains(
        "pretraining-assessment: pretraining on held-out genome windows, against the unigram baseline",
        "pretraining-assessment: against published GUE results (full training splits, days of GPU pretraining)");
    assertThat(dom.select("table.dnalab-table td").eachText())
        .contains("gue/prom_core_all", "nucleotide", "69.37");
    // The plan names each cell's recipe with the overrides applied (lr 5e-4 over DNABERT-2's);
    // the cells are nucleotide cells, which DNABERT-2's BPE token cap never cuts, so no line
    // states a cap.
    assertThat(column(table(dom, "pretraining-assessment: 3 cells"), "recipe"))
        .allSatisfy(recipe -> assertThat(recipe).startsWith("dnabert2-gue lr 5e-04, ")
            .endsWith(", 2 epochs, batch 32").doesNotContain("BPE cap"));
    // Pretraining curves, gain forest, gain vs cost, against ConvNova, vs published.
    assertThat(dom.select("div.dnalab-plot svg")).hasSizeGreaterThanOrEqualTo(5);

    // Leakage: every pretraining seed's row says how many task sequences its corpus held.
    Element pretraining = table(dom,
        "pretraining-assessment: pretraining on held-out genome windows");
    assertThat(column(pretraining, "task seqs in corpus (exact / near / screened)"))
        .hasSize(6).allSatisfy(counts -> assertThat(counts).matches("[0-9,]+ / [0-9,]+ / [0-9,]+"));
    assertThat(column(pretraining, "pretraining seed")).containsExactlyInAnyOrder(
        "0", "1", "2", "0", "1", "2");

    // Degenerate flags: every run's flag column is shown, and a gain whose numbers carry ⚠ says
    // "arm collapsed" (and one that says it carries ⚠), in both gain tables.
    assertThat(dom.select("table.dnalab-table th").eachText()).contains("degenerate");
    for (String experiment : List.of("pretraining-assessment", "published-bert-recipe")) {
      Element gains = table(dom, experiment + ": pretraining gain in test mcc");
      List<String> numbers = column(gains, "gain (mean ± sd)");
      List<String> verdicts = column(gains, "verdict");
      for (int i = 0; i < numbers.size(); i++) {
        assertThat(numbers.get(i).contains("⚠")).as("%s row %d: %s / %s", experiment, i,
            numbers.get(i), verdicts.get(i)).isEqualTo(verdicts.get(i).startsWith("arm collapsed"));
      }
    }

    // The objectives are compared by the fine-tuned metric, one row: token MLM vs span MLM.
    Element objectives = table(dom,
        "pretraining-assessment: pretraining objectives compared by fine-tuned test mcc");
    assertThat(column(objectives, "objective A")).containsExactly("mlm-human-100");
    assertThat(column(objectives, "objective B")).containsExactly("spanmlm-human-100");
    assertThat(column(objectives, "seeds (pretraining × fine-tuning)")).containsExactly("3 × 2");

    // The headline comparison: each transformer arm (random init, token MLM, span MLM) against
    // ConvNova trained from scratch by its own recipe, unpaired (Welch t), both arms' cost.
    Element models = table(dom, "pretraining-assessment against convnova-from-scratch: "
        + "model families compared in test mcc");
    assertThat(models.select("caption").text()).contains("Welch's t interval");
    List<String> arms = column(models, "pretraining");
    assertThat(arms).containsExactlyInAnyOrder("none", "mlm-human-100", "spanmlm-human-100");
    List<String> armSeeds = column(models, "seeds");
    List<String> armCosts = column(models, "cost: arm");
    for (int i = 0; i < arms.size(); i++) {
      boolean pretrained = !arms.get(i).equals("none");
      assertThat(armSeeds.get(i)).isEqualTo(pretrained ? "3 pretraining × 2 fine-tuning"
          : "2 fine-tuning");
      assertThat(armCosts.get(i)).endsWith(pretrained
          ? "CPU-minutes (pretraining + fine-tuning)" : "CPU-minutes (fine-tuning)");
    }
    assertThat(column(models, "baseline (from scratch)"))
        .containsOnly("convnova-d64-k5 · nucleotide");
    assertThat(column(models, "baseline seeds")).containsOnly("3 fine-tuning");
    List<String> modelVerdicts = column(models, "verdict");
    assertThat(modelVerdicts).allSatisfy(verdict -> assertThat(verdict).matches(
        "better|worse|no clear difference|arm collapsed \\(.+\\)"));
    assertThat(column(models, "cost: baseline"))
        .allSatisfy(cost -> assertThat(cost).endsWith("CPU-minutes (fine-tuning)"));
    // A row whose numbers carry ⚠ says "arm collapsed", and only such a row.
    List<String> baselineNumbers = column(models, "baseline mcc (mean ± sd)");
    List<String> armNumbers = column(models, "arm mcc (mean ± sd)");
    for (int i = 0; i < modelVerdicts.size(); i++) {
      assertThat(armNumbers.get(i).contains("⚠") || baselineNumbers.get(i).contains("⚠"))
          .as("model comparison row %d: %s", i, modelVerdicts.get(i))
          .isEqualTo(modelVerdicts.get(i).startsWith("arm collapsed"));
    }

    // The conclusion: generated sentences whose numbers are the tables'.
    List<String> sentences = dom.select("div.dnalab-conclusion li").eachText();
    // The tally, 2 gains, 1 objective comparison, 3 comparisons with ConvNova.
    assertThat(sentences).hasSize(1 + 2 + 1 + 3);
    assertThat(sentences.get(0)).startsWith("Of 2 pretraining gains in test MCC: ");
    Element gains = table(dom, "pretraining-assessment: pretraining gain in test mcc");
    List<String> pretrains = column(gains, "pretraining");
    List<String> seeds = column(gains, "seeds (pretraining × fine-tuning)");
    List<String> intervals = column(gains, "95% CI");
    List<String> verdicts = column(gains, "verdict");
    for (int i = 0; i < pretrains.size(); i++) {
      String prefix = "On gue/prom_core_all, " + pretrains.get(i) + " pretraining of bert-2x128 ";
      String sentence = sentences.stream().filter(s -> s.startsWith(prefix)).findFirst()
          .orElseThrow(() -> new AssertionError("no conclusion sentence starts with " + prefix
              + ": " + sentences));
      assertThat(seeds.get(i)).isEqualTo("3 × 2");
      assertThat(sentence).contains("(nucleotide tokens; 3 pretraining × 2 fine-tuning seeds)")
          .contains(interval(intervals.get(i)))
          .contains(verdictWords(verdicts.get(i)))
          .contains("CPU-minutes of pretraining per pretraining seed");
    }
    assertThat(sentences.get(3))
        .startsWith("On gue/prom_core_all (bert-2x128, nucleotide tokens), fine-tuning after "
            + "mlm-human-100 rather than spanmlm-human-100 (3 pretraining × 2 fine-tuning seeds each")
        .contains(interval(column(objectives, "95% CI").get(0)))
        .contains(objectiveWords(column(objectives, "verdict").get(0)));
    List<String> modelIntervals = column(models, "95% CI");
    for (int i = 0; i < modelVerdicts.size(); i++) {
      String prefix = "On gue/prom_core_all, bert-2x128 (nucleotide tokens) "
          + (arms.get(i).equals("none") ? "from random initialisation (2 fine-tuning seeds)"
              : "after " + arms.get(i) + " pretraining (3 pretraining × 2 fine-tuning seeds)");
      String sentence = sentences.subList(4, sentences.size()).stream()
          .filter(s -> s.startsWith(prefix)).findFirst()
          .orElseThrow(() -> new AssertionError("no conclusion sentence starts with " + prefix
              + ": " + sentences));
      assertThat(sentence)
          .contains("for convnova-d64-k5 from scratch (3 fine-tuning seeds)")
          .contains(modelInterval(modelIntervals.get(i)))
          .contains(modelWords(modelVerdicts.get(i)));
    }
  }

  /** {@code [lo, hi]} of a model comparison's interval cell ({@code [lo, hi] Welch t, df …}). */
  private static String modelInterval(String cell) {
    return cell.startsWith("[") ? cell.substring(0, cell.indexOf(']') + 1) + " (Welch t"
        : "(no interval";
  }

  /** What the conclusion says for a model comparison's verdict. */
  private static String modelWords(String verdict) {
    if (verdict.startsWith("arm collapsed")) {
      return ": arm collapsed (";
    }
    return switch (verdict) {
      case "better" -> ": better than convnova-d64-k5 from scratch";
      case "worse" -> ": worse than convnova-d64-k5 from scratch";
      case "no clear difference" -> ": not distinguishable from convnova-d64-k5 from scratch";
      default -> throw new AssertionError("unknown verdict " + verdict);
    };
  }

  private static List<String> captions(Document dom) {
    return dom.select("table.dnalab-table caption").eachText();
  }

  /** The first table whose caption starts with {@code caption}. */
  private static Element table(Document dom, String caption) {
    return dom.select("table.dnalab-table").stream()
        .filter(t -> t.select("caption").text().startsWith(caption)).findFirst()
        .orElseThrow(() -> new AssertionError("no table captioned '" + caption + "…'; captions: "
            + captions(dom)));
  }

  /** The cells of the column headed {@code header}, top to bottom. */
  private static List<String> column(Element table, String header) {
    int index = table.select("thead th").eachText().indexOf(header);
    assertThat(index).as("column '%s' in %s", header, table.select("caption").text())
        .isNotNegative();
    return table.select("tbody tr").stream().map(row -> row.select("td").get(index).text())
        .toList();
  }

  /** {@code [lo, hi]} of a table's interval cell ({@code [lo, hi] t}), or {@code —}. */
  private static String interval(String cell) {
    return cell.startsWith("[") ? cell.substring(0, cell.indexOf(']') + 1) : "no interval";
  }

  /** What the conclusion says for a gain table's verdict. */
  private static String verdictWords(String verdict) {
    if (verdict.startsWith("arm collapsed")) {
      return ": arm collapsed (";
    }
    return switch (verdict) {
      case "better" -> ": better than random initialisation";
      case "worse" -> ": worse than random initialisation";
      case "no clear difference" -> ": not distinguishable from random initialisation";
      default -> throw new AssertionError("unknown verdict " + verdict);
    };
  }

  /** What the conclusion says for an objective comparison's verdict. */
  private static String objectiveWords(String verdict) {
    if (verdict.startsWith("arm collapsed")) {
      return ": arm collapsed (";
    }
    return verdict.equals("no clear difference")
        ? ": the two objectives not distinguishable" : ": " + verdict;
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
