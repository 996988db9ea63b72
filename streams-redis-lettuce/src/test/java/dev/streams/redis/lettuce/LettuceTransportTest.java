package dev.streams.redis.lettuce;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.resource.EpollProvider;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The transport the backend ships for: its epoll dependency must match the netty Lettuce brings. */
class LettuceTransportTest {

  @Test
  @EnabledOnOs(OS.LINUX)
  @EnabledIfSystemProperty(named = "os.arch", matches = "amd64|x86_64")
  @DisplayName("on Linux x86-64 Lettuce runs on netty's epoll transport, not NIO")
  void epollOnLinux() {
    assertThat(EpollProvider.isAvailable()).as("epoll loadable (netty-transport-native-epoll matches "
        + "the netty of lettuce-core?)").isTrue();
  }
}
