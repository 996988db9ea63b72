package dev.streams.redis.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * How both Redis backends send the channels many callers subscribe at once: gathered into a few
 * SUBSCRIBE commands of several channels each, not a command (and a write) per channel. Redis
 * confirms such a command channel by channel, so every caller still learns of its own channel.
 */
public final class SubscribeCommands {

  /**
   * Channels per SUBSCRIBE command: thousands gathered at once go out as several commands, so that
   * none makes a reply (a confirmation per channel) that the client must hold whole.
   */
  public static final int CHANNELS_PER_COMMAND = 500;

  private SubscribeCommands() {}

  /**
   * @param channels the channels to subscribe, in order
   * @return them in commands of at most {@link #CHANNELS_PER_COMMAND} channels, in order
   */
  public static List<List<String>> commands(List<String> channels) {
    List<List<String>> commands = new ArrayList<>();
    for (int from = 0; from < channels.size(); from += CHANNELS_PER_COMMAND) {
      commands.add(List.copyOf(channels.subList(from, Math.min(channels.size(), from + CHANNELS_PER_COMMAND))));
    }
    return commands;
  }
}
