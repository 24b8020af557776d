package io.dnalab.tokenize;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes Hugging Face {@code tokenizer.json}, so that DNABERT-2's published tokenizer
 * loads here and dnalab's tokenizers load in Hugging Face {@code tokenizers} with identical ids.
 *
 * <p><b>Read.</b> Models: {@code BPE} (vocab, merges as {@code "A B"} strings or {@code ["A","B"]}
 * pairs, {@code unk_token}, {@code fuse_unk}, {@code ignore_merges}) and {@code WordLevel}
 * (nucleotide: Split pre-tokenizer {@code .}; non-overlapping k-mers: Split {@code [ACGT]{k}|.};
 * overlapping k-mers: Whitespace(Split) with a vocabulary of k-mers of one length). Normalizers:
 * {@code null}, {@code Sequence}, {@code Replace} of one character or a character class,
 * {@code Lowercase}, {@code BertNormalizer}, and the Unicode ones, which leave ASCII letters alone.
 * Pre-tokenizers for BPE: {@code null}, {@code Whitespace}, {@code WhitespaceSplit},
 * {@code BertPreTokenizer}, {@code Punctuation}, {@code Digits} and {@code Sequence}s of them:
 * none splits a run of letters, so a sequence is one word, as in Hugging Face. Post-processors:
 * {@code TemplateProcessing}, {@code BertProcessing}, {@code RobertaProcessing} (their single-
 * sequence template), {@code null}. {@code truncation} and {@code padding} are read too. dnalab's
 * base policy ({@link DnaAlphabet}) runs before the file's normalizer: for sequences of A, C, G,
 * T, N the ids equal Hugging Face's; lowercase or IUPAC input, which Hugging Face turns into
 * {@code [UNK]} with a file that has no normalizer, is read as bases here. Anything else (a
 * WordPiece or Unigram model, BPE dropout, byte fallback, subword prefixes, Metaspace or ByteLevel
 * pre-tokenizers) fails with an error that names the file, the JSON path and the value.
 *
 * <p><b>Write.</b> {@code version 1.0}; the five specials as added tokens; the base policy as a
 * normalizer ({@code Replace} steps); the pre-tokenizer and model above; a {@code [CLS] $A [SEP]}
 * {@code TemplateProcessing}; a {@code Fuse} decoder (tokens concatenate back to bases). BPE
 * merges are written as {@code "A B"} strings, which every Hugging Face version reads.
 */
public final class HfTokenizerJson {
  private HfTokenizerJson() {}

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Pattern KMER_SPLIT = Pattern.compile("\\[ACGT\\]\\{(\\d+)\\}\\|\\.");
  private static final Pattern CHAR_CLASS = Pattern.compile("\\[([A-Za-z]+)\\]");

  // ---------------------------------------------------------------- load

  /** Loads a {@code tokenizer.json}. */
  public static Tokenizer load(Path path) {
    String text;
    try {
      text = Files.readString(path);
    } catch (NoSuchFileException e) {
      throw new TokenizerFileException(path + ": no such file");
    } catch (java.nio.charset.MalformedInputException e) {
      throw new TokenizerFileException(path + ": not UTF-8 text, so not a tokenizer.json", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    }
    return parse(text, path.toString());
  }

  /** Parses {@code tokenizer.json} text; {@code source} names it in errors. */
  public static Tokenizer parse(String text, String source) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
      throw new TokenizerFileException(source + ": not valid JSON: " + where + e.getOriginalMessage(), e);
    }
    return new Reader(source).read(root);
  }

  private static final class Reader {
    private final String source;

    Reader(String source) {
      this.source = source;
    }

    private TokenizerFileException error(String path, JsonNode value, String problem) {
      String shown = value == null || value.isMissingNode() ? "missing" : abbreviate(value.toString());
      return new TokenizerFileException(source + ": " + path + " = " + shown + ": " + problem);
    }

    Tokenizer read(JsonNode root) {
      if (root == null || !root.isObject()) {
        throw error("(root)", root, "expected a JSON object");
      }
      JsonNode model = root.path("model");
      if (!model.isObject()) {
        throw error("model", model, "expected an object with the tokenizer model");
      }
      String type = model.path("type").asText(model.has("merges") ? "BPE" : "");
      Map<String, Integer> vocab = readVocab(model.path("vocab"));
      readAddedTokens(root.path("added_tokens"), vocab);
      Vocabulary vocabulary;
      try {
        vocabulary = new Vocabulary(vocab);
      } catch (IllegalArgumentException e) {
        throw error("model.vocab", null, e.getMessage());
      }
      SpecialTokens specials = SpecialTokens.find(vocabulary);
      byte[] normalizer = readNormalizer(root.path("normalizer"), "normalizer", DnaAlphabet.normalizationTable());
      SpecialTemplate template = readPostProcessor(root.path("post_processor"), vocabulary);
      Truncation truncation = readTruncation(root.path("truncation"));
      Padding padding = readPadding(root.path("padding"));
      if (padding != null && specials.pad() < 0) {
        throw error("padding", root.path("padding"), "padding needs a [PAD] token in the vocabulary");
      }
      AbstractTokenizer.Options options = new AbstractTokenizer.Options(template, true, truncation, padding);
      JsonNode pre = root.path("pre_tokenizer");
      switch (type) {
        case "BPE":
          checkLetterPreservingPreTokenizer(pre, "pre_tokenizer");
          return readBpe(model, vocabulary, specials, normalizer, options);
        case "WordLevel":
          return readWordLevel(model, pre, vocabulary, specials, normalizer, options);
        default:
          throw error("model.type", model.path("type"), "not supported: dnalab reads BPE and WordLevel models");
      }
    }

    private Map<String, Integer> readVocab(JsonNode vocab) {
      if (!vocab.isObject()) {
        throw error("model.vocab", vocab, "expected an object from token to id");
      }
      Map<String, Integer> map = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = vocab.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode id = e.getValue();
        if (!id.canConvertToInt() || !id.isIntegralNumber() || id.asInt() < 0) {
          throw error("model.vocab[\"" + e.getKey() + "\"]", id, "expected a non-negative integer id");
        }
        map.put(e.getKey(), id.asInt());
      }
      return map;
    }

    private void readAddedTokens(JsonNode added, Map<String, Integer> vocab) {
      if (added.isMissingNode() || added.isNull()) {
        return;
      }
      if (!added.isArray()) {
        throw error("added_tokens", added, "expected an array");
      }
      for (int i = 0; i < added.size(); i++) {
        JsonNode t = added.get(i);
        JsonNode id = t.path("id");
        JsonNode content = t.path("content");
        if (!id.isIntegralNumber() || !content.isTextual()) {
          throw error("added_tokens[" + i + "]", t, "expected {\"id\": integer, \"content\": text}");
        }
        Integer existing = vocab.get(content.asText());
        if (existing != null && existing != id.asInt()) {
          throw error("added_tokens[" + i + "].id", id,
              "token " + content.asText() + " has id " + existing + " in model.vocab");
        }
        vocab.put(content.asText(), id.asInt());
      }
    }

    private BpeTokenizer readBpe(
        JsonNode model, Vocabulary vocabulary, SpecialTokens specials, byte[] normalizer,
        AbstractTokenizer.Options options) {
      JsonNode dropout = model.path("dropout");
      if (!dropout.isMissingNode() && !dropout.isNull() && dropout.asDouble() != 0.0) {
        throw error("model.dropout", dropout, "BPE dropout is not supported (it makes encoding random)");
      }
      for (String field : new String[] {"continuing_subword_prefix", "end_of_word_suffix"}) {
        JsonNode v = model.path(field);
        if (!v.isMissingNode() && !v.isNull() && !v.asText().isEmpty()) {
          throw error("model." + field, v, "not supported: DNA sequences are single words");
        }
      }
      if (model.path("byte_fallback").asBoolean(false)) {
        throw error("model.byte_fallback", model.path("byte_fallback"), "byte fallback is not supported");
      }
      JsonNode unk = model.path("unk_token");
      if (!unk.isMissingNode() && !unk.isNull()) {
        if (!unk.isTextual() || vocabulary.id(unk.asText()) < 0) {
          throw error("model.unk_token", unk, "the unknown token must be a token of model.vocab");
        }
        specials = new SpecialTokens(specials.pad(), vocabulary.id(unk.asText()), specials.cls(), specials.sep(), specials.mask());
      } else {
        // No unknown token: Hugging Face drops letters outside the vocabulary, and so does dnalab.
        specials = new SpecialTokens(specials.pad(), -1, specials.cls(), specials.sep(), specials.mask());
      }
      JsonNode merges = model.path("merges");
      if (!merges.isArray()) {
        throw error("model.merges", merges, "expected an array of merges");
      }
      List<String[]> pairs = new ArrayList<>(merges.size());
      for (int r = 0; r < merges.size(); r++) {
        JsonNode m = merges.get(r);
        String[] pair;
        if (m.isTextual()) {
          pair = m.asText().split(" ", -1);
        } else if (m.isArray() && m.size() == 2 && m.get(0).isTextual() && m.get(1).isTextual()) {
          pair = new String[] {m.get(0).asText(), m.get(1).asText()};
        } else {
          pair = null;
        }
        if (pair == null || pair.length != 2 || pair[0].isEmpty() || pair[1].isEmpty()) {
          throw error("model.merges[" + r + "]", m, "expected \"LEFT RIGHT\" or [\"LEFT\", \"RIGHT\"]");
        }
        pairs.add(pair);
      }
      int[][] ids;
      try {
        ids = BpeTokenizer.mergeIds(vocabulary, pairs, "model.merges");
      } catch (TokenizerFileException e) {
        throw new TokenizerFileException(source + ": " + e.getMessage());
      }
      return new BpeTokenizer(
          vocabulary, specials, ids,
          model.path("fuse_unk").asBoolean(false),
          model.path("ignore_merges").asBoolean(false),
          normalizer, options);
    }

    private Tokenizer readWordLevel(
        JsonNode model, JsonNode pre, Vocabulary vocabulary, SpecialTokens specials, byte[] normalizer,
        AbstractTokenizer.Options options) {
      JsonNode unk = model.path("unk_token");
      if (unk.isTextual() && vocabulary.id(unk.asText()) >= 0) {
        specials = new SpecialTokens(specials.pad(), vocabulary.id(unk.asText()), specials.cls(), specials.sep(), specials.mask());
      }
      String preType = pre.path("type").asText("");
      if (preType.equals("Split")) {
        String regex = pre.path("pattern").path("Regex").asText(pre.path("pattern").path("String").asText(""));
        String behavior = pre.path("behavior").asText("");
        if (!behavior.equals("Isolated") || pre.path("invert").asBoolean(false)) {
          throw error("pre_tokenizer.behavior", pre.path("behavior"), "dnalab reads Split with behavior Isolated, not inverted");
        }
        if (regex.equals(".")) {
          return new NucleotideTokenizer(vocabulary, specials, normalizer, options);
        }
        Matcher m = KMER_SPLIT.matcher(regex);
        if (m.matches()) {
          int k = Integer.parseInt(m.group(1));
          if (k < 1 || k > KmerTokenizer.MAX_K) {
            throw error("pre_tokenizer.pattern", pre.path("pattern"), "k must be in 1.." + KmerTokenizer.MAX_K);
          }
          return new KmerTokenizer(k, false, vocabulary, specials, normalizer, options);
        }
        throw error("pre_tokenizer.pattern", pre.path("pattern"),
            "a WordLevel DNA tokenizer splits with \".\" (nucleotides) or \"[ACGT]{k}|.\" (k-mers)");
      }
      if (preType.equals("WhitespaceSplit") || preType.equals("Whitespace")) {
        int k = -1;
        for (String token : vocabulary.tokens()) {
          if (token == null || specials.isSpecial(vocabulary.id(token)) || token.startsWith("[") || token.startsWith("<")) {
            continue;
          }
          if (!token.chars().allMatch(c -> c == 'A' || c == 'C' || c == 'G' || c == 'T')
              || (k >= 0 && token.length() != k)) {
            throw error("model.vocab[\"" + token + "\"]", null,
                "an overlapping k-mer vocabulary (Whitespace pre-tokenizer) holds only ACGT k-mers of one length");
          }
          k = token.length();
        }
        if (k < 1 || k > KmerTokenizer.MAX_K) {
          throw error("model.vocab", null, "no k-mers of length 1.." + KmerTokenizer.MAX_K + " found");
        }
        return new KmerTokenizer(k, true, vocabulary, specials, normalizer, options);
      }
      throw error("pre_tokenizer", pre,
          "a WordLevel DNA tokenizer needs a Split (\".\" or \"[ACGT]{k}|.\") or WhitespaceSplit pre-tokenizer");
    }

    private void checkLetterPreservingPreTokenizer(JsonNode pre, String path) {
      if (pre.isMissingNode() || pre.isNull()) {
        return;
      }
      String type = pre.path("type").asText("");
      switch (type) {
        case "Whitespace", "WhitespaceSplit", "BertPreTokenizer", "Punctuation", "Digits" -> {}
        case "Sequence" -> {
          JsonNode list = pre.path("pretokenizers");
          for (int i = 0; i < list.size(); i++) {
            checkLetterPreservingPreTokenizer(list.get(i), path + ".pretokenizers[" + i + "]");
          }
        }
        default -> throw error(path + ".type", pre.path("type"),
            "not supported: dnalab reads pre-tokenizers that keep a run of letters whole "
                + "(Whitespace, WhitespaceSplit, BertPreTokenizer, Punctuation, Digits, Sequence)");
      }
    }

    /** Applies the file's normalizer to the table, on top of dnalab's base policy. */
    private byte[] readNormalizer(JsonNode node, String path, byte[] table) {
      if (node.isMissingNode() || node.isNull()) {
        return table;
      }
      String type = node.path("type").asText("");
      switch (type) {
        case "Sequence" -> {
          JsonNode list = node.path("normalizers");
          for (int i = 0; i < list.size(); i++) {
            table = readNormalizer(list.get(i), path + ".normalizers[" + i + "]", table);
          }
          return table;
        }
        case "Lowercase" -> {
          return mapLetters(table, c -> Character.toLowerCase(c));
        }
        case "BertNormalizer" -> {
          return node.path("lowercase").asBoolean(true) ? mapLetters(table, c -> Character.toLowerCase(c)) : table;
        }
        case "NFC", "NFD", "NFKC", "NFKD", "Strip", "StripAccents" -> {
          return table; // no effect on ASCII letters
        }
        case "Replace" -> {
          JsonNode pattern = node.path("pattern");
          JsonNode content = node.path("content");
          if (!content.isTextual() || content.asText().length() != 1) {
            throw error(path + ".content", content, "dnalab reads Replace steps that map letters to one letter");
          }
          char to = content.asText().charAt(0);
          String from;
          if (pattern.path("String").isTextual() && pattern.path("String").asText().length() == 1) {
            from = pattern.path("String").asText();
          } else {
            Matcher m = CHAR_CLASS.matcher(pattern.path("Regex").asText(""));
            if (!m.matches()) {
              throw error(path + ".pattern", pattern,
                  "dnalab reads Replace of one character or of a class of letters like [RYK]");
            }
            from = m.group(1);
          }
          return mapLetters(table, c -> from.indexOf(c) >= 0 ? to : c);
        }
        default -> throw error(path + ".type", node.path("type"), "normalizer not supported");
      }
    }

    private SpecialTemplate readPostProcessor(JsonNode node, Vocabulary vocabulary) {
      if (node.isMissingNode() || node.isNull()) {
        return SpecialTemplate.NONE;
      }
      String type = node.path("type").asText("");
      switch (type) {
        case "TemplateProcessing": {
          JsonNode single = node.path("single");
          List<Integer> prefix = new ArrayList<>();
          List<Integer> suffix = new ArrayList<>();
          boolean seenSequence = false;
          for (int i = 0; i < single.size(); i++) {
            JsonNode item = single.get(i);
            if (item.has("Sequence")) {
              seenSequence = true;
              continue;
            }
            String name = item.path("SpecialToken").path("id").asText(null);
            if (name == null) {
              throw error("post_processor.single[" + i + "]", item, "expected a SpecialToken or Sequence item");
            }
            JsonNode ids = node.path("special_tokens").path(name).path("ids");
            List<Integer> target = seenSequence ? suffix : prefix;
            if (ids.isArray() && ids.size() > 0) {
              for (JsonNode id : ids) {
                target.add(id.asInt());
              }
            } else if (vocabulary.id(name) >= 0) {
              target.add(vocabulary.id(name));
            } else {
              throw error("post_processor.single[" + i + "]", item, "special token " + name + " is not in the vocabulary");
            }
          }
          return new SpecialTemplate(
              prefix.stream().mapToInt(Integer::intValue).toArray(),
              suffix.stream().mapToInt(Integer::intValue).toArray());
        }
        case "BertProcessing":
        case "RobertaProcessing": {
          int cls = node.path("cls").path(1).asInt(-1);
          int sep = node.path("sep").path(1).asInt(-1);
          if (cls < 0 || sep < 0) {
            throw error("post_processor", node, "expected cls and sep as [token, id]");
          }
          return new SpecialTemplate(new int[] {cls}, new int[] {sep});
        }
        case "ByteLevel":
          return SpecialTemplate.NONE;
        case "Sequence": {
          SpecialTemplate result = SpecialTemplate.NONE;
          JsonNode list = node.path("processors");
          for (int i = 0; i < list.size(); i++) {
            SpecialTemplate t = readPostProcessor(list.get(i), vocabulary);
            if (!t.isEmpty()) {
              result = t;
            }
          }
          return result;
        }
        default:
          throw error("post_processor.type", node.path("type"), "post-processor not supported");
      }
    }

    private Truncation readTruncation(JsonNode node) {
      if (node.isMissingNode() || node.isNull()) {
        return null;
      }
      JsonNode max = node.path("max_length");
      if (!max.isIntegralNumber() || max.asInt() < 1) {
        throw error("truncation.max_length", max, "expected a positive integer");
      }
      String direction = node.path("direction").asText("Right");
      return new Truncation(max.asInt(), direction.equals("Left") ? Truncation.Direction.LEFT : Truncation.Direction.RIGHT);
    }

    private Padding readPadding(JsonNode node) {
      if (node.isMissingNode() || node.isNull()) {
        return null;
      }
      JsonNode strategy = node.path("strategy");
      Padding.Strategy s;
      int length = 0;
      if (strategy.isTextual() && strategy.asText().equals("BatchLongest")) {
        s = Padding.Strategy.BATCH_LONGEST;
      } else if (strategy.path("Fixed").isIntegralNumber()) {
        s = Padding.Strategy.FIXED;
        length = strategy.path("Fixed").asInt();
      } else {
        throw error("padding.strategy", strategy, "expected \"BatchLongest\" or {\"Fixed\": length}");
      }
      Padding.Direction d = node.path("direction").asText("Right").equals("Left") ? Padding.Direction.LEFT : Padding.Direction.RIGHT;
      return new Padding(s, length, d, node.path("pad_to_multiple_of").asInt(0));
    }
  }

  private interface CharMap {
    char map(char c);
  }

  private static byte[] mapLetters(byte[] table, CharMap map) {
    byte[] out = table.clone();
    for (int b = 0; b < 256; b++) {
      byte v = table[b];
      if (v != DnaAlphabet.INVALID) {
        out[b] = (byte) map.map((char) (v & 0xFF));
      }
    }
    return out;
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }

  // ---------------------------------------------------------------- save

  /** Writes {@code tokenizer} as a Hugging Face {@code tokenizer.json}. */
  public static void save(Tokenizer tokenizer, Path path) {
    try {
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(path, toJson(tokenizer));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
    }
  }

  /** The {@code tokenizer.json} text of a tokenizer. */
  public static String toJson(Tokenizer tokenizer) {
    if (!(tokenizer instanceof AbstractTokenizer t)) {
      throw new IllegalArgumentException("cannot save " + tokenizer.getClass().getName());
    }
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("version", "1.0");
    root.set("truncation", truncationJson(t.truncation()));
    root.set("padding", paddingJson(t));
    ArrayNode added = root.putArray("added_tokens");
    SpecialTokens s = t.specialTokens();
    TreeMap<Integer, String> specials = new TreeMap<>();
    for (int id : new int[] {s.pad(), s.unk(), s.cls(), s.sep(), s.mask()}) {
      if (id >= 0) {
        specials.put(id, t.vocabulary().token(id));
      }
    }
    for (Map.Entry<Integer, String> e : specials.entrySet()) {
      ObjectNode a = added.addObject();
      a.put("id", e.getKey());
      a.put("content", e.getValue());
      a.put("single_word", false);
      a.put("lstrip", false);
      a.put("rstrip", false);
      a.put("normalized", false);
      a.put("special", true);
    }
    byte[] normalizer;
    ObjectNode model = f.objectNode();
    JsonNode pre;
    JsonNode decoder = f.objectNode().put("type", "Fuse");
    if (t instanceof BpeTokenizer bpe) {
      normalizer = bpe.normalizer();
      pre = f.nullNode();
      model.put("type", "BPE");
      model.putNull("dropout");
      putToken(model, "unk_token", t.vocabulary(), s.unk());
      model.putNull("continuing_subword_prefix");
      model.putNull("end_of_word_suffix");
      model.put("fuse_unk", bpe.fuseUnk());
      model.put("byte_fallback", false);
      model.put("ignore_merges", bpe.ignoreMerges());
      putVocab(model, t.vocabulary());
      ArrayNode merges = model.putArray("merges");
      for (String[] m : bpe.mergeTokens()) {
        merges.add(m[0] + " " + m[1]);
      }
    } else if (t instanceof KmerTokenizer kmer) {
      normalizer = kmer.normalizer();
      if (kmer.overlapping()) {
        pre = f.objectNode().put("type", "WhitespaceSplit");
        decoder = f.nullNode();
      } else {
        pre = split(f, "[ACGT]{" + kmer.k() + "}|.");
      }
      wordLevel(model, t);
    } else if (t instanceof NucleotideTokenizer nt) {
      normalizer = nt.normalizer();
      pre = split(f, ".");
      wordLevel(model, t);
    } else {
      throw new IllegalArgumentException("cannot save " + tokenizer.getClass().getName());
    }
    root.set("normalizer", normalizerJson(f, normalizer));
    root.set("pre_tokenizer", pre);
    root.set("post_processor", templateJson(f, t));
    root.set("decoder", decoder);
    root.set("model", model);
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode split(JsonNodeFactory f, String regex) {
    ObjectNode pre = f.objectNode();
    pre.put("type", "Split");
    pre.putObject("pattern").put("Regex", regex);
    pre.put("behavior", "Isolated");
    pre.put("invert", false);
    return pre;
  }

  private static void wordLevel(ObjectNode model, AbstractTokenizer t) {
    model.put("type", "WordLevel");
    putVocab(model, t.vocabulary());
    putToken(model, "unk_token", t.vocabulary(), t.specialTokens().unk());
  }

  private static void putToken(ObjectNode node, String field, Vocabulary vocabulary, int id) {
    if (id >= 0) {
      node.put(field, vocabulary.token(id));
    } else {
      node.putNull(field);
    }
  }

  private static void putVocab(ObjectNode model, Vocabulary vocabulary) {
    ObjectNode vocab = model.putObject("vocab");
    for (Map.Entry<String, Integer> e : vocabulary.asMap().entrySet()) {
      vocab.put(e.getKey(), e.getValue());
    }
  }

  /** The letter mapping of a normalization table as Replace steps, one per target letter. */
  private static JsonNode normalizerJson(JsonNodeFactory f, byte[] table) {
    Map<Character, StringBuilder> sources = new TreeMap<>();
    for (int b = 0; b < 256; b++) {
      boolean letter = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z');
      int to = table[b] & 0xFF;
      if (letter && to != b) {
        if ((table[to] & 0xFF) != to) {
          throw new IllegalStateException("normalization is not idempotent at " + (char) b);
        }
        sources.computeIfAbsent((char) to, k -> new StringBuilder()).append((char) b);
      }
    }
    if (sources.isEmpty()) {
      return f.nullNode();
    }
    ObjectNode seq = f.objectNode();
    seq.put("type", "Sequence");
    ArrayNode list = seq.putArray("normalizers");
    for (Map.Entry<Character, StringBuilder> e : sources.entrySet()) {
      ObjectNode r = list.addObject();
      r.put("type", "Replace");
      String from = e.getValue().toString();
      if (from.length() == 1) {
        r.putObject("pattern").put("String", from);
      } else {
        r.putObject("pattern").put("Regex", "[" + from + "]");
      }
      r.put("content", String.valueOf(e.getKey()));
    }
    return seq;
  }

  private static JsonNode templateJson(JsonNodeFactory f, AbstractTokenizer t) {
    SpecialTemplate template = t.template();
    if (template.isEmpty()) {
      return f.nullNode();
    }
    ObjectNode node = f.objectNode();
    node.put("type", "TemplateProcessing");
    ArrayNode single = node.putArray("single");
    ArrayNode pair = node.putArray("pair");
    for (int id : template.prefix()) {
      special(single, t.vocabulary().token(id), 0);
      special(pair, t.vocabulary().token(id), 0);
    }
    single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    for (int id : template.suffix()) {
      special(single, t.vocabulary().token(id), 0);
      special(pair, t.vocabulary().token(id), 0);
    }
    pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
    for (int id : template.suffix()) {
      special(pair, t.vocabulary().token(id), 1);
    }
    ObjectNode specialTokens = node.putObject("special_tokens");
    for (int id : concat(template.prefix(), template.suffix())) {
      String name = t.vocabulary().token(id);
      ObjectNode s = specialTokens.putObject(name);
      s.put("id", name);
      s.putArray("ids").add(id);
      s.putArray("tokens").add(name);
    }
    return node;
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static void special(ArrayNode items, String name, int typeId) {
    items.addObject().putObject("SpecialToken").put("id", name).put("type_id", typeId);
  }

  private static JsonNode truncationJson(Truncation truncation) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (truncation == null) {
      return f.nullNode();
    }
    ObjectNode n = f.objectNode();
    n.put("direction", truncation.direction() == Truncation.Direction.LEFT ? "Left" : "Right");
    n.put("max_length", truncation.maxLength());
    n.put("strategy", "LongestFirst");
    n.put("stride", 0);
    return n;
  }

  private static JsonNode paddingJson(AbstractTokenizer t) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    Padding padding = t.padding();
    if (padding == null) {
      return f.nullNode();
    }
    ObjectNode n = f.objectNode();
    if (padding.strategy() == Padding.Strategy.FIXED) {
      n.putObject("strategy").put("Fixed", padding.length());
    } else {
      n.put("strategy", "BatchLongest");
    }
    n.put("direction", padding.direction() == Padding.Direction.LEFT ? "Left" : "Right");
    if (padding.padToMultipleOf() > 1) {
      n.put("pad_to_multiple_of", padding.padToMultipleOf());
    } else {
      n.putNull("pad_to_multiple_of");
    }
    n.put("pad_id", t.specialTokens().pad());
    n.put("pad_type_id", 0);
    n.put("pad_token", t.vocabulary().token(t.specialTokens().pad()));
    return n;
  }
}
