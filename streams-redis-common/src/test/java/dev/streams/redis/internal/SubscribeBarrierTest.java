package dev.streams.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.streams.StreamConnectionException;
import dev.streams.spi.ChannelTransport;
import dev.streams.spi.MessageSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The flat layout's subscription start on a cluster, against a scripted node and primaries. */
class SubscribeBarrierTest {

  private static final String BARRIER = "e:streams-barrier:test";

  /** What the sink got, as "channel message" lines. */
  private final List<String> delivered = new CopyOnWriteArrayList<>();
  private final List<Set<String>> resubscribed = new CopyOnWriteArrayList<>();
  private final MessageSink sink = new MessageSink() {
    @Override
    public void onMessage(String channelName, String message) {
      delivered.add(channelName + " " + message);
    }

    @Override
    public void reconnected() {
      delivered.add("reconnected");
    }

    @Override
    public void resubscribed(Set<String> channelNames) {
      resubscribed.add(channelNames);
    }

    @Override
    public void disconnected(String reason) {
      delivered.add("disconnected " + reason);
    }
  };

  /**
   * The node the subscriber listens on: on SUBSCRIBE of a channel it first hands on what was still
   * on its way to it (published before), as the cluster bus would; each barrier token published on a
   * primary comes back as one copy, after what that primary published before it.
   */
  private final class Node implements ChannelTransport {
    MessageSink filter;
    final List<String> subscribed = new ArrayList<>();
    /** Messages published before, still on their way to this node, by channel. */
    final java.util.Map<String, List<String>> inFlight = new java.util.HashMap<>();

    @Override
    public void subscribe(String channel) {
      subscribed.add(channel);
      for (String message : inFlight.getOrDefault(channel, List.of())) {
        filter.onMessage(channel, message);
      }
      inFlight.remove(channel);
    }

    @Override
    public void unsubscribe(String channel) {
      subscribed.remove(channel);
    }
  }

  private final Node node = new Node();
  private final List<String> published = new ArrayList<>();

  /** A fake cluster of {@code primaries} primaries whose publish copies come back at once, or never. */
  private RedisCommands cluster(int primaries, boolean copiesArrive) {
    return cluster(primaries, copiesArrive, Set.of());
  }

  /** The same, where the primaries numbered in {@code unreachable} refuse every PUBLISH. */
  private RedisCommands cluster(int primaries, boolean copiesArrive, Set<Integer> unreachable) {
    return new RefusingCommands() {
      @Override
      public List<? extends RedisCommands> primaries() {
        List<RedisCommands> views = new ArrayList<>();
        for (int i = 0; i < primaries; i++) {
          int index = i;
          views.add(new RefusingCommands() {
            @Override
            public void publish(String channel, String message) {
              if (unreachable.contains(index)) {
                throw new StreamConnectionException("primary " + index + " is down");
              }
              published.add(index + " " + channel);
              if (copiesArrive) {
                // Before the copy: a late event of this primary, published after the subscription.
                node.filter.onMessage("g", "late-from-" + index);
                node.filter.onMessage(channel, message);
              }
            }
          });
        }
        return views;
      }
    };
  }

  private SubscribeBarrier barrier(RedisCommands commands, Duration timeout) {
    return new SubscribeBarrier(commands, BARRIER, timeout, sink, filter -> {
      node.filter = filter;
      return node;
    });
  }

  @Test
  @DisplayName("L3, E2 — what arrives on a channel before every primary's barrier copy is dropped, what comes after is handed on; the tokens never are")
  void messagesBeforeTheLastCopyAreDropped() {
    SubscribeBarrier transport = barrier(cluster(3, true), Duration.ofSeconds(10));
    node.inFlight.put("g", List.of("published-before"));
    transport.subscribe("g");
    node.filter.onMessage("g", "after");
    node.filter.onMessage("other", "passes");

    assertThat(node.subscribed).containsExactly(BARRIER, "g");
    assertThat(published).containsExactly("0 " + BARRIER, "1 " + BARRIER, "2 " + BARRIER);
    // The late events of primaries 0 and 1 came before the last copy (primary 2's): dropped, as
    // published before subscribe returned. Primary 2's came before its own copy: dropped too.
    assertThat(delivered).containsExactly("g after", "other passes");
  }

  @Test
  @DisplayName("L3 — a barrier whose copies do not all come ends at the timeout: the subscription goes on, and later messages are handed on")
  void aMissingCopyEndsAtTheTimeout() {
    SubscribeBarrier transport = barrier(cluster(2, false), Duration.ofMillis(50));
    transport.subscribe("g");
    node.filter.onMessage("g", "after");
    assertThat(delivered).containsExactly("g after");
  }

  @Test
  @DisplayName("E7 — reconnections and give-ups pass through; the barrier's own channel is never reported resubscribed")
  void connectionEventsPassThrough() {
    SubscribeBarrier transport = barrier(cluster(1, true), Duration.ofSeconds(10));
    transport.subscribe("g");
    node.filter.reconnected();
    node.filter.resubscribed(Set.of(BARRIER, "g"));
    node.filter.resubscribed(Set.of(BARRIER));
    node.filter.disconnected("gave up");
    // Primary 0's late event came before its copy, the only one: dropped.
    assertThat(delivered).containsExactly("reconnected", "disconnected gave up");
    assertThat(resubscribed).containsExactly(Set.of("g"));
  }

  @Test
  @DisplayName("L3 — a primary that refuses the token is not waited for: the subscription starts at once on the others' copies")
  void anUnreachablePrimaryIsNotWaitedFor() {
    SubscribeBarrier transport = barrier(cluster(3, true, Set.of(1)), Duration.ofMinutes(10));
    // Were primary 1's copy awaited, subscribe would wait for the ten minutes.
    assertTimeoutPreemptively(Duration.ofMinutes(1), () -> transport.subscribe("g"));
    node.filter.onMessage("g", "after");
    assertThat(published).containsExactly("0 " + BARRIER, "2 " + BARRIER);
    assertThat(delivered).containsExactly("g after");
  }

  @Test
  @DisplayName("L3 — when no primary takes the token the subscription fails with the failure, and nothing stays subscribed")
  void noReachablePrimaryFailsTheSubscription() {
    SubscribeBarrier transport = barrier(cluster(2, true, Set.of(0, 1)), Duration.ofMinutes(10));
    assertThatThrownBy(() -> transport.subscribe("g"))
        .isInstanceOf(StreamConnectionException.class).hasMessage("primary 0 is down");
    assertThat(node.subscribed).isEmpty();
  }

  @Test
  @DisplayName("L3 — the barrier's own channel is subscribed while any channel is, and ended with the last")
  void theBarrierChannelEndsWithTheLastChannel() {
    SubscribeBarrier transport = barrier(cluster(1, true), Duration.ofSeconds(10));
    transport.subscribe("g");
    transport.subscribe("h");
    transport.unsubscribe("g");
    assertThat(node.subscribed).containsExactly(BARRIER, "h");
    transport.unsubscribe("h");
    assertThat(node.subscribed).isEmpty();
    transport.subscribe("k");
    assertThat(node.subscribed).containsExactly(BARRIER, "k");
  }
}
