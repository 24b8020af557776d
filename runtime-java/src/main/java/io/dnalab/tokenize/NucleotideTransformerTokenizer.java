package io.dnalab.tokenize;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
 * <p>The result is dnalab's non-overlapping {@link KmerTokenizer} over the
 * checkpoint's own vocabulary and ids, so dnalab's input policy applies: lowercase is read as
 * uppercase and IUPAC codes as N, where {@code EsmTokenizer} gives {@code <unk>}. For sequences of
 * A, C, G, T, N the ids equal {@code EsmTokenizer}'s (tested on 2,400 real sequences).
 */
public final class NucleotideTransformerTokenizer {
  private NucleotideTransformerTokenizer() {}

  /** Loads the tokenizer of a checkpoint folder. */
  public static Tokenizer load(Path folder) {
    Path vocabFile = folder.resolve("vocab.txt");
    Map<String, Integer> ids = VocabTxt.read(vocabFile, "a Nucleotide Transformer checkpoint");
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("unk_token", "<unk>");
    defaults.put("cls_token", "<cls>");
    defaults.put("pad_token", "<pad>");
    defaults.put("mask_token", "<mask>");
    defaults.put("eos_token", "<eos>");
    Map<String, String> specials = VocabTxt.specialTokens(folder, defaults, ids);
    if (specials.get("cls_token") == null || specials.get("unk_token") == null) {
      throw new TokenizerFileException(folder + ": the tokenizer files set no cls_token or unk_token;"
          + " the Nucleotide Transformer starts every sequence with <cls> and needs <unk>");
    }
    int k = VocabTxt.kmerLength(ids, vocabFile);
    // Split [ACGT]{k}|. takes the leftmost k-mer, else one letter: what EsmTokenizer's longest-match
    // splitting over its vocabulary gives on A, C, G, T, N.
    ObjectNode split = JsonNodeFactory.instance.objectNode();
    split.put("type", "Split");
    split.putObject("pattern").put("Regex", "[ACGT]{" + k + "}|.");
    split.put("behavior", "Isolated");
    split.put("invert", false);
    return HfTokenizerJson.parse(VocabTxt.tokenizerJson(ids, specials.get("unk_token"), split,
        specials.get("cls_token"), specials.get("eos_token")), vocabFile.toString());
  }
}
