package io.dnalab.experiment;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.OptBoolean;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.InjectableValues;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

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
 *  "finetune": {"epochs": 3, "learningRate": 0.001, "batchSize": 64, "weightDecay": 0.1}}
 * </pre>
 *
 * {@code finetune.freezeEncoder} (default false) is the one optional field. Types: task gue |
 * builtin | local; tokenizer nucleotide | kmer | bpe | file; model convnova |
 * cnn | unet | bert; pretraining none | pretrain (with an objective mlm | spanmlm | randommask |
 * nexttoken and a corpus, see {@link PretrainSpec.Pretrain}). Unknown fields are errors. The
 * spec records are not
 * annotated; the mapping lives here (Jackson mix-ins).
 */
public final class SpecJson {
  /** Id of the value {@code finetune.freezeEncoder} takes when a spec leaves it out. */
  private static final String FREEZE_ENCODER_DEFAULT = "finetune.freezeEncoder.default";

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .addMixIn(TaskSpec.class, TaskSpecTypes.class)
      .addMixIn(TokenizerSpec.class, TokenizerSpecTypes.class)
      .addMixIn(ModelSpec.class, ModelSpecTypes.class)
      .addMixIn(PretrainSpec.class, PretrainSpecTypes.class)
      .addMixIn(Objective.class, ObjectiveTypes.class)
      .addMixIn(FinetuneSpec.class, FinetuneSpecOptional.class)
      .setInjectableValues(new InjectableValues.Std().addValue(FREEZE_ENCODER_DEFAULT, false))
      // A misspelt or forgotten field must not silently become 0 / null.
      .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(SerializationFeature.INDENT_OUTPUT);

  private static final java.util.regex.Pattern MISSING =
      java.util.regex.Pattern.compile("^Missing creator property '([^']+)'");

  private SpecJson() {}

  /**
   * {@code finetune.freezeEncoder} may be left out (false: the whole model trains), so specs
   * written before it existed still read; every other field stays required.
   */
  private abstract static class FinetuneSpecOptional {
    @JsonCreator
    FinetuneSpecOptional(@JsonProperty("epochs") int epochs,
        @JsonProperty("learningRate") double learningRate,
        @JsonProperty("batchSize") int batchSize,
        @JsonProperty("weightDecay") double weightDecay,
        @JsonProperty("freezeEncoder")
        @JacksonInject(value = FREEZE_ENCODER_DEFAULT, useInput = OptBoolean.TRUE)
        boolean freezeEncoder) {}
  }

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
      @JsonSubTypes.Type(value = TaskSpec.Gue.class, name = "gue"),
      @JsonSubTypes.Type(value = TaskSpec.Builtin.class, name = "builtin"),
      @JsonSubTypes.Type(value = TaskSpec.Local.class, name = "local")})
  private interface TaskSpecTypes {}

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
      @JsonSubTypes.Type(value = TokenizerSpec.Nucleotide.class, name = "nucleotide"),
      @JsonSubTypes.Type(value = TokenizerSpec.Kmer.class, name = "kmer"),
      @JsonSubTypes.Type(value = TokenizerSpec.Bpe.class, name = "bpe"),
      @JsonSubTypes.Type(value = TokenizerSpec.FromFile.class, name = "file")})
  private interface TokenizerSpecTypes {}

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
      @JsonSubTypes.Type(value = ModelSpec.ConvNova.class, name = "convnova"),
      @JsonSubTypes.Type(value = ModelSpec.CnnBaseline.class, name = "cnn"),
      @JsonSubTypes.Type(value = ModelSpec.UNet.class, name = "unet"),
      @JsonSubTypes.Type(value = ModelSpec.Bert.class, name = "bert")})
  private interface ModelSpecTypes {}

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({@JsonSubTypes.Type(value = PretrainSpec.None.class, name = "none"),
      @JsonSubTypes.Type(value = PretrainSpec.Pretrain.class, name = "pretrain")})
  private interface PretrainSpecTypes {}

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
      @JsonSubTypes.Type(value = Objective.TokenMlm.class, name = "mlm"),
      @JsonSubTypes.Type(value = Objective.SpanMlm.class, name = "spanmlm"),
      @JsonSubTypes.Type(value = Objective.RandomMask.class, name = "randommask"),
      @JsonSubTypes.Type(value = Objective.NextToken.class, name = "nexttoken")})
  private interface ObjectiveTypes {}

  private static final ObjectMapper CANONICAL = MAPPER.copy()
      .disable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .enable(com.fasterxml.jackson.databind.MapperFeature.SORT_PROPERTIES_ALPHABETICALLY);

  /**
   * Canonical JSON of any spec value (records, lists, maps of them): compact, properties and map
   * keys sorted, sealed types tagged with {@code type}. Equal specs give equal text, so its hash
   * names content-addressed artifacts.
   */
  public static String canonical(Object value) {
    try {
      return CANONICAL.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value + ": " + e.getMessage(), e);
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

  private static String where(String source, JsonLocation location) {
    if (location == null || location.getLineNr() < 0) {
      return source + ": ";
    }
    return source + ":" + location.getLineNr() + ":" + location.getColumnNr() + ": ";
  }
}
