package dev.streams.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.streams.internal.Names;
import java.io.IOException;
import java.util.ArrayDeque;

/**
 * The one JSON codec of the library: how documents and events become text and back.
 *
 * <p>Every backend uses it, so every backend stores the same bytes for the same item (K2). It knows
 * nothing of stores or events (those are {@code dev.streams.spi.WireFormat}'s); applications may
 * use it, for example to turn JSON text into data for {@code set}. Numbers keep their exact value and scale (64-bit and larger
 * integers, decimals as {@link java.math.BigDecimal}), strings keep unicode unescaped, fields keep
 * their order (D5).
 */
public final class StreamJson {

  /**
   * How many levels of objects and arrays may nest inside a document (below its top-level object),
   * whatever nests: objects, arrays, or both alternating (D6). Well inside what Redis's cjson (used
   * by the Redis backends' scripts) and an event's wrapper object can still read back.
   */
  public static final int MAX_NESTING_DEPTH = 500;

  private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder()
              // Generous: an event wraps a document, and foreign data may be deeper than ours.
              .maxNestingDepth(2 * MAX_NESTING_DEPTH)
              .maxStringLength(Integer.MAX_VALUE)
              .build())
          // Floats and doubles in a given tree as their shortest text, as Java values are (D5).
          .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
          .streamWriteConstraints(StreamWriteConstraints.builder()
              // Only a backstop: requireWritable is the one limit (D6), counted below the top-level
              // value, which the writer counts as a level of its own. At MAX_NESTING_DEPTH, the
              // writer passed 500 objects below the top object but stopped 500 arrays.
              .maxNestingDepth(MAX_NESTING_DEPTH + 1)
              .build())
          .build())
      .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
      .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      // A repeated field name is an error. Found by the tree builder's own put, where the parser's
      // STRICT_DUPLICATE_DETECTION kept a set of names per object: a tenth of a group read's time.
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .findAndAddModules()
      .build();

  /** Resolved once: {@code writeValueAsString} would look the serializer up on every call. */
  private static final ObjectWriter NODE_WRITER = MAPPER.writerFor(JsonNode.class);
  /** Resolved once: {@code MAPPER.readTree} resolves the tree type on every call. */
  private static final ObjectReader TREE_READER = MAPPER.readerFor(JsonNode.class);

  private StreamJson() {}

  /**
   * The mapper the library converts with. A repeated field name fails where JSON text is read into
   * a tree, as the library reads it; {@code readValue} into other types keeps Jackson's default (the
   * last one wins).
   *
   * @return the shared mapper (exact numbers, modules found on the classpath); do not reconfigure it
   */
  public static ObjectMapper objectMapper() {
    return MAPPER;
  }

  /**
   * A document ready to store: its tree, returned to the caller, and its text, written to the store.
   *
   * @param node the document
   * @param json the compact JSON text of {@code node} (K2)
   */
  public record Document(ObjectNode node, String json) {}

  /**
   * Builds the document of D4: the data as a JSON object with {@code "id"} set to {@code id},
   * in place if the data had one, else last.
   *
   * @param data a JSON object, a map or any object Jackson writes as a JSON object
   * @param id the item id
   * @return the document and its text
   * @throws IllegalArgumentException naming {@code data} if it is null, not a JSON object, or not
   *     writable as JSON (too deep, invalid unicode)
   */
  public static Document toDocument(Object data, String id) {
    if (data == null) {
      throw new IllegalArgumentException("data must not be null");
    }
    JsonNode tree = data instanceof JsonNode node ? node : mapToTree(data, "data");
    if (!(tree instanceof ObjectNode)) {
      throw new IllegalArgumentException(
          "data must serialise to a JSON object, but was " + describe(tree));
    }
    // One walk checks what both the copy and the writer need; the text is then written unchecked.
    requireWritable(tree, "data", true);
    ObjectNode document = tree == data ? ((ObjectNode) tree).deepCopy() : (ObjectNode) tree;
    document.put("id", id);
    return new Document(document, writeChecked(document, "data"));
  }

  /**
   * @param value any value Jackson can map, or a {@link JsonNode} (copied, never changed)
   * @param argument the argument name for error messages
   * @return a JSON tree owned by the caller; {@link NullNode} for {@code null}
   * @throws IllegalArgumentException naming {@code argument} if Jackson cannot map the value
   */
  public static JsonNode toJsonValue(Object value, String argument) {
    if (value == null) {
      return NullNode.getInstance();
    }
    JsonNode tree = value instanceof JsonNode node ? node : mapToTree(value, argument);
    // Checked before copying: Jackson's deepCopy recurses, and would overflow the stack.
    requireWritable(tree, argument, false);
    return tree == value ? tree.deepCopy() : tree;
  }

  /**
   * {@code MAPPER.valueToTree}, but numbers as they would be written (D5): a {@code float} as its
   * shortest text, a negative zero with its sign. valueToTree would turn both into BigDecimals.
   */
  private static JsonNode mapToTree(Object value, String argument) {
    try (TokenBuffer buffer = new TokenBuffer(MAPPER, false)) {
      MAPPER.writeValue(buffer, value);
      try (JsonParser tokens = new ExactNumbers(buffer.asParser(MAPPER), true)) {
        return TREE_READER.readTree(tokens);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(argument + " cannot be mapped to JSON: "
          + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
    } catch (StackOverflowError e) {
      throw new IllegalArgumentException(argument + " nests too deeply to be mapped to JSON");
    }
  }

  /**
   * Checks, without recursion (no depth of input can overflow the stack), that no object or array
   * nests more than {@value #MAX_NESTING_DEPTH} levels deep and, if asked, that every number is finite.
   */
  private static void requireWritable(JsonNode root, String argument, boolean finiteNumbers) {
    ArrayDeque<JsonNode> nodes = new ArrayDeque<>();
    ArrayDeque<Integer> depths = new ArrayDeque<>();
    nodes.push(root);
    depths.push(0);
    while (!nodes.isEmpty()) {
      JsonNode node = nodes.pop();
      int depth = depths.pop();
      if (node.isContainerNode()) {
        if (depth > MAX_NESTING_DEPTH) {
          throw new IllegalArgumentException(argument + " nests objects and arrays more than "
              + MAX_NESTING_DEPTH + " levels deep");
        }
        for (JsonNode child : node) {
          if (child.isContainerNode() || finiteNumbers) {
            nodes.push(child);
            depths.push(depth + 1);
          }
        }
      } else if (finiteNumbers && node.isFloatingPointNumber() && !node.isBigDecimal()) {
        double number = node.doubleValue();
        if (Double.isNaN(number) || Double.isInfinite(number)) {
          throw new IllegalArgumentException(argument + " contains " + number
              + ", which JSON cannot represent");
        }
      }
    }
  }

  /**
   * @param value a JSON tree
   * @param argument the argument name for error messages
   * @return its compact text
   * @throws IllegalArgumentException naming {@code argument} if it cannot be written
   */
  public static String write(JsonNode value, String argument) {
    requireWritable(value, argument, true);
    return writeChecked(value, argument);
  }

  /** Writes a tree that {@link #requireWritable} accepted. */
  private static String writeChecked(JsonNode value, String argument) {
    String text;
    try {
      text = NODE_WRITER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(argument + " cannot be written as JSON: "
          + e.getOriginalMessage(), e);
    }
    int surrogate = Names.unpairedSurrogate(text);
    if (surrogate >= 0) {
      throw new IllegalArgumentException(argument + " contains a string that is not valid unicode"
          + " (an unpaired surrogate at index " + surrogate + " of its JSON text)");
    }
    return text;
  }

  /**
   * Reads JSON text into a tree, with the library's rules: exact numbers, no repeated field name, no
   * trailing tokens, nesting up to twice {@value #MAX_NESTING_DEPTH} levels.
   *
   * @param json the text
   * @return its tree ({@link com.fasterxml.jackson.databind.node.MissingNode} for empty text)
   * @throws IllegalArgumentException with Jackson's own description if the text is not JSON
   */
  public static JsonNode readTree(String json) {
    // Negative zeros through ExactNumbers: the exact decimals of the tree have none (D5).
    try (JsonParser parser = new ExactNumbers(TREE_READER.createParser(json), false)) {
      JsonNode tree = TREE_READER.readTree(parser);
      return tree == null ? MissingNode.getInstance() : tree;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("reading a String", e);
    }
  }

  /**
   * Reads JSON text that must be an object, such as a document given as text.
   *
   * @param json the text
   * @return the object
   * @throws IllegalArgumentException if the text is not JSON, or not a JSON object
   */
  public static ObjectNode readObject(String json) {
    JsonNode tree = readTree(json);
    if (tree instanceof ObjectNode object) {
      return object;
    }
    throw new IllegalArgumentException("not a JSON object but " + describe(tree));
  }

  /**
   * @param tree a JSON value, or null or missing for none
   * @return what kind of value it is, for messages: "an array", "a string", "null", "empty" ...
   */
  public static String describe(JsonNode tree) {
    if (tree == null || tree.isMissingNode()) {
      return "empty";
    }
    String kind = switch (tree.getNodeType()) {
      case ARRAY -> "an array";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      case BINARY -> "binary data";
      default -> "a " + tree.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
    return kind;
  }
}
