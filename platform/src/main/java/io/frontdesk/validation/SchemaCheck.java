package io.frontdesk.validation;

import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaException;
import io.vertx.json.schema.Validator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validates JSON against a JSON Schema (draft 2020-12) and reports field-level errors with paths
 * such as {@code targets[0].port}.
 */
public final class SchemaCheck {

  private static final Pattern REQUIRED = Pattern.compile("required property \"?([^\"]+)\"?");

  private final Validator validator;
  private final JsonObject schema;

  private SchemaCheck(JsonObject schema) {
    this.schema = schema;
    this.validator = Validator.create(JsonSchema.of(schema),
        new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("https://frontdesk.dev/")
            .setOutputFormat(OutputFormat.Basic));
  }

  /**
   * @throws InvalidConfigException when the schema itself is unusable
   */
  public static SchemaCheck of(JsonObject schema) {
    try {
      return new SchemaCheck(schema.copy());
    } catch (SchemaException | IllegalArgumentException | ClassCastException e) {
      throw new InvalidConfigException("", "the JSON Schema is invalid: " + e.getMessage());
    }
  }

  /** Loads a schema from a class-path resource next to {@code owner}. */
  public static SchemaCheck resource(Class<?> owner, String name) {
    try (var in = owner.getResourceAsStream(name)) {
      return of(new JsonObject(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.io.IOException | NullPointerException e) {
      throw new IllegalStateException("schema resource " + name + " is missing", e);
    }
  }

  public JsonObject schema() {
    return schema.copy();
  }

  /**
   * @param prefix prepended to every field path (e.g. {@code config})
   * @return the errors, empty when valid; at most one message per field
   */
  public List<FieldError> check(Object json, String prefix) {
    OutputUnit out;
    try {
      out = validator.validate(json);
    } catch (SchemaException e) {
      return List.of(new FieldError(prefix, "cannot be validated: " + e.getMessage()));
    }
    if (Boolean.TRUE.equals(out.getValid())) {
      return List.of();
    }
    Map<String, String> byField = new LinkedHashMap<>();
    List<OutputUnit> units = out.getErrors() == null || out.getErrors().isEmpty() ? List.of(out) : out.getErrors();
    for (OutputUnit u : units) {
      String keywordPath = u.getKeywordLocation() == null ? "" : u.getKeywordLocation().replaceFirst("^#", "");
      int slash = keywordPath.lastIndexOf('/');
      String keyword = keywordPath.substring(slash + 1);
      String parentPointer = slash <= 0 ? "" : keywordPath.substring(0, slash);
      Object keywordValue = at(parentPointer + "/" + keyword);
      String field = pointerToPath(u.getInstanceLocation());
      String message;
      switch (keyword) {
        case "properties", "items", "prefixItems", "$ref", "allOf", "anyOf", "oneOf" -> {
          continue; // wrappers around a more precise error reported separately
        }
        case "additionalProperties", "unevaluatedProperties" -> {
          String name = lastSegment(u.getInstanceLocation());
          Object declared = at(parentPointer + "/properties");
          if (declared instanceof JsonObject props && props.containsKey(name)) {
            continue; // vert.x also flags declared properties whose value was invalid
          }
          message = "is not a known field";
        }
        case "required" -> {
          Matcher m = REQUIRED.matcher(String.valueOf(u.getError()));
          if (m.find()) {
            field = join(field, m.group(1));
          }
          message = "is required";
        }
        case "type" -> message = "must be " + typeName(keywordValue);
        case "minimum" -> message = "must be at least " + keywordValue;
        case "maximum" -> message = "must be at most " + keywordValue;
        case "exclusiveMinimum" -> message = "must be greater than " + keywordValue;
        case "exclusiveMaximum" -> message = "must be less than " + keywordValue;
        case "minLength" -> message = "must have at least " + keywordValue + " characters";
        case "maxLength" -> message = "must have at most " + keywordValue + " characters";
        case "minItems" -> message = "must have at least " + keywordValue + " items";
        case "maxItems" -> message = "must have at most " + keywordValue + " items";
        case "maxProperties" -> message = "must have at most " + keywordValue + " entries";
        case "minProperties" -> message = "must have at least " + keywordValue + " entries";
        case "pattern" -> message = "must match the pattern " + keywordValue;
        case "enum" -> message = "must be one of " + enumText(keywordValue);
        case "const" -> message = "must be " + keywordValue;
        case "uniqueItems" -> message = "must not repeat items";
        case "format" -> message = "must be a valid " + keywordValue;
        default -> message = u.getError() == null ? "is invalid" : tidy(u.getError());
      }
      byField.putIfAbsent(join(prefix, field), message);
    }
    List<FieldError> errors = new ArrayList<>();
    byField.forEach((f, msg) -> errors.add(new FieldError(f, msg)));
    if (errors.isEmpty()) {
      errors.add(new FieldError(prefix, "is invalid"));
    }
    return errors;
  }

  private Object at(String pointer) {
    Object node = schema;
    for (String part : pointer.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      String seg = part.replace("~1", "/").replace("~0", "~");
      if (node instanceof JsonObject o) {
        node = o.getValue(seg);
      } else if (node instanceof io.vertx.core.json.JsonArray a && seg.chars().allMatch(Character::isDigit)) {
        int i = Integer.parseInt(seg);
        node = i < a.size() ? a.getValue(i) : null;
      } else {
        return null;
      }
    }
    return node;
  }

  private static String lastSegment(String pointer) {
    if (pointer == null) {
      return "";
    }
    int i = pointer.lastIndexOf('/');
    return pointer.substring(i + 1).replace("~1", "/").replace("~0", "~");
  }

  private static String typeName(Object type) {
    if (type instanceof io.vertx.core.json.JsonArray a) {
      return String.join(" or ", a.stream().map(t -> article(String.valueOf(t))).toList());
    }
    return article(String.valueOf(type));
  }

  private static String article(String t) {
    return switch (t) {
      case "integer", "object", "array" -> "an " + t;
      case "null" -> "null";
      default -> "a " + t;
    };
  }

  private static String enumText(Object values) {
    if (values instanceof io.vertx.core.json.JsonArray a) {
      return String.join(", ", a.stream().map(String::valueOf).toList());
    }
    return String.valueOf(values);
  }

  private static String tidy(String message) {
    return message.replace("Instance ", "value ").replace("instance ", "value ");
  }

  private static String join(String a, String b) {
    if (a == null || a.isEmpty()) {
      return b == null ? "" : b;
    }
    if (b == null || b.isEmpty()) {
      return a;
    }
    return b.startsWith("[") ? a + b : a + "." + b;
  }

  /** {@code /targets/0/port} → {@code targets[0].port}. */
  static String pointerToPath(String pointer) {
    if (pointer == null || pointer.isEmpty() || pointer.equals("/") || pointer.equals("#")) {
      return "";
    }
    String p = pointer.startsWith("#") ? pointer.substring(1) : pointer;
    StringBuilder sb = new StringBuilder();
    for (String part : p.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      String seg = part.replace("~1", "/").replace("~0", "~");
      if (seg.chars().allMatch(Character::isDigit)) {
        sb.append('[').append(seg).append(']');
      } else {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(seg);
      }
    }
    return sb.toString();
  }
}
