package dev.streams.redis.lettuce;

import dev.streams.redis.testing.RedisLeastPrivilege;
import dev.streams.redis.testing.RedisServerExtension;
import dev.streams.redis.testing.RedisTckStore;
import dev.streams.tck.StreamsTck;
import dev.streams.tck.TckStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole TCK as the README's least-privilege ACL user: proves the rule sufficient. */
@DisplayName("TCK on the redis-lettuce backend as the least-privilege ACL user")
class LettuceLeastPrivilegeTckTest extends StreamsTck {

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  @AfterAll
  static void deleteUser() {
    RedisLeastPrivilege.delete(redis);
  }

  @Override
  protected TckStore newStore() {
    RedisLeastPrivilege.create(redis, RedisLeastPrivilege.TCK_PREFIXES);
    return RedisTckStore.asUser(redis, new LettuceStreamsProvider(),
        RedisLeastPrivilege.USER, RedisLeastPrivilege.PASSWORD);
  }
}
