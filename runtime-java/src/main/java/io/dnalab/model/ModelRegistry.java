package io.dnalab.model;

import ai.djl.nn.Block;
import io.dnalab.spec.ModelSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every model family's code, keyed by its spec record: {@link Models}, {@code train.Flops} and the
 * planner's estimates dispatch through here instead of switching over the families. A new family
 * is one line below (its {@link ModelFamily}), next to its record and line in
 * {@link ModelSpec#FAMILIES}.
 */
public final class ModelRegistry {
  private static final Map<Class<? extends ModelSpec>, ModelFamily<?>> FAMILIES = index(
      new ConvNovaFamily(),
      new CnnBaselineFamily(),
      new UNetFamily(),
      new BertFamily(),
      new StandardBertFamily(),
      new EsmFamily());

  private ModelRegistry() {}

  private static Map<Class<? extends ModelSpec>, ModelFamily<?>> index(
      ModelFamily<?>... families) {
    Map<Class<? extends ModelSpec>, ModelFamily<?>> byType = new LinkedHashMap<>();
    for (ModelFamily<?> family : families) {
      if (byType.put(family.specType(), family) != null) {
        throw new IllegalStateException("two registry entries for " + family.specType());
      }
    }
    // The spec layer and the registry must list the same families, or a spec could be read that
    // no code builds (or the other way round).
    for (ModelSpec.Family family : ModelSpec.FAMILIES) {
      if (!byType.containsKey(family.type())) {
        throw new IllegalStateException("model family " + family.jsonTag()
            + " has no entry in ModelRegistry");
      }
    }
    return Map.copyOf(byType);
  }

  /** The entry of {@code spec}'s family. */
  @SuppressWarnings("unchecked") // entries are keyed by their own specType()
  public static <S extends ModelSpec> ModelFamily<S> family(S spec) {
    ModelFamily<?> family = FAMILIES.get(spec.getClass());
    if (family == null) {
      throw new IllegalArgumentException("no model family for " + spec.id());
    }
    return (ModelFamily<S>) family;
  }

  /** Every entry, in the order of {@link ModelSpec#FAMILIES}. */
  public static List<ModelFamily<?>> families() {
    return ModelSpec.FAMILIES.stream().map(family -> FAMILIES.get(family.type()))
        .collect(Collectors.toUnmodifiableList());
  }

  /** See {@link ModelFamily#codeVersion()}: what stage keys carry for {@code spec}'s family. */
  public static int codeVersion(ModelSpec spec) {
    return family(spec).codeVersion();
  }

  /** The code version of the family whose JSON tag is {@code jsonTag}; null if there is none. */
  public static Integer codeVersion(String jsonTag) {
    return ModelSpec.FAMILIES.stream().filter(family -> family.jsonTag().equals(jsonTag))
        .findFirst().map(family -> FAMILIES.get(family.type()).codeVersion()).orElse(null);
  }

  /** See {@link ModelFamily#forwardFlopsPerToken}. */
  public static double forwardFlopsPerToken(ModelSpec spec, Block model, int length) {
    return family(spec).forwardFlopsPerToken(spec, model, length);
  }

  /** See {@link ModelFamily#approximateParameters}. */
  public static double approximateParameters(ModelSpec spec) {
    return family(spec).approximateParameters(spec);
  }

  /** The JSON tags of the families with an encoder, for messages: "convnova, unet or bert". */
  static String familiesWithEncoder() {
    List<String> tags = ModelSpec.FAMILIES.stream().filter(ModelSpec.Family::hasEncoder)
        .map(ModelSpec.Family::jsonTag).toList();
    if (tags.size() < 2) {
      return String.join("", tags);
    }
    return String.join(", ", tags.subList(0, tags.size() - 1)) + " or " + tags.get(tags.size() - 1);
  }
}
