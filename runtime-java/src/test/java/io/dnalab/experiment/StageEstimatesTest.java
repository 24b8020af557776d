package io.dnalab.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnalab.spec.CorpusSpec;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.Objective;
import io.dnalab.spec.PretrainSpec;
import io.dnalab.spec.TokenizerSpec;
import java.util.Map;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

class StageEstimatesTest {
  /** Hand arithmetic and the code sum in another order: equal to rounding. */
  private static final Percentage ROUNDING = Percentage.withPercentage(1e-9);

  @Test
  void fineTuningTimeFollowsTheFamilysParameterEstimate() {
    TaskFingerprint task = new TaskFingerprint("t", Map.of(), 1000, 200, 100);
    // ConvNova GB: p = 5·3·64²·5 = 307,200; 100 tokens; train 6·p·100·1000·3 = 5.5296e11,
    // eval 2·p·100·200/2·(3 + 1) = 2.4576e10; at 6e10 FLOP/s: 9.6256 s
    assertThat(StageEstimates.finetuneSeconds(task, new TokenizerSpec.Nucleotide(),
        ModelSpec.ConvNova.genomicBenchmarks(), 3, 0)).isCloseTo(9.6256, ROUNDING);
    // cnn-baseline: p = 1e5, 6-mers without overlap: 100/6 tokens, at most 500 train rows:
    // (6·1e5·(100/6)·500·1 + 2·1e5·(100/6)·200/2·2) / 6e10 = (5e9 + 6.6667e8) / 6e10
    assertThat(StageEstimates.finetuneSeconds(task, new TokenizerSpec.Kmer(6, false),
        new ModelSpec.CnnBaseline(), 1, 500)).isCloseTo((5e9 + 2e10 / 30) / 6e10, ROUNDING);
    assertThat(StageEstimates.finetuneSeconds(new TaskFingerprint("t", Map.of(), 0, 0, 0),
        new TokenizerSpec.Nucleotide(), new ModelSpec.CnnBaseline(), 1, 0)).isNaN();
  }

  @Test
  void pretrainingTimeFollowsTheFamilysParameterEstimate() {
    // 100 steps of 32 windows of 512 bp, single nucleotides: 1,638,400 tokens.
    PretrainSpec.Pretrain spec = PretrainSpec.Pretrain.of(Objective.TokenMlm.bert(),
        CorpusSpec.humanOnly(), 100);
    // BERT 4 × 256, I 1024: p = 4·(4·256² + 3·256·1024) = 4,194,304; 6·p·1,638,400 / 6e10
    assertThat(StageEstimates.pretrainSeconds(spec, new TokenizerSpec.Nucleotide(),
        new ModelSpec.Bert(4, 256, 4, 1024))).isCloseTo(687.19476736, ROUNDING);
    // U-Net 3 × 32: p = 12·(32² + 64² + 128²) = 258,048
    assertThat(StageEstimates.pretrainSeconds(spec, new TokenizerSpec.Nucleotide(),
        new ModelSpec.UNet(3, 32))).isCloseTo(6 * 258_048 * 1_638_400.0 / 6e10, ROUNDING);
  }
}
