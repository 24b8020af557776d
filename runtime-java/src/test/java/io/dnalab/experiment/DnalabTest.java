package io.dnalab.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dnalab.data.LoadOptions;
import io.dnalab.result.RunResult;
import io.dnalab.spec.CorpusSpec;
import io.dnalab.spec.ExperimentSpec;
import io.dnalab.spec.FinetuneSpec;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.Objective;
import io.dnalab.spec.PretrainSpec;
import io.dnalab.spec.TaskSpec;
import io.dnalab.spec.TokenizerSpec;
import io.dnalab.tokenize.Tokenizer;
import io.dnalab.tokenize.TokenizerStatistics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The facade the DSL calls: a run hands the plan to the progress factory before anything runs and
 * returns the runs with the pretraining stages read back from their artifacts; the data and
 * tokenizer doors answer as the classes behind them do.
 */
class DnalabTest {
  private static final TaskSpec BUILTIN = new TaskSpec.Builtin("leptospira_coding_vs_intergenic");
  private static final ModelSpec BERT = new ModelSpec.Bert(1, 32, 2, 64, 0.0, false,
      ModelSpec.Pooling.MEAN, true);
  // 10 steps of 4 windows of 64 bases: enough to write a curve and an encoder, cheap on a CPU.
  private static final PretrainSpec MLM = new PretrainSpec.Pretrain(new Objective.TokenMlm(0.15),
      CorpusSpec.of("h_pylori", "bacteria_H_pylori_G27"), 10, 4, 64, 1e-3, 2, 0.01, 5, 8, 3);

  private static ExperimentSpec spec() {
    return new ExperimentSpec("facade", List.of(BUILTIN), List.of(new TokenizerSpec.Nucleotide()),
        List.of(BERT), List.of(new PretrainSpec.None(), MLM),
        new FinetuneSpec(1, 1e-3, 64, 0.1, false, 256), 1);
  }

  @Test
  void runReturnsTheRunsAndThePretrainingsReadBackFromTheirArtifacts(@TempDir Path dir) {
    List<Plan> planned = new ArrayList<>();
    Dnalab.Outcome first;
    try (ExperimentEngine engine = TestEngines.inFolder(dir)) {
      first = Dnalab.run(engine, spec(), plan -> {
        planned.add(plan);
        return ExecutionListener.NONE;
      });
    }
    assertThat(planned).containsExactly(first.plan());
    assertThat(first.plan().count(Stage.Kind.PRETRAIN)).isEqualTo(1);
    assertThat(first.runs()).extracting(RunResult::pretrain).containsExactly("none", MLM.id());

    assertThat(first.pretrainings()).hasSize(1);
    Dnalab.Pretraining pretraining = first.pretrainings().get(0);
    assertThat(pretraining.cell().pretrain()).isEqualTo(MLM);
    assertThat(pretraining.folder().resolve(LocalPretrainRunner.RESULT_FILE)).isRegularFile();
    // Evaluations at steps 5 and 10, each a training and a held-out point.
    assertThat(pretraining.result().curve()).extracting(p -> p.step()).contains(5L, 10L);
    assertThat(pretraining.result().heldOut().positions()).isPositive();
    LocalPretrainRunner.TokenEmbeddings embeddings = Dnalab.tokenEmbeddings(pretraining);
    assertThat(embeddings.tokens()).contains("A", "C", "G", "T");
    assertThat(embeddings.vectors()[0]).hasSize(32);

    // A rerun trains nothing and reads the same pretraining back from the same artifact.
    Dnalab.Outcome second;
    try (ExperimentEngine engine = TestEngines.inFolder(dir)) {
      second = Dnalab.run(engine, spec(), plan -> ExecutionListener.NONE);
    }
    assertThat(second.plan().allDone()).isTrue();
    assertThat(second.pretrainings()).hasSize(1);
    assertThat(second.pretrainings().get(0).folder()).isEqualTo(pretraining.folder());
    assertThat(second.pretrainings().get(0).result().curve())
        .isEqualTo(pretraining.result().curve());
    assertThat(second.runs()).extracting(r -> r.test().get("mcc"))
        .containsExactlyElementsOf(first.runs().stream().map(r -> r.test().get("mcc")).toList());
  }

  @Test
  void aRunWithoutPretrainingHasNoPretrainings(@TempDir Path dir) {
    ModelSpec tiny = new ModelSpec.ConvNova(8, 3, 1, 2, 1, false);
    ExperimentSpec spec = new ExperimentSpec("facade-none", List.of(BUILTIN),
        List.of(new TokenizerSpec.Nucleotide()), List.of(tiny), List.of(new PretrainSpec.None()),
        new FinetuneSpec(1, 1e-3, 64, 0.1, false, 256), 1);
    try (ExperimentEngine engine = TestEngines.inFolder(dir)) {
      Dnalab.Outcome outcome = Dnalab.run(engine, spec, plan -> ExecutionListener.NONE);
      assertThat(outcome.runs()).hasSize(1);
      assertThat(outcome.pretrainings()).isEmpty();
    }
  }

  @Test
  void dataAndTokenizerDoorsAnswerAsTheCatalogAndTheTokenizersDo() {
    List<String> train = Dnalab.sequences(BUILTIN, "train", LoadOptions.defaults());
    assertThat(train).hasSize(5448);
    assertThat(Dnalab.datasetStatistics(BUILTIN, LoadOptions.defaults()).splits().get(0).size())
        .isEqualTo(5448);
    assertThatThrownBy(() -> Dnalab.sequences(BUILTIN, "validation", LoadOptions.defaults()))
        .hasMessage("split must be train, dev or test, got \"validation\"");

    Tokenizer sixMers = Dnalab.buildTokenizer(new TokenizerSpec.Kmer(6, false), List.of());
    // 13 bases: two 6-mers and one leftover base, as the Nucleotide Transformer tokenizes.
    TokenizerStatistics statistics = Dnalab.tokenizerStatistics(sixMers, List.of("ACGTACGTACGTA"));
    assertThat(statistics.bases()).isEqualTo(13);
    assertThat(statistics.tokens()).isEqualTo(3);
  }
}
