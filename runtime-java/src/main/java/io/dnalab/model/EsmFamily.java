package io.dnalab.model;

import ai.djl.nn.Block;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.Recipe;
import io.dnalab.spec.Recipes;

/**
 * The ESM encoder's registry entry (the Nucleotide Transformer v1's architecture): {@link
 * EsmEncoder} under an {@link EncoderClassifier} pooled as the spec says, with a linear output
 * layer; the language model ties its decoder to the word embedding, as {@code EsmForMaskedLM}.
 *
 * <p>Code versions: 1, the first; 2, pooled at CLS the classifier has ESM's dense + tanh head
 * ({@link #classifier}), where version 1 had a linear layer only.
 */
final class EsmFamily implements ModelFamily<ModelSpec.Esm> {
  @Override
  public Class<ModelSpec.Esm> specType() {
    return ModelSpec.Esm.class;
  }

  /**
   * DNABERT-2's GUE recipe, full fine-tuning. DNABERT-2's repository fine-tunes the Nucleotide
   * Transformer on GUE with LoRA ({@code finetune/scripts/run_nt.sh}: lr 1e-4, batch 8, LoRA on
   * query, key, value and dense), which dnalab does not implement; until it does, an NT cell
   * trains every weight by DNABERT-2's recipe, and the table names that recipe.
   */
  @Override
  public Recipe defaultRecipe() {
    return Recipes.dnabert2Gue();
  }

  @Override
  public int codeVersion() {
    return 2;
  }

  /**
   * Pooled at {@code <cls>} (CLS), the head is {@code transformers}' {@code
   * EsmClassificationHead}, which {@code EsmForSequenceClassification} (what fine-tuning a
   * Nucleotide Transformer checkpoint with {@code AutoModelForSequenceClassification} builds)
   * puts on the first token: dense + tanh, dropout, out_proj, i.e. BERT's pooler head. ESM's
   * head drops out once more before its dense layer; NT v1's dropout is 0, where the two are the
   * same function. Pooled by MEAN, a linear layer.
   */
  @Override
  public SequenceClassifier classifier(ModelSpec.Esm spec, int numClasses, int maxLength,
      InputVocabulary vocabulary) {
    return new EncoderClassifier(new EsmEncoder(spec, vocabulary), numClasses, spec.pooling(),
        spec.pooling() == ModelSpec.Pooling.CLS ? EncoderClassifier.Head.bertPooler(spec.dropout())
            : EncoderClassifier.Head.LINEAR);
  }

  @Override
  public TokenEncoder encoder(ModelSpec.Esm spec, InputVocabulary vocabulary) {
    return new EsmEncoder(spec, vocabulary);
  }

  @Override
  public LanguageModel languageModel(ModelSpec.Esm spec, InputVocabulary vocabulary) {
    return new LanguageModel(encoder(spec, vocabulary), true);
  }

  /** As {@link StandardBertFamily#forwardFlopsPerToken}: 8H² + 4HI + 4LH per layer. */
  @Override
  public double forwardFlopsPerToken(ModelSpec.Esm spec, Block model, int length) {
    double h = spec.hidden();
    double i = spec.intermediate();
    return spec.layers() * (8 * h * h + 4 * h * i + 4.0 * length * h);
  }

  @Override
  public double approximateParameters(ModelSpec.Esm spec) {
    return (double) spec.layers() * (4.0 * spec.hidden() * spec.hidden()
        + 2.0 * spec.hidden() * spec.intermediate());
  }
}
