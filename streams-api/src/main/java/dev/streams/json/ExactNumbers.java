package dev.streams.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonTokenId;
import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Feeds the tree builder the numbers that its exact decimals ({@link BigDecimal}) would get wrong
 * (D5), each as a ready node in place of its number token: a negative zero, which {@code BigDecimal}
 * cannot hold, and, for Java values, a {@code float} or {@code double} as its shortest text
 * ({@code 0.1f} is {@code 0.1}, not its double expansion {@code 0.10000000149011612}). Every other
 * token passes through untouched.
 */
final class ExactNumbers extends JsonParserDelegate {

  private final boolean javaValues;
  /** The node standing in for the current number token, or null. */
  private JsonNode replacement;

  /**
   * @param parser the source
   * @param javaValues whether it carries Java values (a {@code TokenBuffer}) rather than JSON text
   */
  ExactNumbers(JsonParser parser, boolean javaValues) {
    super(parser);
    this.javaValues = javaValues;
  }

  @Override
  public JsonToken nextToken() throws IOException {
    return replaced(delegate.nextToken());
  }

  @Override
  public JsonToken nextValue() throws IOException {
    return replaced(delegate.nextValue());
  }

  /** The parser's own fast path for names (the inherited one goes through nextToken). */
  @Override
  public String nextFieldName() throws IOException {
    replacement = null;
    return delegate.nextFieldName();
  }

  private JsonToken replaced(JsonToken token) throws IOException {
    replacement = null;
    if (token == JsonToken.VALUE_NUMBER_FLOAT) {
      replacement = javaValues ? javaFloat() : negativeZero();
    } else if (token == JsonToken.VALUE_NUMBER_INT && !javaValues) {
      replacement = negativeZero();
    }
    return replacement == null ? token : JsonToken.VALUE_EMBEDDED_OBJECT;
  }

  /**
   * @return the node of a finite Java {@code float} or {@code double}: the shortest text that reads
   *     back as the same value (Jackson's fast writer; Java 17's own toString is not always the
   *     shortest), negative zero included; else null
   */
  private JsonNode javaFloat() throws IOException {
    Number number = delegate.getNumberValue();
    if (number instanceof Float f && Float.isFinite(f)) {
      return decimal(NumberOutput.toString(f.floatValue(), true));
    }
    if (number instanceof Double d && Double.isFinite(d)) {
      return decimal(NumberOutput.toString(d.doubleValue(), true));
    }
    return null;
  }

  /** @return a node of the JSON text's number if it is a negative zero, else null */
  private JsonNode negativeZero() throws IOException {
    char[] text = delegate.getTextCharacters();
    int start = delegate.getTextOffset();
    int end = start + delegate.getTextLength();
    if (text[start] != '-') {
      return null;
    }
    for (int i = start + 1; i < end && text[i] != 'e' && text[i] != 'E'; i++) {
      if (text[i] != '0' && text[i] != '.') {
        return null;
      }
    }
    return new NegativeZeroNode(new BigDecimal(text, start + 1, end - start - 1));
  }

  private static JsonNode decimal(String text) {
    BigDecimal value = new BigDecimal(text);
    return value.signum() == 0 && text.charAt(0) == '-'
        ? new NegativeZeroNode(value) : DecimalNode.valueOf(value);
  }

  @Override
  public JsonToken currentToken() {
    return replacement == null ? delegate.currentToken() : JsonToken.VALUE_EMBEDDED_OBJECT;
  }

  @Override
  @Deprecated
  public JsonToken getCurrentToken() {
    return currentToken();
  }

  @Override
  public int currentTokenId() {
    return replacement == null ? delegate.currentTokenId() : JsonTokenId.ID_EMBEDDED_OBJECT;
  }

  @Override
  @Deprecated
  public int getCurrentTokenId() {
    return currentTokenId();
  }

  @Override
  public boolean hasToken(JsonToken token) {
    return replacement == null ? delegate.hasToken(token) : token == JsonToken.VALUE_EMBEDDED_OBJECT;
  }

  @Override
  public boolean hasTokenId(int id) {
    return replacement == null ? delegate.hasTokenId(id) : id == JsonTokenId.ID_EMBEDDED_OBJECT;
  }

  @Override
  public Object getEmbeddedObject() throws IOException {
    return replacement == null ? delegate.getEmbeddedObject() : replacement;
  }

  @Override
  public void clearCurrentToken() {
    replacement = null;
    delegate.clearCurrentToken();
  }
}
