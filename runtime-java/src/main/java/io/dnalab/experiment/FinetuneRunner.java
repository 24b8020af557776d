package io.dnalab.experiment;

import io.dnalab.data.SequenceTask;
import io.dnalab.train.FineTuneConfig;
import io.dnalab.train.FineTuneResult;
import io.dnalab.train.FineTuner;
import io.dnalab.train.TrainingListener;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Runs a fine-tuning stage: one cell, one seed, on a loaded task, from the stage's inputs (a
 * trained tokenizer's folder, a pretrained encoder's folder). {@link #fromScratch} is what main
 * can run today; the models branch's tokenizer-aware {@code FineTuner} plugs in here.
 */
public interface FinetuneRunner {

  /**
   * @param tokenizer the trained tokenizer's artifact folder, null when the tokenizer needs no
   *     training (build it from {@code cell.tokenizer()})
   * @param encoder the pretrained encoder's artifact folder, null for random initialisation
   */
  record Inputs(ExperimentSpec.Cell cell, Path tokenizer, Path encoder) {}

  /** Refuses {@code cell} (a SpecException naming the field) when this runner cannot run it. */
  void checkSupported(ExperimentSpec.Cell cell);

  FineTuneResult run(SequenceTask task, Inputs inputs, FineTuneConfig config,
      TrainingListener listener);

  /**
   * Single-nucleotide ids, random initialisation: {@link FineTuner#nucleotide()}, created on the
   * first run (so a plan whose runs are all done never starts the engine).
   */
  static FinetuneRunner fromScratch(Supplier<FineTuner> fineTuner) {
    return new FinetuneRunner() {
      private FineTuner tuner;

      @Override
      public void checkSupported(ExperimentSpec.Cell cell) {
        if (!(cell.tokenizer() instanceof TokenizerSpec.Nucleotide)) {
          throw new SpecException("tokenizer", "fine-tuning runs single-nucleotide models for "
              + "now; " + cell.tokenizer().id() + " is not supported yet (use nucleotide)");
        }
        if (!(cell.pretrain() instanceof PretrainSpec.None)) {
          throw new SpecException("pretrain", "only training from scratch (none) is supported "
              + "yet, got " + cell.pretrain().id());
        }
        if (cell.model() instanceof ModelSpec.Bert) {
          throw new SpecException("model", cell.model().id() + " needs pretraining support, "
              + "which is not built yet; from-scratch models: convnova, unet, cnn");
        }
      }

      @Override
      public synchronized FineTuneResult run(SequenceTask task, Inputs inputs,
          FineTuneConfig config, TrainingListener listener) {
        checkSupported(inputs.cell());
        if (tuner == null) {
          tuner = fineTuner.get();
        }
        return tuner.run(task, inputs.cell().model(), config, listener);
      }
    };
  }
}
