package io.dnalab.tokenize;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnalab.spec.TokenizerSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizersTest {
  @Test
  void everySpecBuildsItsTokenizer(@TempDir Path dir) throws Exception {
    Path fa = dir.resolve("g.fa");
    Files.writeString(fa, ">g\nACGTACGTTTGACAACGT\n");
    Map<String, List<Path>> catalog = Map.of("tiny", List.of(fa));
    List<String> task = List.of("ACGTAC", "TTGACA");
    assertThat(create(new TokenizerSpec.Nucleotide(), catalog, task)).isInstanceOf(NucleotideTokenizer.class);
    assertThat(create(new TokenizerSpec.Kmer(6, true), catalog, task))
        .isInstanceOfSatisfying(KmerTokenizer.class, k -> assertThat(k.overlapping()).isTrue());
    Tokenizer fromCorpus = create(new TokenizerSpec.Bpe(16, List.of("tiny")), catalog, task);
    assertThat(HfTokenizerJson.toJson(fromCorpus))
        .isEqualTo(HfTokenizerJson.toJson(BpeTrainer.builder().vocabSize(16).build().train(List.of(fa))));
    Tokenizer fromTask = create(new TokenizerSpec.Bpe(16, List.of()), catalog, task);
    assertThat(HfTokenizerJson.toJson(fromTask))
        .isEqualTo(HfTokenizerJson.toJson(BpeTrainer.builder().vocabSize(16).build().train(task)));
    Path saved = dir.resolve("t.json");
    fromTask.save(saved);
    assertThat(create(new TokenizerSpec.FromFile(saved), catalog, task).vocabulary().asMap())
        .isEqualTo(fromTask.vocabulary().asMap());
  }

  private static Tokenizer create(TokenizerSpec spec, Map<String, List<Path>> catalog, List<String> task) {
    return Tokenizers.create(spec, catalog::get, () -> task, TrainingProgress.NONE);
  }
}
