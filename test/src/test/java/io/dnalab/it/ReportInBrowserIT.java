package io.dnalab.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the rendered quickstart in headless Chromium with the network cut off, as a reader of a
 * published report offline would, and checks the table and the chart are in the page.
 */
class ReportInBrowserIT {

  @Test
  void tableAndChartRenderOffline(@TempDir Path profile) throws Exception {
    Path html = QuickstartReport.html();
    Document dom = Jsoup.parse(HeadlessChromium.dumpDom(html, profile));

    assertThat(dom.select("table.dnalab-table caption").eachText())
        .contains("quickstart: test metrics, mean ± sd over seeds; 95% CI (t for 3 seeds)");
    assertThat(dom.select("table.dnalab-table td").eachText())
        .contains("convnova-d32-k5", "cnn-baseline", "5448");
    assertThat(dom.select("div.dnalab-plot svg")).hasSize(2);
    assertThat(dom.select("div.dnalab-plot svg text").eachText()).contains("test mcc");
  }
}
