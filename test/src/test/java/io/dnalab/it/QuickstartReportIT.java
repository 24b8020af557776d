package io.dnalab.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/** Executes the quickstart through the real kernel and reads the report as a reader would. */
class QuickstartReportIT {

  @Test
  void reportShowsThePlanThePublishedNumbersAndAChart() throws Exception {
    Path html = QuickstartReport.html();
    Document page = Jsoup.parse(html.toFile());

    List<Element> tables = page.select("table.dnalab-table");
    assertThat(tables).hasSizeGreaterThanOrEqualTo(2);

    Element plan = tables.get(0);
    assertThat(plan.selectFirst("caption").text())
        .isEqualTo("quickstart: 4 cells × 3 seeds = 12 runs");
    assertThat(plan.select("thead th").eachText())
        .containsExactly("#", "task", "tokenizer", "model", "pretraining", "seeds");
    assertThat(plan.select("tbody tr").get(3).select("td").eachText())
        .containsExactly("4", "gue/tf_0", "nucleotide", "cnn-baseline", "none", "3");

    Element published = tables.get(1);
    assertThat(published.select("tbody tr").stream().map(r -> r.select("td").eachText()))
        .contains(List.of("DNABERT-2", "prom_core_all", "69.3700", "Zhou et al., ICLR 2024, Table 4"),
            List.of("DNABERT-2", "tf_0", "71.9900", "Zhou et al., ICLR 2024, Table 4"));

    Element chart = page.selectFirst("div.dnalab-plot > svg");
    assertThat(chart).as("an inline <svg> chart").isNotNull();
    assertThat(chart.text()).contains("DNABERT-2, published test MCC").contains("tf_4");

    assertThat(page.select("[data-mime-type=application/vnd.jupyter.stderr]"))
        .as("stderr or error output in the report").isEmpty();
    assertThat(page.select(".jp-OutputArea-output pre").eachText())
        .noneMatch(text -> text.contains("Exception") || text.contains("error:"));
  }
}
