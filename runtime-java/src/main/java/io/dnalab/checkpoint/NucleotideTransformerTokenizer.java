package io.dnalab.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dnalab.tokenize.HfTokenizerJson;
import io.dnalab.tokenize.Tokenizer;
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
 * The Nucleotide Transformer v1 tokenizer, read from a checkpoint's {@code vocab.txt} (one token
 * per line, id = line number; special tokens, the 4^k k-mers, then single letters) as
 * transformers' {@code EsmTokenizer} reads it. Encoding: {@code <cls>}, then non-overlapping
 * k-mers left to right; bases left over before an N or the end, and N itself, one letter each;
 * then {@code <eos>} only if the checkpoint's tokenizer files set an eos token (NT's set it to
 * null, so it has none).
 *
 * <p>Special tokens follow {@code EsmTokenizer}: its defaults ({@code <unk> <cls> <pad> <mask>
 * <eos>}), replaced by {@code tokenizer_config.json}, then by {@code special_tokens_map.json};
 * JSON {@code null} removes a token.
 *
 * <p>The result is dnalab's non-overlapping {@link io.dnalab.tokenize.KmerTokenizer} over the
 * checkpoint's own vocabulary and ids, so dnalab's input policy applies: lowercase is read as
 * uppercase and IUPAC codes as N, where {@code EsmTokenizer} gives {@code <unk>}. For sequences of
 * A, C, G, T, N the ids equal {@code EsmTokenizer}'s (tested on 2,400 real sequences).
 */
public final class NucleotideTransformerTokenizer {
  private NucleotideTransformerTokenizer() {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Loads the tokenizer of a checkpoint folder. */
  public static Tokenizer load(Path folder) {
    Path vocabFile = folder.resolve("vocab.txt");
    List<String> tokens = readVocab(vocabFile);
    Map<String, String> specials = specialTokens(folder);
    Map<String, Integer> ids = new LinkedHashMap<>();
    for (int i = 0; i < tokens.size(); i++) {
      ids.put(tokens.get(i), i);
    }
    for (Map.Entry<String, String> s : specials.entrySet()) {
      if (s.getValue() != null && !ids.containsKey(s.getValue())) {
        throw new CheckpointFileException(vocabFile + ": the " + s.getKey() + " " + s.getValue()
            + " of the tokenizer files is not in the vocabulary");
      }
    }
    if (specials.get("cls_token") == null || specials.get("unk_token") == null) {
      throw new CheckpointFileException(folder + ": the tokenizer files set no cls_token or unk_token;"
          + " the Nucleotide Transformer starts every sequence with <cls> and needs <unk>");
    }
    int k = kmerLength(tokens, vocabFile);
    return HfTokenizerJson.parse(tokenizerJson(ids, specials, k), vocabFile.toString());
  }

  /** Lines of vocab.txt, stripped, as {@code EsmTokenizer}'s {@code load_vocab_file}. */
  private static List<String> readVocab(Path vocabFile) {
    List<String> tokens;
    try {
      tokens = Files.readString(vocabFile, StandardCharsets.UTF_8).lines().map(String::strip).toList();
    } catch (NoSuchFileException e) {
      throw new CheckpointFileException(vocabFile + ": no such file; a Nucleotide Transformer checkpoint ships its vocab.txt", e);
    } catch (IOException e) {
      throw new CheckpointFileException(vocabFile + ": cannot read: " + e.getMessage(), e);
    }
    Map<String, Integer> firstLine = new HashMap<>();
    for (int i = 0; i < tokens.size(); i++) {
      String token = tokens.get(i);
      if (token.isEmpty()) {
        throw new CheckpointFileException(vocabFile + ":" + (i + 1) + ": empty token");
      }
      Integer previous = firstLine.putIfAbsent(token, i + 1);
      if (previous != null) {
        throw new CheckpointFileException(vocabFile + ":" + (i + 1) + ": token " + token + " repeats line " + previous);
      }
    }
    return tokens;
  }

  /** The k of the vocabulary's k-mers: every ACGT token longer than one letter has it, and all 4^k are there. */
  private static int kmerLength(List<String> tokens, Path vocabFile) {
    int k = -1;
    int count = 0;
    for (int i = 0; i < tokens.size(); i++) {
      String token = tokens.get(i);
      if (token.length() < 2 || !token.chars().allMatch(c -> c == 'A' || c == 'C' || c == 'G' || c == 'T')) {
        continue;
      }
      if (k >= 0 && token.length() != k) {
        throw new CheckpointFileException(vocabFile + ":" + (i + 1) + ": k-mer " + token + " has length "
            + token.length() + ", the k-mers before it " + k);
      }
      k = token.length();
      count++;
    }
    if (k < 0) {
      throw new CheckpointFileException(vocabFile + ": no k-mers (tokens of A, C, G, T longer than one letter)");
    }
    if (k > io.dnalab.tokenize.KmerTokenizer.MAX_K || count != 1 << (2 * k)) {
      throw new CheckpointFileException(vocabFile + ": " + count + " k-mers of length " + k + "; a k-mer vocabulary holds all "
          + (k > io.dnalab.tokenize.KmerTokenizer.MAX_K ? "4^" + k : String.valueOf(1 << (2 * k))));
    }
    return k;
  }

  /** EsmTokenizer's defaults, then tokenizer_config.json, then special_tokens_map.json. */
  private static Map<String, String> specialTokens(Path folder) {
    Map<String, String> specials = new LinkedHashMap<>();
    specials.put("unk_token", "<unk>");
    specials.put("cls_token", "<cls>");
    specials.put("pad_token", "<pad>");
    specials.put("mask_token", "<mask>");
    specials.put("eos_token", "<eos>");
    for (String name : List.of("tokenizer_config.json", "special_tokens_map.json")) {
      Path file = folder.resolve(name);
      if (!Files.isRegularFile(file)) {
        continue;
      }
      JsonNode root;
      try {
        root = JSON.readTree(Files.readString(file));
      } catch (JsonProcessingException e) {
        throw new CheckpointFileException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
      } catch (IOException e) {
        throw new CheckpointFileException(file + ": cannot read: " + e.getMessage(), e);
      }
      for (String key : List.copyOf(specials.keySet())) {
        if (root == null || !root.has(key)) {
          continue;
        }
        JsonNode value = root.get(key);
        // A token is a string or an AddedToken object {"content": "<cls>", ...}.
        JsonNode content = value.isObject() ? value.get("content") : value;
        if (content != null && !content.isNull() && !content.isTextual()) {
          throw new CheckpointFileException(file + ": " + key + " = " + value + ": expected a token string or null");
        }
        specials.put(key, content == null || content.isNull() ? null : content.asText());
      }
    }
    return specials;
  }

  /**
   * The same tokenizer as a Hugging Face {@code tokenizer.json}: WordLevel over the vocabulary,
   * Split {@code [ACGT]{k}|.} (leftmost k-mer, else one letter: what EsmTokenizer's longest-match
   * splitting gives on A, C, G, T, N), and a {@code <cls> $A [<eos>]} template.
   */
  private static String tokenizerJson(Map<String, Integer> ids, Map<String, String> specials, int k) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("version", "1.0");
    root.putArray("added_tokens");
    root.putNull("normalizer");
    ObjectNode pre = root.putObject("pre_tokenizer");
    pre.put("type", "Split");
    pre.putObject("pattern").put("Regex", "[ACGT]{" + k + "}|.");
    pre.put("behavior", "Isolated");
    pre.put("invert", false);
    ObjectNode post = root.putObject("post_processor");
    post.put("type", "TemplateProcessing");
    ArrayNode single = post.putArray("single");
    ObjectNode specialIds = post.putObject("special_tokens");
    addSpecial(single, specialIds, specials.get("cls_token"), ids);
    single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    if (specials.get("eos_token") != null) {
      addSpecial(single, specialIds, specials.get("eos_token"), ids);
    }
    post.putArray("pair");
    ObjectNode model = root.putObject("model");
    model.put("type", "WordLevel");
    ObjectNode vocab = model.putObject("vocab");
    ids.forEach(vocab::put);
    model.put("unk_token", specials.get("unk_token"));
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
