package io.dnalab.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/** Field-by-field reading of {@code config.json} for {@link CheckpointConfig#read}. */
final class ConfigReader {
  private final Path file;
  private final JsonNode root;
  private String layout = "";

  ConfigReader(Path file, JsonNode root) {
    this.file = file;
    this.root = root;
  }

  CheckpointConfig read() {
    String modelType = text("model_type");
    CheckpointConfig config = switch (modelType) {
      case "esm" -> esm();
      case "bert" -> isMosaicBert() ? mosaicBert() : bert();
      default -> throw new CheckpointFileException(file + ": model_type = \"" + modelType
          + "\": dnalab reads \"bert\" (DNABERT, DNABERT-2) and \"esm\" (Nucleotide Transformer)");
    };
    if (config.hiddenSize() % config.heads() != 0) {
      throw new CheckpointFileException(file + ": hidden_size = " + config.hiddenSize()
          + " is not a multiple of num_attention_heads = " + config.heads());
    }
    return config;
  }

  /** DNABERT-2 ships its model as remote code: auto_map points into bert_layers.py. */
  private boolean isMosaicBert() {
    return root.has("alibi_starting_size") || root.path("auto_map").toString().contains("bert_layers");
  }

  private CheckpointConfig.MosaicBert mosaicBert() {
    layout = " (DNABERT-2 MosaicBERT layout)";
    return new CheckpointConfig.MosaicBert(
        positive("vocab_size"), positive("hidden_size"), positive("num_hidden_layers"),
        positive("num_attention_heads"), positive("intermediate_size"), number("layer_norm_eps"),
        optionalInt("alibi_starting_size", 512), positive("type_vocab_size"), activation(),
        optionalNumber("hidden_dropout_prob", 0.1), optionalNumber("attention_probs_dropout_prob", 0.0));
  }

  private CheckpointConfig.Bert bert() {
    layout = " (BertForMaskedLM layout)";
    String positions = root.has("position_embedding_type") ? text("position_embedding_type") : "absolute";
    if (!positions.equals("absolute")) {
      throw new CheckpointFileException(file + ": position_embedding_type = \"" + positions + "\"" + layout
          + ": dnalab reads BERT checkpoints with absolute positions");
    }
    return new CheckpointConfig.Bert(
        positive("vocab_size"), positive("hidden_size"), positive("num_hidden_layers"),
        positive("num_attention_heads"), positive("intermediate_size"), number("layer_norm_eps"),
        positive("max_position_embeddings"), positive("type_vocab_size"), activation(),
        optionalInt("pad_token_id", 0), positions,
        optionalNumber("hidden_dropout_prob", 0.1), optionalNumber("attention_probs_dropout_prob", 0.1));
  }

  private CheckpointConfig.Esm esm() {
    layout = " (EsmForMaskedLM layout)";
    if (root.path("is_folding_model").asBoolean(false)) {
      throw new CheckpointFileException(file + ": is_folding_model = true: an ESMFold checkpoint, not a language model");
    }
    String positions = text("position_embedding_type");
    if (!positions.equals("absolute") && !positions.equals("rotary")) {
      throw new CheckpointFileException(file + ": position_embedding_type = \"" + positions + "\"" + layout
          + ": expected \"absolute\" (NT v1) or \"rotary\" (NT v2)");
    }
    return new CheckpointConfig.Esm(
        positive("vocab_size"), positive("hidden_size"), positive("num_hidden_layers"),
        positive("num_attention_heads"), positive("intermediate_size"), number("layer_norm_eps"),
        positive("max_position_embeddings"), positions, integer("pad_token_id"), integer("mask_token_id"),
        bool("emb_layer_norm_before"), bool("token_dropout"), optionalBool("add_bias_fnn", true),
        optionalNumber("hidden_dropout_prob", 0.1), optionalNumber("attention_probs_dropout_prob", 0.1));
  }

  private String activation() {
    String act = text("hidden_act");
    if (!act.equals("gelu")) {
      throw new CheckpointFileException(file + ": hidden_act = \"" + act + "\"" + layout
          + ": dnalab implements \"gelu\" (exact, erf), the activation of every published DNA BERT");
    }
    return act;
  }

  // ---------------------------------------------------------------- fields

  private JsonNode required(String field) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      throw new CheckpointFileException(file + ": missing field \"" + field + "\"" + layout);
    }
    return node;
  }

  private CheckpointFileException wrongType(String field, JsonNode value, String expected) {
    return new CheckpointFileException(file + ": " + field + " = " + value + layout + ": expected " + expected);
  }

  private String text(String field) {
    JsonNode node = required(field);
    if (!node.isTextual()) {
      throw wrongType(field, node, "a string");
    }
    return node.asText();
  }

  private int integer(String field) {
    JsonNode node = required(field);
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      throw wrongType(field, node, "an integer");
    }
    return node.asInt();
  }

  private int positive(String field) {
    int value = integer(field);
    if (value <= 0) {
      throw wrongType(field, root.get(field), "a positive integer");
    }
    return value;
  }

  private double number(String field) {
    JsonNode node = required(field);
    if (!node.isNumber()) {
      throw wrongType(field, node, "a number");
    }
    return node.asDouble();
  }

  private boolean bool(String field) {
    JsonNode node = required(field);
    if (!node.isBoolean()) {
      throw wrongType(field, node, "true or false");
    }
    return node.asBoolean();
  }

  private int optionalInt(String field, int fallback) {
    return root.hasNonNull(field) ? integer(field) : fallback;
  }

  private double optionalNumber(String field, double fallback) {
    return root.hasNonNull(field) ? number(field) : fallback;
  }

  private boolean optionalBool(String field, boolean fallback) {
    return root.hasNonNull(field) ? bool(field) : fallback;
  }
}
