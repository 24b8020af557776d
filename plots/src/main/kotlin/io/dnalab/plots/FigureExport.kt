package io.dnalab.plots

import org.apache.batik.transcoder.TranscoderInput
import org.apache.batik.transcoder.TranscoderOutput
import org.apache.batik.transcoder.image.PNGTranscoder
import org.jetbrains.letsPlot.Figure
import org.jetbrains.letsPlot.awt.plot.PlotSvgExport
import org.jetbrains.letsPlot.commons.geometry.DoubleVector
import org.jetbrains.letsPlot.intern.toSpec
import java.io.StringReader
import java.nio.file.Files
import java.nio.file.Path

/**
 * Renders Lets-Plot figures without a browser or a CDN: SVG text for inline display in notebooks
 * and reports, PNG through Batik for papers and slides.
 */
object FigureExport {
    /** Default size of a chart in a report, in CSS pixels. */
    const val WIDTH = 640.0
    const val HEIGHT = 400.0

    /** The figure as a standalone `<svg>` element. */
    fun svg(figure: Figure, width: Double = WIDTH, height: Double = HEIGHT): String =
        PlotSvgExport.buildSvgImageFromRawSpecs(figure.toSpec(), DoubleVector(width, height), false)

    /** Writes the figure as an SVG file and returns its path. */
    fun saveSvg(figure: Figure, path: Path, width: Double = WIDTH, height: Double = HEIGHT): Path {
        path.toAbsolutePath().parent?.let(Files::createDirectories)
        Files.writeString(path, svg(figure, width, height))
        return path
    }

    /** Writes the figure as a PNG file at [scale] × its size (2 for print) and returns its path. */
    fun savePng(
        figure: Figure,
        path: Path,
        width: Double = WIDTH,
        height: Double = HEIGHT,
        scale: Double = 2.0,
    ): Path {
        require(scale > 0) { "scale must be positive, got $scale" }
        path.toAbsolutePath().parent?.let(Files::createDirectories)
        val transcoder = PNGTranscoder().apply {
            addTranscodingHint(PNGTranscoder.KEY_WIDTH, (width * scale).toFloat())
            addTranscodingHint(PNGTranscoder.KEY_HEIGHT, (height * scale).toFloat())
        }
        Files.newOutputStream(path).use { out ->
            transcoder.transcode(
                TranscoderInput(StringReader(svg(figure, width, height))),
                TranscoderOutput(out),
            )
        }
        return path
    }
}
