package io.dnalab.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.dnalab.data.SequenceTask;
import io.dnalab.engine.DnalabEngine;
import io.dnalab.model.Models;
import io.dnalab.model.SequenceClassifier;
import io.dnalab.result.MetricSet;
import io.dnalab.spec.FinetuneSpec;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.Recipe;
import io.dnalab.spec.Recipes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FineTunerTest {
  /** Small enough for a few seconds on 2 cores, large enough to learn a 6-mer. */
  private static final ModelSpec.ConvNova SMALL_CONVNOVA = new ModelSpec.ConvNova(32, 5, 3, 4, 2,
      false);

  private static FineTuneConfig config(int epochs, long seed) {
    return new FineTuneConfig(epochs, 3e-3, 32, 0.1, LearningRateSchedule.Kind.WARMUP_COSINE,
        0.05, 0.1, 1.0, 0, "mcc", 128, 0, seed);
  }

  @Test
  void convNovaLearnsAMotifToHighAccuracyWithMixedLengths() {
    // Lengths 40..60: every batch is padded and masked.
    SequenceTask task = SyntheticTasks.motifs(2, 800, 200, 200, 40, 60, 1);
    List<Integer> epochsSeen = new ArrayList<>();
    FineTuneResult result = FineTuner.nucleotide().run(task, SMALL_CONVNOVA, config(4, 7),
        new TrainingListener() {
          @Override
          public void onEpochEnd(int epoch, MetricSet dev, boolean improved) {
            epochsSeen.add(epoch);
          }
        });
    assertThat(result.test().accuracy()).isGreaterThan(0.9);
    assertThat(result.test().mcc()).isGreaterThan(0.8);
    assertThat(result.steps()).isEqualTo(4 * 25);
    assertThat(epochsSeen).containsExactly(1, 2, 3, 4);
    assertThat(result.dev()).isEqualTo(result.devHistory().get(result.bestEpoch() - 1));
  }

  @Test
  void sameSeedGivesBitIdenticalMetricsAndAnotherSeedDoesNot() {
    SequenceTask task = SyntheticTasks.motifs(2, 256, 100, 100, 50, 50, 2);
    FineTuneResult first = FineTuner.nucleotide().run(task, SMALL_CONVNOVA, config(2, 5),
        TrainingListener.NONE);
    FineTuneResult second = FineTuner.nucleotide().run(task, SMALL_CONVNOVA, config(2, 5),
        TrainingListener.NONE);
    FineTuneResult other = FineTuner.nucleotide().run(task, SMALL_CONVNOVA, config(2, 6),
        TrainingListener.NONE);
    assertThat(second.devHistory()).isEqualTo(first.devHistory());
    assertThat(second.test()).isEqualTo(first.test());
    assertThat(other.test().loss()).isNotEqualTo(first.test().loss());
  }

  @Test
  void threeClassesWithConvNova() {
    SequenceTask task = SyntheticTasks.motifs(3, 1500, 150, 150, 48, 48, 3);
    FineTuneResult result = FineTuner.nucleotide().run(task, SMALL_CONVNOVA, config(4, 1),
        TrainingListener.NONE);
    assertThat(result.test().accuracy()).isGreaterThan(0.9);
    assertThat(result.test().mcc()).isGreaterThan(0.85);
  }

  @Test
  void unetAndCnnBaselineLearn() {
    SequenceTask task = SyntheticTasks.motifs(2, 600, 150, 150, 64, 64, 5);
    FineTuneResult unet = FineTuner.nucleotide().run(task, new ModelSpec.UNet(2, 16),
        config(4, 1), TrainingListener.NONE);
    FineTuneResult cnn = FineTuner.nucleotide().run(task, new ModelSpec.CnnBaseline(),
        config(4, 1), TrainingListener.NONE);
    assertThat(unet.test().accuracy()).isGreaterThan(0.9);
    // The reference CNN (no padding, small dense head, no activation before the output) learns
    // too, more slowly: 0.69 here.
    assertThat(cnn.test().accuracy()).isGreaterThan(0.6);
  }

  @Test
  void earlyStoppingKeepsTheBestEpoch() {
    // A learning rate of 1e-12 cannot change the dev score: epoch 1 stays best, patience 1 stops
    // after epoch 2.
    SequenceTask task = SyntheticTasks.motifs(2, 64, 64, 64, 30, 30, 4);
    FineTuneConfig frozen = new FineTuneConfig(6, 1e-12, 32, 0, LearningRateSchedule.Kind.CONSTANT,
        0, 0.1, 1.0, 1, "mcc", 64, 0, 1);
    FineTuneResult result = FineTuner.nucleotide().run(task, SMALL_CONVNOVA, frozen,
        TrainingListener.NONE);
    assertThat(result.epochsRun()).isEqualTo(2);
    assertThat(result.bestEpoch()).isEqualTo(1);
    assertThat(result.steps()).isEqualTo(4);
  }

  @Test
  void stepBasedSelectionKeepsTheLowestDevLossOfEvaluationsEveryNSteps() {
    // 64 examples, batch 16: 4 steps an epoch, 12 in 3 epochs; evaluated every 5 steps and
    // after the last: at steps 5, 10 and 12.
    SequenceTask task = SyntheticTasks.motifs(2, 64, 64, 64, 30, 30, 4);
    FineTuneConfig config = new FineTuneConfig(3, 3e-3, 16, 0.01,
        LearningRateSchedule.Kind.LINEAR_DECAY, 0, 0, 1.0, 0, "mcc", 64, 0, 1, false,
        AdamWOptimizer.Rule.TORCH, 0.9, 0.999, 1e-8, Recipe.DecayApplies.NOT_BIAS_OR_NORM, 2,
        Recipe.Selection.Kind.BEST_DEV_LOSS, 5);
    List<Integer> evaluatedInEpoch = new ArrayList<>();
    FineTuneResult result = FineTuner.nucleotide().run(task, SMALL_CONVNOVA, config,
        new TrainingListener() {
          @Override
          public void onEpochEnd(int epoch, MetricSet dev, boolean improved) {
            evaluatedInEpoch.add(epoch);
          }
        });
    assertThat(result.steps()).isEqualTo(12);
    // step 5 is in epoch 2, steps 10 and 12 in epoch 3
    assertThat(evaluatedInEpoch).containsExactly(2, 3, 3);
    assertThat(result.devHistory()).hasSize(3);
    double lowest = result.devHistory().stream().mapToDouble(MetricSet::loss).min()
        .orElseThrow();
    assertThat(result.dev().loss()).isEqualTo(lowest);
  }

  @Test
  void lastEpochSelectionKeepsTheLastEpochWhateverDevSays() {
    // the CNN needs at least 50 bases
    SequenceTask task = SyntheticTasks.motifs(2, 64, 64, 64, 64, 64, 4);
    FineTuneConfig config = FineTuneConfig.of(Recipes.gbCnnRecipe().overridden(3, null, 16,
        null), FinetuneSpec.defaults(), 2);
    assertThat(config.rule()).isEqualTo(AdamWOptimizer.Rule.TORCH);
    assertThat(config.decayApplies()).isEqualTo(Recipe.DecayApplies.NONE);
    FineTuneResult result = FineTuner.nucleotide().run(task, new ModelSpec.CnnBaseline(),
        config, TrainingListener.NONE);
    assertThat(result.bestEpoch()).isEqualTo(3);
    assertThat(result.devHistory()).hasSize(3);
    assertThat(result.dev()).isEqualTo(result.devHistory().get(2));
  }

  @Test
  void recipeDecayGroupsFollowHuggingFaceAndTheConfigs() {
    // A small BERT classifier: embeddings, linear weights and biases, LayerNorm gamma / beta.
    DnalabEngine.startDefault();
    try (NDManager manager = NDManager.newBaseManager()) {
      SequenceClassifier model = Models.initialize(Models.create(
          new ModelSpec.Bert(1, 16, 2, 32), 2, 8), manager, 1, 8);
      int weights = 0;
      int biasesAndNorms = 0;
      for (Pair<String, Parameter> pair : model.getParameters()) {
        Parameter parameter = pair.getValue();
        String name = pair.getKey();
        boolean biasOrNorm = parameter.getType() == Parameter.Type.BIAS
            || parameter.getType() == Parameter.Type.GAMMA
            || parameter.getType() == Parameter.Type.BETA;
        assertThat(biasOrNorm).as(name).isEqualTo(name.endsWith("bias")
            || name.endsWith("gamma") || name.endsWith("beta"));
        assertThat(TrainingLoop.decays(Recipe.DecayApplies.NOT_BIAS_OR_NORM, parameter))
            .as(name).isEqualTo(!biasOrNorm);
        assertThat(TrainingLoop.decays(Recipe.DecayApplies.ALL, parameter)).isTrue();
        assertThat(TrainingLoop.decays(Recipe.DecayApplies.NONE, parameter)).isFalse();
        if (name.endsWith("embedding")) {
          // HF decays embeddings; dnalab 0.1 (MATRIX_WEIGHTS) did not.
          assertThat(TrainingLoop.decays(Recipe.DecayApplies.NOT_BIAS_OR_NORM, parameter))
              .isTrue();
          assertThat(TrainingLoop.decays(Recipe.DecayApplies.MATRIX_WEIGHTS, parameter))
              .isFalse();
        }
        if (biasOrNorm) {
          biasesAndNorms++;
        } else {
          weights++;
        }
      }
      assertThat(weights).isPositive();
      assertThat(biasesAndNorms).isPositive();
    }
  }

  @Test
  void rejectsUnknownSelectionMetric() {
    assertThatThrownBy(() -> new FineTuneConfig(1, 1e-3, 8, 0,
        LearningRateSchedule.Kind.CONSTANT, 0, 0.1, 1, 0, "r2", 8, 0, 1))
        .hasMessage("selectionMetric must be one of accuracy, mcc, f1, auroc, auprc (higher is "
            + "better), got \"r2\"");
  }
}
