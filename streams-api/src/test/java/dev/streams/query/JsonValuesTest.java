package dev.streams.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.streams.json.StreamJson;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonValuesTest {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** Parses with the library's codec: exact numbers, as stored documents are read. */
  static JsonNode json(String text) {
    return StreamJson.readObject("{\"v\":" + text + "}").get("v");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "1 | 1.0",
      "1 | 1.00",
      "0 | -0",
      "0 | 0.0",
      "-0.0 | 0",
      "100 | 1e2",
      "100 | 1.0E+2",
      "0.1 | 0.10",
      "9007199254740993 | 9007199254740993",
      "9007199254740993 | 9007199254740993.0",
      "9223372036854775807 | 9223372036854775807.0",
      "-9223372036854775808 | -9223372036854775808",
      "18446744073709551616 | 18446744073709551616.000",
      "\"a\" | \"a\"",
      "true | true",
      "null | null",
      "[] | []",
      "{} | {}",
  })
  void equalValues(String a, String b) {
    assertThat(JsonValues.equal(json(a), json(b))).as("%s == %s", a, b).isTrue();
    assertThat(JsonValues.equal(json(b), json(a))).as("%s == %s", b, a).isTrue();
    assertThat(JsonValues.compare(json(a), json(b))).as("compare(%s, %s)", a, b).isZero();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "[1,2] | [1.0,2.00]",
      "{\"a\":1,\"b\":[1,{\"c\":2}]} | {\"b\":[1.0,{\"c\":2.0}],\"a\":1.0}",
      "{\"a\":1,\"b\":2} | {\"b\":2,\"a\":1}",
      "[{\"a\":null,\"b\":0.5}] | [{\"b\":0.50,\"a\":null}]",
  })
  void deeplyEqualContainersAreEqualThoughTheyMaySortApartByText(String a, String b) {
    assertThat(JsonValues.equal(json(a), json(b))).as("%s == %s", a, b).isTrue();
    assertThat(JsonValues.equal(json(b), json(a))).as("%s == %s", b, a).isTrue();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "9007199254740993 | 9007199254740992",
      "9223372036854775807 | 9223372036854775806",
      "18446744073709551617 | 18446744073709551616",
      "0.1 | 0.1000000000000000001",
      "1 | \"1\"",
      "0 | false",
      "1 | true",
      "null | false",
      "null | 0",
      "null | \"\"",
      "null | \"null\"",
      "null | []",
      "null | {}",
      "\"a\" | \"A\"",
      "\"é\" | \"e\u0301\"",
      "[1,2] | [2,1]",
      "[1] | [1,1]",
      "[] | {}",
      "[null] | []",
      "{\"a\":1} | {\"a\":1,\"b\":2}",
      "{\"a\":1,\"b\":2} | {\"a\":1}",
      "{\"a\":null} | {}",
      "{\"a\":null} | {\"b\":null}",
      "{\"a\":{\"b\":1}} | {\"a\":{\"b\":2}}",
      "true | false",
  })
  void differentValues(String a, String b) {
    assertThat(JsonValues.equal(json(a), json(b))).as("%s == %s", a, b).isFalse();
    assertThat(JsonValues.equal(json(b), json(a))).as("%s == %s", b, a).isFalse();
  }

  @Test
  void missingEqualsNothingButMissing() {
    assertThat(JsonValues.equal(null, NullNode.getInstance())).isFalse();
    assertThat(JsonValues.equal(NullNode.getInstance(), null)).isFalse();
    assertThat(JsonValues.equal(null, null)).isTrue();
  }

  @Test
  void numbersOfEveryRepresentationCompareByValue() {
    List<JsonNode> ones = List.of(F.numberNode(1), F.numberNode(1L), F.numberNode((short) 1),
        F.numberNode(BigInteger.ONE), F.numberNode(1.0d), F.numberNode(1.0f),
        F.numberNode(new BigDecimal("1.000")), json("1"), json("1.0"));
    for (JsonNode a : ones) {
      for (JsonNode b : ones) {
        assertThat(JsonValues.equal(a, b)).as("%s (%s) == %s (%s)", a, a.numberType(), b, b.numberType())
            .isTrue();
      }
    }
    assertThat(JsonValues.equal(F.numberNode(0.1d), json("0.1"))).isTrue();
    assertThat(JsonValues.equal(F.numberNode(9007199254740993L), F.numberNode(9007199254740992.0d))).isFalse();
    assertThat(JsonValues.equal(F.numberNode(BigInteger.TWO.pow(70)),
        F.numberNode(new BigDecimal(BigInteger.TWO.pow(70))))).isTrue();
    assertThat(JsonValues.equal(F.numberNode(BigInteger.TWO.pow(70)),
        F.numberNode(BigInteger.TWO.pow(70).add(BigInteger.ONE)))).isFalse();
  }

  @Test
  void orderAcrossTypes() {
    List<JsonNode> ascending = new ArrayList<>();
    ascending.add(null); // missing
    for (String text : new String[] {
        "null", "false", "true",
        "-18446744073709551616", "-9223372036854775808", "-1.5", "-1", "0", "0.1", "0.10000000000000001",
        "1", "1.5", "2", "10", "9007199254740992", "9007199254740993", "9223372036854775807",
        "9223372036854775808", "1e300",
        "\"\"", "\"10\"", "\"2\"", "\"A\"", "\"B\"", "\"a\"", "\"ab\"", "\"b\"", "\"é\"", "\"日\"",
        // arrays, then objects, each by compact text: '"' < '1' < ',' < ']' < '{' < '}'
        "[\"a\"]", "[1,2]", "[1]", "[2]", "[]", "[{}]",
        "{\"a\":1}", "{\"a\":2}", "{\"b\":0}", "{}"}) {
      ascending.add(json(text));
    }
    for (int i = 0; i < ascending.size(); i++) {
      for (int j = 0; j < ascending.size(); j++) {
        JsonNode a = ascending.get(i);
        JsonNode b = ascending.get(j);
        assertThat(Integer.signum(JsonValues.compare(a, b)))
            .as("compare(%s, %s)", a, b)
            .isEqualTo(Integer.compare(i, j));
      }
    }
    assertThat(JsonValues.ORDER.compare(null, json("null"))).isNegative();
  }

  @Test
  void missingNodeSortsAsMissing() {
    assertThat(JsonValues.compare(MissingNode.getInstance(), null)).isZero();
    assertThat(JsonValues.compare(MissingNode.getInstance(), NullNode.getInstance())).isNegative();
  }

  @Test
  void arraysAndObjectsSortByTheirCompactText() {
    // "[10]" < "[9]" as text although 10 > 9 as numbers
    assertThat(JsonValues.compare(json("[10]"), json("[9]"))).isNegative();
    // {"b":1} vs {"a":2}: by text, "{\"a" < "{\"b"
    assertThat(JsonValues.compare(json("{\"b\":1}"), json("{\"a\":2}"))).isPositive();
    // "[1,2]" < "[1]" because ',' (0x2C) < ']' (0x5D)
    assertThat(JsonValues.compare(json("[1,2]"), json("[1]"))).isNegative();
  }
}
