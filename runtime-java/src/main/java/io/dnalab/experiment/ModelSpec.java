package io.dnalab.experiment;

/** Which architecture is trained. Sizes are explicit so a run can be rebuilt from its spec. */
public sealed interface ModelSpec {

  /** A short stable name for tables. */
  String id();

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

  /** A BERT-style encoder with ALiBi and GEGLU, as DNABERT-2. */
  record Bert(int layers, int hidden, int heads, int intermediate) implements ModelSpec {
    public Bert {
      SpecException.inRange("model.layers", layers, 1, 48);
      SpecException.positive("model.hidden", hidden);
      SpecException.positive("model.heads", heads);
      SpecException.positive("model.intermediate", intermediate);
      if (hidden % heads != 0) {
        throw new SpecException("model.heads",
            "hidden (" + hidden + ") must be divisible by heads (" + heads + ")");
      }
    }

    @Override
    public String id() {
      return "bert-" + layers + "x" + hidden;
    }
  }
}
