package io.dnalab.store;

import io.dnalab.result.Provenance;
import io.dnalab.result.RunResult;

/**
 * One row of the {@link ResultStore}: a finished fine-tuning run.
 *
 * @param key the content hash of the run's stage (spec, inputs, seed), the table's primary key
 * @param specJson canonical JSON of what the key hashes: task and its data checksums, tokenizer,
 *     model, pretraining, fine-tuning budget, seed
 * @param tokensSeen tokens seen in pretraining and fine-tuning, null when not measured
 * @param flops a FLOPs estimate of the run, null when not measured
 */
public record StoredRun(String key, RunResult result, String specJson, Provenance provenance,
    Long tokensSeen, Double flops) {

  /** Tokens and FLOPs as the result counted them (null where it did not). */
  public StoredRun(String key, RunResult result, String specJson, Provenance provenance) {
    this(key, result, specJson, provenance, result.tokensSeen() < 0 ? null : result.tokensSeen(),
        Double.isNaN(result.flops()) ? null : result.flops());
  }
}
