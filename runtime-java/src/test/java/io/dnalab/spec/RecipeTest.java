package io.dnalab.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecipeTest {

  @Test
  void dnabert2GueResolvesTheScriptsNumbersPerTask() {
    Recipe recipe = Recipes.dnabert2Gue();
    assertThat(recipe.optimizer()).isEqualTo(Recipe.Optimizer.ADAMW);
    assertThat(recipe.learningRate()).isEqualTo(3e-5);
    assertThat(recipe.weightDecay()).isEqualTo(0.01);
    assertThat(recipe.decayApplies()).isEqualTo(Recipe.DecayApplies.NOT_BIAS_OR_NORM);
    assertThat(recipe.batchSize()).isEqualTo(32);
    assertThat(recipe.clipNorm()).isEqualTo(1.0);
    // per task: epochs, warm-up steps, token cap, evaluation interval, from run_dnabert2.sh
    int[][] numbers = {
        {3, 50, 128, 200}, {4, 50, 20, 400}, {4, 50, 20, 400}, {10, 50, 20, 200},
        {4, 50, 70, 400}, {10, 50, 70, 200}, {5, 50, 80, 200}, {8, 50, 256, 200},
        {3, 30, 30, 200}, {3, 30, 30, 200}, {5, 30, 30, 200}};
    String[] tasks = {
        "EMP_H3K4me3", "prom_core_all", "prom_core_notata", "prom_core_tata", "prom_300_all",
        "prom_300_tata", "splice_reconstructed", "virus_covid", "tf_0", "tf_4", "mouse_2"};
    for (int i = 0; i < tasks.length; i++) {
      Recipe resolved = recipe.forTask(new TaskSpec.Gue(tasks[i]));
      assertThat(new int[] {resolved.epochs(), resolved.schedule().warmupSteps(),
          resolved.maxTokens(), resolved.selection().everySteps()})
          .as(tasks[i]).containsExactly(numbers[i]);
      assertThat(resolved.schedule().kind()).isEqualTo(Recipe.Schedule.Kind.LINEAR_DECAY);
      assertThat(resolved.selection().kind()).isEqualTo(Recipe.Selection.Kind.BEST_DEV_LOSS);
      assertThat(resolved.taskRules()).isEmpty();
      assertThat(resolved.learningRate()).isEqualTo(3e-5);
    }
    // Outside GUE: the recipe's own numbers, no token cap.
    Recipe builtin = recipe.forTask(new TaskSpec.Builtin("leptospira_coding_vs_intergenic"));
    assertThat(List.of(builtin.epochs(), builtin.schedule().warmupSteps(), builtin.maxTokens()))
        .containsExactly(3, 50, 0);
  }

  @Test
  void convNovaAndCnnRecipesSpellOutTheirConfigs() {
    Recipe convNova = Recipes.convNovaRecipe();
    assertThat(convNova.decayApplies()).isEqualTo(Recipe.DecayApplies.ALL);
    assertThat(convNova.weightDecay()).isEqualTo(0.1);
    assertThat(convNova.schedule()).isEqualTo(Recipe.Schedule.warmupCosine(0.01, 0.1));
    Recipe gue = convNova.forTask(new TaskSpec.Gue("prom_core_tata"));
    assertThat(List.of(gue.batchSize(), gue.epochs())).containsExactly(128, 10);
    Recipe nt = convNova.forTask(new TaskSpec.Gue("H3K4me3"));
    assertThat(List.of(nt.batchSize(), nt.epochs())).containsExactly(256, 20);
    assertThat(convNova.selection().kind()).isEqualTo(Recipe.Selection.Kind.BEST_DEV_METRIC);

    Recipe cnn = Recipes.gbCnnRecipe();
    assertThat(cnn.optimizer()).isEqualTo(Recipe.Optimizer.ADAM);
    assertThat(cnn.weightDecay()).isZero();
    assertThat(cnn.schedule().kind()).isEqualTo(Recipe.Schedule.Kind.CONSTANT);
    assertThat(List.of(cnn.batchSize(), cnn.epochs())).containsExactly(64, 10);
    assertThat(cnn.selection().kind()).isEqualTo(Recipe.Selection.Kind.LAST_EPOCH);
  }

  @Test
  void specFieldsOverrideTheRecipeAfterItsTaskNumbers() {
    FinetuneSpec spec = new FinetuneSpec(null, 2, 1e-4, null, null, false, 0);
    Recipe resolved = spec.resolve(Recipes.dnabert2Gue(), new TaskSpec.Gue("prom_core_tata"));
    assertThat(resolved.epochs()).isEqualTo(2);
    assertThat(resolved.learningRate()).isEqualTo(1e-4);
    assertThat(resolved.batchSize()).isEqualTo(32);
    assertThat(resolved.maxTokens()).isEqualTo(20);
    // A named recipe replaces the family's default.
    Recipe named = spec.withRecipe(Recipes.gbCnnRecipe())
        .resolve(Recipes.dnabert2Gue(), new TaskSpec.Gue("tf_0"));
    assertThat(named.name()).isEqualTo("gb-cnn");
    assertThat(named.epochs()).isEqualTo(2);
    // Decay asked of plain Adam makes it AdamW on every parameter, not a silent 0.
    Recipe decayed = new FinetuneSpec(null, null, null, null, 0.05, false, 0)
        .resolve(Recipes.gbCnnRecipe(), new TaskSpec.Gue("tf_0"));
    assertThat(decayed.optimizer()).isEqualTo(Recipe.Optimizer.ADAMW);
    assertThat(decayed.decayApplies()).isEqualTo(Recipe.DecayApplies.ALL);
  }

  @Test
  void describeShowsLearningRateScheduleEpochsAndBatch() {
    assertThat(Recipes.dnabert2Gue().forTask(new TaskSpec.Gue("prom_core_tata")).describe())
        .isEqualTo("dnabert2-gue lr 3e-05, linear 50 warm-up, 10 epochs, batch 32, BPE cap 20 "
            + "tokens");
    assertThat(Recipes.convNovaRecipe().forTask(new TaskSpec.Gue("tf_0")).describe())
        .isEqualTo("convnova lr 0.001, cosine 1% warm-up, floor 0.1, 10 epochs, batch 128");
    assertThat(Recipes.gbCnnRecipe().describe())
        .isEqualTo("gb-cnn lr 0.001, constant, 10 epochs, batch 64");
  }

  @Test
  void aCellsLineNamesTheTokenCapOnlyWhereItCuts() {
    Recipe capped = Recipes.dnabert2Gue().forTask(new TaskSpec.Gue("prom_core_tata"));
    String plain = "dnabert2-gue lr 3e-05, linear 50 warm-up, 10 epochs, batch 32";
    // The cap cuts BPE cells only (TokenizerEncoder.capped): a nucleotide or k-mer cell of the
    // same recipe is never cut, so its line must not state a cap.
    assertThat(capped.describe(new TokenizerSpec.Bpe(4096, List.of())))
        .isEqualTo(plain + ", BPE cap 20 tokens");
    assertThat(capped.describe(new TokenizerSpec.Nucleotide())).isEqualTo(plain);
    assertThat(capped.describe(new TokenizerSpec.Kmer(6, false))).isEqualTo(plain);
    assertThat(capped.describe(new TokenizerSpec.FromFile(Path.of("tokenizer.json"))))
        .isEqualTo(plain + ", BPE cap 20 tokens if the file's tokenizer is BPE");
    // A recipe without a cap reads the same for every tokenizer.
    assertThat(Recipes.gbCnnRecipe().describe(new TokenizerSpec.Bpe(4096, List.of())))
        .isEqualTo(Recipes.gbCnnRecipe().describe());
  }

  @Test
  void badNumbersNameTheField() {
    assertThatThrownBy(() -> new FinetuneSpec(null, 0, null, null, null, false, 0))
        .hasMessageContaining("finetune.epochs");
    assertThatThrownBy(() -> new Recipe("adam-decay", "", Recipe.Optimizer.ADAM, 1e-3, 0.9,
        0.999, 1e-8, 0.1, Recipe.DecayApplies.ALL, Recipe.Schedule.constant(), 0, 64, 1, 0,
        Recipe.Selection.lastEpoch(), List.of()))
        .hasMessageContaining("recipe.weightDecay").hasMessageContaining("ADAMW");
    assertThatThrownBy(() -> new Recipe.TaskRule("gue/(", 1, null, null, null, null))
        .hasMessageContaining("recipe.taskRules.tasks");
  }
}
