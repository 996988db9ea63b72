package dev.streams;


/**
 * A backend, as {@link java.util.ServiceLoader} finds it (S1). Register an implementation
 * with {@code @AutoService(StreamAdapterProvider.class)}.
 *
 * <p>Discovery only calls {@link #name()}; nothing is connected or allocated until
 * {@link #open(StreamConfig)} is called for the chosen backend.
 */
public interface StreamAdapterProvider {

  /** @return the stable backend name, e.g. {@code memory}, {@code redis-jedis} */
  String name();

  /**
   * @param config the configuration
   * @return a new, open adapter
   * @throws dev.streams.StreamConnectionException if the store cannot be reached
   */
  StreamAdapter open(StreamConfig config);
}
