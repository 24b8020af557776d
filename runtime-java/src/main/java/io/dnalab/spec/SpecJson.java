package io.dnalab.spec;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.OptBoolean;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.InjectableValues;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * {@link ExperimentSpec} as JSON, for {@code dnalab run SPEC.json} and for the DSL to print the
 * spec it built. Each sealed type is an object with a {@code type} field:
 *
 * <pre>
 * {"name": "scratch", "seeds": 3,
 *  "tasks": [{"type": "gue", "name": "prom_core_all"}],
 *  "tokenizers": [{"type": "nucleotide"}],
 *  "models": [{"type": "convnova", "width": 64, "kernelSize": 5, "blocks": 5,
 *              "dilationBase": 4, "headFactor": 4, "feedForward": false},
 *             {"type": "cnn"}],
 *  "pretraining": [{"type": "none"}],
 *  "finetune": {"epochs": 3, "learningRate": 0.001},
 *  "exclude": [{"models": [{"type": "cnn"}], "pretraining": [{"type": "none"}]}]}
 * </pre>
 *
 * Types: task gue | builtin | local; tokenizer nucleotide | kmer | bpe | file; model convnova |
 * cnn | unet | bert (the tags of {@link ModelSpec#FAMILIES}); pretraining none | pretrain (with an objective mlm | spanmlm | randommask |
 * nexttoken and a corpus, see {@link PretrainSpec.Pretrain}; its {@code seeds}, the number of
 * pretraining seeds, may be left out: 1) | checkpoint ({@code source}, the {@code model} and
 * {@code tokenizer} it was resolved to, {@code pretrained}; see {@link PretrainSpec.Checkpoint}).
 * Unknown fields are errors;
 * every field of {@code finetune} (a {@code recipe} object as {@link Recipe} writes it, and the
 * fields that override it, see {@link FinetuneSpec}), {@code exclude} and each field
 * of an exclusion rule ({@code tasks}, {@code tokenizers}, {@code models}, {@code pretraining})
 * may be left out (empty). The spec records are not annotated; the mapping lives here (Jackson
 * mix-ins).
 *
 * <p>{@link #canonical} writes any spec value as canonical JSON (sorted keys, no white space), the
 * text whose sha256 keys the stages of the experiment engine and pretraining checkpoints
 * ({@link #sha256}).
 */
public final class SpecJson {
  /** The injectable that stands in for a list field left out of the JSON text. */
  private static final String EMPTY_LIST = "dnalab.emptyList";
  /** Id of the value {@code finetune.freezeEncoder} takes when a spec leaves it out. */
  private static final String FREEZE_ENCODER_DEFAULT = "finetune.freezeEncoder.default";
  /** Id of the value {@code finetune.maxTrainExamples} takes when a spec leaves it out (all). */
  private static final String MAX_TRAIN_DEFAULT = "finetune.maxTrainExamples.default";
  /** Id of the value {@code finetune.saveModel} takes when a spec leaves it out (false). */
  private static final String SAVE_MODEL_DEFAULT = "finetune.saveModel.default";
  /** Id of the value {@code task.maxLength} (local) takes when a spec leaves it out (no limit). */
  private static final String MAX_LENGTH_DEFAULT = "task.maxLength.default";
  /** Id of the null an optional {@code finetune} field takes when a spec leaves it out. */
  private static final String ABSENT = "dnalab.absent";
  /** Id of the value {@code model.attentionDropout} (bert) takes when a spec leaves it out. */
  private static final String ATTENTION_DROPOUT_DEFAULT = "model.attentionDropout.default";
  /** Id of the value {@code pretrain.seeds} takes when a spec leaves it out (one run). */
  private static final String PRETRAIN_SEEDS_DEFAULT = "pretrain.seeds.default";

  /** Id of the value {@code corpus.leakage} takes when a spec leaves it out (REPORT). */
  private static final String LEAKAGE_DEFAULT = "corpus.leakage.default";

  private static final ObjectMapper MAPPER = mapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .build();

  /** Sorted keys, no white space: one text per value, whatever the field order in the records. */
  private static final ObjectMapper CANONICAL = mapper()
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();

  private static JsonMapper.Builder mapper() {
    return JsonMapper.builder()
        .addMixIn(TaskSpec.class, TaskSpecTypes.class)
        .addMixIn(TokenizerSpec.class, TokenizerSpecTypes.class)
        .addMixIn(ModelSpec.class, ModelSpecTypes.class)
        .addMixIn(PretrainSpec.class, PretrainSpecTypes.class)
        .addMixIn(Objective.class, ObjectiveTypes.class)
        .addMixIn(ExperimentSpec.class, ExperimentSpecFields.class)
        .addMixIn(ExclusionRule.class, ExclusionRuleFields.class)
        .addMixIn(FinetuneSpec.class, FinetuneSpecOptional.class)
        .addMixIn(ModelSpec.Bert.class, BertOptional.class)
        .addMixIn(PretrainSpec.Pretrain.class, PretrainSeedsOptional.class)
        .addMixIn(TaskSpec.Local.class, LocalOptional.class)
        .addMixIn(CorpusSpec.class, CorpusSpecOptional.class)
        .addMixIn(CorpusSpec.GenomeSource.class, GenomeSourceOptional.class)
        .registerSubtypes(ModelSpec.FAMILIES.stream()
            .map(family -> new NamedType(family.type(), family.jsonTag()))
            .toArray(NamedType[]::new))
        .injectableValues(new InjectableValues.Std().addValue(EMPTY_LIST, List.of())
            .addValue(FREEZE_ENCODER_DEFAULT, false).addValue(ABSENT, null)
            .addValue(MAX_TRAIN_DEFAULT, 0).addValue(SAVE_MODEL_DEFAULT, false)
            .addValue(MAX_LENGTH_DEFAULT, 0)
            .addValue(ATTENTION_DROPOUT_DEFAULT, ModelSpec.Bert.DNABERT2_ATTENTION_DROPOUT)
            .addValue(PRETRAIN_SEEDS_DEFAULT, 1)
            .addValue(LEAKAGE_DEFAULT, CorpusSpec.Leakage.REPORT))
        // A misspelt or forgotten field must not silently become 0 / null.
        .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  private static final java.util.regex.Pattern MISSING =
      java.util.regex.Pattern.compile("^Missing creator property '([^']+)'");

  private SpecJson() {}

  /**
   * Every field of {@code finetune} may be left out: {@code recipe} (each family's own),
   * {@code epochs}, {@code learningRate}, {@code batchSize}, {@code weightDecay} (the recipe's),
   * {@code freezeEncoder} (false: the whole model trains), {@code maxTrainExamples} (0, all). A
   * 0.1 spec, which names the four numbers, reads as "the family's recipe with these four
   * overridden". Fields left out are not written; {@code saveModel} (false) is written only when
   * true, so specs that do not keep models write as before.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  private abstract static class FinetuneSpecOptional {
    @JsonProperty("saveModel")
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    abstract boolean saveModel();

    @JsonCreator
    FinetuneSpecOptional(
        @JsonProperty("recipe") @JacksonInject(value = ABSENT, useInput = OptBoolean.TRUE)
        Recipe recipe,
        @JsonProperty("epochs") @JacksonInject(value = ABSENT, useInput = OptBoolean.TRUE)
        Integer epochs,
        @JsonProperty("learningRate") @JacksonInject(value = ABSENT, useInput = OptBoolean.TRUE)
        Double learningRate,
        @JsonProperty("batchSize") @JacksonInject(value = ABSENT, useInput = OptBoolean.TRUE)
        Integer batchSize,
        @JsonProperty("weightDecay") @JacksonInject(value = ABSENT, useInput = OptBoolean.TRUE)
        Double weightDecay,
        @JsonProperty("freezeEncoder")
        @JacksonInject(value = FREEZE_ENCODER_DEFAULT, useInput = OptBoolean.TRUE)
        boolean freezeEncoder,
        @JsonProperty("maxTrainExamples")
        @JacksonInject(value = MAX_TRAIN_DEFAULT, useInput = OptBoolean.TRUE)
        int maxTrainExamples,
        @JsonProperty("saveModel")
        @JacksonInject(value = SAVE_MODEL_DEFAULT, useInput = OptBoolean.TRUE)
        boolean saveModel) {}
  }

  /**
   * {@code maxLength} of a local task may be left out (0: no limit) and is written only when set,
   * so specs written before it existed read, and write, as before.
   */
  private abstract static class LocalOptional {
    @JsonCreator
    LocalOptional(@JsonProperty("folder") Path folder,
        @JsonProperty("maxLength")
        @JacksonInject(value = MAX_LENGTH_DEFAULT, useInput = OptBoolean.TRUE)
        int maxLength) {}

    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    abstract int maxLength();
  }

  /**
   * {@code attentionDropout} of a bert model may be left out (DNABERT-2's 0.0), so specs written
   * before it existed still read; every other field stays required.
   */
  private abstract static class BertOptional {
    @JsonCreator
    BertOptional(@JsonProperty("layers") int layers, @JsonProperty("hidden") int hidden,
        @JsonProperty("heads") int heads, @JsonProperty("intermediate") int intermediate,
        @JsonProperty("dropout") double dropout,
        @JsonProperty("attentionDropout")
        @JacksonInject(value = ATTENTION_DROPOUT_DEFAULT, useInput = OptBoolean.TRUE)
        double attentionDropout,
        @JsonProperty("preNorm") boolean preNorm,
        @JsonProperty("pooling") ModelSpec.Pooling pooling,
        @JsonProperty("tiedHead") boolean tiedHead) {}
  }

  /**
   * {@code seeds} of a pretraining may be left out (1: one pretraining run), so specs written
   * before it existed still read; and it is written only when above 1, so the canonical JSON of a
   * one-seed pretraining, and every stage key hashed from it, is what it was before.
   */
  private abstract static class PretrainSeedsOptional {
    @JsonCreator
    PretrainSeedsOptional(@JsonProperty("objective") Objective objective,
        @JsonProperty("corpus") CorpusSpec corpus, @JsonProperty("steps") int steps,
        @JsonProperty("batchSize") int batchSize, @JsonProperty("windowLength") int windowLength,
        @JsonProperty("learningRate") double learningRate,
        @JsonProperty("warmupSteps") int warmupSteps,
        @JsonProperty("weightDecay") double weightDecay, @JsonProperty("evalEvery") int evalEvery,
        @JsonProperty("evalWindows") int evalWindows, @JsonProperty("seed") long seed,
        @JsonProperty("seeds")
        @JacksonInject(value = PRETRAIN_SEEDS_DEFAULT, useInput = OptBoolean.TRUE) int seeds) {}

    @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = OneSeed.class)
    abstract int seeds();
  }

  /** Jackson's value filter: true (leave the field out) for the default, one seed. */
  private static final class OneSeed {
    @Override
    public boolean equals(Object value) {
      return value instanceof Integer seeds && seeds == 1;
    }

    @Override
    public int hashCode() {
      return 1;
    }
  }

  /**
   * {@code leakage} of a corpus may be left out (REPORT) and is written only when it is EXCLUDE:
   * specs and stage keys from before it existed stay what they were, and reporting, which does
   * not change what is pretrained, does not change the key.
   */
  private abstract static class CorpusSpecOptional {
    @JsonCreator
    CorpusSpecOptional(@JsonProperty("name") String name,
        @JsonProperty("genomes") List<CorpusSpec.GenomeSource> genomes,
        @JsonProperty("maxNFraction") double maxNFraction,
        @JsonProperty("reverseComplement") boolean reverseComplement,
        @JsonProperty("heldOutFraction") double heldOutFraction,
        @JsonProperty("leakage")
        @JacksonInject(value = LEAKAGE_DEFAULT, useInput = OptBoolean.TRUE)
        CorpusSpec.Leakage leakage) {}

    @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = LeakageReportFilter.class)
    abstract CorpusSpec.Leakage leakage();
  }

  /**
   * {@code path} of a corpus genome may be left out (a catalog genome) and is written only when
   * set, so catalog corpora read, write and key as before.
   */
  private abstract static class GenomeSourceOptional {
    @JsonCreator
    GenomeSourceOptional(@JsonProperty("id") String id, @JsonProperty("weight") double weight,
        @JsonProperty("path") @JacksonInject(value = ABSENT, useInput = OptBoolean.TRUE)
        Path path) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    abstract Path path();
  }

  /**
   * {@code run} as its pretraining stage key sees it: each corpus genome read from a path has the
   * path replaced by {@code sha256} of its content, so the same genome at another place keys the
   * same and an edited one keys anew. Catalog genomes (no path) are left as they are.
   */
  public static JsonNode contentAddressed(PretrainSpec.Pretrain run,
      java.util.function.Function<Path, String> genomeSha256) {
    ObjectNode node;
    try {
      node = (ObjectNode) canonicalNode(run);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + run + " as JSON: " + e.getMessage(), e);
    }
    ArrayNode genomes = (ArrayNode) node.path("corpus").path("genomes");
    for (int i = 0; i < genomes.size(); i++) {
      CorpusSpec.GenomeSource source = run.corpus().genomes().get(i);
      if (source.path() != null) {
        // the genome's fields in sorted order, sha256 in place of path; the rest of the node is
        // left as canonical wrote it, so a catalog corpus keys exactly as before
        java.util.TreeMap<String, JsonNode> fields = new java.util.TreeMap<>();
        genomes.get(i).fields().forEachRemaining(field -> fields.put(field.getKey(),
            field.getValue()));
        fields.remove("path");
        fields.put("sha256", CANONICAL.getNodeFactory().textNode(
            genomeSha256.apply(source.path())));
        ObjectNode genome = CANONICAL.createObjectNode();
        fields.forEach(genome::set);
        genomes.set(i, genome);
      }
    }
    return node;
  }

  /** Jackson's CUSTOM inclusion leaves a value out when this filter {@code equals} it. */
  private static final class LeakageReportFilter {
    @Override
    public boolean equals(Object value) {
      return value == null || value == CorpusSpec.Leakage.REPORT;
    }

    @Override
    public int hashCode() {
      return 0;
    }
  }

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
      @JsonSubTypes.Type(value = TaskSpec.Gue.class, name = "gue"),
      @JsonSubTypes.Type(value = TaskSpec.Builtin.class, name = "builtin"),
      @JsonSubTypes.Type(value = TaskSpec.Local.class, name = "local"),
      @JsonSubTypes.Type(value = TaskSpec.GenomicBenchmarks.class, name = "genomic_benchmarks"),
      @JsonSubTypes.Type(value = TaskSpec.NucleotideTransformer.class,
          name = "nucleotide_transformer")})
  private interface TaskSpecTypes {}

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
      @JsonSubTypes.Type(value = TokenizerSpec.Nucleotide.class, name = "nucleotide"),
      @JsonSubTypes.Type(value = TokenizerSpec.Kmer.class, name = "kmer"),
      @JsonSubTypes.Type(value = TokenizerSpec.Bpe.class, name = "bpe"),
      @JsonSubTypes.Type(value = TokenizerSpec.FromFile.class, name = "file"),
      @JsonSubTypes.Type(value = TokenizerSpec.VocabFile.class, name = "vocab")})
  private interface TokenizerSpecTypes {}

  /** Model types are registered from {@link ModelSpec#FAMILIES} (their tags), see mapper(). */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  private interface ModelSpecTypes {}

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({@JsonSubTypes.Type(value = PretrainSpec.None.class, name = "none"),
      @JsonSubTypes.Type(value = PretrainSpec.Pretrain.class, name = "pretrain"),
      @JsonSubTypes.Type(value = PretrainSpec.Checkpoint.class, name = "checkpoint")})
  private interface PretrainSpecTypes {}

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
      @JsonSubTypes.Type(value = Objective.TokenMlm.class, name = "mlm"),
      @JsonSubTypes.Type(value = Objective.SpanMlm.class, name = "spanmlm"),
      @JsonSubTypes.Type(value = Objective.RandomMask.class, name = "randommask"),
      @JsonSubTypes.Type(value = Objective.NextToken.class, name = "nexttoken")})
  private interface ObjectiveTypes {}

  /** {@code exclude} may be left out of the text (no rules); it is written only when not empty. */
  private abstract static class ExperimentSpecFields {
    @JsonCreator
    ExperimentSpecFields(@JsonProperty("name") String name,
        @JsonProperty("tasks") List<TaskSpec> tasks,
        @JsonProperty("tokenizers") List<TokenizerSpec> tokenizers,
        @JsonProperty("models") List<ModelSpec> models,
        @JsonProperty("pretraining") List<PretrainSpec> pretraining,
        @JsonProperty("finetune") FinetuneSpec finetune,
        @JsonProperty("seeds") int seeds,
        @JsonProperty("exclude") @JacksonInject(value = EMPTY_LIST, useInput = OptBoolean.TRUE)
        List<ExclusionRule> exclude) {}

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    abstract List<ExclusionRule> exclude();
  }

  /** Each field of a rule may be left out (matches any value) and is written only when named. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  private abstract static class ExclusionRuleFields {
    @JsonCreator
    ExclusionRuleFields(
        @JsonProperty("tasks") @JacksonInject(value = EMPTY_LIST, useInput = OptBoolean.TRUE)
        List<TaskSpec> tasks,
        @JsonProperty("tokenizers") @JacksonInject(value = EMPTY_LIST, useInput = OptBoolean.TRUE)
        List<TokenizerSpec> tokenizers,
        @JsonProperty("models") @JacksonInject(value = EMPTY_LIST, useInput = OptBoolean.TRUE)
        List<ModelSpec> models,
        @JsonProperty("pretraining") @JacksonInject(value = EMPTY_LIST,
            useInput = OptBoolean.TRUE)
        List<PretrainSpec> pretraining) {}
  }

  /**
   * Canonical JSON of a spec value, or of maps and lists of them (and of strings and numbers):
   * sorted keys, no white space.
   */
  public static String canonical(Object value) {
    try {
      return CANONICAL.writeValueAsString(canonicalNode(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value + " as JSON: " + e.getMessage(), e);
    }
  }

  /**
   * A spec inside a map or list is written through its sealed interface, so that it keeps its
   * {@code type}: Jackson would otherwise see only {@code Object} and leave the type out.
   */
  private static JsonNode canonicalNode(Object value) throws JsonProcessingException {
    if (value instanceof java.util.Map<?, ?> map) {
      ObjectNode node = CANONICAL.createObjectNode();
      java.util.TreeMap<String, Object> sorted = new java.util.TreeMap<>();
      map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
      for (java.util.Map.Entry<String, Object> entry : sorted.entrySet()) {
        node.set(entry.getKey(), canonicalNode(entry.getValue()));
      }
      return node;
    }
    if (value instanceof java.util.Collection<?> list) {
      ArrayNode node = CANONICAL.createArrayNode();
      for (Object item : list) {
        node.add(canonicalNode(item));
      }
      return node;
    }
    Class<?> declared = value instanceof TaskSpec ? TaskSpec.class
        : value instanceof TokenizerSpec ? TokenizerSpec.class
        : value instanceof ModelSpec ? ModelSpec.class
        : value instanceof PretrainSpec ? PretrainSpec.class
        : value instanceof Objective ? Objective.class
        : null;
    if (declared == null) {
      return CANONICAL.valueToTree(value);
    }
    return CANONICAL.readTree(CANONICAL.writerFor(declared).writeValueAsString(value));
  }

  /** sha256 (lower-case hex) of {@link #canonical}{@code (value)} in UTF-8. */
  public static String sha256(Object value) {
    return sha256Text(canonical(value));
  }

  /** sha256 (lower-case hex) of {@code text} in UTF-8. */
  public static String sha256Text(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(
          text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  public static String write(ExperimentSpec spec) {
    try {
      return MAPPER.writeValueAsString(spec);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write spec " + spec.name() + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * Parses JSON text; {@code source} names it in error messages, which read
   * {@code SOURCE:LINE:COLUMN: what is wrong} (e.g. {@code spec.json:7:20: finetune.epochs: must
   * be between 1 and 10000, got 0}).
   */
  public static ExperimentSpec read(String json, String source) {
    try {
      return MAPPER.readValue(json, ExperimentSpec.class);
    } catch (ValueInstantiationException e) {
      // A record constructor refused a value: its SpecException names the field and the rule.
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalArgumentException(where(source, e.getLocation()) + cause.getMessage(), e);
    } catch (JsonProcessingException e) {
      String message = e.getOriginalMessage();
      java.util.regex.Matcher missing = MISSING.matcher(message);
      if (missing.find()) {
        message = "missing field \"" + missing.group(1) + "\"";
      }
      throw new IllegalArgumentException(where(source, e.getLocation()) + message, e);
    }
  }

  public static ExperimentSpec read(Path file) throws IOException {
    try {
      return read(Files.readString(file), file.toString());
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no such spec file: " + file, e);
    }
  }

  /**
   * One model spec as JSON with its {@code type} tag, as a pretraining artifact records the
   * encoder it holds ({@code model.json}); {@link #readModel} reads it back.
   */
  public static String writeModel(ModelSpec model) {
    return writeTagged(ModelSpec.class, model, "model");
  }

  /** A model spec written by {@link #writeModel}; {@code source} names it in errors. */
  public static ModelSpec readModel(String json, String source) {
    return readTagged(ModelSpec.class, json, source);
  }

  /**
   * One tokenizer spec as JSON with its {@code type} tag, as a saved model records the tokenizer
   * it reads; {@link #readTokenizer} reads it back.
   */
  public static String writeTokenizer(TokenizerSpec tokenizer) {
    return writeTagged(TokenizerSpec.class, tokenizer, "tokenizer");
  }

  /** A tokenizer spec written by {@link #writeTokenizer}; {@code source} names it in errors. */
  public static TokenizerSpec readTokenizer(String json, String source) {
    return readTagged(TokenizerSpec.class, json, source);
  }

  /** One value of a sealed spec type as JSON with its {@code type} tag. */
  private static <T> String writeTagged(Class<T> type, T value, String what) {
    try {
      return MAPPER.writerFor(type).writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + what + " " + value + ": "
          + e.getMessage(), e);
    }
  }

  /** A value written by {@link #writeTagged}; errors name {@code source} and the position. */
  private static <T> T readTagged(Class<T> type, String json, String source) {
    try {
      return MAPPER.readValue(json, type);
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalArgumentException(where(source, e.getLocation()) + cause.getMessage(), e);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(where(source, e.getLocation())
          + e.getOriginalMessage(), e);
    }
  }

  private static String where(String source, JsonLocation location) {
    if (location == null || location.getLineNr() < 0) {
      return source + ": ";
    }
    return source + ":" + location.getLineNr() + ":" + location.getColumnNr() + ": ";
  }
}
