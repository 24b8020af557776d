package io.dnalab.cli;

import io.dnalab.data.CorpusLeakageReport;
import io.dnalab.data.CorpusLeakageScreen;
import io.dnalab.data.DatasetCatalog;
import io.dnalab.data.LoadOptions;
import io.dnalab.data.SequenceTask;
import io.dnalab.spec.TaskSpec;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dnalab data leakage --corpus GENOME_OR_FASTA... --task TASK...}: how many dev and test
 * sequences of the tasks a pretraining corpus already holds ({@link CorpusLeakageScreen}).
 */
@Command(
    name = "leakage",
    mixinStandardHelpOptions = true,
    description = {
      "Screen a pretraining corpus for exact and near copies of the dev and test sequences of",
      "tasks: near copy = at least 50% of its canonical 31-mers occur in the corpus (either",
      "strand); exact copy = the whole sequence occurs (either strand). Prints one row per task",
      "split: screened, too short (< 31 bp), exact, near, and the corpus regions and bases the",
      "near copies' shared 31-mers cover."})
public final class DataLeakageCommand implements Callable<Integer> {
  @Option(names = "--corpus", required = true, paramLabel = "GENOME_OR_FASTA",
      description = "A catalog genome id (e.g. human_GRCh37_chr20) or a FASTA file (.gz allowed);"
          + " repeat for a corpus of several genomes.")
  List<String> corpus;

  @Option(names = "--task", required = true, paramLabel = "TASK",
      description = "gue/<task> (or gue:<task>), builtin/<task>, or a task folder; repeatable.")
  List<String> tasks;

  @Option(names = "--markdown", description = "Print a Markdown table instead of text.")
  boolean markdown;

  @Option(names = "--data", paramLabel = "DIR",
      description = "Data folder with gue/<task>/... and genomes/ (default: $DNALAB_DATA).")
  Path dataDir;

  @Option(names = "--cache", paramLabel = "DIR",
      description = "Cache folder (default: -Ddnalab.cache, $DNALAB_CACHE or ~/.cache/dnalab).")
  Path cacheDir;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    DatasetCatalog.Builder builder = DatasetCatalog.environmentBuilder();
    if (dataDir != null) {
      builder.dataDir(dataDir);
    }
    if (cacheDir != null) {
      builder.cacheDir(cacheDir);
    }
    DatasetCatalog catalog = builder.build();
    Map<String, Path> genomes = new LinkedHashMap<>();
    for (String name : corpus) {
      if (catalog.catalog().genome(name).isPresent()) {
        genomes.put(name, catalog.genome(name).path());
      } else if (Files.isRegularFile(Path.of(name))) {
        genomes.put(Path.of(name).getFileName().toString(), Path.of(name));
      } else {
        throw new CliErrors.UserError("--corpus " + name + ": no such file, and not a genome of"
            + " the catalog (" + catalog.catalog().genomes().stream().map(g -> g.id()).toList()
            + ")");
      }
    }
    long loadStarted = System.nanoTime();
    List<CorpusLeakageScreen.Group> groups = new ArrayList<>();
    for (String name : tasks) {
      TaskSpec task = DataCheckCommand.taskSpec(name.replaceFirst("^(gue|builtin):", "$1/"));
      if (task == null) {
        throw new CliErrors.UserError("--task " + name + ": a file, not a task (gue/<task>,"
            + " builtin/<task> or a task folder)");
      }
      // Loaded as an experiment loads it, so dev is the split the experiment selects on.
      SequenceTask loaded = catalog.load(task, LoadOptions.defaults().withOffline(true)
          .withTrainOnDevWhenTrainMissing(true));
      groups.addAll(CorpusLeakageScreen.evaluationGroups(task.id(), loaded));
    }
    double loadSeconds = (System.nanoTime() - loadStarted) / 1e9;
    CorpusLeakageReport report = new CorpusLeakageScreen(groups).screen(genomes).report();
    if (markdown) {
      out.print(report.markdownTable());
    } else {
      for (CorpusLeakageReport.Counts c : report.counts()) {
        out.printf(Locale.ROOT, "%-24s %-5s %,7d screened  %,5d too short  %,6d exact  %,6d near"
                + " (%5.2f%%)  %,9d regions  %,11d bases%n", c.task(), c.split(), c.screened(),
            c.tooShort(), c.exactCopies(), c.nearCopies(),
            c.screened() == 0 ? 0.0 : 100.0 * c.nearCopies() / c.screened(), c.regions(),
            c.bases());
      }
    }
    out.printf(Locale.ROOT, "corpus %s: %,d bases; tasks read in %.1f s; screen (corpus pass and"
            + " counting) %.1f s wall, %.1f s CPU%n", String.join(" + ", report.genomes()),
        report.corpusBases(), loadSeconds, report.seconds(), report.cpuSeconds());
    out.flush();
    return 0;
  }
}
