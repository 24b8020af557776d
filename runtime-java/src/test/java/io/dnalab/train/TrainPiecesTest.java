package io.dnalab.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.dnalab.data.LabeledSequence;
import io.dnalab.engine.DnalabEngine;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainPiecesTest {

  @Test
  void nucleotideIdsAndErrors() {
    assertThat(NucleotideEncoder.INSTANCE.encode("ACGTNacgtnR")).containsExactly(0, 1, 2, 3, 4,
        0, 1, 2, 3, 4, 4);
    assertThatThrownBy(() -> NucleotideEncoder.INSTANCE.encode("ACG-T"))
        .hasMessage("not a nucleotide at position 4: '-' in sequence starting ACG-T");
  }

  @Test
  void warmupCosineRisesLinearlyThenDecaysToTheFloor() {
    // peak 1e-3, 10 warm-up steps of 110, floor 0.1·peak.
    LearningRateSchedule s = LearningRateSchedule.warmupCosine(1e-3, 10, 110, 0.1);
    assertThat(s.at(0)).isCloseTo(1e-4, within(1e-15)); // 1/10 of the peak
    assertThat(s.at(9)).isCloseTo(1e-3, within(1e-15));
    assertThat(s.at(10)).isCloseTo(1e-3, within(1e-15)); // cosine starts at the peak
    assertThat(s.at(60)).isCloseTo(1e-4 + 0.9e-3 * 0.5, within(1e-15)); // half-way: mean
    assertThat(s.at(110)).isCloseTo(1e-4, within(1e-15));
  }

  @Test
  void linearDecayIsHuggingFacesLinearScheduleWithWarmup() {
    // transformers.get_linear_schedule_with_warmup(num_warmup_steps=50, num_training_steps=1530)
    // as the Trainer steps it: optimizer step s trains at peak·lambda(s), where
    // lambda(s) = s/50 for s < 50, else max(0, (1530 − s)/(1530 − 50)).
    double peak = 3e-5;
    LearningRateSchedule s = LearningRateSchedule.linearDecay(peak, 50, 1530);
    for (long step : new long[] {0, 1, 25, 49, 50, 51, 700, 1529, 1530, 1600}) {
      double lambda = step < 50 ? step / 50.0 : Math.max(0.0, (1530.0 - step) / (1530 - 50));
      assertThat(s.at(step)).as("step %d", step).isCloseTo(peak * lambda, within(1e-20));
    }
    assertThat(s.at(0)).isZero(); // the first step trains at rate 0, as in the Trainer
    assertThat(s.at(50)).isEqualTo(peak);
    assertThat(s.at(1529)).isCloseTo(peak / 1480, within(1e-20));
    // Without warm-up it starts at the peak.
    assertThat(LearningRateSchedule.linearDecay(1e-3, 0, 10).at(0)).isEqualTo(1e-3);
  }

  @Test
  void oneCycleMatchesTorchOneCycleLr() {
    // torch.optim.lr_scheduler.OneCycleLR(max_lr=1e-3, total_steps=100), lr before step i
    // (printed by torch 2.13): 0 → 4e-05, 1 → 4.281378056590743e-05, 10 → 2.9516394846410075e-04,
    // 29 → 1e-3, 30 → 9.994965352845243e-04, 50 → 7.938934505757319e-04, 99 → 4e-09.
    LearningRateSchedule s = LearningRateSchedule.oneCycle(1e-3, 100, 0.3);
    assertThat(s.at(0)).isCloseTo(4e-05, within(1e-15));
    assertThat(s.at(1)).isCloseTo(4.281378056590743e-05, within(1e-15));
    assertThat(s.at(10)).isCloseTo(2.9516394846410075e-04, within(1e-15));
    assertThat(s.at(29)).isCloseTo(1e-3, within(1e-15));
    assertThat(s.at(30)).isCloseTo(9.994965352845243e-04, within(1e-15));
    assertThat(s.at(50)).isCloseTo(7.938934505757319e-04, within(1e-15));
    assertThat(s.at(99)).isCloseTo(4e-09, within(1e-15));
  }

  @Test
  void batchesPadAndMaskOnlyWhenLengthsDiffer() {
    Batches.Encoded data = Batches.Encoded.of(List.of(new LabeledSequence("ACG", 0),
        new LabeledSequence("T", 1), new LabeledSequence("GG", 1),
        new LabeledSequence("CC", 0)), NucleotideEncoder.INSTANCE);
    Batches.Batch ragged = Batches.assemble(data, new int[] {0, 1, 2, 3}, 0, 2, 5);
    assertThat(ragged.length()).isEqualTo(3);
    assertThat(ragged.ids()).containsExactly(0, 1, 2, 3, 5, 5);
    assertThat(ragged.mask()).containsExactly(1, 1, 1, 1, 0, 0);
    assertThat(ragged.labels()).containsExactly(0, 1);
    Batches.Batch even = Batches.assemble(data, new int[] {0, 1, 2, 3}, 2, 4, 5);
    assertThat(even.mask()).isNull();
    assertThat(even.ids()).containsExactly(2, 2, 1, 1);

    int total = 0;
    try (Batches.Prefetcher prefetcher = Batches.prefetch(data, Batches.shuffledOrder(4, 9, 1),
        3, 5, 2)) {
      while (prefetcher.hasNext()) {
        total += prefetcher.next().size();
      }
    }
    assertThat(total).isEqualTo(4);
    assertThat(Batches.shuffledOrder(50, 1, 1)).containsExactly(Batches.shuffledOrder(50, 1, 1))
        .isNotEqualTo(Batches.shuffledOrder(50, 1, 2));
  }

  @Test
  void globalNormClippingScalesAllGradientsTogether() {
    DnalabEngine.startDefault();
    try (NDManager manager = NDManager.newBaseManager()) {
      // ‖(3, 4)‖ = 5 and ‖(12)‖ = 12 → global norm 13; clip to 1.3 → scale ≈ 0.1.
      NDArray a = manager.create(new float[] {3, 4});
      NDArray b = manager.create(new float[] {12});
      double norm = GradientClipping.clipGlobalNorm(List.of(a, b), 1.3);
      assertThat(norm).isCloseTo(13, within(1e-5));
      assertThat(a.toFloatArray()[0]).isCloseTo(0.3f, org.assertj.core.data.Offset.offset(1e-5f));
      assertThat(b.toFloatArray()[0]).isCloseTo(1.2f, org.assertj.core.data.Offset.offset(1e-5f));
    }
  }
}
