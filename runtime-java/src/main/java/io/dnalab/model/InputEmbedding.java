package io.dnalab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * The input layer of the convolutional encoders: token ids to channels.
 *
 * <pre>
 * ids (B, L) int64 ─► (B, L, C)
 *   nucleotide vocabulary: fixed one-hot rows, C = 5 (A, C, G, T, N; PAD is all zeros)
 *   any other vocabulary : a learned table (V, C), C = the width the encoder asks for, drawn
 *                          N(0, 1) as torch.nn.Embedding; the pad id's output is zeroed (mask)
 * </pre>
 *
 * The complement view reads, at each position, the row of {@code complementIds[id]} (the token
 * with every base complemented, not reversed; see {@link InputVocabulary}). For the nucleotide
 * vocabulary that is one-hot(3 − id) with N and PAD unchanged, exactly ConvNova's complement input.
 */
final class InputEmbedding extends AbstractBlock {
  private final InputVocabulary vocabulary;
  private final int channels;
  private final Parameter table; // (V, C), null for the fixed one-hot input

  /** @param learnedWidth C of the learned table; ignored for the nucleotide vocabulary (C = 5) */
  InputEmbedding(InputVocabulary vocabulary, int learnedWidth) {
    super((byte) 1);
    this.vocabulary = vocabulary;
    if (vocabulary.nucleotide()) {
      channels = io.dnalab.data.Dna.BASE_IDS;
      table = null;
    } else {
      channels = learnedWidth;
      table = addParameter(Parameter.builder().setName("embedding")
          .setType(Parameter.Type.WEIGHT)
          .optShape(new Shape(vocabulary.size(), learnedWidth))
          .optInitializer(new NormalInitializer(1f))
          .build());
    }
  }

  /** C, the channels per position. */
  int channels() {
    return channels;
  }

  /** The learned table (V, C), or null for the fixed one-hot input. */
  Parameter table() {
    return table;
  }

  /** (B, L) ids -> (B, L, C), of the tokens themselves or of their complements. */
  NDArray embed(ParameterStore ps, NDArray ids, boolean training, boolean complement) {
    if (table == null) {
      return Layers.lookup(ids, Layers.oneHotTable(ids.getManager(), complement));
    }
    NDArray weights = ps.getValue(table, ids.getDevice(), training); // (V, C)
    if (complement) {
      // row v of the complement table is row complementIds[v] of the table: (V, C)
      NDArray complementIds = ids.getManager().create(toLongs(vocabulary.complementIds()));
      weights = Layers.lookup(complementIds, weights);
    }
    NDArray rows = Layers.lookup(ids, weights); // (B, L, C)
    NDArray notPad = ids.neq(vocabulary.padId()).toType(rows.getDataType(), false)
        .expandDims(2); // (B, L, 1)
    return rows.mul(notPad);
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    return new NDList(embed(ps, inputs.get(0), training, false));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1), channels)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... shapes) {
    // no children; the table's shape is fixed by the vocabulary
  }

  private static long[] toLongs(int[] values) {
    long[] out = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
