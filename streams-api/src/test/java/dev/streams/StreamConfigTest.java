package dev.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamConfigTest {

  /** Distinctive, so a leak is found by a plain substring search. */
  private static final String PASSWORD = "Xq7-zebra-Pw-42";

  @Test
  void defaults() {
    StreamConfig config = StreamConfig.defaults();

    assertThat(config.backend()).isEmpty();
    assertThat(config.host()).isEqualTo("localhost");
    assertThat(config.port()).isEqualTo(6379);
    assertThat(config.username()).isEmpty();
    assertThat(config.password()).isEmpty();
    assertThat(config.database()).isZero();
    assertThat(config.tls()).isFalse();
    assertThat(config.keyPrefix()).isEqualTo("motia:stream:");
    assertThat(config.eventPrefix()).isEqualTo("motia:stream:events:");
    assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.commandTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.keepAliveInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(config.eventQueueCapacity()).isEqualTo(10_000);
    assertThat(config.maxDocumentBytes()).isEqualTo(1_048_576);
    assertThat(config.maxCallsInFlight()).isEqualTo(10_000);
    assertThat(config.reconnectStrategy()).isNotNull();
    assertThat(config.reconnectStrategy().decide(1))
        .isEqualTo(ReconnectStrategy.retryAfter(Duration.ofMillis(50)));
    assertThat(config.reconnectStrategy().decide(1000))
        .isEqualTo(ReconnectStrategy.retryAfter(Duration.ofSeconds(2)));
    assertThat(config.endpoint()).isEqualTo("localhost:6379");
    assertThat(config).hasToString("StreamConfig{backend=<classpath>, endpoint=localhost:6379, tls=false,"
        + " database=0, username=<none>, password=<none>, keyPrefix=motia:stream:,"
        + " eventPrefix=motia:stream:events:, connectTimeout=PT10S, commandTimeout=PT5S,"
        + " keepAliveInterval=PT15S, eventQueueCapacity=10000, maxDocumentBytes=1048576,"
        + " maxCallsInFlight=10000, layout=flat}");
    assertThat(config.layout()).isEqualTo(StreamLayout.FLAT);
  }

  @Test
  void layoutIsFlatOrHashAndHashRefusesBracesInPrefixes() {
    assertThat(StreamConfig.builder().layout(" Hash ").build().layout()).isEqualTo(StreamLayout.HASH);
    assertThatThrownBy(() -> StreamConfig.builder().layout("tree"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("layout must be 'flat' or 'hash', but was 'tree'");
    assertThatThrownBy(() -> StreamConfig.builder().layout((StreamLayout) null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layout");
    assertThatThrownBy(() -> StreamConfig.builder().keyPrefix("a{b}:").layout("hash").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("keyPrefix must not contain '{' or '}' under layout hash (Redis would take its"
            + " braces for the group's hash tag), but was 'a{b}:'");
    assertThatThrownBy(() -> StreamConfig.builder().layout("hash").eventPrefix("e}:").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eventPrefix");
    assertThat(StreamConfig.builder().keyPrefix("a{b}:").build().keyPrefix()).isEqualTo("a{b}:");
    assertThatThrownBy(() -> StreamConfig.fromEnvironment(Map.of("STREAMS_LAYOUT", "tree")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("STREAMS_LAYOUT must be 'flat' or 'hash', but was 'tree'");
  }

  @Test
  void everyOptionCanBeSet() {
    ReconnectStrategy strategy = attempt -> ReconnectStrategy.giveUp("no");
    StreamConfig config = StreamConfig.builder()
        .backend("memory").host("redis.internal").port(6380).username("app").password(PASSWORD)
        .database(3).tls(true).keyPrefix("k:").eventPrefix("e:")
        .connectTimeout(Duration.ofMillis(1500)).commandTimeout(Duration.ofMillis(700))
        .keepAliveInterval(Duration.ofMillis(2500)).reconnectStrategy(strategy).eventQueueCapacity(5)
        .maxDocumentBytes(4096).maxCallsInFlight(64).layout(StreamLayout.HASH).build();

    assertThat(config.backend()).contains("memory");
    assertThat(config.host()).isEqualTo("redis.internal");
    assertThat(config.port()).isEqualTo(6380);
    assertThat(config.username()).contains("app");
    assertThat(config.password()).contains(PASSWORD);
    assertThat(config.database()).isEqualTo(3);
    assertThat(config.tls()).isTrue();
    assertThat(config.keyPrefix()).isEqualTo("k:");
    assertThat(config.eventPrefix()).isEqualTo("e:");
    assertThat(config.connectTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(config.commandTimeout()).isEqualTo(Duration.ofMillis(700));
    assertThat(config.keepAliveInterval()).isEqualTo(Duration.ofMillis(2500));
    assertThat(config.reconnectStrategy()).isSameAs(strategy);
    assertThat(config.eventQueueCapacity()).isEqualTo(5);
    assertThat(config.maxDocumentBytes()).isEqualTo(4096);
    assertThat(config.maxCallsInFlight()).isEqualTo(64);
    assertThat(config).hasToString("StreamConfig{backend=memory, endpoint=redis.internal:6380, tls=true,"
        + " database=3, username=app, password=****, keyPrefix=k:, eventPrefix=e:,"
        + " connectTimeout=PT1.5S, commandTimeout=PT0.7S, keepAliveInterval=PT2.5S, eventQueueCapacity=5,"
        + " maxDocumentBytes=4096, maxCallsInFlight=64, layout=hash}");
    assertThat(config.layout()).isEqualTo(StreamLayout.HASH);
    assertThat(config.toBuilder().build().layout()).isEqualTo(StreamLayout.HASH);
  }

  @Test
  void portBoundsAreOneTo65535() {
    assertThat(StreamConfig.builder().port(1).build().port()).isEqualTo(1);
    assertThat(StreamConfig.builder().port(65535).build().port()).isEqualTo(65535);
    assertThatThrownBy(() -> StreamConfig.builder().port(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be between 1 and 65535, but was 0");
    assertThatThrownBy(() -> StreamConfig.builder().port(65536))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be between 1 and 65535, but was 65536");
    assertThatThrownBy(() -> StreamConfig.builder().port(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be between 1 and 65535, but was -1");
  }

  @Test
  void invalidOptionsFailNamingOptionAndValue() {
    assertThatThrownBy(() -> StreamConfig.builder().database(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("database must be 0 or more, but was -1");
    assertThatThrownBy(() -> StreamConfig.builder().keyPrefix(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("keyPrefix must not be empty, but was ''");
    assertThatThrownBy(() -> StreamConfig.builder().keyPrefix(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("keyPrefix must not be empty, but was null");
    assertThatThrownBy(() -> StreamConfig.builder().eventPrefix(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("eventPrefix must not be empty, but was ''");
    assertThatThrownBy(() -> StreamConfig.builder().eventPrefix(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("eventPrefix must not be empty, but was null");
    assertThatThrownBy(() -> StreamConfig.builder().connectTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("connectTimeout must be positive, but was PT0S");
    assertThatThrownBy(() -> StreamConfig.builder().connectTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("connectTimeout must be positive, but was PT-1S");
    assertThatThrownBy(() -> StreamConfig.builder().commandTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("commandTimeout must be positive, but was PT0S");
    assertThatThrownBy(() -> StreamConfig.builder().keepAliveInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("keepAliveInterval must be positive, but was PT0S");
    assertThatThrownBy(() -> StreamConfig.builder().keepAliveInterval(Duration.ofSeconds(-2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("keepAliveInterval must be positive, but was PT-2S");
    assertThatThrownBy(() -> StreamConfig.builder().keepAliveInterval(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("keepAliveInterval must be positive, but was null");
    assertThatThrownBy(() -> StreamConfig.builder().commandTimeout(Duration.ofMillis(-5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("commandTimeout must be positive, but was PT-0.005S");
    assertThatThrownBy(() -> StreamConfig.builder().eventQueueCapacity(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("eventQueueCapacity must be 1 or more, but was 0");
    assertThatThrownBy(() -> StreamConfig.builder().eventQueueCapacity(-3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("eventQueueCapacity must be 1 or more, but was -3");
    assertThatThrownBy(() -> StreamConfig.builder().maxDocumentBytes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxDocumentBytes must be 1 or more, but was 0");
    assertThatThrownBy(() -> StreamConfig.builder().maxDocumentBytes(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxDocumentBytes must be 1 or more, but was -1");
    assertThatThrownBy(() -> StreamConfig.builder().host(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("host must not be empty, but was ''");
    assertThatThrownBy(() -> StreamConfig.builder().host(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("host must not be empty, but was ' '");
    assertThatThrownBy(() -> StreamConfig.builder().host(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("host must not be empty, but was null");
    assertThatThrownBy(() -> StreamConfig.builder().backend(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("backend must not be blank, but was ' '");
    assertThatThrownBy(() -> StreamConfig.builder().reconnectStrategy(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("reconnectStrategy must not be null");
  }

  @Test
  void nullTimeoutsFailNamingTheOption() {
    // Not an IllegalArgumentException (unlike every other null option): see the report.
    assertThat(catchThrowable(() -> StreamConfig.builder().connectTimeout(null)))
        .hasMessageContaining("connectTimeout");
    assertThat(catchThrowable(() -> StreamConfig.builder().commandTimeout(null)))
        .hasMessageContaining("commandTimeout");
  }

  @Test
  void minimumValidValuesAreAccepted() {
    StreamConfig config = StreamConfig.builder().database(0).eventQueueCapacity(1)
        .connectTimeout(Duration.ofNanos(1)).commandTimeout(Duration.ofNanos(1)).build();
    assertThat(config.database()).isZero();
    assertThat(config.eventQueueCapacity()).isEqualTo(1);
    assertThat(config.connectTimeout()).isEqualTo(Duration.ofNanos(1));
  }

  @Test
  void aFailedSetterLeavesTheBuilderUnchanged() {
    StreamConfig.Builder builder = StreamConfig.builder().port(7000);
    assertThatThrownBy(() -> builder.port(0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(builder.build().port()).isEqualTo(7000);
  }

  @Test
  void emptyUsernameAndPasswordMeanNone() {
    StreamConfig config = StreamConfig.builder().username("").password("").build();
    assertThat(config.username()).isEmpty();
    assertThat(config.password()).isEmpty();
    assertThat(StreamConfig.builder().password(PASSWORD).password(null).build().password()).isEmpty();
    assertThat(StreamConfig.builder().backend("memory").backend(null).build().backend()).isEmpty();
  }

  @Test
  void toStringNeverShowsThePasswordButAFixedMask() {
    StreamConfig config = StreamConfig.builder().username("app").password(PASSWORD).build();
    assertThat(config.toString()).doesNotContain(PASSWORD).contains("password=****");

    StreamConfig other = StreamConfig.builder().password("x").build();
    assertThat(other.toString()).contains("password=****");
    assertThat(other.toString().replace("password=****", "")).doesNotContain("password=");
  }

  @Test
  void endpointBracketsIpv6Hosts() {
    assertThat(StreamConfig.builder().host("::1").port(7000).build().endpoint()).isEqualTo("[::1]:7000");
    assertThat(StreamConfig.builder().host("10.0.0.1").build().endpoint()).isEqualTo("10.0.0.1:6379");
  }

  @Test
  void toBuilderRoundTripsEveryOption() {
    ReconnectStrategy strategy = attempt -> ReconnectStrategy.giveUp("stop");
    StreamConfig original = StreamConfig.builder()
        .backend("fake").host("h").port(1234).username("u").password(PASSWORD).database(9).tls(true)
        .keyPrefix("kp:").eventPrefix("ep:").connectTimeout(Duration.ofSeconds(3))
        .commandTimeout(Duration.ofSeconds(2)).keepAliveInterval(Duration.ofSeconds(7))
        .reconnectStrategy(strategy).eventQueueCapacity(42).maxDocumentBytes(777).layout("hash").build();

    StreamConfig copy = original.toBuilder().build();

    assertSameOptions(copy, original);
    assertThat(copy.reconnectStrategy()).isSameAs(strategy);
    // the copy's builder is independent of the original
    StreamConfig changed = original.toBuilder().port(4321).password(null).build();
    assertThat(changed.port()).isEqualTo(4321);
    assertThat(changed.password()).isEmpty();
    assertThat(original.port()).isEqualTo(1234);
    assertThat(original.password()).contains(PASSWORD);
  }

  private static void assertSameOptions(StreamConfig actual, StreamConfig expected) {
    assertThat(actual.backend()).isEqualTo(expected.backend());
    assertThat(actual.host()).isEqualTo(expected.host());
    assertThat(actual.port()).isEqualTo(expected.port());
    assertThat(actual.clusterNodes()).isEqualTo(expected.clusterNodes());
    assertThat(actual.username()).isEqualTo(expected.username());
    assertThat(actual.layout()).isEqualTo(expected.layout());
    assertThat(actual.password()).isEqualTo(expected.password());
    assertThat(actual.database()).isEqualTo(expected.database());
    assertThat(actual.tls()).isEqualTo(expected.tls());
    assertThat(actual.keyPrefix()).isEqualTo(expected.keyPrefix());
    assertThat(actual.eventPrefix()).isEqualTo(expected.eventPrefix());
    assertThat(actual.connectTimeout()).isEqualTo(expected.connectTimeout());
    assertThat(actual.commandTimeout()).isEqualTo(expected.commandTimeout());
    assertThat(actual.keepAliveInterval()).isEqualTo(expected.keepAliveInterval());
    assertThat(actual.reconnectStrategy()).isSameAs(expected.reconnectStrategy());
    assertThat(actual.eventQueueCapacity()).isEqualTo(expected.eventQueueCapacity());
    assertThat(actual.maxDocumentBytes()).isEqualTo(expected.maxDocumentBytes());
    assertThat(actual.toString()).isEqualTo(expected.toString());
  }

  @Nested
  class Url {

    @Test
    void fullUrlSetsEveryPart() {
      StreamConfig config = StreamConfig.builder()
          .url("redis://alice:" + PASSWORD + "@redis.example.com:6380/4").build();
      assertThat(config.host()).isEqualTo("redis.example.com");
      assertThat(config.port()).isEqualTo(6380);
      assertThat(config.username()).contains("alice");
      assertThat(config.password()).contains(PASSWORD);
      assertThat(config.database()).isEqualTo(4);
      assertThat(config.tls()).isFalse();
    }

    @Test
    void missingPartsKeepDefaultsExceptPortAndTls() {
      StreamConfig config = StreamConfig.builder().port(7000).tls(true).database(2)
          .username("keep").password(PASSWORD).url("redis://h").build();
      assertThat(config.host()).isEqualTo("h");
      assertThat(config.port()).isEqualTo(6379);
      assertThat(config.tls()).isFalse();
      assertThat(config.database()).isEqualTo(2);
      assertThat(config.username()).contains("keep");
      assertThat(config.password()).contains(PASSWORD);
    }

    @Test
    void redissSetsTls() {
      StreamConfig config = StreamConfig.builder().url("rediss://h:6390").build();
      assertThat(config.tls()).isTrue();
      assertThat(config.port()).isEqualTo(6390);
      assertThat(StreamConfig.builder().url("REDISS://h").build().tls()).isTrue();
      assertThat(StreamConfig.builder().url("Redis://h").build().tls()).isFalse();
    }

    @Test
    void loneUserInfoIsThePassword() {
      StreamConfig config = StreamConfig.builder().url("redis://" + PASSWORD + "@h").build();
      assertThat(config.password()).contains(PASSWORD);
      assertThat(config.username()).isEmpty();
      StreamConfig colon = StreamConfig.builder().url("redis://:" + PASSWORD + "@h").build();
      assertThat(colon.password()).contains(PASSWORD);
      assertThat(colon.username()).isEmpty();
      StreamConfig userOnly = StreamConfig.builder().url("redis://bob:@h").build();
      assertThat(userOnly.username()).contains("bob");
      assertThat(userOnly.password()).isEmpty();
    }

    @Test
    void percentEncodedPartsAreDecoded() {
      StreamConfig config = StreamConfig.builder()
          .url("redis://us%40er:p%40ss%3Aw%2Fo%25rd%20x+y%C3%BC@h").build();
      assertThat(config.username()).contains("us@er");
      assertThat(config.password()).contains("p@ss:w/o%rd x+yü");
    }

    @Test
    void ipv6HostLosesItsBrackets() {
      StreamConfig config = StreamConfig.builder().url("redis://:" + PASSWORD + "@[::1]:7000/1").build();
      assertThat(config.host()).isEqualTo("::1");
      assertThat(config.port()).isEqualTo(7000);
      assertThat(config.database()).isEqualTo(1);
      assertThat(config.endpoint()).isEqualTo("[::1]:7000");
      assertThat(StreamConfig.builder().url("redis://[2001:db8::1]").build().host()).isEqualTo("2001:db8::1");
    }

    @Test
    void rootPathMeansNoDatabase() {
      assertThat(StreamConfig.builder().database(5).url("redis://h/").build().database()).isEqualTo(5);
      assertThat(StreamConfig.builder().url("redis://h/0").build().database()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://user:" + PASSWORD + "@h:6379",
        "redis//user:" + PASSWORD + "@h",
        "redis://user:" + PASSWORD + "@",
        "redis://user:" + PASSWORD + "@h:abc",
        "redis://user:" + PASSWORD + "@h/abc",
        "redis://user:" + PASSWORD + "@h/-1",
        "redis://user:" + PASSWORD + "@h/1/2",
        "redis://user:" + PASSWORD + " x@h",
        "redis://user:" + PASSWORD + "%zz@h",
        "redis://user:" + PASSWORD + "@h x",
        "redis://user:" + PASSWORD + "@h:99999999999",
        "redis://user:" + PASSWORD + "/x@h",
        "redis://user:" + PASSWORD + "#x@h",
        "redis://user:" + PASSWORD + "?x@h",
        "://user:" + PASSWORD + "@h",
    })
    void malformedUrlsFailWithoutShowingThePassword(String url) {
      Throwable thrown = catchThrowable(() -> StreamConfig.builder().url(url));
      assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
      assertThat(thrown.getMessage()).startsWith("url must look like redis://[[username]:password@]host"
          + "[:port][,host[:port]...][/database] or rediss://..., but ");
      assertNoPasswordInChain(thrown, PASSWORD);
    }

    @Test
    void malformedUrlMessagesSayWhatIsWrongAndShowNoUserInfo() {
      String form = "url must look like redis://[[username]:password@]host[:port][,host[:port]...][/database] or rediss://...";
      assertThatThrownBy(() -> StreamConfig.builder().url("http://u:" + PASSWORD + "@h"))
          .hasMessage(form + ", but the scheme must be redis or rediss: 'http://h'");
      assertThatThrownBy(() -> StreamConfig.builder().url("redis://u:" + PASSWORD + "@h/x"))
          .hasMessage(form + ", but the database (the path after the host) is not a number: 'redis://h'");
      assertThatThrownBy(() -> StreamConfig.builder().url("redis://u:" + PASSWORD + "@h/-1"))
          .hasMessage(form + ", but the database must be 0 or more: 'redis://h'");
      assertThatThrownBy(() -> StreamConfig.builder().url("redis://u:" + PASSWORD + " @h"))
          .hasMessage(form + ", but it is not a valid URI: 'redis://h'");
      assertThatThrownBy(() -> StreamConfig.builder().url("redis://u:" + PASSWORD + "@"))
          .hasMessage(form + ", but it has no host: 'redis://'");
      assertThatThrownBy(() -> StreamConfig.builder().url("redis://u:" + PASSWORD + "@h:abc"))
          .hasMessage(form + ", but the port is not a number: 'redis://h:abc'");
      assertThatThrownBy(() -> StreamConfig.builder().url("redis://"))
          .hasMessageStartingWith(form + ", but ");
    }

    @Test
    void aUrlWithoutAtShowsOnlyItsSchemeForItMayBeAllUserInfo() {
      // The "@host" forgotten: what follows the scheme is a username and a password.
      assertThatThrownBy(() -> StreamConfig.builder().url("redis://user:Pa55-w0rd_SECRET"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("url must look like redis://[[username]:password@]host[:port][,host[:port]...][/database] or"
              + " rediss://..., but the port is not a number: 'redis://' followed by what is not shown"
              + " (without an '@' it may hold a password)");
      // A numeric password is not echoed as an out-of-range port either.
      assertThatThrownBy(() -> StreamConfig.builder().url("redis://alice:12345678"))
          .hasMessageNotContaining("12345678").hasMessageNotContaining("alice");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "redis://alice-7f3:%s",
        "rediss://alice-7f3:%s",
        "redis://alice-7f3:%s/0",
        "redis://alice-7f3:%s?x",
        "redis://alice-7f3:%s#x",
        "redis://alice-7f3:%s@h:abc",
        "redis://alice-7f3:%s@h:99999",
        "redis://alice-7f3:%s@h/db",
        "redis://alice-7f3:%s @h",
        "redis://[alice-7f3:%s",
        "redis://[::1]alice-7f3:%s",
        "http://alice-7f3:%s@h",
        "redis:alice-7f3:%s",
        "alice-7f3:%s@h",
    })
    void invalidUrlMessagesShowNeitherUsernameNorPassword(String form) {
      for (String password : new String[] {PASSWORD, "Pa55-w0rd_SECRET", "98765432"}) {
        Throwable thrown = catchThrowable(() -> StreamConfig.builder().url(String.format(form, password)));
        assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
        assertThat(thrown.getMessage()).doesNotContain("alice-7f3");
        assertNoPasswordInChain(thrown, password);
      }
    }

    @Test
    void anUnencodedAtSignBelongsToThePassword() {
      StreamConfig config = StreamConfig.builder().url("redis://user:p@ss@h:6380").build();
      assertThat(config.password()).contains("p@ss");
      assertThat(config.host()).isEqualTo("h");
      assertThat(config.port()).isEqualTo(6380);
    }

    @Test
    void hostsWithUnderscoresAreAccepted() {
      assertThat(StreamConfig.builder().url("redis://my_redis:6380").build().host()).isEqualTo("my_redis");
    }

    @Test
    void emptyUrlFails() {
      assertThatThrownBy(() -> StreamConfig.builder().url(""))
          .isInstanceOf(IllegalArgumentException.class).hasMessage("url must not be empty");
      assertThatThrownBy(() -> StreamConfig.builder().url("  "))
          .isInstanceOf(IllegalArgumentException.class).hasMessage("url must not be empty");
      assertThatThrownBy(() -> StreamConfig.builder().url(null))
          .isInstanceOf(IllegalArgumentException.class).hasMessage("url must not be empty");
    }

    @Test
    void outOfRangePortInUrlFailsWithoutThePassword() {
      Throwable thrown = catchThrowable(() -> StreamConfig.builder().url("redis://:" + PASSWORD + "@h:65536"));
      assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65536");
      assertNoPasswordInChain(thrown, PASSWORD);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "redis:/user:" + PASSWORD + "@h:6379",
        "redis:user:" + PASSWORD + "@h",
    })
    void urlsWithoutDoubleSlashFailWithoutShowingThePassword(String url) {
      Throwable thrown = catchThrowable(() -> StreamConfig.builder().url(url));
      assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
      assertNoPasswordInChain(thrown, PASSWORD);
    }
  }

  @Nested
  class FromEnvironment {

    @Test
    void emptyEnvironmentGivesDefaults() {
      assertSameOptionsIgnoringStrategy(StreamConfig.fromEnvironment(Map.of()), StreamConfig.defaults());
    }

    @Test
    void everyVariableIsRead() {
      Map<String, String> env = Map.ofEntries(
          Map.entry("REDIS_HOST", "redis.local"),
          Map.entry("REDIS_PORT", "6380"),
          Map.entry("REDIS_USERNAME", "app"),
          Map.entry("REDIS_PASSWORD", PASSWORD),
          Map.entry("REDIS_DATABASE", "7"),
          Map.entry("STREAM_KEY_PREFIX", "myapp:"),
          Map.entry("STREAM_EVENT_PREFIX", "myapp:events:"),
          Map.entry("STREAMS_BACKEND", "redis-jedis"),
          Map.entry("STREAMS_MAX_DOCUMENT_BYTES", "65536"),
          Map.entry("STREAMS_MAX_CALLS_IN_FLIGHT", "256"),
          Map.entry("STREAMS_LAYOUT", "hash"));

      StreamConfig config = StreamConfig.fromEnvironment(env);
      assertThat(config.layout()).isEqualTo(StreamLayout.HASH);

      assertThat(config.host()).isEqualTo("redis.local");
      assertThat(config.port()).isEqualTo(6380);
      assertThat(config.username()).contains("app");
      assertThat(config.password()).contains(PASSWORD);
      assertThat(config.database()).isEqualTo(7);
      assertThat(config.keyPrefix()).isEqualTo("myapp:");
      assertThat(config.eventPrefix()).isEqualTo("myapp:events:");
      assertThat(config.backend()).contains("redis-jedis");
      assertThat(config.maxDocumentBytes()).isEqualTo(65_536);
      assertThat(config.maxCallsInFlight()).isEqualTo(256);
      assertThat(config.tls()).isFalse();
      assertThat(config.toString()).doesNotContain(PASSWORD);
    }

    @Test
    void emptyVariablesLeaveTheDefault() {
      Map<String, String> env = new HashMap<>();
      for (String name : new String[] {"REDIS_HOST", "REDIS_PORT", "REDIS_USERNAME", "REDIS_PASSWORD",
          "REDIS_DATABASE", "STREAM_KEY_PREFIX", "STREAM_EVENT_PREFIX", "STREAMS_BACKEND", "REDIS_URL",
          "STREAMS_MAX_DOCUMENT_BYTES", "STREAMS_MAX_CALLS_IN_FLIGHT"}) {
        env.put(name, "");
      }
      assertSameOptionsIgnoringStrategy(StreamConfig.fromEnvironment(env), StreamConfig.defaults());
    }

    @Test
    void numbersAndNamesAreTrimmed() {
      StreamConfig config = StreamConfig.fromEnvironment(Map.of(
          "REDIS_PORT", " 7000 ", "REDIS_DATABASE", " 2", "REDIS_HOST", " h ", "STREAMS_BACKEND", " memory "));
      assertThat(config.port()).isEqualTo(7000);
      assertThat(config.database()).isEqualTo(2);
      assertThat(config.host()).isEqualTo("h");
      assertThat(config.backend()).contains("memory");
    }

    @Test
    void nonNumericPortFailsNamingVariableAndValue() {
      assertThatThrownBy(() -> StreamConfig.fromEnvironment(Map.of("REDIS_PORT", "abc")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("REDIS_PORT must be a number between 1 and 65535, but was 'abc'");
      assertThatThrownBy(() -> StreamConfig.fromEnvironment(Map.of("REDIS_PORT", "99999999999")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("REDIS_PORT must be a number between 1 and 65535, but was '99999999999'");
    }

    @Test
    void outOfRangePortFailsNamingVariableAndValue() {
      assertThatThrownBy(() -> StreamConfig.fromEnvironment(Map.of("REDIS_PORT", "0")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("REDIS_PORT: port must be between 1 and 65535, but was 0");
      assertThatThrownBy(() -> StreamConfig.fromEnvironment(Map.of("REDIS_PORT", "65536")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("REDIS_PORT: port must be between 1 and 65535, but was 65536");
    }

    @Test
    void invalidDatabaseFailsNamingVariableAndValue() {
      assertThatThrownBy(() -> StreamConfig.fromEnvironment(Map.of("REDIS_DATABASE", "x1")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("REDIS_DATABASE must be a number, 0 or more, but was 'x1'");
      assertThatThrownBy(() -> StreamConfig.fromEnvironment(Map.of("REDIS_DATABASE", "-1")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("REDIS_DATABASE: database must be 0 or more, but was -1");
    }

    @Test
    void invalidMaxDocumentBytesFailsNamingVariableAndValue() {
      assertThatThrownBy(() -> StreamConfig.fromEnvironment(Map.of("STREAMS_MAX_DOCUMENT_BYTES", "1MB")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("STREAMS_MAX_DOCUMENT_BYTES must be a number, 1 or more, but was '1MB'");
      assertThatThrownBy(() -> StreamConfig.fromEnvironment(Map.of("STREAMS_MAX_DOCUMENT_BYTES", "0")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("STREAMS_MAX_DOCUMENT_BYTES: maxDocumentBytes must be 1 or more, but was 0");
    }

    @Test
    void invalidMaxCallsInFlightFailsNamingVariableAndValue() {
      assertThatThrownBy(() -> StreamConfig.fromEnvironment(Map.of("STREAMS_MAX_CALLS_IN_FLIGHT", "many")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("STREAMS_MAX_CALLS_IN_FLIGHT must be a number, 1 or more, but was 'many'");
      assertThatThrownBy(() -> StreamConfig.fromEnvironment(Map.of("STREAMS_MAX_CALLS_IN_FLIGHT", "0")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("STREAMS_MAX_CALLS_IN_FLIGHT: maxCallsInFlight must be 1 or more, but was 0");
    }

    @Test
    void blankHostFailsNamingTheVariable() {
      assertThatThrownBy(() -> StreamConfig.fromEnvironment(Map.of("REDIS_HOST", "  ")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("REDIS_HOST: host must not be empty, but was ''");
    }

    @Test
    void longInvalidValuesAreAbbreviated() {
      String value = "9".repeat(30) + "x".repeat(50);
      assertThatThrownBy(() -> StreamConfig.fromEnvironment(Map.of("REDIS_PORT", value)))
          .hasMessage("REDIS_PORT must be a number between 1 and 65535, but was '"
              + value.substring(0, 61) + "...'");
    }

    @Test
    void redisUrlOverridesHostPortUserPasswordAndDatabase() {
      Map<String, String> env = Map.of(
          "REDIS_HOST", "ignored", "REDIS_PORT", "1111", "REDIS_USERNAME", "ignored-user",
          "REDIS_PASSWORD", "ignored-pw", "REDIS_DATABASE", "9",
          "REDIS_URL", "redis://carol:" + PASSWORD + "@url-host:2222/3");

      StreamConfig config = StreamConfig.fromEnvironment(env);

      assertThat(config.host()).isEqualTo("url-host");
      assertThat(config.port()).isEqualTo(2222);
      assertThat(config.username()).contains("carol");
      assertThat(config.password()).contains(PASSWORD);
      assertThat(config.database()).isEqualTo(3);
      assertThat(config.tls()).isFalse();
    }

    @Test
    void redisUrlWithoutPortUsesTheDefaultPortAndKeepsWhatItLacks() {
      Map<String, String> env = Map.of(
          "REDIS_PORT", "1111", "REDIS_PASSWORD", PASSWORD, "REDIS_DATABASE", "9",
          "REDIS_URL", "rediss://url-host");

      StreamConfig config = StreamConfig.fromEnvironment(env);

      assertThat(config.host()).isEqualTo("url-host");
      assertThat(config.port()).isEqualTo(6379);
      assertThat(config.tls()).isTrue();
      assertThat(config.password()).contains(PASSWORD);
      assertThat(config.database()).isEqualTo(9);
    }

    @Test
    void redisUrlDecodesPasswordAndBracketsIpv6() {
      StreamConfig config = StreamConfig.fromEnvironment(
          Map.of("REDIS_URL", "rediss://:p%40ss%23w%3Ard@[::1]:6390/0"));
      assertThat(config.password()).contains("p@ss#w:rd");
      assertThat(config.host()).isEqualTo("::1");
      assertThat(config.port()).isEqualTo(6390);
      assertThat(config.tls()).isTrue();
      assertThat(config.toString()).doesNotContain("p@ss#w:rd").contains("password=****");
    }

    @Test
    void malformedRedisUrlFailsNamingTheVariableWithoutThePassword() {
      Throwable thrown = catchThrowable(() -> StreamConfig.fromEnvironment(
          Map.of("REDIS_URL", "redis://user:" + PASSWORD + "@h:6379/db")));
      assertThat(thrown).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("REDIS_URL must look like redis://[[username]:password@]host[:port][,host[:port]...][/database]"
              + " or rediss://..., but the database (the path after the host) is not a number: 'redis://h:6379'");
      assertNoPasswordInChain(thrown, PASSWORD);

      Throwable invalidUri = catchThrowable(() -> StreamConfig.fromEnvironment(
          Map.of("REDIS_URL", "redis://user:" + PASSWORD + "{}@h")));
      assertThat(invalidUri).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("REDIS_URL ");
      assertNoPasswordInChain(invalidUri, PASSWORD);
    }

    @Test
    void invalidOtherVariableNeverShowsThePassword() {
      Throwable thrown = catchThrowable(() -> StreamConfig.fromEnvironment(
          Map.of("REDIS_PASSWORD", PASSWORD, "REDIS_PORT", "nope")));
      assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
      assertNoPasswordInChain(thrown, PASSWORD);
    }

    private void assertSameOptionsIgnoringStrategy(StreamConfig actual, StreamConfig expected) {
      assertThat(actual.toString()).isEqualTo(expected.toString());
      assertThat(actual.username()).isEqualTo(expected.username());
      assertThat(actual.password()).isEqualTo(expected.password());
    }
  }

  static void assertNoPasswordInChain(Throwable thrown, String password) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).as("message of %s", t.getClass().getName())
          .doesNotContain(password);
      assertThat(t.toString()).doesNotContain(password);
      for (Throwable suppressed : t.getSuppressed()) {
        assertThat(suppressed.toString()).doesNotContain(password);
      }
    }
  }

  @Nested
  class ClusterNodes {

    private static String shown(StreamConfig config) {
      return config.clusterNodes().stream().map(StreamConfig::nodeText).toList().toString();
    }

    @Test
    void builderTakesHostPortsWithDefaultPortAndIpv6() {
      StreamConfig config = StreamConfig.builder()
          .clusterNodes("10.0.0.1:7000", " redis-b ", "[::1]:7002").build();
      assertThat(config.isCluster()).isTrue();
      assertThat(shown(config)).isEqualTo("[10.0.0.1:7000, redis-b:6379, [::1]:7002]");
      assertThat(config.endpoint()).isEqualTo("cluster 10.0.0.1:7000,redis-b:6379,[::1]:7002");
      assertThat(config.toString()).contains("endpoint=cluster 10.0.0.1:7000,");
      assertThat(StreamConfig.defaults().isCluster()).isFalse();
      assertThat(config.toBuilder().clusterNodes().build().isCluster()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {":7000", "h:port", "h:0", "h:70000", "[::1", "[::1]x", ""})
    void malformedNodeIsNamed(String node) {
      assertThatThrownBy(() -> StreamConfig.builder().clusterNodes("ok:7000", node))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("clusterNodes must be host:port each, but '" + node + "'");
    }

    @Test
    void aClusterHasOnlyDatabaseZero() {
      assertThatThrownBy(() -> StreamConfig.builder().clusterNodes("h:7000").database(3).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("database must be 0 with clusterNodes (Redis Cluster has only database 0), but was 3");
    }

    @Test
    void urlWithSeveralHostsGivesTheNodesAndItsCredentials() {
      StreamConfig config = StreamConfig.builder()
          .url("rediss://alice:" + PASSWORD + "@h1:7000,h2,[::1]:7002").build();
      assertThat(shown(config)).isEqualTo("[h1:7000, h2:6379, [::1]:7002]");
      assertThat(config.username()).contains("alice");
      assertThat(config.password()).contains(PASSWORD);
      assertThat(config.tls()).isTrue();
      assertThat(config.toString()).doesNotContain(PASSWORD);
      // A URL of one host is a single server again.
      assertThat(config.toBuilder().url("redis://h3:6390").build().isCluster()).isFalse();
    }

    @Test
    void badNodeInUrlIsNamedWithoutThePassword() {
      Throwable failure = catchThrowable(() ->
          StreamConfig.builder().url("redis://alice:" + PASSWORD + "@h1:7000,h2:x"));
      assertThat(failure).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("the port is not a number").hasMessageContaining("h1:7000,h2:x");
      assertThat(failure.getMessage()).doesNotContain(PASSWORD);
    }

    @Test
    void environmentGivesTheNodes() {
      StreamConfig config = StreamConfig.fromEnvironment(
          Map.of("REDIS_CLUSTER_NODES", "h1:7000,h2:7001", "REDIS_PASSWORD", PASSWORD));
      assertThat(shown(config)).isEqualTo("[h1:7000, h2:7001]");
      assertThat(config.password()).contains(PASSWORD);
      assertThatThrownBy(() -> StreamConfig.fromEnvironment(Map.of("REDIS_CLUSTER_NODES", "h1:7000,")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("REDIS_CLUSTER_NODES: clusterNodes must be host:port each, but ''");
      assertThatThrownBy(() -> StreamConfig.fromEnvironment(
          Map.of("REDIS_CLUSTER_NODES", "h1:7000", "REDIS_URL", "redis://h2")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("REDIS_CLUSTER_NODES and REDIS_URL must not both be set");
      for (String single : List.of("REDIS_HOST", "REDIS_PORT")) {
        assertThatThrownBy(() -> StreamConfig.fromEnvironment(
            Map.of("REDIS_CLUSTER_NODES", "h1:7000", single, "7001")))
            .as(single).isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("REDIS_CLUSTER_NODES and " + single + " must not both be set");
      }
      assertThatThrownBy(() -> StreamConfig.fromEnvironment(
          Map.of("REDIS_CLUSTER_NODES", "h1:7000", "REDIS_DATABASE", "2")))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("database must be 0");
    }
  }
}
