package io.dnalab.experiment;

import io.dnalab.model.ModelRegistry;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.Objective;
import io.dnalab.spec.TokenizerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Versions of the code whose numerics a stage's output depends on beyond its spec: the training
 * loop, each tokenizer kind and each model family. Every stage key hashes the versions of the
 * components it runs, so a result made by older code is never reused: the planner shows it as
 * stale and runs it again.
 *
 * <p>Each version is tied to a golden-output test ({@code CodeVersionsGoldenTest}: ids of fixed
 * sequences per tokenizer kind, outputs of fixed-seed models per family, a tiny fine-tuning's
 * final metrics). A change of numerics fails that test; its message says which version to bump.
 * Bump a version when, and only when, the same spec and seed no longer give the same numbers.
 *
 * <p>Components are named {@code trainer}, {@code tokenizer:KIND} and {@code model:FAMILY}, with
 * the JSON type tags of the specs ({@code tokenizer:bpe}, {@code model:convnova}).
 */
public final class CodeVersions {
  private CodeVersions() {}

  /** Fine-tuning and pretraining loop: batching, AdamW, schedules, clipping, selection. */
  static final int TRAINER = 1;

  /**
   * Fine-tuning recipes, in fine-tuning keys only (pretraining does not fine-tune): 1 = dnalab
   * 0.1's one recipe for every family; 2 = each family fine-tunes by its published recipe
   * ({@code io.dnalab.spec.Recipes}) and the key holds the resolved recipe's every number; 3 =
   * the recipe's token cap ({@code Recipe.maxTokens}, DNABERT-2's {@code model_max_length}) cuts
   * BPE cells' sequences, which version 2 recorded but never applied. Nucleotide and k-mer cells
   * compute as at 2 (they are not cut) and run once more.
   */
  static final int FINETUNE = 3;

  /** Per tokenizer kind (a BPE version covers its trainer too). */
  /**
   * How a public checkpoint is read onto its family's encoder (model.PretrainedCheckpoints: the
   * layout's names, the config fields read). In the keys of the runs that start from a
   * checkpoint only, so no other key moves.
   */
  static final int CHECKPOINT = 1;

  static final Map<String, Integer> TOKENIZERS = Map.of(
      "nucleotide", 1,
      "kmer", 1,
      "bpe", 1,
      "file", 1,
      "vocab", 1);

  /**
   * Per pretraining objective: how its windows are built and its masks drawn. {@code spanmlm} 2:
   * span lengths from SpanBERT's renormalised truncated geometric (mean 3.80 at p 0.2, at most
   * 10), where version 1 clipped the geometric at 10 (mean 4.46). Every objective +1 (mlm 2,
   * spanmlm 3, randommask 2, nexttoken 2): pretraining windows carry the [CLS]/[SEP] of the
   * cell's fine-tuning template (BPE, k-mer and file tokenizers; single-nucleotide windows are
   * unchanged but share the objective's version).
   */
  static final Map<String, Integer> OBJECTIVES = Map.of(
      "mlm", 2,
      "spanmlm", 3,
      "randommask", 2,
      "nexttoken", 2);

  public static int trainer() {
    return TRAINER;
  }

  public static int tokenizer(TokenizerSpec tokenizer) {
    return TOKENIZERS.get(tokenizerKind(tokenizer));
  }

  /** Per model family (initialisation and forward pass): the model registry's entry says. */
  public static int model(ModelSpec model) {
    return ModelRegistry.codeVersion(model);
  }

  /** The JSON tag of a tokenizer's kind: nucleotide, kmer, bpe, file, vocab. */
  public static String tokenizerKind(TokenizerSpec tokenizer) {
    if (tokenizer instanceof TokenizerSpec.Nucleotide) {
      return "nucleotide";
    } else if (tokenizer instanceof TokenizerSpec.Kmer) {
      return "kmer";
    } else if (tokenizer instanceof TokenizerSpec.Bpe) {
      return "bpe";
    } else if (tokenizer instanceof TokenizerSpec.FromFile) {
      return "file";
    } else if (tokenizer instanceof TokenizerSpec.VocabFile) {
      return "vocab";
    }
    throw new IllegalArgumentException("no code version for tokenizer " + tokenizer);
  }

  /** The JSON tag of a model's family: convnova, cnn, unet, bert. */
  public static String modelFamily(ModelSpec model) {
    return model.family().jsonTag();
  }

  /** What a tokenizer training stage runs: {@code {tokenizer:KIND}}. */
  public static Map<String, Integer> ofTokenizer(TokenizerSpec tokenizer) {
    Map<String, Integer> versions = new TreeMap<>();
    versions.put("tokenizer:" + tokenizerKind(tokenizer), tokenizer(tokenizer));
    return versions;
  }

  /** What a pretraining or fine-tuning stage runs: its tokenizer, model family and the trainer. */
  public static Map<String, Integer> ofRun(TokenizerSpec tokenizer, ModelSpec model) {
    Map<String, Integer> versions = ofTokenizer(tokenizer);
    versions.put("model:" + modelFamily(model), model(model));
    versions.put("trainer", trainer());
    return versions;
  }

  /** What a fine-tuning stage runs: {@link #ofRun} and the fine-tuning recipes' version. */
  public static Map<String, Integer> ofFinetuning(TokenizerSpec tokenizer, ModelSpec model) {
    Map<String, Integer> versions = ofRun(tokenizer, model);
    versions.put("finetune", FINETUNE);
    return versions;
  }

  /** The JSON tag of an objective: mlm, spanmlm, randommask, nexttoken. */
  /**
   * The versions in the key of a fine-tuning that starts from a public checkpoint's weights:
   * {@link #ofFinetuning} and the checkpoint reader's ({@code checkpoint}).
   */
  public static Map<String, Integer> ofCheckpointFinetuning(TokenizerSpec tokenizer,
      ModelSpec model) {
    Map<String, Integer> versions = ofFinetuning(tokenizer, model);
    versions.put("checkpoint", CHECKPOINT);
    return versions;
  }

  public static String objectiveKind(Objective objective) {
    if (objective instanceof Objective.TokenMlm) {
      return "mlm";
    } else if (objective instanceof Objective.SpanMlm) {
      return "spanmlm";
    } else if (objective instanceof Objective.RandomMask) {
      return "randommask";
    } else if (objective instanceof Objective.NextToken) {
      return "nexttoken";
    }
    throw new IllegalArgumentException("no code version for objective " + objective);
  }

  /** What a pretraining stage runs: {@link #ofRun} and its objective's masking. */
  public static Map<String, Integer> ofPretraining(TokenizerSpec tokenizer, ModelSpec model,
      Objective objective) {
    Map<String, Integer> versions = ofRun(tokenizer, model);
    String kind = objectiveKind(objective);
    versions.put("objective:" + kind, OBJECTIVES.get(kind));
    return versions;
  }

  /** This code's version of a component named as in a stored row, or null when unknown. */
  public static Integer current(String component) {
    if (component.equals("trainer")) {
      return TRAINER;
    } else if (component.equals("finetune")) {
      return FINETUNE;
    } else if (component.equals("checkpoint")) {
      return CHECKPOINT;
    } else if (component.startsWith("tokenizer:")) {
      return TOKENIZERS.get(component.substring("tokenizer:".length()));
    } else if (component.startsWith("objective:")) {
      return OBJECTIVES.get(component.substring("objective:".length()));
    } else if (component.startsWith("model:")) {
      return ModelRegistry.codeVersion(component.substring("model:".length()));
    }
    return null;
  }

  /**
   * Why output made with {@code recorded} versions is stale for this code, e.g. {@code trainer
   * 1 → 2}; empty when it is current. An empty {@code recorded} is output of dnalab 0.1, before
   * stage keys carried code versions.
   */
  public static List<String> changes(Map<String, Integer> recorded) {
    if (recorded.isEmpty()) {
      return List.of("made by dnalab 0.1, before code versions");
    }
    List<String> changes = new ArrayList<>();
    new TreeMap<>(recorded).forEach((component, version) -> {
      Integer now = current(component);
      if (!version.equals(now)) {
        changes.add(component + " " + version + " → " + (now == null ? "none" : now));
      }
    });
    return changes;
  }
}
