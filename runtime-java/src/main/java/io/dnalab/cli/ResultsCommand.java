package io.dnalab.cli;

import io.dnalab.experiment.ArtifactStore;
import io.dnalab.experiment.CodeVersions;
import io.dnalab.experiment.ResultFiles;
import io.dnalab.store.ResultStore;
import io.dnalab.store.StoredRun;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dnalab results [--store FILE] [--experiment NAME] [--csv OUT] [--predictions OUT]}: the
 * result store.
 */
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

  @Option(names = "--predictions", paramLabel = "FILE.csv",
      description = "write the runs' per-example predictions as CSV: one row per example per run "
          + "per split (run key and cell, degenerate flag, split, example, sequence_id, label, "
          + "predicted, p_0 … p_K-1)")
  Path predictions;

  @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "all",
      description = "with --predictions: dev, test or all (default: ${DEFAULT-VALUE})")
  String split;

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
      if (experiment != null && runs.isEmpty()) {
        throw new CliErrors.UserError("no runs of experiment \"" + experiment + "\" in " + file
            + "; its experiments: " + results.all().stream().map(r -> r.result().experiment())
            .distinct().sorted().toList());
      }
      if (predictions != null) {
        String only = switch (split) {
          case "all" -> null;
          case "dev", "test" -> split;
          default -> throw new CliErrors.UserError("--split must be dev, test or all, got \""
              + split + "\"");
        };
        long rows;
        try {
          rows = results.exportPredictionsCsv(runs, only, predictions);
        } catch (IOException e) {
          throw new CliErrors.UserError("cannot write " + predictions + ": " + reason(e), e);
        }
        System.err.println("wrote " + rows + " predictions of " + runs.size() + " runs ("
            + (only == null ? "dev and test" : only) + ") to " + predictions);
        return 0;
      }
      if (csv != null) {
        results.exportCsv(runs, csv);
        System.err.println("wrote " + runs.size() + " rows to " + csv);
        return 0;
      }
      for (StoredRun run : runs) {
        List<String> stale = CodeVersions.changes(run.codeVersions());
        System.out.printf(Locale.ROOT, "%s  %-16s %-24s %-12s %-18s %-6s seed %d  test MCC %.4f"
                + "  %s%s%s%n", run.key().substring(0, 12), run.result().experiment(),
            run.result().task(), run.result().tokenizer(), run.result().model(),
            run.result().pretrain(), run.result().seed(), run.result().test().mcc(),
            run.provenance().finishedAt(),
            stale.isEmpty() ? "" : "  stale: " + String.join(", ", stale),
            run.result().isDegenerate() ? "  \u26a0 degenerate: " + run.result().degenerate()
                : "");
      }
      System.err.println(runs.size() + " runs in " + file);
    }
    return 0;
  }

  /** Why a file could not be written, in words (a file-system exception's message is a path). */
  static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "its folder does not exist";
    }
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    return e.getMessage();
  }
}
