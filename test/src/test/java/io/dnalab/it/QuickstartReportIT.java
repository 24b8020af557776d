package io.dnalab.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/**
 * Executes the quickstart through the real kernel (real training, on the built-in task) and reads
 * the report as a reader would.
 */
class QuickstartReportIT {

  @Test
  void reportComparesBothModelsOnTheBuiltInTask() throws Exception {
    Path html = QuickstartReport.html();
    Document page = Jsoup.parse(html.toFile());

    Element data = table(page, "leptospira_coding_vs_intergenic: 2 classes");
    assertThat(data.select("tbody tr").get(0).select("td").eachText())
        .startsWith("train", "5448", "2724 / 2724");

    Element summary = table(page,
        "quickstart: test metrics, mean ± sd over seeds; 95% CI (t for 3 seeds)");
    assertThat(summary.select("thead th").eachText()).containsExactly("task", "tokenizer", "model",
        "pretraining", "seeds", "test MCC", "test accuracy", "test AUROC", "95% CI test mcc",
        "parameters", "wall s / run", "device-hours");
    List<List<String>> rows = summary.select("tbody tr").stream()
        .map(r -> r.select("td").eachText()).toList();
    assertThat(rows).extracting(r -> r.get(2)).containsExactly("convnova-d32-k5", "cnn-baseline");
    for (List<String> row : rows) {
      assertThat(row.get(0)).isEqualTo("builtin/leptospira_coding_vs_intergenic");
      assertThat(row.get(4)).isEqualTo("3");
      // "0.743 ± 0.012": both models learn the task (one epoch already reaches MCC ≈ 0.75).
      assertThat(row.get(5)).matches("0\\.\\d{3} ± 0\\.\\d{3}");
      assertThat(Double.parseDouble(row.get(5).substring(0, 5))).isBetween(0.5, 1.0);
    }

    Element everyRun = table(page, "quickstart: every run");
    assertThat(everyRun.select("tbody tr")).hasSize(6);

    assertThat(page.select("div.dnalab-plot > svg")).as("composition and results charts").hasSize(2);
    // The progress line as a headless run keeps it: the plan (kernel 0.11's display updates do not
    // reach nbclient; see ExperimentProgress).
    // (on a machine whose result store already holds the quickstart, the line adds "6 done before")
    assertThat(page.select("div.dnalab-progress").text()).contains("quickstart · 6 runs: 2 cells × 3 seeds");
    assertThat(page.text()).contains("\"type\" : \"convnova\"");

    assertThat(page.select("script[src^=http]")).as("scripts fetched from the network").isEmpty();
    assertThat(page.select("[data-mime-type=application/vnd.jupyter.stderr]"))
        .as("stderr or error output in the report").isEmpty();
  }

  static Element table(Document page, String caption) {
    Optional<Element> table = page.select("table.dnalab-table").stream()
        .filter(t -> t.selectFirst("caption") != null
            && t.selectFirst("caption").text().equals(caption))
        .findFirst();
    assertThat(table).as("a table captioned '%s'", caption).isPresent();
    return table.get();
  }
}
