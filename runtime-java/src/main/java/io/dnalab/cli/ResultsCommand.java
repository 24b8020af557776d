package io.dnalab.cli;

import io.dnalab.experiment.ArtifactStore;
import io.dnalab.experiment.CodeVersions;
import io.dnalab.experiment.ResultFiles;
import io.dnalab.store.ResultStore;
import io.dnalab.store.StoredRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dnalab results [--store FILE] [--experiment NAME] [--csv OUT]}: the result store. */
@Command(name = "results", mixinStandardHelpOptions = true,
    subcommands = ResultsCommand.Import.class,
    description = "List or export the finished runs of the result store (SQLite; its table "
        + "`runs` is also readable with plain SQL).")
public final class ResultsCommand implements Callable<Integer> {

  @Option(names = "--store", paramLabel = "FILE.sqlite",
      description = "the result store (default: $DNALAB_RESULTS, else results.sqlite in the "
          + "cache folder)")
  Path store;

  @Option(names = "--experiment", paramLabel = "NAME", description = "only this experiment")
  String experiment;

  @Option(names = "--csv", paramLabel = "FILE.csv", description = "write the runs as CSV")
  Path csv;

  @Option(names = "--check", description = "run SQLite's integrity check")
  boolean check;

  /**
   * {@code dnalab results import [--store FILE] [--artifacts DIR]}: the runs workers published as
   * result files become rows of the store (which also happens whenever a run or a notebook reads
   * it); a run already there stays one row.
   */
  @Command(name = "import", mixinStandardHelpOptions = true,
      description = "Import the result files that workers (dnalab run --jobs, --stage, cluster "
          + "jobs) published in the artifact store into the result store; idempotent.")
  static final class Import implements Callable<Integer> {
    @Option(names = "--store", paramLabel = "FILE.sqlite",
        description = "the result store (default: $DNALAB_RESULTS, else results.sqlite in the "
            + "cache folder)")
    Path store;

    @Option(names = "--artifacts", paramLabel = "DIR",
        description = "the artifact store whose results/ folder holds the files (default: "
            + "artifacts in the cache folder $DNALAB_CACHE or ~/.cache/dnalab)")
    Path artifacts;

    @Override
    public Integer call() {
      Path file = store != null ? store : ResultStore.defaultLocation();
      ResultFiles files = artifacts != null ? ResultFiles.of(new ArtifactStore(artifacts))
          : ResultFiles.of(ArtifactStore.fromEnvironment());
      if (artifacts != null && !Files.isDirectory(artifacts)) {
        throw new CliErrors.UserError("no artifact store at " + artifacts);
      }
      try (ResultStore results = ResultStore.open(file)) {
        int found = files.keys().size();
        int added = files.importInto(results);
        System.out.printf(Locale.ROOT, "imported %d new runs of %d result files in %s into %s"
            + " (%d rows now)%n", added, found, files.folder(), file, results.count());
      }
      return 0;
    }
  }

  @Override
  public Integer call() {
    Path file = store != null ? store : ResultStore.defaultLocation();
    if (!Files.exists(file)) {
      // ResultStore.open would create an empty one; listing it would hide a misspelt path.
      throw new CliErrors.UserError("no result store at " + file);
    }
    try (ResultStore results = ResultStore.open(file)) {
      if (check) {
        String verdict = results.integrityCheck();
        System.out.println("integrity_check: " + verdict);
        if (!verdict.equals("ok")) {
          return 1;
        }
      }
      List<StoredRun> runs = experiment == null ? results.all() : results.ofExperiment(experiment);
      if (csv != null) {
        results.exportCsv(runs, csv);
        System.err.println("wrote " + runs.size() + " rows to " + csv);
        return 0;
      }
      for (StoredRun run : runs) {
        List<String> stale = CodeVersions.changes(run.codeVersions());
        System.out.printf(Locale.ROOT, "%s  %-16s %-24s %-12s %-18s %-6s seed %d  test MCC %.4f"
                + "  %s%s%n", run.key().substring(0, 12), run.result().experiment(),
            run.result().task(), run.result().tokenizer(), run.result().model(),
            run.result().pretrain(), run.result().seed(), run.result().test().mcc(),
            run.provenance().finishedAt(),
            stale.isEmpty() ? "" : "  stale: " + String.join(", ", stale));
      }
      System.err.println(runs.size() + " runs in " + file);
    }
    return 0;
  }
}
