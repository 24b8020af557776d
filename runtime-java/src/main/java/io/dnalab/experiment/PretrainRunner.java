package io.dnalab.experiment;

import io.dnalab.spec.ExperimentSpec;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.PretrainSpec;
import io.dnalab.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Runs a pretraining stage: pretrains the encoder of {@link Inputs#model()} with
 * {@link Inputs#pretrain()} on tokens of the stage's tokenizer, and writes the checkpoint (the
 * encoder's parameters and whatever metadata it needs) into {@code outDir}. The
 * {@link ArtifactStore} publishes {@code outDir} atomically under the stage key once this
 * returns, and fine-tuning stages receive that folder as {@link FinetuneRunner.Inputs#encoder()};
 * the encoder's parameters must be in {@link #ENCODER_FILE} there.
 * The implementation is {@link LocalPretrainRunner}.
 */
public interface PretrainRunner {
  /**
   * The file in a pretraining artifact that holds the encoder's parameters (written by
   * {@code TokenEncoder.save}); fine-tuning initialises its encoder from it.
   */
  String ENCODER_FILE = "encoder.params";

  /**
   * @param tokenizer the trained tokenizer's folder ({@code tokenizer.json}), null for a
   *     tokenizer that needs no training (nucleotide, k-mer: build it from its spec)
   * @param screenedTasks the tasks whose dev and test sequences the corpus is screened for
   *     ({@link LocalPretrainRunner#screenedTasks})
   */
  record Inputs(String key, ExperimentSpec.Cell cell, Path tokenizer, String tokenizerKey,
      java.util.List<io.dnalab.spec.TaskSpec> screenedTasks) {

    public Inputs {
      screenedTasks = java.util.List.copyOf(screenedTasks);
    }

    /** Screens for the cell's own task only. */
    public Inputs(String key, ExperimentSpec.Cell cell, Path tokenizer, String tokenizerKey) {
      this(key, cell, tokenizer, tokenizerKey, java.util.List.of(cell.task()));
    }

    public ModelSpec model() {
      return cell.model();
    }

    public PretrainSpec pretrain() {
      return cell.pretrain();
    }
  }

  /** Refuses {@code cell} (a SpecException naming the field) when it cannot be pretrained here. */
  default void checkSupported(ExperimentSpec.Cell cell) {}

  void run(Inputs inputs, Path outDir, TrainingListener listener) throws IOException;

  /** Expected wall seconds, NaN when unknown. */
  default double estimateSeconds(Inputs inputs) {
    return Double.NaN;
  }
}
