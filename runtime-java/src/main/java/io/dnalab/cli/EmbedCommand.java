package io.dnalab.cli;

import io.dnalab.checkpoint.CheckpointFileException;
import io.dnalab.checkpoint.ModelNotFoundException;
import io.dnalab.data.SequenceInput;
import io.dnalab.experiment.ArtifactStore;
import io.dnalab.experiment.Embedder;
import io.dnalab.experiment.EmbedderModels;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dnalab embed}: one vector (or one per token) per input sequence from a pretrained
 * encoder, written as float32 {@code .npy} for numpy. The computation is {@link Embedder}'s.
 */
@Command(
    name = "embed",
    mixinStandardHelpOptions = true,
    description = {
      "Embed the sequences of a FASTA file, or of a CSV/TSV with a 'sequence' column, with a",
      "pretrained encoder; write float32 .npy (numpy.load reads it), rows in input order.",
      "  mean: (N, H) average over every token the attention mask admits, special tokens included",
      "  cls:  (N, H) the first position",
      "  none: (N, L, H) every position, zero-padded, and FILE.lengths.npy (int64 token counts)",
      "--model: a public checkpoint (folder, or hub id in the Hugging Face cache; nothing is",
      "downloaded), or one of dnalab's pretraining artifacts (folder, or key in the cache).",
    })
public final class EmbedCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "PATH_OR_ID",
      description = "checkpoint folder, hub id (ORG/NAME), or dnalab pretraining artifact or key")
  String model;

  @Option(names = "--out", required = true, paramLabel = "FILE.npy", description = "file to write")
  Path out;

  @Option(names = "--pooling", defaultValue = "mean",
      description = "mean, cls or none (default ${DEFAULT-VALUE})")
  String pooling;

  @Option(names = "--layer", defaultValue = "-1", paramLabel = "N",
      description = "hidden states of layer N: 0 = embedding output, the layer count = last "
          + "(default: last)")
  int layer;

  @Option(names = "--batch-size", defaultValue = "32", paramLabel = "N",
      description = "sequences per forward pass (default ${DEFAULT-VALUE})")
  int batchSize;

  @Option(names = "--quiet", description = "no progress bar")
  boolean quiet;

  @Parameters(index = "0", paramLabel = "INPUT", description = "FASTA(.gz) or CSV/TSV(.gz)")
  Path input;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    // Flags first: a bad value fails before the model is loaded.
    Embedder.Pooling chosen = Embedder.Pooling.parse(pooling);
    if (batchSize < 1) {
      throw new CliErrors.UserError("--batch-size must be at least 1, got " + batchSize);
    }
    List<SequenceInput.Named> sequences = SequenceInput.read(input);
    long start = System.nanoTime();
    Embedder.Embeddings embeddings;
    try (Embedder.Encoder encoder = open(model)) {
      Embedder.layer(encoder, layer); // before the progress bar starts
      try (Bar bar = quiet ? null : new Bar(sequences.size())) {
        embeddings = Embedder.embed(encoder,
            sequences.stream().map(SequenceInput.Named::sequence).toList(), chosen, layer,
            batchSize, bar == null ? Embedder.Progress.NONE : bar);
      }
    }
    List<Path> written = embeddings.writeNpy(out);
    String shape = chosen == Embedder.Pooling.NONE
        ? String.format(Locale.ROOT, "(%d, %d, %d)", embeddings.size(), embeddings.maxLength(),
            embeddings.hiddenSize())
        : String.format(Locale.ROOT, "(%d, %d)", embeddings.size(), embeddings.hiddenSize());
    err.printf(Locale.ROOT, "wrote %s: %s float32, %s pooling of layer %d, %.1f s%n",
        String.join(" and ", written.stream().map(Path::toString).toList()), shape,
        chosen.label(), embeddings.layer(), (System.nanoTime() - start) / 1e9);
    err.flush();
    return 0;
  }

  /** The model, with the locator's and the loader's messages as user errors. */
  private static Embedder.Encoder open(String model) {
    try {
      return EmbedderModels.open(model, ArtifactStore.fromEnvironment());
    } catch (ModelNotFoundException | CheckpointFileException e) {
      throw new CliErrors.UserError(e.getMessage(), e);
    }
  }

  /** A progress bar over sequences, on stderr. */
  private static final class Bar implements Embedder.Progress, AutoCloseable {
    private final ProgressBar bar;

    Bar(int total) {
      bar = new ProgressBarBuilder().setTaskName("embed").setInitialMax(total)
          .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).setUnit(" seq", 1)
          .build();
    }

    @Override
    public void embedded(int done, int total) {
      bar.stepTo(done);
    }

    @Override
    public void close() {
      bar.close();
    }
  }
}
