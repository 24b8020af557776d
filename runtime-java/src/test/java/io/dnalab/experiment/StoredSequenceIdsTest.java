package io.dnalab.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnalab.result.Predictions;
import io.dnalab.result.Provenance;
import io.dnalab.spec.ExperimentSpec;
import io.dnalab.spec.FinetuneSpec;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.PretrainSpec;
import io.dnalab.spec.TaskSpec;
import io.dnalab.spec.TokenizerSpec;
import io.dnalab.store.ResultStore;
import io.dnalab.store.StoredRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A task's record ids reach the predictions a run stores, in the split's order. */
class StoredSequenceIdsTest {
  static final ModelSpec SMALL_CONVNOVA = new ModelSpec.ConvNova(16, 5, 2, 4, 2, false);

  /**
   * {@code count} random 40-mers with an {@code id} column {@code <prefix><i>}; class 1 holds
   * a GGGGGG motif, so there is something to learn.
   */
  static List<String> writeSplit(Path file, String prefix, int count, long seed)
      throws IOException {
    Random random = new Random(seed);
    StringBuilder csv = new StringBuilder("id,sequence,label\n");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      StringBuilder sequence = new StringBuilder();
      for (int b = 0; b < 40; b++) {
        sequence.append("ACGT".charAt(random.nextInt(4)));
      }
      int label = random.nextInt(2);
      if (label == 1) {
        sequence.replace(17, 23, "GGGGGG");
      }
      ids.add(prefix + i);
      csv.append(prefix).append(i).append(',').append(sequence).append(',').append(label)
          .append('\n');
    }
    Files.writeString(file, csv);
    return ids;
  }

  @Test
  void storedPredictionsCarryTheTasksIds(@TempDir Path dir) throws IOException {
    Path task = Files.createDirectories(dir.resolve("with-ids"));
    writeSplit(task.resolve("train.csv"), "tr", 120, 1);
    List<String> devIds = writeSplit(task.resolve("dev.csv"), "dv", 30, 2);
    List<String> testIds = writeSplit(task.resolve("test.csv"), "te", 40, 3);
    ExperimentSpec spec = new ExperimentSpec("ids", List.of(new TaskSpec.Local(task)),
        List.of(new TokenizerSpec.Nucleotide()), List.of(SMALL_CONVNOVA),
        List.of(new PretrainSpec.None()), new FinetuneSpec(1, 3e-3, 32, 0.1), 1);
    try (ExperimentEngine engine = TestEngines.inFolder(dir)) {
      engine.execute(engine.plan(spec), new ExecutionListener() {});
    }
    try (ResultStore store = ResultStore.open(dir.resolve("results.sqlite"))) {
      StoredRun run = store.all().get(0);
      List<Predictions> predictions = store.predictions(run.key());
      assertThat(predictions.get(0).sequenceIds()).isEqualTo(devIds);
      assertThat(predictions.get(1).sequenceIds()).isEqualTo(testIds);
      // every sequence is 40 bases: the lengths the run used, in its provenance
      assertThat(run.provenance().taskLengths()).containsExactly(
          java.util.Map.entry("train", new Provenance.SplitLengths(120, 40, 40, 40.0)),
          java.util.Map.entry("dev", new Provenance.SplitLengths(30, 40, 40, 40.0)),
          java.util.Map.entry("test", new Provenance.SplitLengths(40, 40, 40, 40.0)));
    }
  }
}
