package io.dnalab.spec;

import java.util.stream.Collectors;

/**
 * Combinations of the grid that cannot run, whatever the budget. {@link ExperimentSpec} checks
 * every cell left after its exclusion rules, so a mistake fails where the spec is stated, naming
 * the cell and the exclude rule that leaves it out. The rules read the model's
 * {@link ModelSpec.Family} capabilities, so a new family needs no line here.
 */
final class Compatibility {
  private Compatibility() {}

  static void check(ExperimentSpec.Cell cell) {
    ModelSpec.Family family = cell.model().family();
    String model = cell.model().id();
    if (!family.reads(cell.tokenizer())) {
      throw new SpecException("tokenizer", "cell " + cell.label() + " cannot run: " + model
          + " reads " + family.inputs() + "; leave it out with exclude { model("
          + family.dslVerb() + "); tokenizer(" + cell.tokenizer().id() + ") }");
    }
    if (!(cell.pretrain() instanceof PretrainSpec.Pretrain pretrain)) {
      return;
    }
    if (!family.hasEncoder()) {
      throw new SpecException("pretrain", "cell " + cell.label() + " cannot run: " + model
          + " has no token encoder to pretrain (it only trains from scratch); leave it out with "
          + "exclude { model(" + family.dslVerb() + "); pretrain(" + pretrain.id() + ") }");
    }
    if (!family.canPretrainWith(pretrain.objective())) {
      String causalFamilies = ModelSpec.FAMILIES.stream().filter(ModelSpec.Family::causal)
          .map(ModelSpec.Family::jsonTag).collect(Collectors.joining(", "));
      throw new SpecException("pretrain", "cell " + cell.label() + " cannot run: next-token "
          + "prediction needs an encoder that can run causally (" + causalFamilies + "); "
          + model + " sees both sides of every position. Leave it out with exclude { model("
          + family.dslVerb() + "); pretrain(nextToken(...)) }");
    }
  }
}
