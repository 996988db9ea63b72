package dev.streams.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BroadcastCopiesTest {

  private final AtomicLong now = new AtomicLong();
  private final BroadcastCopies copies = new BroadcastCopies(now::get);

  @Test
  void eachPublicationOnceWhateverNodeItsFirstCopyCameFrom() {
    copies.addSource("a");
    copies.addSource("b");
    copies.addSource("c");
    assertThat(copies.firstCopy("b", "ch", "m1")).isTrue();
    assertThat(copies.firstCopy("a", "ch", "m1")).isFalse();
    assertThat(copies.firstCopy("a", "ch", "m2")).isTrue();
    assertThat(copies.firstCopy("c", "ch", "m1")).isFalse();
    assertThat(copies.firstCopy("b", "ch", "m2")).isFalse();
    assertThat(copies.firstCopy("c", "ch", "m2")).isFalse();
    assertThat(copies.pending()).isZero();
  }

  @Test
  void theSameTextPublishedTwiceIsDeliveredTwice() {
    copies.addSource("a");
    copies.addSource("b");
    assertThat(copies.firstCopy("a", "ch", "same")).isTrue();
    assertThat(copies.firstCopy("a", "ch", "same")).isTrue();
    assertThat(copies.firstCopy("b", "ch", "same")).isFalse();
    assertThat(copies.firstCopy("b", "ch", "same")).isFalse();
    // Another channel is another publication.
    assertThat(copies.firstCopy("b", "other", "same")).isTrue();
    assertThat(copies.firstCopy("a", "other", "same")).isFalse();
    assertThat(copies.pending()).isZero();
  }

  @Test
  void oneSourceDeliversEverythingAndRemembersNothing() {
    copies.addSource("a");
    assertThat(copies.firstCopy("a", "ch", "m")).isTrue();
    assertThat(copies.firstCopy("a", "ch", "m")).isTrue();
    assertThat(copies.pending()).isZero();
    assertThat(copies.firstCopy("gone", "ch", "m")).isFalse();
  }

  @Test
  void copiesThatNeverComeAreForgottenOnRemovalOrAfterTheRetention() {
    copies.addSource("a");
    copies.addSource("b");
    copies.addSource("c");
    assertThat(copies.firstCopy("a", "ch", "m1")).isTrue();
    assertThat(copies.firstCopy("b", "ch", "m1")).isFalse();
    copies.removeSource("c");
    assertThat(copies.pending()).isZero();
    assertThat(copies.firstCopy("a", "ch", "m2")).isTrue();
    now.addAndGet(BroadcastCopies.RETENTION_NANOS / 2);
    copies.expire();
    assertThat(copies.pending()).isEqualTo(1);
    now.addAndGet(BroadcastCopies.RETENTION_NANOS);
    copies.expire();
    assertThat(copies.pending()).isZero();
  }
}
