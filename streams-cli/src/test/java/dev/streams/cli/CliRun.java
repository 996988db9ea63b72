package dev.streams.cli;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.Map;

/** One in-process run of the command line: its exit code, output and error output. */
record CliRun(int exitCode, String out, String err) {

  /**
   * @param terminal whether to behave as on a terminal (tables, questions)
   * @param stdin what standard input holds
   * @param args the command line
   * @return what the run did
   */
  static CliRun run(boolean terminal, String stdin, String... args) {
    StreamsCli root = new StreamsCli();
    root.environment = Map.of();
    root.terminal = terminal;
    root.input = new BufferedReader(new StringReader(stdin));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = StreamsCli.run(root, new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new CliRun(code, out.toString(), err.toString());
  }

  static CliRun run(String... args) {
    return run(false, "", args);
  }
}
