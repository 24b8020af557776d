package io.dnalab.tokenize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * What every tokenizer shares: special-token template, truncation, padding, batching, decoding.
 * Subclasses implement the model ({@link #encodeTo}) and {@link #withOptions}.
 */
abstract class AbstractTokenizer implements Tokenizer {

  /** The options a {@code with...} call changes; everything else is shared between copies. */
  record Options(SpecialTemplate template, boolean addSpecialTokens, Truncation truncation, Padding padding) {}

  protected final Vocabulary vocabulary;
  protected final SpecialTokens specials;
  protected final Options options;

  AbstractTokenizer(Vocabulary vocabulary, SpecialTokens specials, Options options) {
    this.vocabulary = vocabulary;
    this.specials = specials;
    this.options = options;
    if (options.padding() != null && specials.pad() < 0) {
      throw new IllegalArgumentException("padding needs a [PAD] token, and the vocabulary has none");
    }
  }

  static Options defaultOptions(SpecialTokens specials) {
    return new Options(SpecialTemplate.clsSep(specials), true, null, null);
  }

  /** A copy with other options; the model is shared. */
  abstract Tokenizer withOptions(Options options);

  SpecialTemplate template() {
    return options.template();
  }

  @Override
  public Vocabulary vocabulary() {
    return vocabulary;
  }

  @Override
  public SpecialTokens specialTokens() {
    return specials;
  }

  @Override
  public boolean addsSpecialTokens() {
    return options.addSpecialTokens() && !options.template().isEmpty();
  }

  @Override
  public int[] specialTokensBefore() {
    return addsSpecialTokens() ? options.template().prefix().clone() : new int[0];
  }

  @Override
  public int[] specialTokensAfter() {
    return addsSpecialTokens() ? options.template().suffix().clone() : new int[0];
  }

  @Override
  public Truncation truncation() {
    return options.truncation();
  }

  @Override
  public Padding padding() {
    return options.padding();
  }

  @Override
  public Tokenizer withSpecialTokens(boolean add) {
    return withOptions(new Options(options.template(), add, options.truncation(), options.padding()));
  }

  @Override
  public Tokenizer withTruncation(Truncation truncation) {
    return withOptions(new Options(options.template(), options.addSpecialTokens(), truncation, options.padding()));
  }

  @Override
  public Tokenizer withPadding(Padding padding) {
    return withOptions(new Options(options.template(), options.addSpecialTokens(), options.truncation(), padding));
  }

  @Override
  public Encoding encode(CharSequence sequence) {
    Encoding unpadded = encodeUnpadded(sequence);
    Padding padding = options.padding();
    return padding == null ? unpadded : pad(unpadded, padding.target(unpadded.length()), padding);
  }

  @Override
  public List<Encoding> encodeBatch(List<? extends CharSequence> sequences) {
    Encoding[] encodings = new Encoding[sequences.size()];
    IntStream.range(0, encodings.length)
        .parallel()
        .forEach(i -> encodings[i] = encodeUnpadded(sequences.get(i)));
    Padding padding = options.padding();
    if (padding != null) {
      int longest = 0;
      for (Encoding e : encodings) {
        longest = Math.max(longest, e.length());
      }
      int target = padding.target(longest);
      for (int i = 0; i < encodings.length; i++) {
        encodings[i] = pad(encodings[i], target, padding);
      }
    }
    return List.of(encodings);
  }

  /** Model tokens, truncated, with the template's special tokens. */
  private Encoding encodeUnpadded(CharSequence sequence) {
    byte[] bytes = DnaAlphabet.bytes(sequence);
    IntList model = new IntList(bytes.length + 8);
    encodeTo(bytes, 0, bytes.length, model);
    SpecialTemplate template = addsSpecialTokens() ? options.template() : SpecialTemplate.NONE;
    int keep = model.size();
    int start = 0;
    Truncation truncation = options.truncation();
    if (truncation != null) {
      int room = Math.max(0, truncation.maxLength() - template.count());
      if (keep > room) {
        if (truncation.direction() == Truncation.Direction.LEFT) {
          start = keep - room;
        }
        keep = room;
      }
    }
    int n = template.count() + keep;
    int[] ids = new int[n];
    int[] special = new int[n];
    int k = 0;
    for (int id : template.prefix()) {
      special[k] = 1;
      ids[k++] = id;
    }
    System.arraycopy(model.array(), start, ids, k, keep);
    k += keep;
    for (int id : template.suffix()) {
      special[k] = 1;
      ids[k++] = id;
    }
    int[] attention = new int[n];
    Arrays.fill(attention, 1);
    return new Encoding(ids, attention, special, vocabulary);
  }

  private Encoding pad(Encoding e, int target, Padding padding) {
    int n = e.length();
    if (n >= target) {
      return e;
    }
    int[] ids = new int[target];
    int[] attention = new int[target];
    int[] special = new int[target];
    Arrays.fill(ids, specials.pad());
    Arrays.fill(special, 1);
    int offset = padding.direction() == Padding.Direction.LEFT ? target - n : 0;
    System.arraycopy(e.ids(), 0, ids, offset, n);
    System.arraycopy(e.attentionMask(), 0, attention, offset, n);
    System.arraycopy(e.specialTokensMask(), 0, special, offset, n);
    return new Encoding(ids, attention, special, vocabulary);
  }

  /** Concatenates the token strings, special tokens left out (Hugging Face's skip_special_tokens). */
  @Override
  public String decode(int[] ids) {
    StringBuilder sb = new StringBuilder(ids.length * 4);
    for (int id : ids) {
      if (specials.isSpecial(id)) {
        continue;
      }
      String token = vocabulary.token(id);
      if (token == null) {
        throw new IllegalArgumentException("id " + id + " is not in the vocabulary of size " + vocabulary.size());
      }
      sb.append(token);
    }
    return sb.toString();
  }

  /** Helper for subclasses' toString. */
  protected List<String> describe() {
    List<String> parts = new ArrayList<>();
    parts.add("vocab=" + vocabulary.count());
    if (options.truncation() != null) {
      parts.add("truncation=" + options.truncation());
    }
    if (options.padding() != null) {
      parts.add("padding=" + options.padding());
    }
    return parts;
  }
}
