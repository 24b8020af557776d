package io.dnalab.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnalab.result.RunResult;
import io.dnalab.spec.CorpusSpec;
import io.dnalab.spec.ExperimentSpec;
import io.dnalab.spec.FinetuneSpec;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.Objective;
import io.dnalab.spec.PretrainSpec;
import io.dnalab.spec.SpecException;
import io.dnalab.spec.TaskSpec;
import io.dnalab.spec.TokenizerSpec;
import io.dnalab.train.PretrainResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole engine with real stages, small enough for CI: a BPE vocabulary trained on a catalog
 * genome (named by its id), a BERT pretrained with token MLM on that genome, then fine-tuned on the built-in task from that checkpoint and from
 * random initialisation; a rerun recomputes nothing.
 */
class PretrainedExperimentTest {
  private static final ModelSpec BERT = new ModelSpec.Bert(1, 32, 2, 64, 0.0, false,
      ModelSpec.Pooling.MEAN, true);
  private static final PretrainSpec MLM = new PretrainSpec.Pretrain(new Objective.TokenMlm(0.15),
      CorpusSpec.of("h_pylori", "bacteria_H_pylori_G27"), 30, 8, 128, 1e-3, 3, 0.01, 15, 16, 7);

  private static ExperimentSpec spec() {
    return new ExperimentSpec("pretrained-vs-random",
        List.of(new TaskSpec.Builtin("leptospira_coding_vs_intergenic")),
        List.of(new TokenizerSpec.Bpe(256, List.of("bacteria_H_pylori_G27"))), List.of(BERT),
        List.of(new PretrainSpec.None(), MLM), new FinetuneSpec(1, 1e-3, 128, 0.1), 1);
  }

  @Test
  void pretrainsOnceFineTunesFromTheCheckpointAndReusesEverythingOnARerun(@TempDir Path dir)
      throws Exception {
    List<RunResult> first;
    Path artifact;
    try (ExperimentEngine engine = TestEngines.inFolder(dir)) {
      Plan plan = engine.plan(spec());
      assertThat(plan.count(Stage.Kind.TOKENIZER)).isEqualTo(1);
      assertThat(plan.count(Stage.Kind.PRETRAIN)).isEqualTo(1);
      assertThat(plan.count(Stage.Kind.FINETUNE)).isEqualTo(2);
      first = engine.execute(plan, new ExecutionListener() {});
      String pretrainKey = plan.stages(Stage.Kind.PRETRAIN).get(0).key();
      artifact = engine.artifacts().find(Stage.Kind.PRETRAIN.artifactKind(), pretrainKey)
          .orElseThrow();
    }
    assertThat(artifact.resolve(PretrainRunner.ENCODER_FILE)).isRegularFile();
    PretrainResult pretraining = LocalPretrainRunner.readResult(artifact).orElseThrow();
    assertThat(pretraining.cost().tokensSeen()).isPositive();
    assertThat(pretraining.cost().flops()).isPositive();
    assertThat(pretraining.curve()).isNotEmpty();
    // how the corpus was read travels with the artifact: the base policy and what it replaced
    assertThat(Files.readString(artifact.resolve(LocalPretrainRunner.CORPUS_READ_FILE)))
        .contains("\"genome\" : \"bacteria_H_pylori_G27\"")
        .contains("\"policy\" : \"LENIENT_CORPUS\"").contains("\"bases\" : 1652982")
        .contains("\"ambiguityCodesAsN\" : 0");
    // the leakage screen ran before the pretraining and travels with it: the task's dev and test
    LocalPretrainRunner.Leakage leakage = LocalPretrainRunner.readLeakage(artifact).orElseThrow();
    assertThat(leakage.policy()).isEqualTo(CorpusSpec.Leakage.REPORT);
    assertThat(leakage.report().counts()).extracting(c -> c.task() + " " + c.split())
        .containsExactly("builtin/leptospira_coding_vs_intergenic dev",
            "builtin/leptospira_coding_vs_intergenic test");
    assertThat(leakage.report().corpusBases()).isEqualTo(1652982);
    LocalPretrainRunner.TokenEmbeddings embeddings =
        LocalPretrainRunner.tokenEmbeddings(artifact, BERT);
    assertThat(embeddings.tokens()).hasSize(256 - 5).contains("A", "C", "G", "T")
        .doesNotContain("[PAD]", "[MASK]");
    assertThat(embeddings.vectors().length).isEqualTo(embeddings.tokens().size());
    assertThat(embeddings.vectors()[0]).hasSize(32);

    assertThat(first).extracting(RunResult::pretrain).containsExactly("none", MLM.id());
    // Same seed, same data, same architecture: only the initial encoder differs.
    assertThat(first.get(0).test().get("loss")).isNotEqualTo(first.get(1).test().get("loss"));
    for (RunResult run : first) {
      assertThat(run.tokensSeen()).isPositive();
      assertThat(run.flops()).isPositive();
    }

    List<Stage> skipped = new ArrayList<>();
    List<RunResult> second;
    try (ExperimentEngine engine = TestEngines.inFolder(dir)) {
      Plan plan = engine.plan(spec());
      assertThat(plan.allDone()).isTrue();
      second = engine.execute(plan, new ExecutionListener() {
        @Override
        public void onStageSkipped(Stage stage) {
          skipped.add(stage);
        }
      });
    }
    assertThat(skipped).hasSize(4);
    assertThat(second).extracting(r -> r.test().get("mcc"))
        .containsExactlyElementsOf(first.stream().map(r -> r.test().get("mcc")).toList());
    assertThat(second).extracting(RunResult::flops)
        .containsExactlyElementsOf(first.stream().map(RunResult::flops).toList());
    // One store: the encoder is written once, into the artifact; no training state is left.
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      assertThat(files.filter(f -> f.getFileName().toString().equals(PretrainRunner.ENCODER_FILE))
          .toList()).containsExactly(artifact.resolve(PretrainRunner.ENCODER_FILE));
    }
    try (java.util.stream.Stream<Path> files = Files.walk(dir.resolve("artifacts"))) {
      assertThat(files.filter(f -> f.getFileName().toString().endsWith(".state")).toList())
          .isEmpty();
    }
  }

  @Test
  void aMisspeltGenomeFailsWhenTheExperimentIsPlannedNamingIt(@TempDir Path dir) {
    PretrainSpec misspelt = new PretrainSpec.Pretrain(new Objective.TokenMlm(0.15),
        CorpusSpec.of("typo", "human_chr21"), 30, 8, 128, 1e-3, 3, 0.01, 15, 16, 7);
    ExperimentSpec spec = new ExperimentSpec("typo",
        List.of(new TaskSpec.Builtin("leptospira_coding_vs_intergenic")),
        List.of(new TokenizerSpec.Nucleotide()), List.of(BERT), List.of(misspelt),
        new FinetuneSpec(1, 1e-3, 128, 0.1), 1);
    try (ExperimentEngine engine = TestEngines.inFolder(dir)) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> engine.plan(spec))
          .isInstanceOf(SpecException.class)
          .hasMessageContaining("pretrain.corpus.genomes")
          .hasMessageContaining("unknown genome \"human_chr21\"")
          .hasMessageContaining("human_GRCh37_chr20");
    }
  }
}
