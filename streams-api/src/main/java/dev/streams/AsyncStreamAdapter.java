package dev.streams;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.query.Query;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The non-blocking twin of a {@link StreamAdapter}, from {@link StreamAdapter#async()} (A1): every
 * operation returns a {@link CompletionStage} at once and never waits on I/O on the caller's thread.
 * Results, events and errors are those of the blocking call with the same arguments.
 *
 * <p>Errors never escape as a throw: invalid arguments (D3), a closed adapter (O10) and the bound on
 * calls in flight (A2) fail the returned stage at once, before any I/O. The stage fails with the
 * very exception the blocking call throws ({@link IllegalArgumentException},
 * {@link IllegalStateException}, {@link StreamConnectionException}, {@link StreamDataException}),
 * never wrapped: {@code whenComplete} and {@code exceptionally} on the returned stage see it as is.
 * (A stage derived from it wraps it in {@link java.util.concurrent.CompletionException}, as every
 * {@code CompletionStage} does, and {@code join()} throws that wrapper: look at its cause.)
 *
 * <p>The returned stages complete on a small pool of the adapter's own threads, never on the client
 * library's I/O threads: a continuation attached with {@code thenApply} and the like may block
 * without stalling other calls (it holds one thread of that pool, so long blocking work still
 * belongs on the application's own executor, with {@code thenApplyAsync(fn, executor)}).
 *
 * <p>At most {@link StreamConfig#maxCallsInFlight()} calls may be outstanding per adapter; a call
 * beyond that fails at once with {@link StreamOverloadedException} (A2).
 */
public interface AsyncStreamAdapter {

  /**
   * @param groupId the group
   * @param id the item id
   * @param data the data, as for {@link StreamAdapter#set}
   * @return the stored document, as {@link StreamAdapter#set} returns it (O1, O2)
   */
  CompletionStage<ObjectNode> set(String groupId, String id, Object data);

  /**
   * @param groupId the group
   * @param id the item id
   * @return the stored document, or empty (O3)
   */
  CompletionStage<Optional<ObjectNode>> get(String groupId, String id);

  /**
   * @param groupId the group
   * @param id the item id
   * @return the removed document, or empty (O4)
   */
  CompletionStage<Optional<ObjectNode>> delete(String groupId, String id);

  /**
   * @param groupId the group
   * @return every item of the group ordered by id (O5)
   */
  CompletionStage<List<ObjectNode>> getGroup(String groupId);

  /**
   * @param groupId the group
   * @param query the query
   * @return the matching items (O6, Q1–Q5)
   */
  CompletionStage<List<ObjectNode>> query(String groupId, Query query);

  /**
   * @param groupId the group
   * @return how many items were removed (O7)
   */
  CompletionStage<Long> clear(String groupId);

  /**
   * @param channel the channel
   * @param event the event
   * @return completes once the event is published (O8)
   */
  CompletionStage<Void> send(StreamChannel channel, StreamEvent event);

  /**
   * @param channel the channel
   * @param handler receives the events, as for {@link StreamAdapter#subscribe}
   * @return the subscription, once it is established (O9)
   */
  CompletionStage<Subscription> subscribe(StreamChannel channel, EventHandler handler);

  /**
   * @param channel the channel
   * @return completes once every subscription of the adapter on the channel has ended (O9)
   */
  CompletionStage<Void> unsubscribe(StreamChannel channel);
}
