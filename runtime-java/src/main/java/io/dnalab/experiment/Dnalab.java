package io.dnalab.experiment;

import io.dnalab.data.DatasetCatalog;
import io.dnalab.data.DatasetStatistics;
import io.dnalab.data.LabeledSequence;
import io.dnalab.data.LoadOptions;
import io.dnalab.data.SequenceTask;
import io.dnalab.result.RunResult;
import io.dnalab.spec.ExperimentSpec;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.Recipe;
import io.dnalab.spec.TaskSpec;
import io.dnalab.spec.TokenizerSpec;
import io.dnalab.result.RunColumns;
import io.dnalab.store.ResultStore;
import io.dnalab.store.StoredRun;
import io.dnalab.tokenize.Tokenizer;
import io.dnalab.tokenize.TokenizerStatistics;
import io.dnalab.tokenize.Tokenizers;
import io.dnalab.tokenize.TrainingProgress;
import io.dnalab.train.PretrainResult;
import io.dnalab.train.ProgressBarListener;
import io.dnalab.train.TrainingListener;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * The one door into the runtime for the Kotlin DSL (and any other client that is not the CLI):
 * planning and running experiments, reading back what their pretraining stages stored, loading
 * tasks and genomes through the dataset catalog, building tokenizers and measuring them, reading
 * the result store. Every method resolves its stores and catalog from the environment
 * ({@code -Ddnalab.cache}/{@code DNALAB_CACHE}, {@code DNALAB_DATA}, {@code DNALAB_RESULTS}), as
 * {@link ExperimentEngine#fromEnvironment()} does.
 *
 * <p>What a client shows (specs, {@link RunResult}, metrics, {@link PretrainResult},
 * {@link DatasetStatistics}, {@link TokenizerStatistics}, {@link Plan}) are values it may name; how
 * they are produced (trainers, stores, the catalog, model blocks) stays behind this class, so the
 * runtime can reorganise its packages without touching the DSL.
 */
public final class Dnalab {
  private Dnalab() {}

  // Experiments ------------------------------------------------------------------------------

  /** A pretraining stage of a plan that is finished: its cell, its artifact folder, its result. */
  public record Pretraining(ExperimentSpec.Cell cell, Path folder, PretrainResult result) {}

  /**
   * What running a spec produced: the plan it followed, every fine-tuning run in plan order and
   * the finished pretraining stages the runs started from.
   */
  public record Outcome(Plan plan, List<RunResult> runs, List<Pretraining> pretrainings) {
    public Outcome {
      runs = List.copyOf(runs);
      pretrainings = List.copyOf(pretrainings);
    }
  }

  /**
   * The recipe {@code cell} of {@code spec} fine-tunes with: the spec's or the model family's
   * default, resolved for the cell's task, with the spec's overrides (every number it trains
   * with).
   */
  public static Recipe recipe(ExperimentSpec spec, ExperimentSpec.Cell cell) {
    return Planner.recipeFor(spec.finetune(), cell);
  }

  /**
   * What running {@code spec} against the default stores would do: stages per kind, which are
   * done, the time left.
   */
  public static Plan plan(ExperimentSpec spec) {
    try (ExperimentEngine engine = ExperimentEngine.fromEnvironment()) {
      return engine.plan(spec);
    }
  }

  /**
   * Plans {@code spec} against the default stores, runs what is not done and reads back the
   * rest. {@code progress} receives the plan before anything runs and returns the listener that
   * reports the execution (for instance {@link #terminalProgress}).
   */
  public static Outcome run(ExperimentSpec spec, Function<Plan, ExecutionListener> progress) {
    try (ExperimentEngine engine = ExperimentEngine.fromEnvironment()) {
      return run(engine, spec, progress);
    }
  }

  /** {@link #run(ExperimentSpec, Function)} on the stores of {@code engine}. */
  public static Outcome run(ExperimentEngine engine, ExperimentSpec spec,
      Function<Plan, ExecutionListener> progress) {
    Plan plan = engine.plan(spec);
    List<RunResult> runs = engine.execute(plan, progress.apply(plan));
    return new Outcome(plan, runs, pretrainings(engine.artifacts(), plan));
  }

  /** The finished pretraining stages of {@code plan}, read from their artifacts. */
  private static List<Pretraining> pretrainings(ArtifactStore artifacts, Plan plan) {
    return plan.stages(Stage.Kind.PRETRAIN).stream()
        .flatMap(stage -> artifacts.find(stage.kind().artifactKind(), stage.key()).stream()
            .flatMap(folder -> LocalPretrainRunner.readResult(folder).stream()
                .map(result -> new Pretraining(stage.cell(), folder, result))))
        .toList();
  }

  /**
   * Progress for a terminal: one line per stage as it starts, then a progress bar per training
   * run, on {@code out}.
   */
  public static ExecutionListener terminalProgress(PrintStream out) {
    TrainingListener bar = new ProgressBarListener(out);
    return new ExecutionListener() {
      @Override
      public void onStageStart(Stage stage) {
        out.println(stage.kind().title() + ": " + stage.label());
      }

      @Override
      public TrainingListener training() {
        return bar;
      }
    };
  }

  /**
   * The token-embedding table of the encoder pretrained in {@code pretraining} (a BERT: the
   * convolutional encoders read one-hot bases and have none), special tokens left out.
   */
  public static LocalPretrainRunner.TokenEmbeddings tokenEmbeddings(Pretraining pretraining) {
    return tokenEmbeddings(pretraining.folder(), pretraining.cell().model());
  }

  /** The token embeddings of the {@code model} encoder stored in the artifact {@code folder}. */
  public static LocalPretrainRunner.TokenEmbeddings tokenEmbeddings(Path folder, ModelSpec model) {
    return LocalPretrainRunner.tokenEmbeddings(folder, model);
  }

  // Data -------------------------------------------------------------------------------------

  /**
   * Loads {@code task} through the dataset catalog (built-in tasks, {@code DNALAB_DATA}, the
   * cache, a verified download).
   */
  public static SequenceTask loadTask(TaskSpec task, LoadOptions options) {
    return DatasetCatalog.fromEnvironment().load(task, options);
  }

  /** Sizes, class balance, lengths, composition, duplicates and leakage of {@code task}. */
  public static DatasetStatistics datasetStatistics(TaskSpec task, LoadOptions options) {
    return DatasetStatistics.of(loadTask(task, options));
  }

  /** The sequences of one split ({@code train}, {@code dev} or {@code test}) of {@code task}. */
  public static List<String> sequences(TaskSpec task, String split, LoadOptions options) {
    List<LabeledSequence> records = switch (split) {
      case "train" -> loadTask(task, options).train();
      case "dev" -> loadTask(task, options).dev();
      case "test" -> loadTask(task, options).test();
      default -> throw new IllegalArgumentException(
          "split must be train, dev or test, got \"" + split + "\"");
    };
    return records.stream().map(LabeledSequence::sequence).toList();
  }

  /** The local, checksum-verified FASTA file of a catalog genome, e.g. {@code human_chr20}. */
  public static Path genomeFile(String id) {
    return DatasetCatalog.fromEnvironment().genome(id).path();
  }

  // Tokenizers -------------------------------------------------------------------------------

  /**
   * Builds the tokenizer {@code spec} describes: k-mer and nucleotide tokenizers directly, a BPE
   * vocabulary trained on its corpus (catalog genomes or FASTA paths) or, when it names none, on
   * {@code sequences}.
   */
  public static Tokenizer buildTokenizer(TokenizerSpec spec, List<String> sequences) {
    return Tokenizers.create(spec, name -> DatasetCatalog.fromEnvironment().corpusFiles(name),
        () -> sequences, TrainingProgress.NONE);
  }

  /** How {@code tokenizer} cuts {@code sequences}: bases per token, lengths, frequencies. */
  public static TokenizerStatistics tokenizerStatistics(Tokenizer tokenizer,
      Iterable<? extends CharSequence> sequences) {
    return TokenizerStatistics.of(tokenizer, sequences);
  }

  /** How {@code tokenizer} cuts the sequences of FASTA(.gz) {@code files}. */
  public static TokenizerStatistics tokenizerStatisticsOnFasta(Tokenizer tokenizer,
      List<Path> files) {
    return TokenizerStatistics.ofFasta(tokenizer, files);
  }

  // Result store -----------------------------------------------------------------------------

  /**
   * The store {@code experiment { }} writes: {@code $DNALAB_RESULTS}, else
   * {@code results.sqlite} in the cache folder.
   */
  public static Path defaultResultStore() {
    return ResultStore.defaultLocation();
  }

  /** Every run recorded in the result store {@code file}, read now. */
  public static List<StoredRun> storedRuns(Path file) {
    try (ResultStore store = ResultStore.open(file)) {
      return store.all();
    }
  }

  /** Writes {@code runs} of the store {@code file} as CSV to {@code csv}. */
  public static void exportCsv(Path file, List<StoredRun> runs, Path csv) {
    try (ResultStore store = ResultStore.open(file)) {
      store.exportCsv(runs, csv);
    }
  }

  /**
   * The columns of a stored run as {@code dnalab results --csv} writes them (the run schema's
   * columns plus key, identity, code versions, provenance), for tables of a store.
   */
  public static List<RunColumns.Column<StoredRun>> storedRunColumns() {
    return ResultStore.csvColumns();
  }

  /**
   * Why {@code run} was made by other code than this (e.g. {@code trainer 1 → 2}); empty when it
   * is current. A stale run stays readable but is never reused.
   */
  public static List<String> staleness(StoredRun run) {
    return CodeVersions.changes(run.codeVersions());
  }
}
