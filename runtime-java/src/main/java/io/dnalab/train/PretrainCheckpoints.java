package io.dnalab.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dnalab.model.TokenEncoder;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.PretrainSpec;
import io.dnalab.spec.SpecJson;
import io.dnalab.spec.TokenizerSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Pretrained encoders stored by the hash of everything that determines them, so an experiment
 * that asks again for the same pretraining reuses it.
 *
 * <pre>
 * key  = sha256( canonical JSON of {tokenizer spec, sha256 of the trained tokenizer.json,
 *                model spec, pretrain spec (objective, corpus, steps, batch, window, lr, seed, …),
 *                sha256 of each corpus genome file} )
 * &lt;root&gt;/pretrain/&lt;key&gt;/encoder.params   the encoder's parameters (TokenEncoder.save)
 * &lt;root&gt;/pretrain/&lt;key&gt;/meta.json       the inputs above and the PretrainResult (curve,
 *                                       metrics, baseline, cost); written last
 * &lt;root&gt;/pretrain/&lt;key&gt;/partial.state   the {@link TrainingState} of an unfinished run
 * </pre>
 *
 * Every file is written to a temporary file in the same folder and renamed into place, so a
 * killed process leaves either the old file or the new one, never half of one. A run is finished
 * when meta.json exists.
 */
public final class PretrainCheckpoints {
  static final String ENCODER = "encoder.params";
  static final String META = "meta.json";
  static final String PARTIAL = "partial.state";
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .findAndRegisterModules();

  private final Path root;

  public PretrainCheckpoints(Path root) {
    this.root = root;
  }

  /**
   * {@code -Ddnalab.cache}, else {@code $DNALAB_CACHE}, else {@code ~/.cache/dnalab}, then
   * {@code checkpoints/} (apart from the experiment engine's {@code artifacts/}, which holds the
   * finished stages).
   */
  public static PretrainCheckpoints fromEnvironment() {
    String cache = System.getProperty("dnalab.cache");
    if (cache == null || cache.isBlank()) {
      cache = System.getenv("DNALAB_CACHE");
    }
    Path base = cache != null && !cache.isBlank() ? Path.of(cache)
        : Path.of(System.getProperty("user.home"), ".cache", "dnalab");
    return new PretrainCheckpoints(base.resolve("checkpoints"));
  }

  public Path root() {
    return root;
  }

  /** The inputs a key hashes, in canonical JSON. */
  public static String inputs(TokenizerSpec tokenizer, String tokenizerSha256, ModelSpec model,
      PretrainSpec.Pretrain pretrain, Map<String, String> genomeSha256) {
    Map<String, Object> inputs = new LinkedHashMap<>();
    inputs.put("tokenizer", tokenizer);
    inputs.put("tokenizerSha256", tokenizerSha256);
    inputs.put("model", model);
    inputs.put("pretrain", pretrain);
    inputs.put("genomeSha256", new java.util.TreeMap<>(genomeSha256));
    return SpecJson.canonical(inputs);
  }

  /** sha256 (hex) of {@link #inputs}. */
  public static String key(String canonicalInputs) {
    return SpecJson.sha256Text(canonicalInputs);
  }

  public Path folder(String key) {
    return root.resolve("pretrain").resolve(key);
  }

  public Path encoderFile(String key) {
    return folder(key).resolve(ENCODER);
  }

  public Path partialFile(String key) {
    return folder(key).resolve(PARTIAL);
  }

  /** The result of a finished run with this key, if there is one. */
  public Optional<PretrainResult> finished(String key) {
    Path meta = folder(key).resolve(META);
    if (!Files.isRegularFile(meta) || !Files.isRegularFile(encoderFile(key))) {
      return Optional.empty();
    }
    try {
      JsonNode node = JSON.readTree(meta.toFile());
      PretrainResult result = JSON.treeToValue(node.get("result"), PretrainResult.class);
      return Optional.of(new PretrainResult(result.key(), encoderFile(key), result.curve(),
          result.heldOut(), result.baseline(), result.cost(), result.reused()));
    } catch (IOException e) {
      throw new UncheckedIOException(meta + ": unreadable checkpoint metadata (" + e.getMessage()
          + "); delete the folder to pretrain again", e);
    }
  }

  /** Writes the encoder, then meta.json (atomically each), then removes the partial state. */
  void writeFinished(String key, String canonicalInputs, TokenEncoder encoder,
      PretrainResult result) throws IOException {
    Path folder = folder(key);
    Files.createDirectories(folder);
    Path temporary = Files.createTempFile(folder, ENCODER, ".tmp");
    encoder.save(temporary);
    TrainingState.moveIntoPlace(temporary, folder.resolve(ENCODER));
    ObjectNode meta = JSON.createObjectNode();
    meta.put("key", key);
    meta.set("inputs", JSON.readTree(canonicalInputs));
    meta.set("result", JSON.valueToTree(result));
    TrainingState.writeAtomically(folder.resolve(META),
        JSON.writeValueAsString(meta).getBytes(StandardCharsets.UTF_8));
    Files.deleteIfExists(folder.resolve(PARTIAL));
  }
}
