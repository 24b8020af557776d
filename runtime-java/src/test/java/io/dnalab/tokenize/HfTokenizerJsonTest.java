package io.dnalab.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfTokenizerJsonTest {
  static final String SAMPLE = "ACGTTGCANNACGTacgtRYACGTTTTTGGGGCCCCAAAAACGCGCG";

  private static void assertRoundTrip(Tokenizer t, Path dir) throws Exception {
    Path file = dir.resolve(t.type() + ".json");
    t.save(file);
    Tokenizer back = HfTokenizerJson.load(file);
    assertThat(back.getClass()).isEqualTo(t.getClass());
    assertThat(back.vocabulary().asMap()).isEqualTo(t.vocabulary().asMap());
    assertThat(back.specialTokens()).isEqualTo(t.specialTokens());
    assertThat(back.encode(SAMPLE).ids()).containsExactly(t.encode(SAMPLE).ids());
    assertThat(HfTokenizerJson.toJson(back)).isEqualTo(Files.readString(file));
  }

  @Test
  void everyTokenizerRoundTrips(@TempDir Path dir) throws Exception {
    assertRoundTrip(NucleotideTokenizer.create(), dir);
    assertRoundTrip(KmerTokenizer.create(6, false), dir);
    assertRoundTrip(KmerTokenizer.create(3, true), dir);
    assertRoundTrip(BpeTrainer.builder().vocabSize(60).build().train(List.of(SAMPLE.repeat(5), "ACGTAGCTAGCATCGAT")), dir);
  }

  @Test
  void truncationAndPaddingRoundTrip(@TempDir Path dir) {
    Tokenizer t = NucleotideTokenizer.create().withTruncation(Truncation.right(8))
        .withPadding(new Padding(Padding.Strategy.FIXED, 8, Padding.Direction.LEFT, 0));
    Path file = dir.resolve("t.json");
    t.save(file);
    Tokenizer back = HfTokenizerJson.load(file);
    assertThat(back.truncation()).isEqualTo(Truncation.right(8));
    assertThat(back.padding()).isEqualTo(t.padding());
    assertThat(back.encode("ACG").ids()).containsExactly(0, 0, 0, 2, 5, 6, 7, 3);
  }

  @Test
  void savedBpeWritesDnalabsInputPolicyAsReplaceSteps() {
    String json = HfTokenizerJson.toJson(BpeTrainer.builder().vocabSize(12).build().train(List.of("ACGT")));
    assertThat(json).contains("\"Regex\" : \"[BDHKMRSVWYbdhkmnrsvwy]\"").contains("\"String\" : \"a\"")
        .contains("\"type\" : \"Fuse\"").contains("\"merges\" : [ \"");
  }

  private static Path write(Path dir, String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void syntaxErrorsNameFileLineAndColumn(@TempDir Path dir) throws Exception {
    Path p = write(dir, "broken.json", "{\n  \"model\": {\n    \"type\": \"BPE\",,\n  }\n}\n");
    assertThatThrownBy(() -> HfTokenizerJson.load(p))
        .isInstanceOf(TokenizerFileException.class)
        .hasMessageStartingWith(p + ": not valid JSON: line 3, column 19: ");
  }

  @Test
  void unreadableFilesGetClearErrors(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> HfTokenizerJson.load(dir.resolve("missing.json")))
        .hasMessage(dir.resolve("missing.json") + ": no such file");
    Path binary = dir.resolve("binary.json");
    Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
    assertThatThrownBy(() -> HfTokenizerJson.load(binary)).hasMessageContaining("not UTF-8 text");
    Path array = write(dir, "array.json", "[1, 2]");
    assertThatThrownBy(() -> HfTokenizerJson.load(array)).hasMessage(array + ": (root) = [1,2]: expected a JSON object");
  }

  @Test
  void semanticErrorsNameTheJsonPathAndValue(@TempDir Path dir) throws Exception {
    String vocab = "\"vocab\": {\"[UNK]\": 0, \"A\": 1, \"C\": 2, \"AC\": 3}";
    Path wordPiece = write(dir, "wp.json", "{\"model\": {\"type\": \"WordPiece\", " + vocab + "}}");
    assertThatThrownBy(() -> HfTokenizerJson.load(wordPiece))
        .hasMessage(wordPiece + ": model.type = \"WordPiece\": not supported: dnalab reads BPE and WordLevel models");
    Path badMerge = write(dir, "m.json", "{\"model\": {\"type\": \"BPE\", " + vocab + ", \"merges\": [\"A C\", \"AC\"]}}");
    assertThatThrownBy(() -> HfTokenizerJson.load(badMerge))
        .hasMessage(badMerge + ": model.merges[1] = \"AC\": expected \"LEFT RIGHT\" or [\"LEFT\", \"RIGHT\"]");
    Path unknown = write(dir, "u.json", "{\"model\": {\"type\": \"BPE\", " + vocab + ", \"merges\": [[\"C\", \"A\"]]}}");
    assertThatThrownBy(() -> HfTokenizerJson.load(unknown))
        .hasMessage(unknown + ": model.merges[0] = \"C A\": token \"CA\" is not in the vocabulary");
    Path badId = write(dir, "id.json", "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"A\": \"one\"}, \"merges\": []}}");
    assertThatThrownBy(() -> HfTokenizerJson.load(badId))
        .hasMessage(badId + ": model.vocab[\"A\"] = \"one\": expected a non-negative integer id");
    Path byteLevel = write(dir, "bl.json", "{\"pre_tokenizer\": {\"type\": \"ByteLevel\"}, \"model\": {\"type\": \"BPE\", " + vocab + ", \"merges\": []}}");
    assertThatThrownBy(() -> HfTokenizerJson.load(byteLevel)).hasMessageContaining("pre_tokenizer.type = \"ByteLevel\": not supported");
    Path dropout = write(dir, "d.json", "{\"model\": {\"type\": \"BPE\", \"dropout\": 0.1, " + vocab + ", \"merges\": []}}");
    assertThatThrownBy(() -> HfTokenizerJson.load(dropout)).hasMessage(dropout + ": model.dropout = 0.1: BPE dropout is not supported (it makes encoding random)");
  }

  @Test
  void legacyMergeStringsAndPairArraysBothLoad(@TempDir Path dir) throws Exception {
    String vocab = "\"vocab\": {\"[UNK]\": 0, \"A\": 1, \"C\": 2, \"AC\": 3}";
    Path strings = write(dir, "s.json", "{\"model\": {\"type\": \"BPE\", \"unk_token\": \"[UNK]\", " + vocab + ", \"merges\": [\"A C\"]}}");
    Path pairs = write(dir, "p.json", "{\"model\": {\"type\": \"BPE\", \"unk_token\": \"[UNK]\", " + vocab + ", \"merges\": [[\"A\", \"C\"]]}}");
    assertThat(HfTokenizerJson.load(strings).encodeIds("ACGAC")).containsExactly(3, 0, 3);
    assertThat(HfTokenizerJson.load(pairs).encodeIds("ACGAC")).containsExactly(3, 0, 3);
  }
}
