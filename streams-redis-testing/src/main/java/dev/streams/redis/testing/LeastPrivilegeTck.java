package dev.streams.redis.testing;

import dev.streams.StreamAdapterProvider;
import dev.streams.tck.StreamsTck;
import dev.streams.tck.TckStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole TCK as the README's least-privilege ACL user ({@link RedisLeastPrivilege}): proves the
 * rule sufficient for a Redis backend (K4). A backend's test extends it and names its provider.
 */
public abstract class LeastPrivilegeTck extends StreamsTck {

  /** The shared server, where the user is created for each test and deleted after the class. */
  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  /** For a backend's test. */
  protected LeastPrivilegeTck() {}

  /** @return the provider of the backend under test */
  protected abstract StreamAdapterProvider provider();

  @AfterAll
  static void deleteUser() {
    RedisLeastPrivilege.delete(redis);
  }

  /**
   * A refused command the client shrugs off fails no clause: Redis's ACL log tells of it.
   */
  @AfterEach
  void noCommandWasRefused() {
    RedisLeastPrivilege.requireNothingRefused(redis);
  }

  @Override
  protected final TckStore newStore() {
    RedisLeastPrivilege.clearRefusals(redis);
    RedisLeastPrivilege.create(redis, RedisLeastPrivilege.TCK_PREFIXES);
    return RedisTckStore.asUser(redis, provider(), RedisLeastPrivilege.USER, RedisLeastPrivilege.PASSWORD);
  }
}
