package io.dnalab.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A checkpoint's {@code config.json}, read into the record of its family. Every field that shapes
 * the network (sizes, layer counts, positions, activation, normalisation order) is read from the
 * file and a missing one is an error naming the file and the field; only training-time settings
 * that {@code transformers}' own config class defaults (dropout rates, initializer range) take
 * that class's default when absent.
 *
 * <p>Family, from the file itself: {@code model_type "esm"} is the Nucleotide Transformer
 * (transformers' {@code EsmForMaskedLM}); {@code model_type "bert"} with an {@code auto_map} into
 * {@code bert_layers} or an {@code alibi_starting_size} field is DNABERT-2's MosaicBERT layout
 * (remote code), otherwise it is a standard {@code BertForMaskedLM} (DNABERT).
 */
public sealed interface CheckpointConfig {

  /** Families of public DNA checkpoints. */
  enum Family { DNABERT2_MOSAIC_BERT, DNABERT_BERT, NUCLEOTIDE_TRANSFORMER_ESM }

  Family family();

  int vocabSize();

  int hiddenSize();

  int layers();

  int heads();

  int intermediateSize();

  double layerNormEps();

  /**
   * DNABERT-2 (MosaicBERT, {@code bert_layers.py}): ALiBi attention (no position embeddings; the
   * bias table is built for {@code alibiStartingSize} positions and grown on demand), fused {@code
   * Wqkv}, GEGLU feed-forward ({@code gated_layers} of width 2 × intermediate, no bias), post-LN.
   *
   * @param attentionDropout MosaicBERT's config class defaults it to 0.0 when absent
   */
  record MosaicBert(int vocabSize, int hiddenSize, int layers, int heads, int intermediateSize,
      double layerNormEps, int alibiStartingSize, int typeVocabSize, String hiddenAct,
      double hiddenDropout, double attentionDropout) implements CheckpointConfig {
    @Override
    public Family family() {
      return Family.DNABERT2_MOSAIC_BERT;
    }
  }

  /**
   * DNABERT (transformers' {@code BertForMaskedLM}): learned absolute positions, token types,
   * feed-forward with biases and {@code hiddenAct}, post-LN.
   */
  record Bert(int vocabSize, int hiddenSize, int layers, int heads, int intermediateSize,
      double layerNormEps, int maxPositionEmbeddings, int typeVocabSize, String hiddenAct, int padTokenId,
      String positionEmbeddingType, double hiddenDropout, double attentionDropout) implements CheckpointConfig {
    @Override
    public Family family() {
      return Family.DNABERT_BERT;
    }
  }

  /**
   * Nucleotide Transformer (transformers' {@code EsmForMaskedLM}): pre-LN layers, a final
   * LayerNorm, positions {@code "absolute"} (v1, learned, offset by the padding id) or {@code
   * "rotary"}; {@code addBiasFnn} false is NT v2's feed-forward without biases (InstaDeep's remote
   * code; absent in v1 files, where it is true).
   */
  record Esm(int vocabSize, int hiddenSize, int layers, int heads, int intermediateSize,
      double layerNormEps, int maxPositionEmbeddings, String positionEmbeddingType, int padTokenId,
      int maskTokenId, boolean embLayerNormBefore, boolean tokenDropout, boolean addBiasFnn,
      double hiddenDropout, double attentionDropout) implements CheckpointConfig {
    @Override
    public Family family() {
      return Family.NUCLEOTIDE_TRANSFORMER_ESM;
    }
  }

  /** Reads {@code config.json} (or the file given). */
  static CheckpointConfig read(Path configJson) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readString(configJson));
    } catch (NoSuchFileException e) {
      throw new CheckpointFileException(configJson + ": no such file; a checkpoint folder needs its config.json", e);
    } catch (JsonProcessingException e) {
      throw new CheckpointFileException(configJson + ": not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new CheckpointFileException(configJson + ": cannot read: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new CheckpointFileException(configJson + ": expected a JSON object");
    }
    return new ConfigReader(configJson, root).read();
  }
}
