package io.dnalab.tokenize;

import java.util.ArrayList;
import java.util.List;

/**
 * Fixed-length k-mer tokens.
 *
 * <ul>
 *   <li><b>Overlapping</b> (DNABERT, stride 1, k from 3 to 6): a sequence of n bases gives n-k+1
 *       tokens, none when n &lt; k; a k-mer that holds N (or any non-ACGT letter) is {@code [UNK]},
 *       as DNABERT's vocabulary has only ACGT k-mers. Vocabulary: the five specials, then the 4^k
 *       k-mers in lexicographic order (A &lt; C &lt; G &lt; T).
 *   <li><b>Non-overlapping</b> (Nucleotide Transformer, usually k = 6): k-mers left to right; the
 *       ACGT run before an N (or any non-ACGT letter) or the end of the sequence that is shorter
 *       than k is tokenized base by base, and N itself is a single-base token, as the Nucleotide
 *       Transformer does. Vocabulary: specials, the 4^k k-mers, then {@code A C G T N}.
 * </ul>
 *
 * Hugging Face: non-overlapping is a WordLevel model with the Split pre-tokenizer
 * {@code [ACGT]{k}|.} (identical ids); overlapping is a WordLevel model with a WhitespaceSplit
 * pre-tokenizer, which Hugging Face applies to DNABERT's space-separated k-mer text (its own
 * convention: it has no overlapping pre-tokenizer).
 */
public final class KmerTokenizer extends AbstractTokenizer {
  /** As {@code TokenizerSpec.Kmer}: 4^8 = 65,536 k-mers is already far beyond published models. */
  public static final int MAX_K = 8;

  private final int k;
  private final boolean overlapping;
  private final byte[] normalizer;
  /** Id of each k-mer by its 2-bit code (A=0 C=1 G=2 T=3, first base most significant). */
  private final int[] kmerId;
  /** Id of a single normalized letter (non-overlapping leftovers and N); -1 for non-letters. */
  private final int[] singleId;
  private final int unk;

  /** dnalab's standard k-mer tokenizer. */
  public static KmerTokenizer create(int k, boolean overlapping) {
    if (k < 1 || k > MAX_K) {
      throw new IllegalArgumentException("k must be in 1.." + MAX_K + ", got " + k);
    }
    List<String> tokens = new ArrayList<>(SpecialTokens.NAMES);
    tokens.addAll(allKmers(k));
    if (!overlapping) {
      for (char c : "ACGTN".toCharArray()) {
        String single = String.valueOf(c);
        if (!tokens.contains(single)) {
          tokens.add(single);
        }
      }
    }
    return new KmerTokenizer(
        k,
        overlapping,
        Vocabulary.of(tokens),
        SpecialTokens.STANDARD,
        DnaAlphabet.normalizationTable(),
        defaultOptions(SpecialTokens.STANDARD));
  }

  /** All 4^k k-mers in lexicographic order; position = 2-bit code. */
  static List<String> allKmers(int k) {
    List<String> out = new ArrayList<>(1 << (2 * k));
    char[] bases = {'A', 'C', 'G', 'T'};
    char[] buf = new char[k];
    for (int code = 0; code < (1 << (2 * k)); code++) {
      for (int j = 0; j < k; j++) {
        buf[j] = bases[(code >>> (2 * (k - 1 - j))) & 3];
      }
      out.add(new String(buf));
    }
    return out;
  }

  KmerTokenizer(
      int k, boolean overlapping, Vocabulary vocabulary, SpecialTokens specials, byte[] normalizer, Options options) {
    super(vocabulary, specials, options);
    if (k < 1 || k > MAX_K) {
      throw new IllegalArgumentException("k must be in 1.." + MAX_K + ", got " + k);
    }
    this.k = k;
    this.overlapping = overlapping;
    this.normalizer = normalizer;
    this.unk = specials.unk();
    List<String> kmers = allKmers(k);
    kmerId = new int[kmers.size()];
    for (int code = 0; code < kmerId.length; code++) {
      int id = vocabulary.id(kmers.get(code));
      kmerId[code] = id >= 0 ? id : unk;
    }
    singleId = new int[256];
    for (int b = 0; b < 256; b++) {
      int id = vocabulary.id(String.valueOf((char) b));
      singleId[b] = id >= 0 ? id : unk;
    }
    singleId[DnaAlphabet.INVALID] = -1;
    if (unk < 0) {
      throw new IllegalArgumentException("a k-mer tokenizer needs an [UNK] token");
    }
  }

  public int k() {
    return k;
  }

  public boolean overlapping() {
    return overlapping;
  }

  byte[] normalizer() {
    return normalizer;
  }

  @Override
  public String type() {
    return "kmer";
  }

  @Override
  Tokenizer withOptions(Options options) {
    return new KmerTokenizer(k, overlapping, vocabulary, specials, normalizer, options);
  }

  @Override
  public void encodeTo(byte[] sequence, int from, int to, IntList out) {
    if (overlapping) {
      encodeOverlapping(sequence, from, to, out);
    } else {
      encodeNonOverlapping(sequence, from, to, out);
    }
  }

  private void encodeOverlapping(byte[] sequence, int from, int to, IntList out) {
    int size = out.size();
    out.ensureCapacity(size + Math.max(0, to - from - k + 1));
    int[] dst = out.array();
    byte[] norm = normalizer;
    int[] ids = kmerId;
    int mask = (1 << (2 * k)) - 1;
    int code = 0;
    int valid = 0; // ACGT bases since the last other letter
    int firstEmit = from + k - 1;
    for (int i = from; i < to; i++) {
      byte n = norm[sequence[i] & 0xFF];
      int c = DnaAlphabet.code(n);
      if (c >= 0) {
        code = ((code << 2) | c) & mask;
        valid++;
      } else {
        if (n == DnaAlphabet.INVALID) {
          out.setSize(size);
          throw DnaAlphabet.invalidByte(sequence, from, i);
        }
        valid = 0;
      }
      if (i >= firstEmit) {
        dst[size++] = valid >= k ? ids[code] : unk;
      }
    }
    out.setSize(size);
  }

  private void encodeNonOverlapping(byte[] sequence, int from, int to, IntList out) {
    int size = out.size();
    out.ensureCapacity(size + (to - from));
    int[] dst = out.array();
    byte[] norm = normalizer;
    int code = 0;
    int run = 0; // ACGT bases of the k-mer being read
    for (int i = from; i < to; i++) {
      byte n = norm[sequence[i] & 0xFF];
      int c = DnaAlphabet.code(n);
      if (c >= 0) {
        code = (code << 2) | c;
        if (++run == k) {
          dst[size++] = kmerId[code];
          run = 0;
          code = 0;
        }
        continue;
      }
      if (n == DnaAlphabet.INVALID) {
        out.setSize(size);
        throw DnaAlphabet.invalidByte(sequence, from, i);
      }
      size = flushSingles(sequence, i, run, dst, size);
      run = 0;
      code = 0;
      dst[size++] = singleId[n & 0xFF];
    }
    size = flushSingles(sequence, to, run, dst, size);
    out.setSize(size);
  }

  /** The {@code run} bases before {@code end}, one token each (a run shorter than k). */
  private int flushSingles(byte[] sequence, int end, int run, int[] dst, int size) {
    for (int j = end - run; j < end; j++) {
      dst[size++] = singleId[normalizer[sequence[j] & 0xFF] & 0xFF];
    }
    return size;
  }

  /**
   * Overlapping: the bases back from the k-mers (first k-mer, then the last base of each next
   * one; {@code [UNK]} stands for k unknown bases at the start or one after it, written N).
   * Non-overlapping: the tokens concatenated. Special tokens other than [UNK] are left out.
   */
  @Override
  public String decode(int[] ids) {
    if (!overlapping) {
      return super.decode(ids);
    }
    StringBuilder sb = new StringBuilder(ids.length + k);
    boolean first = true;
    for (int id : ids) {
      String token;
      if (id == unk) {
        token = "N".repeat(k);
      } else if (specials.isSpecial(id)) {
        continue;
      } else {
        token = vocabulary.token(id);
        if (token == null) {
          throw new IllegalArgumentException("id " + id + " is not in the vocabulary");
        }
      }
      if (first) {
        sb.append(token);
        first = false;
      } else {
        sb.append(token.charAt(token.length() - 1));
      }
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return "KmerTokenizer[k=" + k + (overlapping ? ", overlapping, " : ", non-overlapping, ") + describe() + "]";
  }
}
