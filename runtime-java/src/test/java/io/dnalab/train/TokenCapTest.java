package io.dnalab.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnalab.data.LabeledSequence;
import io.dnalab.data.SequenceTask;
import io.dnalab.engine.DnalabEngine;
import io.dnalab.spec.FinetuneSpec;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.Recipe;
import io.dnalab.spec.Recipes;
import io.dnalab.spec.TaskSpec;
import io.dnalab.tokenize.HfTokenizerJson;
import io.dnalab.tokenize.KmerTokenizer;
import io.dnalab.tokenize.Tokenizer;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The recipe's token cap (DNABERT-2's {@code model_max_length}) cuts a BPE cell's sequences as
 * Hugging Face's tokenizer truncates them, and nothing else.
 */
class TokenCapTest {

  /** A Hugging Face BPE (1,024 tokens, {@code [CLS] $A [SEP]} template) from the test resources. */
  private static Tokenizer hfBpe() throws URISyntaxException {
    return HfTokenizerJson.load(Path.of(TokenCapTest.class
        .getResource("/tokenize/hf_bpe_tf0_1024.json").toURI()));
  }

  /** GUE prom_core_tata training sequences 2, 249 and 4 (train.csv.gz, header not counted). */
  private static final List<String> PROM_CORE_TATA = List.of(
      "AAAATATAGGCCGGGGTACCTCAGCCGGAAGGGACTTCAGTTAGTGACAGGTTTTCTGTTCTGATATGGA",
      "CCTTTATATACGTGGAATGTTTATTGAAGACAACTGTGTGTGCTAGGTATAATAAGTAATAAACAAAAAC",
      "AGTTTAAAAGCCAGCCAGTCATACTAAAAAAAAGAATTCAGGTTTTCAGTAGCTTCTGAAGATATATATT");

  /** prom_core_tata's cap as the recipe resolves it, through the fine-tuning configuration. */
  private static int promCoreTataCap() {
    Recipe recipe = Recipes.dnabert2Gue().forTask(new TaskSpec.Gue("prom_core_tata"));
    return FineTuneConfig.of(recipe, FinetuneSpec.defaults(), 1).maxTokens();
  }

  @Test
  void aBpeCellGetsExactlyTheCapIncludingClsAndSepAsHuggingFaceTruncates() throws Exception {
    int cap = promCoreTataCap();
    assertThat(cap).as("run_dnabert2.sh's model_max_length for prom_core_tata").isEqualTo(20);
    TokenizerEncoder uncapped = new TokenizerEncoder(hfBpe());
    assertThat(PROM_CORE_TATA.stream().map(s -> uncapped.encode(s).length))
        .containsExactly(21, 24, 19);
    SequenceEncoder capped = uncapped.capped(cap);
    // The reference, tokenizers 0.23.2 (pip), from the repository root:
    //   python3 -c 'from tokenizers import Tokenizer
    //   t = Tokenizer.from_file("runtime-java/src/test/resources/tokenize/hf_bpe_tf0_1024.json")
    //   t.enable_truncation(max_length=20)
    //   for s in SEQUENCES: print(t.encode(s).ids)'
    // printed (SEQUENCES = PROM_CORE_TATA above; [CLS] = 2, [SEP] = 3):
    //   [2, 100, 133, 73, 75, 120, 173, 11, 162, 41, 71, 19, 97, 107, 104, 23, 314, 33, 61, 3]
    //   [2, 10, 19, 133, 33, 50, 306, 129, 133, 450, 38, 69, 74, 169, 20, 133, 18, 170, 64, 3]
    //   [2, 187, 64, 112, 37, 642, 176, 100, 443, 253, 30, 104, 21, 57, 465, 31, 556, 739, 3]
    assertThat(capped.encode(PROM_CORE_TATA.get(0))).containsExactly(
        2, 100, 133, 73, 75, 120, 173, 11, 162, 41, 71, 19, 97, 107, 104, 23, 314, 33, 61, 3);
    assertThat(capped.encode(PROM_CORE_TATA.get(1))).containsExactly(
        2, 10, 19, 133, 33, 50, 306, 129, 133, 450, 38, 69, 74, 169, 20, 133, 18, 170, 64, 3);
    assertThat(capped.encode(PROM_CORE_TATA.get(2))).containsExactly(
        2, 187, 64, 112, 37, 642, 176, 100, 443, 253, 30, 104, 21, 57, 465, 31, 556, 739, 3);
    // A sequence under the cap is left as it was.
    assertThat(capped.encode(PROM_CORE_TATA.get(2)))
        .isEqualTo(uncapped.encode(PROM_CORE_TATA.get(2)));
    assertThat(capped.padId()).isEqualTo(uncapped.padId());
    assertThat(capped.vocabulary()).isEqualTo(uncapped.vocabulary());
    assertThat(uncapped.capped(0)).isSameAs(uncapped);
  }

  @Test
  void kmerAndNucleotideCellsAreNotCutByABpeCap() {
    int cap = promCoreTataCap();
    String sequence = PROM_CORE_TATA.get(0);
    TokenizerEncoder kmers = new TokenizerEncoder(KmerTokenizer.create(6, true));
    // 70 bases: 65 overlapping 6-mers between [CLS] and [SEP].
    assertThat(kmers.capped(cap).encode(sequence)).hasSize(67)
        .isEqualTo(kmers.encode(sequence));
    assertThat(NucleotideEncoder.INSTANCE.capped(cap).encode(sequence)).hasSize(70);
  }

  @Test
  void aCappedFineTuningTrainsOnAtMostTheCapPerSequence() throws Exception {
    SequenceTask task = SyntheticTasks.motifs(2, 96, 32, 32, 64, 80, 21);
    TokenizerEncoder encoder = new TokenizerEncoder(hfBpe());
    int cap = 20;
    long uncappedTokens = 0;
    long cappedTokens = 0;
    for (LabeledSequence example : task.train()) {
      int length = encoder.encode(example.sequence()).length;
      uncappedTokens += length;
      cappedTokens += Math.min(length, cap);
    }
    assertThat(cappedTokens).as("the task must have sequences over the cap")
        .isLessThan(uncappedTokens);
    // DNABERT-2's recipe with prom_core_tata's cap, one epoch.
    Recipe recipe = Recipes.dnabert2Gue().forTask(new TaskSpec.Gue("prom_core_tata"))
        .overridden(1, null, 32, null);
    FineTuner tuner = new FineTuner(encoder, DnalabEngine.startDefault());
    ModelSpec.Bert bert = new ModelSpec.Bert(1, 32, 2, 64);
    FineTuneResult capped = tuner.run(task, bert,
        FineTuneConfig.of(recipe, FinetuneSpec.defaults(), 1), TrainingListener.NONE);
    assertThat(capped.tokensSeen()).isEqualTo(cappedTokens);
    // The same recipe without its cap reads every token.
    Recipe noCap = new Recipe(recipe.name(), recipe.source(), recipe.optimizer(),
        recipe.learningRate(), recipe.beta1(), recipe.beta2(), recipe.epsilon(),
        recipe.weightDecay(), recipe.decayApplies(), recipe.schedule(), recipe.clipNorm(),
        recipe.batchSize(), recipe.epochs(), 0, recipe.selection(), List.of());
    FineTuneResult uncapped = tuner.run(task, bert,
        FineTuneConfig.of(noCap, FinetuneSpec.defaults(), 1), TrainingListener.NONE);
    assertThat(uncapped.tokensSeen()).isEqualTo(uncappedTokens);
  }
}
