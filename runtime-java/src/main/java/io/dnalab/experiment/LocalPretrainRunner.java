package io.dnalab.experiment;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dnalab.data.Corpus;
import io.dnalab.data.CorpusFiles;
import io.dnalab.data.CorpusLeakageReport;
import io.dnalab.data.CorpusLeakageScreen;
import io.dnalab.data.DataFormatException;
import io.dnalab.data.DatasetCatalog;
import io.dnalab.data.LoadOptions;
import io.dnalab.data.Sha256Cache;
import io.dnalab.model.InputVocabulary;
import io.dnalab.model.Models;
import io.dnalab.model.TokenEncoder;
import io.dnalab.spec.CorpusSpec;
import io.dnalab.spec.ExperimentSpec;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.PretrainSpec;
import io.dnalab.spec.SpecException;
import io.dnalab.spec.SpecJson;
import io.dnalab.spec.TaskSpec;
import io.dnalab.tokenize.HfTokenizerJson;
import io.dnalab.tokenize.Tokenizer;
import io.dnalab.tokenize.Tokenizers;
import io.dnalab.train.PretrainResult;
import io.dnalab.train.Pretrainer;
import io.dnalab.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The experiment engine's pretraining stage on this machine: {@link Pretrainer} on the stage's
 * tokenizer, model and corpus (genomes resolved and verified through the {@link DatasetCatalog}).
 *
 * <p>One store: the engine's {@link ArtifactStore}, under the planner's stage key. While the stage
 * runs, its training state (model, optimizer, step: {@link #STATE_FILE}) lives in the store's
 * {@link ArtifactStore#partialFolder partial folder} for that key, rewritten every
 * {@link #CHECKPOINT_EVERY} steps, so a pretraining killed midway resumes from it when the stage
 * runs again. The finished encoder is written once, straight into the artifact folder
 * ({@link PretrainRunner#ENCODER_FILE}), with {@link #RESULT_FILE} (the learning curve, held-out
 * metrics, the unigram baseline and the cost); the store publishes the folder atomically when
 * this returns and then drops the training state.
 */
public final class LocalPretrainRunner implements PretrainRunner {
  /** The pretraining result (curve, metrics, baseline, cost) in a pretraining artifact. */
  public static final String RESULT_FILE = "pretrain.json";
  /**
   * How the corpus's genomes were read ({@link Corpus#readReport()}: base policy, soft-masked and
   * ambiguity codes replaced by N, per genome) in a pretraining artifact.
   */
  public static final String CORPUS_READ_FILE = "corpus-read.json";
  /**
   * The corpus-vs-task leakage screen ({@link CorpusLeakageScreen}) run before the pretraining, in
   * a pretraining artifact: {@link Leakage}, so the plan and the tables read it without screening
   * again.
   */
  public static final String LEAKAGE_FILE = "leakage.json";

  /**
   * The encoder's model spec ({@link SpecJson#writeModel}) in a pretraining artifact, so that the
   * artifact alone rebuilds the encoder ({@code dnalab embed --model KEY}).
   */
  public static final String MODEL_FILE = "model.json";
  /** Steps between partial checkpoints: a killed run loses at most this much work. */
  public static final int CHECKPOINT_EVERY = 200;
  /** The training state of an unfinished pretraining in its partial folder. */
  public static final String STATE_FILE = "training.state";

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .findAndRegisterModules();

  private final DatasetCatalog catalog;
  private final Supplier<Device> device;
  private final ArtifactStore artifacts;
  private Device started;

  /** @param artifacts the store the stage's artifact is published in (its partial state too) */
  public LocalPretrainRunner(DatasetCatalog catalog, Supplier<Device> device,
      ArtifactStore artifacts) {
    this.catalog = catalog;
    this.device = device;
    this.artifacts = artifacts;
  }

  @Override
  public void checkSupported(ExperimentSpec.Cell cell) {
    if (!(cell.pretrain() instanceof PretrainSpec.Pretrain pretrain)) {
      throw new SpecException("pretrain", "cell " + cell.label() + " has no pretraining to run");
    }
    // Fail before any stage runs when a genome is missing, not hours into the grid.
    for (CorpusSpec.GenomeSource genome : pretrain.corpus().genomes()) {
      catalog.genomeFiles(genome);
    }
  }

  /** The analytic estimate of {@link StageEstimates#pretrainSeconds}. */
  @Override
  public double estimateSeconds(Inputs inputs) {
    return inputs.pretrain() instanceof PretrainSpec.Pretrain spec
        ? StageEstimates.pretrainSeconds(spec, inputs.cell().tokenizer(), inputs.model())
        : Double.NaN;
  }

  @Override
  public synchronized void run(Inputs inputs, Path outDir, TrainingListener listener)
      throws IOException {
    checkSupported(inputs.cell());
    if (started == null) {
      started = device.get();
    }
    PretrainSpec.Pretrain spec = (PretrainSpec.Pretrain) inputs.pretrain();
    Tokenizer tokenizer = Tokenizers.forStage(inputs.cell().tokenizer(), inputs.tokenizer());
    Map<String, String> genomeSha256 = new TreeMap<>();
    for (CorpusSpec.GenomeSource genome : spec.corpus().genomes()) {
      // a user's file or folder: its content hash, from the cache the planner filled
      genomeSha256.put(genome.id(), genome.path() != null
          ? CorpusFiles.sha256(genome.path(), new Sha256Cache(artifacts.root().resolve(
              "checksums.json")))
          : catalog.genome(genome.id()).entry().sha256());
    }
    Corpus corpus = Corpus.load(spec.corpus(), catalog);
    // Before pretraining: how much of the tasks' dev and test sequences the corpus holds.
    CorpusLeakageScreen.Result screen = screen(catalog, spec.corpus(), inputs.screenedTasks());
    if (spec.corpus().leakage() == CorpusSpec.Leakage.EXCLUDE) {
      corpus = corpus.excluding(screen.matchedRegions());
    }
    JSON.writeValue(outDir.resolve(LEAKAGE_FILE).toFile(),
        new Leakage(spec.corpus().leakage(), screen.report()));
    Path state = artifacts.partialFolder(Stage.Kind.PRETRAIN.artifactKind(), inputs.key())
        .resolve(STATE_FILE);
    PretrainResult result = new Pretrainer(started, null, CHECKPOINT_EVERY).train(spec,
        new Pretrainer.Inputs(tokenizer, inputs.cell().tokenizer(), inputs.model(), corpus,
            genomeSha256), state, outDir.resolve(ENCODER_FILE), listener);
    // The artifact is self-contained: the ids the encoder was trained on travel with it.
    tokenizer.save(outDir.resolve(Tokenizers.TRAINED_FILE));
    JSON.writeValue(outDir.resolve(RESULT_FILE).toFile(), result);
    JSON.writeValue(outDir.resolve(CORPUS_READ_FILE).toFile(), corpus.readReport());
    Files.writeString(outDir.resolve(MODEL_FILE), SpecJson.writeModel(inputs.model()));
  }

  /**
   * The tasks a pretraining's corpus is screened for: every task of {@code experiment} that
   * fine-tunes from {@code pretrain}, in the experiment's order. The planner keys an excluding
   * pretraining on them, the executor hands them to the runner.
   */
  public static List<TaskSpec> screenedTasks(ExperimentSpec experiment, PretrainSpec pretrain) {
    return experiment.cells().stream().filter(cell -> sameArm(cell.pretrain(), pretrain))
        .map(ExperimentSpec.Cell::task).distinct().toList();
  }

  /**
   * Whether {@code stage} (a cell's pretraining, or the one-seed run of one of its pretraining
   * seeds that a stage carries) belongs to the cell's {@code arm}.
   */
  private static boolean sameArm(PretrainSpec arm, PretrainSpec stage) {
    if (arm.equals(stage)) {
      return true;
    }
    return arm instanceof PretrainSpec.Pretrain several && stage instanceof PretrainSpec.Pretrain one
        && several.pretrainingSeeds().contains(one.seed()) && several.run(one.seed()).equals(one);
  }

  /**
   * What the leakage screen found, as stored with a pretraining.
   *
   * @param policy what the pretraining did with the matched regions
   */
  public record Leakage(CorpusSpec.Leakage policy, CorpusLeakageReport report) {
    /** One line: the counts and what was done with them. */
    public String summary() {
      return report.summary() + (policy == CorpusSpec.Leakage.EXCLUDE
          ? "; excluded from pretraining" : "; reported, pretrained on all of the corpus");
    }
  }

  /** Screens {@code corpus}'s genomes (catalog files) for the dev and test sequences of tasks. */
  static CorpusLeakageScreen.Result screen(DatasetCatalog catalog, CorpusSpec corpus,
      List<TaskSpec> tasks) {
    List<CorpusLeakageScreen.Group> groups = new ArrayList<>();
    for (TaskSpec task : tasks) {
      groups.addAll(CorpusLeakageScreen.evaluationGroups(task.id(),
          catalog.load(task, LoadOptions.defaults())));
    }
    Map<String, List<Path>> files = new LinkedHashMap<>();
    for (CorpusSpec.GenomeSource genome : corpus.genomes()) {
      files.put(genome.id(), catalog.genomeFiles(genome));
    }
    return new CorpusLeakageScreen(groups).screenFiles(files);
  }

  /**
   * The plan's line for each pretraining stage of {@code plan}, by stage key: the screen stored
   * with the pretraining when the stage is done, else a screen run now (the corpus and the tasks
   * are read: seconds for human chr20; once per corpus and task set). What stops it (a genome or
   * task not on this machine) is said instead.
   */
  public static Map<String, String> leakageLines(ArtifactStore artifacts, Plan plan) {
    Map<String, String> lines = new LinkedHashMap<>();
    Map<List<Object>, String> screenedNow = new java.util.HashMap<>();
    for (Stage stage : plan.stages(Stage.Kind.PRETRAIN)) {
      if (!(stage.cell().pretrain() instanceof PretrainSpec.Pretrain pretrain)) {
        continue;
      }
      Optional<Leakage> stored = artifacts.find(Stage.Kind.PRETRAIN.artifactKind(), stage.key())
          .flatMap(LocalPretrainRunner::readLeakage);
      if (stored.isPresent()) {
        lines.put(stage.key(), stored.get().summary() + " (stored with the pretraining)");
        continue;
      }
      List<TaskSpec> tasks = screenedTasks(plan.spec(), pretrain);
      lines.put(stage.key(), screenedNow.computeIfAbsent(List.of(pretrain.corpus(), tasks), k -> {
        try {
          CorpusLeakageReport report = screen(DatasetCatalog.fromEnvironment(),
              pretrain.corpus(), tasks).report();
          return new Leakage(pretrain.corpus().leakage(), report).summary();
        } catch (DataFormatException | UncheckedIOException e) {
          return "leakage: not screened now (" + e.getMessage()
              + "); the stage screens when it runs";
        }
      }));
    }
    return lines;
  }

  /** The leakage screen stored in a finished pretraining artifact, if it has one. */
  public static Optional<Leakage> readLeakage(Path artifact) {
    Path file = artifact.resolve(LEAKAGE_FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty(); // pretrained before the screen existed
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), Leakage.class));
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": unreadable leakage screen (" + e.getMessage() + ")",
          e);
    }
  }

  /** Learned input vectors of a pretrained encoder, one per ordinary (non-special) token. */
  public record TokenEmbeddings(List<String> tokens, float[][] vectors) {}

  /**
   * The token-embedding table of the encoder pretrained in {@code artifact} (a BERT: the
   * convolutional encoders read one-hot bases and have none), special tokens left out.
   */
  public static TokenEmbeddings tokenEmbeddings(Path artifact, ModelSpec model) {
    Tokenizer tokenizer = HfTokenizerJson.load(artifact.resolve(Tokenizers.TRAINED_FILE));
    InputVocabulary vocabulary = InputVocabulary.of(tokenizer);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      TokenEncoder encoder = Models.createEncoder(model, vocabulary);
      encoder.initialize(manager, DataType.FLOAT32, new Shape(1, 8));
      encoder.load(artifact.resolve(ENCODER_FILE), manager);
      Parameter table = encoder.tokenEmbedding();
      if (table == null) {
        throw new IllegalArgumentException(model.id() + " has no token-embedding table (its "
            + "input is one-hot bases); token embeddings exist for bert");
      }
      NDArray array = table.getArray(); // (V, H)
      int width = (int) array.getShape().get(1);
      float[] flat = array.toFloatArray();
      List<String> tokens = new ArrayList<>();
      List<float[]> vectors = new ArrayList<>();
      for (int id = 0; id < vocabulary.size() && id < tokenizer.vocabulary().size(); id++) {
        String token = tokenizer.vocabulary().token(id);
        if (token == null || tokenizer.specialTokens().isSpecial(id)) {
          continue;
        }
        tokens.add(token);
        vectors.add(Arrays.copyOfRange(flat, id * width, (id + 1) * width));
      }
      return new TokenEmbeddings(tokens, vectors.toArray(new float[0][]));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The result stored in a finished pretraining artifact, if the folder holds one. */
  public static Optional<PretrainResult> readResult(Path artifact) {
    Path file = artifact.resolve(RESULT_FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), PretrainResult.class));
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": unreadable pretraining result (" + e.getMessage()
          + ")", e);
    }
  }
}
