package io.dnalab.tokenize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BpeTokenizerTest {
  private static String randomDna(Random rnd, int length, String alphabet) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  /**
   * The three encoders (backtracking, rank buckets, Hugging Face's heap) give the same tokens on
   * random and repetitive input.
   */
  @Test
  void allEncodersAgree() {
    Random rnd = new Random(7);
    for (int round = 0; round < 20; round++) {
      List<String> corpus = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        // Low-complexity alphabets make repeats (AAAA, ACAC) and so overlapping X X merges.
        corpus.add(randomDna(rnd, 50 + rnd.nextInt(200), round % 2 == 0 ? "ACGT" : "AAAC"));
      }
      BpeTokenizer t = BpeTrainer.builder().vocabSize(40 + rnd.nextInt(200)).build().train(corpus);
      assertThat(t.rankMonotone()).isTrue();
      assertThat(t.backtracking()).isTrue();
      for (int i = 0; i < 50; i++) {
        String s = randomDna(rnd, rnd.nextInt(300), i % 3 == 0 ? "AAAACNX" : "ACGT");
        int[] heap = t.encodeWithHeap(DnaAlphabet.bytes(s));
        assertThat(t.encodeIds(s)).as(s).containsExactly(heap);
        assertThat(t.encodeByMerging(DnaAlphabet.bytes(s))).as(s).containsExactly(heap);
      }
    }
  }

  private static Vocabulary vocab(String... tokens) {
    List<String> all = new ArrayList<>(SpecialTokens.NAMES);
    all.addAll(List.of(tokens));
    return Vocabulary.of(all);
  }

  @Test
  void nonLetterIsAnErrorNamingItsPositionInEveryEncoder() {
    BpeTokenizer t = BpeTrainer.builder().vocabSize(40).build().train(List.of("ACGTACGTAAAACCCGGGTTTACGT"));
    assertThat(t.backtracking()).isTrue();
    for (String s : List.of("ACGTACGTAC.GT", "ACGTACGTACGTACGTAC-", "*ACGTACGTACGT")) {
      int at = s.length() - s.replaceAll("^[A-Z]*", "").length();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> t.encodeIds(s))
          .isInstanceOf(InvalidSequenceException.class)
          .hasMessageContaining("at position " + at + " of the sequence");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> t.encodeByMerging(DnaAlphabet.bytes(s)))
          .hasMessageContaining("at position " + at + " of the sequence");
    }
  }

  @Test
  void equalRanksApplyLeftToRight() {
    BpeTokenizer t = BpeTokenizer.of(vocab("A", "AA"), List.<String[]>of(new String[] {"A", "A"}));
    assertThat(t.withSpecialTokens(false).encode("AAAAA").tokens()).containsExactly("AA", "AA", "A");
  }

  /** A merge list where a later merge produces a part of an earlier one is not rank-monotone: heap path. */
  @Test
  void nonMonotoneMergesUseTheHeapAndFollowRanks() {
    // Rank 0 wants "AC G" but AC only appears at rank 1: Hugging Face still applies ranks in order.
    BpeTokenizer t = BpeTokenizer.of(vocab("A", "C", "G", "AC", "ACG", "CG"),
        List.of(new String[] {"AC", "G"}, new String[] {"A", "C"}, new String[] {"C", "G"}));
    assertThat(t.rankMonotone()).isFalse();
    assertThat(t.backtracking()).isFalse();
    // A C G: the only pair with a merge at first is A C (rank 1) and C G (rank 2): A C wins,
    // then AC G (rank 0) applies.
    assertThat(t.withSpecialTokens(false).encode("ACG").tokens()).containsExactly("ACG");
    assertThat(t.withSpecialTokens(false).encode("CGACG").tokens()).containsExactly("CG", "ACG");
  }

  @Test
  void lettersOutsideTheVocabularyAreUnkAndFuseWhenAsked() {
    Vocabulary v = vocab("A", "C", "AC");
    List<String[]> merges = List.<String[]>of(new String[] {"A", "C"});
    BpeTokenizer t = BpeTokenizer.of(v, merges);
    assertThat(t.withSpecialTokens(false).encode("ACGGAC").tokens()).containsExactly("AC", "[UNK]", "[UNK]", "AC");
    BpeTokenizer fused = new BpeTokenizer(v, SpecialTokens.find(v), BpeTokenizer.mergeIds(v, merges, "m"), true, false,
        DnaAlphabet.normalizationTable(), AbstractTokenizer.defaultOptions(SpecialTokens.find(v)));
    assertThat(fused.withSpecialTokens(false).encode("ACGGAC").tokens()).containsExactly("AC", "[UNK]", "AC");
  }

  @Test
  void encodingAllocatesNothingPerBaseAndIsThreadSafe() throws Exception {
    BpeTokenizer t = BpeTrainer.builder().vocabSize(100).build()
        .train(List.of(randomDna(new Random(1), 5000, "ACGT")));
    List<String> inputs = new ArrayList<>();
    Random rnd = new Random(2);
    for (int i = 0; i < 400; i++) {
      inputs.add(randomDna(rnd, 100 + rnd.nextInt(900), "ACGT"));
    }
    Map<String, int[]> expected = new java.util.HashMap<>();
    for (String s : inputs) {
      expected.put(s, t.encodeWithHeap(DnaAlphabet.bytes(s)));
    }
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int k = 0; k < 4; k++) {
      Thread th = new Thread(() -> {
        try {
          for (String s : inputs) {
            assertThat(t.encodeIds(s)).containsExactly(expected.get(s));
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      });
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      th.join();
    }
    assertThat(failures).isEmpty();
  }
}
