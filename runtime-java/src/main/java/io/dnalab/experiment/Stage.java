package io.dnalab.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dnalab.spec.ExperimentSpec;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One unit of work of a {@link Plan}: train a tokenizer, pretrain an encoder, or fine-tune and
 * evaluate one cell with one seed.
 *
 * @param key sha256 of {@link #specJson}: the stage's normalized spec and its inputs' keys and
 *     data checksums; the artifact's name, or the result row's primary key
 * @param inputs keys of the stages whose outputs this one reads
 * @param done whether its artifact (tokenizer, pretraining) or result row (fine-tuning) exists
 * @param estimateSeconds expected wall time when it runs (NaN when there is nothing to go on)
 * @param seed the fine-tuning seed (0 for other kinds)
 * @param specJson the canonical JSON the key hashes
 * @param identity sha256 of the same stage without code versions (what a dnalab 0.1 key hashed):
 *     outputs of one stage made by different code share it
 * @param codeVersions the versions of the code the stage runs ({@link CodeVersions}), in its key
 * @param stale null, or why an output found for this stage's identity was made by other code and
 *     is not reused (e.g. {@code trainer 1 → 2}); a stale stage is not done and runs again
 */
public record Stage(String key, Kind kind, String label, ExperimentSpec.Cell cell, long seed,
    List<String> inputs, boolean done, double estimateSeconds, String specJson, String identity,
    Map<String, Integer> codeVersions, String stale) {

  public Stage {
    inputs = List.copyOf(inputs);
    codeVersions = Collections.unmodifiableMap(new TreeMap<>(codeVersions));
  }

  /** A stage keyed without code versions (its identity is its key), not stale. */
  public Stage(String key, Kind kind, String label, ExperimentSpec.Cell cell, long seed,
      List<String> inputs, boolean done, double estimateSeconds, String specJson) {
    this(key, kind, label, cell, seed, inputs, done, estimateSeconds, specJson, key, Map.of(),
        null);
  }

  /** Whether an output of older code was found for it (it runs again). */
  public boolean isStale() {
    return stale != null;
  }

  /** {@code done}, {@code stale} (runs again) or {@code todo}. */
  public String status() {
    return done ? "done" : isStale() ? "stale" : "todo";
  }

  /**
   * The content hash of the public checkpoint this fine-tuning starts from, as its key holds it
   * ({@code "pretrain": {"checkpoint": HASH}}, {@link Planner}); null for any other stage, or a
   * stage whose spec JSON is not known.
   */
  public String checkpointHash() {
    if (kind != Kind.FINETUNE || specJson == null) {
      return null;
    }
    try {
      JsonNode hash = SPEC_JSON.readTree(specJson).path("pretrain").path("checkpoint");
      return hash.isTextual() ? hash.asText() : null;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stage " + label + ": its spec JSON does not parse: "
          + e.getOriginalMessage(), e);
    }
  }

  private static final ObjectMapper SPEC_JSON = new ObjectMapper();

  /** The kinds in the order a plan runs them. */
  public enum Kind {
    TOKENIZER("tokenizer training", "tokenizer"),
    PRETRAIN("pretraining", "pretrain"),
    FINETUNE("fine-tuning + evaluation", "finetune");

    private final String title;
    private final String artifactKind;

    Kind(String title, String artifactKind) {
      this.title = title;
      this.artifactKind = artifactKind;
    }

    /** For people: {@code fine-tuning + evaluation}. */
    public String title() {
      return title;
    }

    /** The {@link ArtifactStore} kind of its output. */
    public String artifactKind() {
      return artifactKind;
    }
  }

  /** The first 12 hex digits of the key, enough to tell stages apart in logs. */
  public String shortKey() {
    return key.substring(0, 12);
  }
}
