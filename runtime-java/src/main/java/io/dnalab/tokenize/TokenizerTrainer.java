package io.dnalab.tokenize;

import java.nio.file.Path;
import java.util.List;

/** Turns a corpus into a {@link Tokenizer}. Trainers are apart from the tokenizers they make. */
public interface TokenizerTrainer {

  /** Trains on FASTA or gzip FASTA files, streamed from disk. */
  Tokenizer train(List<Path> fastaFiles);

  /** Trains on sequences in memory, e.g. the training split of a task. */
  Tokenizer train(Iterable<? extends CharSequence> sequences);
}
