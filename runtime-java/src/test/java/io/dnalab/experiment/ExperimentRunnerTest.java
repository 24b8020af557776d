package io.dnalab.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dnalab.data.SequenceTask;
import io.dnalab.result.RunResult;
import io.dnalab.spec.ExperimentSpec;
import io.dnalab.spec.FinetuneSpec;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.PretrainSpec;
import io.dnalab.spec.SpecException;
import io.dnalab.spec.TaskSpec;
import io.dnalab.spec.TokenizerSpec;
import io.dnalab.train.FineTuner;
import io.dnalab.train.SyntheticTasks;
import io.dnalab.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentRunnerTest {
  private static final ModelSpec SMALL = new ModelSpec.ConvNova(16, 5, 2, 4, 2, false);

  private static ExperimentSpec spec(List<TokenizerSpec> tokenizers) {
    return new ExperimentSpec("runner-test", List.of(new TaskSpec.Builtin("motif")),
        tokenizers, List.of(SMALL, new ModelSpec.UNet(1, 8)), List.of(new PretrainSpec.None()),
        new FinetuneSpec(1, 1e-3, 32, 0.1), 2);
  }

  @Test
  void runsEveryCellAndSeedInOrderAndWritesCsv(@TempDir Path dir) throws Exception {
    SequenceTask task = SyntheticTasks.motifs(2, 128, 64, 64, 40, 40, 9);
    List<TaskSpec> loaded = new ArrayList<>();
    List<RunResult> streamed = new ArrayList<>();
    ExperimentRunner runner = new ExperimentRunner(spec -> {
      loaded.add(spec);
      return task;
    }, FineTuner.nucleotide(), TrainingListener.NONE, streamed::add);
    List<RunResult> results = runner.run(spec(List.of(new TokenizerSpec.Nucleotide())));

    assertThat(loaded).hasSize(1); // each task loaded once
    assertThat(results).isEqualTo(streamed);
    assertThat(results).extracting(RunResult::model).containsExactly("convnova-d16-k5",
        "convnova-d16-k5", "unet-1x8", "unet-1x8");
    assertThat(results).extracting(RunResult::seed).containsExactly(1L, 2L, 1L, 2L);
    assertThat(results.get(0).test().examples()).isEqualTo(64);
    assertThat(results.get(0).steps()).isEqualTo(4);
    assertThat(results.get(0).test()).isNotEqualTo(results.get(1).test());

    Path csv = dir.resolve("results.csv");
    RunResult.writeCsv(results, csv);
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines).hasSize(5);
    assertThat(lines.get(0)).startsWith("experiment,task,tokenizer,model,pretrain,seed,dev_accuracy")
        .endsWith("parameters,wall_seconds,epochs,steps,best_epoch,device,tokens_seen,flops");
    // fine-tuning counts its tokens: every training example once per epoch
    assertThat(results.get(0).tokensSeen()).isEqualTo(128L * 40);
    assertThat(results.get(0).flops()).isPositive();
    assertThat(lines.get(1)).startsWith("runner-test,builtin/motif,nucleotide,convnova-d16-k5,none,1,");
    assertThat(lines.get(1).split(",", -1)).hasSize(lines.get(0).split(",").length);
  }

  @Test
  void refusesTokenizersItCannotRunBeforeTraining() {
    ExperimentRunner runner = new ExperimentRunner(spec -> {
      throw new AssertionError("must not load data");
    }, FineTuner.nucleotide(), TrainingListener.NONE, r -> { });
    assertThatThrownBy(() -> runner.run(spec(List.of(new TokenizerSpec.Kmer(6, true)))))
        .isInstanceOf(SpecException.class)
        .hasMessage("tokenizer: fine-tuning runs single-nucleotide models for now; 6mer-overlap "
            + "is not supported yet (use nucleotide)");
  }
}
