package io.dnalab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnalab.data.LabeledSequence;
import io.dnalab.data.SequenceTask;
import io.dnalab.spec.ExclusionRule;
import io.dnalab.spec.ExperimentSpec;
import io.dnalab.spec.FinetuneSpec;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.PretrainSpec;
import io.dnalab.spec.SpecJson;
import io.dnalab.spec.TaskSpec;
import io.dnalab.spec.TokenizerSpec;
import io.dnalab.train.SyntheticTasks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunPlanTest {

  @Test
  void planShowsEachCellsRecipeAndParameterCount(@TempDir Path dir) throws Exception {
    SequenceTask task = SyntheticTasks.motifs(2, 64, 32, 32, 40, 40, 3);
    Path folder = dir.resolve("motif");
    Files.createDirectories(folder);
    write(folder.resolve("train.csv"), task.train());
    write(folder.resolve("dev.csv"), task.dev());
    write(folder.resolve("test.csv"), task.test());
    // dnabert2() over a 4096-token BPE, ConvNova and the CNN over nucleotides; no overrides, so
    // each family's own recipe.
    TokenizerSpec bpe = new TokenizerSpec.Bpe(4096, List.of());
    TokenizerSpec nucleotide = new TokenizerSpec.Nucleotide();
    ExperimentSpec experiment = new ExperimentSpec("plan", List.of(new TaskSpec.Local(folder)),
        List.of(bpe, nucleotide), List.of(ModelSpec.Bert.dnabert2(),
            ModelSpec.ConvNova.genomicBenchmarks(), new ModelSpec.CnnBaseline()),
        List.of(new PretrainSpec.None()), FinetuneSpec.defaults(), 1, List.of(
            new ExclusionRule(List.of(), List.of(nucleotide), List.of(ModelSpec.Bert.dnabert2()),
                List.of()),
            new ExclusionRule(List.of(), List.of(bpe), List.of(
                ModelSpec.ConvNova.genomicBenchmarks(), new ModelSpec.CnnBaseline()),
                List.of())));
    Path spec = dir.resolve("spec.json");
    Files.writeString(spec, SpecJson.write(experiment));

    CliRun run = CliRun.run("run", spec.toString(), "--plan", "--results",
        dir.resolve("results.sqlite").toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> cells = run.out().lines().filter(line -> line.startsWith("cell ")).toList();
    assertThat(cells).hasSize(3);
    assertThat(cells.get(0)).contains("bpe4096").contains(ModelSpec.Bert.dnabert2().id())
        .contains("recipe dnabert2-gue lr 3e-05, linear 50 warm-up, 3 epochs, batch 32")
        .endsWith("117,068,544 params");
    assertThat(cells.get(1)).contains(ModelSpec.ConvNova.genomicBenchmarks().id())
        .contains("recipe convnova lr 0.001, cosine 1% warm-up, floor 0.1, 10 epochs, batch 128")
        .containsPattern("  \\d{1,3}(,\\d{3})* params$");
    assertThat(cells.get(2)).contains("cnn-baseline")
        .contains("recipe gb-cnn lr 0.001, constant, 10 epochs, batch 64")
        .endsWith("params sized by the task's sequence length");
    // Planning trains nothing: no store row, every stage still to run.
    assertThat(run.out().lines().filter(line -> line.startsWith("todo"))).isNotEmpty();
  }

  private static void write(Path file, List<LabeledSequence> examples) throws Exception {
    StringBuilder sb = new StringBuilder("sequence,label\n");
    for (LabeledSequence example : examples) {
      sb.append(example.sequence()).append(',').append(example.label()).append('\n');
    }
    Files.writeString(file, sb.toString());
  }
}
