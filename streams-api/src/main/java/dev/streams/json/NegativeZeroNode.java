package dev.streams.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.NumericNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A negative zero ({@code -0.0}, {@code -0.00}, {@code -0}, a Java {@code -0.0d}): a decimal zero
 * that keeps its sign when written (D5), which {@link BigDecimal} cannot hold. Like a
 * {@code DecimalNode} it reports itself as a {@code BigDecimal} number, whose value is zero (so
 * queries find it equal to {@code 0}); as a tree it equals only other negative zeros, as Jackson's
 * own {@code DoubleNode} of {@code -0.0} does.
 */
final class NegativeZeroNode extends NumericNode {

  private static final long serialVersionUID = 1L;

  private final BigDecimal zero;

  /** @param zero the zero, with the scale its text had ({@code 0.00} for {@code -0.00}) */
  NegativeZeroNode(BigDecimal zero) {
    this.zero = zero;
  }

  @Override
  public void serialize(JsonGenerator generator, SerializerProvider provider) throws IOException {
    generator.writeNumber(asText());
  }

  @Override
  public String asText() {
    return "-" + zero;
  }

  @Override
  public JsonToken asToken() {
    return JsonToken.VALUE_NUMBER_FLOAT;
  }

  @Override
  public JsonParser.NumberType numberType() {
    return JsonParser.NumberType.BIG_DECIMAL;
  }

  @Override
  public boolean isFloatingPointNumber() {
    return true;
  }

  @Override
  public boolean isBigDecimal() {
    return true;
  }

  @Override
  public Number numberValue() {
    return zero;
  }

  @Override
  public int intValue() {
    return 0;
  }

  @Override
  public long longValue() {
    return 0;
  }

  @Override
  public float floatValue() {
    return -0.0f;
  }

  @Override
  public double doubleValue() {
    return -0.0d;
  }

  @Override
  public BigDecimal decimalValue() {
    return zero;
  }

  @Override
  public BigInteger bigIntegerValue() {
    return BigInteger.ZERO;
  }

  @Override
  public boolean canConvertToInt() {
    return true;
  }

  @Override
  public boolean canConvertToLong() {
    return true;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof NegativeZeroNode;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(-0.0d);
  }
}
