package dev.streams.redis.lettuce;

import dev.streams.redis.testing.QuickFigures;

/**
 * Quick figures for the redis-lettuce backend on this machine (see {@link QuickFigures}).
 *
 * <pre>
 * mvn -o -q -pl streams-redis-lettuce exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.streams.redis.lettuce.LettuceQuickFigures
 * </pre>
 */
public final class LettuceQuickFigures {

  private LettuceQuickFigures() {}

  /**
   * @param args none
   * @throws Exception if a phase fails
   */
  public static void main(String[] args) throws Exception {
    QuickFigures.run(new LettuceStreamsProvider());
  }
}
