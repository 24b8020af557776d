package io.dnalab.train;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dnalab.data.Corpus;
import io.dnalab.data.DatasetCatalog;
import io.dnalab.experiment.CorpusSpec;
import io.dnalab.experiment.ExperimentSpec;
import io.dnalab.experiment.PretrainRunner;
import io.dnalab.experiment.PretrainSpec;
import io.dnalab.experiment.SpecException;
import io.dnalab.tokenize.Tokenizer;
import io.dnalab.tokenize.Tokenizers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The experiment engine's pretraining stage on this machine: {@link Pretrainer} on the stage's
 * tokenizer, model and corpus (genomes resolved and verified through the {@link DatasetCatalog}).
 *
 * <p>Two stores meet here. The {@link Pretrainer}'s own {@link PretrainCheckpoints} keep partial
 * checkpoints (model, optimizer, step) under {@code <cache>/checkpoints}, so a pretraining killed
 * midway resumes from its last checkpoint when the stage runs again; the engine's artifact folder
 * (published atomically when this returns) receives the finished encoder
 * ({@link PretrainRunner#ENCODER_FILE}) and {@link #RESULT_FILE}: the learning curve, held-out
 * metrics, the unigram baseline and the cost.
 */
public final class LocalPretrainRunner implements PretrainRunner {
  /** The pretraining result (curve, metrics, baseline, cost) in a pretraining artifact. */
  public static final String RESULT_FILE = "pretrain.json";
  /** Steps between partial checkpoints: a killed run loses at most this much work. */
  public static final int CHECKPOINT_EVERY = 200;

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .findAndRegisterModules();

  private final DatasetCatalog catalog;
  private final Supplier<Device> device;
  private final PretrainCheckpoints checkpoints;
  private Device started;

  public LocalPretrainRunner(DatasetCatalog catalog, Supplier<Device> device,
      PretrainCheckpoints checkpoints) {
    this.catalog = catalog;
    this.device = device;
    this.checkpoints = checkpoints;
  }

  @Override
  public void checkSupported(ExperimentSpec.Cell cell) {
    if (!(cell.pretrain() instanceof PretrainSpec.Pretrain pretrain)) {
      throw new SpecException("pretrain", "cell " + cell.label() + " has no pretraining to run");
    }
    // Fail before any stage runs when a genome is missing, not hours into the grid.
    for (CorpusSpec.GenomeSource genome : pretrain.corpus().genomes()) {
      catalog.genome(genome.id());
    }
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
      genomeSha256.put(genome.id(), catalog.genome(genome.id()).entry().sha256());
    }
    Corpus corpus = Corpus.load(spec.corpus(), catalog);
    PretrainResult result = new Pretrainer(started, checkpoints, CHECKPOINT_EVERY).run(spec,
        new Pretrainer.Inputs(tokenizer, inputs.cell().tokenizer(), inputs.model(), corpus,
            genomeSha256), listener);
    Files.copy(result.encoderFile(), outDir.resolve(ENCODER_FILE));
    JSON.writeValue(outDir.resolve(RESULT_FILE).toFile(), result);
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
