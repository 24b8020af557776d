package io.dnalab.tokenize;

import io.dnalab.data.BasePolicy;
import io.dnalab.data.FastaReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How a tokenizer cuts a corpus: bases per token, how long its vocabulary entries are, and how
 * often each token occurs. Plain Java values (lists of records and sorted maps) that the DSL turns
 * into DataFrames and plots.
 *
 * @param sequences sequences (records) encoded
 * @param bases bases read
 * @param tokens model tokens produced (no special tokens)
 * @param tokenCounts occurrences of each id, indexed by id
 */
public record TokenizerStatistics(long sequences, long bases, long tokens, long[] tokenCounts, Vocabulary vocabulary, SpecialTokens specials) {

  /** One row of the token-frequency table. */
  public record TokenCount(int id, String token, int length, long count, double fraction) {}

  /** Occurrences of each id (a copy). */
  @Override
  public long[] tokenCounts() {
    return tokenCounts.clone();
  }

  /** Bases per token (for overlapping k-mers about 1: each token moves one base on). */
  public double basesPerToken() {
    return tokens == 0 ? 0.0 : (double) bases / tokens;
  }

  /** Vocabulary entries (special tokens left out) by length in bases: length to count. */
  public SortedMap<Integer, Integer> vocabularyLengths() {
    SortedMap<Integer, Integer> out = new TreeMap<>();
    for (int id = 0; id < vocabulary.size(); id++) {
      String t = vocabulary.token(id);
      if (t != null && !specials.isSpecial(id)) {
        out.merge(t.length(), 1, Integer::sum);
      }
    }
    return Collections.unmodifiableSortedMap(out);
  }

  /** Token occurrences in the corpus by token length: length to occurrences. */
  public SortedMap<Integer, Long> tokenLengthsInCorpus() {
    SortedMap<Integer, Long> out = new TreeMap<>();
    for (int id = 0; id < tokenCounts.length; id++) {
      if (tokenCounts[id] > 0) {
        String t = vocabulary.token(id);
        int length = t == null || specials.isSpecial(id) ? 0 : t.length();
        out.merge(length, tokenCounts[id], Long::sum);
      }
    }
    return Collections.unmodifiableSortedMap(out);
  }

  /** Every vocabulary entry with its count, most frequent first (ties by id). */
  public List<TokenCount> tokenFrequencies() {
    List<TokenCount> rows = new ArrayList<>(tokenCounts.length);
    for (int id = 0; id < tokenCounts.length; id++) {
      String t = vocabulary.token(id);
      if (t == null) {
        continue;
      }
      int length = specials.isSpecial(id) ? 0 : t.length();
      rows.add(new TokenCount(id, t, length, tokenCounts[id], tokens == 0 ? 0 : (double) tokenCounts[id] / tokens));
    }
    rows.sort(Comparator.comparingLong(TokenCount::count).reversed().thenComparingInt(TokenCount::id));
    return rows;
  }

  /** Vocabulary entries never produced on this corpus (special tokens left out). */
  public long unusedTokens() {
    long unused = 0;
    for (int id = 0; id < tokenCounts.length; id++) {
      if (vocabulary.token(id) != null && !specials.isSpecial(id) && tokenCounts[id] == 0) {
        unused++;
      }
    }
    return unused;
  }

  /** Statistics of a tokenizer on sequences in memory. */
  public static TokenizerStatistics of(Tokenizer tokenizer, Iterable<? extends CharSequence> sequences) {
    Accumulator acc = new Accumulator(tokenizer);
    IntList ids = new IntList(1024);
    for (CharSequence s : sequences) {
      byte[] bytes = DnaAlphabet.bytes(s);
      ids.clear();
      tokenizer.encodeTo(bytes, 0, bytes.length, ids);
      acc.add(bytes.length, ids);
    }
    return acc.result();
  }

  /** Statistics of a tokenizer on FASTA files (one sequence per record). */
  public static TokenizerStatistics ofFasta(Tokenizer tokenizer, List<Path> files) {
    Accumulator acc = new Accumulator(tokenizer);
    IntList ids = new IntList(1024);
    for (Path file : files) {
      RecordBuffer record = new RecordBuffer();
      FastaReader.read(file, BasePolicy.LENIENT_CORPUS, record.handler(bytes -> {
        ids.clear();
        tokenizer.encodeTo(bytes.data(), 0, bytes.length(), ids);
        acc.add(bytes.length(), ids);
      }));
    }
    return acc.result();
  }

  /** Adds up encodings one sequence at a time. Not thread-safe. */
  public static final class Accumulator {
    private final Tokenizer tokenizer;
    private final long[] counts;
    private long sequences;
    private long bases;
    private long tokens;

    public Accumulator(Tokenizer tokenizer) {
      this.tokenizer = tokenizer;
      this.counts = new long[tokenizer.vocabSize()];
    }

    /** One sequence of {@code sequenceBases} bases and its model tokens. */
    public void add(long sequenceBases, IntList ids) {
      sequences++;
      bases += sequenceBases;
      tokens += ids.size();
      int[] a = ids.array();
      for (int i = 0, n = ids.size(); i < n; i++) {
        counts[a[i]]++;
      }
    }

    public TokenizerStatistics result() {
      return new TokenizerStatistics(
          sequences, bases, tokens, counts.clone(), tokenizer.vocabulary(), tokenizer.specialTokens());
    }
  }
}
