package io.dnalab.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTrainerTest {
  private static List<String> merges(BpeTokenizer t) {
    return t.mergeTokens().stream().map(m -> m[0] + " " + m[1]).toList();
  }

  /** As Hugging Face's own tests: a tiny corpus and every merge with its reason. */
  @Test
  void tinyCorpusGivesTheExpectedMerges() {
    BpeTokenizer t = BpeTrainer.builder().vocabSize(16).build()
        .train(List.of("ACGTACGT", "ACGAAAA", "TTACG", "GGTACC"));
    assertThat(merges(t)).containsExactly(
        "A C",    // 'A' + 'C' -> 'AC': 5 times, in every word
        "AC G",   // 'AC' + 'G' -> 'ACG': 4 times
        "A A",    // 'A' + 'A' -> 'AA': 3 times, AAAA holds three overlapping pairs
        "T ACG",  // 'T' + 'ACG' -> 'TACG': 2 times, tied with ACG T; ids (9, 11) < (11, 9)
        "G G",    // 'G' + 'G' -> 'GG': 1 time, as every pair left; (7, 7) is the smallest pair
        "T AC");  // 'T' + 'AC' -> 'TAC': 1 time, the next smallest pair (9, 10)
    assertThat(t.vocabulary().tokens()).containsExactly(
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "A", "C", "G", "N", "T",
        "AC", "ACG", "AA", "TACG", "GG", "TAC");
    // Encoding applies merges by rank: AAAAA -> AA AA A (left to right within one rank).
    assertThat(t.withSpecialTokens(false).encode("AAAAA").tokens()).containsExactly("AA", "AA", "A");
    assertThat(t.withSpecialTokens(false).encode("ACGTACGT").tokens()).containsExactly("ACG", "TACG", "T");
  }

  @Test
  void trainingIsDeterministic() {
    List<String> corpus = List.of("ACGTTGCAACGTAGCTAGCTTTAACCGG", "GGCCTTAACCGGTTAA", "ATATATATCGCG");
    BpeTrainer trainer = BpeTrainer.builder().vocabSize(30).build();
    assertThat(HfTokenizerJson.toJson(trainer.train(corpus))).isEqualTo(HfTokenizerJson.toJson(trainer.train(corpus)));
  }

  @Test
  void nSplitsTheCorpusAndNeverMerges() {
    BpeTokenizer t = BpeTrainer.builder().vocabSize(12).build().train(List.of("ACNNNAC"));
    assertThat(merges(t)).containsExactly("A C"); // then no pair is left: C N and N A are never counted
    assertThat(t.vocabSize()).isEqualTo(11);
  }

  @Test
  void lowercaseAndIupacCodesAreReadAsBasesAndN() {
    BpeTrainer trainer = BpeTrainer.builder().vocabSize(20).build();
    assertThat(HfTokenizerJson.toJson(trainer.train(List.of("acgtRacgtyyACGT"))))
        .isEqualTo(HfTokenizerJson.toJson(trainer.train(List.of("ACGTNACGTNNACGT"))));
  }

  @Test
  void chunkLengthCutsLongRuns() {
    // With chunks of 2 bases, ACAC is AC|AC: C A is never adjacent.
    BpeTokenizer t = BpeTrainer.builder().vocabSize(12).chunkLength(2).build().train(List.of("ACAC"));
    assertThat(merges(t)).containsExactly("A C");
  }

  @Test
  void fastaCorpusWithEmptyRecordsSoftMaskAndGaps(@TempDir Path dir) throws Exception {
    Path fa = dir.resolve("c.fa");
    Files.writeString(fa, ">empty\n>one description\nacgtNNACGT\nACGT\n\n>two\r\nTTGG\r\n>empty2\n");
    BpeTokenizer fromFile = BpeTrainer.builder().vocabSize(20).build().train(List.of(fa));
    BpeTokenizer fromMemory = BpeTrainer.builder().vocabSize(20).build().train(List.of("ACGT", "ACGTACGT", "TTGG"));
    assertThat(HfTokenizerJson.toJson(fromFile)).isEqualTo(HfTokenizerJson.toJson(fromMemory));
  }

  @Test
  void maxBasesReadsOnlyTheStart(@TempDir Path dir) throws Exception {
    Path fa = dir.resolve("c.fa");
    Files.writeString(fa, ">a\nACAC\nACAC\n>b\nGGGGGGGG\n");
    BpeTokenizer t = BpeTrainer.builder().vocabSize(40).maxBases(6).build().train(List.of(fa));
    assertThat(merges(t)).doesNotContain("G G").contains("A C");
  }

  @Test
  void fastaErrorsNameFileLineAndColumn(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.fa");
    Files.writeString(bad, ">r\nACGT\nAC-T\n");
    assertThatThrownBy(() -> BpeTrainer.builder().vocabSize(20).build().train(List.of(bad)))
        .isInstanceOf(io.dnalab.data.DataFormatException.class)
        .hasMessage(bad + ":3:3: invalid base '-' at base 7 (a corpus holds A, C, G, T, N and IUPAC"
            + " ambiguity codes R Y S W K M B D H V) (value \"AC-T\")");
    Path noHeader = dir.resolve("noheader.fa");
    Files.writeString(noHeader, "ACGT\n");
    assertThatThrownBy(() -> BpeTrainer.builder().vocabSize(20).build().train(List.of(noHeader)))
        .hasMessage(noHeader
            + ":1:1: expected a FASTA header line starting with '>' (value \"ACGT\")");
    Path empty = dir.resolve("empty.fa");
    Files.writeString(empty, ">a\n>b\nNNNN\n");
    assertThatThrownBy(() -> BpeTrainer.builder().vocabSize(20).build().train(List.of(empty)))
        .hasMessageContaining("the corpus has no A/C/G/T bases to train on (2 records, 1 empty)");
  }

  @Test
  void gzipCorpusIsRecognizedByItsBytes(@TempDir Path dir) throws Exception {
    Path gz = dir.resolve("corpus.fasta");
    try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(">a\nACGTACGT\n".getBytes());
    }
    BpeTokenizer t = BpeTrainer.builder().vocabSize(12).build().train(List.of(gz));
    assertThat(merges(t)).first().isEqualTo("A C");
  }

  @Test
  void vocabularySizeIsChecked() {
    assertThatThrownBy(() -> BpeTrainer.builder().vocabSize(5).build())
        .hasMessage("vocabSize must be in 10..65536 (specials and alphabet included), got 5");
  }

  @Test
  void trainingReportsProgress() {
    List<String> phases = new java.util.ArrayList<>();
    BpeTrainer.builder().vocabSize(14).progress((phase, done, total) -> phases.add(phase + " " + done + "/" + total))
        .build().train(List.of("ACGTACGTAAAA"));
    assertThat(phases).first().isEqualTo("merges 10/14");
    assertThat(phases).last().isEqualTo("merges 14/14");
  }
}
