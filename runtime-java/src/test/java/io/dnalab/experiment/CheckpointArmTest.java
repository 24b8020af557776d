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
import io.dnalab.data.DatasetCatalog;
import io.dnalab.data.Sha256Cache;
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
import io.dnalab.spec.SpecException;
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
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A public checkpoint as an arm of an experiment ({@link PretrainSpec.Checkpoint}), on the tiny
 * fixtures of the three families (test resources {@code checkpoints/models/}: {@code dnabert2},
 * 2 layers × 12, BPE vocabulary 1024; {@code dnabert6}, BERT 2 × 24 over DNABERT's 6-mer
 * vocab.txt; {@code nt_v1}, ESM 2 × 32 over NT's vocab.txt): how it sits in a grid beside
 * ConvNova from scratch, what its stage keys hold, that its runs start from the checkpoint's
 * weights and tokens while its twin's start from the same architecture freshly initialised, and
 * that a checkpoint changed after planning is refused.
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
    return fixture("dnabert2");
  }

  /** The tiny checkpoint of a layout: dnabert2, dnabert6 or nt_v1. */
  static Path fixture(String layout) {
    try {
      return Path.of(CheckpointArmTest.class.getResource("/checkpoints/models/" + layout)
          .toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A copy of the DNABERT-2 fixture that a test may change. */
  private static Path copyOfFixture(Path folder) throws IOException {
    return copyOfFixture("dnabert2", folder);
  }

  /** A copy of a layout's fixture that a test may change. */
  private static Path copyOfFixture(String layout, Path folder) throws IOException {
    Files.createDirectories(folder);
    try (Stream<Path> files = Files.list(fixture(layout))) {
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

  @ParameterizedTest
  @ValueSource(strings = {"dnabert6", "nt_v1"})
  void aVocabTxtCheckpointBringsItsArchitectureAndTokenizerToTheGrid(String layout) {
    PretrainSpec.Checkpoint checkpoint = Dnalab.checkpoint(fixture(layout).toString());
    TokenizerSpec.VocabFile.Layout expected = layout.equals("dnabert6")
        ? TokenizerSpec.VocabFile.Layout.DNABERT
        : TokenizerSpec.VocabFile.Layout.NUCLEOTIDE_TRANSFORMER;
    assertThat(checkpoint.tokenizer()).isEqualTo(
        new TokenizerSpec.VocabFile(fixture(layout).resolve("vocab.txt"), expected));
    // Each family pools as its authors fine-tune: [CLS] / <cls> through a dense + tanh head.
    assertThat(checkpoint.model()).isInstanceOf(layout.equals("dnabert6")
        ? ModelSpec.StandardBert.class : ModelSpec.Esm.class);
    ExperimentSpec spec = spec(checkpoint, FinetuneSpec.defaults(), 1);
    assertThat(spec.cells()).extracting(ExperimentSpec.Cell::label).containsExactly(
        "builtin/motif · nucleotide · convnova-d16-k5 · none",
        "builtin/motif · file:vocab.txt · " + checkpoint.model().id() + " · none",
        "builtin/motif · file:vocab.txt · " + checkpoint.model().id() + " · checkpoint:" + layout);
    assertThat(SpecJson.read(SpecJson.write(spec), "test")).isEqualTo(spec);
    List<Stage> runs = planner().plan(spec).stages(Stage.Kind.FINETUNE);
    assertThat(runs.get(2).checkpointHash())
        .isEqualTo(PretrainedCheckpoints.contentHash(fixture(layout)));
    assertThat(runs.get(1).checkpointHash()).isNull();
    // Both arms fine-tune by the family's default recipe.
    assertThat(runs.subList(1, 3)).extracting(stage -> Planner.recipeFor(spec.finetune(),
        stage.cell()).name()).containsExactly("dnabert2-gue", "dnabert2-gue");
    // The arm's ids are the checkpoint tokenizer's, and the spec is the one load() builds.
    Tokenizer cellTokenizer = Tokenizers.forStage(checkpoint.tokenizer(), null);
    try (PretrainedModel model = PretrainedCheckpoints.load(fixture(layout).toString())) {
      assertThat(checkpoint.model()).isEqualTo(model.spec());
      for (String sequence : SEQUENCES) {
        assertThat(cellTokenizer.encode(sequence).ids()).as(sequence)
            .containsExactly(model.tokenizer().encode(sequence).ids());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dnabert2", "dnabert6", "nt_v1"})
  void aCheckpointArmStartsFromItsWeightsAndItsTwinDoesNot(String layout, @TempDir Path dir)
      throws Exception {
    PretrainSpec.Checkpoint checkpoint = Dnalab.checkpoint(fixture(layout).toString());
    Tokenizer tokenizer = Tokenizers.forStage(checkpoint.tokenizer(), null);
    // The vocabulary the fine-tuner builds its model over (FinetuneRunner.local).
    SequenceEncoder ids = SequenceEncoder.of(checkpoint.tokenizer(), tokenizer);
    Path staged = dir.resolve("staged.encoder");
    FinetuneRunner.writeCheckpointEncoder(checkpoint, checkpoint.model(),
        PretrainedCheckpoints.contentHash(fixture(layout)), staged);

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
    try (PretrainedModel model = PretrainedCheckpoints.load(fixture(layout).toString())) {
      // The cell's tokens are the checkpoint tokenizer's.
      for (int b = 0; b < batch; b++) {
        assertThat(encoded[b]).containsExactly(model.tokenizer().encode(SEQUENCES.get(b)).ids());
      }
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
      assertThat(fromCheckpointDelta).as(layout).isLessThan(SAME_WEIGHTS);
      assertThat(twinDelta).as(layout + ": a freshly initialised twin is another function")
          .isGreaterThan(0.1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dnabert2", "dnabert6", "nt_v1"})
  void bothArmsFineTuneByTheRecipeFrozenOrNotAndTheCheckpointIsInTheProvenance(String layout,
      @TempDir Path dir) throws Exception {
    SequenceTask task = SyntheticTasks.motifs(2, 64, 32, 32, 40, 40, 9);
    PretrainSpec.Checkpoint checkpoint = Dnalab.checkpoint(fixture(layout).toString());
    String hash = PretrainedCheckpoints.contentHash(fixture(layout));
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
            .containsExactly("none", "none", "checkpoint:" + layout);
        assertThat(runs).extracting(RunResult::recipe)
            .containsExactly("convnova", "dnabert2-gue", "dnabert2-gue");
        // 64 examples in DNABERT-2's batches of 32, one epoch
        assertThat(runs.get(2).steps()).isEqualTo(2);
        List<Stage> stages = plan.stages(Stage.Kind.FINETUNE);
        Map<String, String> withCheckpoint = results.find(stages.get(2).key()).orElseThrow()
            .provenance().dataChecksums();
        assertThat(withCheckpoint).containsEntry("checkpoint/" + fixture(layout), hash);
        assertThat(results.find(stages.get(1).key()).orElseThrow().provenance().dataChecksums())
            .doesNotContainKey("checkpoint/" + fixture(layout));
        // Both arms' per-example test predictions are stored beside their rows.
        for (Stage arm : stages.subList(1, 3)) {
          assertThat(results.predictions(arm.key())).as(arm.label()).isNotEmpty();
        }
        // Fine-tuned from other starting weights, the two arms end elsewhere.
        assertThat(runs.get(2).test()).isNotEqualTo(runs.get(1).test());
      }
    }
  }

  @Test
  void aCheckpointChangedBetweenPlanAndRunIsRefusedNamingBothHashes(@TempDir Path dir)
      throws Exception {
    SequenceTask task = SyntheticTasks.motifs(2, 64, 32, 32, 40, 40, 9);
    Path folder = copyOfFixture("dnabert6", dir.resolve("dnabert6"));
    ExperimentSpec spec = spec(Dnalab.checkpoint(folder.toString()),
        new FinetuneSpec(null, 1, null, null, null, false, 0), 1);
    try (ResultStore results = ResultStore.open(dir.resolve("results.sqlite"))) {
      ArtifactStore artifacts = new ArtifactStore(dir.resolve("artifacts"));
      Plan plan = new Planner(CheckpointArmTest::fingerprint, DataFiles::sha256OfBytes,
          artifacts, results, NO_PRETRAINING).plan(spec);
      String planned = PretrainedCheckpoints.contentHash(folder);
      // Other weights in the same place, after planning: one float's last bit.
      Path weights = folder.resolve("model.safetensors");
      byte[] bytes = Files.readAllBytes(weights);
      bytes[bytes.length - 1] ^= 1;
      Files.write(weights, bytes, StandardOpenOption.TRUNCATE_EXISTING);
      String now = PretrainedCheckpoints.contentHash(folder);
      Executor executor = new Executor(taskSpec -> task, CheckpointArmTest::fingerprint,
          FinetuneRunner.local(DnalabEngine::startDefault), NO_PRETRAINING, artifacts, results);
      assertThatThrownBy(() -> executor.execute(plan, new ExecutionListener() {}))
          .isInstanceOf(SpecException.class)
          .hasMessage("pretrain.checkpoint: checkpoint " + folder + " changed since the "
              + "experiment was planned: its weights now hash " + now.substring(0, 19)
              + "…, the plan's key holds " + planned.substring(0, 19) + "…; plan it again");
      // ConvNova and the twin ran; the checkpoint's run recorded nothing under the old key.
      assertThat(results.find(plan.stages(Stage.Kind.FINETUNE).get(1).key())).isPresent();
      assertThat(results.find(plan.stages(Stage.Kind.FINETUNE).get(2).key())).isEmpty();
    }
  }

  @Test
  void planningAgainTakesTheCheckpointHashFromTheCacheUntilAWeightFileChanges(@TempDir Path dir)
      throws Exception {
    Path folder = copyOfFixture("nt_v1", dir.resolve("nt_v1"));
    Sha256Cache cache = new Sha256Cache(dir.resolve("checksums.json"));
    String first = PretrainedCheckpoints.contentHash(folder, cache);
    assertThat(first).isEqualTo(PretrainedCheckpoints.contentHash(folder));
    assertThat(cache.hits()).isZero();
    // A new cache over the same file: what a second `--plan` process finds.
    Sha256Cache again = new Sha256Cache(dir.resolve("checksums.json"));
    assertThat(PretrainedCheckpoints.contentHash(folder, again)).isEqualTo(first);
    assertThat(again.hits()).isEqualTo(1);
    // Touched, same bytes: hashed anew, same hash. Rewritten: hashed anew, another hash.
    Path weights = folder.resolve("model.safetensors");
    Files.setLastModifiedTime(weights, FileTime.fromMillis(
        Files.getLastModifiedTime(weights).toMillis() + 60_000));
    assertThat(PretrainedCheckpoints.contentHash(folder, again)).isEqualTo(first);
    assertThat(again.hits()).isEqualTo(1);
    byte[] bytes = Files.readAllBytes(weights);
    bytes[bytes.length - 1] ^= 1;
    Files.write(weights, bytes, StandardOpenOption.TRUNCATE_EXISTING);
    String changed = PretrainedCheckpoints.contentHash(folder, again);
    assertThat(changed).isNotEqualTo(first).isEqualTo(PretrainedCheckpoints.contentHash(folder));
    assertThat(again.hits()).isEqualTo(1);
    // The engine's planner (Planner.of) keys by the hash of DataFingerprints' cache.
    DataFingerprints fingerprints = new DataFingerprints(DatasetCatalog.builder()
        .cacheDir(dir.resolve("cache")).build(), dir.resolve("checksums.json"));
    assertThat(fingerprints.checkpointHash(folder)).isEqualTo(changed);
    ExperimentSpec spec = spec(Dnalab.checkpoint(folder.toString()), FinetuneSpec.defaults(), 1);
    List<Stage> runs = new Planner(CheckpointArmTest::fingerprint, DataFiles::sha256OfBytes,
        name -> "unused", null, null, NO_PRETRAINING, fingerprints::checkpointHash).plan(spec)
        .stages(Stage.Kind.FINETUNE);
    assertThat(runs.get(2).checkpointHash()).isEqualTo(changed);
  }
}
