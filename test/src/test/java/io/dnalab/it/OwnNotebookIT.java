package io.dnalab.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dnalab from a user's own notebook: the library descriptor {@code dnalab.json} at the repository
 * root, loaded through the real kernel with the one line the README gives, then the DSL used
 * without any import line.
 */
class OwnNotebookIT {

  @Test
  void theDescriptorLineLoadsTheDslAndItsRenderers(@TempDir Path dir) throws Exception {
    Path descriptor = Dnalab.home().resolve("dnalab.json");
    Path nb = Dnalab.notebook(dir.resolve("own.ipynb"),
        "%use @file[" + descriptor + "]",
        "experimentSpec(\"own-notebook\") {\n"
            + "    tasks(builtin(\"leptospira_coding_vs_intergenic\"))\n"
            + "    model(cnnBaseline())\n"
            + "    seeds(2)\n"
            + "}",
        "datasetStatistics(builtin(\"leptospira_coding_vs_intergenic\"))");

    Dnalab.Result result = Dnalab.run(dir, 900, "report", nb.toString(), "--output-dir",
        dir.resolve("reports").toString());

    assertThat(result.exitCode()).as("bin/dnalab report failed:\n%s", result.all()).isZero();
    Document page = Jsoup.parse(dir.resolve("reports/own.html").toFile());
    // The spec rendered as its plan: only the Integration's renderer makes an ExperimentSpec a table.
    Element plan = QuickstartReportIT.table(page, "own-notebook: 1 cells × 2 seeds = 2 runs");
    assertThat(plan.select("tbody tr").get(0).select("td").eachText())
        .containsExactly("1", "builtin/leptospira_coding_vs_intergenic", "nucleotide",
            "cnn-baseline", "none", "2", "gb-cnn lr 0.001, constant, 10 epochs, batch 64");
    Element data = QuickstartReportIT.table(page, "leptospira_coding_vs_intergenic: 2 classes");
    assertThat(data.select("tbody tr").get(0).select("td").eachText())
        .startsWith("train", "5448", "2724 / 2724");
    assertThat(page.select("[data-mime-type=application/vnd.jupyter.stderr]"))
        .as("stderr or error output in the report").isEmpty();
  }

  /** The descriptor names the version this checkout builds, so `%use` loads what setup installed. */
  @Test
  void theDescriptorDependsOnTheVersionThisCheckoutInstalls() throws Exception {
    JsonNode descriptor = new ObjectMapper().readTree(Dnalab.home().resolve("dnalab.json").toFile());
    String pom = Files.readString(Dnalab.home().resolve("pom.xml"));
    // The parent's own <version>, the first after its <artifactId>dnalab-parent</artifactId>.
    Matcher version = Pattern.compile(
        "<artifactId>dnalab-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
    assertThat(version.find()).as("the parent version in pom.xml").isTrue();

    assertThat(descriptor.get("dependencies")).extracting(JsonNode::asText)
        .containsExactly("io.dnalab:dnalab-dsl:" + version.group(1));
    assertThat(descriptor.get("repositories")).extracting(JsonNode::asText)
        .containsExactly("*mavenLocal");
    // The kernel compares minKernelVersion as 0.11.0.398, and refuses the whole descriptor
    // ("Error during library deserialization") when it is written as Maven spells it, 0.11.0-398.
    assertThat(descriptor.get("minKernelVersion").asText()).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
  }
}
