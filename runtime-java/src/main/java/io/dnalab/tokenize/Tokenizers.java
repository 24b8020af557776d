package io.dnalab.tokenize;

import io.dnalab.spec.TokenizerSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/** Builds the tokenizer a {@link TokenizerSpec} describes (the experiment engine's entry point). */
public final class Tokenizers {
  private Tokenizers() {}

  /**
   * The tokenizer of {@code spec}.
   *
   * @param corpusFiles resolves a BPE corpus name (e.g. a genome of the dataset catalog) to FASTA files
   * @param taskSequences the task's training sequences, used when a BPE spec names no corpus
   * @param progress training progress (BPE only)
   */
  public static Tokenizer create(
      TokenizerSpec spec,
      Function<String, List<Path>> corpusFiles,
      Supplier<? extends Iterable<? extends CharSequence>> taskSequences,
      TrainingProgress progress) {
    if (spec instanceof TokenizerSpec.Nucleotide) {
      return NucleotideTokenizer.create();
    }
    if (spec instanceof TokenizerSpec.Kmer kmer) {
      return KmerTokenizer.create(kmer.k(), kmer.overlapping());
    }
    if (spec instanceof TokenizerSpec.FromFile file) {
      return HfTokenizerJson.load(file.path());
    }
    if (spec instanceof TokenizerSpec.VocabFile vocab) {
      // The tokenizer files beside vocab.txt (special tokens) belong to it.
      Path folder = vocab.path().toAbsolutePath().getParent();
      return switch (vocab.layout()) {
        case DNABERT -> DnabertTokenizer.load(folder);
        case NUCLEOTIDE_TRANSFORMER -> NucleotideTransformerTokenizer.load(folder);
      };
    }
    if (spec instanceof TokenizerSpec.Bpe bpe) {
      BpeTrainer trainer = BpeTrainer.builder().vocabSize(bpe.vocabSize()).progress(progress).build();
      if (bpe.corpus().isEmpty()) {
        return trainer.train(taskSequences.get());
      }
      List<Path> files = bpe.corpus().stream().flatMap(name -> corpusFiles.apply(name).stream()).toList();
      return trainer.train(files);
    }
    throw new IllegalArgumentException("unknown tokenizer spec " + spec);
  }

  /**
   * The tokenizer a training stage reads: the trained one in {@code trainedFolder}
   * ({@code tokenizer.json}, written by the engine's tokenizer stage), or, for tokenizers that need
   * no training (nucleotide, k-mer, a {@code tokenizer.json} file, a checkpoint's {@code
   * vocab.txt}), the one its spec builds.
   */
  public static Tokenizer forStage(TokenizerSpec spec, Path trainedFolder) {
    if (trainedFolder != null) {
      return HfTokenizerJson.load(trainedFolder.resolve(TRAINED_FILE));
    }
    if (spec instanceof TokenizerSpec.Bpe) {
      throw new IllegalStateException(spec.id() + " must be trained by its stage first");
    }
    if (spec instanceof TokenizerSpec.Nucleotide) {
      return NucleotideTokenizer.oneHotLayout(); // the ids models and NucleotideEncoder share
    }
    return create(spec, name -> List.of(), List::of, TrainingProgress.NONE);
  }

  /** The file a trained tokenizer is kept in inside its stage folder. */
  public static final String TRAINED_FILE = "tokenizer.json";
}
