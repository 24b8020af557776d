package io.dnalab.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.dnalab.checkpoint.ModelNotFoundException;
import io.dnalab.data.DataFiles;
import io.dnalab.data.SequenceTask;
import io.dnalab.engine.DnalabEngine;
import io.dnalab.model.Models;
import io.dnalab.model.PretrainedCheckpoints;
import io.dnalab.model.PretrainedModel;
import io.dnalab.model.TokenEncoder;
import io.dnalab.result.RunResult;
import io.dnalab.spec.ExperimentSpec;
import io.dnalab.spec.FinetuneSpec;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.PretrainSpec;
import io.dnalab.spec.SpecJson;
import io.dnalab.spec.TaskSpec;
import io.dnalab.spec.TokenizerSpec;
import io.dnalab.store.ResultStore;
import io.dnalab.tokenize.Tokenizer;
import io.dnalab.tokenize.Tokenizers;
import io.dnalab.train.SequenceEncoder;
import io.dnalab.train.SyntheticTasks;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A public checkpoint as an arm of an experiment ({@link PretrainSpec.Checkpoint}), on the tiny
 * DNABERT-2 fixture (test resources {@code checkpoints/models/dnabert2}: 2 layers × 12, 3 heads,
 * BPE vocabulary 1024): how it sits in a grid beside ConvNova from scratch, what its stage keys
 * hold, and that its runs start from the checkpoint's weights while its twin's do not.
 */
class CheckpointArmTest {
  private static final ModelSpec CONVNOVA = new ModelSpec.ConvNova(16, 5, 2, 4, 2, false);
  private static final TaskSpec MOTIF = new TaskSpec.Builtin("motif");
  /** Real DNA of mixed lengths; the batch pads the shorter ones. */
  private static final List<String> SEQUENCES = List.of("ACGTTGCAAGGCTTACGATCGATCGGCTA",
      "TTTTGGGGCCCCAAAA", "GATTACAGATTACAGATTACAGATTACAGATTACAGATTACA", "ACGT");
  /**
   * The checkpoint's encoder written in dnalab's format and read back runs the same float
   * operations as the loaded one on the same weights; padding changes how sums are blocked.
   */
  private static final float SAME_WEIGHTS = 1e-5f;

  private static final PretrainRunner NO_PRETRAINING = (inputs, outDir, listener) -> {
    throw new AssertionError("a checkpoint arm runs no pretraining stage");
  };

  private static TaskFingerprint fingerprint(TaskSpec task) {
    return new TaskFingerprint(task.id(), Map.of("train", "t", "dev", "d", "test", "s"), 128, 64,
        40);
  }

  private static Planner planner() {
    return new Planner(CheckpointArmTest::fingerprint, DataFiles::sha256OfBytes, null, null,
        NO_PRETRAINING);
  }

  static Path fixture() {
    try {
      return Path.of(CheckpointArmTest.class.getResource("/checkpoints/models/dnabert2").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A copy of the fixture that a test may change. */
  private static Path copyOfFixture(Path folder) throws IOException {
    Files.createDirectories(folder);
    try (Stream<Path> files = Files.list(fixture())) {
      for (Path file : files.toList()) {
        Files.copy(file, folder.resolve(file.getFileName()));
      }
    }
    return folder;
  }

  private static ExperimentSpec spec(PretrainSpec.Checkpoint checkpoint, FinetuneSpec finetune,
      int seeds) {
    return new ExperimentSpec("checkpoint-arm", List.of(MOTIF),
        List.of(new TokenizerSpec.Nucleotide()), List.of(CONVNOVA),
        List.of(new PretrainSpec.None(), checkpoint), finetune, seeds);
  }

  @Test
  void theCheckpointAndItsTwinSitBesideConvNovaFromScratch(@TempDir Path dir) throws Exception {
    Path folder = copyOfFixture(dir.resolve("dnabert2"));
    PretrainSpec.Checkpoint checkpoint = Dnalab.checkpoint(folder.toString());
    // The architecture is config.json's, the tokenizer the checkpoint's own file.
    assertThat(checkpoint.model()).isEqualTo(new ModelSpec.Bert(2, 12, 3, 20, 0.1, 0.0, false,
        ModelSpec.Pooling.CLS, true));
    assertThat(checkpoint.tokenizer()).isEqualTo(
        new TokenizerSpec.FromFile(folder.resolve("tokenizer.json")));
    ExperimentSpec spec = spec(checkpoint, FinetuneSpec.defaults(), 2);

    assertThat(spec.cells()).extracting(ExperimentSpec.Cell::label).containsExactly(
        "builtin/motif · nucleotide · convnova-d16-k5 · none",
        "builtin/motif · file:tokenizer.json · " + checkpoint.model().id() + " · none",
        "builtin/motif · file:tokenizer.json · " + checkpoint.model().id()
            + " · checkpoint:dnabert2");
    assertThat(SpecJson.read(SpecJson.write(spec), "test")).isEqualTo(spec);

    Plan plan = planner().plan(spec);
    assertThat(plan.stages(Stage.Kind.TOKENIZER)).isEmpty();
    assertThat(plan.stages(Stage.Kind.PRETRAIN)).isEmpty();
    List<Stage> runs = plan.stages(Stage.Kind.FINETUNE);
    assertThat(runs).hasSize(6);
    Stage scratch = runs.get(0);
    Stage twin = runs.get(2);
    Stage pretrained = runs.get(4);
    String hash = PretrainedCheckpoints.contentHash(folder);
    assertThat(pretrained.specJson()).contains("\"pretrain\":{\"checkpoint\":\"" + hash + "\"}")
        .contains("\"checkpoint\":1");
    assertThat(twin.specJson()).contains("\"pretrain\":\"none\"").doesNotContain(hash)
        .doesNotContain("\"checkpoint\":1");
    // Both arms of the checkpoint fine-tune by BERT's default recipe, ConvNova by its own.
    assertThat(Planner.recipeFor(spec.finetune(), twin.cell()).name()).isEqualTo("dnabert2-gue");
    assertThat(Planner.recipeFor(spec.finetune(), pretrained.cell()).name())
        .isEqualTo("dnabert2-gue");
    assertThat(Planner.recipeFor(spec.finetune(), scratch.cell()).name())
        .isEqualTo("convnova");

    // --plan's cell lines: the checkpoint's source, hash prefix, parameter count and recipe.
    List<String> lines = plan.cellLines(CellParameters::count);
    assertThat(lines.get(2)).contains("recipe dnabert2-gue")
        .containsPattern("  [0-9,]+ params  from checkpoint ")
        .endsWith("from checkpoint " + folder + " " + hash.substring(0, 19) + "…");
    assertThat(lines.get(1)).endsWith("random init of checkpoint " + folder + "'s architecture");
    assertThat(lines.get(0)).doesNotContain("checkpoint");

    // A changed weight file is another checkpoint: another key; the twin and ConvNova keep theirs.
    Path weights = folder.resolve("model.safetensors");
    byte[] bytes = Files.readAllBytes(weights);
    bytes[bytes.length - 1] ^= 1;
    Files.write(weights, bytes, StandardOpenOption.TRUNCATE_EXISTING);
    List<Stage> again = planner().plan(spec).stages(Stage.Kind.FINETUNE);
    assertThat(again.get(4).key()).isNotEqualTo(pretrained.key());
    assertThat(again.get(4).specJson()).contains(PretrainedCheckpoints.contentHash(folder));
    assertThat(again.get(2).key()).isEqualTo(twin.key());
    assertThat(again.get(0).key()).isEqualTo(scratch.key());
  }

  @Test
  void aMissingCheckpointIsTheLocatorsErrorAtPlanTime(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> Dnalab.checkpoint(dir.resolve("absent").toString()))
        .isInstanceOf(ModelNotFoundException.class)
        .hasMessageContaining("not found; looked at")
        .hasMessageContaining(dir.resolve("absent").toString());
    // A spec written while it was here, planned after it went.
    Path folder = copyOfFixture(dir.resolve("dnabert2"));
    ExperimentSpec spec = spec(Dnalab.checkpoint(folder.toString()), FinetuneSpec.defaults(), 1);
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    Files.delete(folder);
    assertThatThrownBy(() -> planner().plan(spec))
        .isInstanceOf(ModelNotFoundException.class)
        .hasMessageContaining("model " + folder + " not found; looked at");
  }

  @Test
  void aCheckpointArmStartsFromItsWeightsAndItsTwinDoesNot(@TempDir Path dir) throws Exception {
    PretrainSpec.Checkpoint checkpoint = Dnalab.checkpoint(fixture().toString());
    Tokenizer tokenizer = Tokenizers.forStage(checkpoint.tokenizer(), null);
    // The vocabulary the fine-tuner builds its model over (FinetuneRunner.local).
    SequenceEncoder ids = SequenceEncoder.of(checkpoint.tokenizer(), tokenizer);
    Path staged = dir.resolve("staged.encoder");
    FinetuneRunner.writeCheckpointEncoder(checkpoint, checkpoint.model(), staged);

    int batch = SEQUENCES.size();
    int[][] encoded = SEQUENCES.stream().map(s -> tokenizer.encode(s).ids()).toArray(int[][]::new);
    int length = Stream.of(encoded).mapToInt(e -> e.length).max().orElseThrow();
    int[][] padded = new int[batch][length];
    boolean[][] mask = new boolean[batch][length];
    long[] flatIds = new long[batch * length];
    float[] flatMask = new float[batch * length];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < length; t++) {
        boolean real = t < encoded[b].length;
        padded[b][t] = real ? encoded[b][t] : tokenizer.specialTokens().pad();
        mask[b][t] = real;
        flatIds[b * length + t] = padded[b][t];
        flatMask[b * length + t] = real ? 1f : 0f;
      }
    }
    float[][][] reference;
    int hidden;
    try (PretrainedModel model = PretrainedCheckpoints.load(fixture().toString())) {
      reference = model.hiddenStates(padded, mask, model.layers());
      hidden = model.hiddenSize();
    }
    DnalabEngine.startDefault();
    try (NDManager manager = NDManager.newBaseManager()) {
      TokenEncoder fromCheckpoint = Models.createEncoder(checkpoint.model(), ids.vocabulary());
      Models.initialize(fromCheckpoint, manager, 1, 8);
      fromCheckpoint.load(staged, manager);
      DnalabEngine.seed(5);
      TokenEncoder twin = Models.createEncoder(checkpoint.model(), ids.vocabulary());
      Models.initialize(twin, manager, 1, 8);
      NDArray idArray = manager.create(flatIds, new Shape(batch, length));
      NDArray maskArray = manager.create(flatMask, new Shape(batch, length));
      float[] start = fromCheckpoint.forward(new ParameterStore(manager, false),
          new NDList(idArray, maskArray), false).head().toFloatArray(); // (B, L, H)
      float[] fresh = twin.forward(new ParameterStore(manager, false),
          new NDList(idArray, maskArray), false).head().toFloatArray(); // (B, L, H)
      double fromCheckpointDelta = 0;
      double twinDelta = 0;
      for (int b = 0; b < batch; b++) {
        for (int t = 0; t < encoded[b].length; t++) {
          for (int c = 0; c < hidden; c++) {
            float expected = reference[b][t][c];
            int at = (b * length + t) * hidden + c;
            fromCheckpointDelta = Math.max(fromCheckpointDelta, Math.abs(start[at] - expected));
            twinDelta = Math.max(twinDelta, Math.abs(fresh[at] - expected));
          }
        }
      }
      assertThat(fromCheckpointDelta).isLessThan(SAME_WEIGHTS);
      assertThat(twinDelta).as("a freshly initialised twin is another function").isGreaterThan(0.1);
    }
  }

  @Test
  void bothArmsFineTuneByTheRecipeFrozenOrNotAndTheCheckpointIsInTheProvenance(
      @TempDir Path dir) throws Exception {
    SequenceTask task = SyntheticTasks.motifs(2, 64, 32, 32, 40, 40, 9);
    PretrainSpec.Checkpoint checkpoint = Dnalab.checkpoint(fixture().toString());
    String hash = PretrainedCheckpoints.contentHash(fixture());
    for (boolean frozen : new boolean[] {false, true}) {
      // One epoch instead of the recipe's three: an override, the rest is DNABERT-2's recipe.
      ExperimentSpec spec = spec(checkpoint,
          new FinetuneSpec(null, 1, null, null, null, frozen, 0), 1);
      try (ResultStore results = ResultStore.open(dir.resolve("results-" + frozen + ".sqlite"))) {
        ArtifactStore artifacts = new ArtifactStore(dir.resolve("artifacts-" + frozen));
        Plan plan = new Planner(CheckpointArmTest::fingerprint, DataFiles::sha256OfBytes,
            artifacts, results, NO_PRETRAINING).plan(spec);
        Executor executor = new Executor(taskSpec -> task, CheckpointArmTest::fingerprint,
            FinetuneRunner.local(DnalabEngine::startDefault), NO_PRETRAINING, artifacts, results);
        List<RunResult> runs = executor.execute(plan, new ExecutionListener() {});
        assertThat(runs).extracting(RunResult::pretrain)
            .containsExactly("none", "none", "checkpoint:dnabert2");
        assertThat(runs).extracting(RunResult::recipe)
            .containsExactly("convnova", "dnabert2-gue", "dnabert2-gue");
        // 64 examples in DNABERT-2's batches of 32, one epoch
        assertThat(runs.get(2).steps()).isEqualTo(2);
        List<Stage> stages = plan.stages(Stage.Kind.FINETUNE);
        Map<String, String> withCheckpoint = results.find(stages.get(2).key()).orElseThrow()
            .provenance().dataChecksums();
        assertThat(withCheckpoint).containsEntry("checkpoint/" + fixture(), hash);
        assertThat(results.find(stages.get(1).key()).orElseThrow().provenance().dataChecksums())
            .doesNotContainKey("checkpoint/" + fixture());
        // Fine-tuned from other starting weights, the two arms end elsewhere.
        assertThat(runs.get(2).test()).isNotEqualTo(runs.get(1).test());
      }
    }
  }
}
