package io.dnalab.checkpoint;

import io.dnalab.checkpoint.RestrictedUnpickler.Global;
import io.dnalab.checkpoint.RestrictedUnpickler.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads {@code pytorch_model.bin} as {@code torch.save} (torch 1.6 and later) writes it (the older
 * format goes to {@link LegacyTorchCheckpoint}): a zip
 * holding {@code ARCHIVE/data.pkl}, the pickled state dict, whose tensors point through persistent
 * ids {@code ('storage', torch.FloatStorage, KEY, DEVICE, NUMEL)} at raw little-endian storages
 * {@code ARCHIVE/data/KEY}. The pickle is read by {@link RestrictedUnpickler}: nothing in the file
 * is executed, and any global beyond those that rebuild tensors is refused.
 *
 * <p>Views (a storage offset, non-contiguous strides, several tensors sharing one storage) are
 * gathered into contiguous row-major values.
 */
final class TorchCheckpoint {
  private TorchCheckpoint() {}

  private static final Map<String, DType> STORAGE_TYPES = Map.of(
      "torch.DoubleStorage", DType.F64, "torch.FloatStorage", DType.F32,
      "torch.HalfStorage", DType.F16, "torch.BFloat16Storage", DType.BF16,
      "torch.LongStorage", DType.I64, "torch.IntStorage", DType.I32,
      "torch.ShortStorage", DType.I16, "torch.CharStorage", DType.I8,
      "torch.ByteStorage", DType.U8, "torch.BoolStorage", DType.BOOL);

  /** A storage named by a persistent id; its bytes are read when a tensor uses it. */
  record StorageRef(String key, DType dtype, long elements) {}

  /** A tensor as {@code _rebuild_tensor_v2} describes it, before its values are gathered. */
  record TensorRef(StorageRef storage, long offset, long[] shape, long[] stride) {}

  /** Every tensor of one {@code pytorch_model.bin}, in the state dict's order. */
  static Map<String, CheckpointTensor> read(Path file) {
    byte[] head = new byte[4];
    int headLength;
    try (InputStream in = Files.newInputStream(file)) {
      headLength = in.readNBytes(head, 0, 4);
    } catch (NoSuchFileException e) {
      throw new CheckpointFileException(file + ": no such file", e);
    } catch (IOException e) {
      throw new CheckpointFileException(file + ": cannot read: " + e.getMessage(), e);
    }
    // torch.save writes a zip (PK) since torch 1.6; before, a run of pickles (PROTO 2, then LONG1 magic).
    if (headLength >= 3 && (head[0] & 0xff) == 0x80 && head[1] == 2 && (head[2] & 0xff) == 0x8a) {
      return LegacyTorchCheckpoint.read(file);
    }
    return readZip(file);
  }

  private static Map<String, CheckpointTensor> readZip(Path file) {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      String archive = archivePrefix(zip, file);
      ZipEntry byteOrder = zip.getEntry(archive + "byteorder");
      if (byteOrder != null) {
        String order = new String(readEntry(zip, byteOrder, file), StandardCharsets.US_ASCII).strip();
        if (!order.equals("little")) {
          throw new CheckpointFileException(file + ": byteorder is " + order + "; only little-endian checkpoints are supported");
        }
      }
      String pickleName = archive + "data.pkl";
      byte[] pickle = readEntry(zip, zip.getEntry(pickleName), file);
      RestrictedUnpickler unpickler = new RestrictedUnpickler(pickle, file + "/" + pickleName,
          id -> storageRef(id, file), args -> tensorRef(args, file));
      Object root = unpickler.load();
      Map<String, ByteBuffer> storages = new HashMap<>();
      return tensors(root, file, (ref, tensor) ->
          storages.computeIfAbsent(ref.key(), key -> storageBytes(zip, archive, ref, tensor, file)));
    } catch (ZipException e) {
      throw new CheckpointFileException(file + ": not a torch zip archive (" + e.getMessage()
          + "): truncated, or not written by torch.save;"
          + " re-save it with torch.save(torch.load(f), f) or as safetensors", e);
    } catch (IOException e) {
      throw new CheckpointFileException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** Where a storage's bytes come from, given the storage and the first tensor that uses it (for errors). */
  interface StorageSource {
    ByteBuffer bytes(StorageRef storage, String tensor);
  }

  /** The state dict's tensors, gathered from their storages. */
  static Map<String, CheckpointTensor> tensors(Object root, Path file, StorageSource storages) {
    if (!(root instanceof Map<?, ?> stateDict)) {
      throw new CheckpointFileException(file + ": holds a " + (root == null ? "None" : root.getClass().getSimpleName())
          + ", not a state dict (a dict of names to tensors)");
    }
    Map<String, CheckpointTensor> tensors = new LinkedHashMap<>();
    for (Map.Entry<?, ?> item : stateDict.entrySet()) {
      if (!(item.getKey() instanceof String name)) {
        throw new CheckpointFileException(file + ": state dict key " + item.getKey() + " is not a string");
      }
      if (!(item.getValue() instanceof TensorRef ref)) {
        throw new CheckpointFileException(file + ": state dict entry " + name + " is not a tensor");
      }
      tensors.put(name, gather(name, ref, storages.bytes(ref.storage, name), file));
    }
    return tensors;
  }

  /** The archive folder inside the zip ({@code archive/} or the saved file's stem). */
  private static String archivePrefix(ZipFile zip, Path file) {
    List<String> pickles = new ArrayList<>();
    zip.stream().map(ZipEntry::getName).filter(n -> n.equals("data.pkl") || n.endsWith("/data.pkl")).forEach(pickles::add);
    if (pickles.size() != 1) {
      throw new CheckpointFileException(file + ": expected one data.pkl in the zip, found "
          + (pickles.isEmpty() ? "none" : pickles) + ": not a torch.save archive");
    }
    String name = pickles.get(0);
    return name.substring(0, name.length() - "data.pkl".length());
  }

  static DType storageType(Global type, Path file, String key) {
    DType dtype = STORAGE_TYPES.get(type.qualifiedName());
    if (dtype == null) {
      throw new CheckpointFileException(file + ": storage " + key + " has type " + type.qualifiedName() + ", not a storage type");
    }
    return dtype;
  }

  private static StorageRef storageRef(Object id, Path file) {
    if (!(id instanceof Tuple t) || t.size() != 5 || !"storage".equals(t.get(0))
        || !(t.get(1) instanceof Global type) || !(t.get(2) instanceof String key) || !(t.get(4) instanceof Long elements)) {
      throw new CheckpointFileException(file + ": persistent id " + id + " is not ('storage', TYPE, KEY, DEVICE, NUMEL)");
    }
    return new StorageRef(key, storageType(type, file, key), elements);
  }

  /** {@code _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])}. */
  static TensorRef tensorRef(Tuple args, Path file) {
    if (args.size() < 4 || !(args.get(0) instanceof StorageRef storage) || !(args.get(1) instanceof Long offset) || offset < 0
        || !(args.get(2) instanceof Tuple size) || !(args.get(3) instanceof Tuple stride) || size.size() != stride.size()) {
      throw new CheckpointFileException(file + ": _rebuild_tensor_v2 called with " + args.items()
          + ", not (storage, offset, size, stride, ...)");
    }
    return new TensorRef(storage, offset, longs(size, file), longs(stride, file));
  }

  private static long[] longs(Tuple tuple, Path file) {
    long[] out = new long[tuple.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(tuple.get(i) instanceof Long v) || v < 0) {
        throw new CheckpointFileException(file + ": tensor size or stride " + tuple.items() + " is not a list of non-negative integers");
      }
      out[i] = v;
    }
    return out;
  }

  private static ByteBuffer storageBytes(ZipFile zip, String archive, StorageRef storage, String tensor, Path file) {
    String entryName = archive + "data/" + storage.key;
    ZipEntry entry = zip.getEntry(entryName);
    if (entry == null) {
      throw new CheckpointFileException(file + ": tensor " + tensor + ": storage " + entryName + " is missing from the zip");
    }
    byte[] bytes;
    try {
      bytes = readEntry(zip, entry, file);
    } catch (IOException e) {
      throw new CheckpointFileException(file + ": tensor " + tensor + ": cannot read storage " + entryName + ": " + e.getMessage(), e);
    }
    long expected = storage.elements > Long.MAX_VALUE / 8 ? -1 : storage.elements * storage.dtype.bytes();
    if (bytes.length != expected) {
      throw new CheckpointFileException(file + ": tensor " + tensor + ": storage " + entryName + " holds " + bytes.length
          + " bytes, its " + storage.elements + " " + storage.dtype + " elements need " + expected + ": truncated or wrong dtype");
    }
    return ByteBuffer.wrap(bytes);
  }

  /** The tensor's elements, row-major, from its storage by offset and strides. */
  static CheckpointTensor gather(String name, TensorRef ref, ByteBuffer storage, Path file) {
    int rank = ref.shape.length;
    long count;
    long last;
    try {
      count = CheckpointTensor.elementCount(ref.shape);
      // The last element a view reads: offset + sum((size-1) * stride); it must lie inside the storage.
      last = ref.offset;
      for (int d = 0; d < rank; d++) {
        last = Math.addExact(last, Math.multiplyExact(Math.max(0, ref.shape[d] - 1), ref.stride[d]));
      }
    } catch (ArithmeticException e) {
      throw new CheckpointFileException(file + ": tensor " + name + " has size " + Arrays.toString(ref.shape)
          + " and stride " + Arrays.toString(ref.stride) + ", beyond any storage");
    }
    if (count > 0 && last >= ref.storage.elements) {
      throw new CheckpointFileException(file + ": tensor " + name + " reads element " + last + " of storage "
          + ref.storage.key + ", which has " + ref.storage.elements);
    }
    if (count > Integer.MAX_VALUE - 8) {
      throw new CheckpointFileException(file + ": tensor " + name + " has " + count + " elements; over 2^31 is not supported");
    }
    DType dtype = ref.storage.dtype;
    int n = (int) count;
    boolean contiguous = true;
    long expectedStride = 1;
    for (int d = rank - 1; d >= 0; d--) {
      if (ref.shape[d] != 1 && ref.stride[d] != expectedStride) {
        contiguous = false;
      }
      expectedStride *= ref.shape[d];
    }
    if (contiguous) {
      ByteBuffer slice = storage.duplicate().position((int) (ref.offset * dtype.bytes()));
      return dtype.isFloatingPoint()
          ? CheckpointTensor.ofFloats(name, dtype, ref.shape, dtype.decodeFloats(slice, n), file)
          : CheckpointTensor.ofLongs(name, dtype, ref.shape, dtype.decodeLongs(slice, n), file);
    }
    // A strided view: decode the whole storage once, then walk the index in row-major order.
    int storageElements = (int) ref.storage.elements;
    long[] index = new long[rank];
    if (dtype.isFloatingPoint()) {
      float[] all = dtype.decodeFloats(storage.duplicate().position(0), storageElements);
      float[] out = new float[n];
      for (int i = 0; i < n; i++) {
        out[i] = all[(int) elementAt(ref, index)];
        increment(index, ref.shape);
      }
      return CheckpointTensor.ofFloats(name, dtype, ref.shape, out, file);
    }
    long[] all = dtype.decodeLongs(storage.duplicate().position(0), storageElements);
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = all[(int) elementAt(ref, index)];
      increment(index, ref.shape);
    }
    return CheckpointTensor.ofLongs(name, dtype, ref.shape, out, file);
  }

  private static long elementAt(TensorRef ref, long[] index) {
    long at = ref.offset;
    for (int d = 0; d < index.length; d++) {
      at += index[d] * ref.stride[d];
    }
    return at;
  }

  private static void increment(long[] index, long[] shape) {
    for (int d = index.length - 1; d >= 0; d--) {
      if (++index[d] < shape[d]) {
        return;
      }
      index[d] = 0;
    }
  }

  private static byte[] readEntry(ZipFile zip, ZipEntry entry, Path file) throws IOException {
    if (entry == null) {
      throw new CheckpointFileException(file + ": entry missing from the zip");
    }
    try (InputStream in = zip.getInputStream(entry)) {
      return in.readAllBytes();
    }
  }
}
