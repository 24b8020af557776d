package io.dnalab.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.core.Linear;
import io.dnalab.engine.DnalabEngine;
import io.dnalab.model.ModelFamily;
import io.dnalab.model.ModelRegistry;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.Objective;
import io.dnalab.spec.PretrainSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlopsTest {
  @TempDir
  Path dir;

  @Test
  void bertFormulaOnACaseComputedByHand() {
    // H 4, I 8, L 10: per layer 2·(4·16 + 3·4·8 + 2·10·4) = 2·(64 + 96 + 80) = 480; 2 layers 960
    ModelSpec.Bert bert = new ModelSpec.Bert(2, 4, 2, 8);
    assertThat(ModelRegistry.forwardFlopsPerToken(bert, null, 10)).isEqualTo(960.0);
    // head, V 10: 2·16 + 2·4·10 = 112
    assertThat(Flops.languageModelHeadPerToken(4, 10)).isEqualTo(112.0);
    // training 100 tokens: 3 · 100 · (960 + 112)
    assertThat(Flops.training(bert, null, 10, 100, 112)).isEqualTo(321_600.0);
    // DNABERT-2 at 128 tokens: 12 · 2 · (4·768² + 3·768·3072 + 2·128·768) ≈ 2.23e8 per token
    assertThat(ModelRegistry.forwardFlopsPerToken(ModelSpec.Bert.dnabert2(), null, 128))
        .isEqualTo(12 * 2.0 * (4.0 * 768 * 768 + 3.0 * 768 * 3072 + 2.0 * 128 * 768));
  }

  @Test
  void convolutionCountsTwiceItsWeightsPerPosition() {
    try (NDManager manager = NDManager.newBaseManager(DnalabEngine.startDefault())) {
      SequentialBlock block = new SequentialBlock()
          .add(Conv1d.builder().setKernelShape(new Shape(3)).setFilters(8).build()) // (8, 4, 3)
          .add(ai.djl.nn.Blocks.batchFlattenBlock())
          .add(Linear.builder().setUnits(2).build());
      block.initialize(manager, DataType.FLOAT32, new Shape(1, 4, 3));
      // conv 2·3·4·8 = 192, linear 2·8·2 = 32 (its input is 8 channels × 1 position)
      assertThat(ModelFamily.weightsPerPosition(block)).isEqualTo(224.0);
      // The convolutional families count their blocks' weights: 3 · 5 tokens · 224
      assertThat(Flops.training(new ModelSpec.UNet(1, 8), block, 7, 5, 0)).isEqualTo(3_360.0);
    }
  }

  @Test
  void checkpointKeyChangesWithEveryInputThatChangesTheResult() {
    Pretrainer.Inputs inputs = PretrainFixtures.inputs(dir);
    PretrainSpec.Pretrain spec = PretrainFixtures.spec(Objective.TokenMlm.bert(), 40, 20);
    String key = Pretrainer.key(spec, inputs);
    assertThat(key).matches("[0-9a-f]{64}").isEqualTo(Pretrainer.key(spec, inputs));
    PretrainSpec.Pretrain otherSeed = new PretrainSpec.Pretrain(spec.objective(), spec.corpus(),
        spec.steps(), spec.batchSize(), spec.windowLength(), spec.learningRate(),
        spec.warmupSteps(), spec.weightDecay(), spec.evalEvery(), spec.evalWindows(), 8);
    assertThat(Pretrainer.key(otherSeed, inputs)).isNotEqualTo(key);
    Pretrainer.Inputs otherGenome = new Pretrainer.Inputs(inputs.tokenizer(),
        inputs.tokenizerSpec(), inputs.model(), inputs.corpus(),
        java.util.Map.of("segments", "another checksum"));
    assertThat(Pretrainer.key(spec, otherGenome)).isNotEqualTo(key);
    Pretrainer.Inputs otherModel = new Pretrainer.Inputs(inputs.tokenizer(),
        inputs.tokenizerSpec(), new ModelSpec.Bert(2, 64, 4, 256), inputs.corpus(),
        inputs.genomeSha256());
    assertThat(Pretrainer.key(spec, otherModel)).isNotEqualTo(key);
  }
}
