package io.dnalab.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Opens a report in headless Chromium with the network cut off, as an offline reader would. */
final class HeadlessChromium {
  private HeadlessChromium() {}

  /** The page's DOM after its scripts ran (there should be none that matter). */
  static String dumpDom(Path html, Path profile) throws IOException, InterruptedException {
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
