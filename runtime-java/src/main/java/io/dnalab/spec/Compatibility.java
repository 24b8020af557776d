package io.dnalab.spec;

/**
 * Combinations of the grid that cannot run, whatever the budget. {@link ExperimentSpec} checks
 * every cell left after its exclusion rules, so a mistake fails where the spec is stated, naming
 * the cell and the exclude rule that leaves it out.
 */
final class Compatibility {
  private Compatibility() {}

  static void check(ExperimentSpec.Cell cell) {
    if (cell.model() instanceof ModelSpec.CnnBaseline
        && !(cell.tokenizer() instanceof TokenizerSpec.Nucleotide)) {
      throw new SpecException("tokenizer", "cell " + cell.label() + " cannot run: cnn-baseline "
          + "reads single-nucleotide ids only (its embedding has the rows of A, C, G, T, N); "
          + "leave it out with exclude { model(cnnBaseline()); tokenizer("
          + cell.tokenizer().id() + ") }");
    }
    if (cell.model() instanceof ModelSpec.CnnBaseline
        && !(cell.pretrain() instanceof PretrainSpec.None)) {
      throw new SpecException("pretrain", "cell " + cell.label() + " cannot run: cnn-baseline "
          + "has no token encoder to pretrain (it only trains from scratch); leave it out with "
          + "exclude { model(cnnBaseline()); pretrain(" + cell.pretrain().id() + ") }");
    }
    if (cell.pretrain() instanceof PretrainSpec.Pretrain pretrain
        && pretrain.objective() instanceof Objective.NextToken
        && !(cell.model() instanceof ModelSpec.Bert)) {
      throw new SpecException("pretrain", "cell " + cell.label() + " cannot run: next-token "
          + "prediction needs an encoder that can run causally (bert); " + cell.model().id()
          + " sees both sides of every position. Leave it out with exclude { model(...); "
          + "pretrain(nextToken(...)) }");
    }
  }
}
