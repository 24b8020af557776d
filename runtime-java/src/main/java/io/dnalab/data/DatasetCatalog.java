package io.dnalab.data;

import io.dnalab.spec.TaskSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Resolves a {@link TaskSpec} to verified local files and loads it as a {@link SequenceTask}.
 *
 * <p>Where files are looked for, in this order (the first hit wins):
 *
 * <ol>
 *   <li>the cache folder: {@code -Ddnalab.cache}, else {@code $DNALAB_CACHE}, else {@code
 *       ~/.cache/dnalab}; layout {@code <benchmark>/<task>/<split>.csv[.gz]};
 *   <li>for genomes only, first of all: the folder named by {@code -Ddnalab.genomes} or {@code
 *       $DNALAB_GENOMES}, by file name ({@link #genome});
 *   <li>the folder named by {@code $DNALAB_DATA}, same layout (e.g. {@code gue/tf_0/train.csv.gz});
 *   <li>for built-in tasks, {@code <dnalab.home>/datasets/builtin/<task>/} when the system property
 *       {@code dnalab.home} (or {@code $DNALAB_HOME}) is set, else the copy packaged in the
 *       dnalab-runtime jar as a classpath resource (so a notebook that only has the jar from
 *       {@code ~/.m2} still finds them); copied into the cache;
 *   <li>a download from the catalog's source into the cache, verified by sha256 before it is
 *       renamed into place (not when {@link LoadOptions#offline()}).
 * </ol>
 *
 * <p>Every file whose sha256 the catalog knows is verified while it is read (on the uncompressed
 * content, so {@code .csv} and {@code .csv.gz} copies verify alike); a mismatch is an error. So is
 * a record count that differs from the catalog's official split size.
 */
public final class DatasetCatalog {
  /** Where the catalog and built-in tasks live inside the runtime jar. */
  public static final String RESOURCE_ROOT = "dnalab/datasets/";
  static final List<String> SPLITS = List.of("train", "dev", "test");
  private static final List<String> LOCAL_EXTENSIONS = List.of(".csv", ".csv.gz", ".tsv",
      ".tsv.gz");

  private final Catalog catalog;
  private final Path cacheDir;
  private final Path dataDir;
  private final Path genomesDir;
  private final Path homeDatasets;
  private final Downloader downloader;

  private DatasetCatalog(Catalog catalog, Path cacheDir, Path dataDir, Path genomesDir,
      Path homeDatasets, Downloader downloader) {
    this.catalog = catalog;
    this.cacheDir = cacheDir;
    this.dataDir = dataDir;
    this.genomesDir = genomesDir;
    this.homeDatasets = homeDatasets;
    this.downloader = downloader;
  }

  /**
   * The catalog as configured by the environment: {@code dnalab.home}/{@code DNALAB_HOME},
   * {@code dnalab.cache}/{@code DNALAB_CACHE}, {@code DNALAB_DATA} and {@code
   * dnalab.genomes}/{@code DNALAB_GENOMES}.
   */
  public static DatasetCatalog fromEnvironment() {
    return environmentBuilder().build();
  }

  /** A builder preset from the environment, for callers that override one setting. */
  public static Builder environmentBuilder() {
    Builder builder = builder();
    String home = setting("dnalab.home", "DNALAB_HOME");
    if (home != null) {
      builder.homeDatasets(Path.of(home).resolve("datasets"));
    }
    String cache = setting("dnalab.cache", "DNALAB_CACHE");
    builder.cacheDir(cache != null ? Path.of(cache)
        : Path.of(System.getProperty("user.home"), ".cache", "dnalab"));
    String data = System.getenv("DNALAB_DATA");
    if (data != null && !data.isBlank()) {
      builder.dataDir(Path.of(data));
    }
    String genomes = setting("dnalab.genomes", "DNALAB_GENOMES");
    if (genomes != null && !genomes.isBlank()) {
      builder.genomesDir(Path.of(genomes));
    }
    return builder;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The parsed {@code catalog.json}. */
  public Catalog catalog() {
    return catalog;
  }

  public Path cacheDir() {
    return cacheDir;
  }

  /** Loads {@code task} with {@link LoadOptions#defaults()}. */
  public SequenceTask load(TaskSpec task) {
    return load(task, LoadOptions.defaults());
  }

  /** Loads {@code task}: resolves, verifies and reads its three splits. */
  public SequenceTask load(TaskSpec task, LoadOptions options) {
    ResolvedTask resolved = resolve(task, options);
    return read(resolved);
  }

  /**
   * The files of a task and how strictly to read them, without reading them.
   *
   * @param files split name to file; {@code train} is absent when the official train split is not
   *     available and {@link LoadOptions#trainOnDevWhenTrainMissing()} allowed that
   * @param entry the catalog entry, null for a local folder
   */
  public record ResolvedTask(String id, Map<String, Path> files, Catalog.Task entry,
      ReadOptions readOptions) {}

  /** A catalog genome resolved to a local, checksum-verified file. */
  public record GenomeFile(String id, Path path, Catalog.Genome entry) {}

  /** Verified (path, size, mtime) triples: a genome is hashed once per process, not per run. */
  private static final java.util.Set<String> VERIFIED =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * The FASTA files a corpus name stands for: a genome of the catalog (resolved and verified, see
   * {@link #genome}), else the name read as a path.
   */
  public java.util.List<Path> corpusFiles(String name) {
    if (catalog.genome(name).isPresent()) {
      return java.util.List.of(genome(name).path());
    }
    return java.util.List.of(Path.of(name));
  }

  /**
   * The FASTA files of one corpus genome: a catalog genome's verified file ({@link #genome}), or
   * the user's file or folder ({@link CorpusFiles#fastaFiles}).
   */
  public List<Path> genomeFiles(io.dnalab.spec.CorpusSpec.GenomeSource source) {
    return source.path() != null ? CorpusFiles.fastaFiles(source.path())
        : List.of(genome(source.id()).path());
  }

  /**
   * Resolves a genome id (or alias) of the catalog to its local file: first the user's genome
   * folder ({@code -Ddnalab.genomes} or {@code $DNALAB_GENOMES}) by the file's name (e.g. {@code
   * $DNALAB_GENOMES/human_GRCh37_chr20.fa.gz}), then the cache folder, then {@code DNALAB_DATA},
   * each of these two at the catalog's relative path (e.g. {@code
   * genomes/human_GRCh37_chr20.fa.gz}). The file's sha256 (of the bytes as stored) must match the
   * catalog's. Genomes are never downloaded: a missing one is an error naming where to get it
   * (the catalog's url) and the exact paths looked at.
   */
  public GenomeFile genome(String name) {
    Catalog.Genome entry = catalog.genome(name).orElseThrow(() -> new DataFormatException(name,
        0, 0, null, "unknown genome '" + name + "'; the catalog has: "
            + catalog.genomes().stream().map(Catalog.Genome::id).toList()));
    List<Path> candidates = new ArrayList<>();
    if (genomesDir != null) {
      candidates.add(genomesDir.resolve(Path.of(entry.file()).getFileName()));
    }
    candidates.add(cacheDir.resolve(entry.file()));
    if (dataDir != null) {
      candidates.add(dataDir.resolve(entry.file()));
    }
    for (Path candidate : candidates) {
      if (Files.isRegularFile(candidate)) {
        verifyGenome(entry, candidate);
        return new GenomeFile(entry.id(), candidate, entry);
      }
    }
    String fileName = Path.of(entry.file()).getFileName().toString();
    throw new DataFormatException(entry.id(), 0, 0, null, "genome file " + entry.file()
        + " not found; looked at " + candidates + ". Get " + entry.id() + " (" + entry.organism()
        + ") from " + (entry.url() == null ? "the data mirror ($DNALAB_DATA/README.md)"
            : entry.url()) + " and put it at " + candidates.get(0)
        + (genomesDir == null ? ", or set DNALAB_GENOMES to the folder holding " + fileName : "")
        + (dataDir == null ? ", or set DNALAB_DATA to the data folder" : "")
        + "; the catalog expects sha256 " + entry.sha256() + " of the file as stored. A copy"
        + " that is not byte for byte the project's (another download or compression) reads as"
        + " genomes(file(\"...\")) instead");
  }

  private static void verifyGenome(Catalog.Genome entry, Path file) {
    if (entry.sha256() == null) {
      throw DataFormatException.ofFile(file, "the catalog knows no sha256 for genome "
          + entry.id() + "; regenerate datasets/catalog.json with make_catalog.py");
    }
    String key;
    try {
      key = file.toAbsolutePath() + "|" + Files.size(file) + "|"
          + Files.getLastModifiedTime(file).toMillis() + "|" + entry.sha256();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (VERIFIED.contains(key)) {
      return;
    }
    String actual = DataFiles.sha256OfBytes(file);
    if (!actual.equalsIgnoreCase(entry.sha256())) {
      throw DataFormatException.ofFile(file, "genome " + entry.id() + " has sha256 " + actual
          + " but the catalog expects " + entry.sha256() + " (of the file as stored); refused."
          + " Replace it with the project's copy, or read this copy as genomes(file(\"" + file
          + "\")), keyed by its own content");
    }
    VERIFIED.add(key);
  }

  /** Finds the files of {@code task}, downloading them when allowed and needed. */
  public ResolvedTask resolve(TaskSpec task, LoadOptions options) {
    if (task instanceof TaskSpec.Local local) {
      return resolveLocal(local.folder(), local.maxLength() == 0 ? options
          : options.withMaxLength(options.maxLength() == 0 ? local.maxLength()
              : Math.min(options.maxLength(), local.maxLength())));
    }
    if (task instanceof TaskSpec.GenomicBenchmarks gb) {
      return resolveNamedFolder(task, "genomic_benchmarks", gb.name(), options);
    }
    if (task instanceof TaskSpec.NucleotideTransformer nt) {
      return resolveNamedFolder(task, "nucleotide_transformer", nt.name(), options);
    }
    String benchmark = task instanceof TaskSpec.Gue ? "gue" : "builtin";
    String name = task instanceof TaskSpec.Gue g ? g.name() : ((TaskSpec.Builtin) task).name();
    Catalog.Task entry = catalog.task(benchmark, name).orElseThrow(() -> new DataFormatException(
        task.id(), 0, 0, null, "unknown " + benchmark + " task '" + name + "'; the catalog has: "
            + catalog.tasksOf(benchmark).stream().map(Catalog.Task::name).toList()));
    if (entry.format() != null && !entry.format().equals("csv")) {
      throw new DataFormatException(task.id(), 0, 0, null, "the catalog lists this task (format '"
          + entry.format() + "', source " + entry.source() + ") but dnalab reads only"
          + " sequence,label CSV task folders; convert it to train/dev/test.csv and load it as"
          + " TaskSpec.Local");
    }
    Map<String, Path> files = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    Map<String, String> notDownloaded = new LinkedHashMap<>();
    for (String split : SPLITS) {
      Catalog.Split file = entry.split(split).orElse(null);
      if (file == null) {
        missing.add(split);
        continue;
      }
      Optional<Path> found = locate(entry, file, options, reason -> notDownloaded.put(split,
          reason));
      if (found.isPresent()) {
        files.put(split, found.get());
      } else {
        missing.add(split);
      }
    }
    checkMissing(task.id(), entry, missing, options, notDownloaded);
    return new ResolvedTask(task.id(), files, entry, readOptionsFor(entry, options));
  }

  private void checkMissing(String id, Catalog.Task entry, List<String> missing,
      LoadOptions options, Map<String, String> notDownloaded) {
    if (missing.isEmpty()) {
      return;
    }
    boolean onlyTrain = missing.equals(List.of("train"));
    if (onlyTrain && options.trainOnDevWhenTrainMissing()) {
      return;
    }
    String split = missing.get(0);
    String file = entry == null ? split + ".csv"
        : entry.split(split).map(Catalog.Split::file).orElse(split + ".csv");
    String folder = entry == null ? null : entry.benchmark() + "/" + entry.name();
    StringBuilder message = new StringBuilder("split '" + split + "' not found: no " + file
        + " or " + file + ".gz");
    if (entry != null && entry.benchmark().equals("builtin")) {
      message.append(" in ").append(homeDatasets == null ? "<dnalab.home>/datasets (dnalab.home"
          + " is not set)" : homeDatasets.resolve(folder)).append(" nor the classpath resource ")
          .append(RESOURCE_ROOT).append(folder).append(" (is dnalab-runtime on the classpath?)");
    } else if (folder != null) {
      message.append(" in ").append(cacheDir.resolve(folder));
      message.append(dataDir != null ? " or " + dataDir.resolve(folder)
          : " (DNALAB_DATA is not set)");
      message.append(". Put the file in one of those folders or set DNALAB_DATA to a folder with"
          + " the layout ").append(folder).append('/').append(file).append("[.gz]");
      if (options.offline()) {
        message.append("; offline, so nothing was downloaded");
      } else if (notDownloaded.containsKey(split)) {
        message.append("; not downloaded: ").append(notDownloaded.get(split));
      }
      String source = entry.source() != null ? entry.source()
          : Optional.ofNullable(catalog.benchmarks().get(entry.benchmark()))
              .map(Catalog.Benchmark::source).orElse(null);
      if (source != null) {
        message.append(" (official source: ").append(source).append(')');
      }
    }
    if (onlyTrain) {
      message.append(". Only dev and test are available: LoadOptions"
          + ".withTrainOnDevWhenTrainMissing(true) trains on the dev split instead, which is not"
          + " the official protocol");
    }
    throw new DataFormatException(id, 0, 0, null, message.toString());
  }

  /**
   * The local file of one split, downloading it when allowed. A download that cannot happen (no
   * source, no checksum to verify against, network failure) is reported to {@code whyNot} and
   * yields empty; a download whose checksum does not match is an error.
   */
  private Optional<Path> locate(Catalog.Task entry, Catalog.Split split, LoadOptions options,
      java.util.function.Consumer<String> whyNot) {
    String folder = entry.benchmark() + "/" + entry.name();
    if (entry.benchmark().equals("builtin")) {
      // Built-in tasks come with the installation: never from a cache that may hold an older
      // build, never downloaded.
      if (homeDatasets != null) {
        Optional<Path> found = firstExisting(List.of(homeDatasets.resolve(folder)), split);
        if (found.isPresent()) {
          return found;
        }
      }
      return copyPackaged(folder, split);
    }
    List<Path> roots = new ArrayList<>();
    roots.add(cacheDir.resolve(folder));
    if (dataDir != null) {
      roots.add(dataDir.resolve(folder));
    }
    Optional<Path> found = firstExisting(roots, split);
    if (found.isPresent()) {
      return found;
    }
    if (!options.offline()) {
      try {
        Optional<Path> downloaded = download(entry, split);
        if (downloaded.isEmpty()) {
          whyNot.accept("the catalog names no download source for it");
        }
        return downloaded;
      } catch (NoChecksumException e) {
        whyNot.accept(e.getMessage());
      } catch (UncheckedIOException e) {
        whyNot.accept(e.getMessage());
      }
    }
    return Optional.empty();
  }

  /** A file the catalog has no checksum for: dnalab will not download it unverified. */
  private static final class NoChecksumException extends RuntimeException {
    NoChecksumException(String message) {
      super(message);
    }
  }

  private static Optional<Path> firstExisting(List<Path> roots, Catalog.Split split) {
    for (Path root : roots) {
      for (String candidate : List.of(split.file(), split.file() + ".gz")) {
        Path path = root.resolve(candidate);
        if (Files.isRegularFile(path)) {
          return Optional.of(path);
        }
      }
    }
    return Optional.empty();
  }

  /** Copies a built-in file from the classpath into the cache (verified when it is read). */
  private Optional<Path> copyPackaged(String folder, Catalog.Split split) {
    for (String candidate : List.of(split.file() + ".gz", split.file())) {
      String resource = RESOURCE_ROOT + folder + "/" + candidate;
      InputStream in = DatasetCatalog.class.getClassLoader().getResourceAsStream(resource);
      if (in == null) {
        continue;
      }
      Path target = cacheDir.resolve(folder).resolve(candidate);
      try (in) {
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempFile(target.getParent(), candidate, ".part");
        try {
          Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
          Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING,
              StandardCopyOption.ATOMIC_MOVE);
        } finally {
          Files.deleteIfExists(temp);
        }
        return Optional.of(target);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot copy " + resource + " to " + target, e);
      }
    }
    return Optional.empty();
  }

  /**
   * Downloads one split into the cache: a single-file URL, or the benchmark's archive (kept in
   * {@code <cache>/downloads/}) from which this task's files are extracted inside the cache.
   * Every file is verified against the catalog's sha256 before it is moved into place; a file
   * whose checksum the catalog does not know is not downloaded at all.
   */
  private Optional<Path> download(Catalog.Task entry, Catalog.Split split) {
    Catalog.Benchmark benchmark = catalog.benchmarks().get(entry.benchmark());
    Path target = cacheDir.resolve(entry.benchmark()).resolve(entry.name()).resolve(split.file());
    if (split.url() != null) {
      requireChecksum(entry, split);
      Path fetched = downloader.fetch(URI.create(split.url()), target, null);
      verifyOrDelete(fetched, split);
      return Optional.of(fetched);
    }
    if (benchmark == null || benchmark.download() == null || benchmark.download().url() == null
        || split.archivePath() == null) {
      return Optional.empty();
    }
    requireChecksum(entry, split);
    Catalog.Download source = benchmark.download();
    String format = source.archive() == null ? "zip" : source.archive();
    Path archive = cacheDir.resolve("downloads").resolve(entry.benchmark() + "." + format);
    if (!Files.isRegularFile(archive)) {
      downloader.fetch(URI.create(source.url()), archive, source.sha256());
      requireArchive(archive, format, source.url());
    }
    Path staging;
    try {
      Files.createDirectories(cacheDir);
      staging = Files.createTempDirectory(cacheDir, "extract-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a folder in " + cacheDir, e);
    }
    try {
      List<Path> extracted = ArchiveExtractor.extract(archive, format, staging,
          name -> name.equals(split.archivePath()));
      if (extracted.isEmpty()) {
        throw DataFormatException.ofFile(archive, "archive has no entry " + split.archivePath()
            + " for " + entry.id() + " " + split.file());
      }
      Path file = extracted.get(0);
      verifyOrDelete(file, split);
      Files.createDirectories(target.getParent());
      Files.move(file, target, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      return Optional.of(target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move extracted file to " + target, e);
    } finally {
      deleteRecursively(staging);
    }
  }

  /**
   * Rejects (and deletes) a download that is not an archive of the expected format: file hosts
   * answer some requests with an HTML page (Google Drive's "cannot scan this file for viruses"
   * confirmation for large files) and a 200 status.
   */
  private static void requireArchive(Path archive, String format, String url) {
    byte[] head = new byte[4];
    int n;
    try (InputStream in = Files.newInputStream(archive)) {
      n = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + archive, e);
    }
    boolean zip = n == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    boolean gzip = n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
    if (format.equals("zip") ? zip : gzip) {
      return;
    }
    String start = new String(head, 0, Math.max(n, 0), java.nio.charset.StandardCharsets.ISO_8859_1);
    try {
      Files.deleteIfExists(archive);
    } catch (IOException ignored) {
      // the error below matters more
    }
    throw DataFormatException.ofFile(archive, "the download from " + url + " is not a " + format
        + " archive (it starts with \"" + DataFormatException.shorten(start) + "\"; file hosts"
        + " answer large downloads with an HTML confirmation page); download it in a browser and"
        + " unpack the task's files into the cache or DNALAB_DATA folder");
  }

  private static void requireChecksum(Catalog.Task entry, Catalog.Split split) {
    if (split.sha256() == null) {
      throw new NoChecksumException("the catalog knows no sha256 for " + split.file()
          + ", so dnalab will not download it unverified");
    }
  }

  private static void verifyOrDelete(Path file, Catalog.Split split) {
    String actual = DataFiles.sha256OfContent(file);
    if (!actual.equalsIgnoreCase(split.sha256())) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // the error below is what matters
      }
      throw DataFormatException.ofFile(file, "downloaded content has sha256 " + actual
          + " but the catalog expects " + split.sha256() + "; the file was not kept");
    }
  }

  private static void deleteRecursively(Path folder) {
    try (Stream<Path> paths = Files.walk(folder)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a leftover staging folder is harmless
    }
  }

  private ReadOptions readOptionsFor(Catalog.Task entry, LoadOptions options) {
    LengthRule rule;
    Catalog.Length length = entry.length();
    if (length != null && length.max() != null) {
      // An unknown minimum (GUE's EMP files mix 500 bp with shorter records) means any up to max.
      rule = LengthRule.range(length.min() == null ? 1 : length.min(), length.max());
    } else {
      rule = options.lengthRule();
    }
    int classes = entry.numClasses() == null ? 0 : entry.numClasses();
    return new ReadOptions(classes, rule, options.skipBadRecords(), null);
  }

  /**
   * A Genomic Benchmarks or Nucleotide Transformer task named as in the catalog: its folder {@code
   * <benchmark>/<name>/} in the cache, else in {@code DNALAB_DATA}, read by the layout's native
   * reader with the catalog entry (published split sizes checked where the catalog has them).
   */
  private ResolvedTask resolveNamedFolder(TaskSpec task, String benchmark, String name,
      LoadOptions options) {
    Catalog.Task entry = catalog.task(benchmark, name).orElseThrow(() -> new DataFormatException(
        task.id(), 0, 0, null, "unknown " + benchmark + " task '" + name + "'; the catalog has: "
            + catalog.tasksOf(benchmark).stream().map(Catalog.Task::name).toList()));
    List<Path> candidates = new ArrayList<>();
    candidates.add(cacheDir.resolve(benchmark).resolve(name));
    if (dataDir != null) {
      candidates.add(dataDir.resolve(benchmark).resolve(name));
    }
    Path folder = candidates.stream().filter(Files::isDirectory).findFirst().orElseThrow(() ->
        new DataFormatException(task.id(), 0, 0, null, "task folder not found; looked at "
            + candidates + ". Get it from " + entry.source() + " ("
            + (benchmark.equals("genomic_benchmarks")
                ? "genomic_benchmarks.loc2seq.download_dataset(\"" + name + "\") writes"
                    + " train/ and test/"
                : "train.fna and test.fna") + ") and put it at " + candidates.get(0)
            + (dataDir == null ? ", or set DNALAB_DATA to a folder holding " + benchmark + "/"
                + name : "")));
    if (benchmark.equals("genomic_benchmarks")) {
      if (!GenomicBenchmarksReader.isLayout(folder)) {
        throw DataFormatException.ofFile(folder, "is not in the Genomic Benchmarks layout:"
            + " expected train/<class>/*.txt and test/<class>/*.txt");
      }
      ResolvedTask resolved = resolveGenomicBenchmarks(folder, task.id(), options);
      return new ResolvedTask(task.id(), resolved.files(), entry, readOptionsFor(entry, options)
          .withNumClasses(resolved.readOptions().numClasses()));
    }
    ResolvedTask resolved = resolveLabelledFasta(folder, task.id(), options).orElseThrow(() ->
        DataFormatException.ofFile(folder, "is not in the Nucleotide Transformer layout:"
            + " expected train.fna and test.fna (labels in the headers, >NAME|LABEL)"));
    return new ResolvedTask(task.id(), resolved.files(), entry, readOptionsFor(entry, options));
  }

  private ResolvedTask resolveLocal(Path folder, LoadOptions options) {
    String id = "local/" + folder.getFileName();
    if (!Files.isDirectory(folder)) {
      throw new DataFormatException(folder.toString(), 0, 0, null,
          "local task folder not found (expected a folder with train, dev and test .csv/.tsv"
              + " files, optionally gzipped)");
    }
    if (GenomicBenchmarksReader.isLayout(folder)) {
      return resolveGenomicBenchmarks(folder, id, options);
    }
    Optional<ResolvedTask> labelledFasta = resolveLabelledFasta(folder, id, options);
    if (labelledFasta.isPresent()) {
      return labelledFasta.get();
    }
    Map<String, Path> files = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (String split : SPLITS) {
      Optional<Path> found = LOCAL_EXTENSIONS.stream().map(ext -> folder.resolve(split + ext))
          .filter(Files::isRegularFile).findFirst();
      found.ifPresentOrElse(p -> files.put(split, p), () -> missing.add(split));
    }
    // No dev file: read() carves one from train (DevSplit), as for the benchmark layouts.
    if (!missing.isEmpty() && !missing.equals(List.of("dev")) && !(missing.equals(List.of("train"))
        && options.trainOnDevWhenTrainMissing())) {
      String hint = missing.equals(List.of("train")) ? ". Only dev and test are there: LoadOptions"
          + ".withTrainOnDevWhenTrainMissing(true) trains on dev, which is not the official"
          + " protocol" : "";
      String required = missing.stream().filter(split -> !split.equals("dev")).findFirst()
          .orElseThrow();
      throw new DataFormatException(folder.toString(), 0, 0, null, "split '" + required
          + "' not found: expected " + required + ".csv, .csv.gz, .tsv or .tsv.gz in this"
          + " folder" + hint);
    }
    LengthRule rule = options.lengthRule();
    return new ResolvedTask(id, files, null,
        new ReadOptions(0, rule, options.skipBadRecords(), null));
  }

  /**
   * A folder in the Genomic Benchmarks layout ({@link GenomicBenchmarksReader}). When the folder
   * is named like a Genomic Benchmarks task of the catalog (as {@code download_dataset} names it),
   * it is that task: its class names, length range and published split sizes are checked.
   */
  private ResolvedTask resolveGenomicBenchmarks(Path folder, String id, LoadOptions options) {
    List<String> classNames = GenomicBenchmarksReader.classNames(folder);
    Map<String, Path> files = new LinkedHashMap<>();
    for (String split : GenomicBenchmarksReader.SPLITS) {
      files.put(split, folder.resolve(split));
    }
    Catalog.Task entry = catalog.task("genomic_benchmarks", folder.getFileName().toString())
        .orElse(null);
    if (entry != null && entry.classNames() != null && !entry.classNames().equals(classNames)) {
      throw DataFormatException.ofFile(folder, "is named like the Genomic Benchmarks task "
          + entry.name() + ", whose classes are " + entry.classNames() + ", but its class"
          + " folders are " + classNames + "; rename the folder if it is another data set");
    }
    ReadOptions readOptions = entry != null ? readOptionsFor(entry, options)
        : new ReadOptions(0, options.lengthRule(), options.skipBadRecords(), null);
    return new ResolvedTask(entry != null ? "genomic_benchmarks/" + entry.name() : id, files,
        entry, readOptions.withNumClasses(classNames.size()));
  }

  /** FASTA endings of a labelled FASTA split, in the order they are looked for. */
  private static final List<String> FASTA_EXTENSIONS = List.of(".fna", ".fa", ".fasta",
      ".fna.gz", ".fa.gz", ".fasta.gz");

  /**
   * A folder with {@code train} and {@code test} FASTA files whose headers carry the label
   * ({@link LabelInHeaderFastaReader}), and optionally {@code dev}; empty when the folder has no
   * labelled FASTA train file.
   */
  private static Optional<ResolvedTask> resolveLabelledFasta(Path folder, String id,
      LoadOptions options) {
    Map<String, Path> files = new LinkedHashMap<>();
    for (String split : SPLITS) {
      FASTA_EXTENSIONS.stream().map(ext -> folder.resolve(split + ext))
          .filter(Files::isRegularFile).findFirst().ifPresent(p -> files.put(split, p));
    }
    if (!files.containsKey("train")) {
      return Optional.empty();
    }
    if (!files.containsKey("test")) {
      throw DataFormatException.ofFile(folder, "has " + files.get("train").getFileName()
          + " but no test split: expected test" + String.join(", test", FASTA_EXTENSIONS)
          + " beside it");
    }
    LengthRule rule = options.lengthRule();
    return Optional.of(new ResolvedTask(id, files, null,
        new ReadOptions(0, rule, options.skipBadRecords(), null)));
  }

  /** Whether {@code file} is read as a labelled FASTA split rather than a CSV/TSV one. */
  private static boolean isFastaSplit(Path file) {
    String name = file.getFileName().toString();
    return FASTA_EXTENSIONS.stream().anyMatch(name::endsWith);
  }

  /**
   * Reads every resolved file, verifying the catalog's sha256 (while reading) and official record
   * count. Keys are split names in train, dev, test order; train is absent when it was not found.
   */
  public Map<String, ReadResult> readFiles(ResolvedTask resolved) {
    Map<String, ReadResult> results = new LinkedHashMap<>();
    for (Map.Entry<String, Path> file : resolved.files().entrySet()) {
      String split = file.getKey();
      ReadOptions readOptions = resolved.readOptions();
      Catalog.Split declared = resolved.entry() == null ? null
          : resolved.entry().split(split).orElse(null);
      if (declared != null && declared.sha256() != null) {
        readOptions = readOptions.withExpectedSha256(declared.sha256());
      }
      Path path = file.getValue();
      ReadResult result = Files.isDirectory(path)
          ? GenomicBenchmarksReader.readSplit(path,
              GenomicBenchmarksReader.classNames(path.getParent()), readOptions)
          : isFastaSplit(path) ? LabelInHeaderFastaReader.readAll(path, readOptions)
          : CsvSequenceReader.readAll(path, readOptions);
      ReadSummary summary = result.summary();
      if (declared != null && declared.rows() != null
          && summary.records() + summary.skipped() != declared.rows()) {
        throw DataFormatException.ofFile(file.getValue(), "has " + (summary.records()
            + summary.skipped()) + " records but the official " + split + " split of "
            + resolved.id() + " has " + declared.rows());
      }
      results.put(split, result);
    }
    return results;
  }

  /** Reads resolved files into a task, checking checksums, official sizes and classes. */
  public SequenceTask read(ResolvedTask resolved) {
    Map<String, ReadResult> results = readFiles(resolved);
    checkUniformAcrossSplits(resolved, results);
    int numClasses = resolved.readOptions().numClasses();
    if (numClasses == 0) {
      int maxLabel = results.values().stream().mapToInt(r -> r.summary().maxLabel()).max()
          .orElse(-1);
      numClasses = maxLabel + 1;
      if (numClasses < 2) {
        throw new DataFormatException(resolved.id(), 0, 0, null, "all labels are "
            + Math.max(maxLabel, 0) + ": a classification task needs at least 2 classes");
      }
    }
    long skipped = results.values().stream().mapToLong(r -> r.summary().skipped()).sum();
    String name = resolved.entry() == null ? resolved.id() : resolved.entry().name();
    List<LabeledSequence> test = results.get("test").records();
    if (!results.containsKey("dev")) {
      // Genomic Benchmarks and the NT tasks publish no dev split: carve one, seeded, and say so.
      DevSplit.Carved carved = DevSplit.carve(results.get("train").records());
      String protocol = carved.protocol();
      Path trainFolder = resolved.files().get("train");
      if (Files.isDirectory(trainFolder)) {
        List<String> classes = GenomicBenchmarksReader.classNames(trainFolder.getParent());
        StringBuilder labels = new StringBuilder("; labels are the sorted class folders:");
        for (int i = 0; i < classes.size(); i++) {
          labels.append(i == 0 ? " " : ", ").append(i).append('=').append(classes.get(i));
        }
        protocol += labels;
      }
      return new SequenceTask(name, numClasses, carved.train(), carved.dev(), test, protocol,
          skipped);
    }
    List<LabeledSequence> dev = results.get("dev").records();
    if (results.containsKey("train")) {
      return new SequenceTask(name, numClasses, results.get("train").records(), dev, test,
          SequenceTask.OFFICIAL_SPLITS, skipped);
    }
    List<LabeledSequence> train = new ArrayList<>();
    List<LabeledSequence> selection = new ArrayList<>();
    for (int i = 0; i < dev.size(); i++) {
      (i % 10 == 9 ? selection : train).add(dev.get(i));
    }
    String protocol = "NOT the official protocol: the official train split was not available,"
        + " so the model trains on 90% of the official dev split (" + train.size()
        + " records), selects on the other 10% (every 10th record, " + selection.size()
        + " records) and is tested on the official test split (" + test.size() + " records)";
    return new SequenceTask(name, numClasses, train, selection, test, protocol, skipped);
  }

  private static void checkUniformAcrossSplits(ResolvedTask resolved,
      Map<String, ReadResult> results) {
    if (!resolved.readOptions().lengthRule().sameAsFirst()) {
      return;
    }
    ReadSummary first = null;
    for (ReadResult result : results.values()) {
      ReadSummary summary = result.summary();
      if (summary.records() == 0) {
        continue;
      }
      if (first == null) {
        first = summary;
      } else if (summary.minLength() != first.minLength()) {
        throw DataFormatException.ofFile(Path.of(summary.file()), "sequences are "
            + summary.minLength() + " bp but " + first.file() + " has " + first.minLength()
            + " bp; mixed lengths need LoadOptions.withAllowMixedLengths(true)");
      }
    }
  }

  private static String setting(String property, String env) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      value = System.getenv(env);
    }
    return value == null || value.isBlank() ? null : value;
  }

  /** Configures a catalog explicitly (tests, embedding). */
  public static final class Builder {
    private Catalog catalog;
    private Path cacheDir;
    private Path dataDir;
    private Path genomesDir;
    private Path homeDatasets;
    private Downloader downloader = new Downloader();

    public Builder catalog(Catalog value) {
      this.catalog = value;
      return this;
    }

    public Builder cacheDir(Path value) {
      this.cacheDir = value;
      return this;
    }

    /** The {@code DNALAB_DATA} folder; null for none. */
    public Builder dataDir(Path value) {
      this.dataDir = value;
      return this;
    }

    /**
     * The folder of the user's own downloaded catalog genomes ({@code DNALAB_GENOMES}), looked in
     * first, by file name; null for none.
     */
    public Builder genomesDir(Path value) {
      this.genomesDir = value;
      return this;
    }

    /** A {@code datasets/} folder of an installation (holds catalog.json and builtin/). */
    public Builder homeDatasets(Path value) {
      this.homeDatasets = value;
      return this;
    }

    public Builder downloader(Downloader value) {
      this.downloader = value;
      return this;
    }

    public DatasetCatalog build() {
      Catalog resolvedCatalog = catalog != null ? catalog : loadDefaultCatalog(homeDatasets);
      if (cacheDir == null) {
        throw new IllegalStateException("a DatasetCatalog needs a cache folder");
      }
      return new DatasetCatalog(resolvedCatalog, cacheDir, dataDir, genomesDir, homeDatasets,
          downloader);
    }

    private static Catalog loadDefaultCatalog(Path homeDatasets) {
      if (homeDatasets != null && Files.isRegularFile(homeDatasets.resolve("catalog.json"))) {
        try (InputStream in = Files.newInputStream(homeDatasets.resolve("catalog.json"))) {
          return Catalog.read(in);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      InputStream in = DatasetCatalog.class.getClassLoader()
          .getResourceAsStream(RESOURCE_ROOT + "catalog.json");
      if (in == null) {
        throw new IllegalStateException("catalog.json not found: neither "
            + (homeDatasets == null ? "<dnalab.home>/datasets" : homeDatasets)
            + "/catalog.json nor the classpath resource " + RESOURCE_ROOT + "catalog.json"
            + " (is dnalab-runtime on the classpath?)");
      }
      try (in) {
        return Catalog.read(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
