package io.dnalab.bench;

import ai.djl.Device;
import io.dnalab.data.Corpus;
import io.dnalab.data.DatasetCatalog;
import io.dnalab.engine.DnalabEngine;
import io.dnalab.spec.CorpusSpec;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.Objective;
import io.dnalab.spec.PretrainSpec;
import io.dnalab.spec.TokenizerSpec;
import io.dnalab.tokenize.Tokenizer;
import io.dnalab.tokenize.Tokenizers;
import io.dnalab.train.PretrainResult;
import io.dnalab.train.Pretrainer;
import io.dnalab.train.TrainingListener;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dnalab bench pretrain-objectives}: a small BERT encoder pretrained from scratch with
 * each objective on human chr20 windows, on CPU; held-out loss and accuracy on the predicted
 * positions beside the unigram baseline on the same positions.
 */
@Command(name = "pretrain-objectives", mixinStandardHelpOptions = true,
    description = "Pretrain a small BERT with token MLM, span MLM, RandomMask, next-token (and "
        + "whole-k-mer MLM over overlapping 6-mers) on human chr20; held-out loss/accuracy vs "
        + "the unigram baseline.")
public final class PretrainObjectivesBench implements Callable<Integer> {

  @Option(names = "--runs", split = ",", defaultValue = "mlm,spanmlm,randommask,nexttoken,"
      + "mlm-6mer", description = "objective[-6mer] runs (default: ${DEFAULT-VALUE})")
  List<String> runs;

  @Option(names = "--steps", defaultValue = "300", description = "steps per run")
  int steps;

  @Option(names = "--layers", defaultValue = "2")
  int layers;

  @Option(names = "--hidden", defaultValue = "128")
  int hidden;

  @Option(names = "--batch-size", defaultValue = "16")
  int batchSize;

  @Option(names = "--window", defaultValue = "128", description = "bases per window")
  int window;

  @Option(names = "--lr", defaultValue = "1e-3")
  double learningRate;

  @Option(names = "--eval-windows", defaultValue = "256")
  int evalWindows;

  @Option(names = "--genome", defaultValue = "human_GRCh37_chr20")
  String genome;

  @Option(names = "--threads", defaultValue = "0",
      description = "PyTorch intra-op threads (0 = DNALAB_THREADS or PyTorch's default)")
  int threads;

  @Option(names = "--out", description = "also write the table (Markdown) to this file")
  Path out;

  @Override
  public Integer call() throws IOException {
    Device device = threads == 0 ? DnalabEngine.startDefault()
        : DnalabEngine.start(new DnalabEngine.Settings(threads, 1,
            DnalabEngine.DeviceChoice.CPU, null));
    DatasetCatalog catalog = DatasetCatalog.fromEnvironment();
    CorpusSpec corpusSpec = new CorpusSpec(genome, List.of(new CorpusSpec.GenomeSource(genome,
        1)), 0.0, true, 0.05);
    long loadStart = System.nanoTime();
    Corpus corpus = Corpus.load(corpusSpec, catalog);
    Map<String, String> checksums = Map.of(genome, catalog.genome(genome).entry().sha256());
    PrintStream err = System.err;
    long[] split = corpus.splitBases();
    err.printf(Locale.ROOT, "corpus %s: %d training / %d held-out bases, loaded in %.1f s%n",
        genome, split[0], split[1], (System.nanoTime() - loadStart) / 1e9);
    ModelSpec.Bert model = new ModelSpec.Bert(layers, hidden, Math.max(1, hidden / 32),
        2 * hidden, 0.0, false, ModelSpec.Pooling.CLS, true);
    Pretrainer pretrainer = new Pretrainer(device, null, 0);
    List<Row> rows = new ArrayList<>();
    long benchStart = System.nanoTime();
    for (String run : runs) {
      boolean sixMers = run.endsWith("-6mer");
      TokenizerSpec tokenizerSpec = sixMers ? new TokenizerSpec.Kmer(6, true)
          : new TokenizerSpec.Nucleotide();
      Tokenizer tokenizer = Tokenizers.create(tokenizerSpec, name -> List.of(), List::of,
          io.dnalab.tokenize.TrainingProgress.NONE);
      Objective objective = objective(sixMers ? run.substring(0, run.length() - 5) : run);
      PretrainSpec.Pretrain spec = new PretrainSpec.Pretrain(objective, corpusSpec, steps,
          batchSize, window, learningRate, Math.max(1, steps / 10), 0.01,
          Math.max(1, steps / 5), evalWindows, 1);
      PretrainResult result = pretrainer.run(spec, new Pretrainer.Inputs(tokenizer,
          tokenizerSpec, model, corpus, checksums), progress(err, run));
      rows.add(new Row(run, tokenizerSpec.id(), result));
    }
    String table = table(rows, model, device, (System.nanoTime() - benchStart) / 60e9);
    System.out.println(table);
    if (out != null) {
      Files.writeString(out, table);
    }
    return 0;
  }

  static Objective objective(String name) {
    return switch (name) {
      case "mlm" -> Objective.TokenMlm.bert();
      case "spanmlm" -> Objective.SpanMlm.spanBert();
      case "randommask" -> Objective.RandomMask.defaults();
      case "nexttoken" -> new Objective.NextToken();
      default -> throw new IllegalArgumentException("--runs: unknown objective \"" + name
          + "\"; known: mlm, spanmlm, randommask, nexttoken (append -6mer for overlapping "
          + "6-mers)");
    };
  }

  private static TrainingListener progress(PrintStream err, String run) {
    return new TrainingListener() {
      private long start = System.nanoTime();

      @Override
      public void onPretrainEvaluation(long step, double trainLoss,
          PretrainResult.Metrics heldOut, PretrainResult.Metrics baseline) {
        err.printf(Locale.ROOT, "  %-14s step %5d  train %.3f  held-out %.3f / %.3f  "
                + "(unigram %.3f / %.3f)  %.0f s%n", run, step, trainLoss, heldOut.loss(),
            heldOut.accuracy(), baseline.loss(), baseline.accuracy(),
            (System.nanoTime() - start) / 1e9);
      }
    };
  }

  record Row(String run, String tokenizer, PretrainResult result) {}

  private String table(List<Row> rows, ModelSpec.Bert model, Device device, double minutes) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "Pretraining objectives on %s windows of %d bp: BERT "
            + "%d × %d (%d heads, GEGLU %d, ALiBi, dropout 0), %d steps × batch %d, AdamW lr "
            + "%.0e (10%% warm-up, cosine), seed 1, %d held-out windows; %s; total %.1f min%n%n",
        genome, window, model.layers(), model.hidden(), model.heads(), model.intermediate(),
        steps, batchSize, learningRate, evalWindows, DnalabEngine.describe(device), minutes));
    sb.append("| objective | tokenizer | held-out loss | unigram loss | Δ loss | held-out acc "
        + "| unigram acc | predicted positions | parameters | tokens seen | train PFLOP | wall s |\n");
    sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Row row : rows) {
      PretrainResult r = row.result();
      sb.append(String.format(Locale.ROOT,
          "| %s | %s | %.3f | %.3f | %+.3f | %.3f | %.3f | %d | %,d | %,d | %.4f | %.0f |%n",
          row.run(), row.tokenizer(), r.heldOut().loss(), r.baseline().loss(),
          r.heldOut().loss() - r.baseline().loss(), r.heldOut().accuracy(),
          r.baseline().accuracy(), r.heldOut().positions(), r.cost().parameters(),
          r.cost().tokensSeen(), r.cost().flops() / 1e15, r.cost().wallSeconds()));
    }
    sb.append("\nLoss: mean cross-entropy in nats per predicted token (masked tokens; next-token: "
        + "every next token). Unigram: the token frequencies of 512 training windows predicting "
        + "the same positions. Per-token figures are not comparable across tokenizers: with "
        + "overlapping 6-mers, whole-k-mer masking hides single bases, so a masked 6-mer is "
        + "known up to its hidden base(s) from its visible neighbours.\n");
    sb.append("\nLearning curves (step: train loss / held-out loss / held-out acc):\n\n");
    for (Row row : rows) {
      sb.append("- ").append(row.run()).append(": ");
      Map<Long, double[]> byStep = new LinkedHashMap<>();
      for (PretrainResult.CurvePoint point : row.result().curve()) {
        double[] values = byStep.computeIfAbsent(point.step(), s -> new double[3]);
        if (point.split().equals("train")) {
          values[0] = point.loss();
        } else {
          values[1] = point.loss();
          values[2] = point.accuracy();
        }
      }
      List<String> parts = new ArrayList<>();
      byStep.forEach((step, v) -> parts.add(String.format(Locale.ROOT, "%d: %.3f / %.3f / %.3f",
          step, v[0], v[1], v[2])));
      sb.append(String.join(", ", parts)).append('\n');
    }
    return sb.toString();
  }
}
