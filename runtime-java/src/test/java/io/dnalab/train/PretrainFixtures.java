package io.dnalab.train;

import io.dnalab.data.Corpus;
import io.dnalab.engine.DnalabEngine;
import io.dnalab.spec.CorpusSpec;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.Objective;
import io.dnalab.spec.PretrainSpec;
import io.dnalab.spec.TokenizerSpec;
import io.dnalab.tokenize.NucleotideTokenizer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** A small learnable corpus and a tiny BERT, shared by pretraining tests and their child JVM. */
final class PretrainFixtures {
  private PretrainFixtures() {}

  static final ModelSpec.Bert TINY_BERT =
      new ModelSpec.Bert(2, 64, 4, 128, 0.0, false, ModelSpec.Pooling.CLS, true);

  /**
   * A 400 kb genome of low-complexity segments: runs of 100 to 300 bases, each with one dominant
   * base (drawn per segment) taken with probability 0.8, else a uniform base. A masked base is
   * then ~85% predictable from the composition of its neighbours, on either side (ALiBi's
   * distance bias is symmetric, so direction is not needed), while the unigram baseline, which
   * knows only the overall base frequencies, gets about 25-30%.
   */
  static Path segmentGenome(Path dir) {
    Path file = dir.resolve("segments.fa.gz");
    if (Files.isRegularFile(file)) {
      return file;
    }
    Random random = new Random(42);
    StringBuilder fasta = new StringBuilder(">segments\n");
    int written = 0;
    while (written < 400_000) {
      char dominant = "ACGT".charAt(random.nextInt(4));
      int length = 100 + random.nextInt(201);
      for (int i = 0; i < length; i++) {
        fasta.append(random.nextDouble() < 0.8 ? dominant : "ACGT".charAt(random.nextInt(4)));
        if (++written % 80 == 0) {
          fasta.append('\n');
        }
      }
    }
    fasta.append('\n');
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(fasta.toString().getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  static final CorpusSpec SEGMENTS = new CorpusSpec("segments",
      List.of(new CorpusSpec.GenomeSource("segments", 1)), 0.0, true, 0.1);

  static PretrainSpec.Pretrain spec(Objective objective, int steps, int evalEvery) {
    return new PretrainSpec.Pretrain(objective, SEGMENTS, steps, 16, 128, 2e-3,
        Math.max(1, steps / 10), 0.01, evalEvery, 64, 7);
  }

  static Pretrainer.Inputs inputs(Path dir) {
    Corpus corpus = Corpus.load(SEGMENTS, Map.of("segments", segmentGenome(dir)));
    return new Pretrainer.Inputs(NucleotideTokenizer.create(), new TokenizerSpec.Nucleotide(),
        TINY_BERT, corpus, Map.of("segments", "synthetic"));
  }

  static Pretrainer pretrainer(Path checkpointRoot, int checkpointEvery) {
    return new Pretrainer(DnalabEngine.startDefault(),
        checkpointRoot == null ? null : new PretrainCheckpoints(checkpointRoot), checkpointEvery);
  }
}
