package io.dnalab.checkpoint;

import io.dnalab.checkpoint.RestrictedUnpickler.Global;
import io.dnalab.checkpoint.RestrictedUnpickler.Tuple;
import io.dnalab.checkpoint.TorchCheckpoint.StorageRef;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code pytorch_model.bin} in the format {@code torch.save} used before torch 1.6 (and with
 * {@code _use_new_zipfile_serialization=False} since), which older checkpoints such as DNABERT's
 * may ship in. The file is five things in a row: a pickled magic number, the protocol version
 * (1001), a dict of system information (byte order, C type sizes), the pickled state dict whose
 * persistent ids are {@code ('storage', TYPE, KEY, DEVICE, NUMEL, VIEW)}, a pickled list of storage
 * keys; then, for each key in that order, its element count as a little-endian int64 and its raw
 * bytes. All pickles go through {@link RestrictedUnpickler}: nothing is executed.
 */
final class LegacyTorchCheckpoint {
  private LegacyTorchCheckpoint() {}

  private static final BigInteger MAGIC = new BigInteger("119547037146038801333356");
  private static final long PROTOCOL_VERSION = 1001;

  /** A storage view ({@code VIEW} = (view key, offset, size)): a slice of a root storage. */
  private record View(String rootKey, long offset) {}

  static Map<String, CheckpointTensor> read(Path file) {
    byte[] data;
    try {
      if (Files.size(file) > Integer.MAX_VALUE - 8) {
        throw new CheckpointFileException(file + ": over 2 GB in torch's legacy format; re-save it as safetensors");
      }
      data = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new CheckpointFileException(file + ": cannot read: " + e.getMessage(), e);
    }
    String source = file + " (legacy torch format)";
    Map<String, StorageRef> roots = new HashMap<>();
    Map<String, View> views = new HashMap<>();
    int at = 0;
    RestrictedUnpickler magic = plain(data, at, source);
    if (!MAGIC.equals(asBig(magic.load()))) {
      throw new CheckpointFileException(file + ": not a torch checkpoint: its first pickle is not torch's magic number");
    }
    RestrictedUnpickler version = plain(data, magic.position(), source);
    Object protocol = version.load();
    if (!(protocol instanceof Long p) || p != PROTOCOL_VERSION) {
      throw new CheckpointFileException(file + ": legacy torch protocol version " + protocol + ", expected " + PROTOCOL_VERSION);
    }
    RestrictedUnpickler systemInfo = plain(data, version.position(), source);
    if (systemInfo.load() instanceof Map<?, ?> info && Boolean.FALSE.equals(info.get("little_endian"))) {
      throw new CheckpointFileException(file + ": saved on a big-endian machine; only little-endian checkpoints are supported");
    }
    RestrictedUnpickler main = new RestrictedUnpickler(data, systemInfo.position(), source,
        id -> storageRef(id, file, roots, views), args -> TorchCheckpoint.tensorRef(args, file));
    Object stateDict = main.load();
    RestrictedUnpickler keyList = plain(data, main.position(), source);
    if (!(keyList.load() instanceof List<?> keys)) {
      throw new CheckpointFileException(file + ": the storage key list after the state dict is missing");
    }
    // The storages follow the key list: per key, an int64 element count, then the bytes.
    Map<String, ByteBuffer> rootBytes = new HashMap<>();
    int position = keyList.position();
    for (Object key : keys) {
      StorageRef root = roots.get(String.valueOf(key));
      if (root == null) {
        throw new CheckpointFileException(file + ": storage " + key + " is listed but no tensor uses it");
      }
      if (position + 8L > data.length) {
        throw new CheckpointFileException(file + ": truncated before storage " + key);
      }
      long elements = ByteBuffer.wrap(data, position, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
      if (elements != root.elements() || elements < 0 || elements > Integer.MAX_VALUE) {
        throw new CheckpointFileException(file + ": storage " + key + " holds " + elements + " elements, its tensors say "
            + root.elements() + ": corrupt file");
      }
      long bytes = elements * root.dtype().bytes();
      if (position + 8L + bytes > data.length) {
        throw new CheckpointFileException(file + ": truncated: storage " + key + " needs " + bytes + " bytes at byte "
            + (position + 8) + ", the file ends at " + data.length);
      }
      rootBytes.put(root.key(), ByteBuffer.wrap(data, position + 8, (int) bytes).slice());
      position += 8 + (int) bytes;
    }
    return TorchCheckpoint.tensors(stateDict, file, (storage, tensor) -> {
      View view = views.get(storage.key());
      String rootKey = view == null ? storage.key() : view.rootKey();
      ByteBuffer bytes = rootBytes.get(rootKey);
      if (bytes == null) {
        throw new CheckpointFileException(file + ": tensor " + tensor + ": storage " + rootKey + " is not in the file");
      }
      if (view == null) {
        return bytes;
      }
      long from = view.offset() * storage.dtype().bytes();
      long length = storage.elements() * storage.dtype().bytes();
      if (view.offset() < 0 || storage.elements() < 0 || view.offset() > bytes.capacity() || storage.elements() > bytes.capacity()
          || from + length > bytes.capacity()) {
        throw new CheckpointFileException(file + ": tensor " + tensor + ": view of storage " + rootKey + " reaches past its end");
      }
      return bytes.duplicate().position((int) from).limit((int) (from + length)).slice();
    });
  }

  /** A pickle with no persistent ids and no tensors (magic, version, system info, key list). */
  private static RestrictedUnpickler plain(byte[] data, int at, String source) {
    return new RestrictedUnpickler(data, at, source,
        id -> {
          throw new CheckpointFileException(source + ": unexpected persistent id " + id + " at byte " + at);
        },
        args -> {
          throw new CheckpointFileException(source + ": unexpected tensor at byte " + at);
        });
  }

  private static BigInteger asBig(Object value) {
    return value instanceof Long l ? BigInteger.valueOf(l) : value instanceof BigInteger b ? b : null;
  }

  /** {@code ('storage', TYPE, KEY, DEVICE, NUMEL, VIEW)}, VIEW None or (view key, offset, view size). */
  private static StorageRef storageRef(Object id, Path file, Map<String, StorageRef> roots, Map<String, View> views) {
    if (!(id instanceof Tuple t) || t.size() != 6 || !"storage".equals(t.get(0)) || !(t.get(1) instanceof Global type)
        || !(t.get(2) instanceof String key) || !(t.get(4) instanceof Long elements)) {
      throw new CheckpointFileException(file + ": persistent id " + id + " is not ('storage', TYPE, KEY, DEVICE, NUMEL, VIEW)");
    }
    DType dtype = TorchCheckpoint.storageType(type, file, key);
    StorageRef root = roots.computeIfAbsent(key, k -> new StorageRef(k, dtype, elements));
    if (t.get(5) == null) {
      return root;
    }
    if (!(t.get(5) instanceof Tuple view) || view.size() != 3 || !(view.get(0) instanceof String viewKey)
        || !(view.get(1) instanceof Long offset) || !(view.get(2) instanceof Long viewSize)) {
      throw new CheckpointFileException(file + ": storage view " + t.get(5) + " is not (KEY, OFFSET, SIZE)");
    }
    views.put(viewKey, new View(key, offset));
    return new StorageRef(viewKey, dtype, viewSize);
  }
}
