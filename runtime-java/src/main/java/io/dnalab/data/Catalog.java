package io.dnalab.data;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The contents of {@code datasets/catalog.json}: every known benchmark task with its official
 * source, licence, citation, layout, classes, split sizes and per-file sha256 where known. A
 * figure that is not known is {@code null} in the file, never a guess.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Catalog(int formatVersion, Map<String, Benchmark> benchmarks, List<Task> tasks,
    List<Genome> genomes) {

  public Catalog {
    benchmarks = Map.copyOf(benchmarks);
    tasks = List.copyOf(tasks);
    genomes = genomes == null ? List.of() : List.copyOf(genomes);
  }

  /** A catalog of tasks only. */
  public Catalog(int formatVersion, Map<String, Benchmark> benchmarks, List<Task> tasks) {
    this(formatVersion, benchmarks, tasks, List.of());
  }

  /**
   * A genome for pretraining corpora.
   *
   * @param file path under the data folder, e.g. {@code genomes/human_GRCh37_chr20.fa.gz}
   * @param sha256 of the file AS STORED (the gzip bytes, as the data mirror's SHA256SUMS)
   * @param bases total bases over all records, null when unknown
   * @param url where the sequence was first released (Ensembl, UCSC, NCBI, ...), for a user who
   *     has no copy: the project's copy, whose sha256 the catalog holds, came from there
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Genome(String id, List<String> aliases, String file, String organism,
      String sha256, Long bytes, Long records, Long bases, String url) {
    public Genome {
      aliases = aliases == null ? List.of() : List.copyOf(aliases);
    }

    public boolean answersTo(String name) {
      return id.equals(name) || aliases.contains(name);
    }
  }

  /** The genome called {@code name} (its id or an alias), if the catalog has it. */
  public Optional<Genome> genome(String name) {
    return genomes.stream().filter(g -> g.answersTo(name)).findFirst();
  }

  /** A benchmark suite: where it comes from and under which terms. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Benchmark(String title, String source, String licence, String citation,
      String layout, Download download, String notes) {}

  /**
   * Where the files can be fetched. {@code archive} is {@code zip}, {@code tar.gz} or null for
   * single files; {@code sha256} is the archive's, null when not published.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Download(String url, String archive, String sha256, String notes) {}

  /** One task of a benchmark. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Task(String benchmark, String name, String description, Integer numClasses,
      List<String> classNames, Length length, Map<String, Split> splits, String format,
      String source, String notes) {

    public Task {
      splits = splits == null ? Map.of() : new LinkedHashMap<>(splits);
    }

    public String id() {
      return benchmark + "/" + name;
    }

    public Optional<Split> split(String split) {
      return Optional.ofNullable(splits.get(split));
    }
  }

  /** Declared sequence length; min == max for fixed-length tasks; null fields when unknown. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Length(Integer min, Integer max) {}

  /**
   * One file of a task.
   *
   * @param file file name in the task folder, e.g. {@code train.csv}; {@code .gz} is also accepted
   *     in local folders
   * @param rows number of records (official figure), null when not known
   * @param sha256 sha256 of the uncompressed file, null when not known
   * @param archivePath the path of this file inside the benchmark's download archive
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Split(String file, Long rows, String sha256, String archivePath, String url) {}

  /** The task called {@code name} in {@code benchmark}, if the catalog has it. */
  public Optional<Task> task(String benchmark, String name) {
    return tasks.stream()
        .filter(t -> t.benchmark().equals(benchmark) && t.name().equals(name))
        .findFirst();
  }

  public List<Task> tasksOf(String benchmark) {
    return tasks.stream().filter(t -> t.benchmark().equals(benchmark)).toList();
  }

  public static Catalog read(InputStream json) {
    try {
      return new ObjectMapper()
          .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
          .readValue(json, Catalog.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse the dataset catalog: " + e.getMessage(), e);
    }
  }
}
