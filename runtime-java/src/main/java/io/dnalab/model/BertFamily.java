package io.dnalab.model;

import ai.djl.nn.Block;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.PoolingRule;
import io.dnalab.spec.Recipe;
import io.dnalab.spec.Recipes;

/**
 * The BERT encoder's registry entry (ALiBi, GEGLU, as DNABERT-2): {@link BertEncoder} under an
 * {@link EncoderClassifier} pooled as its spec says, with DNABERT-2's classifier head (BERT's
 * pooler, dropout, Linear); the language model ties its decoder to the token embedding when the
 * spec asks ({@code tiedHead}) and has no pooler.
 *
 * <p>Code versions: 1, the first registry entry; 2, DNABERT-2's head and dropout
 * placements (pooler + dropout before the output layer, one feed-forward dropout before
 * {@code wo}, attention-probability dropout its own parameter, default 0.0).
 */
final class BertFamily implements ModelFamily<ModelSpec.Bert> {
  @Override
  public Class<ModelSpec.Bert> specType() {
    return ModelSpec.Bert.class;
  }

  /** DNABERT-2's own fine-tuning on GUE: this family is DNABERT-2's architecture. */
  @Override
  public Recipe defaultRecipe() {
    return Recipes.dnabert2Gue();
  }

  @Override
  public int codeVersion() {
    return 2;
  }

  @Override
  public SequenceClassifier classifier(ModelSpec.Bert spec, int numClasses, int maxLength,
      InputVocabulary vocabulary) {
    // DNABERT-2's classifier_dropout is unset, so the head drops out at hidden_dropout_prob
    // The planner resolves AUTO per cell (PoolingRule.resolved); a model built without a plan
    // resolves it from its ids: single-nucleotide ids carry no [CLS].
    ModelSpec.Pooling pooling = PoolingRule.resolve(spec.pooling(), !vocabulary.nucleotide(),
        false);
    return new EncoderClassifier(new BertEncoder(spec, vocabulary), numClasses, pooling,
        EncoderClassifier.Head.bertPooler(spec.dropout()));
  }

  @Override
  public TokenEncoder encoder(ModelSpec.Bert spec, InputVocabulary vocabulary) {
    return new BertEncoder(spec, vocabulary);
  }

  @Override
  public LanguageModel languageModel(ModelSpec.Bert spec, InputVocabulary vocabulary) {
    return new LanguageModel(encoder(spec, vocabulary), spec.tiedHead());
  }

  /**
   * Analytic, from the sizes ({@code model} is not read). Per token and layer, forward, with H
   * hidden, I intermediate, L tokens in the sequence:
   *
   * <pre>
   * Q, K, V projections   2 · H · 3H      = 6H²
   * attention scores q·kᵀ 2 · L · H
   * weighted sum a·v      2 · L · H
   * output projection     2 · H · H       = 2H²
   * GEGLU in (H → 2I)     2 · H · 2I      = 4HI
   * GEGLU out (I → H)     2 · I · H       = 2HI
   * total                 8H² + 6HI + 4LH = 2·(4H² + 3HI + 2LH)
   * </pre>
   *
   * The classification head, BERT's pooler and the output layer (2H² + 2HK once per sequence,
   * against at least 8H² per token and layer), is negligible and left out, as are embedding
   * lookups, LayerNorm, softmax, GELU and biases (O(H) per token, under 1% at H ≥ 128).
   */
  @Override
  public double forwardFlopsPerToken(ModelSpec.Bert spec, Block model, int length) {
    double h = spec.hidden();
    double i = spec.intermediate();
    return spec.layers() * 2.0 * (4 * h * h + 3 * h * i + 2.0 * length * h);
  }

  @Override
  public double approximateParameters(ModelSpec.Bert spec) {
    // attention 4·H², GEGLU feed-forward 3·H·I, per layer
    return (double) spec.layers() * (4.0 * spec.hidden() * spec.hidden()
        + 3.0 * spec.hidden() * spec.intermediate());
  }
}
