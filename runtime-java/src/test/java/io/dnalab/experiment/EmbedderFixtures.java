package io.dnalab.experiment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.dnalab.engine.DnalabEngine;
import io.dnalab.model.InputVocabulary;
import io.dnalab.model.Models;
import io.dnalab.model.TokenEncoder;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.SpecJson;
import io.dnalab.tokenize.KmerTokenizer;
import io.dnalab.tokenize.Tokenizer;
import io.dnalab.tokenize.Tokenizers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A pretraining artifact as {@link LocalPretrainRunner} leaves it (encoder parameters, trained
 * tokenizer, model spec), with a tiny random BERT: built directly rather than pretrained, so
 * embedding tests take seconds.
 */
public final class EmbedderFixtures {
  /** 2 layers × 16, 2 heads: small, but with attention across positions and padding to mask. */
  public static final ModelSpec.Bert TINY_BERT = new ModelSpec.Bert(2, 16, 2, 32, 0.1, false,
      ModelSpec.Pooling.MEAN, true);

  /** Mixed lengths (non-overlapping 3-mers + [CLS]/[SEP]: 4 to 12 tokens), N and lower case. */
  public static final List<String> SEQUENCES = List.of(
      "ACGTACGTAC",
      "GGGCCCAAATTTGGGCCCAAATTTGG",
      "ACG",
      "TTTTTTNNNACGTACGTTTGCA",
      "acgtacgtacgtacgtacgtacgtacgtac",
      "CATCATCAT");

  private EmbedderFixtures() {}

  /** Writes the artifact into {@code folder} (created) and returns it. */
  public static Path tinyBertArtifact(Path folder) throws IOException {
    Files.createDirectories(folder);
    Tokenizer tokenizer = KmerTokenizer.create(3, false);
    tokenizer.save(folder.resolve(Tokenizers.TRAINED_FILE));
    DnalabEngine.startDefault();
    DnalabEngine.seed(11);
    try (NDManager manager = NDManager.newBaseManager()) {
      TokenEncoder encoder = Models.createEncoder(TINY_BERT, InputVocabulary.of(tokenizer));
      Models.initialize(encoder, manager, 1, 8);
      encoder.save(folder.resolve(PretrainRunner.ENCODER_FILE));
    }
    Files.writeString(folder.resolve(LocalPretrainRunner.MODEL_FILE),
        SpecJson.writeModel(TINY_BERT));
    return folder;
  }

  /**
   * Reads an .npy file with DJL's NumPy decoder, which DJL reaches through {@code .npz} archives
   * (a zip of .npy files): the file goes into a one-entry zip in memory.
   */
  public static NDArray readNpy(NDManager manager, Path file) throws IOException {
    DnalabEngine.startDefault();
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(zip)) {
      out.putNextEntry(new ZipEntry("array.npy"));
      out.write(Files.readAllBytes(file));
      out.closeEntry();
    }
    NDList arrays = NDList.decode(manager, zip.toByteArray());
    if (arrays.size() != 1) {
      throw new IOException(file + ": " + arrays.size() + " arrays");
    }
    return arrays.get(0);
  }

}
