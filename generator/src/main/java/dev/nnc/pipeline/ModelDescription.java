package dev.nnc.pipeline;

import dev.nnc.ir.Model;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Optional;

/**
 * A complete, unambiguous text of a checked {@link Model}: every component of every record, strings
 * with their length (so no file name can pass for another field), doubles as their exact {@code
 * Double.toString}. Two models with the same description generate the same class: it is the class
 * cache's key for what the generator reads (the {@code .nn} file, after the overrides of the
 * command line, and whatever the checker read besides, such as a data file's row count, all of
 * which the model holds). A type the description does not know is refused rather than described by
 * half: a new kind of IR component must be added here (a test describes every sample).
 */
public final class ModelDescription {
  private ModelDescription() {}

  public static String of(Model model) {
    StringBuilder text = new StringBuilder();
    describe(model, text);
    return text.toString();
  }

  private static void describe(Object value, StringBuilder out) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      out.append('"').append(s.length()).append(':').append(s).append('"');
    } else if (value instanceof Double || value instanceof Float) {
      out.append(value).append(value instanceof Double ? 'd' : 'f');
    } else if (value instanceof Integer
        || value instanceof Long
        || value instanceof Boolean
        || value instanceof Short
        || value instanceof Byte) {
      out.append(value).append(value.getClass().getSimpleName().charAt(0));
    } else if (value instanceof Character c) {
      out.append("c").append((int) c);
    } else if (value instanceof Enum<?> e) {
      out.append(e.getDeclaringClass().getName()).append('.').append(e.name());
    } else if (value instanceof Optional<?> optional) {
      if (optional.isPresent()) {
        out.append("some(");
        describe(optional.get(), out);
        out.append(')');
      } else {
        out.append("none");
      }
    } else if (value instanceof List<?> list) {
      out.append('[').append(list.size()).append(':');
      for (Object element : list) {
        describe(element, out);
        out.append(',');
      }
      out.append(']');
    } else if (value instanceof Record record) {
      out.append(record.getClass().getName()).append('{');
      for (RecordComponent component : record.getClass().getRecordComponents()) {
        out.append(component.getName()).append('=');
        try {
          describe(component.getAccessor().invoke(record), out);
        } catch (IllegalAccessException | InvocationTargetException e) {
          throw new IllegalStateException("cannot read " + component + " of " + record, e);
        }
        out.append(';');
      }
      out.append('}');
    } else {
      throw new IllegalArgumentException(
          "no description of a " + value.getClass().getName() + " (add it to ModelDescription)");
    }
  }
}
