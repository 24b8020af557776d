package io.dnalab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.dnalab.spec.ModelSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * ConvNova's backbone (Bo et al., ICLR 2025; {@code aim-uofa/ConvNova,
 * src/models/ConvNova/convnova.py, CNNModel}) up to its per-position output: what
 * {@link ConvNova} pools for classification and what a {@link LanguageModel} predicts tokens from.
 *
 * <pre>
 * ids (B, L) ──embed──► (B, L, E) ─T─► stem Conv1d(E→d, k=9) + GELU ─► x  (B, d, L)
 *          └─embed complementIds[ids]─► rc stem Conv1d + GELU      ─► rc (B, d, L)
 * for block i (dilation [1, 1, base^0, base^1, …] capped at 1024):
 *     g  = sigmoid(GateConv_i(LN_rc_i(rc)))        (B, d, L)
 *     h  = GELU(Conv_i(LN_i(x)))                   (B, d, L)
 *     x  = x + h · g ;  rc = rc + g                (the gate, not h, feeds the complement branch)
 *     [feed-forward] x = x + LN(GELU(Linear(x)))   (per position, over channels)
 * head: y = MLP(x) + x with MLP = Linear(d→fd) GELU Linear(fd→fd) LN Linear(fd→fd) GELU
 *       Linear(fd→d) LN   (f = headFactor, the authors' d_inner)        (B, L, d) = output
 * </pre>
 *
 * Input: for the single-nucleotide vocabulary, embed is the authors' fixed one-hot (E = 5) and
 * the complement input is one-hot(3 − id), N stays N, not reversed. For any other vocabulary
 * (k-mers, BPE) embed is a learned table (V, E) with E = d, N(0, 1) as torch.nn.Embedding, the pad
 * id's rows zeroed; the complement branch embeds {@code complementIds[id]} from the same table
 * (the token with its bases complemented, or the id itself when that token is not in the
 * vocabulary), the counterpart of the one-hot complement. This adds V·d parameters and changes
 * the stems to Conv1d(d→d, 9).
 *
 * <p>Choices documented against the authors' code: the stem kernel is 9 in both published
 * configurations (hard-coded there, independent of the block kernel); dropout is 0.0 in both
 * fine-tuning configurations and is left out; LayerNorms are {@code torch.nn.LayerNorm} (eps 1e-5)
 * over channels. Padding: the authors pad on the left and pool over padding too; here padded
 * positions are zeroed after the stem and after every block (their outputs are not meaningful),
 * so a sequence's features do not depend on the padding around it. Centred kernels see both
 * sides: the encoder cannot run causally.
 *
 * <p>Parameters (nucleotide input), Genomic Benchmarks configuration (d 64, k 5, f 4): stems
 * 2·(5·64·9+64) = 5,888; convs+gates 2·5·(64·64·5+64) = 205,440; block LNs 2·5·128 = 1,280; head
 * 16,640+65,792+512+65,792+16,448+128 = 165,312 → 377,920. Nucleotide Transformer configuration
 * (d 128, k 9, f 2): 11,776 + 1,475,840 + 2,560 + 198,272 = 1,688,448.
 */
public final class ConvNovaEncoder extends TokenEncoder {
  /** The authors hard-code the stem convolutions' kernel to 9 ({@code nn.Conv1d(5, d, 9, padding=4)}). */
  public static final int STEM_KERNEL = 9;
  /** Dilations stop growing here, as in the authors' {@code dilation_max=1024}. */
  public static final int MAX_DILATION = 1024;

  private final ModelSpec.ConvNova spec;
  private final int[] dilations;
  private final InputEmbedding embedding;
  private final Conv1d stem;
  private final Conv1d complementStem;
  private final List<LayerNorm> norms = new ArrayList<>();
  private final List<LayerNorm> complementNorms = new ArrayList<>();
  private final List<Conv1d> convs = new ArrayList<>();
  private final List<Conv1d> gates = new ArrayList<>();
  private final List<SequentialBlock> feedForwards = new ArrayList<>();
  private final SequentialBlock head;

  public ConvNovaEncoder(ModelSpec.ConvNova spec, InputVocabulary vocabulary) {
    super((byte) 1, vocabulary);
    this.spec = spec;
    int d = spec.width();
    this.dilations = dilationSchedule(spec.blocks(), spec.dilationBase());
    // Children and parameters are created here, in forward order (DJL's block recipe).
    embedding = addChildBlock("embedding", new InputEmbedding(vocabulary, d));
    int e = embedding.channels();
    stem = addChildBlock("stem", Layers.sameConv(e, d, STEM_KERNEL, 1));
    complementStem = addChildBlock("complement_stem", Layers.sameConv(e, d, STEM_KERNEL, 1));
    for (int i = 0; i < dilations.length; i++) {
      norms.add(addChildBlock("norm_" + i, Layers.layerNormChannelsLast()));
      complementNorms.add(addChildBlock("complement_norm_" + i, Layers.layerNormChannelsLast()));
      convs.add(addChildBlock("conv_" + i, Layers.sameConv(d, d, spec.kernelSize(), dilations[i])));
      gates.add(addChildBlock("gate_" + i, Layers.sameConv(d, d, spec.kernelSize(), dilations[i])));
      if (spec.feedForward()) {
        feedForwards.add(addChildBlock("ffn_" + i, new SequentialBlock()
            .add(Layers.linear(d, d))
            .add(Activation::gelu)
            .add(Layers.layerNormChannelsLast())));
      }
    }
    int inner = d * spec.headFactor();
    head = addChildBlock("head", new SequentialBlock()
        .add(Layers.linear(d, inner))
        .add(Activation::gelu)
        .add(Layers.linear(inner, inner))
        .add(Layers.layerNormChannelsLast())
        .add(Layers.linear(inner, inner))
        .add(Activation::gelu)
        .add(Layers.linear(inner, d))
        .add(Layers.layerNormChannelsLast()));
  }

  /** {@code [1, 1, base^0, base^1, …]} capped at {@link #MAX_DILATION}, one entry per block. */
  public static int[] dilationSchedule(int blocks, int base) {
    int[] dilations = new int[blocks];
    for (int i = 0; i < blocks; i++) {
      dilations[i] = i < 2 ? 1 : (int) Math.min(MAX_DILATION, Math.pow(base, i - 2));
    }
    return dilations;
  }

  /**
   * Positions one output sees: the stem adds 8, block i adds (k − 1)·dilation_i.
   * NT config: 1 + 8 + 8·(1+1+1+4+16) = 193.
   */
  public int receptiveField() {
    int field = 1 + (STEM_KERNEL - 1);
    for (int dilation : dilations) {
      field += (spec.kernelSize() - 1) * dilation;
    }
    return field;
  }

  public ModelSpec.ConvNova spec() {
    return spec;
  }

  @Override
  public int hiddenSize() {
    return spec.width();
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray ids = inputs.get(0); // (B, L)
    NDArray mask = maskOf(inputs); // (B, L) or null
    NDArray channelMask = mask == null ? null : mask.expandDims(1); // (B, 1, L)
    NDList branches = stems(ps, ids, training);
    NDArray x = branches.get(0); // (B, d, L)
    NDArray rc = branches.get(1); // (B, d, L)
    if (channelMask != null) {
      x = x.mul(channelMask);
      rc = rc.mul(channelMask);
    }
    for (int i = 0; i < dilations.length; i++) {
      // LayerNorm over channels needs them last: (B, d, L) -> (B, L, d) -> back.
      NDArray h = norms.get(i).forward(ps, new NDList(x.transpose(0, 2, 1)), training).head()
          .transpose(0, 2, 1);
      NDArray rcH = complementNorms.get(i)
          .forward(ps, new NDList(rc.transpose(0, 2, 1)), training).head().transpose(0, 2, 1);
      NDArray gate = gates.get(i).forward(ps, new NDList(rcH), training).head().getNDArrayInternal()
          .sigmoid();
      h = Activation.gelu(convs.get(i).forward(ps, new NDList(h), training).head());
      x = h.mul(gate).add(x);
      rc = gate.add(rc);
      if (spec.feedForward()) {
        NDArray ffn = feedForwards.get(i)
            .forward(ps, new NDList(x.transpose(0, 2, 1)), training).head(); // (B, L, d)
        x = ffn.transpose(0, 2, 1).add(x);
      }
      if (channelMask != null) {
        x = x.mul(channelMask);
        rc = rc.mul(channelMask);
      }
    }
    NDArray positions = x.transpose(0, 2, 1); // (B, L, d)
    positions = head.forward(ps, new NDList(positions), training).head().add(positions);
    return new NDList(positions); // (B, L, d)
  }

  /**
   * The two stems: the forward branch sees embed(ids), the complement branch
   * embed(complementIds[ids]) at the same positions. (B, L) -> [x (B, d, L), rc (B, d, L)],
   * after GELU.
   */
  NDList stems(ParameterStore ps, NDArray ids, boolean training) {
    // (B, L) -> (B, L, E) -> (B, E, L)
    NDArray forward = embedding.embed(ps, ids, training, false).transpose(0, 2, 1);
    NDArray complement = embedding.embed(ps, ids, training, true).transpose(0, 2, 1);
    NDArray x = Activation.gelu(stem.forward(ps, new NDList(forward), training).head());
    NDArray rc = Activation.gelu(complementStem.forward(ps, new NDList(complement), training)
        .head());
    return new NDList(x, rc);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    long batch = inputShapes[0].get(0);
    long length = inputShapes[0].get(1);
    int d = spec.width();
    Shape embedded = new Shape(batch, embedding.channels(), length);
    Shape channelsFirst = new Shape(batch, d, length);
    Shape channelsLast = new Shape(batch, length, d);
    embedding.initialize(manager, dataType, inputShapes[0]);
    stem.initialize(manager, dataType, embedded);
    complementStem.initialize(manager, dataType, embedded);
    for (int i = 0; i < dilations.length; i++) {
      norms.get(i).initialize(manager, dataType, channelsLast);
      complementNorms.get(i).initialize(manager, dataType, channelsLast);
      convs.get(i).initialize(manager, dataType, channelsFirst);
      gates.get(i).initialize(manager, dataType, channelsFirst);
      if (spec.feedForward()) {
        feedForwards.get(i).initialize(manager, dataType, channelsLast);
      }
    }
    head.initialize(manager, dataType, channelsLast);
  }
}
