package io.dnalab.dsl

import org.assertj.core.api.Assertions.assertThat
import org.jetbrains.kotlinx.dataframe.api.dataFrameOf
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class TableTest {
    @Test
    fun `cells are escaped so data cannot inject markup`() {
        val html = Table(listOf("a<b"), listOf(listOf("<script>x & \"y\"</script>"))).toHtml()
        assertThat(html).contains("<th>a&lt;b</th>")
        assertThat(html).contains("<td>&lt;script&gt;x &amp; &quot;y&quot;&lt;/script&gt;</td>")
        assertThat(html).doesNotContain("<script>")
    }

    @Test
    fun `a ragged row is refused with its index`() {
        val error = assertThrows<IllegalArgumentException> { Table(listOf("a", "b"), listOf(listOf("1", "2"), listOf("3"))) }
        assertThat(error).hasMessage("row 1 has 1 cells but the table has 2 columns ([a, b])")
    }

    @Test
    fun `numbers are formatted with fixed precision, nulls blank`() {
        val table = dataFrameOf("x", "y")(0.123456, null, 2, "z").toTable()
        assertThat(table.rows).containsExactly(listOf("0.1235", ""), listOf("2", "z"))
    }

    @Test
    fun `a frame built column by column keeps its caption and formats numbers`() {
        // the pattern of notebooks/tokenization.ipynb's tables: one column per tokenizer
        val genomes = listOf("ab", "abcd")
        val table = dataFrameOf(
            "genome" to genomes,
            *listOf("x", "yy").map { name -> name to genomes.map { it.length / name.length.toDouble() } }.toTypedArray(),
        ).toTable("per genome")
        assertThat(table.columns).containsExactly("genome", "x", "yy")
        assertThat(table.rows).containsExactly(listOf("ab", "2.0000", "1.0000"), listOf("abcd", "4.0000", "2.0000"))
        assertThat(table.toHtml()).contains("per genome")
    }
}
