package io.dnalab.cli;

import io.dnalab.data.Catalog;
import io.dnalab.data.CsvSequenceReader;
import io.dnalab.data.DataFormatException;
import io.dnalab.data.DatasetCatalog;
import io.dnalab.data.DatasetStatistics;
import io.dnalab.data.DevSplit;
import io.dnalab.data.GenomicBenchmarksReader;
import io.dnalab.data.LabelInHeaderFastaReader;
import io.dnalab.data.BasePolicy;
import io.dnalab.data.FastaReader;
import io.dnalab.data.GenBankReader;
import io.dnalab.data.Gff3Reader;
import io.dnalab.data.LabeledSequence;
import io.dnalab.data.LengthRule;
import io.dnalab.data.LoadOptions;
import io.dnalab.data.ReadOptions;
import io.dnalab.data.ReadResult;
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
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code dnalab data check PATH_OR_TASK}: validates a data set and prints its statistics. Exit
 * status 0 when the data are valid, 1 when they are not (the message names file, line, column
 * and value), 2 with {@code --strict} when they are valid but leak across splits or carry
 * conflicting duplicates.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Validate a data set and print its statistics: sizes, class balance, length distribution,",
      "base composition, N content, duplicates and cross-split leakage.",
      "PATH_OR_TASK: gue/<task>, builtin/<task>, a task folder with train/dev/test .csv/.tsv[.gz],",
      "a Genomic Benchmarks folder (train/ and test/ with one folder per class of <id>.txt files),",
      "a folder with train.fna and test.fna whose headers end with |LABEL (Nucleotide Transformer",
      "tasks), or one file (.csv/.tsv, FASTA, labelled FASTA, GenBank, GFF3; optionally gzipped)."})
public final class DataCheckCommand implements Callable<Integer>, CliErrors.UserErrorStatus {
  @Parameters(index = "0", paramLabel = "PATH_OR_TASK")
  String target;

  @Option(names = "--skip-bad-records",
      description = "Drop records that break the input policy (counted) instead of failing.")
  boolean skipBadRecords;

  /** Mixed lengths are accepted by default now; the flag stays so older scripts still run. */
  @Option(names = "--allow-mixed-lengths", hidden = true)
  boolean allowMixedLengths;

  @Option(names = "--uniform-lengths",
      description = "Require every sequence of a task that declares no length range to be as"
          + " long as the first (default: any length; batches are padded and masked).")
  boolean uniformLengths;

  @Option(names = "--max-length", paramLabel = "BASES", defaultValue = "0",
      description = "Refuse sequences longer than BASES, naming file, line and length"
          + " (a local task's maxLength; default 0: no limit).")
  int maxLength;

  @Option(names = "--download",
      description = "Download catalog files that are not found locally (checksums verified).")
  boolean download;

  @Option(names = "--data", paramLabel = "DIR",
      description = "Data folder with gue/<task>/... (default: $DNALAB_DATA).")
  Path dataDir;

  @Option(names = "--cache", paramLabel = "DIR",
      description = "Cache folder (default: -Ddnalab.cache, $DNALAB_CACHE or ~/.cache/dnalab).")
  Path cacheDir;

  @Option(names = "--strict",
      description = "Exit with status 2 when splits leak into each other or duplicates conflict.")
  boolean strict;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    // Invalid data throw DataFormatException, which CliErrors prints (exit userErrorStatus()).
    PrintWriter out = spec.commandLine().getOut();
    TaskSpec task = taskSpec(target);
    if (task == null) {
      return checkFile(Path.of(target), out);
    }
    DatasetStatistics statistics = checkTask(task);
    out.print(statistics.describe());
    List<String> warnings = statistics.warnings();
    for (String warning : warnings) {
      out.println("warning   " + warning);
    }
    out.println(warnings.isEmpty() ? "OK" : "OK with " + warnings.size() + " warning(s)");
    out.flush();
    return strict && !warnings.isEmpty() ? 2 : 0;
  }

  /** Invalid data are this command's answer, documented as exit status 1 (2 is --strict's). */
  @Override
  public int userErrorStatus() {
    return 1;
  }

  /** A catalog or local task for {@code target}, or null when it is a single file. */
  static TaskSpec taskSpec(String target) {
    if (target.startsWith("gue/") && !Files.exists(Path.of(target))) {
      return new TaskSpec.Gue(target.substring("gue/".length()));
    }
    if (target.startsWith("builtin/") && !Files.exists(Path.of(target))) {
      return new TaskSpec.Builtin(target.substring("builtin/".length()));
    }
    if (target.startsWith("genomic_benchmarks/") && !Files.exists(Path.of(target))) {
      return new TaskSpec.GenomicBenchmarks(target.substring("genomic_benchmarks/".length()));
    }
    if (target.startsWith("nucleotide_transformer/") && !Files.exists(Path.of(target))) {
      return new TaskSpec.NucleotideTransformer(
          target.substring("nucleotide_transformer/".length()));
    }
    Path path = Path.of(target);
    if (Files.isDirectory(path)) {
      return new TaskSpec.Local(path);
    }
    if (!Files.exists(path)) {
      throw new DataFormatException(target, 0, 0, null, "no such file or folder, and not a"
          + " catalog task (gue/<task> or builtin/<task>)");
    }
    return null;
  }

  /**
   * Reads every split file of a task that is present (a missing official train split is noted,
   * not an error, since only dev and test of some GUE tasks are available here) and computes the
   * statistics.
   */
  DatasetStatistics checkTask(TaskSpec task) {
    DatasetCatalog.Builder builder = DatasetCatalog.environmentBuilder();
    if (dataDir != null) {
      builder.dataDir(dataDir);
    }
    if (cacheDir != null) {
      builder.cacheDir(cacheDir);
    }
    DatasetCatalog catalog = builder.build();
    LoadOptions options = LoadOptions.defaults().withSkipBadRecords(skipBadRecords)
        .withAllowMixedLengths(!uniformLengths).withMaxLength(maxLength).withOffline(!download)
        .withTrainOnDevWhenTrainMissing(true);
    DatasetCatalog.ResolvedTask resolved = catalog.resolve(task, options);
    Map<String, ReadResult> results = catalog.readFiles(resolved);
    List<String> notes = new ArrayList<>();
    Map<String, List<LabeledSequence>> splits = new LinkedHashMap<>();
    long skipped = 0;
    int maxLabel = -1;
    for (Map.Entry<String, ReadResult> e : results.entrySet()) {
      splits.put(e.getKey(), e.getValue().records());
      skipped += e.getValue().summary().skipped();
      maxLabel = Math.max(maxLabel, e.getValue().summary().maxLabel());
      notes.add(e.getKey() + ": " + e.getValue().summary().file() + " (sha256 of content "
          + e.getValue().summary().sha256().substring(0, 16) + "...)");
      e.getValue().summary().skippedExamples().forEach(m -> notes.add("skipped: " + m));
    }
    Catalog.Task entry = resolved.entry();
    if (!results.containsKey("train")) {
      notes.add("train: the official train split is not available here; loading this task"
          + " trains on dev only with LoadOptions.withTrainOnDevWhenTrainMissing(true), which is"
          + " not the official protocol");
    }
    if (entry != null) {
      boolean allKnown = results.keySet().stream()
          .allMatch(s -> entry.split(s).map(x -> x.rows() != null).orElse(false));
      boolean allVerified = results.keySet().stream()
          .allMatch(s -> entry.split(s).map(x -> x.sha256() != null).orElse(false));
      if (allKnown) {
        notes.add("sizes match the catalog's official split sizes");
      }
      if (allVerified) {
        notes.add("every file matches the catalog's sha256");
      }
    }
    int numClasses = resolved.readOptions().numClasses() > 0
        ? resolved.readOptions().numClasses() : maxLabel + 1;
    Path trainFile = resolved.files().get("train");
    if (trainFile != null && Files.isDirectory(trainFile)) {
      List<String> classes = GenomicBenchmarksReader.classNames(trainFile.getParent());
      StringBuilder labels = new StringBuilder("classes (Genomic Benchmarks layout, label = index"
          + " of the sorted class folder):");
      for (int i = 0; i < classes.size(); i++) {
        labels.append(i == 0 ? " " : ", ").append(i).append('=').append(classes.get(i));
      }
      notes.add(labels.toString());
    }
    String protocol = results.containsKey("train") ? SequenceTask.OFFICIAL_SPLITS
        : "official dev and test only (no train split here)";
    if (!results.containsKey("dev") && results.containsKey("train")) {
      protocol = "train and test files, no dev split";
      try {
        notes.add("dev: none in the files; when the task is loaded, "
            + DevSplit.carve(results.get("train").records()).protocol());
      } catch (IllegalArgumentException e) {
        notes.add("dev: none in the files, and none can be carved: " + e.getMessage());
      }
    }
    return DatasetStatistics.of(resolved.id(), protocol, numClasses, skipped, splits, notes);
  }

  /** A FASTA file whose first header ends with {@code |LABEL}. */
  private static boolean isLabelledFasta(Path file) {
    String header = LabelInHeaderFastaReader.firstHeader(file);
    return header != null && LabelInHeaderFastaReader.isLabelledHeader(header);
  }

  private int checkFile(Path file, PrintWriter out) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT).replaceAll("\\.gz$", "");
    if (name.endsWith(".csv") || name.endsWith(".tsv") || name.endsWith(".tab")) {
      ReadOptions options = ReadOptions.strict().withSkipBadRecords(skipBadRecords)
          .withLengthRule((uniformLengths ? LengthRule.uniform() : LengthRule.any())
              .withMaxLength(maxLength));
      ReadResult result = CsvSequenceReader.readAll(file, options);
      Map<String, List<LabeledSequence>> splits = new LinkedHashMap<>();
      splits.put("file", result.records());
      List<String> notes = new ArrayList<>(result.summary().skippedExamples().stream()
          .map(m -> "skipped: " + m).toList());
      notes.add("sha256 of content " + result.summary().sha256());
      DatasetStatistics statistics = DatasetStatistics.of(file.toString(), "single file",
          Math.max(2, result.summary().maxLabel() + 1), result.summary().skipped(), splits, notes);
      out.print(statistics.describe());
    } else if (name.endsWith(".gb") || name.endsWith(".gbk") || name.endsWith(".genbank")) {
      Map<String, Integer> types = new TreeMap<>();
      GenBankReader.Summary summary = GenBankReader.read(file,
          contig -> GenBankReader.countByType(contig.features())
              .forEach((k, v) -> types.merge(k, v, Integer::sum)));
      out.printf(Locale.ROOT, "GenBank %s: %d records, %d bp, %d features %s%nsha256 of content"
          + " %s%n", file, summary.records(), summary.bases(), summary.features(), types,
          summary.sha256());
    } else if (name.endsWith(".gff") || name.endsWith(".gff3")) {
      Gff3Reader.Summary summary = Gff3Reader.read(file, contig -> { });
      out.printf(Locale.ROOT, "GFF3 %s: %d sequences (%d without features), %d bp, %d features%n",
          file, summary.contigs(), summary.contigsWithoutFeatures(), summary.bases(),
          summary.features());
    } else if (isLabelledFasta(file)) {
      // The Nucleotide Transformer tasks' layout: >NAME|LABEL headers
      ReadOptions options = ReadOptions.strict().withSkipBadRecords(skipBadRecords)
          .withLengthRule((uniformLengths ? LengthRule.uniform() : LengthRule.any())
              .withMaxLength(maxLength));
      ReadResult result = LabelInHeaderFastaReader.readAll(file, options);
      Map<String, List<LabeledSequence>> splits = new LinkedHashMap<>();
      splits.put("file", result.records());
      List<String> notes = new ArrayList<>(result.summary().skippedExamples().stream()
          .map(m -> "skipped: " + m).toList());
      notes.add("labelled FASTA (header >NAME|LABEL, the Nucleotide Transformer tasks' layout)");
      notes.add("sha256 of content " + result.summary().sha256());
      DatasetStatistics statistics = DatasetStatistics.of(file.toString(), "single file",
          Math.max(2, result.summary().maxLabel() + 1), result.summary().skipped(), splits, notes);
      out.print(statistics.describe());
    } else {
      FastaReader.Summary summary = FastaReader.read(file, BasePolicy.STRICT, record -> { });
      out.printf(Locale.ROOT, "FASTA %s: %d records, %d bp, %d soft-masked (lower case)%n"
          + "sha256 of content %s%n", file, summary.records(), summary.bases(),
          summary.softMaskedBases(), summary.sha256());
    }
    out.println("OK");
    out.flush();
    return 0;
  }
}
