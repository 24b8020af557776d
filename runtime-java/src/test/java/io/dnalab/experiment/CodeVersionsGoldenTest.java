package io.dnalab.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import io.dnalab.data.SequenceTask;
import io.dnalab.spec.ExperimentSpec;
import io.dnalab.spec.FinetuneSpec;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.PretrainSpec;
import io.dnalab.spec.TaskSpec;
import io.dnalab.spec.TokenizerSpec;
import io.dnalab.tokenize.Tokenizer;
import io.dnalab.tokenize.Tokenizers;
import io.dnalab.tokenize.TrainingProgress;
import io.dnalab.train.FineTuneConfig;
import io.dnalab.train.FineTuneResult;
import io.dnalab.train.SyntheticTasks;
import io.dnalab.train.TrainingListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden outputs tied to {@link CodeVersions}: each golden records the version it was made at.
 * When the code's output changes, the golden fails and says which version to bump; when a
 * version is bumped, the golden fails until it is recorded again at the new version. So a change
 * of numerics that is not versioned fails here, and stored results of older code are never
 * reused silently.
 */
class CodeVersionsGoldenTest {

  /** Tokenizer kind → version the golden was recorded at, and the ids of {@link #INPUTS}. */
  private static final Map<String, Golden> TOKENIZER_GOLDENS = Map.of(
      "nucleotide", new Golden(1, "[2, 5, 6, 7, 8, 5, 6, 7, 8, 8, 8, 7, 5, 6, 9, 3] "
          + "[2, 7, 7, 7, 6, 6, 6, 5, 5, 8, 5, 8, 5, 5, 8, 6, 5, 7, 7, 8, 5, 6, 3]"),
      // non-overlapping 3-mers / overlapping 3-mers
      "kmer", new Golden(1, "[2, 11, 54, 52, 61, 70, 73, 3] [2, 47, 26, 8, 17, 18, 15, 54, 3]"
          + " / [2, 11, 32, 49, 54, 11, 32, 52, 68, 67, 61, 38, 1, 3] [2, 47, 46, 42, 26, 25, 21,"
          + " 8, 17, 56, 17, 53, 8, 18, 57, 23, 15, 48, 49, 54, 3]"),
      // BPE trained to 40 tokens on corpus()
      "bpe", new Golden(1, "[2, 15, 12, 15, 22, 9, 7, 15, 8, 3] "
          + "[2, 17, 13, 18, 16, 21, 6, 19, 12, 15, 3]"),
      // the same BPE written to tokenizer.json and read back
      "file", new Golden(1, "[2, 15, 12, 15, 22, 9, 7, 15, 8, 3] "
          + "[2, 17, 13, 18, 16, 21, 6, 19, 12, 15, 3]"),
      // the DNABERT 6-mer / NT v1 fixtures' vocab.txt (test resources checkpoints/models)
      // (N inside a DNABERT 6-mer is [UNK] 1; NT's leftovers C and N are single letters)
      "vocab", new Golden(1, "[2, 438, 1739, 2848, 3188, 452, 1795, 3069, 4070, 1, 3] [2, 2714,"
          + " 2649, 2389, 1352, 1297, 1080, 209, 821, 3272, 786, 3129, 215, 847, 3376, 1201, 694,"
          + " 3] / [3, 728, 3426, 4104, 4106] [3, 4080, 74, 405, 4103, 4102, 4104]"));

  private record Golden(int version, String output) {}

  private static final List<String> INPUTS = List.of("ACGTACGTTTGACN", "GGGCCCAATATAATCAGGTAC");

  /** Fixed sequences from a fixed-seed {@link Random} (its algorithm is part of the JDK spec). */
  private static List<String> corpus() {
    Random random = new Random(11);
    List<String> sequences = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      StringBuilder sequence = new StringBuilder();
      for (int j = 0; j < 60; j++) {
        sequence.append("ACGT".charAt(random.nextInt(4)));
      }
      sequences.add(sequence.append("TATAAT").toString());
    }
    return sequences;
  }

  private static String ids(Tokenizer tokenizer) {
    List<String> out = new ArrayList<>();
    for (String input : INPUTS) {
      out.add(Arrays.toString(tokenizer.encode(input).ids()));
    }
    return String.join(" ", out);
  }

  @Test
  void tokenizerOutputsMatchTheGoldenOfTheirVersion(@TempDir Path dir) {
    Map<String, String> outputs = new LinkedHashMap<>();
    Tokenizer bpe = Tokenizers.create(new TokenizerSpec.Bpe(40, List.of()), name -> List.of(),
        CodeVersionsGoldenTest::corpus, TrainingProgress.NONE);
    outputs.put("nucleotide", ids(Tokenizers.create(new TokenizerSpec.Nucleotide(),
        name -> List.of(), List::of, TrainingProgress.NONE)));
    outputs.put("kmer", ids(Tokenizers.create(new TokenizerSpec.Kmer(3, false),
        name -> List.of(), List::of, TrainingProgress.NONE)) + " / " + ids(Tokenizers.create(
            new TokenizerSpec.Kmer(3, true), name -> List.of(), List::of,
            TrainingProgress.NONE)));
    outputs.put("bpe", ids(bpe));
    Path file = dir.resolve("tokenizer.json");
    bpe.save(file);
    outputs.put("file", ids(Tokenizers.create(new TokenizerSpec.FromFile(file),
        name -> List.of(), List::of, TrainingProgress.NONE)));
    outputs.put("vocab", ids(Tokenizers.forStage(new TokenizerSpec.VocabFile(
        CheckpointArmTest.fixture("dnabert6").resolve("vocab.txt"),
        TokenizerSpec.VocabFile.Layout.DNABERT), null)) + " / " + ids(Tokenizers.forStage(
            new TokenizerSpec.VocabFile(CheckpointArmTest.fixture("nt_v1").resolve("vocab.txt"),
                TokenizerSpec.VocabFile.Layout.NUCLEOTIDE_TRANSFORMER), null)));
    SoftAssertions softly = new SoftAssertions(); // every kind's mismatch in one report
    outputs.forEach((kind, output) -> {
      Golden golden = TOKENIZER_GOLDENS.get(kind);
      softly.assertThat(CodeVersions.TOKENIZERS.get(kind))
          .as("CodeVersions.TOKENIZERS[%s] changed: record this golden again at the new "
              + "version (output now: %s)", kind, output).isEqualTo(golden.version());
      softly.assertThat(output).as("numerics changed: bump CodeVersions.TOKENIZERS[%s] and "
          + "update this golden", kind).isEqualTo(golden.output());
    });
    softly.assertAll();
  }

  /** Model family → version recorded at, and the golden fine-tuning's dev loss, test loss. */
  private static final Map<String, double[]> RUN_GOLDENS = Map.of(
      "convnova", new double[] {1, 0.708171, 0.708730},
      "cnn", new double[] {2, 0.691425, 0.696900},
      "unet", new double[] {1, 0.693704, 0.693702},
      "bert", new double[] {2, 0.695877, 0.695328});
  /** The trainer version {@link #RUN_GOLDENS} were recorded at. */
  private static final int RUN_GOLDENS_TRAINER = 1;

  /**
   * A tiny fixed-seed fine-tuning per model family, on the CPU: its final dev and test loss. A
   * single family failing means its initialisation or forward pass changed; every family failing
   * means the training loop did. Losses of the same computation on another CPU differ in the
   * last bits (summation order), hence the 1e-4 tolerance.
   */
  @Test
  void aTinyFineTuningPerModelFamilyMatchesTheGoldenOfItsVersions() {
    SequenceTask task = SyntheticTasks.motifs(2, 96, 32, 32, 64, 64, 5);
    FinetuneRunner runner = FinetuneRunner.local(Device::cpu);
    Map<String, ModelSpec> models = new LinkedHashMap<>();
    models.put("convnova", new ModelSpec.ConvNova(16, 5, 2, 4, 2, false));
    models.put("cnn", new ModelSpec.CnnBaseline());
    models.put("unet", new ModelSpec.UNet(1, 8));
    // CLS pinned as recorded: the default pooling is now AUTO, MEAN on single nucleotides.
    models.put("bert", new ModelSpec.Bert(1, 32, 2, 64).withPooling(ModelSpec.Pooling.CLS));
    List<String> measured = new ArrayList<>();
    Map<String, FineTuneResult> results = new LinkedHashMap<>();
    models.forEach((family, model) -> {
      ExperimentSpec.Cell cell = new ExperimentSpec.Cell(new TaskSpec.Builtin("golden"),
          new TokenizerSpec.Nucleotide(), model, new PretrainSpec.None());
      FineTuneResult run = runner.run(task, new FinetuneRunner.Inputs(cell, null, null),
          FineTuneConfig.of(new FinetuneSpec(1, 1e-3, 32, 0.1), 1), TrainingListener.NONE);
      results.put(family, run);
      measured.add(String.format(java.util.Locale.ROOT, "%s: {%d, %.6f, %.6f}", family,
          CodeVersions.current("model:" + family), run.dev().loss(), run.test().loss()));
    });
    assertThat(CodeVersions.trainer()).as("CodeVersions.TRAINER changed: record these goldens "
        + "again at the new version (now: %s)", measured).isEqualTo(RUN_GOLDENS_TRAINER);
    SoftAssertions softly = new SoftAssertions(); // every family's mismatch in one report
    results.forEach((family, run) -> {
      double[] golden = RUN_GOLDENS.get(family);
      softly.assertThat(CodeVersions.current("model:" + family)).as("the code version of model %s changed: "
          + "record its golden again at the new version (now: %s)", family, measured)
          .isEqualTo((int) golden[0]);
      String bump = "numerics changed: bump the codeVersion of " + family + " in ModelRegistry (or "
          + "CodeVersions.TRAINER when every family fails) and update this golden; measured "
          + measured;
      softly.assertThat(run.dev().loss()).as(bump).isCloseTo(golden[1], within(1e-4));
      softly.assertThat(run.test().loss()).as(bump).isCloseTo(golden[2], within(1e-4));
    });
    softly.assertAll();
  }

  /**
   * Model family → its default recipe's name and the golden fine-tuning's dev loss, test loss,
   * recorded at {@code finetune} code version {@link #RECIPE_GOLDENS_VERSION}.
   */
  private static final Map<String, Object[]> RECIPE_GOLDENS = Map.of(
      "convnova", new Object[] {"convnova", 0.708161, 0.708718},
      "cnn", new Object[] {"gb-cnn", 0.689187, 0.695548},
      "unet", new Object[] {"convnova", 0.693711, 0.693709},
      "bert", new Object[] {"dnabert2-gue", 0.694223, 0.694397});
  // 3: unchanged numbers, re-recorded at 3 (the token cap cuts BPE cells only; these are
  // nucleotide cells on a task without a cap).
  private static final int RECIPE_GOLDENS_VERSION = 3;

  /**
   * The same tiny fine-tuning per family, by the family's own recipe (one epoch, batch 32, every
   * other number the recipe's): pins what each recipe computes (optimiser rule, decay groups,
   * schedule, selection). Tolerance as above. Three steps of ConvNova's recipe move ConvNova's
   * and the U-Net's losses by about 1e-5 from {@link #RUN_GOLDENS} (torch's AdamW rule and decay
   * on every parameter against 0.1's), under the tolerance: for those two families this pins the
   * recipe's name and the losses' neighbourhood; BERT's and the CNN's recipes move them by 2e-3.
   */
  @Test
  void aTinyFineTuningByEachFamilysRecipeMatchesItsGolden() {
    SequenceTask task = SyntheticTasks.motifs(2, 96, 32, 32, 64, 64, 5);
    FinetuneRunner runner = FinetuneRunner.local(Device::cpu);
    Map<String, ModelSpec> models = new LinkedHashMap<>();
    models.put("convnova", new ModelSpec.ConvNova(16, 5, 2, 4, 2, false));
    models.put("cnn", new ModelSpec.CnnBaseline());
    models.put("unet", new ModelSpec.UNet(1, 8));
    // Pinned to CLS as the golden above: AUTO would resolve to MEAN on these nucleotide inputs,
    // another spec rather than other numerics of the same one.
    models.put("bert", new ModelSpec.Bert(1, 32, 2, 64).withPooling(ModelSpec.Pooling.CLS));
    FinetuneSpec oneEpoch = new FinetuneSpec(null, 1, null, 32, null, false, 0);
    List<String> measured = new ArrayList<>();
    Map<String, FineTuneResult> results = new LinkedHashMap<>();
    Map<String, String> recipes = new LinkedHashMap<>();
    models.forEach((family, model) -> {
      ExperimentSpec.Cell cell = new ExperimentSpec.Cell(new TaskSpec.Builtin("golden"),
          new TokenizerSpec.Nucleotide(), model, new PretrainSpec.None());
      io.dnalab.spec.Recipe recipe = Planner.recipeFor(oneEpoch, cell);
      FineTuneResult run = runner.run(task, new FinetuneRunner.Inputs(cell, null, null),
          FineTuneConfig.of(recipe, oneEpoch, 1), TrainingListener.NONE);
      results.put(family, run);
      recipes.put(family, recipe.name());
      measured.add(String.format(java.util.Locale.ROOT, "%s: {\"%s\", %.6f, %.6f}", family,
          recipe.name(), run.dev().loss(), run.test().loss()));
    });
    assertThat(CodeVersions.current("finetune")).as("CodeVersions.FINETUNE changed: record these "
        + "goldens again at the new version (now: %s)", measured)
        .isEqualTo(RECIPE_GOLDENS_VERSION);
    SoftAssertions softly = new SoftAssertions();
    results.forEach((family, run) -> {
      Object[] golden = RECIPE_GOLDENS.get(family);
      String bump = "numerics of " + family + "'s recipe changed: bump CodeVersions.FINETUNE "
          + "(or the family's version) and update this golden; measured " + measured;
      softly.assertThat(recipes.get(family)).as(bump).isEqualTo(golden[0]);
      softly.assertThat(run.dev().loss()).as(bump).isCloseTo((Double) golden[1], within(1e-4));
      softly.assertThat(run.test().loss()).as(bump).isCloseTo((Double) golden[2], within(1e-4));
    });
    softly.assertAll();
  }
}
