package io.dnalab.experiment;

import io.dnalab.data.LabeledSequence;
import io.dnalab.data.SequenceTask;
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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Runs a {@link Plan} on this machine, stage after stage in plan order, skipping every stage that
 * is done: a finished fine-tuning run is read back from the {@link ResultStore}, a finished
 * tokenizer or pretraining stage is read from the {@link ArtifactStore}. Each fine-tuning run,
 * once finished, is recorded in the result store in one transaction, with its provenance, before
 * the next stage starts, so a process killed at any point loses at most the run in progress.
 *
 * <p>Every cell still to run is checked against the runners before the first stage starts: a
 * spec the runners cannot run fails at once, not after hours. A task is loaded only when a stage
 * that reads it runs, once per execution.
 */
public final class Executor {
  private final Function<TaskSpec, SequenceTask> taskLoader;
  private final Function<TaskSpec, TaskFingerprint> fingerprints;
  private final FinetuneRunner finetuner;
  private final PretrainRunner pretrainer;
  private final ArtifactStore artifacts;
  private final ResultStore results;
  private final Function<String, List<Path>> corpusFiles;

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
    for (Stage stage : plan.stages()) {
      if (stage.done() || alreadyDone(stage)) {
        listener.onStageSkipped(stage);
        if (stage.kind() == Stage.Kind.FINETUNE) {
          runs.add(stored(stage, plan.spec().name()));
        }
        continue;
      }
      listener.onStageStart(stage);
      long start = System.nanoTime();
      RunResult result = switch (stage.kind()) {
        case TOKENIZER -> {
          trainTokenizer(stage, load);
          yield null;
        }
        case PRETRAIN -> {
          pretrain(stage, listener);
          yield null;
        }
        case FINETUNE -> finetune(stage, plan.spec(), load, listener);
      };
      if (result != null) {
        runs.add(result);
      }
      listener.onStageEnd(stage, (System.nanoTime() - start) / 1e9, result);
    }
    return List.copyOf(runs);
  }

  /** Another process may have finished the stage since it was planned. */
  private boolean alreadyDone(Stage stage) {
    return switch (stage.kind()) {
      case FINETUNE -> results.find(stage.key()).isPresent();
      case TOKENIZER, PRETRAIN -> artifacts.contains(stage.kind().artifactKind(), stage.key());
    };
  }

  private RunResult stored(Stage stage, String experiment) {
    RunResult r = results.find(stage.key()).orElseThrow(() -> new IllegalStateException(
        "run " + stage.label() + " (" + stage.shortKey() + ") was done but is no longer in "
            + results.file())).result();
    // The row may have been written by another experiment that asked for the same run.
    return new RunResult(experiment, r.task(), r.tokenizer(), r.model(), r.pretrain(), r.seed(),
        r.dev(), r.test(), r.parameters(), r.wallSeconds(), r.epochs(), r.steps(),
        r.bestEpoch(), r.device(), r.tokensSeen(), r.flops());
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

  private void pretrain(Stage stage, ExecutionListener listener) {
    Path tokenizer = tokenizerFolder(stage);
    String tokenizerKey = stage.inputs().isEmpty() ? null : stage.inputs().get(0);
    PretrainRunner.Inputs inputs = new PretrainRunner.Inputs(stage.key(), stage.cell(), tokenizer,
        tokenizerKey);
    artifacts.put(Stage.Kind.PRETRAIN.artifactKind(), stage.key(),
        folder -> pretrainer.run(inputs, folder, listener.training()));
  }

  private RunResult finetune(Stage stage, ExperimentSpec spec,
      Function<TaskSpec, SequenceTask> load, ExecutionListener listener) {
    Instant started = Instant.now();
    ExperimentSpec.Cell cell = stage.cell();
    SequenceTask task = load.apply(cell.task());
    Path encoder = cell.pretrain() instanceof PretrainSpec.None ? null
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
    FineTuneResult run = finetuner.run(task, new FinetuneRunner.Inputs(cell,
        tokenizerFolder(stage), encoder, checkpointing), config, listener.training());
    RunResult result = new RunResult(spec.name(), cell.task().id(), cell.tokenizer().id(),
        cell.model().id(), cell.pretrain().id(), stage.seed(), run.dev(), run.test(),
        run.parameters(), run.wallSeconds(), run.epochsRun(), run.steps(), run.bestEpoch(),
        run.device(), run.tokensSeen(), run.flops()).withRecipe(recipe.name());
    Provenance provenance = Provenance.of(run.device(),
        fingerprints.apply(cell.task()).labelledChecksums(), started, Instant.now());
    results.record(new StoredRun(stage.key(), stage.identity(), stage.codeVersions(),
        result, stage.specJson(), provenance));
    // The row is the run now: its resumable state has served its purpose.
    artifacts.removePartial(kind, stage.key());
    return result;
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
