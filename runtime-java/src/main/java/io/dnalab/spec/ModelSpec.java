package io.dnalab.spec;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which architecture is trained. Sizes are explicit so a run can be rebuilt from its spec.
 *
 * <p>Each record is one model family; {@link #FAMILIES} states, per family, what the spec layer
 * needs without the model code (JSON tag, capabilities). The code of a family (blocks, FLOPs,
 * time estimate, code version) is its entry in {@code io.dnalab.model.ModelRegistry}. A new
 * family is a record here plus its line in {@link #FAMILIES}, and an entry in that registry.
 */
public sealed interface ModelSpec {

  /**
   * The spec-level facts of every family, one entry per record of this interface (a test checks
   * that none is missing). {@link SpecJson} reads and writes model specs with their tags;
   * {@link Compatibility} checks every cell of a grid against their capabilities.
   */
  List<Family> FAMILIES = List.of(
      new Family(ConvNova.class, "convnova", "convNova()", true, false, Family.ANY_TOKENIZER,
          "any tokenizer's ids"),
      new Family(CnnBaseline.class, "cnn", "cnnBaseline()", false, false,
          Set.of(TokenizerSpec.Nucleotide.class),
          "single-nucleotide ids only (its embedding has the rows of A, C, G, T, N)"),
      new Family(UNet.class, "unet", "unet()", true, false, Family.ANY_TOKENIZER,
          "any tokenizer's ids"),
      new Family(Bert.class, "bert", "bert()", true, true, Family.ANY_TOKENIZER,
          "any tokenizer's ids"),
      new Family(StandardBert.class, "standardbert", "standardBert()", true, false,
          Family.ANY_TOKENIZER, "any tokenizer's ids, up to maxPositions per sequence"),
      new Family(Esm.class, "esm", "esm()", true, false, Family.ANY_TOKENIZER,
          "any tokenizer's ids, up to maxPositions − padId − 1 per sequence"));

  /** A short stable name for tables. */
  String id();

  /** The spec-level facts of this spec's family. */
  default Family family() {
    return Family.of(getClass());
  }

  /**
   * What the spec layer knows of a model family.
   *
   * @param type the record of this interface that states the family's sizes
   * @param jsonTag its {@code "type"} in spec files ({@code {"type": "convnova", ...}})
   * @param dslVerb the DSL call that builds one, for messages that suggest an exclusion rule
   * @param hasEncoder whether it has a per-position token encoder: pretraining trains that
   *     encoder, so a family without one only trains from scratch (and cannot be frozen)
   * @param causal whether that encoder can run causally (position i sees positions ≤ i only), as
   *     next-token prediction needs
   * @param tokenizers the tokenizer kinds whose ids it reads
   * @param inputs how messages describe those ids ("any tokenizer's ids")
   */
  record Family(Class<? extends ModelSpec> type, String jsonTag, String dslVerb,
      boolean hasEncoder, boolean causal, Set<Class<? extends TokenizerSpec>> tokenizers,
      String inputs) {

    /** Every tokenizer kind, including ones added after the family. */
    @SuppressWarnings("unchecked")
    public static final Set<Class<? extends TokenizerSpec>> ANY_TOKENIZER =
        Arrays.stream(TokenizerSpec.class.getPermittedSubclasses())
            .map(c -> (Class<? extends TokenizerSpec>) c).collect(Collectors.toUnmodifiableSet());

    public Family {
      tokenizers = Set.copyOf(tokenizers);
      if (causal && !hasEncoder) {
        throw new IllegalArgumentException(jsonTag + ": only an encoder can run causally");
      }
    }

    /** The family of a record of this interface. */
    public static Family of(Class<? extends ModelSpec> type) {
      for (Family family : FAMILIES) {
        if (family.type == type) {
          return family;
        }
      }
      throw new IllegalStateException(type.getName() + " has no entry in ModelSpec.FAMILIES");
    }

    /** Whether it reads the ids of {@code tokenizer}. */
    public boolean reads(TokenizerSpec tokenizer) {
      return tokenizers.contains(tokenizer.getClass());
    }

    /**
     * Whether pretraining with {@code objective} can run: there is an encoder to pretrain, and it
     * runs causally when the objective predicts the next token.
     */
    public boolean canPretrainWith(Objective objective) {
      return hasEncoder && (causal || !(objective instanceof Objective.NextToken));
    }
  }

  /**
   * ConvNova (ICLR 2025): gated dilated convolutions over one-hot nucleotides, with a complement
   * branch. {@link #genomicBenchmarks()} and {@link #nucleotideTransformer()} are its authors'
   * configurations.
   */
  record ConvNova(int width, int kernelSize, int blocks, int dilationBase, int headFactor,
      boolean feedForward) implements ModelSpec {
    public ConvNova {
      SpecException.positive("model.width", width);
      SpecException.inRange("model.kernelSize", kernelSize, 1, 63);
      SpecException.inRange("model.blocks", blocks, 1, 64);
      SpecException.inRange("model.dilationBase", dilationBase, 1, 16);
      SpecException.inRange("model.headFactor", headFactor, 1, 8);
    }

    /** Genomic Benchmarks configuration: width 64, kernel 5, ≈0.38M parameters. */
    public static ConvNova genomicBenchmarks() {
      return new ConvNova(64, 5, 5, 4, 4, false);
    }

    /** Nucleotide Transformer benchmark configuration: width 128, kernel 9, ≈1.69M parameters. */
    public static ConvNova nucleotideTransformer() {
      return new ConvNova(128, 9, 5, 4, 2, false);
    }

    @Override
    public String id() {
      return "convnova-d" + width + "-k" + kernelSize;
    }
  }

  /** The Genomic Benchmarks CNN baseline: three conv + batch-norm + pool stages, dense layer. */
  record CnnBaseline() implements ModelSpec {
    @Override
    public String id() {
      return "cnn-baseline";
    }
  }

  /** A 1-D convolutional encoder–decoder with skip connections and a pooled head. */
  record UNet(int depth, int width) implements ModelSpec {
    public UNet {
      SpecException.inRange("model.depth", depth, 1, 8);
      SpecException.positive("model.width", width);
    }

    @Override
    public String id() {
      return "unet-" + depth + "x" + width;
    }
  }

  /**
   * How a classifier turns per-position features into one vector per sequence. A cell's pooling
   * must be one its pretraining trained: {@link PoolingRule} resolves {@link #AUTO} per cell and
   * refuses {@link #CLS} where there is no [CLS].
   */
  enum Pooling {
    /** Mean over real (unpadded) positions. */
    MEAN,
    /** The first position, where tokenizers that add special tokens put [CLS]. */
    CLS,
    /**
     * The pooling the cell's input and pretraining trained ({@link PoolingRule#resolve}):
     * {@link #CLS} where the tokenizer puts [CLS] first and the encoder was pretrained with it
     * (or not pretrained), {@link #MEAN} otherwise. The default.
     */
    AUTO
  }

  /**
   * A BERT-style encoder with ALiBi and GEGLU, as DNABERT-2 ({@link #dnabert2()}). Its classifier
   * is DNABERT-2's {@code BertForSequenceClassification}: BERT's pooler (dense + tanh on the
   * pooled vector), dropout {@code dropout}, then the linear output layer.
   *
   * @param layers transformer layers
   * @param hidden H, the width of every position's features
   * @param heads attention heads (H must be divisible by them)
   * @param intermediate I, the feed-forward width (GEGLU: H → 2·I → gelu(gate)·value → H)
   * @param dropout DNABERT-2's {@code hidden_dropout_prob}: on the embeddings, the attention
   *     output, the feed-forward hidden layer (once, before {@code wo}) and the classifier head
   *     (DNABERT-2: 0.1; used only in training)
   * @param attentionDropout DNABERT-2's {@code attention_probs_dropout_prob}, on the attention
   *     probabilities (DNABERT-2: 0.0); left out of a spec file it is 0.0
   * @param preNorm LayerNorm before each sub-layer (plus a final one) instead of after the
   *     residual sum as BERT / DNABERT-2 do
   * @param pooling how a classifier pools the features (DNABERT-2 fine-tunes on [CLS]); AUTO,
   *     the default, is resolved per cell by {@link PoolingRule}
   * @param tiedHead whether a language-model head's decoder reuses the token embedding (BERT)
   */
  record Bert(int layers, int hidden, int heads, int intermediate, double dropout,
      double attentionDropout, boolean preNorm, Pooling pooling, boolean tiedHead)
      implements ModelSpec {
    /** DNABERT-2's {@code attention_probs_dropout_prob}. */
    public static final double DNABERT2_ATTENTION_DROPOUT = 0.0;

    public Bert {
      SpecException.inRange("model.layers", layers, 1, 48);
      SpecException.positive("model.hidden", hidden);
      SpecException.positive("model.heads", heads);
      SpecException.positive("model.intermediate", intermediate);
      if (hidden % heads != 0) {
        throw new SpecException("model.heads",
            "hidden (" + hidden + ") must be divisible by heads (" + heads + ")");
      }
      if (!(dropout >= 0 && dropout < 1)) {
        throw new SpecException("model.dropout", "must be in [0, 1), got " + dropout);
      }
      if (!(attentionDropout >= 0 && attentionDropout < 1)) {
        throw new SpecException("model.attentionDropout",
            "must be in [0, 1), got " + attentionDropout);
      }
      if (pooling == null) {
        throw new SpecException("model.pooling", "must be MEAN, CLS or AUTO, got null");
      }
    }

    /** With DNABERT-2's attention-probability dropout (0.0). */
    public Bert(int layers, int hidden, int heads, int intermediate, double dropout,
        boolean preNorm, Pooling pooling, boolean tiedHead) {
      this(layers, hidden, heads, intermediate, dropout, DNABERT2_ATTENTION_DROPOUT, preNorm,
          pooling, tiedHead);
    }

    /**
     * DNABERT-2's recipe (dropout 0.1, attention-probability dropout 0.0, post-norm, tied head)
     * at these sizes, with {@link Pooling#AUTO} pooling: [CLS] as DNABERT-2 wherever the cell's
     * tokenizer puts one first and its pretraining trained it, the mean elsewhere.
     */
    public Bert(int layers, int hidden, int heads, int intermediate) {
      this(layers, hidden, heads, intermediate, 0.1, false, Pooling.AUTO, true);
    }

    /** DNABERT-2 (Zhou et al. 2024): 12 layers, 768 wide, 12 heads, feed-forward 3072. */
    public static Bert dnabert2() {
      return new Bert(12, 768, 12, 3072);
    }

    public Bert withDropout(double value) {
      return new Bert(layers, hidden, heads, intermediate, value, attentionDropout, preNorm,
          pooling, tiedHead);
    }

    public Bert withAttentionDropout(double value) {
      return new Bert(layers, hidden, heads, intermediate, dropout, value, preNorm, pooling,
          tiedHead);
    }

    public Bert withPooling(Pooling value) {
      return new Bert(layers, hidden, heads, intermediate, dropout, attentionDropout, preNorm,
          value, tiedHead);
    }

    public Bert withPreNorm(boolean value) {
      return new Bert(layers, hidden, heads, intermediate, dropout, attentionDropout, value,
          pooling, tiedHead);
    }

    @Override
    public String id() {
      return "bert-" + layers + "x" + hidden + (preNorm ? "-prenorm" : "");
    }
  }

  /**
   * BERT as Devlin et al. and {@code transformers}' {@code BertModel} build it, the architecture
   * of DNABERT (Ji et al. 2021, {@link #dnabert6()}): learned absolute position embeddings, token
   * types (row 0 used), separate query/key/value projections, GELU feed-forward with biases,
   * post-norm LayerNorms (eps 1e-12). Its classifier is BERT's: pooler (dense + tanh on [CLS]),
   * dropout, linear output layer.
   *
   * @param layers transformer layers
   * @param hidden H
   * @param heads attention heads (H divisible by them)
   * @param intermediate I, the feed-forward width (H → I → gelu → H)
   * @param maxPositions rows of the position table: the longest input in tokens
   * @param typeVocabSize rows of the token-type table (BERT: 2)
   * @param dropout {@code hidden_dropout_prob} (embeddings, attention output, feed-forward
   *     output, classifier head)
   * @param attentionDropout {@code attention_probs_dropout_prob}
   * @param pooling how a classifier pools the features (BERT: CLS)
   */
  record StandardBert(int layers, int hidden, int heads, int intermediate, int maxPositions,
      int typeVocabSize, double dropout, double attentionDropout, Pooling pooling)
      implements ModelSpec {
    public StandardBert {
      SpecException.inRange("model.layers", layers, 1, 48);
      SpecException.positive("model.hidden", hidden);
      SpecException.positive("model.heads", heads);
      SpecException.positive("model.intermediate", intermediate);
      SpecException.positive("model.maxPositions", maxPositions);
      SpecException.positive("model.typeVocabSize", typeVocabSize);
      if (hidden % heads != 0) {
        throw new SpecException("model.heads",
            "hidden (" + hidden + ") must be divisible by heads (" + heads + ")");
      }
      if (!(dropout >= 0 && dropout < 1) || !(attentionDropout >= 0 && attentionDropout < 1)) {
        throw new SpecException("model.dropout", "dropout rates must be in [0, 1), got "
            + dropout + " and " + attentionDropout);
      }
      if (pooling == null) {
        throw new SpecException("model.pooling", "must be MEAN or CLS, got null");
      }
    }

    /** DNABERT (6-mer), as {@code zhihan1996/DNA_bert_6}: BERT-base, 512 positions. */
    public static StandardBert dnabert6() {
      return new StandardBert(12, 768, 12, 3072, 512, 2, 0.1, 0.1, Pooling.CLS);
    }

    @Override
    public String id() {
      return "standardbert-" + layers + "x" + hidden;
    }
  }

  /**
   * The ESM encoder as {@code transformers}' {@code EsmModel} builds it, the architecture of the
   * Nucleotide Transformer v1 (Dalla-Torre et al. 2024): learned absolute positions offset past
   * the padding id (position of token t = padId + 1 + t), embeddings zeroed at padding, pre-norm
   * layers (LayerNorm → attention → residual; LayerNorm → GELU feed-forward with biases →
   * residual), a final LayerNorm. Its classifier pools as {@code pooling} says: at {@code <cls>}
   * (CLS) through ESM's dense + tanh head, as {@code EsmForSequenceClassification} fine-tunes a
   * Nucleotide Transformer checkpoint; by MEAN into one linear layer.
   *
   * @param layers transformer layers
   * @param hidden H
   * @param heads attention heads
   * @param intermediate I, the feed-forward width
   * @param maxPositions rows of the position table (NT v1: 1002)
   * @param layerNormEps the LayerNorms' epsilon (NT v1: 1e-12)
   * @param dropout {@code hidden_dropout_prob} (attention and feed-forward outputs)
   * @param attentionDropout {@code attention_probs_dropout_prob}
   * @param pooling how a classifier pools the features (NT's fine-tuning: CLS)
   */
  record Esm(int layers, int hidden, int heads, int intermediate, int maxPositions,
      double layerNormEps, double dropout, double attentionDropout, Pooling pooling)
      implements ModelSpec {
    public Esm {
      SpecException.inRange("model.layers", layers, 1, 64);
      SpecException.positive("model.hidden", hidden);
      SpecException.positive("model.heads", heads);
      SpecException.positive("model.intermediate", intermediate);
      SpecException.positive("model.maxPositions", maxPositions);
      if (hidden % heads != 0) {
        throw new SpecException("model.heads",
            "hidden (" + hidden + ") must be divisible by heads (" + heads + ")");
      }
      if (!(layerNormEps > 0)) {
        throw new SpecException("model.layerNormEps", "must be positive, got " + layerNormEps);
      }
      if (!(dropout >= 0 && dropout < 1) || !(attentionDropout >= 0 && attentionDropout < 1)) {
        throw new SpecException("model.dropout", "dropout rates must be in [0, 1), got "
            + dropout + " and " + attentionDropout);
      }
      if (pooling == null) {
        throw new SpecException("model.pooling", "must be MEAN or CLS, got null");
      }
    }

    /**
     * Nucleotide Transformer v1, 500M (InstaDeepAI/nucleotide-transformer-500m-human-ref): 24
     * layers, 1280 wide, 20 heads, feed-forward 5120, 1002 positions.
     */
    public static Esm nucleotideTransformer500m() {
      return new Esm(24, 1280, 20, 5120, 1002, 1e-12, 0.0, 0.0, Pooling.CLS);
    }

    @Override
    public String id() {
      return "esm-" + layers + "x" + hidden;
    }
  }
}
