package io.dnalab.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExclusionRuleTest {
  private static final ModelSpec CONV = ModelSpec.ConvNova.genomicBenchmarks();
  private static final ModelSpec CNN = new ModelSpec.CnnBaseline();
  private static final ModelSpec UNET = new ModelSpec.UNet(2, 16);
  private static final TaskSpec TF0 = new TaskSpec.Gue("tf_0");
  private static final TaskSpec PROM = new TaskSpec.Gue("prom_core_all");
  private static final TokenizerSpec NUC = new TokenizerSpec.Nucleotide();
  private static final TokenizerSpec KMER = new TokenizerSpec.Kmer(6, false);

  private static ExperimentSpec grid(List<ExclusionRule> exclude) {
    return new ExperimentSpec("grid", List.of(TF0, PROM), List.of(NUC, KMER),
        List.of(CONV, CNN, UNET), List.of(new PretrainSpec.None()), FinetuneSpec.defaults(), 2,
        exclude);
  }

  @Test
  void aRuleExcludesTheCellsThatMatchEveryFieldItNames() {
    ExperimentSpec spec = grid(List.of(
        new ExclusionRule(List.of(), List.of(KMER), List.of(CNN), List.of()),
        new ExclusionRule(List.of(PROM), List.of(), List.of(UNET, CONV), List.of())));
    assertThat(spec.fullGrid()).hasSize(12);
    // kmer × cnn: 2 cells (one per task); prom × {unet, conv}: 4 cells (two tokenizers) -> 6 left
    assertThat(spec.cells()).extracting(ExperimentSpec.Cell::label).containsExactly(
        "gue/tf_0 · nucleotide · convnova-d64-k5 · none",
        "gue/tf_0 · nucleotide · cnn-baseline · none",
        "gue/tf_0 · nucleotide · unet-2x16 · none",
        "gue/tf_0 · 6mer · convnova-d64-k5 · none",
        "gue/tf_0 · 6mer · unet-2x16 · none",
        "gue/prom_core_all · nucleotide · cnn-baseline · none");
    assertThat(spec.runCount()).isEqualTo(12);
  }

  @Test
  void rulesSurviveAJsonRoundTripAndMayLeaveFieldsOut() {
    ExperimentSpec spec = grid(List.of(
        new ExclusionRule(List.of(), List.of(KMER), List.of(CNN), List.of())));
    String json = SpecJson.write(spec);
    assertThat(json).contains("\"exclude\"").doesNotContain("\"tasks\" : [ ]");
    ExperimentSpec back = SpecJson.read(json, "spec.json");
    assertThat(back).isEqualTo(spec);
    assertThat(back.cells()).hasSize(10);
    // A spec without rules writes no "exclude" and reads back without one.
    ExperimentSpec plain = new ExperimentSpec("plain", List.of(TF0), List.of(NUC), List.of(CNN),
        List.of(new PretrainSpec.None()), FinetuneSpec.defaults(), 1);
    assertThat(SpecJson.write(plain)).doesNotContain("exclude");
    assertThat(SpecJson.read(SpecJson.write(plain), "x").exclude()).isEmpty();
  }

  @Test
  void aCellThatCannotRunNamesItselfAndTheRuleThatLeavesItOut() {
    assertThatThrownBy(() -> grid(List.of()))
        .isInstanceOf(SpecException.class)
        .hasMessage("tokenizer: cell gue/tf_0 · 6mer · cnn-baseline · none cannot run: "
            + "cnn-baseline reads single-nucleotide ids only (its embedding has the rows of A, C, "
            + "G, T, N); leave it out with exclude { model(cnnBaseline()); tokenizer(6mer) }");
    // The rule it suggests makes the spec valid.
    assertThat(grid(List.of(new ExclusionRule(List.of(), List.of(KMER), List.of(CNN),
        List.of()))).cells()).hasSize(10);
  }

  @Test
  void aRuleThatMatchesNothingOrNamesNothingIsAMistake() {
    assertThatThrownBy(() -> grid(List.of(new ExclusionRule(List.of(), List.of(),
        List.of(new ModelSpec.UNet(3, 32)), List.of()))))
        .isInstanceOf(SpecException.class)
        .hasMessage("exclude: rule 1 (exclude { model(unet-3x32) }) matches no cell of the grid;"
            + " check its values against tasks, tokenizer, model and pretrain");
    assertThatThrownBy(() -> new ExclusionRule(null, null, null, null))
        .hasMessageStartingWith("exclude: a rule must name at least one of");
    assertThatThrownBy(() -> grid(List.of(new ExclusionRule(List.of(TF0, PROM), List.of(),
        List.of(), List.of()))))
        .hasMessage("exclude: the rules exclude all 12 cells of the grid; nothing would run");
  }

  @Test
  void theCanonicalJsonIsTheSameWhateverTheFieldOrderAndKeysAreStable() {
    String a = SpecJson.read("""
        {"name": "a", "seeds": 1, "tasks": [{"type": "gue", "name": "tf_0"}],
         "tokenizers": [{"type": "nucleotide"}], "models": [{"type": "cnn"}],
         "pretraining": [{"type": "none"}],
         "finetune": {"epochs": 3, "learningRate": 0.001, "batchSize": 64, "weightDecay": 0.1}}
        """, "a").finetune().toString();
    FinetuneSpec budget = new FinetuneSpec(3, 1e-3, 64, 0.1);
    assertThat(a).isEqualTo(budget.toString());
    assertThat(SpecJson.canonical(budget))
        .isEqualTo("{\"batchSize\":64,\"epochs\":3,\"freezeEncoder\":false,\"learningRate\":0.001,"
            + "\"maxTrainExamples\":0,\"weightDecay\":0.1}");
    assertThat(SpecJson.canonical(java.util.Map.of("model", CNN, "b", 1)))
        .isEqualTo("{\"b\":1,\"model\":{\"type\":\"cnn\"}}");
    assertThat(SpecJson.sha256(budget)).hasSize(64)
        .isEqualTo(SpecJson.sha256(new FinetuneSpec(3, 0.001, 64, 0.1)))
        .isNotEqualTo(SpecJson.sha256(new FinetuneSpec(4, 0.001, 64, 0.1)));
  }
}
