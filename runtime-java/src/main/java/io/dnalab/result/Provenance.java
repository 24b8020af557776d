package io.dnalab.result;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where and from what a run's numbers came: the dnalab build (git commit embedded at build time,
 * version), the libraries (DJL, PyTorch, Java), the data (sha256 of every file the run read), the
 * machine (host, OS, device) and when it ran. Stored as JSON with each run in the
 * {@code ResultStore}; together with the run's spec it is enough to replay the run.
 *
 * @param gitCommit the commit dnalab was built from, {@code unknown} for a build outside git
 * @param gitDirty whether that build had uncommitted changes
 * @param dataChecksums file label (e.g. {@code builtin/quickstart/train}) to sha256
 * @param device engine, version, device and threads of the run
 * @param taskLengths split ({@code train}, {@code dev}, {@code test}) to the lengths of the
 *     sequences the run used from it (train: the subset it trained on); empty for a run recorded
 *     before lengths were kept
 */
public record Provenance(String gitCommit, boolean gitDirty, String dnalabVersion,
    String djlVersion, String pytorchVersion, String javaVersion, String os, String host,
    String device, Map<String, String> dataChecksums, Instant startedAt, Instant finishedAt,
    Map<String, SplitLengths> taskLengths) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static volatile Build build;

  public Provenance {
    dataChecksums = java.util.Collections.unmodifiableMap(new TreeMap<>(dataChecksums));
    taskLengths = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(taskLengths));
  }

  /**
   * The lengths (bases) of one split's sequences.
   *
   * @param examples how many sequences
   * @param mean the mean length
   */
  public record SplitLengths(int examples, int min, int max, double mean) {
    /** The lengths of {@code sequences}; all zero for none. */
    public static SplitLengths of(java.util.Collection<String> sequences) {
      int min = Integer.MAX_VALUE;
      int max = 0;
      long sum = 0;
      for (String sequence : sequences) {
        min = Math.min(min, sequence.length());
        max = Math.max(max, sequence.length());
        sum += sequence.length();
      }
      int n = sequences.size();
      return n == 0 ? new SplitLengths(0, 0, 0, 0) : new SplitLengths(n, min, max,
          (double) sum / n);
    }
  }

  /** This provenance with the task's lengths per split, in the order given. */
  public Provenance withTaskLengths(Map<String, SplitLengths> lengths) {
    return new Provenance(gitCommit, gitDirty, dnalabVersion, djlVersion, pytorchVersion,
        javaVersion, os, host, device, dataChecksums, startedAt, finishedAt, lengths);
  }

  /** What the build embedded in {@code io/dnalab/build.properties}. */
  public record Build(String version, String gitCommit, boolean gitDirty, String djlVersion,
      String pytorchVersion) {}

  /** This build's properties (filled in by Maven's resource filtering at build time). */
  public static Build build() {
    Build current = build;
    if (current == null) {
      Properties properties = new Properties();
      try (InputStream in = Provenance.class.getResourceAsStream("/io/dnalab/build.properties")) {
        if (in != null) {
          properties.load(in);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read io/dnalab/build.properties", e);
      }
      current = new Build(value(properties, "version"), value(properties, "git.commit"),
          Boolean.parseBoolean(value(properties, "git.dirty")), value(properties, "djl.version"),
          value(properties, "pytorch.version"));
      build = current;
    }
    return current;
  }

  /** A run on this machine and build, now over. */
  public static Provenance of(String device, Map<String, String> dataChecksums, Instant startedAt,
      Instant finishedAt) {
    Build b = build();
    return new Provenance(b.gitCommit(), b.gitDirty(), b.version(), b.djlVersion(),
        b.pytorchVersion(), System.getProperty("java.version") + " ("
            + System.getProperty("java.vendor") + ")",
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
            + System.getProperty("os.arch"), hostName(), device, dataChecksums, startedAt,
        finishedAt, Map.of());
  }

  public String toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("gitCommit", gitCommit).put("gitDirty", gitDirty).put("dnalabVersion", dnalabVersion)
        .put("djlVersion", djlVersion).put("pytorchVersion", pytorchVersion)
        .put("javaVersion", javaVersion).put("os", os).put("host", host).put("device", device);
    ObjectNode data = node.putObject("dataChecksums");
    dataChecksums.forEach(data::put);
    node.put("startedAt", startedAt.toString()).put("finishedAt", finishedAt.toString());
    // Left out when unknown, so a run recorded before lengths were kept writes as it did.
    if (!taskLengths.isEmpty()) {
      ObjectNode lengths = node.putObject("taskLengths");
      taskLengths.forEach((split, l) -> lengths.putObject(split).put("examples", l.examples())
          .put("min", l.min()).put("max", l.max()).put("mean", l.mean()));
    }
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Provenance fromJson(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      Map<String, String> data = new LinkedHashMap<>();
      node.path("dataChecksums").fields().forEachRemaining(e -> data.put(e.getKey(),
          e.getValue().asText()));
      Map<String, SplitLengths> lengths = new LinkedHashMap<>();
      node.path("taskLengths").fields().forEachRemaining(e -> lengths.put(e.getKey(),
          new SplitLengths(e.getValue().path("examples").asInt(), e.getValue().path("min").asInt(),
              e.getValue().path("max").asInt(), e.getValue().path("mean").asDouble())));
      return new Provenance(node.path("gitCommit").asText(), node.path("gitDirty").asBoolean(),
          node.path("dnalabVersion").asText(), node.path("djlVersion").asText(),
          node.path("pytorchVersion").asText(), node.path("javaVersion").asText(),
          node.path("os").asText(), node.path("host").asText(), node.path("device").asText(),
          data, Instant.parse(node.path("startedAt").asText()),
          Instant.parse(node.path("finishedAt").asText()), lengths);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("provenance is not valid JSON: " + e.getOriginalMessage(),
          e);
    }
  }

  private static String value(Properties properties, String key) {
    String value = properties.getProperty(key);
    // An unfiltered placeholder means the build did not know (e.g. built outside git).
    return value == null || value.isBlank() || value.startsWith("${") ? "unknown" : value;
  }

  private static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
