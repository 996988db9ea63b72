package dev.streams.redis.jedis;

import dev.streams.redis.testing.QuickFigures;

/**
 * Quick figures for the redis-jedis backend on this machine (see {@link QuickFigures}).
 *
 * <pre>
 * mvn -o -q -pl streams-redis-jedis exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.streams.redis.jedis.JedisQuickFigures
 * </pre>
 */
public final class JedisQuickFigures {

  private JedisQuickFigures() {}

  /**
   * @param args none
   * @throws Exception if a phase fails
   */
  public static void main(String[] args) throws Exception {
    QuickFigures.run(new JedisStreamsProvider());
  }
}
