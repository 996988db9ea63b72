package dev.streams.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The result of one run: rows of figure, limit and ratio, printed as a table and written as JSON. */
final class Report {

  /** How a row's ratio (value / limit) is judged. */
  enum Target {
    /** No target: reported only. */
    NONE(""),
    /** Throughput: ratio ≥ 0.70. */
    AT_LEAST_70("≥ 0.70"),
    /** Throughput: ratio ≥ 0.80. */
    AT_LEAST_80("≥ 0.80"),
    /** Throughput: ratio ≥ 0.90. */
    AT_LEAST_90("≥ 0.90"),
    /** Throughput: ratio ≥ 1.50. */
    AT_LEAST_150("≥ 1.50"),
    /** An absolute figure: value ≥ limit. */
    AT_LEAST_LIMIT("≥ 1.00"),
    /** A latency bound or an exact count: value ≤ limit. */
    AT_MOST_LIMIT("≤ 1.00"),
    /** A read beside other keys against the same read alone: ratio ≤ 1.20. */
    AT_MOST_1_2("≤ 1.20"),
    /** Received = sent. */
    EQUAL("= 1.00");

    final String text;

    Target(String text) {
      this.text = text;
    }

    Boolean met(double ratio) {
      return switch (this) {
        case NONE -> null;
        case AT_LEAST_70 -> ratio >= 0.70;
        case AT_LEAST_80 -> ratio >= 0.80;
        case AT_LEAST_90 -> ratio >= 0.90;
        case AT_LEAST_150 -> ratio >= 1.50;
        case AT_LEAST_LIMIT -> ratio >= 1.0;
        case AT_MOST_LIMIT -> ratio <= 1.0;
        case AT_MOST_1_2 -> ratio <= 1.2;
        case EQUAL -> ratio == 1.0;
      };
    }
  }

  /**
   * @param backend the backend, or "redis-benchmark" for the limits
   * @param figure what was measured
   * @param value the value
   * @param unit its unit
   * @param limit what it is compared with, or NaN
   * @param limitName what the limit is
   * @param target how the ratio is judged
   */
  record Row(String backend, String figure, double value, String unit, double limit, String limitName,
      Target target) {

    double ratio() {
      return Double.isNaN(limit) || limit == 0 ? Double.NaN : value / limit;
    }

    Boolean met() {
      return Double.isNaN(ratio()) ? null : target.met(ratio());
    }
  }

  private final List<Row> rows = new ArrayList<>();
  private final Map<String, Object> machine = new LinkedHashMap<>();
  /** Per backend: commands per operation, allocation per operation, notes. */
  private final Map<String, Map<String, Object>> diagnostics = new LinkedHashMap<>();

  void machine(String key, Object value) {
    machine.put(key, value);
  }

  void add(Row row) {
    rows.add(row);
    System.out.printf(Locale.ROOT, "  %-25s %-46s %s%n", row.backend(), row.figure(),
        format(row.value(), row.unit()));
  }

  void diagnostic(String backend, String key, Object value) {
    diagnostics.computeIfAbsent(backend, b -> new LinkedHashMap<>()).put(key, value);
  }

  void print(PrintStream out) {
    out.println();
    out.printf(Locale.ROOT, "%-25s | %-46s | %16s | %16s | %-26s | %7s | %-6s | %s%n",
        "backend", "figure", "value", "limit", "limit is", "ratio", "target", "met");
    out.println("-".repeat(171));
    for (Row row : rows) {
      Boolean met = row.met();
      out.printf(Locale.ROOT, "%-25s | %-46s | %16s | %16s | %-26s | %7s | %-6s | %s%n",
          row.backend(), row.figure(), format(row.value(), row.unit()),
          Double.isNaN(row.limit()) ? "" : format(row.limit(), row.unit()), row.limitName(),
          Double.isNaN(row.ratio()) ? "" : String.format(Locale.ROOT, "%.2f", row.ratio()),
          row.target().text, met == null ? "" : met ? "yes" : "NO");
    }
  }

  /** @return the same table as Markdown, for docs/BENCHMARKS.md */
  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("| backend | figure | value | limit | limit is | ratio | target | met |\n");
    md.append("|---|---|---:|---:|---|---:|---|---|\n");
    for (Row row : rows) {
      Boolean met = row.met();
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |%n",
          row.backend(), row.figure(), format(row.value(), row.unit()),
          Double.isNaN(row.limit()) ? "" : format(row.limit(), row.unit()), row.limitName(),
          Double.isNaN(row.ratio()) ? "" : String.format(Locale.ROOT, "%.2f", row.ratio()),
          row.target().text, met == null ? "" : met ? "yes" : "**no**"));
    }
    return md.toString();
  }

  void writeJson(Path file) throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.set("machine", mapper.valueToTree(machine));
    ArrayNode array = root.putArray("rows");
    for (Row row : rows) {
      ObjectNode node = array.addObject();
      node.put("backend", row.backend());
      node.put("figure", row.figure());
      node.put("value", round(row.value()));
      node.put("unit", row.unit());
      if (!Double.isNaN(row.limit())) {
        node.put("limit", round(row.limit()));
        node.put("limitIs", row.limitName());
      }
      if (!Double.isNaN(row.ratio())) {
        node.put("ratio", Math.round(row.ratio() * 1000) / 1000.0);
      }
      if (row.target() != Target.NONE) {
        node.put("target", row.target().text);
        node.put("met", row.met());
      }
    }
    root.set("diagnostics", mapper.valueToTree(diagnostics));
    root.put("markdown", markdown());
    Files.createDirectories(file.toAbsolutePath().getParent());
    mapper.writeValue(file.toFile(), root);
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }

  static String format(double value, String unit) {
    return switch (unit) {
      case "ops/s" -> String.format(Locale.ROOT, "%,.0f ops/s", value);
      case "ms" -> String.format(Locale.ROOT, "%.2f ms", value);
      default -> String.format(Locale.ROOT, "%,.0f %s", value, unit);
    };
  }
}
