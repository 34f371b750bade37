package dev.nnc.emit;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the bytecode length of every method in a class file, by parsing the file itself (JVMS §4:
 * the constant pool, then the methods and their {@code Code} attributes). HotSpot does not
 * JIT-compile a method whose bytecode is longer than 8,000 bytes ({@code
 * -XX:-DontCompileHugeMethods} aside), so a generated kernel that long would run interpreted, tens
 * of times slower: tests hold every generated method to that limit.
 */
public final class BytecodeSizes {
  /** HotSpot's {@code HugeMethodLimit}: longer methods are never compiled. */
  public static final int HUGE_METHOD_LIMIT = 8000;

  private BytecodeSizes() {}

  /**
   * One method's code length.
   *
   * @param name the method's name ({@code <init>}, {@code <clinit>} included)
   * @param descriptor its JVM descriptor, e.g. {@code (I)V}
   * @param codeLength bytes of bytecode (0 for abstract and native methods)
   */
  public record MethodSize(String name, String descriptor, int codeLength) {
    @Override
    public String toString() {
      return name + descriptor + ": " + codeLength + " bytes";
    }
  }

  /** Every method of the class in {@code classFile}, in declaration order. */
  public static List<MethodSize> methods(byte[] classFile) {
    try {
      return read(new DataInputStream(new ByteArrayInputStream(classFile)));
    } catch (IOException e) {
      throw new UncheckedIOException("truncated class file", e);
    }
  }

  private static List<MethodSize> read(DataInputStream in) throws IOException {
    if (in.readInt() != 0xCAFEBABE) {
      throw new IllegalArgumentException("not a class file");
    }
    in.readUnsignedShort(); // minor version
    in.readUnsignedShort(); // major version
    String[] utf8 = readConstantPool(in);
    in.readUnsignedShort(); // access flags
    in.readUnsignedShort(); // this class
    in.readUnsignedShort(); // super class
    int interfaces = in.readUnsignedShort();
    in.skipBytes(2 * interfaces);
    int fields = in.readUnsignedShort();
    for (int f = 0; f < fields; f++) {
      in.skipBytes(6); // access, name, descriptor
      skipAttributes(in);
    }
    int methodCount = in.readUnsignedShort();
    List<MethodSize> methods = new ArrayList<>();
    for (int m = 0; m < methodCount; m++) {
      in.readUnsignedShort(); // access flags
      String name = utf8[in.readUnsignedShort()];
      String descriptor = utf8[in.readUnsignedShort()];
      int codeLength = 0;
      int attributes = in.readUnsignedShort();
      for (int a = 0; a < attributes; a++) {
        String attribute = utf8[in.readUnsignedShort()];
        int length = in.readInt();
        if ("Code".equals(attribute)) {
          in.readUnsignedShort(); // max stack
          in.readUnsignedShort(); // max locals
          codeLength = in.readInt();
          in.skipBytes(length - 8);
        } else {
          in.skipBytes(length);
        }
      }
      methods.add(new MethodSize(name, descriptor, codeLength));
    }
    return methods;
  }

  /** The pool's UTF-8 entries by index (null for the other kinds); every entry is skipped over. */
  private static String[] readConstantPool(DataInputStream in) throws IOException {
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    for (int index = 1; index < count; index++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[index] = in.readUTF(); // Utf8: u2 length, then modified UTF-8
        case 3, 4 -> in.skipBytes(4); // Integer, Float
        case 5, 6 -> { // Long, Double take two slots
          in.skipBytes(8);
          index++;
        }
        case 7, 8, 16, 19, 20 -> in.skipBytes(2); // Class, String, MethodType, Module, Package
        case 9, 10, 11, 12, 17, 18 -> in.skipBytes(4); // refs, NameAndType, (Invoke)Dynamic
        case 15 -> in.skipBytes(3); // MethodHandle
        default -> throw new IllegalArgumentException("unknown constant-pool tag " + tag);
      }
    }
    return utf8;
  }

  private static void skipAttributes(DataInputStream in) throws IOException {
    int attributes = in.readUnsignedShort();
    for (int a = 0; a < attributes; a++) {
      in.skipBytes(2);
      in.skipBytes(in.readInt());
    }
  }
}
