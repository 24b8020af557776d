package io.dnalab.tokenize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the {@code vocab.txt} tokenizers of transformers ({@code EsmTokenizer}, {@code
 * BertTokenizer}) share: the vocabulary file (one token per line, id = line number), special
 * tokens from the class's defaults overridden by {@code tokenizer_config.json} then {@code
 * special_tokens_map.json}, and the equivalent Hugging Face {@code tokenizer.json}, which dnalab's
 * {@link HfTokenizerJson} turns into a {@link KmerTokenizer}.
 */
final class VocabTxt {
  private VocabTxt() {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Lines of vocab.txt, stripped, as transformers' {@code load_vocab_file}; token to id. */
  static Map<String, Integer> read(Path vocabFile, String whatShipsIt) {
    List<String> tokens;
    try {
      tokens = Files.readString(vocabFile, StandardCharsets.UTF_8).lines().map(String::strip).toList();
    } catch (NoSuchFileException e) {
      throw new TokenizerFileException(vocabFile + ": no such file; " + whatShipsIt + " ships its vocab.txt", e);
    } catch (IOException e) {
      throw new TokenizerFileException(vocabFile + ": cannot read: " + e.getMessage(), e);
    }
    Map<String, Integer> ids = new LinkedHashMap<>();
    for (int i = 0; i < tokens.size(); i++) {
      String token = tokens.get(i);
      if (token.isEmpty()) {
        throw new TokenizerFileException(vocabFile + ":" + (i + 1) + ": empty token");
      }
      Integer previous = ids.putIfAbsent(token, i);
      if (previous != null) {
        throw new TokenizerFileException(vocabFile + ":" + (i + 1) + ": token " + token + " repeats line " + (previous + 1));
      }
    }
    return ids;
  }

  /** The k of the vocabulary's k-mers: every ACGT token longer than one letter has it, and all 4^k are there. */
  static int kmerLength(Map<String, Integer> ids, Path vocabFile) {
    int k = -1;
    int count = 0;
    for (Map.Entry<String, Integer> e : ids.entrySet()) {
      String token = e.getKey();
      if (token.length() < 2 || !token.chars().allMatch(c -> c == 'A' || c == 'C' || c == 'G' || c == 'T')) {
        continue;
      }
      if (k >= 0 && token.length() != k) {
        throw new TokenizerFileException(vocabFile + ":" + (e.getValue() + 1) + ": k-mer " + token + " has length "
            + token.length() + ", the k-mers before it " + k);
      }
      k = token.length();
      count++;
    }
    if (k < 0) {
      throw new TokenizerFileException(vocabFile + ": no k-mers (tokens of A, C, G, T longer than one letter)");
    }
    if (k > KmerTokenizer.MAX_K || count != 1 << (2 * k)) {
      throw new TokenizerFileException(vocabFile + ": " + count + " k-mers of length " + k + "; a k-mer vocabulary holds all "
          + (k > KmerTokenizer.MAX_K ? "4^" + k : String.valueOf(1 << (2 * k))));
    }
    return k;
  }

  /**
   * The special tokens: {@code defaults} (the tokenizer class's), then {@code tokenizer_config.json},
   * then {@code special_tokens_map.json}; JSON null removes one. Each one set must be in the vocabulary.
   */
  static Map<String, String> specialTokens(Path folder, Map<String, String> defaults, Map<String, Integer> ids) {
    Map<String, String> specials = new LinkedHashMap<>(defaults);
    for (String name : List.of("tokenizer_config.json", "special_tokens_map.json")) {
      Path file = folder.resolve(name);
      if (!Files.isRegularFile(file)) {
        continue;
      }
      JsonNode root = readJson(file);
      for (String key : List.copyOf(specials.keySet())) {
        if (root == null || !root.has(key)) {
          continue;
        }
        JsonNode value = root.get(key);
        // A token is a string or an AddedToken object {"content": "<cls>", ...}.
        JsonNode content = value.isObject() ? value.get("content") : value;
        if (content != null && !content.isNull() && !content.isTextual()) {
          throw new TokenizerFileException(file + ": " + key + " = " + value + ": expected a token string or null");
        }
        specials.put(key, content == null || content.isNull() ? null : content.asText());
      }
    }
    for (Map.Entry<String, String> s : specials.entrySet()) {
      if (s.getValue() != null && !ids.containsKey(s.getValue())) {
        throw new TokenizerFileException(folder.resolve("vocab.txt") + ": the " + s.getKey() + " " + s.getValue()
            + " of the tokenizer files is not in the vocabulary");
      }
    }
    return specials;
  }

  /** A field of {@code tokenizer_config.json}, or null when the file or the field is absent. */
  static JsonNode tokenizerConfig(Path folder, String field) {
    Path file = folder.resolve("tokenizer_config.json");
    if (!Files.isRegularFile(file)) {
      return null;
    }
    JsonNode root = readJson(file);
    return root == null ? null : root.get(field);
  }

  private static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(Files.readString(file));
    } catch (JsonProcessingException e) {
      throw new TokenizerFileException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new TokenizerFileException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * A Hugging Face {@code tokenizer.json} with the same ids: WordLevel over the vocabulary, the
   * given pre-tokenizer, and a {@code prefix $A suffix} template (null tokens left out).
   */
  static String tokenizerJson(Map<String, Integer> ids, String unkToken, ObjectNode preTokenizer, String prefix, String suffix) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("version", "1.0");
    root.putArray("added_tokens");
    root.putNull("normalizer");
    root.set("pre_tokenizer", preTokenizer);
    ObjectNode post = root.putObject("post_processor");
    post.put("type", "TemplateProcessing");
    ArrayNode single = post.putArray("single");
    ObjectNode specialIds = post.putObject("special_tokens");
    if (prefix != null) {
      addSpecial(single, specialIds, prefix, ids);
    }
    single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    if (suffix != null) {
      addSpecial(single, specialIds, suffix, ids);
    }
    post.putArray("pair");
    ObjectNode model = root.putObject("model");
    model.put("type", "WordLevel");
    ObjectNode vocab = model.putObject("vocab");
    ids.forEach(vocab::put);
    model.put("unk_token", unkToken);
    return root.toString();
  }

  private static void addSpecial(ArrayNode single, ObjectNode specialIds, String token, Map<String, Integer> ids) {
    single.addObject().putObject("SpecialToken").put("id", token).put("type_id", 0);
    ObjectNode entry = specialIds.putObject(token);
    entry.put("id", token);
    entry.putArray("ids").add(ids.get(token));
    entry.putArray("tokens").add(token);
  }
}
