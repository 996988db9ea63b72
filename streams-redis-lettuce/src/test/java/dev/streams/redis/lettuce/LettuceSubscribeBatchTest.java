package dev.streams.redis.lettuce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamConfig;
import dev.streams.StreamEvent;
import dev.streams.redis.server.RedisServerProcess;
import dev.streams.redis.server.RespConnection;
import dev.streams.redis.testing.RedisServerExtension;
import dev.streams.tck.EventRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * A1: channels subscribed at once go to the server gathered into SUBSCRIBE commands of several
 * channels, and each stage still completes at its own channel's confirmation.
 */
class LettuceSubscribeBatchTest {

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  /** More than one command's worth (500 channels), so a batch is split. */
  private static final int CHANNELS = 1_200;

  @Test
  @DisplayName("A1 — 1,200 item channels subscribed at once: every stage completes once its channel is subscribed (its event arrives), in fewer SUBSCRIBE commands than channels and never more")
  void channelsSubscribedAtOnceShareCommands() {
    try (RedisServerProcess server = redis.startServer();
        StreamAdapter adapter = new LettuceStreamsProvider().open(
            server.endpoint().applyTo(StreamConfig.builder()).backend(LettuceStreamsProvider.NAME).build())) {
      // The first subscription opens the subscriber connection, on the adapter's pool; the rest go
      // straight to it.
      adapter.subscribe(StreamChannel.group("opening"), event -> {});
      long before = subscribeCalls(server);

      List<EventRecorder> recorders = new ArrayList<>();
      List<CompletableFuture<?>> written = new ArrayList<>();
      for (int i = 0; i < CHANNELS; i++) {
        String id = "m" + i;
        EventRecorder recorder = new EventRecorder("item channel " + id);
        recorders.add(recorder);
        // Written the moment its own stage completes: the event arrives only if the server had run
        // that channel's SUBSCRIBE by then (Lettuce completes a SUBSCRIBE command's future at the
        // first confirmation of the oldest one on the wire, which may be another command's).
        written.add(adapter.async().subscribe(StreamChannel.item("many", id), recorder)
            .thenCompose(subscription -> adapter.async().set("many", id, Map.of("id", id)))
            .toCompletableFuture());
      }
      CompletableFuture.allOf(written.toArray(CompletableFuture[]::new))
          .orTimeout(EventRecorder.patience().toSeconds(), TimeUnit.SECONDS).join();
      for (EventRecorder recorder : recorders) {
        recorder.awaitTypes(StreamEvent.CREATE);
      }

      long commands = subscribeCalls(server) - before;
      LoggerFactory.getLogger(LettuceSubscribeBatchTest.class)
          .info("{} channels subscribed at once in {} SUBSCRIBE commands", CHANNELS, commands);
      assertThat(commands).as("SUBSCRIBE commands for %d channels", CHANNELS)
          .isPositive().isLessThan(CHANNELS);
    }
  }

  /** @return how many SUBSCRIBE commands the server ran (INFO commandstats) */
  private static long subscribeCalls(RedisServerProcess server) {
    String prefix = "cmdstat_subscribe:calls=";
    Object stats;
    try (RespConnection connection = RespConnection.open(server.endpoint(), Duration.ofSeconds(10))) {
      stats = connection.call("INFO", "commandstats");
    }
    return String.valueOf(stats).lines()
        .filter(line -> line.startsWith(prefix))
        .mapToLong(line -> Long.parseLong(line.substring(prefix.length(), line.indexOf(','))))
        .sum();
  }
}
