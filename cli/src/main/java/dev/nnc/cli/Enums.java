package dev.nnc.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Converts an option value to a constant of {@code E}, ignoring case ({@code --plot svg}); the
 * error lists the values there are.
 */
class Enums<E extends Enum<E>> implements ITypeConverter<E> {
  private final Class<E> type;

  Enums(Class<E> type) {
    this.type = type;
  }

  @Override
  public E convert(String value) {
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(value.strip())) {
        return constant;
      }
    }
    StringBuilder names = new StringBuilder();
    for (E constant : type.getEnumConstants()) {
      names
          .append(names.length() == 0 ? "" : ", ")
          .append(constant.name().toLowerCase(Locale.ROOT));
    }
    throw new TypeConversionException("'" + value + "' is not one of " + names);
  }
}
