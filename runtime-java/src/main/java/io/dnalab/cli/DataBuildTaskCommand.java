package io.dnalab.cli;

import io.dnalab.data.AnnotatedContig;
import io.dnalab.data.BedTaskBuilder;
import io.dnalab.data.DataFiles;
import io.dnalab.data.DatasetStatistics;
import io.dnalab.data.GenBankReader;
import io.dnalab.data.Gff3Reader;
import io.dnalab.data.TaskBuilder;
import io.dnalab.data.TaskWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code dnalab data build-task}: builds a labelled task from an annotated genome with {@link
 * TaskBuilder}, writes {@code train/dev/test.csv.gz} and a {@code PROVENANCE.md} that records the
 * source file, its sha256, the exact command and the resulting statistics and leakage report.
 */
@Command(
    name = "build-task",
    mixinStandardHelpOptions = true,
    description = {"Build a labelled classification task from a genome and its annotation,",
        "or from BED intervals and a genome FASTA (--bed)."})
public final class DataBuildTaskCommand implements Callable<Integer> {
  @Option(names = "--genome", required = true,
      description = {"Annotated genome: GenBank (.gb/.gbk) or GFF3 (.gff/.gff3), optionally .gz;",
          "with --bed, the genome FASTA (.fa/.fna/.fasta, optionally .gz)."})
  Path genome;

  @Option(names = "--bed", paramLabel = "FILE",
      description = {"BED intervals (repeatable): with --label-column one file; else one file",
          "per class, the file name is the class, label = position on the command line."})
  List<Path> bed;

  @Option(names = "--label-column", paramLabel = "NAME_OR_NUMBER",
      description = "BED column holding the label: 1-based number, or name in a #header line.")
  String labelColumn;

  @Option(names = "--flank", defaultValue = "0",
      description = "With --bed: bases added on each side of an interval (default: 0).")
  int flank;

  @Option(names = "--length", defaultValue = "0",
      description = "With --bed: fixed length centred on each interval (default: 0, the"
          + " interval's own length plus flanks).")
  int length;

  @Option(names = "--ignore-strand",
      description = "With --bed: do not reverse-complement intervals on the - strand.")
  boolean ignoreStrand;

  @Option(names = "--fasta", description = "Sequences for a GFF3 file without ##FASTA.")
  Path fasta;

  @Option(names = "--kind", defaultValue = "coding-vs-intergenic",
      description = "coding-vs-intergenic or promoter-vs-background (default: ${DEFAULT-VALUE}).")
  String kind;

  @Option(names = "--window", defaultValue = "200", description = "Window length in bp.")
  int window;

  @Option(names = "--stride", description = "Distance between window starts (default: window).")
  Integer stride;

  @Option(names = "--block", defaultValue = "20000",
      description = "Region block length in bp for the split (default: ${DEFAULT-VALUE}).")
  int block;

  @Option(names = "--dev", defaultValue = "0.1", description = "Fraction of bases for dev.")
  double dev;

  @Option(names = "--test", defaultValue = "0.1", description = "Fraction of bases for test.")
  double test;

  @Option(names = "--seed", defaultValue = "42")
  long seed;

  @Option(names = "--keep-near-duplicates",
      description = "Keep dev/test windows that duplicate windows of an earlier split.")
  boolean keepNearDuplicates;

  @Option(names = "--name", required = true, description = "Task name.")
  String name;

  @Option(names = "--out", required = true, description = "Output folder.")
  Path out;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    // Bad options (TaskBuilder validates them) and bad input files are reported by CliErrors.
    PrintWriter stdout = spec.commandLine().getOut();
    if (bed != null && !bed.isEmpty()) {
      return buildFromBed(stdout);
    }
    TaskBuilder.Options options = new TaskBuilder.Options(TaskBuilder.Kind.fromId(kind), window,
        stride == null ? window : stride, block, dev, test, seed, !keepNearDuplicates);
    List<AnnotatedContig> contigs = readGenome();
    TaskBuilder.Result result = TaskBuilder.build(name, contigs, options);
    List<Path> files = TaskWriter.write(result.windows(), out);
    DatasetStatistics statistics = DatasetStatistics.of(result.task());
    String provenance = provenance(options, result, statistics, files);
    Files.writeString(out.resolve("PROVENANCE.md"), provenance);
    stdout.print(statistics.describe());
    stdout.println("wrote " + files + " and " + out.resolve("PROVENANCE.md"));
    stdout.flush();
    return 0;
  }

  private int buildFromBed(PrintWriter stdout) throws IOException {
    BedTaskBuilder.Options options = new BedTaskBuilder.Options(labelColumn, flank, length,
        !ignoreStrand, block, dev, test, seed, !keepNearDuplicates);
    BedTaskBuilder.Result result = BedTaskBuilder.build(name, bed, genome, options);
    List<Path> files = TaskWriter.write(result.windows(), out);
    DatasetStatistics statistics = DatasetStatistics.of(result.task());
    String command = "bin/dnalab " + String.join(" ",
        spec.commandLine().getParseResult().originalArgs());
    StringBuilder md = new StringBuilder();
    md.append("# ").append(name).append("\n\n");
    md.append("Built by `io.dnalab.data.BedTaskBuilder` from BED intervals.\n\n");
    md.append("Classes (label = index): ");
    for (int i = 0; i < result.classNames().size(); i++) {
      md.append(i == 0 ? "" : ", ").append(i).append(" = ").append(result.classNames().get(i));
    }
    md.append(".\n\n## Sources\n\n");
    for (Path file : bed) {
      md.append("- BED `").append(file).append("`: sha256 of content `")
          .append(DataFiles.sha256OfContent(file)).append("`\n");
    }
    md.append("- genome `").append(genome).append("`: sha256 of the file `")
        .append(DataFiles.sha256OfBytes(genome)).append("`\n\n");
    md.append("## Build command\n\n```\n").append(command).append("\n```\n\n");
    md.append("Options: ").append(options).append("\n\n");
    BedTaskBuilder.Stats stats = result.stats();
    md.append(String.format(Locale.ROOT, "## Splits%n%n%d intervals on %d contig(s); %s.%n%n",
        stats.intervals(), stats.contigs(), result.task().protocol()));
    md.append("## Statistics and leakage\n\n```\n").append(statistics.describe())
        .append("```\n\n## Files\n\n");
    for (Path file : files) {
      md.append("- `").append(file.getFileName()).append("`: sha256 of content `")
          .append(DataFiles.sha256OfContent(file)).append("`\n");
    }
    Files.writeString(out.resolve("PROVENANCE.md"), md.toString());
    stdout.print(statistics.describe());
    stdout.println("class names (label = index): " + result.classNames());
    stdout.println("wrote " + files + " and " + out.resolve("PROVENANCE.md"));
    stdout.flush();
    return 0;
  }

  private List<AnnotatedContig> readGenome() {
    String fileName = genome.getFileName().toString().toLowerCase(Locale.ROOT)
        .replaceAll("\\.gz$", "");
    List<AnnotatedContig> contigs = new ArrayList<>();
    if (fileName.endsWith(".gff") || fileName.endsWith(".gff3")) {
      Gff3Reader.read(genome, fasta, contigs::add);
    } else {
      GenBankReader.read(genome, contigs::add);
    }
    return contigs;
  }

  private String provenance(TaskBuilder.Options options, TaskBuilder.Result result,
      DatasetStatistics statistics, List<Path> files) {
    String command = "bin/dnalab " + String.join(" ",
        spec.commandLine().getParseResult().originalArgs());
    TaskBuilder.Stats stats = result.stats();
    StringBuilder md = new StringBuilder();
    md.append("# ").append(name).append("\n\n");
    md.append("Built by `io.dnalab.data.TaskBuilder` (").append(options.kind().id())
        .append("): class 0 = ").append(options.kind().classNames().get(0)).append(", class 1 = ")
        .append(options.kind().classNames().get(1)).append(".\n\n");
    md.append("## Source\n\n");
    md.append("- file: `").append(genome.getFileName()).append("` (as given: `").append(genome)
        .append("`)\n");
    md.append("- sha256 of the file: `").append(DataFiles.sha256OfBytes(genome)).append("`\n");
    md.append("- sha256 of its uncompressed content: `").append(DataFiles.sha256OfContent(genome))
        .append("`\n");
    md.append(String.format(Locale.ROOT, "- %d contigs, %d bp, %d CDS%n%n", stats.contigs(),
        stats.genomeBases(), stats.cdsFeatures()));
    md.append("## Build command\n\n```\n").append(command).append("\n```\n\n");
    md.append("Options: ").append(options).append("\n\n");
    md.append("## Splits\n\n");
    md.append(String.format(Locale.ROOT, "%d blocks of %d bp dealt to splits by bases; %d"
            + " windows dropped across block boundaries, %d with N, %d as near duplicates of an"
            + " earlier split.%n%n", stats.blocks(), options.blockLength(),
        stats.droppedAcrossBlocks(), stats.droppedWithN(), stats.droppedAsLeaked()));
    md.append("| split | blocks | bases | candidates class 0 | candidates class 1 | kept |\n");
    md.append("|---|---|---|---|---|---|\n");
    stats.splits().forEach((split, s) -> md.append(String.format(Locale.ROOT,
        "| %s | %d | %d | %d | %d | %d |%n", split, s.blocks(), s.bases(),
        s.negativeCandidates(), s.positiveCandidates(), s.kept())));
    md.append("\n## Statistics and leakage\n\n```\n").append(statistics.describe())
        .append("```\n\n");
    md.append("## Files\n\n");
    for (Path file : files) {
      md.append("- `").append(file.getFileName()).append("`: sha256 of content `")
          .append(DataFiles.sha256OfContent(file)).append("`\n");
    }
    return md.toString();
  }
}
