package io.dnalab.experiment;

import io.dnalab.data.Catalog;
import io.dnalab.data.CorpusFiles;
import io.dnalab.data.DataFiles;
import io.dnalab.data.DatasetCatalog;
import io.dnalab.data.LoadOptions;
import io.dnalab.data.Sha256Cache;
import io.dnalab.model.PretrainedCheckpoints;
import io.dnalab.spec.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Task fingerprints for stage keys, computed without reading the task when possible: a catalog
 * task's checksums and sizes come from the catalog (the loader verifies the files against them
 * when it reads them). Files without a catalog checksum (local folders) are hashed once and the
 * sha256 cached by path, size and modification time in {@code checksums.json} beside the
 * artifacts, so replanning a finished notebook reads no data.
 */
public final class DataFingerprints {
  private final DatasetCatalog catalog;
  private final Sha256Cache hashes;
  private final Map<TaskSpec, TaskFingerprint> known = new ConcurrentHashMap<>();

  /** @param cacheFile where computed checksums are kept, null to keep none */
  public DataFingerprints(DatasetCatalog catalog, Path cacheFile) {
    this.catalog = catalog;
    this.hashes = new Sha256Cache(cacheFile);
  }

  public TaskFingerprint of(TaskSpec task) {
    return known.computeIfAbsent(task, this::compute);
  }

  private TaskFingerprint compute(TaskSpec task) {
    Optional<Catalog.Task> entry = catalogEntry(task);
    if (entry.isPresent() && entry.get().splits().values().stream()
        .allMatch(split -> split.sha256() != null)) {
      Catalog.Task e = entry.get();
      Map<String, String> checksums = new LinkedHashMap<>();
      e.splits().forEach((name, split) -> checksums.put(name, split.sha256()));
      long train = e.split("train").map(Catalog.Split::rows).orElse(0L);
      long eval = e.split("dev").map(Catalog.Split::rows).orElse(0L)
          + e.split("test").map(Catalog.Split::rows).orElse(0L);
      int length = e.length() == null || e.length().max() == null ? 0 : e.length().max();
      return new TaskFingerprint(task.id(), checksums, train, eval, length);
    }
    DatasetCatalog.ResolvedTask resolved = catalog.resolve(task, LoadOptions.defaults());
    Map<String, String> checksums = new LinkedHashMap<>();
    resolved.files().forEach((split, file) -> checksums.put(split, contentSha256(file)));
    return new TaskFingerprint(task.id(), checksums, 0, 0, 0);
  }

  private Optional<Catalog.Task> catalogEntry(TaskSpec task) {
    if (task instanceof TaskSpec.Gue gue) {
      return catalog.catalog().task("gue", gue.name());
    }
    if (task instanceof TaskSpec.Builtin builtin) {
      return catalog.catalog().task("builtin", builtin.name());
    }
    return Optional.empty();
  }

  /**
   * The sha256 a BPE corpus name stands for: a catalog genome's recorded checksum (the file is
   * verified against it when the tokenizer stage reads it), else the content of the named file.
   */
  public String corpusSha256(String name) {
    Optional<Catalog.Genome> genome = catalog.catalog().genome(name);
    return genome.isPresent() ? genome.get().sha256() : genomeSha256(Path.of(name));
  }

  /**
   * sha256 of a user's corpus genome, a FASTA file or folder ({@link CorpusFiles#sha256}), hashed
   * at first use and then read from the cache until a file's size or modification time changes.
   */
  public String genomeSha256(Path fileOrFolder) {
    return CorpusFiles.sha256(fileOrFolder, hashes);
  }

  /**
   * The content hash of the public checkpoint in {@code folder} ({@link
   * PretrainedCheckpoints#contentHash}), from the cache while its weight files are unchanged.
   */
  public String checkpointHash(Path folder) {
    return PretrainedCheckpoints.contentHash(folder, hashes);
  }

  /** sha256 of a file's uncompressed content, from the cache when the file has not changed. */
  String contentSha256(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    if (Files.isDirectory(absolute)) {
      // A Genomic Benchmarks split folder: its size and mtime do not change when a file two
      // levels down is edited or added, so no stamp can stand for its content.
      return DataFiles.sha256OfContent(absolute);
    }
    return hashes.contentSha256(absolute);
  }
}
