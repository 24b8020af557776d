package io.dnalab.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnalab.data.SequenceTask;
import io.dnalab.result.MetricSet;
import io.dnalab.spec.ExperimentSpec;
import io.dnalab.spec.FinetuneSpec;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.PretrainSpec;
import io.dnalab.spec.Recipes;
import io.dnalab.spec.SpecJson;
import io.dnalab.spec.TaskSpec;
import io.dnalab.spec.TokenizerSpec;
import io.dnalab.store.ResultStore;
import io.dnalab.store.StoredRun;
import io.dnalab.train.FineTuneConfig;
import io.dnalab.train.FineTuneResult;
import io.dnalab.train.SyntheticTasks;
import io.dnalab.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stage keys carry code versions; output of other code is shown stale and runs again. */
class PlannerVersionsTest {
  private static final ModelSpec CONV = new ModelSpec.ConvNova(16, 5, 2, 4, 2, false);
  private static final TaskSpec TASK = new TaskSpec.Builtin("motif");
  private static final SequenceTask DATA = SyntheticTasks.motifs(2, 64, 32, 32, 40, 40, 9);
  private static final FinetuneSpec BUDGET = new FinetuneSpec(1, 1e-3, 32, 0.1);

  private static TaskFingerprint fingerprint(TaskSpec task) {
    return new TaskFingerprint(task.id(), Map.of("train", "aa", "dev", "bb", "test", "cc"), 64,
        64, 40);
  }

  private static ExperimentSpec spec(TokenizerSpec tokenizer) {
    return new ExperimentSpec("versions", List.of(TASK), List.of(tokenizer), List.of(CONV),
        List.of(new PretrainSpec.None()), BUDGET, 2);
  }

  /** Scores from the seed, counts its runs; no engine. */
  private static final class CountingFinetuner implements FinetuneRunner {
    final AtomicInteger runs = new AtomicInteger();

    @Override
    public void checkSupported(ExperimentSpec.Cell cell) {}

    @Override
    public FineTuneResult run(SequenceTask task, Inputs inputs, FineTuneConfig config,
        TrainingListener listener) {
      runs.incrementAndGet();
      MetricSet metrics = new MetricSet(task.dev().size(), 0.5, 0.1 * config.seed(), 0.5, 0.5,
          0.5, 0.7);
      return new FineTuneResult(metrics, metrics, List.of(metrics), 1, 1, 2, 100,
          task.train().size(), 1.0, 1.5, "fake cpu", 640, 1e9);
    }
  }

  private static Planner planner(ArtifactStore artifacts, ResultStore results) {
    return new Planner(PlannerVersionsTest::fingerprint, path -> "ff", artifacts, results, null);
  }

  private static Executor executor(ArtifactStore artifacts, ResultStore results,
      FinetuneRunner finetuner) {
    return new Executor(task -> DATA, PlannerVersionsTest::fingerprint, finetuner, null,
        artifacts, results);
  }

  @Test
  void aFinetuningKeyHashesTheCodeVersionsAndItsIdentityIsTheKeyDnalab01Gave(
      @TempDir Path dir) {
    Stage stage = planner(new ArtifactStore(dir), null).plan(spec(new TokenizerSpec.Nucleotide()))
        .stages(Stage.Kind.FINETUNE).get(0);
    assertThat(stage.specJson()).contains("\"versions\":{\"finetune\":3,\"model:convnova\":1,"
        + "\"tokenizer:nucleotide\":1,\"trainer\":1}");
    assertThat(stage.codeVersions()).isEqualTo(Map.of("finetune", 3,
        "model:convnova", CodeVersions.model(CONV), "tokenizer:nucleotide", 1,
        "trainer", CodeVersions.trainer()));
    // The key holds every number the cell trains with: ConvNova's recipe, the spec's overrides.
    assertThat(stage.specJson()).contains("\"resolvedRecipe\":{").contains("\"name\":\"convnova\"")
        .contains("\"decayApplies\":\"ALL\"").contains("\"batchSize\":32");
    assertThat(stage.key()).isEqualTo(SpecJson.sha256Text(stage.specJson()));
    // The 0.1 planner's key of the same run, written out as 0.1 computed it.
    Map<String, Object> tokenizer01 = new TreeMap<>();
    tokenizer01.put("stage", "tokenizer");
    tokenizer01.put("tokenizer", new TokenizerSpec.Nucleotide());
    Map<String, Object> run01 = new TreeMap<>();
    run01.put("stage", "finetune");
    run01.put("recipe", 1);
    run01.put("task", TASK.id());
    run01.put("data", Map.of("train", "aa", "dev", "bb", "test", "cc"));
    run01.put("tokenizer", SpecJson.sha256(tokenizer01));
    run01.put("model", CONV);
    run01.put("pretrain", "none");
    run01.put("finetune", BUDGET);
    run01.put("seed", 1);
    assertThat(stage.identity()).isEqualTo(SpecJson.sha256(run01)).isNotEqualTo(stage.key());
  }

  @Test
  void eachFamilyDefaultsToItsRecipeAndTheRecipeIsPartOfTheKey(@TempDir Path dir) {
    ExperimentSpec.Cell bert = new ExperimentSpec.Cell(new TaskSpec.Gue("prom_core_tata"),
        new TokenizerSpec.Bpe(4096, List.of()), ModelSpec.Bert.dnabert2(),
        new PretrainSpec.None());
    ExperimentSpec.Cell cnn = new ExperimentSpec.Cell(TASK, new TokenizerSpec.Nucleotide(),
        new ModelSpec.CnnBaseline(), new PretrainSpec.None());
    ExperimentSpec.Cell unet = new ExperimentSpec.Cell(TASK, new TokenizerSpec.Nucleotide(),
        new ModelSpec.UNet(2, 8), new PretrainSpec.None());
    FinetuneSpec none = FinetuneSpec.defaults();
    assertThat(Planner.recipeFor(none, bert)).isEqualTo(Recipes.dnabert2Gue()
        .forTask(bert.task()));
    assertThat(Planner.recipeFor(none, bert).learningRate()).isEqualTo(3e-5);
    assertThat(Planner.recipeFor(none, bert).epochs()).isEqualTo(10);
    assertThat(Planner.recipeFor(none, cnn).name()).isEqualTo("gb-cnn");
    assertThat(Planner.recipeFor(none, unet).name()).isEqualTo("convnova");
    // Overrides apply to every cell; a named recipe replaces the families'.
    FinetuneSpec twoEpochs = new FinetuneSpec(null, 2, null, null, null, false, 0);
    assertThat(Planner.recipeFor(twoEpochs, bert).epochs()).isEqualTo(2);
    assertThat(Planner.recipeFor(twoEpochs.withRecipe(Recipes.gbCnnRecipe()), bert).name())
        .isEqualTo("gb-cnn");
    // Two specs that differ only in the recipe have different fine-tuning keys.
    ExperimentSpec byFamily = new ExperimentSpec("keys", List.of(TASK),
        List.of(new TokenizerSpec.Nucleotide()), List.of(CONV), List.of(new PretrainSpec.None()),
        twoEpochs, 1);
    ExperimentSpec byCnnRecipe = new ExperimentSpec("keys", List.of(TASK),
        List.of(new TokenizerSpec.Nucleotide()), List.of(CONV), List.of(new PretrainSpec.None()),
        twoEpochs.withRecipe(Recipes.gbCnnRecipe()), 1);
    Planner planner = planner(new ArtifactStore(dir), null);
    assertThat(planner.plan(byFamily).stages(Stage.Kind.FINETUNE).get(0).key())
        .isNotEqualTo(planner.plan(byCnnRecipe).stages(Stage.Kind.FINETUNE).get(0).key());
  }

  @Test
  void aRunStoredByDnalab01IsStaleRunsAgainAndStaysReadable(@TempDir Path dir) {
    ArtifactStore artifacts = new ArtifactStore(dir.resolve("artifacts"));
    try (ResultStore results = ResultStore.open(dir.resolve("results.sqlite"))) {
      Planner planner = planner(artifacts, results);
      ExperimentSpec spec = spec(new TokenizerSpec.Nucleotide());
      Stage first = planner.plan(spec).stages(Stage.Kind.FINETUNE).get(0);
      // What 0.1 wrote for seed 1: its key was the identity, with no versions.
      StoredRun old = StoredRunFixture.of(first.identity(), first.identity(), Map.of());
      assertThat(results.record(old)).isTrue();

      Plan plan = planner.plan(spec);
      Stage stale = plan.stages(Stage.Kind.FINETUNE).get(0);
      assertThat(stale.done()).isFalse();
      assertThat(stale.status()).isEqualTo("stale");
      assertThat(stale.stale()).isEqualTo("made by dnalab 0.1, before code versions");
      assertThat(plan.stages(Stage.Kind.FINETUNE).get(1).status()).isEqualTo("todo");
      assertThat(plan.summary()).startsWith("2 fine-tuning + evaluation (none done, 1 stale)");
      assertThat(plan.staleReasons()).containsExactly("builtin/motif · nucleotide · "
          + "convnova-d16-k5 · none · seed 1: made by dnalab 0.1, before code versions");

      CountingFinetuner finetuner = new CountingFinetuner();
      executor(artifacts, results, finetuner).execute(plan, ExecutionListener.NONE);
      assertThat(finetuner.runs).as("the stale run is not reused").hasValue(2);
      assertThat(results.count()).as("the 0.1 row is kept beside the new one").isEqualTo(3);
      assertThat(results.find(first.identity())).hasValue(old);
      StoredRun fresh = results.find(first.key()).orElseThrow();
      assertThat(fresh.identity()).isEqualTo(first.identity());
      assertThat(fresh.codeVersions()).isEqualTo(first.codeVersions());

      Plan after = planner.plan(spec);
      assertThat(after.allDone()).isTrue();
      assertThat(after.staleReasons()).isEmpty();
    }
  }

  @Test
  void aRunOfAnOlderTrainerVersionIsStaleNamingWhatChanged(@TempDir Path dir) {
    ArtifactStore artifacts = new ArtifactStore(dir.resolve("artifacts"));
    try (ResultStore results = ResultStore.open(dir.resolve("results.sqlite"))) {
      Planner planner = planner(artifacts, results);
      ExperimentSpec spec = spec(new TokenizerSpec.Nucleotide());
      Stage first = planner.plan(spec).stages(Stage.Kind.FINETUNE).get(0);
      Map<String, Integer> older = new TreeMap<>(first.codeVersions());
      older.put("trainer", CodeVersions.trainer() - 1);
      results.record(StoredRunFixture.of("some-older-key", first.identity(), older));
      Stage stale = planner.plan(spec).stages(Stage.Kind.FINETUNE).get(0);
      assertThat(stale.done()).isFalse();
      assertThat(stale.stale()).isEqualTo("trainer " + (CodeVersions.trainer() - 1) + " → "
          + CodeVersions.trainer());
    }
  }

  @Test
  void aTokenizerTrainedByDnalab01IsStale(@TempDir Path dir) throws Exception {
    ArtifactStore artifacts = new ArtifactStore(dir.resolve("artifacts"));
    ExperimentSpec spec = spec(new TokenizerSpec.Bpe(64, List.of()));
    Stage tokenizer = planner(artifacts, null).plan(spec).stages(Stage.Kind.TOKENIZER).get(0);
    assertThat(tokenizer.specJson()).contains("\"versions\":{\"tokenizer:bpe\":1}");
    artifacts.put("tokenizer", tokenizer.identity(),
        folder -> Files.writeString(folder.resolve("tokenizer.json"), "{}"));
    Stage again = planner(artifacts, null).plan(spec).stages(Stage.Kind.TOKENIZER).get(0);
    assertThat(again.done()).isFalse();
    assertThat(again.stale()).isEqualTo("made by dnalab 0.1, before code versions");
    Stage run = planner(artifacts, null).plan(spec).stages(Stage.Kind.FINETUNE).get(0);
    assertThat(run.inputs()).containsExactly(tokenizer.key());
  }

  /** A stored row for a given key, identity and versions. */
  private static final class StoredRunFixture {
    static StoredRun of(String key, String identity, Map<String, Integer> versions) {
      MetricSet metrics = new MetricSet(32, 0.5, 0.3, 0.5, 0.5, 0.5, 0.7);
      io.dnalab.result.RunResult result = new io.dnalab.result.RunResult("versions",
          TASK.id(), "nucleotide", CONV.id(), "none", 1, metrics, metrics, 100, 1.5, 1, 2, 1,
          "old cpu");
      java.time.Instant start = java.time.Instant.parse("2026-11-01T00:00:00Z");
      return new StoredRun(key, identity, versions, result, "{}",
          io.dnalab.result.Provenance.of("old cpu", Map.of(), start, start.plusSeconds(2)));
    }
  }
}
