/**
 * Public pretrained checkpoints (DNABERT-2, DNABERT, Nucleotide Transformer), found and read
 * offline. Layer: below {@code model} (whose {@code PretrainedCheckpoints} maps these files onto
 * dnalab's encoders), beside {@code tokenize}, which it imports.
 *
 * <h2>Use</h2>
 *
 * <pre>{@code
 * ModelLocator.Location where = ModelLocator.fromEnvironment().locate("zhihan1996/DNABERT-2-117M");
 * StateDict weights = CheckpointWeights.load(where.folder());   // safetensors, shards or pytorch_model.bin
 * weights.requireExactly(layout, Set.of());                      // missing / extra / wrong shape: one error
 * FloatBuffer wqkv = weights.tensor("bert.encoder.layer.0.attention.self.Wqkv.weight").floatValues();
 * CheckpointConfig config = CheckpointConfig.read(where.folder().resolve("config.json")); // typed, per family
 * // vocab.txt tokenizers live in tokenize (a grid cell names them, TokenizerSpec.VocabFile):
 * Tokenizer nt = NucleotideTransformerTokenizer.load(where.folder());  // NT v1 vocab.txt
 * Tokenizer dnabert = DnabertTokenizer.load(folder);                   // DNABERT vocab.txt, overlapping
 * }</pre>
 *
 * <h2>Decisions</h2>
 *
 * <ul>
 *   <li><b>Nothing is downloaded.</b> {@link io.dnalab.checkpoint.ModelLocator} takes a folder or a
 *       hub id in the Hugging Face cache ({@link io.dnalab.checkpoint.HubCache}); a missing model
 *       names every place looked and the {@code hf download} command to run on a connected machine.
 *   <li><b>Pickles execute nothing.</b> {@code pytorch_model.bin} is read by {@code
 *       RestrictedUnpickler}, which knows only the opcodes and the globals that rebuild a state
 *       dict of tensors; any other global is refused when it is read, naming it. Tested with files
 *       that would run a shell command under Python's {@code pickle}.
 *   <li><b>Values are exact.</b> float16, bfloat16 and float32 become float32 without rounding
 *       (float64 rounds to nearest); tests compare bit patterns with what torch wrote
 *       ({@code src/test/resources/checkpoints/generate_checkpoints.py}).
 *   <li><b>Errors name the file and the tensor</b>: truncation, a dtype that does not fit the
 *       bytes, shards that disagree with their index, missing / extra / wrongly shaped tensors.
 *   <li><b>Tokenizers from vocab.txt</b> give transformers' ids ({@code EsmTokenizer} for NT,
 *       {@code BertTokenizer} on DNABERT's k-mer text), tested on real sequences; they are
 *       dnalab's {@code KmerTokenizer} over the checkpoint's vocabulary, so dnalab's input policy
 *       (lowercase, IUPAC codes) applies. They are in {@code tokenize} ({@code
 *       DnabertTokenizer}, {@code NucleotideTransformerTokenizer}), where {@code Tokenizers}
 *       builds them for a grid cell that names a checkpoint's {@code vocab.txt}.
 *   <li>Both {@code torch.save} formats: the zip (torch 1.6 and later) and the legacy run of
 *       pickles and raw storages that older checkpoints (DNABERT's era) may ship in.
 *   <li>Not read: tensors over 2 GB (and legacy files over 2 GB), float8 types; each fails with a
 *       message saying so.
 * </ul>
 */
package io.dnalab.checkpoint;
