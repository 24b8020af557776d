package io.dnalab.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.dnalab.engine.DnalabEngine;
import io.dnalab.spec.ModelSpec;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The families public checkpoints brought in (DNABERT's standard BERT, NT v1's ESM) as dnalab
 * trains them from scratch: a classifier's logits and gradients, and the length limit of their
 * position tables. Their numerics against the reference are PretrainedCheckpointsTest's.
 */
class CheckpointFamiliesTest {
  private static final InputVocabulary VOCAB = new InputVocabulary(20, 0, 1, false,
      IntStream.range(0, 20).toArray());
  private static final List<ModelSpec> SPECS = List.of(
      new ModelSpec.StandardBert(2, 16, 2, 32, 12, 2, 0.1, 0.1, ModelSpec.Pooling.CLS),
      new ModelSpec.Esm(2, 16, 2, 32, 12, 1e-12, 0.1, 0.0, ModelSpec.Pooling.MEAN));

  private NDManager manager;

  @BeforeEach
  void setUp() {
    DnalabEngine.startDefault();
    DnalabEngine.seed(5);
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  @Test
  void aClassifierGivesLogitsAndEveryParameterAGradient() {
    for (ModelSpec spec : SPECS) {
      SequenceClassifier classifier = Models.initialize(Models.create(spec, 3, 8, VOCAB), manager,
          2, 8);
      ParameterStore store = new ParameterStore(manager, false);
      NDArray ids = manager.create(new long[] {2, 5, 6, 7, 8, 9, 0, 0, 2, 9, 8, 7, 6, 5, 4, 3},
          new Shape(2, 8));
      NDArray mask = ids.neq(0).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray logits = classifier.forward(store, new NDList(ids, mask), true).head();
        assertThat(logits.getShape()).as(spec.id()).isEqualTo(new Shape(2, 3));
        collector.backward(logits.square().sum());
      }
      // Each parameter tensor gets a gradient (|g| summed over the tensor; rows never looked up,
      // positions past 8 and token type 1, stay 0).
      classifier.getParameters().forEach(pair -> {
        float[] gradient = pair.getValue().getArray().getGradient().toFloatArray();
        double norm = 0;
        for (float g : gradient) {
          norm += Math.abs(g);
        }
        assertThat(norm).as(spec.id() + " " + pair.getKey()).isPositive();
      });
    }
  }

  @Test
  void aSequenceLongerThanThePositionTableIsRefused() {
    for (ModelSpec spec : SPECS) {
      TokenEncoder encoder = Models.initialize(Models.createEncoder(spec, VOCAB), manager, 1, 4);
      NDArray ids = manager.create(new long[13], new Shape(1, 13)).add(2);
      assertThatThrownBy(() -> encoder.forward(new ParameterStore(manager, false),
          new NDList(ids), false)).as(spec.id())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("a sequence of 13 tokens is longer than " + spec.id());
    }
  }
}
