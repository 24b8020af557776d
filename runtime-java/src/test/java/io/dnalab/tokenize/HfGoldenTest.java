package io.dnalab.tokenize;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dnalab's tokenizers against ids produced by Hugging Face {@code tokenizers} 0.23 on 2,400 real
 * sequences (src/test/resources/tokenize/generate_golden.py writes the fixtures).
 */
class HfGoldenTest {
  static List<String> sequences;

  @BeforeAll
  static void readSequences() {
    sequences = TestFiles.gzipLines("sequences.txt.gz");
    assertThat(sequences).hasSize(2400);
  }

  /** Every sequence gives Hugging Face's ids (special tokens included). */
  private static void assertSameIds(Tokenizer tokenizer, String idsFile, boolean uppercase) {
    List<String> expected = TestFiles.gzipLines(idsFile);
    assertThat(expected).hasSize(sequences.size());
    int checked = 0;
    for (int i = 0; i < sequences.size(); i++) {
      String s = uppercase ? sequences.get(i).toUpperCase() : sequences.get(i);
      int[] ids = tokenizer.encode(s).ids();
      assertThat(ids).as("line %d of %s: %s", i + 1, idsFile, s).containsExactly(TestFiles.ids(expected.get(i)));
      checked++;
    }
    assertThat(checked).isEqualTo(2400);
  }

  @Test
  void bpeTrainedByHuggingFaceEncodesIdentically() {
    Tokenizer t = HfTokenizerJson.load(TestFiles.resource("hf_bpe_tf0_1024.json"));
    assertThat(t).isInstanceOf(BpeTokenizer.class);
    assertThat(((BpeTokenizer) t).rankMonotone()).isTrue();
    assertSameIds(t, "hf_bpe_tf0_1024.ids.gz", false);
  }

  @Test
  void dnabert2LayoutLoadsAndEncodesIdentically() {
    Tokenizer t = HfTokenizerJson.load(TestFiles.resource("dnabert2_layout.json"));
    assertThat(t.specialTokens()).isEqualTo(new SpecialTokens(3, 0, 1, 2, 4));
    assertSameIds(t, "dnabert2_layout.ids.gz", true);
  }

  @Test
  void bpeTrainedByDnalabEncodesIdenticallyInHuggingFace() {
    Tokenizer t = HfTokenizerJson.load(TestFiles.resource("dnalab_bpe_chr20_2mb_1024.json"));
    assertSameIds(t, "dnalab_bpe_chr20_2mb_1024.ids.gz", false);
  }

  @Test
  void backtrackingRankBucketAndHeapEncodersAgreeOnRealSequences() {
    for (String file : List.of("hf_bpe_tf0_1024.json", "dnalab_bpe_chr20_2mb_1024.json", "dnabert2_layout.json")) {
      BpeTokenizer t = (BpeTokenizer) HfTokenizerJson.load(TestFiles.resource(file));
      assertThat(t.backtracking()).as(file).isTrue();
      for (String s : sequences) {
        byte[] bytes = DnaAlphabet.bytes(s.toUpperCase());
        int[] heap = t.encodeWithHeap(bytes);
        assertThat(t.encodeByMerging(bytes)).as(s).containsExactly(heap);
        IntList fast = new IntList();
        t.encodeTo(bytes, 0, bytes.length, fast);
        assertThat(fast.toArray()).as(s).containsExactly(heap);
      }
    }
  }

  @Test
  void kmerAndNucleotideFilesEncodeIdentically() {
    Tokenizer kmer6 = HfTokenizerJson.load(TestFiles.resource("kmer6.json"));
    assertThat(kmer6).isInstanceOfSatisfying(KmerTokenizer.class, k -> {
      assertThat(k.k()).isEqualTo(6);
      assertThat(k.overlapping()).isFalse();
    });
    assertSameIds(kmer6, "kmer6.ids.gz", false);
    assertSameIds(KmerTokenizer.create(6, false), "kmer6.ids.gz", false);

    Tokenizer kmer3 = HfTokenizerJson.load(TestFiles.resource("kmer3_overlap.json"));
    assertThat(kmer3).isInstanceOfSatisfying(KmerTokenizer.class, k -> assertThat(k.overlapping()).isTrue());
    assertSameIds(kmer3, "kmer3_overlap.ids.gz", true);
    assertSameIds(KmerTokenizer.create(3, true), "kmer3_overlap.ids.gz", true);

    Tokenizer nucleotide = HfTokenizerJson.load(TestFiles.resource("nucleotide.json"));
    assertThat(nucleotide).isInstanceOf(NucleotideTokenizer.class);
    assertSameIds(nucleotide, "nucleotide.ids.gz", false);
    assertSameIds(NucleotideTokenizer.create(), "nucleotide.ids.gz", false);
  }

  @Test
  void ourSavedWordLevelVocabulariesEqualTheOnesBuiltInPython() throws Exception {
    Tokenizer python = HfTokenizerJson.load(TestFiles.resource("kmer6.json"));
    assertThat(KmerTokenizer.create(6, false).vocabulary().asMap()).isEqualTo(python.vocabulary().asMap());
    assertThat(NucleotideTokenizer.create().vocabulary().asMap())
        .isEqualTo(HfTokenizerJson.load(TestFiles.resource("nucleotide.json")).vocabulary().asMap());
  }

  /** Same chunks, same settings: dnalab's trainer makes Hugging Face's vocabulary and merges. */
  @Test
  void trainingOnGueEqualsHuggingFaceTraining() {
    BpeTokenizer hf = (BpeTokenizer) HfTokenizerJson.load(TestFiles.resource("hf_bpe_tf0_1024.json"));
    BpeTokenizer ours = BpeTrainer.builder().vocabSize(1024).build().train(TestFiles.gue("tf_0", "train"));
    assertThat(ours.vocabulary().asMap()).isEqualTo(hf.vocabulary().asMap());
    assertThat(ours.mergeTokens()).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(hf.mergeTokens());
  }

  /** Re-training with the fixture's command gives the very same file (deterministic training). */
  @Test
  void trainingOnChr20IsDeterministic(@TempDir Path dir) throws Exception {
    Path genome = TestFiles.datasets().resolve("genomes/human_GRCh37_chr20.fa.gz");
    BpeTokenizer ours = BpeTrainer.builder().vocabSize(1024).maxBases(2_000_000).build().train(List.of(genome));
    Path saved = dir.resolve("tok.json");
    ours.save(saved);
    assertThat(Files.readString(saved)).isEqualTo(Files.readString(TestFiles.resource("dnalab_bpe_chr20_2mb_1024.json")));
  }
}
