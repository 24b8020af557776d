package io.dnalab.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code .safetensors} files: an 8-byte little-endian header length {@code n}, {@code n}
 * bytes of JSON ({@code {"NAME": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]},
 * "__metadata__": {..}}}, offsets relative to the end of the header), then the raw little-endian
 * data. The checks are those of the reference reader (the {@code safetensors} Rust crate): the
 * tensors' byte ranges must tile the data exactly, and each range must hold shape × dtype size
 * bytes. Tensors are returned in file order (by offset).
 */
final class Safetensors {
  private Safetensors() {}

  private static final ObjectMapper JSON = new ObjectMapper();
  /** The reference reader refuses headers over 100 MB; a larger length means a damaged file. */
  private static final long MAX_HEADER_BYTES = 100_000_000L;

  /** One header entry. */
  record Entry(String name, DType dtype, long[] shape, long begin, long end) {}

  /** Reads every tensor of one file. */
  static Map<String, CheckpointTensor> read(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      List<Entry> entries = header(file, channel, size);
      long dataStart = 8 + headerLength(file, channel, size);
      Map<String, CheckpointTensor> tensors = new LinkedHashMap<>();
      for (Entry e : entries) {
        long bytes = e.end - e.begin;
        if (bytes > Integer.MAX_VALUE - 8) {
          throw new CheckpointFileException(file + ": tensor " + e.name + " has " + bytes
              + " bytes; tensors over 2 GB are not supported");
        }
        ByteBuffer data = ByteBuffer.allocate((int) bytes);
        readFully(channel, data, dataStart + e.begin, file, e.name);
        data.flip();
        int count = (int) CheckpointTensor.elementCount(e.shape);
        tensors.put(e.name, e.dtype.isFloatingPoint()
            ? CheckpointTensor.ofFloats(e.name, e.dtype, e.shape, e.dtype.decodeFloats(data, count), file)
            : CheckpointTensor.ofLongs(e.name, e.dtype, e.shape, e.dtype.decodeLongs(data, count), file));
      }
      return tensors;
    } catch (NoSuchFileException e) {
      throw new CheckpointFileException(file + ": no such file", e);
    } catch (IOException e) {
      throw new CheckpointFileException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  private static long headerLength(Path file, FileChannel channel, long size) throws IOException {
    if (size < 8) {
      throw new CheckpointFileException(file + ": truncated: " + size
          + " bytes; a safetensors file starts with an 8-byte header length");
    }
    ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(channel, lengthBytes, 0, file, null);
    long length = lengthBytes.getLong(0);
    if (length <= 0 || length > MAX_HEADER_BYTES || length > size - 8) {
      throw new CheckpointFileException(file + ": header length " + Long.toUnsignedString(length)
          + " does not fit the file's " + size + " bytes: truncated, or not a safetensors file");
    }
    return length;
  }

  /** Parses and checks the header; entries sorted by offset. */
  static List<Entry> header(Path file, FileChannel channel, long size) throws IOException {
    long length = headerLength(file, channel, size);
    ByteBuffer headerBytes = ByteBuffer.allocate((int) length);
    readFully(channel, headerBytes, 8, file, null);
    JsonNode root;
    try {
      root = JSON.readTree(new String(headerBytes.array(), StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new CheckpointFileException(file + ": header is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new CheckpointFileException(file + ": header is not a JSON object");
    }
    List<Entry> entries = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!field.getKey().equals("__metadata__")) {
        entries.add(entry(file, field.getKey(), field.getValue()));
      }
    }
    entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    long dataLength = size - 8 - length;
    long expectedBegin = 0;
    String previous = null;
    for (Entry e : entries) {
      if (e.begin != expectedBegin) {
        throw new CheckpointFileException(file + ": tensor " + e.name + " starts at data byte " + e.begin
            + (e.begin < expectedBegin ? ", inside " + previous + "'s bytes" : ", leaving a gap after " + (previous == null ? "the header" : previous))
            + ": the header is corrupt");
      }
      if (e.end > dataLength) {
        throw new CheckpointFileException(file + ": truncated: tensor " + e.name + " needs data bytes "
            + e.begin + ".." + e.end + " but the file holds " + dataLength + " bytes of data");
      }
      expectedBegin = e.end;
      previous = e.name;
    }
    if (expectedBegin != dataLength) {
      throw new CheckpointFileException(file + ": " + (dataLength - expectedBegin)
          + " bytes after the last tensor" + (previous == null ? "" : " (" + previous + ")") + " belong to no tensor");
    }
    return entries;
  }

  private static Entry entry(Path file, String name, JsonNode node) {
    String where = file + ": tensor " + name;
    JsonNode dtypeNode = node.get("dtype");
    if (dtypeNode == null || !dtypeNode.isTextual()) {
      throw new CheckpointFileException(where + ": missing \"dtype\" in the header");
    }
    DType dtype = DType.ofSafetensorsName(dtypeNode.asText());
    if (dtype == null) {
      throw new CheckpointFileException(where + ": dtype " + dtypeNode.asText()
          + " is not supported (supported: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)");
    }
    JsonNode shapeNode = node.get("shape");
    if (shapeNode == null || !shapeNode.isArray()) {
      throw new CheckpointFileException(where + ": missing \"shape\" array in the header");
    }
    long[] shape = new long[shapeNode.size()];
    for (int i = 0; i < shape.length; i++) {
      JsonNode d = shapeNode.get(i);
      if (!d.canConvertToLong() || !d.isIntegralNumber() || d.asLong() < 0) {
        throw new CheckpointFileException(where + ": shape " + shapeNode + " is not a list of sizes");
      }
      shape[i] = d.asLong();
    }
    JsonNode offsets = node.get("data_offsets");
    if (offsets == null || !offsets.isArray() || offsets.size() != 2 || !offsets.get(0).isIntegralNumber()
        || !offsets.get(1).isIntegralNumber() || offsets.get(0).asLong() < 0 || offsets.get(1).asLong() < offsets.get(0).asLong()) {
      throw new CheckpointFileException(where + ": data_offsets " + offsets + " is not [begin, end]");
    }
    long begin = offsets.get(0).asLong();
    long end = offsets.get(1).asLong();
    long expected;
    try {
      expected = Math.multiplyExact(CheckpointTensor.elementCount(shape), dtype.bytes());
    } catch (ArithmeticException e) {
      throw new CheckpointFileException(where + ": shape " + shapeNode + " is too large");
    }
    if (end - begin != expected) {
      throw new CheckpointFileException(where + ": " + dtype + " shape " + shapeNode + " needs " + expected
          + " bytes but data_offsets " + offsets + " give " + (end - begin) + ": wrong dtype or shape in the header");
    }
    return new Entry(name, dtype, shape, begin, end);
  }

  private static void readFully(FileChannel channel, ByteBuffer into, long position, Path file, String tensor)
      throws IOException {
    long at = position;
    while (into.hasRemaining()) {
      int n = channel.read(into, at);
      if (n < 0) {
        throw new CheckpointFileException(file + ": truncated" + (tensor == null ? "" : " in tensor " + tensor));
      }
      at += n;
    }
  }
}
