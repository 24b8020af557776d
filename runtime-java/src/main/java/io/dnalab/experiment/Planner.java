package io.dnalab.experiment;

import io.dnalab.result.RunResult;
import io.dnalab.spec.ExperimentSpec;
import io.dnalab.spec.FinetuneSpec;
import io.dnalab.spec.PretrainSpec;
import io.dnalab.spec.SpecJson;
import io.dnalab.spec.TaskSpec;
import io.dnalab.spec.TokenizerSpec;
import io.dnalab.store.ResultStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Turns an {@link ExperimentSpec} into a {@link Plan}: a DAG of stages, listed so that every stage
 * comes after the stages it reads.
 *
 * <ul>
 *   <li><b>tokenizer training</b> — BPE only (nucleotide and k-mer tokenizers are built from their
 *       spec, a {@code tokenizer.json} file is read): once per tokenizer spec and training data
 *       (the task's train split, or the named FASTA corpus files);
 *   <li><b>pretraining</b> — once per tokenizer × model × pretraining spec, shared by every task
 *       and seed that fine-tunes from it;
 *   <li><b>fine-tuning + evaluation</b> — per task × tokenizer × model × pretraining × seed, one
 *       {@link RunResult}.
 * </ul>
 *
 * <p>Keys: sha256 of the canonical JSON ({@link SpecJson#canonical}) of the stage's own spec and
 * its inputs: a tokenizer key holds the tokenizer spec and the sha256 of its training data; a
 * pretraining key the tokenizer key, model and pretraining spec; a fine-tuning key the task id
 * and the sha256 of its three split files, the tokenizer key, model, pretraining key (or none),
 * fine-tuning budget, seed and {@link #FINETUNE_RECIPE}. The experiment's name and exclusion rules
 * are not part of any key, so two notebooks asking for the same run share it.
 *
 * <p>Done: a tokenizer or pretraining stage when its artifact is in the {@link ArtifactStore}, a
 * fine-tuning stage when its row is in the {@link ResultStore}. Planning reads no task data: the
 * checksums come from the catalog or a cache ({@link DataFingerprints}).
 */
public final class Planner {
  /**
   * Version of what a fine-tuning run does beyond its spec (FineTuneConfig's recipe: schedule,
   * warm-up, clipping, selection metric). Bump it when that changes, so older rows are not reused.
   */
  public static final int FINETUNE_RECIPE = 1;

  private final Function<TaskSpec, TaskFingerprint> fingerprints;
  private final Function<Path, String> fileSha256;
  private final Function<String, String> corpusSha256;
  private final ArtifactStore artifacts;
  private final ResultStore results;
  private final PretrainRunner pretrainer;

  /**
   * @param fingerprints a task's data checksums and size
   * @param fileSha256 sha256 of a file's content (tokenizer files, BPE corpus files)
   * @param artifacts where finished tokenizer and pretraining stages are, null when none are kept
   * @param results where finished runs are, null when none are kept
   * @param pretrainer asked for pretraining time estimates
   */
  public Planner(Function<TaskSpec, TaskFingerprint> fingerprints,
      Function<Path, String> fileSha256, ArtifactStore artifacts, ResultStore results,
      PretrainRunner pretrainer) {
    this(fingerprints, fileSha256, name -> fileSha256.apply(Path.of(name)), artifacts, results,
        pretrainer);
  }

  /**
   * @param corpusSha256 sha256 of a BPE corpus named by a catalog genome id or a FASTA path
   */
  public Planner(Function<TaskSpec, TaskFingerprint> fingerprints,
      Function<Path, String> fileSha256, Function<String, String> corpusSha256,
      ArtifactStore artifacts, ResultStore results, PretrainRunner pretrainer) {
    this.fingerprints = fingerprints;
    this.fileSha256 = fileSha256;
    this.corpusSha256 = corpusSha256;
    this.artifacts = artifacts;
    this.results = results;
    this.pretrainer = pretrainer;
  }

  /** Keys from data checksums ({@link DataFingerprints}) and the given stores. */
  public static Planner of(DataFingerprints fingerprints, ArtifactStore artifacts,
      ResultStore results, PretrainRunner pretrainer) {
    return new Planner(fingerprints::of, fingerprints::contentSha256,
        fingerprints::corpusSha256, artifacts, results, pretrainer);
  }

  public Plan plan(ExperimentSpec spec) {
    Map<String, Stage> tokenizers = new LinkedHashMap<>();
    Map<String, Stage> pretraining = new LinkedHashMap<>();
    List<PendingRun> runs = new ArrayList<>();
    for (ExperimentSpec.Cell cell : spec.cells()) {
      TaskFingerprint data = fingerprints.apply(cell.task());
      Map<String, Object> tokenizerSpec = tokenizerSpec(cell.tokenizer(), data);
      String tokenizerKey = SpecJson.sha256(tokenizerSpec);
      List<String> inputs = new ArrayList<>();
      if (cell.tokenizer() instanceof TokenizerSpec.Bpe) {
        inputs.add(tokenizerKey);
        tokenizers.computeIfAbsent(tokenizerKey, key -> new Stage(key, Stage.Kind.TOKENIZER,
            cell.tokenizer().id() + (((TokenizerSpec.Bpe) cell.tokenizer()).corpus().isEmpty()
                ? " on " + cell.task().id() + " train" : " on its corpus"), cell, 0, List.of(),
            artifactDone(Stage.Kind.TOKENIZER, key), StageEstimates.tokenizerSeconds(data),
            SpecJson.canonical(tokenizerSpec)));
      }
      String pretrainKey = "none";
      if (!(cell.pretrain() instanceof PretrainSpec.None)) {
        Map<String, Object> pretrainSpec = new TreeMap<>();
        pretrainSpec.put("stage", "pretrain");
        pretrainSpec.put("tokenizer", tokenizerKey);
        pretrainSpec.put("model", cell.model());
        pretrainSpec.put("pretrain", cell.pretrain());
        pretrainKey = SpecJson.sha256(pretrainSpec);
        List<String> pretrainInputs = List.copyOf(inputs);
        inputs.add(pretrainKey);
        pretraining.computeIfAbsent(pretrainKey, key -> new Stage(key, Stage.Kind.PRETRAIN,
            cell.pretrain().id() + " · " + cell.tokenizer().id() + " · " + cell.model().id(),
            cell, 0, pretrainInputs, artifactDone(Stage.Kind.PRETRAIN, key),
            pretrainer.estimateSeconds(new PretrainRunner.Inputs(key, cell, null, tokenizerKey)),
            SpecJson.canonical(pretrainSpec)));
      }
      for (int seed = 1; seed <= spec.seeds(); seed++) {
        Map<String, Object> runSpec = new TreeMap<>();
        runSpec.put("stage", "finetune");
        runSpec.put("recipe", FINETUNE_RECIPE);
        runSpec.put("task", cell.task().id());
        runSpec.put("data", data.checksums());
        runSpec.put("tokenizer", tokenizerKey);
        runSpec.put("model", cell.model());
        runSpec.put("pretrain", pretrainKey);
        runSpec.put("finetune", spec.finetune());
        runSpec.put("seed", seed);
        runs.add(new PendingRun(cell, seed, List.copyOf(inputs), SpecJson.canonical(runSpec),
            SpecJson.sha256(runSpec), data));
      }
    }
    Set<String> finished = results == null ? Set.of()
        : results.finished(runs.stream().map(PendingRun::key).toList());
    List<Stage> stages = new ArrayList<>(tokenizers.values());
    stages.addAll(pretraining.values());
    for (PendingRun run : runs) {
      stages.add(new Stage(run.key, Stage.Kind.FINETUNE, run.cell.label() + " · seed " + run.seed,
          run.cell, run.seed, run.inputs, finished.contains(run.key),
          finetuneEstimate(run, spec.finetune()), run.specJson));
    }
    return new Plan(spec, stages);
  }

  private record PendingRun(ExperimentSpec.Cell cell, long seed, List<String> inputs,
      String specJson, String key, TaskFingerprint data) {}

  private double finetuneEstimate(PendingRun run, FinetuneSpec budget) {
    int epochs = budget.epochs();
    if (results != null) {
      Optional<Double> measured = results.meanWallSeconds(run.cell.task().id(),
          run.cell.tokenizer().id(), run.cell.model().id(), epochs);
      if (measured.isPresent()) {
        return measured.get();
      }
    }
    return StageEstimates.finetuneSeconds(run.data, run.cell.tokenizer(), run.cell.model(),
        epochs, budget.maxTrainExamples());
  }

  private boolean artifactDone(Stage.Kind kind, String key) {
    return artifacts != null && artifacts.contains(kind.artifactKind(), key);
  }

  /** What a tokenizer's key hashes: its spec and the content of whatever it is made from. */
  private Map<String, Object> tokenizerSpec(TokenizerSpec tokenizer, TaskFingerprint data) {
    Map<String, Object> spec = new TreeMap<>();
    spec.put("stage", "tokenizer");
    if (tokenizer instanceof TokenizerSpec.FromFile file) {
      // The file's content, not where it lies.
      spec.put("file", fileSha256.apply(file.path()));
      return spec;
    }
    spec.put("tokenizer", tokenizer);
    if (tokenizer instanceof TokenizerSpec.Bpe bpe) {
      if (bpe.corpus().isEmpty()) {
        spec.put("trainedOn", data.id());
        spec.put("data", data.checksums().getOrDefault("train", data.checksums().toString()));
      } else {
        spec.put("corpus", bpe.corpus().stream().map(corpusSha256).toList());
      }
    }
    return spec;
  }
}
