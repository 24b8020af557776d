package io.dnalab.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.dnalab.checkpoint.CheckpointConfig;
import io.dnalab.checkpoint.CheckpointFileException;
import io.dnalab.checkpoint.CheckpointWeights;
import io.dnalab.checkpoint.ModelLocator;
import io.dnalab.checkpoint.StateDict;
import io.dnalab.data.Sha256Cache;
import io.dnalab.engine.DnalabEngine;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.PretrainSpec;
import io.dnalab.spec.TokenizerSpec;
import io.dnalab.tokenize.DnabertTokenizer;
import io.dnalab.tokenize.HfTokenizerJson;
import io.dnalab.tokenize.NucleotideTransformerTokenizer;
import io.dnalab.tokenize.Tokenizer;
import io.dnalab.tokenize.Tokenizers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Loads a public checkpoint (a folder, or a hub id found in the Hugging Face cache; nothing is
 * downloaded) onto the dnalab encoder of its family, chosen by its {@code config.json}:
 *
 * <ul>
 *   <li>DNABERT-2 (MosaicBERT layout) onto {@link BertEncoder}: ALiBi, GEGLU, post-LN; tokenizer
 *       {@code tokenizer.json} (BPE, {@code [CLS] $A [SEP]});
 *   <li>DNABERT (k-mer; {@code transformers}' BERT) onto {@link StandardBertEncoder}: learned
 *       positions, token types, GELU feed-forward with biases, post-LN; tokenizer {@code
 *       vocab.txt}, overlapping k-mers between [CLS] and [SEP];
 *   <li>Nucleotide Transformer v1 ({@code transformers}' ESM) onto {@link EsmEncoder}: pre-LN,
 *       learned positions past the padding id, final LayerNorm; tokenizer {@code vocab.txt},
 *       {@code <cls>} then non-overlapping 6-mers. NT v2 (rotary, gated feed-forward without
 *       biases, InstaDeep's remote code) is refused with a message saying so.
 * </ul>
 *
 * Every tensor of the encoder must be in the checkpoint with its shape, and the checkpoint may
 * hold nothing else but the heads the encoder leaves out (BERT's pooler, masked-LM heads): a
 * mismatch is one error naming the file and every tensor at fault.
 */
public final class PretrainedCheckpoints {
  private PretrainedCheckpoints() {}

  /** Loads a folder, or a hub id from this process's Hugging Face cache. */
  public static PretrainedModel load(String folderOrHubId) {
    return load(folderOrHubId, ModelLocator.fromEnvironment());
  }

  /** Loads a folder or hub id as {@code locator} finds it. */
  public static PretrainedModel load(String folderOrHubId, ModelLocator locator) {
    ModelLocator.Location where = locator.locate(folderOrHubId);
    Path folder = where.folder();
    CheckpointConfig config = CheckpointConfig.read(folder.resolve("config.json"));
    StateDict weights = CheckpointWeights.load(folder);
    String hash = contentHash(folder);
    DnalabEngine.startDefault();
    NDManager manager = NDManager.newBaseManager();
    try {
      if (config instanceof CheckpointConfig.MosaicBert mosaic) {
        return dnabert2(mosaic, folder, weights, hash, where, manager);
      }
      if (config instanceof CheckpointConfig.Bert bert) {
        return dnabert(bert, folder, weights, hash, where, manager);
      }
      return nucleotideTransformer((CheckpointConfig.Esm) config, folder, weights, hash, where,
          manager);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** DNABERT-2: MosaicBERT's {@code bert_layers.py} names onto {@link BertEncoder}. */
  private static PretrainedModel dnabert2(CheckpointConfig.MosaicBert config, Path folder,
      StateDict weights, String hash, ModelLocator.Location where, NDManager manager) {
    ModelSpec.Bert spec = dnabert2Spec(config, folder.resolve("config.json"));
    Tokenizer tokenizer = HfTokenizerJson.load(folder.resolve("tokenizer.json"));
    BertEncoder encoder = new BertEncoder(spec, vocabulary(tokenizer, config.vocabSize()));
    String p = weights.contains("bert.embeddings.word_embeddings.weight") ? "bert." : "";
    Map<String, String> names = new LinkedHashMap<>();
    names.put("embedding", p + "embeddings.word_embeddings.weight");
    names.put("token_type_embedding", p + "embeddings.token_type_embeddings.weight");
    norm(names, child(1, "embedding_norm"), p + "embeddings.LayerNorm");
    for (int i = 0; i < config.layers(); i++) {
      String djl = child(i + 2, "layer_" + i) + "_";
      String layer = p + "encoder.layer." + i + ".";
      linear(names, djl + child(1, "qkv"), layer + "attention.self.Wqkv");
      linear(names, djl + child(2, "attention_output"), layer + "attention.output.dense");
      norm(names, djl + child(3, "attention_norm"), layer + "attention.output.LayerNorm");
      names.put(djl + child(4, "gated") + "_weight", layer + "mlp.gated_layers.weight");
      linear(names, djl + child(5, "feed_forward_output"), layer + "mlp.wo");
      norm(names, djl + child(6, "feed_forward_norm"), layer + "mlp.layernorm");
    }
    assign(encoder, names, weights, headsOutside(weights, p), manager);
    return new PretrainedModel(spec, config, tokenizer, encoder, hash, where, manager);
  }

  /** DNABERT-2's architecture as {@code config.json} states it: a post-LN {@link BertEncoder}. */
  private static ModelSpec.Bert dnabert2Spec(CheckpointConfig.MosaicBert config,
      Path configFile) {
    require(configFile, "hidden_act", config.hiddenAct(), "gelu");
    require(configFile, "type_vocab_size", config.typeVocabSize(), 2);
    requireEps(configFile, config.layerNormEps(), BertEncoder.LAYER_NORM_EPSILON);
    return new ModelSpec.Bert(config.layers(), config.hiddenSize(),
        config.heads(), config.intermediateSize(), config.hiddenDropout(),
        config.attentionDropout(), false, ModelSpec.Pooling.CLS, true);
  }

  /**
   * A checkpoint as an arm of an experiment: where it is, its architecture (from {@code
   * config.json}, the spec {@link #load} builds) and its own tokenizer file, without reading the
   * weights: DNABERT-2's {@code tokenizer.json}, or the {@code vocab.txt} of DNABERT (k-mer) and
   * the Nucleotide Transformer v1 ({@link TokenizerSpec.VocabFile}), whose ids are the rows of
   * the checkpoint's embedding. The tokenizer is read here once, so a checkpoint whose tokenizer
   * files are damaged or do not fit its {@code config.json} fails when the experiment is stated.
   *
   * @throws io.dnalab.checkpoint.ModelNotFoundException where it is not found, saying where dnalab
   *     looked and how to fetch it
   */
  public static PretrainSpec.Checkpoint arm(String folderOrHubId, ModelLocator locator) {
    ModelLocator.Location where = locator.locate(folderOrHubId);
    Path folder = where.folder();
    Path configFile = folder.resolve("config.json");
    CheckpointConfig config = CheckpointConfig.read(configFile);
    if (config instanceof CheckpointConfig.MosaicBert mosaic) {
      Path tokenizerFile = folder.resolve("tokenizer.json");
      if (!Files.isRegularFile(tokenizerFile)) {
        throw new CheckpointFileException(tokenizerFile + ": missing; a DNABERT-2 checkpoint "
            + "carries its BPE tokenizer there");
      }
      return new PretrainSpec.Checkpoint(folderOrHubId, dnabert2Spec(mosaic, configFile),
          new TokenizerSpec.FromFile(tokenizerFile), true);
    }
    TokenizerSpec.VocabFile tokenizer;
    ModelSpec spec;
    int rows;
    if (config instanceof CheckpointConfig.Bert bert) {
      tokenizer = new TokenizerSpec.VocabFile(folder.resolve("vocab.txt"),
          TokenizerSpec.VocabFile.Layout.DNABERT);
      spec = dnabertSpec(bert, configFile);
      rows = bert.vocabSize();
    } else {
      CheckpointConfig.Esm esm = (CheckpointConfig.Esm) config;
      tokenizer = new TokenizerSpec.VocabFile(folder.resolve("vocab.txt"),
          TokenizerSpec.VocabFile.Layout.NUCLEOTIDE_TRANSFORMER);
      spec = nucleotideTransformerSpec(esm, configFile,
          Tokenizers.forStage(tokenizer, null));
      rows = esm.vocabSize();
    }
    // A fine-tuning builds its embedding over the tokenizer's ids (InputVocabulary.of): the
    // checkpoint's table must have exactly those rows for its weights to load.
    int ids = InputVocabulary.of(Tokenizers.forStage(tokenizer, null)).size();
    if (ids != rows) {
      throw new CheckpointFileException(configFile + ": vocab_size = " + rows + " but "
          + tokenizer.path() + " holds " + ids + " ids; dnalab fine-tunes a checkpoint whose "
          + "embedding has one row per token of its vocab.txt");
    }
    return new PretrainSpec.Checkpoint(folderOrHubId, spec, tokenizer, true);
  }

  /** DNABERT (k-mer): {@code transformers}' {@code BertModel} names onto {@link StandardBertEncoder}. */
  private static PretrainedModel dnabert(CheckpointConfig.Bert config, Path folder,
      StateDict weights, String hash, ModelLocator.Location where, NDManager manager) {
    ModelSpec.StandardBert spec = dnabertSpec(config, folder.resolve("config.json"));
    Tokenizer tokenizer = DnabertTokenizer.load(folder);
    StandardBertEncoder encoder = new StandardBertEncoder(spec,
        vocabulary(tokenizer, config.vocabSize()));
    String p = weights.contains("bert.embeddings.word_embeddings.weight") ? "bert." : "";
    Map<String, String> names = new LinkedHashMap<>();
    names.put("word_embedding", p + "embeddings.word_embeddings.weight");
    names.put("position_embedding", p + "embeddings.position_embeddings.weight");
    names.put("token_type_embedding", p + "embeddings.token_type_embeddings.weight");
    norm(names, child(1, "embedding_norm"), p + "embeddings.LayerNorm");
    for (int i = 0; i < config.layers(); i++) {
      String djl = child(i + 2, "layer_" + i) + "_";
      String layer = p + "encoder.layer." + i + ".";
      attention(names, djl + child(1, "attention") + "_", layer);
      norm(names, djl + child(2, "attention_norm"), layer + "attention.output.LayerNorm");
      linear(names, djl + child(3, "intermediate"), layer + "intermediate.dense");
      linear(names, djl + child(4, "output"), layer + "output.dense");
      norm(names, djl + child(5, "output_norm"), layer + "output.LayerNorm");
    }
    assign(encoder, names, weights, headsOutside(weights, p), manager);
    return new PretrainedModel(spec, config, tokenizer, encoder, hash, where, manager);
  }

  /**
   * DNABERT's architecture as {@code config.json} states it: a {@link StandardBertEncoder},
   * pooled at [CLS] through BERT's pooler, as DNABERT's authors fine-tune it ({@code
   * BertForSequenceClassification}, {@link StandardBertFamily}'s head).
   */
  private static ModelSpec.StandardBert dnabertSpec(CheckpointConfig.Bert config,
      Path configFile) {
    require(configFile, "hidden_act", config.hiddenAct(), "gelu");
    require(configFile, "position_embedding_type", config.positionEmbeddingType(), "absolute");
    requireEps(configFile, config.layerNormEps(), StandardBertEncoder.LAYER_NORM_EPSILON);
    return new ModelSpec.StandardBert(config.layers(), config.hiddenSize(), config.heads(),
        config.intermediateSize(), config.maxPositionEmbeddings(), config.typeVocabSize(),
        config.hiddenDropout(), config.attentionDropout(), ModelSpec.Pooling.CLS);
  }

  /**
   * The Nucleotide Transformer v1's architecture as {@code config.json} states it: an {@link
   * EsmEncoder} pooled at {@code <cls>} through a dense + tanh head. That is how InstaDeep's
   * {@code transformers} checkpoints are fine-tuned: {@code AutoModelForSequenceClassification}
   * builds {@code EsmForSequenceClassification}, whose {@code EsmClassificationHead} takes
   * {@code features[:, 0, :]} ("take <s> token (equiv. to [CLS])"), then dense, tanh, out_proj
   * ({@code transformers/models/esm/modeling_esm.py}); the nucleotide-transformer repository's
   * README points to the Hugging Face notebook that fine-tunes it so. NT v2 (rotary positions,
   * gated feed-forward without biases) is refused.
   */
  private static ModelSpec.Esm nucleotideTransformerSpec(CheckpointConfig.Esm config,
      Path configFile, Tokenizer tokenizer) {
    if (!config.positionEmbeddingType().equals("absolute") || !config.addBiasFnn()) {
      throw new CheckpointFileException(configFile + ": position_embedding_type = "
          + config.positionEmbeddingType() + ", add_bias_fnn = " + config.addBiasFnn()
          + ": a Nucleotide Transformer v2 layout (rotary positions, gated feed-forward without "
          + "biases); dnalab loads v1 (absolute positions, feed-forward with biases) only");
    }
    require(configFile, "emb_layer_norm_before", config.embLayerNormBefore(), false);
    require(configFile, "token_dropout", config.tokenDropout(), false);
    require(configFile, "pad_token_id (the tokenizer's pad id is "
        + tokenizer.specialTokens().pad() + ")", config.padTokenId(),
        tokenizer.specialTokens().pad());
    return new ModelSpec.Esm(config.layers(), config.hiddenSize(), config.heads(),
        config.intermediateSize(), config.maxPositionEmbeddings(), config.layerNormEps(),
        config.hiddenDropout(), config.attentionDropout(), ModelSpec.Pooling.CLS);
  }

  /**
   * Nucleotide Transformer v1: {@code transformers}' {@code EsmModel} names onto {@link
   * EsmEncoder}. NT v2 (rotary positions, gated feed-forward without biases) is refused.
   */
  private static PretrainedModel nucleotideTransformer(CheckpointConfig.Esm config, Path folder,
      StateDict weights, String hash, ModelLocator.Location where, NDManager manager) {
    Tokenizer tokenizer = NucleotideTransformerTokenizer.load(folder);
    ModelSpec.Esm spec = nucleotideTransformerSpec(config, folder.resolve("config.json"),
        tokenizer);
    EsmEncoder encoder = new EsmEncoder(spec, vocabulary(tokenizer, config.vocabSize()));
    String p = weights.contains("esm.embeddings.word_embeddings.weight") ? "esm." : "";
    Map<String, String> names = new LinkedHashMap<>();
    names.put("word_embedding", p + "embeddings.word_embeddings.weight");
    names.put("position_embedding", p + "embeddings.position_embeddings.weight");
    for (int i = 0; i < config.layers(); i++) {
      String djl = child(i + 1, "layer_" + i) + "_";
      String layer = p + "encoder.layer." + i + ".";
      norm(names, djl + child(1, "attention_norm"), layer + "attention.LayerNorm");
      attention(names, djl + child(2, "attention") + "_", layer);
      norm(names, djl + child(3, "feed_forward_norm"), layer + "LayerNorm");
      linear(names, djl + child(4, "intermediate"), layer + "intermediate.dense");
      linear(names, djl + child(5, "output"), layer + "output.dense");
    }
    norm(names, child(config.layers() + 1, "final_norm"), p + "encoder.emb_layer_norm_after");
    assign(encoder, names, weights, headsOutside(weights, p), manager);
    return new PretrainedModel(spec, config, tokenizer, encoder, hash, where, manager);
  }

  /** {@link StandardBertEncoder.Attention}'s four Linears: BERT's and ESM's attention names. */
  private static void attention(Map<String, String> names, String djl, String layer) {
    linear(names, djl + child(1, "query"), layer + "attention.self.query");
    linear(names, djl + child(2, "key"), layer + "attention.self.key");
    linear(names, djl + child(3, "value"), layer + "attention.self.value");
    linear(names, djl + child(4, "output"), layer + "attention.output.dense");
  }

  /**
   * The checkpoint's ids as the encoder's input vocabulary, with the embedding rows of {@code
   * config.json} ({@code vocab_size} may exceed the tokenizer's ids).
   */
  static InputVocabulary vocabulary(Tokenizer tokenizer, int rows) {
    InputVocabulary ofTokenizer = InputVocabulary.of(tokenizer);
    if (ofTokenizer.size() > rows) {
      throw new CheckpointFileException("the tokenizer has ids up to " + (ofTokenizer.size() - 1)
          + " but config.json's vocab_size is " + rows);
    }
    int[] complements = new int[rows];
    int[] known = ofTokenizer.complementIds();
    for (int id = 0; id < rows; id++) {
      complements[id] = id < known.length ? known[id] : id;
    }
    return new InputVocabulary(rows, ofTokenizer.padId(), ofTokenizer.maskId(), false,
        complements);
  }

  /**
   * Names the checkpoint may hold beside the encoder: heads it does not use (masked-LM, BERT's
   * pooler, classifiers) and the {@code position_ids} buffer some exports keep.
   */
  static Set<String> headsOutside(StateDict weights, String prefix) {
    Set<String> ignored = new LinkedHashSet<>();
    for (String name : weights.names()) {
      if (name.startsWith("cls.") || name.startsWith("lm_head.")
          || name.startsWith("classifier.") || name.startsWith(prefix + "pooler.")
          || name.endsWith("position_ids") || name.startsWith(prefix + "contact_head.")) {
        ignored.add(name);
      }
    }
    return ignored;
  }

  /** DJL's name of a child block: its 1-based position, two digits, then its name. */
  static String child(int position, String name) {
    return String.format(Locale.ROOT, "%02d%s", position, name);
  }

  static void linear(Map<String, String> names, String djl, String checkpoint) {
    names.put(djl + "_weight", checkpoint + ".weight");
    names.put(djl + "_bias", checkpoint + ".bias");
  }

  static void norm(Map<String, String> names, String djl, String checkpoint) {
    names.put(djl + "_gamma", checkpoint + ".weight");
    names.put(djl + "_beta", checkpoint + ".bias");
  }

  /**
   * Initialises {@code encoder} and overwrites every parameter with its checkpoint tensor.
   * DJL's Linear weight is (out, in) as torch's, so tensors copy without transposing.
   *
   * @param names DJL parameter name -> checkpoint tensor name, for every parameter
   */
  static void assign(TokenEncoder encoder, Map<String, String> names, StateDict weights,
      Set<String> ignored, NDManager manager) {
    encoder.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
    Map<String, long[]> expected = new LinkedHashMap<>();
    for (Pair<String, Parameter> pair : encoder.getParameters()) {
      String name = names.get(pair.getKey());
      if (name == null) {
        throw new IllegalStateException(encoder.getClass().getSimpleName() + " parameter "
            + pair.getKey() + " has no checkpoint tensor in the layout");
      }
      expected.put(name, pair.getValue().getArray().getShape().getShape());
    }
    if (expected.size() != names.size()) {
      throw new IllegalStateException("the layout names " + names.size() + " tensors but "
          + encoder.getClass().getSimpleName() + " has " + expected.size() + " parameters");
    }
    weights.requireExactly(expected, ignored);
    for (Pair<String, Parameter> pair : encoder.getParameters()) {
      pair.getValue().getArray().set(weights.tensor(names.get(pair.getKey())).floatValues());
    }
  }

  static void require(Path configFile, String field, Object actual, Object supported) {
    if (!supported.equals(actual)) {
      throw new CheckpointFileException(configFile + ": " + field + " = " + actual
          + "; dnalab's encoder for this family supports only " + supported);
    }
  }

  static void requireEps(Path configFile, double actual, float supported) {
    if ((float) actual != supported) {
      throw new CheckpointFileException(configFile + ": layer_norm_eps = " + actual
          + "; dnalab's encoder for this family supports only " + supported);
    }
  }

  /**
   * {@link #contentHash(Path)}, read from {@code cache} while none of the weight files changed
   * (each one's path, size and modification time): planning an experiment with a 500M
   * checkpoint again reads none of its weights; a file copied over, touched or rewritten is
   * hashed anew.
   */
  public static String contentHash(Path folder, Sha256Cache cache) {
    return cache.digestOf("checkpoint", CheckpointWeights.files(folder),
        () -> contentHash(folder));
  }

  /** See {@link PretrainedModel#contentHash()}: the weight files of the checkpoint in {@code folder}. */
  public static String contentHash(Path folder) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    byte[] buffer = new byte[1 << 16];
    for (Path file : CheckpointWeights.files(folder)) {
      sha256.update(file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
      sha256.update((byte) 0);
      try (InputStream in = Files.newInputStream(file)) {
        for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
          sha256.update(buffer, 0, n);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
      }
    }
    return "sha256:" + HexFormat.of().formatHex(sha256.digest());
  }
}
