package io.dnalab.spec;

/**
 * Which pooling a cell's classifier may use: one its pretraining actually trained.
 *
 * <ul>
 *   <li>Single-nucleotide cells fine-tune on {@code NucleotideEncoder}'s ids, which carry no
 *       [CLS]: "CLS" there would be the first base. They pool the MEAN; CLS is refused.
 *   <li>BPE, k-mer and tokenizer-file cells put [CLS] first in fine-tuning, and their pretraining
 *       windows carry the same [CLS]/[SEP] (since objective versions mlm 2, spanmlm 3,
 *       randommask 2, nexttoken 2). AUTO is CLS there, as DNABERT-2 fine-tunes, except after
 *       next-token pretraining: the encoder ran causally, so [CLS], at position 0, attended to
 *       nothing but itself and its features never summarised a sequence; AUTO is MEAN there
 *       (an explicit CLS is still allowed: the token was a pretraining input).
 * </ul>
 *
 * A tokenizer file is assumed to add [CLS] as the tokenizers dnalab writes do; it is read only
 * when the cell runs.
 */
public final class PoolingRule {
  private PoolingRule() {}

  /** Whether cells with {@code tokenizer} put [CLS] at the first position of every input. */
  public static boolean putsClsFirst(TokenizerSpec tokenizer) {
    return !(tokenizer instanceof TokenizerSpec.Nucleotide);
  }

  /**
   * The concrete pooling of {@code requested} for an input that does or does not start with
   * [CLS] and an encoder pretrained causally (next-token) or not.
   */
  public static ModelSpec.Pooling resolve(ModelSpec.Pooling requested, boolean clsFirst,
      boolean causallyPretrained) {
    if (requested != ModelSpec.Pooling.AUTO) {
      return requested;
    }
    return clsFirst && !causallyPretrained ? ModelSpec.Pooling.CLS : ModelSpec.Pooling.MEAN;
  }

  /**
   * {@code cell} with its model's pooling resolved ({@link ModelSpec.Pooling#AUTO} replaced by
   * MEAN or CLS); the cell itself when its model has no pooling choice.
   *
   * @throws SpecException when the cell asks for CLS pooling but its inputs have no [CLS],
   *     naming the cell
   */
  public static ExperimentSpec.Cell resolved(ExperimentSpec.Cell cell) {
    if (!(cell.model() instanceof ModelSpec.Bert bert)) {
      return cell;
    }
    boolean clsFirst = putsClsFirst(cell.tokenizer());
    if (bert.pooling() == ModelSpec.Pooling.CLS && !clsFirst) {
      throw new SpecException("model.pooling", "cell " + cell.label() + " asks for CLS pooling,"
          + " but " + cell.tokenizer().id() + " inputs carry no [CLS] (the first position is"
          + " the first base, and pretraining never saw a [CLS]); use pooling MEAN or AUTO");
    }
    boolean causal = cell.pretrain() instanceof PretrainSpec.Pretrain pretrain
        && pretrain.objective() instanceof Objective.NextToken;
    ModelSpec.Pooling pooling = resolve(bert.pooling(), clsFirst, causal);
    return pooling == bert.pooling() ? cell : new ExperimentSpec.Cell(cell.task(),
        cell.tokenizer(), bert.withPooling(pooling), cell.pretrain());
  }
}
