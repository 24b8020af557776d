package io.dnalab.tokenize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The DNABERT (k-mer) tokenizer, read from a checkpoint's {@code vocab.txt} as transformers'
 * {@code BertTokenizer} reads it, applied the way DNABERT feeds it: {@code [CLS]}, the
 * overlapping k-mers of the sequence (stride 1; a k-mer holding N is {@code [UNK]}), {@code
 * [SEP]}. DNABERT's {@code seq2kmer} writes those k-mers space-separated for {@code
 * BertTokenizer}; here the sequence itself is given.
 *
 * <p>Special tokens: {@code BertTokenizer}'s defaults ({@code [UNK] [SEP] [PAD] [CLS] [MASK]}),
 * replaced by {@code tokenizer_config.json}, then {@code special_tokens_map.json}. A {@code
 * do_lower_case} of true is refused: {@code BertTokenizer} would lowercase every k-mer and find
 * none in DNABERT's uppercase vocabulary.
 *
 * <p>dnalab's input policy applies (lowercase read as uppercase, IUPAC codes as N). For sequences
 * of A, C, G, T, N at least k long the ids equal {@code BertTokenizer}'s on the space-separated
 * k-mers (tested on real sequences); a shorter one gives {@code [CLS] [SEP]}, as {@code seq2kmer}'s
 * empty text does.
 */
public final class DnabertTokenizer {
  private DnabertTokenizer() {}

  /** Loads the tokenizer of a checkpoint folder. */
  public static Tokenizer load(Path folder) {
    Path vocabFile = folder.resolve("vocab.txt");
    Map<String, Integer> ids = VocabTxt.read(vocabFile, "a DNABERT checkpoint");
    JsonNode lowerCase = VocabTxt.tokenizerConfig(folder, "do_lower_case");
    if (lowerCase == null || lowerCase.asBoolean(true)) {
      // BertTokenizer's default is do_lower_case = true.
      throw new TokenizerFileException(folder.resolve("tokenizer_config.json") + ": do_lower_case = "
          + (lowerCase == null ? "unset (BertTokenizer's default: true)" : lowerCase)
          + ": lowercased k-mers match nothing in a DNA vocabulary; DNABERT's tokenizer sets it to false");
    }
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("unk_token", "[UNK]");
    defaults.put("sep_token", "[SEP]");
    defaults.put("pad_token", "[PAD]");
    defaults.put("cls_token", "[CLS]");
    defaults.put("mask_token", "[MASK]");
    Map<String, String> specials = VocabTxt.specialTokens(folder, defaults, ids);
    if (specials.get("unk_token") == null) {
      throw new TokenizerFileException(folder + ": the tokenizer files set no unk_token; a k-mer holding N needs it");
    }
    VocabTxt.kmerLength(ids, vocabFile);
    ObjectNode whitespace = JsonNodeFactory.instance.objectNode().put("type", "WhitespaceSplit");
    return HfTokenizerJson.parse(VocabTxt.tokenizerJson(ids, specials.get("unk_token"), whitespace,
        specials.get("cls_token"), specials.get("sep_token")), vocabFile.toString());
  }
}
