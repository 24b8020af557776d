package io.dnalab.bench;

import ai.djl.Device;
import io.dnalab.data.DatasetCatalog;
import io.dnalab.data.LabeledSequence;
import io.dnalab.data.LoadOptions;
import io.dnalab.data.SequenceTask;
import io.dnalab.engine.DnalabEngine;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.TaskSpec;
import io.dnalab.tokenize.KmerTokenizer;
import io.dnalab.train.Batches;
import io.dnalab.train.FineTuneConfig;
import io.dnalab.train.FineTuner;
import io.dnalab.train.LearningRateSchedule;
import io.dnalab.train.TokenizerEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dnalab bench bert-speed}: one training step of a small DNABERT-2-style classifier
 * ({@link io.dnalab.model.BertEncoder} + [CLS] head) in dnalab (DJL) and in eager PyTorch
 * ({@code bench/peers/bert_torch.py}): same architecture and size, same k-mer token batches, same
 * threads, same step (forward, cross-entropy, backward, clipping, AdamW), alternating rounds in one
 * run. Reports steps/s, our step time over theirs (goal ≤ 1.15) and peak resident memory.
 */
@Command(name = "bert-speed", mixinStandardHelpOptions = true,
    description = "BERT (ALiBi, GEGLU) training step time: dnalab (DJL) vs eager PyTorch.")
public final class BertSpeedBench implements Callable<Integer> {

  @Option(names = "--task", defaultValue = "tf_0",
      description = "GUE task whose training sequences form the batches; they must all have one "
          + "length (default: ${DEFAULT-VALUE})")
  String task;

  @Option(names = "--kmer", defaultValue = "3",
      description = "non-overlapping k-mer tokens (with [CLS] and [SEP]) (default: ${DEFAULT-VALUE})")
  int k;

  @Option(names = "--layers", defaultValue = "4")
  int layers;

  @Option(names = "--hidden", defaultValue = "128")
  int hidden;

  @Option(names = "--heads", defaultValue = "4")
  int heads;

  @Option(names = "--intermediate", defaultValue = "512")
  int intermediate;

  @Option(names = "--dropout", defaultValue = "0.1")
  double dropout;

  @Option(names = "--batch-size", defaultValue = "32")
  int batchSize;

  @Option(names = "--batches", defaultValue = "10", description = "distinct batches, cycled")
  int batches;

  @Option(names = "--steps", defaultValue = "50", description = "timed steps per round")
  int steps;

  @Option(names = "--warmup", defaultValue = "10", description = "untimed steps per round")
  int warmup;

  @Option(names = "--rounds", defaultValue = "3",
      description = "alternating dnalab / PyTorch rounds; medians are reported")
  int rounds;

  @Option(names = "--threads", defaultValue = "1", description = "intra-op threads for both")
  int threads;

  @Option(names = "--python", defaultValue = "python3")
  String python;

  @Option(names = "--peer", defaultValue = "bench/peers/bert_torch.py")
  Path peer;

  @Option(names = "--out", description = "also write the table (Markdown) to this file")
  Path out;

  @Override
  public Integer call() throws Exception {
    String missing = SpeedComparison.missingInputs(peer);
    if (missing != null) {
      System.err.println(missing);
      return 2;
    }
    ModelSpec.Bert spec = new ModelSpec.Bert(layers, hidden, heads, intermediate, dropout, false,
        ModelSpec.Pooling.CLS, true);
    Device device = DnalabEngine.start(new DnalabEngine.Settings(threads, 1,
        DnalabEngine.DeviceChoice.CPU, null));
    SequenceTask gue = DatasetCatalog.fromEnvironment().load(new TaskSpec.Gue(task),
        LoadOptions.defaults().withOffline(true));
    TokenizerEncoder encoder = new TokenizerEncoder(KmerTokenizer.create(k, false));
    List<LabeledSequence> examples = gue.train().subList(0, batchSize * batches);
    Batches.Encoded encoded = Batches.Encoded.of(examples, encoder);
    List<Batches.Batch> prepared = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      prepared.add(Batches.assemble(encoded, Batches.sequentialOrder(examples.size()),
          b * batchSize, (b + 1) * batchSize, encoder.padId()));
    }
    SpeedComparison.requireEqualLengths(prepared);
    int length = prepared.get(0).length();
    FineTuneConfig fineTune = new FineTuneConfig(1, 1e-3, batchSize, 0.1,
        LearningRateSchedule.Kind.WARMUP_COSINE, 0.01, 0.1, 1.0, 0, "mcc", batchSize, 0, 1);
    String header = String.format(Locale.ROOT, "BERT %d layers × %d (heads %d, feed-forward %d, "
            + "dropout %.1f, ALiBi, GEGLU, [CLS] head), batch %d × %d tokens (GUE %s train, "
            + "non-overlapping %d-mers + [CLS]/[SEP], vocabulary %d; %d distinct batches)",
        layers, hidden, heads, intermediate, dropout, batchSize, length, task, k,
        encoder.vocabSize(), batches);
    String table = SpeedComparison.run(header, prepared,
        () -> new FineTuner.Session(spec, encoder.vocabulary(), null, gue.numClasses(), length,
            batchSize, fineTune, warmup + steps, device),
        new SpeedComparison.Settings(python, peer, List.of("--vocab",
            Integer.toString(encoder.vocabSize()), "--layers", Integer.toString(layers),
            "--hidden", Integer.toString(hidden), "--heads", Integer.toString(heads),
            "--intermediate", Integer.toString(intermediate),
            "--dropout", Double.toString(dropout), "--pooling", "cls",
            "--classes", Integer.toString(gue.numClasses())), rounds, steps, warmup,
            threads, device));
    System.out.print(table);
    if (out != null) {
      Files.writeString(out, table);
    }
    return 0;
  }
}
