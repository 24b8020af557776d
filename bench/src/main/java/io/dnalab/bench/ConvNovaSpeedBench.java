package io.dnalab.bench;

import ai.djl.Device;
import io.dnalab.data.DatasetCatalog;
import io.dnalab.data.LabeledSequence;
import io.dnalab.data.LoadOptions;
import io.dnalab.data.SequenceTask;
import io.dnalab.engine.DnalabEngine;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.TaskSpec;
import io.dnalab.train.Batches;
import io.dnalab.train.FineTuneConfig;
import io.dnalab.train.FineTuner;
import io.dnalab.train.LearningRateSchedule;
import io.dnalab.train.NucleotideEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dnalab bench convnova-speed}: one ConvNova training step in dnalab (DJL) and in eager
 * PyTorch ({@code bench/peers/convnova_torch.py}), same architecture, batches, threads and
 * optimizer recipe, alternating rounds in one run. Reports steps/s, our step time over theirs
 * (goal ≤ 1.15) and peak resident memory of each process.
 */
@Command(name = "convnova-speed", mixinStandardHelpOptions = true,
    description = "ConvNova training step time: dnalab (DJL) vs eager PyTorch, same batches.")
public final class ConvNovaSpeedBench implements Callable<Integer> {

  @Option(names = "--task", defaultValue = "prom_core_all",
      description = "GUE task whose training sequences form the batches (default: ${DEFAULT-VALUE})")
  String task;

  @Option(names = "--config", defaultValue = "gb",
      description = "gb (Genomic Benchmarks, 0.38M) or nt (Nucleotide Transformer, 1.69M)")
  String config;

  @Option(names = "--batch-size", defaultValue = "64")
  int batchSize;

  @Option(names = "--batches", defaultValue = "20", description = "distinct batches, cycled")
  int batches;

  @Option(names = "--steps", defaultValue = "100", description = "timed steps per round")
  int steps;

  @Option(names = "--warmup", defaultValue = "20", description = "untimed steps per round")
  int warmup;

  @Option(names = "--rounds", defaultValue = "3",
      description = "alternating dnalab / PyTorch rounds; medians are reported")
  int rounds;

  @Option(names = "--threads", defaultValue = "2", description = "intra-op threads for both")
  int threads;

  @Option(names = "--python", defaultValue = "python3")
  String python;

  @Option(names = "--peer", defaultValue = "bench/peers/convnova_torch.py")
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
    ModelSpec.ConvNova spec = switch (config) {
      case "gb" -> ModelSpec.ConvNova.genomicBenchmarks();
      case "nt" -> ModelSpec.ConvNova.nucleotideTransformer();
      default -> throw new IllegalArgumentException("--config must be gb or nt, got " + config);
    };
    Device device = DnalabEngine.start(new DnalabEngine.Settings(threads, 1,
        DnalabEngine.DeviceChoice.CPU, null));
    SequenceTask gue = DatasetCatalog.fromEnvironment().load(new TaskSpec.Gue(task),
        LoadOptions.defaults().withOffline(true));
    List<LabeledSequence> examples = gue.train().subList(0, batchSize * batches);
    Batches.Encoded encoded = Batches.Encoded.of(examples, NucleotideEncoder.INSTANCE);
    List<Batches.Batch> prepared = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      prepared.add(Batches.assemble(encoded, Batches.sequentialOrder(examples.size()),
          b * batchSize, (b + 1) * batchSize, NucleotideEncoder.INSTANCE.padId()));
    }
    int length = prepared.get(0).length();
    FineTuneConfig fineTune = new FineTuneConfig(1, 1e-3, batchSize, 0.1,
        LearningRateSchedule.Kind.WARMUP_COSINE, 0.01, 0.1, 1.0, 0, "mcc", batchSize, 0, 1);
    String header = String.format(Locale.ROOT, "ConvNova %s config, batch %d × %d bp (GUE %s "
        + "train, %d distinct batches)", config, batchSize, length, task, batches);
    String table = SpeedComparison.run(header, prepared,
        () -> new FineTuner.Session(spec, 2, length, batchSize, fineTune, warmup + steps, device),
        new SpeedComparison.Settings(python, peer, List.of("--config", config), rounds, steps,
            warmup, threads, device));
    System.out.print(table);
    if (out != null) {
      Files.writeString(out, table);
    }
    return 0;
  }
}
