package dev.nnc.runtime.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Reads and writes NumPy {@code .npz} archives: a zip whose members {@code NAME.npy} each hold one
 * array, as {@code np.savez} (stored) and {@code np.savez_compressed} (deflated) write them.
 */
public final class Npz {
  private static final String SUFFIX = ".npy";

  private Npz() {}

  /**
   * The arrays of {@code file} in archive order, keyed by member name without {@code .npy}.
   *
   * @throws DataFormatException if the file is not a zip, or a member is not a readable array (the
   *     message names the file and the member)
   * @throws IOException if the file cannot be read at all (missing, no permission)
   */
  public static LinkedHashMap<String, NpyArray> read(Path file) throws IOException {
    String fileName = file.getFileName().toString();
    LinkedHashMap<String, NpyArray> arrays = new LinkedHashMap<>();
    if (!Files.isRegularFile(file)) {
      throw new java.nio.file.NoSuchFileException(file.toString());
    }
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile());
    } catch (ZipException e) {
      throw new DataFormatException(fileName + ": not a zip archive (" + e.getMessage() + ")", e);
    }
    try (zip) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        if (entry.isDirectory()) {
          continue;
        }
        String memberName = entry.getName();
        if (!memberName.endsWith(SUFFIX)) {
          throw new DataFormatException(
              fileName + ": member '" + memberName + "' is not an .npy array");
        }
        String key = memberName.substring(0, memberName.length() - SUFFIX.length());
        String where = fileName + ": member '" + key + "'";
        byte[] bytes;
        try (InputStream in = zip.getInputStream(entry)) {
          bytes = in.readAllBytes();
        } catch (ZipException | java.io.EOFException e) {
          throw new DataFormatException(where + ": damaged zip data (" + e.getMessage() + ")", e);
        }
        arrays.put(key, Npy.read(bytes, where));
      }
    }
    return arrays;
  }

  /**
   * The member {@code name} of arrays read from {@code fileName}, or a {@link DataFormatException}
   * listing the members there are.
   */
  public static NpyArray member(Map<String, NpyArray> arrays, String fileName, String name) {
    NpyArray array = arrays.get(name);
    if (array == null) {
      throw new DataFormatException(
          fileName
              + ": no member '"
              + name
              + "' (members: "
              + String.join(", ", arrays.keySet())
              + ")");
    }
    return array;
  }

  /**
   * Like {@link #member}, and checks the member's dtype: {@code S1_init.npz: member 'W': expected
   * dtype <f8, found <i8}.
   */
  public static NpyArray member(
      Map<String, NpyArray> arrays, String fileName, String name, String expectedDtype) {
    NpyArray array = member(arrays, fileName, name);
    if (!array.dtype().equals(expectedDtype)) {
      throw new DataFormatException(
          fileName
              + ": member '"
              + name
              + "': expected dtype "
              + expectedDtype
              + ", found "
              + array.dtype());
    }
    return array;
  }

  /**
   * Writes {@code arrays} as an uncompressed archive (as {@code np.savez}), each under {@code
   * KEY.npy}, atomically: the archive is written and synced to a temporary file in the same folder,
   * then moved over {@code file}, so a failure part-way never destroys an earlier good file.
   */
  public static void write(Path file, Map<String, NpyArray> arrays) throws IOException {
    Path absolute = file.toAbsolutePath();
    Path folder = absolute.getParent();
    Path temporary = AtomicFiles.temporarySibling(absolute);
    boolean moved = false;
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        OutputStream out = Channels.newOutputStream(channel);
        ZipOutputStream zip = new ZipOutputStream(out);
        for (Map.Entry<String, NpyArray> entry : arrays.entrySet()) {
          if (entry.getKey().isEmpty()) {
            throw new IllegalArgumentException("an .npz member needs a non-empty name");
          }
          byte[] bytes = Npy.toBytes(entry.getValue());
          ZipEntry zipEntry = new ZipEntry(entry.getKey() + SUFFIX);
          // Stored, like np.savez: the size and CRC must be known before the data.
          zipEntry.setMethod(ZipEntry.STORED);
          // A fixed time, so the same arrays always make the same bytes (runs compare as files)
          zipEntry.setTimeLocal(java.time.LocalDateTime.of(1980, 1, 1, 0, 0));
          zipEntry.setSize(bytes.length);
          zipEntry.setCompressedSize(bytes.length);
          CRC32 crc = new CRC32();
          crc.update(bytes);
          zipEntry.setCrc(crc.getValue());
          zip.putNextEntry(zipEntry);
          zip.write(bytes);
          zip.closeEntry();
        }
        zip.finish();
        zip.flush();
        channel.force(true);
      }
      try {
        Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(temporary);
      }
    }
  }
}
