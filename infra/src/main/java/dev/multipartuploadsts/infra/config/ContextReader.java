package dev.multipartuploadsts.infra.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Typed reads of CDK context values. Values from {@code cdk.json} arrive as JSON types, values from
 * {@code cdk -c key=value} as strings, so every reader accepts both and fails with one voice:
 * "KEY must be RULE, but VALUE was given".
 */
final class ContextReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Function<String, Object> context;

    ContextReader(Function<String, Object> context) {
        this.context = context;
    }

    String string(String key, String defaultValue) {
        Object value = context.apply(key);
        if (value == null) {
            return defaultValue;
        }
        if (!(value instanceof String s)) {
            throw new InvalidConfigException(key + " must be a string, but " + describe(value) + " was given");
        }
        return s.trim();
    }

    /** A JSON boolean from cdk.json, or {@code true}/{@code false} as {@code cdk -c key=value} passes it. */
    boolean bool(String key, boolean defaultValue) {
        Object value = context.apply(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s && (s.trim().equals("true") || s.trim().equals("false"))) {
            return Boolean.parseBoolean(s.trim());
        }
        throw new InvalidConfigException(key + " must be true or false, but " + describe(value) + " was given");
    }

    int integer(String key, int defaultValue, int min, int max) {
        return (int) longInteger(key, defaultValue, min, max);
    }

    long longInteger(String key, long defaultValue, long min, long max) {
        Object value = context.apply(key);
        if (value == null) {
            return defaultValue;
        }
        long parsed = parseWholeNumber(key, value, min, max);
        if (parsed < min || parsed > max) {
            throw outOfRange(key, min, max, value);
        }
        return parsed;
    }

    int integerIn(String key, int defaultValue, List<Integer> allowed) {
        Object value = context.apply(key);
        if (value == null) {
            return defaultValue;
        }
        long parsed = parseWholeNumber(key, value, allowed.get(0), allowed.get(allowed.size() - 1));
        if (!allowed.contains((int) parsed) || parsed != (int) parsed) {
            throw new InvalidConfigException(key + " must be one of " + allowed + ", but " + describe(value)
                    + " was given");
        }
        return (int) parsed;
    }

    String stringIn(String key, String defaultValue, List<String> allowed) {
        String value = string(key, defaultValue);
        if (!allowed.contains(value)) {
            throw new InvalidConfigException(key + " must be one of " + allowed + ", but \"" + value + "\" was given");
        }
        return value;
    }

    <E extends Enum<E>> E oneOf(String key, Class<E> type, E defaultValue) {
        List<String> names = Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.toList());
        return Enum.valueOf(type, stringIn(key, defaultValue.name(), names).toUpperCase(Locale.ROOT));
    }

    /** A list given as a JSON array, or on the command line as a JSON array string or comma-separated string. */
    List<String> stringList(String key, String label, BiConsumer<String, String> validateItem) {
        Object value = context.apply(key);
        if (value == null) {
            return List.of();
        }
        List<?> items;
        if (value instanceof List<?> list) {
            items = list;
        } else if (value instanceof String s) {
            items = splitListString(key, s.trim());
        } else {
            throw new InvalidConfigException(key + " must be a list of strings, but " + describe(value) + " was given");
        }
        List<String> result = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            String itemLabel = label + "[" + i + "]";
            if (!(item instanceof String s)) {
                throw new InvalidConfigException(itemLabel + " must be a string, but " + describe(item) + " was given");
            }
            validateItem.accept(itemLabel, s);
            result.add(s);
        }
        return List.copyOf(result);
    }

    private static List<?> splitListString(String key, String s) {
        if (s.isEmpty()) {
            return List.of();
        }
        if (s.startsWith("[")) {
            try {
                return JSON.readValue(s, List.class);
            } catch (JsonProcessingException e) {
                throw new InvalidConfigException(key + " must be a JSON array of strings or a comma-separated list, "
                        + "but " + describe(s) + " was given (" + e.getOriginalMessage() + ")");
            }
        }
        return Arrays.stream(s.split(",")).map(String::trim).collect(Collectors.toList());
    }

    private static long parseWholeNumber(String key, Object value, long min, long max) {
        BigDecimal number;
        try {
            if (value instanceof Number n) {
                number = new BigDecimal(n.toString());
            } else if (value instanceof String s) {
                number = new BigDecimal(s.trim());
            } else {
                throw outOfRange(key, min, max, value);
            }
            return number.longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw outOfRange(key, min, max, value);
        }
    }

    private static InvalidConfigException outOfRange(String key, long min, long max, Object value) {
        return new InvalidConfigException(key + " must be a whole number from " + min + " to " + max + ", but "
                + describe(value) + " was given");
    }

    static String describe(Object value) {
        if (value instanceof String s) {
            return "\"" + s + "\"";
        }
        if (value instanceof List<?>) {
            return "a list " + value;
        }
        if (value instanceof java.util.Map<?, ?>) {
            return "an object " + value;
        }
        return String.valueOf(value);
    }
}
