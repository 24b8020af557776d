package io.dnalab.bench;

import ai.djl.Device;
import io.dnalab.data.Corpus;
import io.dnalab.data.DatasetCatalog;
import io.dnalab.data.LoadOptions;
import io.dnalab.data.SequenceTask;
import io.dnalab.engine.DnalabEngine;
import io.dnalab.metrics.Spread;
import io.dnalab.spec.CorpusSpec;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.Objective;
import io.dnalab.spec.PretrainSpec;
import io.dnalab.spec.TaskSpec;
import io.dnalab.spec.TokenizerSpec;
import io.dnalab.tokenize.Tokenizer;
import io.dnalab.tokenize.Tokenizers;
import io.dnalab.train.FineTuneConfig;
import io.dnalab.train.FineTuneResult;
import io.dnalab.train.FineTuner;
import io.dnalab.train.LearningRateSchedule;
import io.dnalab.train.PretrainCheckpoints;
import io.dnalab.train.PretrainResult;
import io.dnalab.train.Pretrainer;
import io.dnalab.train.TrainingListener;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dnalab bench pretrain-gain}: what pretraining buys. The same small BERT and tokenizer
 * fine-tuned on GUE tasks from random initialisation and from a token-MLM checkpoint pretrained
 * on human chr20, same fine-tuning budget, several seeds; test MCC gain (paired by seed) with its
 * spread, and the pretraining cost beside it.
 */
@Command(name = "pretrain-gain", mixinStandardHelpOptions = true,
    description = "Pretrained vs random init, same small BERT, tokenizer and fine-tuning budget, "
        + "on GUE tasks; MCC gain with spread and the pretraining cost.")
public final class PretrainGainBench implements Callable<Integer> {

  @Option(names = "--tasks", split = ",", defaultValue = "prom_core_all,tf_0")
  List<String> tasks;

  @Option(names = "--seeds", defaultValue = "3")
  int seeds;

  @Option(names = "--pretrain-steps", defaultValue = "400")
  int pretrainSteps;

  @Option(names = "--epochs", defaultValue = "2")
  int epochs;

  @Option(names = "--max-train", defaultValue = "2000",
      description = "fine-tune on at most this many training examples (same subset every run)")
  int maxTrain;

  @Option(names = "--batch-size", defaultValue = "32")
  int batchSize;

  @Option(names = "--lr", defaultValue = "5e-4", description = "fine-tuning peak learning rate")
  double learningRate;

  @Option(names = "--layers", defaultValue = "2")
  int layers;

  @Option(names = "--hidden", defaultValue = "128")
  int hidden;

  @Option(names = "--out", description = "also write the table (Markdown) to this file")
  Path out;

  @Override
  public Integer call() throws IOException {
    Device device = DnalabEngine.startDefault();
    DatasetCatalog catalog = DatasetCatalog.fromEnvironment();
    PrintStream err = System.err;
    long benchStart = System.nanoTime();
    ModelSpec.Bert model = new ModelSpec.Bert(layers, hidden, Math.max(1, hidden / 32),
        2 * hidden, 0.0, false, ModelSpec.Pooling.MEAN, true);
    TokenizerSpec tokenizerSpec = new TokenizerSpec.Nucleotide();
    Tokenizer tokenizer = Tokenizers.create(tokenizerSpec, name -> List.of(), List::of,
        io.dnalab.tokenize.TrainingProgress.NONE);

    CorpusSpec corpusSpec = CorpusSpec.humanOnly();
    Corpus corpus = Corpus.load(corpusSpec, catalog);
    String genome = corpusSpec.genomes().get(0).id();
    PretrainSpec.Pretrain pretrainSpec = new PretrainSpec.Pretrain(Objective.TokenMlm.bert(),
        corpusSpec, pretrainSteps, 16, 128, 1e-3, Math.max(1, pretrainSteps / 10), 0.01,
        Math.max(1, pretrainSteps / 4), 256, 1);
    Pretrainer pretrainer = new Pretrainer(device, PretrainCheckpoints.fromEnvironment(),
        Math.max(1, pretrainSteps / 4));
    PretrainResult pretrained = pretrainer.run(pretrainSpec, new Pretrainer.Inputs(tokenizer,
        tokenizerSpec, model, corpus, Map.of(genome, catalog.genome(genome).entry().sha256())),
        TrainingListener.NONE);
    err.printf(Locale.ROOT, "pretrained %s%s: held-out MLM loss %.3f (unigram %.3f), %.0f s%n",
        pretrained.key().substring(0, 12), pretrained.reused() ? " (reused)" : "",
        pretrained.heldOut().loss(), pretrained.baseline().loss(),
        pretrained.cost().wallSeconds());

    FineTuner tuner = new FineTuner(new io.dnalab.train.TokenizerEncoder(tokenizer), device);
    List<String> lines = new ArrayList<>();
    for (String taskName : tasks) {
      SequenceTask task = catalog.load(new TaskSpec.Gue(taskName),
          LoadOptions.defaults().withOffline(true));
      double[] scratch = new double[seeds];
      double[] fromPretrained = new double[seeds];
      double scratchFlops = 0;
      for (int seed = 1; seed <= seeds; seed++) {
        FineTuneConfig config = new FineTuneConfig(epochs, learningRate, batchSize, 0.01,
            LearningRateSchedule.Kind.WARMUP_COSINE, 0.1, 0.1, 1.0, 0, "mcc", 256, maxTrain,
            seed);
        FineTuneResult a = tuner.run(task, model, null, config, TrainingListener.NONE);
        FineTuneResult b = tuner.run(task, model, pretrained.encoderFile(), config,
            TrainingListener.NONE);
        scratch[seed - 1] = 100 * a.test().mcc();
        fromPretrained[seed - 1] = 100 * b.test().mcc();
        scratchFlops = a.flops();
        err.printf(Locale.ROOT, "%-14s seed %d  test MCC random init %6.2f  pretrained %6.2f  "
            + "(%.0f s + %.0f s)%n", taskName, seed, scratch[seed - 1], fromPretrained[seed - 1],
            a.wallSeconds(), b.wallSeconds());
      }
      double[] gain = new double[seeds];
      for (int i = 0; i < seeds; i++) {
        gain[i] = fromPretrained[i] - scratch[i];
      }
      lines.add(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.2e |", taskName,
          Spread.of(scratch).format(2), Spread.of(fromPretrained).format(2),
          Spread.of(gain).format(2), scratchFlops));
    }
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "Pretraining gain: BERT %d × %d (%d heads, GEGLU %d, "
            + "ALiBi, dropout 0, mean pooling), nucleotide tokens; fine-tuning %d epoch(s) on at most %d "
            + "training examples, batch %d, lr %.0e, %d seeds (paired); %s; total %.1f min%n%n",
        layers, hidden, model.heads(), model.intermediate(), epochs, maxTrain, batchSize,
        learningRate, seeds, DnalabEngine.describe(device),
        (System.nanoTime() - benchStart) / 60e9));
    sb.append(String.format(Locale.ROOT, "Pretraining: token MLM on %s, %d steps × 16 windows "
            + "of 128 bp: held-out masked loss %.3f vs unigram %.3f (acc %.3f vs %.3f); cost "
            + "%,d parameters, %,d tokens, %.0f s, %.2e FLOPs, %s%n%n", genome, pretrainSteps,
        pretrained.heldOut().loss(), pretrained.baseline().loss(),
        pretrained.heldOut().accuracy(), pretrained.baseline().accuracy(),
        pretrained.cost().parameters(), pretrained.cost().tokensSeen(),
        pretrained.cost().wallSeconds(), pretrained.cost().flops(), pretrained.cost().device()));
    sb.append("| task | test MCC random init | test MCC pretrained | gain (paired) "
        + "| fine-tuning FLOPs per run |\n|---|---:|---:|---:|---:|\n");
    lines.forEach(line -> sb.append(line).append('\n'));
    System.out.println(sb);
    if (out != null) {
      Files.writeString(out, sb.toString());
    }
    return 0;
  }
}
