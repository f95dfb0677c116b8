package dev.clipsearch.config;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The setting types: each parser checks its value and fails with a message that reads after the setting's name
 * ("--port: must be a whole number in 0..65535, got 'x'").
 */
final class Parse {
  private Parse() {}

  static Function<String, Integer> integer(int min, int max) {
    return s -> (int) whole(s, min, max);
  }

  static Function<String, Long> longInteger(long min, long max) {
    return s -> whole(s, min, max);
  }

  private static long whole(String s, long min, long max) {
    long v;
    try {
      v = Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must be a whole number in " + min + ".." + max + ", got '" + s + "'");
    }
    if (v < min || v > max) {
      throw new IllegalArgumentException("must be in " + min + ".." + max + ", got " + v);
    }
    return v;
  }

  static Function<String, Double> decimal(double min, double max) {
    return s -> {
      double v;
      try {
        v = Double.parseDouble(s);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("must be a number in " + min + ".." + max + ", got '" + s + "'");
      }
      if (!(v >= min && v <= max)) {
        throw new IllegalArgumentException("must be in " + min + ".." + max + ", got " + s);
      }
      return v;
    };
  }

  static Function<String, String> text() {
    return s -> s;
  }

  /** @param what completes "must be ..." */
  static Function<String, String> matching(String regex, String what) {
    return s -> {
      if (!s.matches(regex)) {
        throw new IllegalArgumentException("must be " + what + ", got '" + s + "'");
      }
      return s;
    };
  }

  static Function<String, Path> path() {
    return s -> {
      if (s.isEmpty()) {
        throw new IllegalArgumentException("must not be empty");
      }
      return Path.of(s).toAbsolutePath().normalize();
    };
  }

  static Function<String, Boolean> bool() {
    return s -> switch (s.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("must be true or false, got '" + s + "'");
    };
  }

  /** An enum constant by its {@linkplain #label label}, case ignored. */
  static <E extends Enum<E>> Function<String, E> choice(Class<E> type) {
    return s -> {
      for (E e : type.getEnumConstants()) {
        if (label(e).equalsIgnoreCase(s)) {
          return e;
        }
      }
      throw new IllegalArgumentException("must be one of " + choices(type) + ", got '" + s + "'");
    };
  }

  /** How a constant is written in flags and files: {@code NATIVE_FAST} is {@code native-fast}. */
  static String label(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static <E extends Enum<E>> String choices(Class<E> type) {
    return Arrays.stream(type.getEnumConstants()).map(Parse::label).collect(Collectors.joining("|"));
  }

  /** Comma-separated values, blanks dropped, each parsed by {@code element}. */
  static <T> Function<String, List<T>> list(Function<String, T> element) {
    return s -> Arrays.stream(s.split(",")).map(String::strip).filter(v -> !v.isEmpty()).map(element).toList();
  }
}
