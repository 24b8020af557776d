package io.dnalab.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dnalab.spec.ExperimentSpec;
import io.dnalab.spec.FinetuneSpec;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.PretrainSpec;
import io.dnalab.spec.SpecException;
import io.dnalab.spec.TaskSpec;
import io.dnalab.spec.TokenizerSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plan's cells pool as their pretraining trained (PoolingRule), checked when planning. */
class PlannerPoolingTest {
  private static final TaskSpec TASK = new TaskSpec.Builtin("motif");
  private static final ModelSpec.Bert BERT = new ModelSpec.Bert(2, 32, 4, 64);

  private static Plan plan(TokenizerSpec tokenizer, ModelSpec.Bert model) {
    ExperimentSpec spec = new ExperimentSpec("pooling", List.of(TASK), List.of(tokenizer),
        List.of(model), List.of(new PretrainSpec.None()), new FinetuneSpec(1, 1e-3, 8, 0.1), 1);
    Planner planner = new Planner(task -> new TaskFingerprint(task.id(),
        Map.of("train", "aa", "dev", "bb", "test", "cc"), 64, 64, 40), path -> "ff", null, null,
        null);
    return planner.plan(spec);
  }

  private static Stage finetune(Plan plan) {
    return plan.stages(Stage.Kind.FINETUNE).get(0);
  }

  @Test
  void theDefaultResolvesPerCellAndTheStageRunsTheResolvedPooling() {
    Stage nucleotide = finetune(plan(new TokenizerSpec.Nucleotide(), BERT));
    assertThat(((ModelSpec.Bert) nucleotide.cell().model()).pooling())
        .isEqualTo(ModelSpec.Pooling.MEAN);
    assertThat(nucleotide.specJson()).contains("\"pooling\":\"MEAN\"");
    Stage kmer = finetune(plan(new TokenizerSpec.Kmer(4, false), BERT));
    assertThat(((ModelSpec.Bert) kmer.cell().model()).pooling())
        .isEqualTo(ModelSpec.Pooling.CLS);
  }

  @Test
  void aResolvedDefaultHasTheKeyOfTheSameExplicitChoice() {
    // So results stored with an explicit (or the former default) CLS are found, not rerun.
    TokenizerSpec kmer = new TokenizerSpec.Kmer(4, false);
    assertThat(finetune(plan(kmer, BERT)).key())
        .isEqualTo(finetune(plan(kmer, BERT.withPooling(ModelSpec.Pooling.CLS))).key());
  }

  @Test
  void clsPoolingOnANucleotideCellIsRefusedWhenPlanning() {
    assertThatThrownBy(() -> plan(new TokenizerSpec.Nucleotide(),
        BERT.withPooling(ModelSpec.Pooling.CLS)))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("cell builtin/motif · nucleotide · bert-2x32 · none asks for CLS"
            + " pooling, but nucleotide inputs carry no [CLS]");
  }
}
