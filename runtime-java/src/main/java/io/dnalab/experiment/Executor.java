package io.dnalab.experiment;

import io.dnalab.data.LabeledSequence;
import io.dnalab.data.SequenceTask;
import io.dnalab.result.Predictions;
import io.dnalab.result.Provenance;
import io.dnalab.result.RunResult;
import io.dnalab.spec.ExperimentSpec;
import io.dnalab.spec.PretrainSpec;
import io.dnalab.spec.Recipe;
import io.dnalab.spec.TaskSpec;
import io.dnalab.spec.TokenizerSpec;
import io.dnalab.store.ResultStore;
import io.dnalab.store.StoredRun;
import io.dnalab.tokenize.Tokenizer;
import io.dnalab.tokenize.Tokenizers;
import io.dnalab.tokenize.TrainingProgress;
import io.dnalab.train.FineTuneConfig;
import io.dnalab.train.FineTuneResult;
import io.dnalab.train.FineTuner;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Runs a {@link Plan} on this machine, stage after stage in plan order, skipping every stage that
 * is done: a finished fine-tuning run is read back from the {@link ResultStore}, a finished
 * tokenizer or pretraining stage is read from the {@link ArtifactStore}. Each fine-tuning run,
 * once finished, is recorded in the result store in one transaction, with its provenance, its
 * per-example dev and test predictions and its degenerate-run flag, before the next stage
 * starts, so a process killed at any point loses at most the run in progress. In a worker
 * process ({@code dnalab run --stage}, {@link #publishingResultFiles()}) the run and its
 * predictions are first published as a result file ({@link ResultFiles}, atomic) and the store is
 * a private one: the shared store is written only by the process that imports the files.
 *
 * <p>Before a stage runs it is claimed ({@link StageClaims}): a stage another live process is
 * running is waited for and then read back, never run twice at once.
 *
 * <p>Every cell still to run is checked against the runners before the first stage starts: a
 * spec the runners cannot run fails at once, not after hours. A task is loaded only when a stage
 * that reads it runs, once per execution.
 */
public final class Executor {
  /** How often a process waiting for another's claim looks again. */
  private static final java.time.Duration CLAIM_POLL = java.time.Duration.ofSeconds(2);

  private final Function<TaskSpec, SequenceTask> taskLoader;
  private final Function<TaskSpec, TaskFingerprint> fingerprints;
  private final FinetuneRunner finetuner;
  private final PretrainRunner pretrainer;
  private final ArtifactStore artifacts;
  private final ResultStore results;
  private final Function<String, List<Path>> corpusFiles;
  private final ResultFiles resultFiles;
  private final StageClaims claims;
  private boolean publishResultFiles;

  /** BPE corpora named by path only; see the full constructor. */
  public Executor(Function<TaskSpec, SequenceTask> taskLoader,
      Function<TaskSpec, TaskFingerprint> fingerprints, FinetuneRunner finetuner,
      PretrainRunner pretrainer, ArtifactStore artifacts, ResultStore results) {
    this(taskLoader, fingerprints, finetuner, pretrainer, artifacts, results,
        name -> List.of(Path.of(name)));
  }

  /**
   * @param fingerprints data checksums for each run's provenance
   * @param artifacts where tokenizer and pretraining outputs go
   * @param results where finished runs are recorded
   * @param corpusFiles resolves a BPE corpus name (a catalog genome or a FASTA path) to files
   */
  public Executor(Function<TaskSpec, SequenceTask> taskLoader,
      Function<TaskSpec, TaskFingerprint> fingerprints, FinetuneRunner finetuner,
      PretrainRunner pretrainer, ArtifactStore artifacts, ResultStore results,
      Function<String, List<Path>> corpusFiles) {
    this.corpusFiles = corpusFiles;
    this.taskLoader = taskLoader;
    this.fingerprints = fingerprints;
    this.finetuner = finetuner;
    this.pretrainer = pretrainer;
    this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
    this.results = Objects.requireNonNull(results, "results");
    this.resultFiles = ResultFiles.of(artifacts);
    this.claims = StageClaims.of(artifacts);
  }

  /**
   * Makes this executor a worker's: each finished run is also published as a result file, which
   * the process that owns the shared result store imports.
   */
  public Executor publishingResultFiles() {
    this.publishResultFiles = true;
    return this;
  }

  /** Runs what is not done; returns one result per fine-tuning stage, in plan order. */
  public List<RunResult> execute(Plan plan, ExecutionListener listener) {
    // Fine-tuning first: its message names what the user asked for (a tokenizer, a model).
    for (Stage stage : plan.stages(Stage.Kind.FINETUNE)) {
      if (!stage.done()) {
        finetuner.checkSupported(stage.cell());
      }
    }
    for (Stage stage : plan.stages()) {
      if (!stage.done() && stage.kind() == Stage.Kind.PRETRAIN) {
        pretrainer.checkSupported(stage.cell());
      }
    }
    artifacts.cleanAbandoned();
    listener.onPlan(plan);
    Map<TaskSpec, SequenceTask> tasks = new HashMap<>();
    Function<TaskSpec, SequenceTask> load = task -> tasks.computeIfAbsent(task, taskLoader);
    List<RunResult> runs = new ArrayList<>();
    boolean saveModel = plan.spec().finetune().saveModel();
    for (Stage stage : plan.stages()) {
      if (stage.done() || alreadyDone(stage, saveModel)) {
        listener.onStageSkipped(stage);
        if (stage.kind() == Stage.Kind.FINETUNE) {
          runs.add(stored(stage, plan.spec().name()));
        }
        continue;
      }
      // Empty when another process finished the stage while this one waited for its claim.
      Optional<StageClaims.Claim> claim = claims.claimOrWait(stage.key(),
          () -> alreadyDone(stage, saveModel), CLAIM_POLL);
      if (claim.isEmpty()) {
        listener.onStageSkipped(stage);
        if (stage.kind() == Stage.Kind.FINETUNE) {
          runs.add(stored(stage, plan.spec().name()));
        }
        continue;
      }
      try (StageClaims.Claim held = claim.get()) {
        listener.onStageStart(stage);
        long start = System.nanoTime();
        RunResult result = switch (stage.kind()) {
          case TOKENIZER -> {
            trainTokenizer(stage, load);
            yield null;
          }
          case PRETRAIN -> {
            pretrain(stage, plan.spec(), listener);
            yield null;
          }
          case FINETUNE -> finetune(stage, plan.spec(), load, listener);
        };
        if (result != null) {
          runs.add(result);
        }
        listener.onStageEnd(stage, (System.nanoTime() - start) / 1e9, result);
      }
    }
    return List.copyOf(runs);
  }

  /**
   * Another process may have finished the stage since it was planned: a run another worker
   * published is imported here.
   */
  private boolean alreadyDone(Stage stage, boolean saveModel) {
    return switch (stage.kind()) {
      // A run asked to keep its model is done only with its model (a cached row without one
      // runs again; its row stays as it is).
      case FINETUNE -> (results.find(stage.key()).isPresent()
          || resultFiles.importRun(stage.key(), results))
          && (!saveModel || artifacts.contains(SavedModel.KIND, stage.key()));
      case TOKENIZER, PRETRAIN -> artifacts.contains(stage.kind().artifactKind(), stage.key());
    };
  }

  private RunResult stored(Stage stage, String experiment) {
    RunResult r = results.find(stage.key()).orElseThrow(() -> new IllegalStateException(
        "run " + stage.label() + " (" + stage.shortKey() + ") was done but is no longer in "
            + results.file())).result();
    // The row may have been written by another experiment that asked for the same run.
    // A row written before pretraining seeds were recorded has none: the stage's key fixes it.
    return r.inExperiment(experiment).withPretrainSeed(pretrainSeed(stage.cell()));
  }

  /** The seed of the pretraining run a cell's stage starts from, null for random init. */
  private static Long pretrainSeed(ExperimentSpec.Cell cell) {
    return cell.pretrain() instanceof PretrainSpec.Pretrain pretrained ? pretrained.seed() : null;
  }

  private void trainTokenizer(Stage stage, Function<TaskSpec, SequenceTask> load) {
    TokenizerSpec spec = stage.cell().tokenizer();
    artifacts.put(Stage.Kind.TOKENIZER.artifactKind(), stage.key(), folder -> {
      // A BPE corpus is a list of FASTA files (TokenizerSpec.Bpe); none means the task's train split.
      Tokenizer tokenizer = Tokenizers.create(spec, corpusFiles,
          () -> load.apply(stage.cell().task()).train().stream().map(LabeledSequence::sequence)
              .toList(), TrainingProgress.NONE);
      tokenizer.save(folder.resolve(Tokenizers.TRAINED_FILE));
    });
  }

  private void pretrain(Stage stage, ExperimentSpec spec, ExecutionListener listener) {
    Path tokenizer = tokenizerFolder(stage);
    String tokenizerKey = stage.inputs().isEmpty() ? null : stage.inputs().get(0);
    PretrainRunner.Inputs inputs = new PretrainRunner.Inputs(stage.key(), stage.cell(), tokenizer,
        tokenizerKey, LocalPretrainRunner.screenedTasks(spec, stage.cell().pretrain()));
    artifacts.put(Stage.Kind.PRETRAIN.artifactKind(), stage.key(),
        folder -> pretrainer.run(inputs, folder, listener.training()));
  }

  private RunResult finetune(Stage stage, ExperimentSpec spec,
      Function<TaskSpec, SequenceTask> load, ExecutionListener listener) {
    Instant started = Instant.now();
    ExperimentSpec.Cell cell = stage.cell();
    SequenceTask task = load.apply(cell.task());
    // A checkpoint arm has no pretraining stage: the runner reads the checkpoint itself.
    Path encoder = cell.pretrain() instanceof PretrainSpec.None
        || cell.pretrain() instanceof PretrainSpec.Checkpoint ? null
        : artifacts.find(Stage.Kind.PRETRAIN.artifactKind(), stage.inputs()
            .get(stage.inputs().size() - 1)).orElseThrow(() -> new IllegalStateException(
                "the pretrained encoder of " + stage.label() + " is missing"));
    Recipe recipe = Planner.recipeFor(spec.finetune(), cell);
    FineTuneConfig config = FineTuneConfig.of(recipe, spec.finetune(), stage.seed());
    // The training state lives under the stage key until the run's row is recorded.
    String kind = Stage.Kind.FINETUNE.artifactKind();
    FineTuner.Checkpointing checkpointing = new FineTuner.Checkpointing(
        artifacts.partialFolder(kind, stage.key()).resolve(FinetuneRunner.STATE_FILE),
        stage.key(), FinetuneRunner.CHECKPOINT_EVERY);
    FinetuneRunner.Inputs inputs = new FinetuneRunner.Inputs(cell, tokenizerFolder(stage),
        encoder, checkpointing, stage.checkpointHash());
    FineTuneResult run;
    if (spec.finetune().saveModel()) {
      // The model is published before the row, so a stored run asked to keep one has it.
      FineTuneResult[] saved = new FineTuneResult[1];
      artifacts.put(SavedModel.KIND, stage.key(), folder -> saved[0] = finetuner.run(task,
          inputs, config, listener.training(), folder));
      // null: the model was there already (its row was not); the run is made again without it
      run = saved[0] != null ? saved[0]
          : finetuner.run(task, inputs, config, listener.training());
    } else {
      run = finetuner.run(task, inputs, config, listener.training());
    }
    RunResult result = new RunResult(spec.name(), cell.task().id(), cell.tokenizer().id(),
        cell.model().id(), cell.pretrain().id(), stage.seed(), run.dev(), run.test(),
        run.parameters(), run.wallSeconds(), run.epochsRun(), run.steps(), run.bestEpoch(),
        run.device(), run.tokensSeen(), run.flops(), pretrainSeed(cell), run.degenerate())
        .withRecipe(recipe.name());
    Provenance provenance = Provenance.of(run.device(),
        FinetuneRunner.withCheckpoint(fingerprints.apply(cell.task()).labelledChecksums(), cell,
            stage.checkpointHash()),
        started, Instant.now())
        .withTaskLengths(taskLengths(task, config));
    // The row and its per-example predictions in one transaction.
    List<Predictions> predictions = new ArrayList<>(2);
    if (run.devPredictions() != null) {
      predictions.add(run.devPredictions());
    }
    if (run.testPredictions() != null) {
      predictions.add(run.testPredictions());
    }
    StoredRun row = new StoredRun(stage.key(), stage.identity(), stage.codeVersions(), result,
        stage.specJson(), provenance);
    if (publishResultFiles) {
      // What a worker hands over to the process that owns the shared store.
      resultFiles.publish(row, predictions);
    }
    results.record(row, predictions);
    // The row is the run now: its resumable state has served its purpose.
    artifacts.removePartial(kind, stage.key());
    return result;
  }

  /** The lengths of the sequences a run used: train's subset it trained on, dev and test. */
  static Map<String, Provenance.SplitLengths> taskLengths(SequenceTask task,
      FineTuneConfig config) {
    Map<String, Provenance.SplitLengths> lengths = new LinkedHashMap<>();
    lengths.put("train", Provenance.SplitLengths.of(FineTuner.trainSubset(task.train(), config)
        .stream().map(LabeledSequence::sequence).toList()));
    lengths.put("dev", Provenance.SplitLengths.of(task.dev().stream()
        .map(LabeledSequence::sequence).toList()));
    lengths.put("test", Provenance.SplitLengths.of(task.test().stream()
        .map(LabeledSequence::sequence).toList()));
    return lengths;
  }

    /** The trained tokenizer a stage reads, null when its tokenizer needs no training. */
  private Path tokenizerFolder(Stage stage) {
    if (!(stage.cell().tokenizer() instanceof TokenizerSpec.Bpe)) {
      return null;
    }
    return artifacts.find(Stage.Kind.TOKENIZER.artifactKind(), stage.inputs().get(0))
        .orElseThrow(() -> new IllegalStateException("the trained tokenizer of "
            + stage.label() + " is missing"));
  }
}
