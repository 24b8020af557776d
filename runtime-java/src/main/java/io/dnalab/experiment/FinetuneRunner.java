package io.dnalab.experiment;

import ai.djl.Device;
import io.dnalab.data.SequenceTask;
import io.dnalab.spec.ExperimentSpec;
import io.dnalab.spec.SpecException;
import io.dnalab.spec.TokenizerSpec;
import io.dnalab.tokenize.Tokenizers;
import io.dnalab.train.FineTuneConfig;
import io.dnalab.train.FineTuneResult;
import io.dnalab.train.FineTuner;
import io.dnalab.train.NucleotideEncoder;
import io.dnalab.train.SequenceEncoder;
import io.dnalab.train.TokenizerEncoder;
import io.dnalab.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Runs a fine-tuning stage: one cell, one seed, on a loaded task, from the stage's inputs (a
 * trained tokenizer's folder, a pretrained encoder's folder). {@link #local} runs any tokenizer
 * and model, from random initialisation or a pretrained encoder.
 */
public interface FinetuneRunner {

  /** Optimizer steps between two writes of a fine-tuning's training state. */
  int CHECKPOINT_EVERY = 200;
  /** The training state of an unfinished fine-tuning in its partial folder. */
  String STATE_FILE = "training.state";

  /**
   * @param tokenizer the trained tokenizer's artifact folder, null when the tokenizer needs no
   *     training (build it from {@code cell.tokenizer()})
   * @param encoder the pretrained encoder's artifact folder, null for random initialisation
   * @param checkpointing where the run keeps its training state so that a killed run resumes
   *     (the stage's partial folder and key), null to keep none
   */
  record Inputs(ExperimentSpec.Cell cell, Path tokenizer, Path encoder,
      FineTuner.Checkpointing checkpointing) {
    /** Inputs of a run that keeps no training state. */
    public Inputs(ExperimentSpec.Cell cell, Path tokenizer, Path encoder) {
      this(cell, tokenizer, encoder, null);
    }
  }

  /** Refuses {@code cell} (a SpecException naming the field) when this runner cannot run it. */
  void checkSupported(ExperimentSpec.Cell cell);

  FineTuneResult run(SequenceTask task, Inputs inputs, FineTuneConfig config,
      TrainingListener listener);

  /**
   * As {@link #run(SequenceTask, Inputs, FineTuneConfig, TrainingListener)}, and writes the
   * fine-tuned model into {@code modelFolder} ({@link SavedModel}).
   */
  default FineTuneResult run(SequenceTask task, Inputs inputs, FineTuneConfig config,
      TrainingListener listener, Path modelFolder) {
    throw new UnsupportedOperationException(getClass().getSimpleName()
        + " cannot keep fine-tuned models (finetune.saveModel)");
  }

  /**
   * Any tokenizer (single nucleotides through {@link NucleotideEncoder}, every other one through
   * {@link TokenizerEncoder}: a trained one from its artifact's {@code tokenizer.json}, k-mers and
   * {@code tokenizer.json} files from their spec), any model, from random initialisation or the
   * pretrained encoder in the stage's input ({@link PretrainRunner#ENCODER_FILE}). The device is
   * asked for on the first run, so a plan whose runs are all done never starts the engine.
   */
  static FinetuneRunner local(Supplier<Device> device) {
    return new FinetuneRunner() {
      private Device started;

      @Override
      public void checkSupported(ExperimentSpec.Cell cell) {
        if (cell.tokenizer() instanceof TokenizerSpec.FromFile file
            && !Files.isRegularFile(file.path())) {
          throw new SpecException("tokenizer.path", "no such tokenizer file: " + file.path());
        }
      }

      @Override
      public FineTuneResult run(SequenceTask task, Inputs inputs, FineTuneConfig config,
          TrainingListener listener) {
        return run(task, inputs, config, listener, null);
      }

      @Override
      public synchronized FineTuneResult run(SequenceTask task, Inputs inputs,
          FineTuneConfig config, TrainingListener listener, Path modelFolder) {
        if (started == null) {
          started = device.get();
        }
        TokenizerSpec spec = inputs.cell().tokenizer();
        // The same choice the pretraining windows' special tokens follow (SequenceEncoder.of).
        SequenceEncoder encoder = SequenceEncoder.of(spec,
            Tokenizers.forStage(spec, inputs.tokenizer()));
        float[][][] kept = new float[1][][];
        FineTuneResult result = new FineTuner(encoder, started).run(task, inputs.cell().model(),
            inputs.encoder() == null ? null : inputs.encoder().resolve(PretrainRunner.ENCODER_FILE),
            config, inputs.checkpointing(), listener, parameters -> kept[0] = parameters);
        if (modelFolder != null) {
          String key = inputs.checkpointing() == null ? "" : inputs.checkpointing().key();
          try {
            SavedModel.write(modelFolder, key, inputs.cell(), inputs.tokenizer(), task, encoder,
                config, kept[0]);
          } catch (IOException e) {
            throw new UncheckedIOException("cannot save the fine-tuned model in " + modelFolder
                + ": " + e.getMessage(), e);
          }
        }
        return result;
      }

    };
  }
}
