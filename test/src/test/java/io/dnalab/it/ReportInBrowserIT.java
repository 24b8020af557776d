package io.dnalab.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
    Document dom = Jsoup.parse(dumpDom(html, profile));

    assertThat(dom.select("table.dnalab-table caption").eachText())
        .contains("quickstart: test metrics, mean ± sd over seeds");
    assertThat(dom.select("table.dnalab-table td").eachText())
        .contains("convnova-d32-k5", "cnn-baseline", "5448");
    assertThat(dom.select("div.dnalab-plot svg")).hasSize(2);
    assertThat(dom.select("div.dnalab-plot svg text").eachText()).contains("test mcc");
  }

  private static String dumpDom(Path html, Path profile) throws IOException, InterruptedException {
    String chromium = System.getenv().getOrDefault("DNALAB_CHROMIUM", "chromium");
    List<String> command = List.of(chromium,
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-quic", "--user-data-dir=" + profile,
        // No network: every host resolves nowhere, and no proxy can be reached.
        "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9",
        "--virtual-time-budget=5000", "--dump-dom", html.toUri().toString());
    Path out = profile.resolve("dom.html");
    Process process = new ProcessBuilder(command)
        .redirectOutput(out.toFile())
        .redirectError(profile.resolve("chromium.log").toFile())
        .start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("chromium did not finish in 120 s");
    }
    assertThat(process.exitValue())
        .as("chromium exit code; log:\n%s", Files.readString(profile.resolve("chromium.log")))
        .isZero();
    return Files.readString(out);
  }
}
