package io.dnalab.checkpoint;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A pickle reader that can only rebuild what {@code torch.save} writes for a state dict: an
 * {@code OrderedDict} of names to tensors. It is a data parser, not a pickle virtual machine: it
 * calls nothing. {@code GLOBAL} is accepted only for the names in {@link #ALLOWED_GLOBALS}, each
 * mapped to a fixed Java action; any other global ({@code os.system}, {@code builtins.eval}, a
 * user class) is refused the moment it is read, before anything could use it, with an error naming
 * it. Opcodes a state dict does not need ({@code INST}, {@code OBJ}, {@code NEWOBJ}, extensions,
 * ...) are refused the same way.
 *
 * <p>Values on the stack: {@link String}, {@link Long}, {@link BigInteger} (LONG1 beyond 64 bits),
 * {@link Double}, {@link Boolean}, {@code null}, {@link Tuple}, {@link List}, {@link Map}
 * (insertion-ordered), {@link Global}, and whatever {@code persistentLoad} and {@code
 * rebuildTensor} return.
 */
final class RestrictedUnpickler {
  /** module.name of every global a torch state dict uses; nothing else can be named. */
  static final Set<String> ALLOWED_GLOBALS = Set.of(
      "collections.OrderedDict",
      "torch._utils._rebuild_tensor_v2",
      "torch._utils._rebuild_parameter",
      "torch._utils._rebuild_parameter_with_state",
      "torch.DoubleStorage", "torch.FloatStorage", "torch.HalfStorage", "torch.BFloat16Storage",
      "torch.LongStorage", "torch.IntStorage", "torch.ShortStorage", "torch.CharStorage",
      "torch.ByteStorage", "torch.BoolStorage");

  /** An immutable pickle tuple. */
  record Tuple(List<Object> items) {
    Object get(int i) {
      return items.get(i);
    }

    int size() {
      return items.size();
    }
  }

  /** An allowed global, as read; it is data until {@code REDUCE} maps it to a Java action. */
  record Global(String qualifiedName) {}

  /** Builds a tensor from {@code _rebuild_tensor_v2}'s arguments. */
  interface TensorRebuilder {
    Object rebuild(Tuple arguments);
  }

  private final byte[] pickle;
  private final String source;
  private final Function<Object, Object> persistentLoad;
  private final TensorRebuilder rebuildTensor;
  private int position;
  private final List<Object> stack = new ArrayList<>();
  private final Deque<Integer> marks = new ArrayDeque<>();
  private final Map<Integer, Object> memo = new HashMap<>();

  /**
   * @param pickle the pickle bytes
   * @param source names the pickle in errors, e.g. {@code "model.bin/archive/data.pkl"}
   * @param persistentLoad what a {@code BINPERSID} id (a tuple) stands for
   * @param rebuildTensor what {@code _rebuild_tensor_v2(...)} returns
   */
  RestrictedUnpickler(byte[] pickle, String source, Function<Object, Object> persistentLoad, TensorRebuilder rebuildTensor) {
    this(pickle, 0, source, persistentLoad, rebuildTensor);
  }

  /** A reader of the pickle that starts at byte {@code start} of {@code data} (one of several in a row). */
  RestrictedUnpickler(byte[] data, int start, String source, Function<Object, Object> persistentLoad,
      TensorRebuilder rebuildTensor) {
    this.pickle = data;
    this.position = start;
    this.source = source;
    this.persistentLoad = persistentLoad;
    this.rebuildTensor = rebuildTensor;
  }

  /** The byte after the last one read: after {@link #load()}, where the next pickle or data starts. */
  int position() {
    return position;
  }

  /** Reads the pickle up to {@code STOP} and returns its value. */
  Object load() {
    while (true) {
      if (position >= pickle.length) {
        throw error("truncated: the pickle ends before its STOP opcode");
      }
      int at = position;
      int opcode = pickle[position++] & 0xff;
      switch (opcode) {
        case 0x80 -> { // PROTO n
          int protocol = u8();
          if (protocol > 5) {
            throw error("pickle protocol " + protocol + " is not supported");
          }
        }
        case 0x95 -> bytes(8); // FRAME: a length hint only
        case '.' -> { // STOP
          if (stack.size() != 1) {
            throw error("malformed: " + stack.size() + " values on the stack at STOP");
          }
          return stack.get(0);
        }
        case '(' -> marks.push(stack.size()); // MARK
        case ')' -> stack.add(new Tuple(List.of())); // EMPTY_TUPLE
        case '}' -> stack.add(new LinkedHashMap<Object, Object>()); // EMPTY_DICT
        case ']' -> stack.add(new ArrayList<Object>()); // EMPTY_LIST
        case 't' -> stack.add(new Tuple(popToMark(at))); // TUPLE
        case 0x85 -> stack.add(tupleOf(at, 1)); // TUPLE1
        case 0x86 -> stack.add(tupleOf(at, 2)); // TUPLE2
        case 0x87 -> stack.add(tupleOf(at, 3)); // TUPLE3
        case 'X' -> stack.add(utf8(u32())); // BINUNICODE
        case 0x8c -> stack.add(utf8(u8())); // SHORT_BINUNICODE
        case 0x8d -> stack.add(utf8(u64())); // BINUNICODE8
        case 'J' -> stack.add((long) ByteBuffer.wrap(bytes(4)).order(ByteOrder.LITTLE_ENDIAN).getInt()); // BININT
        case 'K' -> stack.add((long) u8()); // BININT1
        case 'M' -> stack.add((long) (ByteBuffer.wrap(bytes(2)).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff)); // BININT2
        case 0x8a -> stack.add(long1(u8())); // LONG1
        case 'G' -> stack.add(ByteBuffer.wrap(bytes(8)).order(ByteOrder.BIG_ENDIAN).getDouble()); // BINFLOAT
        case 'N' -> stack.add(null); // NONE
        case 0x88 -> stack.add(Boolean.TRUE); // NEWTRUE
        case 0x89 -> stack.add(Boolean.FALSE); // NEWFALSE
        case 'q' -> memo.put(u8(), top(at)); // BINPUT
        case 'r' -> memo.put(u32(), top(at)); // LONG_BINPUT
        case 0x94 -> memo.put(memo.size(), top(at)); // MEMOIZE
        case 'h' -> stack.add(memoGet(u8(), at)); // BINGET
        case 'j' -> stack.add(memoGet(u32(), at)); // LONG_BINGET
        case 'c' -> stack.add(global(line(), line())); // GLOBAL module\nname\n
        case 0x93 -> { // STACK_GLOBAL
          Object name = pop(at);
          Object module = pop(at);
          if (!(module instanceof String m) || !(name instanceof String n)) {
            throw error("malformed STACK_GLOBAL at byte " + at);
          }
          stack.add(global(m, n));
        }
        case 'Q' -> stack.add(persistentLoad.apply(pop(at))); // BINPERSID
        case 'R' -> { // REDUCE
          Object arguments = pop(at);
          Object callable = pop(at);
          stack.add(reduce(callable, arguments, at));
        }
        case 'b' -> build(pop(at), at); // BUILD: state applied to the object below it
        case 's' -> { // SETITEM
          Object value = pop(at);
          Object key = pop(at);
          dictionaryOnTop(at).put(key, value);
        }
        case 'u' -> { // SETITEMS
          List<Object> items = popToMark(at);
          if (items.size() % 2 != 0) {
            throw error("malformed SETITEMS at byte " + at + ": odd number of items");
          }
          Map<Object, Object> dict = dictionaryOnTop(at);
          for (int i = 0; i < items.size(); i += 2) {
            dict.put(items.get(i), items.get(i + 1));
          }
        }
        case 'a' -> { // APPEND
          Object value = pop(at);
          listOnTop(at).add(value);
        }
        case 'e' -> { // APPENDS
          List<Object> items = popToMark(at);
          listOnTop(at).addAll(items);
        }
        case '0' -> pop(at); // POP
        case '1' -> popToMark(at); // POP_MARK
        case '2' -> stack.add(top(at)); // DUP
        default -> throw error("pickle opcode " + describe(opcode) + " at byte " + at
            + " is not allowed: a state dict of tensors does not need it");
      }
    }
  }

  private Global global(String module, String name) {
    String qualified = module + "." + name;
    if (!ALLOWED_GLOBALS.contains(qualified)) {
      throw new CheckpointFileException("refusing pickle global " + qualified + " in " + source
          + ": only the globals that rebuild tensors are allowed (" + String.join(", ", new TreeSet<>(ALLOWED_GLOBALS))
          + "); this file may be crafted to run code when Python loads it");
    }
    return new Global(qualified);
  }

  private Object reduce(Object callable, Object arguments, int at) {
    if (!(callable instanceof Global global) || !(arguments instanceof Tuple args)) {
      throw error("REDUCE at byte " + at + " applies " + callable + " to " + arguments + ": only allowed globals can be applied");
    }
    switch (global.qualifiedName()) {
      case "collections.OrderedDict" -> {
        if (args.size() != 0) {
          throw error("OrderedDict built from arguments at byte " + at + " is not supported");
        }
        return new LinkedHashMap<Object, Object>();
      }
      case "torch._utils._rebuild_tensor_v2" -> {
        return rebuildTensor.rebuild(args);
      }
      // A Parameter is its data tensor; requires_grad and hooks do not matter for reading weights.
      case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" -> {
        if (args.size() < 1) {
          throw error(global.qualifiedName() + " without arguments at byte " + at);
        }
        return args.get(0);
      }
      default -> throw error(global.qualifiedName() + " is a storage type and cannot be called (byte " + at + ")");
    }
  }

  /**
   * BUILD sets an object's attributes. torch.save uses it for the state dict's {@code _metadata}
   * (module versions) and for tensor attributes; neither changes any weight, so the state is
   * checked to be a dict (or a (dict, dict) slot-state pair) and dropped.
   */
  private void build(Object state, int at) {
    Object target = top(at);
    boolean stateIsAttributes = state == null || state instanceof Map
        || (state instanceof Tuple t && t.size() == 2 && t.items().stream().allMatch(s -> s == null || s instanceof Map));
    if (!stateIsAttributes || target instanceof Global || target instanceof String || target instanceof Number) {
      throw error("BUILD at byte " + at + " on " + describeValue(target) + " is not supported");
    }
  }

  // ---------------------------------------------------------------- stack and bytes

  private Tuple tupleOf(int at, int n) {
    if (stack.size() - (marks.isEmpty() ? 0 : marks.peek()) < n) {
      throw error("malformed: TUPLE" + n + " at byte " + at + " with too few values");
    }
    List<Object> items = new ArrayList<>(stack.subList(stack.size() - n, stack.size()));
    stack.subList(stack.size() - n, stack.size()).clear();
    return new Tuple(items);
  }

  private List<Object> popToMark(int at) {
    if (marks.isEmpty()) {
      throw error("malformed: opcode at byte " + at + " needs a MARK and there is none");
    }
    int mark = marks.pop();
    List<Object> items = new ArrayList<>(stack.subList(mark, stack.size()));
    stack.subList(mark, stack.size()).clear();
    return items;
  }

  private Object pop(int at) {
    if (stack.size() <= (marks.isEmpty() ? 0 : marks.peek())) {
      throw error("malformed: the stack is empty at byte " + at);
    }
    return stack.remove(stack.size() - 1);
  }

  private Object top(int at) {
    if (stack.isEmpty()) {
      throw error("malformed: the stack is empty at byte " + at);
    }
    return stack.get(stack.size() - 1);
  }

  @SuppressWarnings("unchecked")
  private Map<Object, Object> dictionaryOnTop(int at) {
    if (!(top(at) instanceof Map<?, ?> map)) {
      throw error("malformed: items set at byte " + at + " on " + describeValue(top(at)) + ", not a dict");
    }
    return (Map<Object, Object>) map;
  }

  @SuppressWarnings("unchecked")
  private List<Object> listOnTop(int at) {
    if (!(top(at) instanceof List<?> list)) {
      throw error("malformed: items appended at byte " + at + " to " + describeValue(top(at)) + ", not a list");
    }
    return (List<Object>) list;
  }

  private Object memoGet(int index, int at) {
    if (!memo.containsKey(index)) {
      throw error("malformed: memo entry " + index + " read at byte " + at + " was never stored");
    }
    return memo.get(index);
  }

  private byte[] bytes(long n) {
    if (n < 0 || n > pickle.length - position) {
      throw error("truncated: " + n + " bytes wanted at byte " + position + ", " + (pickle.length - position) + " left");
    }
    byte[] out = new byte[(int) n];
    System.arraycopy(pickle, position, out, 0, (int) n);
    position += (int) n;
    return out;
  }

  private int u8() {
    return bytes(1)[0] & 0xff;
  }

  private int u32() {
    long value = ByteBuffer.wrap(bytes(4)).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
    if (value > Integer.MAX_VALUE) {
      throw error("a length of " + value + " at byte " + (position - 4) + " is too large");
    }
    return (int) value;
  }

  private long u64() {
    return ByteBuffer.wrap(bytes(8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  /** LONG1: n bytes, little-endian two's complement. */
  private Object long1(int n) {
    byte[] little = bytes(n);
    if (n == 0) {
      return 0L;
    }
    byte[] big = new byte[n];
    for (int i = 0; i < n; i++) {
      big[i] = little[n - 1 - i];
    }
    BigInteger value = new BigInteger(big);
    return value.bitLength() < 64 ? (Object) value.longValue() : value;
  }

  private String utf8(long n) {
    return new String(bytes(n), StandardCharsets.UTF_8);
  }

  /** A GLOBAL argument: text up to a newline. */
  private String line() {
    int start = position;
    while (position < pickle.length && pickle[position] != '\n') {
      position++;
    }
    if (position >= pickle.length) {
      throw error("truncated inside a GLOBAL name");
    }
    String text = new String(pickle, start, position - start, StandardCharsets.UTF_8);
    position++;
    return text;
  }

  private static String describe(int opcode) {
    String hex = String.format("0x%02x", opcode);
    return opcode >= 0x20 && opcode < 0x7f ? "'" + (char) opcode + "' (" + hex + ")" : hex;
  }

  private static String describeValue(Object value) {
    return value == null ? "None" : value.getClass().getSimpleName();
  }

  private CheckpointFileException error(String message) {
    return new CheckpointFileException(source + ": " + message);
  }
}
