package dev.streams.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.json.StreamJson;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Prints documents as JSON lines (for jq and scripts) or as an aligned table (for people). */
final class Output {

  private static final int MAX_CELL = 40;

  private final PrintWriter out;
  private final boolean json;

  Output(PrintWriter out, boolean json) {
    this.out = out;
    this.json = json;
  }

  boolean isJson() {
    return json;
  }

  void document(JsonNode document) {
    if (json) {
      out.println(compact(document));
    } else {
      try {
        out.println(StreamJson.objectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(document));
      } catch (JsonProcessingException e) {
        out.println(compact(document));
      }
    }
    out.flush();
  }

  void documents(List<ObjectNode> documents) {
    if (json) {
      documents.forEach(d -> out.println(compact(d)));
      out.flush();
      return;
    }
    if (documents.isEmpty()) {
      // A header over no rows reads as a broken table.
      out.println("(no items)");
      out.flush();
      return;
    }
    Set<String> columns = new LinkedHashSet<>();
    columns.add("id");
    for (ObjectNode document : documents) {
      document.fieldNames().forEachRemaining(columns::add);
    }
    List<List<String>> rows = new ArrayList<>();
    rows.add(new ArrayList<>(columns));
    for (ObjectNode document : documents) {
      List<String> row = new ArrayList<>();
      for (String column : columns) {
        JsonNode value = document.get(column);
        row.add(value == null ? "" : cell(value));
      }
      rows.add(row);
    }
    table(rows);
    out.println("(" + documents.size() + (documents.size() == 1 ? " item)" : " items)"));
    out.flush();
  }

  /** A result that is a single fact, e.g. {"removed":3}. */
  void fact(String name, Object value, String sentence) {
    if (json) {
      out.println(compact(StreamJson.objectMapper().valueToTree(Map.of(name, value))));
    } else {
      out.println(sentence);
    }
    out.flush();
  }

  /** A result of several facts, e.g. {"copied":3,"alreadyThere":1}, in the given order. */
  void facts(Map<String, Object> facts, String sentence) {
    if (json) {
      out.println(compact(StreamJson.objectMapper().valueToTree(facts)));
    } else {
      out.println(sentence);
    }
    out.flush();
  }

  void table(List<List<String>> rows) {
    int[] widths = new int[rows.get(0).size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(i == row.size() - 1 ? row.get(i) : pad(row.get(i), widths[i] + 2));
      }
      out.println(line.toString().stripTrailing());
    }
  }

  static String compact(JsonNode node) {
    return StreamJson.write(node, "output");
  }

  private static String cell(JsonNode value) {
    String text = value.isTextual() ? value.textValue() : compact(value);
    text = text.replace('\n', ' ');
    return text.length() <= MAX_CELL ? text : text.substring(0, MAX_CELL - 1) + "…";
  }

  private static String pad(String text, int width) {
    return text.length() >= width ? text : text + " ".repeat(width - text.length());
  }
}
