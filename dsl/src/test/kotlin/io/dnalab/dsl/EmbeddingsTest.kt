package io.dnalab.dsl

import com.fasterxml.jackson.databind.ObjectMapper
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatThrownBy
import org.assertj.core.api.Assertions.within
import org.junit.jupiter.api.Test
import java.nio.file.Files
import java.nio.file.Path
import java.util.zip.GZIPInputStream

/**
 * `embed(...)` in a notebook on the runtime's tiny DNABERT-2 checkpoint fixture: the frame's
 * vectors equal the mean-pooled outputs of the reference implementation (bert_layers.py in plain
 * PyTorch, `checkpoints/generate_hidden_states.py`) within the 1e-4.
 */
class EmbeddingsTest {
    private val models = Path.of("../runtime-java/src/test/resources/checkpoints/models")
    private val golden = GZIPInputStream(Files.newInputStream(models.resolve("dnabert2.hidden.json.gz")))
        .use { ObjectMapper().readTree(it) }
    private val sequences = golden.get("sequences").map { it.asText() }

    @Test
    fun `one row per sequence in input order with the reference's mean-pooled vector`() {
        val frame = embed(models.resolve("dnabert2").toString(), sequences, batchSize = 2)
        val expected = golden.get("mean_pooled")
        val hidden = expected.get(0).size()
        assertThat(frame.rowsCount()).isEqualTo(sequences.size)
        assertThat(frame.columnNames()).startsWith("sequence", "tokens", "e0").hasSize(2 + hidden)
        for (i in sequences.indices) {
            assertThat(frame["sequence"][i]).isEqualTo(sequences[i])
            val tokens = golden.get("attention_mask").get(i).count { it.asInt() == 1 }
            assertThat(frame["tokens"][i]).isEqualTo(tokens.toLong())
            for (c in 0 until hidden) {
                assertThat((frame["e$c"][i] as Float).toDouble())
                    .isCloseTo(expected.get(i).get(c).asDouble(), within(1e-4))
            }
        }
        val matrix = embeddingMatrix(models.resolve("dnabert2").toString(), sequences, pooling = "cls", layer = 1)
        assertThat(matrix).hasNumberOfRows(sequences.size)
        val states = tokenStates(models.resolve("dnabert2").toString(), sequences.take(2), layer = 1)
        // cls is position 0 of the same layer's states
        assertThat(states[0][0]).containsExactly(*matrix[0])
    }

    @Test
    fun `a pooling without one vector per sequence is refused with the alternative`() {
        assertThatThrownBy { embed(models.resolve("dnabert2").toString(), sequences, pooling = "none") }
            .hasMessageContaining("tokenStates(...)")
    }
}
