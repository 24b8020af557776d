package io.dnalab.experiment;

import io.dnalab.data.CorpusLeakageScreen;
import io.dnalab.result.RunResult;
import io.dnalab.spec.CorpusSpec;
import io.dnalab.spec.ExperimentSpec;
import io.dnalab.checkpoint.ModelLocator;
import io.dnalab.model.ModelRegistry;
import io.dnalab.model.PretrainedCheckpoints;
import io.dnalab.spec.FinetuneSpec;
import io.dnalab.spec.PoolingRule;
import io.dnalab.spec.PretrainSpec;
import io.dnalab.spec.Recipe;
import io.dnalab.spec.SpecJson;
import io.dnalab.spec.TaskSpec;
import io.dnalab.spec.TokenizerSpec;
import io.dnalab.store.ResultStore;
import java.nio.file.Files;
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
 *   <li><b>pretraining</b> — once per tokenizer × model × pretraining spec × pretraining seed
 *       ({@link PretrainSpec.Pretrain#pretrainingSeeds}), shared by every task and seed that
 *       fine-tunes from it; the stage's cell holds the one-seed spec
 *       ({@link PretrainSpec.Pretrain#run}) it runs;
 *   <li><b>fine-tuning + evaluation</b> — per task × tokenizer × model × pretraining ×
 *       pretraining seed × fine-tuning seed (every fine-tuning seed on every pretraining seed),
 *       one {@link RunResult}.
 * </ul>
 *
 * <p>Keys: sha256 of the canonical JSON ({@link SpecJson#canonical}) of the stage's own spec, its
 * inputs and the versions of the code it runs ({@link CodeVersions}): a tokenizer key holds the
 * tokenizer spec, the sha256 of its training data and the tokenizer's version; a pretraining key
 * the tokenizer key, model, pretraining spec and the tokenizer, model family and trainer
 * versions; a fine-tuning key the task id and the sha256 of its three split files, the tokenizer
 * key, model, pretraining key (or none, or a public checkpoint's content hash: a checkpoint arm
 * runs no tokenizer or pretraining stage), the fine-tuning spec, seed, {@link #FINETUNE_RECIPE},
 * the cell's resolved recipe (every number it trains with, {@link #recipeFor}) and the same
 * versions plus {@code finetune}. The experiment's name and exclusion rules are not part of any key, so two
 * notebooks asking for the same run share it.
 *
 * <p>Stale: each stage also has an identity, the hash of the same without code versions (what a
 * dnalab 0.1 key was). A stage not done whose identity has a stored run (made by other code
 * versions, or by 0.1) or a 0.1 artifact is marked stale, with what changed, and runs again.
 *
 * <p>Done: a tokenizer or pretraining stage when its artifact is in the {@link ArtifactStore}, a
 * fine-tuning stage when its row is in the {@link ResultStore}. Planning reads no task data: the
 * checksums come from the catalog or a cache ({@link DataFingerprints}).
 */
public final class Planner {
  /**
   * What 0.1's fine-tuning keys held as {@code "recipe"}; it stays in the identity so that runs of
   * the same cell and seed made by older code are found (and shown stale). The recipe a run uses
   * is in its key apart ({@link #recipeFor}, every number) with the {@code finetune} code version
   * ({@link CodeVersions#ofFinetuning}).
   */
  public static final int FINETUNE_RECIPE = 1;

  private final Function<TaskSpec, TaskFingerprint> fingerprints;
  private final Function<Path, String> fileSha256;
  private final Function<String, String> corpusSha256;
  private final ArtifactStore artifacts;
  private final ResultStore results;
  private final PretrainRunner pretrainer;
  private final Function<Path, String> checkpointContentHash;

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
    this(fingerprints, fileSha256, corpusSha256, artifacts, results, pretrainer,
        PretrainedCheckpoints::contentHash);
  }

  /**
   * @param checkpointContentHash the content hash of a public checkpoint's folder ({@link
   *     PretrainedCheckpoints#contentHash}), cached or not
   */
  public Planner(Function<TaskSpec, TaskFingerprint> fingerprints,
      Function<Path, String> fileSha256, Function<String, String> corpusSha256,
      ArtifactStore artifacts, ResultStore results, PretrainRunner pretrainer,
      Function<Path, String> checkpointContentHash) {
    this.checkpointContentHash = checkpointContentHash;
    this.fingerprints = fingerprints;
    this.fileSha256 = fileSha256;
    this.corpusSha256 = corpusSha256;
    this.artifacts = artifacts;
    this.results = results;
    this.pretrainer = pretrainer;
  }

  /**
   * Keys from data checksums ({@link DataFingerprints}, checkpoints' content hashes included:
   * cached, so planning again reads no checkpoint weights) and the given stores.
   */
  public static Planner of(DataFingerprints fingerprints, ArtifactStore artifacts,
      ResultStore results, PretrainRunner pretrainer) {
    return new Planner(fingerprints::of, fingerprints::contentSha256,
        fingerprints::corpusSha256, artifacts, results, pretrainer,
        fingerprints::checkpointHash);
  }

  public Plan plan(ExperimentSpec spec) {
    // Checkpoint source -> content hash of its weights, each checkpoint hashed once per plan.
    Map<String, String> checkpointHashes = new LinkedHashMap<>();
    ModelLocator checkpointLocator = ModelLocator.fromEnvironment();
    Map<String, Stage> tokenizers = new LinkedHashMap<>();
    Map<String, Stage> pretraining = new LinkedHashMap<>();
    List<PendingRun> runs = new ArrayList<>();
    for (ExperimentSpec.Cell asked : spec.cells()) {
      // A pooling the cell's pretraining trained: AUTO resolved, CLS without [CLS] refused.
      ExperimentSpec.Cell cell = PoolingRule.resolved(asked);
      TaskFingerprint data = fingerprints.apply(cell.task());
      // A checkpoint arm: found now (a missing one is ModelLocator's error, before its tokenizer
      // file is read); its weights enter the key by their content hash, not by where they lie.
      String checkpointHash = null;
      if (cell.pretrain() instanceof PretrainSpec.Checkpoint checkpoint) {
        String hash = checkpointHashes.computeIfAbsent(checkpoint.source(), source ->
            checkpointContentHash.apply(checkpointLocator.locate(source).folder()));
        checkpointHash = checkpoint.pretrained() ? hash : null;
      }
      Keyed tokenizer = keyed(tokenizerSpec(cell.tokenizer(), data), Map.of(),
          CodeVersions.ofTokenizer(cell.tokenizer()));
      List<String> inputs = new ArrayList<>();
      if (cell.tokenizer() instanceof TokenizerSpec.Bpe bpe) {
        inputs.add(tokenizer.key);
        tokenizers.computeIfAbsent(tokenizer.key, key -> artifactStage(tokenizer,
            Stage.Kind.TOKENIZER, cell.tokenizer().id() + (bpe.corpus().isEmpty()
                ? " on " + cell.task().id() + " train" : " on its corpus"), cell, List.of(),
            StageEstimates.tokenizerSeconds(data)));
      }
      Map<String, Integer> finetuneVersions = checkpointHash != null
          ? CodeVersions.ofCheckpointFinetuning(cell.tokenizer(), cell.model())
          : CodeVersions.ofFinetuning(cell.tokenizer(), cell.model());
      // Every number the cell fine-tunes with: in the key, not in the identity (see keyed).
      Map<String, Object> resolvedRecipe = Map.of("resolvedRecipe",
          recipeFor(spec.finetune(), cell));
      // One entry per pretraining run the cell's runs start from: none (random initialisation),
      // or one per pretraining seed, each fine-tuned with every fine-tuning seed.
      List<PretrainingRun> pretrainRuns = new ArrayList<>();
      if (cell.pretrain() instanceof PretrainSpec.Pretrain pretrained) {
        boolean severalSeeds = pretrained.seeds() > 1;
        for (long pretrainingSeed : pretrained.pretrainingSeeds()) {
          // The one-seed spec: its key is the key this pretraining had before pretraining seeds.
          PretrainSpec.Pretrain run = pretrained.run(pretrainingSeed);
          ExperimentSpec.Cell runCell = new ExperimentSpec.Cell(cell.task(), cell.tokenizer(),
              cell.model(), run);
          Map<String, Object> pretrainSpec = new TreeMap<>();
          pretrainSpec.put("stage", "pretrain");
          pretrainSpec.put("model", cell.model());
          // a user's FASTA genome is keyed by its content, not its path
          pretrainSpec.put("pretrain", SpecJson.contentAddressed(run,
              path -> corpusSha256.apply(path.toString())));
          if (pretrained.corpus().leakage() == CorpusSpec.Leakage.EXCLUDE) {
            // What is cut out depends on the screened tasks' data and the screen's definition.
            pretrainSpec.put("leakageExcluded", LocalPretrainRunner.screenedTasks(spec,
                cell.pretrain()).stream().map(task -> Map.of("task", task.id(), "data",
                    fingerprints.apply(task).checksums())).toList());
            pretrainSpec.put("leakageScreen", CorpusLeakageScreen.VERSION);
          }
          Keyed keyed = keyed(pretrainSpec, Map.of("tokenizer", tokenizer), CodeVersions
              .ofPretraining(cell.tokenizer(), cell.model(), pretrained.objective()));
          String seedLabel = severalSeeds ? " · pretraining seed " + pretrainingSeed : "";
          pretraining.computeIfAbsent(keyed.key, key -> artifactStage(keyed,
              Stage.Kind.PRETRAIN, cell.pretrain().id() + " · " + cell.tokenizer().id() + " · "
                  + cell.model().id() + seedLabel, runCell, List.copyOf(inputs),
              pretrainer.estimateSeconds(new PretrainRunner.Inputs(key, runCell, null,
                  tokenizer.key))));
          List<String> runInputs = new ArrayList<>(inputs);
          runInputs.add(keyed.key);
          pretrainRuns.add(new PretrainingRun(runCell, keyed, List.copyOf(runInputs),
              seedLabel));
        }
      } else {
        pretrainRuns.add(new PretrainingRun(cell, null, List.copyOf(inputs), ""));
      }
      // Every fine-tuning seed on every pretraining run, pretraining run by pretraining run.
      for (int index = 0; index < pretrainRuns.size() * spec.seeds(); index++) {
        PretrainingRun from = pretrainRuns.get(index / spec.seeds());
        int seed = 1 + index % spec.seeds();
        Keyed pretrain = from.keyed;
        Map<String, Object> runSpec = new TreeMap<>();
        runSpec.put("stage", "finetune");
        runSpec.put("recipe", FINETUNE_RECIPE);
        runSpec.put("task", cell.task().id());
        runSpec.put("data", data.checksums());
        runSpec.put("model", cell.model());
        // Keeping the model is not part of the run: asking for it changes no key.
        runSpec.put("finetune", spec.finetune().withSaveModel(false));
        runSpec.put("seed", seed);
        Map<String, Keyed> runInputs = new TreeMap<>();
        runInputs.put("tokenizer", tokenizer);
        if (pretrain != null) {
          runInputs.put("pretrain", pretrain);
        } else if (checkpointHash != null) {
          runSpec.put("pretrain", Map.of("checkpoint", checkpointHash));
        } else {
          // random initialisation, a checkpoint's twin included (its architecture is "model")
          runSpec.put("pretrain", "none");
        }
        runs.add(new PendingRun(from.cell, seed, from.inputs,
            keyed(runSpec, resolvedRecipe, runInputs, finetuneVersions), data, from.seedLabel));
      }
    }
    List<String> keys = runs.stream().map(run -> run.keyed.key).toList();
    Set<String> finished = results == null ? Set.of() : results.finished(keys);
    // Runs of the same cell and seed made by other code: shown as stale, run again.
    Map<String, Map<String, Integer>> older = results == null ? Map.of()
        : results.versionsByIdentity(runs.stream().filter(run -> !finished.contains(
            run.keyed.key)).map(run -> run.keyed.identity).toList());
    List<Stage> stages = new ArrayList<>(tokenizers.values());
    stages.addAll(pretraining.values());
    for (PendingRun run : runs) {
      Keyed keyed = run.keyed;
      String stale = finished.contains(keyed.key) || !older.containsKey(keyed.identity) ? null
          : staleBecause(older.get(keyed.identity));
      stages.add(new Stage(keyed.key, Stage.Kind.FINETUNE, run.cell.label()
          + run.pretrainSeedLabel + " · seed " + run.seed, run.cell, run.seed, run.inputs,
          finished.contains(keyed.key) && (!spec.finetune().saveModel()
              || artifacts == null || artifacts.contains(SavedModel.KIND, keyed.key)),
          finetuneEstimate(run, recipeFor(spec.finetune(), run.cell), spec),
          keyed.specJson, keyed.identity,
          keyed.versions, stale));
    }
    return new Plan(spec, stages);
  }

  /**
   * A stage's key and identity. The key hashes its spec, its inputs' keys and the code versions
   * it runs ({@code "versions"}); the identity hashes the spec and its inputs' identities only,
   * exactly what a dnalab 0.1 key hashed, so output of older code is found by its identity.
   */
  private record Keyed(String key, String identity, String specJson,
      Map<String, Integer> versions) {}

  /**
   * @param spec the stage's own fields
   * @param inputs field name → the keyed stage whose output it reads
   */
  private static Keyed keyed(Map<String, Object> spec, Map<String, Keyed> inputs,
      Map<String, Integer> versions) {
    return keyed(spec, Map.of(), inputs, versions);
  }

  /**
   * @param keyOnly fields of the key that the identity leaves out: what code derives from the
   *     spec (a fine-tuning run's resolved recipe), which changes with the code versions
   */
  private static Keyed keyed(Map<String, Object> spec, Map<String, Object> keyOnly,
      Map<String, Keyed> inputs, Map<String, Integer> versions) {
    Map<String, Object> versioned = new TreeMap<>(spec);
    versioned.putAll(keyOnly);
    Map<String, Object> unversioned = new TreeMap<>(spec);
    inputs.forEach((field, input) -> {
      versioned.put(field, input.key);
      unversioned.put(field, input.identity);
    });
    versioned.put("versions", versions);
    String specJson = SpecJson.canonical(versioned);
    return new Keyed(SpecJson.sha256Text(specJson), SpecJson.sha256(unversioned), specJson,
        versions);
  }

  private Stage artifactStage(Keyed keyed, Stage.Kind kind, String label,
      ExperimentSpec.Cell cell, List<String> inputs, double estimateSeconds) {
    boolean done = artifactDone(kind, keyed.key);
    // Artifacts carry no record of their code versions: one found under the identity is 0.1's.
    String stale = !done && artifactDone(kind, keyed.identity) ? staleBecause(Map.of()) : null;
    return new Stage(keyed.key, kind, label, cell, 0, inputs, done, estimateSeconds,
        keyed.specJson, keyed.identity, keyed.versions, stale);
  }

  private static String staleBecause(Map<String, Integer> recorded) {
    List<String> changes = CodeVersions.changes(recorded);
    return changes.isEmpty() ? "made by other code" : String.join(", ", changes);
  }

  private record PendingRun(ExperimentSpec.Cell cell, long seed, List<String> inputs,
      Keyed keyed, TaskFingerprint data, String pretrainSeedLabel) {}

  /**
   * A pretraining run that fine-tuning starts from: its cell (the one-seed pretraining spec), its
   * key (null: random initialisation), the keys a fine-tuning from it reads (tokenizer if trained,
   * then this pretraining) and the label suffix naming its seed when there are several.
   */
  private record PretrainingRun(ExperimentSpec.Cell cell, Keyed keyed, List<String> inputs,
      String seedLabel) {}

  /**
   * The recipe {@code cell} fine-tunes with: the spec's recipe or the model family's default
   * ({@code ModelFamily.defaultRecipe}), resolved for the cell's task, with the spec's overrides.
   */
  public static Recipe recipeFor(FinetuneSpec finetune, ExperimentSpec.Cell cell) {
    return finetune.resolve(ModelRegistry.family(cell.model()).defaultRecipe(), cell.task());
  }

  private double finetuneEstimate(PendingRun run, Recipe recipe, ExperimentSpec spec) {
    int epochs = recipe.epochs();

    if (results != null) {
      Optional<Double> measured = results.meanWallSeconds(run.cell.task().id(),
          run.cell.tokenizer().id(), run.cell.model().id(), epochs);
      if (measured.isPresent()) {
        return measured.get();
      }
    }
    return StageEstimates.finetuneSeconds(run.data, run.cell.tokenizer(), run.cell.model(),
        epochs, spec.finetune().maxTrainExamples());
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
    if (tokenizer instanceof TokenizerSpec.VocabFile vocab) {
      // The content of the files it is read from (vocab.txt and the special-token files beside
      // it, where present), not where they lie; the layout says how it tokenizes.
      spec.put("layout", vocab.layout());
      spec.put("vocab", fileSha256.apply(vocab.path()));
      Path folder = vocab.path().toAbsolutePath().getParent();
      for (String name : List.of("tokenizer_config.json", "special_tokens_map.json")) {
        if (Files.isRegularFile(folder.resolve(name))) {
          spec.put(name, fileSha256.apply(folder.resolve(name)));
        }
      }
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
