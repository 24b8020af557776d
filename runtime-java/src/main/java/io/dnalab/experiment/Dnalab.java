package io.dnalab.experiment;

import io.dnalab.checkpoint.ModelLocator;
import io.dnalab.cluster.SlurmOptions;
import io.dnalab.data.DatasetCatalog;
import io.dnalab.data.DatasetStatistics;
import io.dnalab.data.LabeledSequence;
import io.dnalab.data.LoadOptions;
import io.dnalab.data.SequenceInput;
import io.dnalab.data.SequenceTask;
import io.dnalab.model.PretrainedCheckpoints;
import io.dnalab.result.Predictions;
import io.dnalab.result.RunResult;
import io.dnalab.result.SequencePredictions;
import io.dnalab.spec.ExperimentSpec;
import io.dnalab.spec.SpecJson;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.PretrainSpec;
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
import io.dnalab.data.CorpusLeakageReport;
import io.dnalab.train.PretrainResult;
import io.dnalab.train.ProgressBarListener;
import io.dnalab.train.TrainingListener;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
   * The corpus-vs-task leakage screen stored in the pretraining artifact {@code folder} (counts
   * per task split of the dev and test sequences its corpus holds), or null for a pretraining made
   * before the screen existed. The policy applied is the corpus's {@code leakage} field.
   */
  public static CorpusLeakageReport leakage(Path folder) {
    return LocalPretrainRunner.readLeakage(folder)
        .map(LocalPretrainRunner.Leakage::report).orElse(null);
  }

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

  /**
   * Submits {@code spec}'s missing stages to Slurm through {@code bin/dnalab submit}, the
   * command line a terminal user runs: its tasks then start the CLI's own JVM, whatever started
   * this one (a notebook kernel's class path is not the CLI's). The launcher is
   * {@code $DNALAB_ROOT/bin/dnalab}; the kernel that {@code bin/dnalab setup} installs sets it.
   *
   * @return what the command printed: the arrays, their job ids and the submission folder
   */
  public static String submitToSlurm(ExperimentSpec spec, SlurmOptions options) {
    String root = System.getenv("DNALAB_ROOT");
    if (root == null || !Files.isExecutable(Path.of(root, "bin", "dnalab"))) {
      throw new IllegalStateException("submitting needs dnalab's launcher: set DNALAB_ROOT to "
          + "the dnalab checkout (the kernel bin/dnalab setup installs sets it)"
          + (root == null ? "" : "; " + root + "/bin/dnalab is not executable"));
    }
    try {
      Path file = Files.createTempFile(spec.name().replaceAll("[^A-Za-z0-9._-]", "_") + "-",
          ".json");
      Files.writeString(file, SpecJson.write(spec), StandardCharsets.UTF_8);
      List<String> command = new ArrayList<>(List.of(Path.of(root, "bin", "dnalab").toString(),
          "submit", file.toString(), "--slurm"));
      if (options.partition() != null) {
        command.addAll(List.of("--partition", options.partition()));
      }
      command.addAll(List.of("--gpus-per-task", String.valueOf(options.gpusPerTask()),
          "--cpus-per-task", String.valueOf(options.cpusPerTask()), "--max-parallel",
          String.valueOf(options.maxParallel())));
      if (options.time() != null) {
        command.addAll(List.of("--time", options.time()));
      }
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int status = process.waitFor();
      Files.deleteIfExists(file);
      if (status != 0) {
        throw new IllegalStateException(output.strip());
      }
      return output.strip();
    } catch (IOException e) {
      throw new UncheckedIOException("could not run bin/dnalab submit", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while submitting", e);
    }
  }

  /**
   * The results of a spec whose stages ran elsewhere (Slurm, another machine on the same
   * stores): the same {@link Outcome} a local run returns, read back without training. Refuses
   * while any stage is not done, saying how many.
   */
  public static Outcome collect(ExperimentSpec spec) {
    try (ExperimentEngine engine = ExperimentEngine.fromEnvironment()) {
      Plan plan = engine.plan(spec);
      if (!plan.allDone()) {
        long missing = plan.stages().stream().filter(stage -> !stage.done()).count();
        throw new IllegalStateException(spec.name() + ": " + missing + " of "
            + plan.stages().size() + " stages are not done yet (" + plan.summary() + "); "
            + "`bin/dnalab status SPEC.json` shows which");
      }
      return run(engine, spec, p -> ExecutionListener.NONE);
    }
  }

  /**
   * {@link #run(ExperimentSpec, Function)} with independent stages in {@code jobs} worker
   * processes at once, the cores split between them ({@link WorkerPool}); their output lines go
   * to {@code workerLines}, prefixed by their stage. {@code jobs} 1 runs in this process.
   */
  public static Outcome run(ExperimentSpec spec, int jobs,
      Function<Plan, ExecutionListener> progress, PrintStream workerLines) {
    if (jobs < 1) {
      throw new IllegalArgumentException("jobs must be at least 1, got " + jobs);
    }
    if (jobs == 1) {
      return run(spec, progress);
    }
    try (ExperimentEngine engine = ExperimentEngine.fromEnvironment()) {
      Plan plan = engine.plan(spec);
      // A CUDA build on a machine with GPUs: each worker on one (DNALAB_DEVICE=cpu: none).
      List<String> gpus = WorkerPool.workerGpus(
          "cpu".equalsIgnoreCase(String.valueOf(System.getenv("DNALAB_DEVICE")).trim())).ids();
      List<RunResult> runs = WorkerPool.run(engine, plan, jobs, gpus,
          Map.of("DNALAB_CACHE", ResultStore.cacheDir().toAbsolutePath().toString()),
          progress.apply(plan), workerLines);
      return new Outcome(plan, runs, pretrainings(engine.artifacts(), plan));
    }
  }

  /** Workers {@code run(jobs = …)} uses by default: one per core, at most 8. */
  public static int defaultJobs() {
    return WorkerPool.defaultJobs();
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

  // Public checkpoints as arms ---------------------------------------------------------------

  /**
   * A public checkpoint as an arm of an experiment ({@code pretrain(false, checkpoint(…))}): a
   * folder, or a hub id in the Hugging Face cache (nothing is downloaded), resolved now to the
   * architecture its {@code config.json} states and its own tokenizer file ({@code
   * tokenizer.json}, or {@code vocab.txt}); the weights are read when a run starts. DNABERT-2
   * (MosaicBERT), DNABERT (k-mer) and Nucleotide Transformer v1 checkpoints.
   *
   * @throws io.dnalab.checkpoint.ModelNotFoundException naming every place looked and the
   *     download command, when it is not here
   */
  public static PretrainSpec.Checkpoint checkpoint(String folderOrHubId) {
    return PretrainedCheckpoints.arm(folderOrHubId, ModelLocator.fromEnvironment());
  }

  // Embeddings -------------------------------------------------------------------------------

  /**
   * Embeddings of {@code sequences} (input order) by {@code model}: a public checkpoint (folder,
   * or hub id in the Hugging Face cache; nothing is downloaded) or one of dnalab's pretraining
   * artifacts (folder, or key or unique key prefix in the artifact store), as
   * {@code dnalab embed} computes them.
   *
   * @param pooling {@code mean}, {@code cls} or {@code none}
   * @param layer 0 (embedding output) to the last layer; negative means the last
   */
  public static Embedder.Embeddings embed(String model, List<String> sequences, String pooling,
      int layer, int batchSize) {
    Embedder.Pooling chosen = Embedder.Pooling.parse(pooling);
    try (Embedder.Encoder encoder = EmbedderModels.open(model, ArtifactStore.fromEnvironment())) {
      return Embedder.embed(encoder, sequences, chosen, layer, batchSize,
          Embedder.Progress.NONE);
    }
  }

  /** Embeddings by the encoder of a finished pretraining stage of an experiment. */
  public static Embedder.Embeddings embed(Pretraining pretraining, List<String> sequences,
      String pooling, int layer, int batchSize) {
    Embedder.Pooling chosen = Embedder.Pooling.parse(pooling);
    try (Embedder.Encoder encoder = EmbedderModels.open(pretraining.folder(),
        pretraining.cell().model())) {
      return Embedder.embed(encoder, sequences, chosen, layer, batchSize,
          Embedder.Progress.NONE);
    }
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
   * The stored test predictions of each run in {@code stageKeys} (the default result store),
   * keyed by stage key; runs without stored predictions (recorded before they were kept) are
   * absent. What the gains table's paired bootstrap over test examples reads.
   */
  public static Map<String, Predictions> testPredictions(List<String> stageKeys) {
    Map<String, Predictions> byKey = new java.util.HashMap<>();
    try (ResultStore store = ResultStore.openDefault()) {
      for (String key : stageKeys) {
        store.predictions(key).stream().filter(split -> split.split().equals("test"))
            .findFirst().ifPresent(test -> byKey.put(key, test));
      }
    }
    return byKey;
  }

  /**
   * Scores the sequences of {@code input} (FASTA, or CSV/TSV with a {@code sequence} and an
   * optional {@code id} column) with the model that run {@code runKey} kept
   * ({@code finetune { saveModel() }}), {@code batchSize} at a time (0: the run's own batch).
   *
   * @param runKey the run's key, or its first characters when they name one run
   * @throws IllegalArgumentException one line for the user: an unknown key, a run without a saved
   *     model, a sequence longer than the model was built for
   */
  public static SequencePredictions predict(String runKey, Path input, int batchSize) {
    return predict(runKey, input, batchSize, ResultStore.defaultLocation());
  }

  /** As above, with the runs of the result store {@code resultStore}. */
  public static SequencePredictions predict(String runKey, Path input, int batchSize,
      Path resultStore) {
    List<SequenceInput.Named> sequences = SequenceInput.read(input);
    try {
      return predict(runKey, sequences.stream().map(SequenceInput.Named::name).toList(),
          sequences.stream().map(SequenceInput.Named::sequence).toList(), batchSize,
          resultStore);
    } catch (SavedModel.InputTooLong e) {
      throw new IllegalArgumentException(input + ": " + e.getMessage(), e);
    }
  }

  /** As above, for sequences in memory named by {@code ids}. */
  public static SequencePredictions predict(String runKey, List<String> ids,
      List<String> sequences, int batchSize, Path resultStore) {
    if (batchSize < 0) {
      throw new IllegalArgumentException("batch size must be at least 1 (0: the run's own), got "
          + batchSize);
    }
    if (ids.size() != sequences.size()) {
      throw new IllegalArgumentException(ids.size() + " ids for " + sequences.size()
          + " sequences");
    }
    SavedModel model = SavedModel.read(savedModelFolder(runKey, ArtifactStore.fromEnvironment(),
        resultStore));
    float[][] probabilities = model.predict(ids, sequences, batchSize,
        io.dnalab.engine.DnalabEngine.startDefault());
    return SequencePredictions.of(model.runKey(), model.classes(), ids, sequences,
        probabilities);
  }

  /**
   * The folder of the model run {@code runKey} (a key or a prefix naming one run) kept; errors
   * say whether no run has that key or the run kept no model.
   */
  static Path savedModelFolder(String runKey, ArtifactStore artifacts, Path resultStore) {
    String key = runKey.strip().toLowerCase(java.util.Locale.ROOT);
    if (!key.matches("[0-9a-f]+")) {
      throw new IllegalArgumentException("run key must be hex digits (as bin/dnalab results"
          + " --keys lists them), got \"" + runKey + "\"");
    }
    java.util.Set<String> matches = new java.util.TreeSet<>();
    artifacts.keys(SavedModel.KIND).stream().filter(k -> k.startsWith(key))
        .forEach(matches::add);
    if (Files.exists(resultStore)) {
      try (ResultStore store = ResultStore.open(resultStore)) {
        store.all().stream().map(StoredRun::key).filter(k -> k.startsWith(key))
            .forEach(matches::add);
      }
    }
    if (matches.isEmpty()) {
      throw new IllegalArgumentException("no run with key " + runKey + " in " + resultStore
          + " or " + artifacts.root() + " (bin/dnalab results lists the runs)");
    }
    if (matches.size() > 1) {
      throw new IllegalArgumentException("run key " + runKey + " names " + matches.size()
          + " runs; give more of it: " + String.join(", ", matches));
    }
    String full = matches.iterator().next();
    return artifacts.find(SavedModel.KIND, full).orElseThrow(() -> new IllegalArgumentException(
        "run " + full + " has no saved model: add saveModel() to the experiment's finetune { }"
            + " block (\"saveModel\": true in a JSON spec) and run it again; the run itself"
            + " stays cached"));
  }

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
      // Runs workers published as files and nobody imported yet are rows too.
      ResultFiles.of(ArtifactStore.fromEnvironment()).importInto(store);
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
   * The per-example predictions of {@code runs} of the store {@code file} as columns (name → one
   * value per row), as {@code dnalab results --predictions} writes them: run key and cell, seed,
   * degenerate flag, split, example, sequence id, label, predicted class, {@code p_0 … p_(K-1)}.
   *
   * @param split {@code dev}, {@code test}, or null for both
   */
  public static java.util.Map<String, List<Object>> predictionColumns(Path file,
      List<StoredRun> runs, String split) {
    try (ResultStore store = ResultStore.open(file)) {
      return store.predictionColumns(runs, split);
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
