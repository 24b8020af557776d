package io.dnalab.experiment;

import ai.djl.Device;
import io.dnalab.checkpoint.ModelLocator;
import io.dnalab.data.SequenceTask;
import io.dnalab.model.PretrainedCheckpoints;
import io.dnalab.model.PretrainedModel;
import io.dnalab.spec.ExperimentSpec;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.PretrainSpec;
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
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Runs a fine-tuning stage: one cell, one seed, on a loaded task, from the stage's inputs (a
 * trained tokenizer's folder, a pretrained encoder's folder). {@link #local} runs any tokenizer
 * and model, from random initialisation, a pretrained encoder or a public checkpoint's weights.
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
   * @param checkpointHash for a run from a public checkpoint's weights, the content hash its
   *     stage key holds ({@link Stage#checkpointHash}): a checkpoint whose weights now hash
   *     otherwise is refused; null where the cell starts from no checkpoint (or nothing planned
   *     it)
   */
  record Inputs(ExperimentSpec.Cell cell, Path tokenizer, Path encoder,
      FineTuner.Checkpointing checkpointing, String checkpointHash) {
    /** Inputs of a run planned without a checkpoint hash. */
    public Inputs(ExperimentSpec.Cell cell, Path tokenizer, Path encoder,
        FineTuner.Checkpointing checkpointing) {
      this(cell, tokenizer, encoder, checkpointing, null);
    }

    /** Inputs of a run that keeps no training state. */
    public Inputs(ExperimentSpec.Cell cell, Path tokenizer, Path encoder) {
      this(cell, tokenizer, encoder, null, null);
    }
  }

  /** Refuses {@code cell} (a SpecException naming the field) when this runner cannot run it. */
  void checkSupported(ExperimentSpec.Cell cell);

  FineTuneResult run(SequenceTask task, Inputs inputs, FineTuneConfig config,
      TrainingListener listener);

  /**
   * Writes the encoder of {@code checkpoint}, with its weights, to {@code file} in dnalab's
   * encoder format: what a fine-tuning from it starts from (the file a pretraining stage leaves,
   * {@link PretrainRunner#ENCODER_FILE}).
   *
   * @param planned the architecture the run was planned with; a checkpoint whose {@code
   *     config.json} now states another is refused
   * @param plannedHash the content hash the run's key holds, null to check none; a checkpoint
   *     whose weights changed since (another hash) is refused: its run would train on other
   *     weights under the old key
   */
  static void writeCheckpointEncoder(PretrainSpec.Checkpoint checkpoint, ModelSpec planned,
      String plannedHash, Path file) throws IOException {
    try (PretrainedModel model = PretrainedCheckpoints.load(checkpoint.source())) {
      if (plannedHash != null && !model.contentHash().equals(plannedHash)) {
        throw new SpecException("pretrain.checkpoint", "checkpoint " + checkpoint.source()
            + " changed since the experiment was planned: its weights now hash "
            + hashPrefix(model.contentHash()) + ", the plan's key holds "
            + hashPrefix(plannedHash) + "; plan it again");
      }
      if (!model.spec().equals(planned)) {
        throw new SpecException("pretrain.model", "checkpoint " + checkpoint.source()
            + " now states " + model.spec() + " but the experiment was planned with " + planned
            + "; plan it again");
      }
      model.encoder().save(file);
    }
  }

  /** {@code sha256:} and the first 12 hex digits: enough to tell two hashes apart in a message. */
  private static String hashPrefix(String hash) {
    return hash.substring(0, Math.min(hash.length(), "sha256:".length() + 12)) + "…";
  }

  /**
   * The data checksums of a run's provenance, with the checkpoint it started from when it did:
   * {@code checkpoint/SOURCE} (with {@code @COMMIT} for a hub snapshot) to the content hash of
   * its weights ({@link PretrainedModel#contentHash}).
   *
   * @param hash the content hash the run started from (its key's, which the run checked against
   *     the weights it loaded); null to hash the checkpoint's files now
   */
  static Map<String, String> withCheckpoint(Map<String, String> checksums,
      ExperimentSpec.Cell cell, String hash) {
    if (!(cell.pretrain() instanceof PretrainSpec.Checkpoint checkpoint)
        || !checkpoint.pretrained()) {
      return checksums;
    }
    ModelLocator.Location where = ModelLocator.fromEnvironment().locate(checkpoint.source());
    Map<String, String> with = new TreeMap<>(checksums);
    with.put("checkpoint/" + (where.isLocalFolder() ? where.folder().toString()
        : where.hubId() + "@" + where.commit()),
        hash != null ? hash : PretrainedCheckpoints.contentHash(where.folder()));
    return with;
  }

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
        if (cell.tokenizer() instanceof TokenizerSpec.VocabFile vocab
            && !Files.isRegularFile(vocab.path())) {
          throw new SpecException("tokenizer.path", "no such vocab.txt: " + vocab.path());
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
        Path weights = null;
        try {
          Path start = inputs.encoder() == null ? null
              : inputs.encoder().resolve(PretrainRunner.ENCODER_FILE);
          if (inputs.cell().pretrain() instanceof PretrainSpec.Checkpoint checkpoint
              && checkpoint.pretrained()) {
            // Starts from the checkpoint's weights: its encoder, loaded by its family's layout,
            // is written in dnalab's encoder format to a temporary file that the fine-tuner then
            // reads as it reads a pretraining stage's encoder (same architecture, same ids).
            weights = Files.createTempFile("dnalab-checkpoint-", ".encoder");
            try {
              writeCheckpointEncoder(checkpoint, inputs.cell().model(),
                  inputs.checkpointHash(), weights);
            } catch (IOException e) {
              throw new UncheckedIOException("cannot stage the weights of checkpoint "
                  + checkpoint.source() + ": " + e.getMessage(), e);
            }
            start = weights;
          }
          float[][][] kept = new float[1][][];
          FineTuneResult result = new FineTuner(encoder, started).run(task,
              inputs.cell().model(), start, config, inputs.checkpointing(), listener,
              parameters -> kept[0] = parameters);
          if (modelFolder != null) {
            String key = inputs.checkpointing() == null ? "" : inputs.checkpointing().key();
            try {
              SavedModel.write(modelFolder, key, inputs.cell(), inputs.tokenizer(), task,
                  encoder, config, kept[0]);
            } catch (IOException e) {
              throw new UncheckedIOException("cannot save the fine-tuned model in "
                  + modelFolder + ": " + e.getMessage(), e);
            }
          }
          return result;
        } catch (IOException e) {
          throw new UncheckedIOException("cannot create a temporary file for the checkpoint's "
              + "weights: " + e.getMessage(), e);
        } finally {
          if (weights != null) {
            try {
              Files.deleteIfExists(weights);
            } catch (IOException e) {
              // a temporary file left behind is harmless
            }
          }
        }
      }
    };
  }
}
