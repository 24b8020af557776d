package io.dnalab.model;

import ai.djl.nn.Block;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.Recipe;
import io.dnalab.spec.Recipes;

/**
 * The standard BERT's registry entry (DNABERT's architecture): {@link StandardBertEncoder} under
 * an {@link EncoderClassifier} with BERT's classifier head (pooler, dropout, Linear), as
 * {@code transformers}' {@code BertForSequenceClassification}; the language model ties its
 * decoder to the word embedding, as {@code BertForMaskedLM}.
 *
 * <p>Code versions: 1, the first.
 */
final class StandardBertFamily implements ModelFamily<ModelSpec.StandardBert> {
  @Override
  public Class<ModelSpec.StandardBert> specType() {
    return ModelSpec.StandardBert.class;
  }

  /**
   * DNABERT-2's GUE recipe. DNABERT-2's repository fine-tunes DNABERT on GUE with
   * {@code finetune/scripts/run_dnabert1.sh}: the same optimiser, lr 3e-5, warm-up and epochs
   * per task, but batch 8 where DNABERT-2 uses 32; a {@code finetune { batchSize(8) }} gives
   * that script's batch.
   */
  @Override
  public Recipe defaultRecipe() {
    return Recipes.dnabert2Gue();
  }

  @Override
  public int codeVersion() {
    return 1;
  }

  @Override
  public SequenceClassifier classifier(ModelSpec.StandardBert spec, int numClasses,
      int maxLength, InputVocabulary vocabulary) {
    return new EncoderClassifier(new StandardBertEncoder(spec, vocabulary), numClasses,
        spec.pooling(), EncoderClassifier.Head.bertPooler(spec.dropout()));
  }

  @Override
  public TokenEncoder encoder(ModelSpec.StandardBert spec, InputVocabulary vocabulary) {
    return new StandardBertEncoder(spec, vocabulary);
  }

  @Override
  public LanguageModel languageModel(ModelSpec.StandardBert spec, InputVocabulary vocabulary) {
    return new LanguageModel(encoder(spec, vocabulary), true);
  }

  /**
   * Analytic, per token and layer, forward, H hidden, I intermediate, L tokens:
   *
   * <pre>
   * Q, K, V projections   2 · H · 3H = 6H²
   * scores q·kᵀ, a·v      2 · 2 · L · H = 4LH
   * output projection     2H²
   * feed-forward          2 · H · I · 2 = 4HI
   * total                 8H² + 4HI + 4LH
   * </pre>
   *
   * Head, embeddings, LayerNorm, softmax and GELU are left out (see {@link BertFamily}).
   */
  @Override
  public double forwardFlopsPerToken(ModelSpec.StandardBert spec, Block model, int length) {
    double h = spec.hidden();
    double i = spec.intermediate();
    return spec.layers() * (8 * h * h + 4 * h * i + 4.0 * length * h);
  }

  @Override
  public double approximateParameters(ModelSpec.StandardBert spec) {
    // attention 4·H², feed-forward 2·H·I, per layer
    return (double) spec.layers() * (4.0 * spec.hidden() * spec.hidden()
        + 2.0 * spec.hidden() * spec.intermediate());
  }
}
