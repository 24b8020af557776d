/**
 * Tokenizers for DNA: how sequences become token ids, and back.
 *
 * <h2>Use</h2>
 *
 * <pre>{@code
 * Tokenizer nt     = KmerTokenizer.create(6, false);                 // Nucleotide Transformer 6-mers
 * Tokenizer dnabert = KmerTokenizer.create(6, true);                 // DNABERT overlapping 6-mers
 * Tokenizer bases  = NucleotideTokenizer.create();
 * BpeTokenizer bpe = BpeTrainer.builder().vocabSize(4096).build()    // DNABERT-2 size
 *     .train(List.of(Path.of("chr20.fa.gz")));                       // or .train(sequences)
 * bpe.save(Path.of("tokenizer.json"));                               // Hugging Face format
 * Tokenizer loaded = HfTokenizerJson.load(Path.of("tokenizer.json")); // ours, or DNABERT-2's
 * Encoding e = loaded.withTruncation(Truncation.right(512)).withPadding(Padding.batchLongest())
 *     .encodeBatch(List.of("ACGT...", "TTGA...")).get(0);            // ids, attentionMask
 * TokenizerStatistics stats = TokenizerStatistics.ofFasta(bpe, files); // bases/token, frequencies
 * }</pre>
 *
 * <h2>Decisions</h2>
 *
 * <ul>
 *   <li><b>Input policy</b> ({@link io.dnalab.tokenize.DnaAlphabet}): lowercase (soft-masked) is
 *       read as uppercase, IUPAC ambiguity codes as N, other letters become [UNK], non-letters are
 *       an error naming the position. FASTA files are read by {@code io.dnalab.data.FastaReader}
 *       under {@code BasePolicy.LENIENT_CORPUS} (errors name file, line, column and value; IUPAC
 *       codes read as N are counted). Empty FASTA records are skipped (counted); a corpus with no
 *       A/C/G/T at all is an error.
 *   <li><b>Training chunks</b> ({@code CorpusChunks}): DNA has no whitespace; the corpus is cut at
 *       every non-ACGT base and record end, then into chunks of 1000 bases. The Hugging Face and
 *       SentencePiece peers are fed the same chunks ({@code bench/peers/dna_chunks.py}).
 *   <li><b>Same merges as Hugging Face</b>: {@link io.dnalab.tokenize.BpeTrainer} makes Hugging
 *       Face {@code BpeTrainer}'s choices (ids, counts, tie-break on the smallest (left id, right
 *       id) pair, token reuse), so on the same chunks the vocabularies and merges are identical
 *       (tested on GUE tf_0 and on 2 Mbp of chr20).
 *   <li><b>Same ids as Hugging Face</b>: every tokenizer's ids equal Hugging Face's on 2,400 real
 *       sequences (see {@code src/test/resources/tokenize/generate_golden.py}). BPE encoding uses
 *       an exact linear-time backtracking encoder ({@code BpeBacktracking}) when the vocabulary
 *       allows it, rank buckets or Hugging Face's heap otherwise.
 *   <li><b>tokenizer.json</b> ({@link io.dnalab.tokenize.HfTokenizerJson}): BPE and WordLevel;
 *       our files carry the input policy as {@code Replace} normalizers so Hugging Face reads
 *       lowercase and IUPAC input the same way. Overlapping k-mers are a WordLevel model that
 *       Hugging Face applies to DNABERT's space-separated k-mer text.
 *   <li><b>{@code ids.bin}</b>: see {@link io.dnalab.tokenize.TokenIdsFile}.
 * </ul>
 */
package io.dnalab.tokenize;
