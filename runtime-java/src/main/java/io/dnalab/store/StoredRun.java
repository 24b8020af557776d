package io.dnalab.store;

import io.dnalab.result.Provenance;
import io.dnalab.result.RunResult;
import java.util.Map;
import java.util.TreeMap;

/**
 * One row of the {@link ResultStore}: a finished fine-tuning run.
 *
 * @param key the content hash of the run's stage (spec, inputs, seed, code versions), the table's
 *     primary key
 * @param identity the content hash of the same stage without any code version: the runs of one
 *     cell and seed made by different code share it (a row written by dnalab 0.1, whose keys had
 *     no versions, has its key here)
 * @param codeVersions component (e.g. {@code trainer}, {@code model:convnova}) to the version of
 *     the code that made the run; empty for a row written before code versions (dnalab 0.1)
 * @param specJson canonical JSON of what the key hashes: task and its data checksums, tokenizer,
 *     model, pretraining, fine-tuning budget, seed, code versions
 */
public record StoredRun(String key, String identity, Map<String, Integer> codeVersions,
    RunResult result, String specJson, Provenance provenance) {

  public StoredRun {
    codeVersions = java.util.Collections.unmodifiableMap(new TreeMap<>(codeVersions));
  }

  /** A run keyed without code versions (its identity is its key). */
  public StoredRun(String key, RunResult result, String specJson, Provenance provenance) {
    this(key, key, Map.of(), result, specJson, provenance);
  }

  /** Tokens seen in fine-tuning, null when not counted. */
  public Long tokensSeen() {
    return result.tokensSeen() < 0 ? null : result.tokensSeen();
  }

  /** The FLOPs estimate of the run, null when not estimated. */
  public Double flops() {
    return Double.isNaN(result.flops()) ? null : result.flops();
  }
}
