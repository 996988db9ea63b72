package dev.streams.redis.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamConfig;
import dev.streams.StreamConnectionException;
import dev.streams.redis.server.RedisServerProcess;
import dev.streams.tck.EventRecorder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * TLS against a real {@code redis-server} with a TLS port and a certificate the test makes (a CA and
 * a server certificate for 127.0.0.1, by {@code openssl}). The adapter trusts the CA through the
 * JVM's trust store properties, as a deployment with a private CA would (C1: {@code tls},
 * {@code rediss://}).
 */
abstract class TlsFamily extends KitFamily {

  /** What a plain-text connection that the server closed before any reply is told. */
  static final String TLS_HINT = "(if the server expects TLS, use rediss:// or tls(true))";
  private static final String[] TRUST_PROPERTIES =
      {"javax.net.ssl.trustStore", "javax.net.ssl.trustStorePassword", "javax.net.ssl.trustStoreType"};

  @TempDir
  Path dir;

  TlsFamily(RedisBackendKit kit) {
    super(kit);
  }

  @Test
  @DisplayName("C1 — TLS: rediss with the test's CA works end to end; plain text to the TLS port fails with a hint at TLS")
  void tlsPort() throws Exception {
    // Fail, never skip: a CI machine without it must be fixed (.ci/run installs it); redis-server is
    // checked by startServer.
    assertThat(run("openssl", "version")).as("openssl on the PATH (Debian package openssl)").isTrue();
    makeCertificates();
    int tlsPort = RedisServerProcess.freePort();
    startServer("--tls-port", Integer.toString(tlsPort),
        "--tls-cert-file", dir.resolve("server.crt").toString(),
        "--tls-key-file", dir.resolve("server.key").toString(),
        "--tls-ca-cert-file", dir.resolve("ca.crt").toString(),
        "--tls-auth-clients", "no");
    StreamConfig.Builder options = StreamConfig.builder().backend(provider().name())
        .host("127.0.0.1").port(tlsPort)
        .connectTimeout(Duration.ofSeconds(1)).commandTimeout(Duration.ofSeconds(1));

    // Without the test's CA the certificate is not trusted: the connection is refused (no TLS hint:
    // TLS is on already).
    assertThat(catchThrowable(() -> provider().open(options.tls(true).build()).close()))
        .isInstanceOf(StreamConnectionException.class).hasMessageContaining("127.0.0.1:" + tlsPort)
        .hasMessageNotContaining(TLS_HINT);

    Map<String, String> saved = new HashMap<>();
    for (String property : TRUST_PROPERTIES) {
      saved.put(property, System.getProperty(property));
    }
    System.setProperty("javax.net.ssl.trustStore", dir.resolve("trust.p12").toString());
    System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
    System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
    try {
      // The opening (TCP, TLS handshake with a trust store loaded afresh, login, PING) is bounded by
      // connectTimeout as a whole: 1 s is too short for it on a loaded machine, and not the point here.
      try (StreamAdapter adapter = provider().open(options.tls(true).connectTimeout(Duration.ofSeconds(10)).build())) {
        EventRecorder log = new EventRecorder("group handler");
        adapter.subscribe(StreamChannel.group("tls"), log);
        adapter.set("tls", "1", json("{\"v\":1}"));
        assertThat(adapter.get("tls", "1")).map(d -> d.get("v").asInt()).contains(1);
        log.awaitTypes("create");
      }

      long start = System.nanoTime();
      Throwable plainText = catchThrowable(() -> provider().open(options.tls(false)
          .connectTimeout(Duration.ofSeconds(1)).build()).close());
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      // The server resets a plain-text connection at once: the message says what probably happened.
      assertThat(plainText).as("plain text to the TLS port; cause chain: %s", causeChain(plainText))
          .isInstanceOf(StreamConnectionException.class)
          .hasMessageContaining("127.0.0.1:" + tlsPort)
          .hasMessageEndingWith(TLS_HINT);
      assertThat(millis).isLessThan(5_000);
      LoggerFactory.getLogger(TlsFamily.class).info("plain text to the TLS port failed in {} ms: {}",
          millis, plainText.getMessage());
    } finally {
      saved.forEach((property, value) -> {
        if (value == null) {
          System.clearProperty(property);
        } else {
          System.setProperty(property, value);
        }
      });
    }
  }

  private void makeCertificates() throws Exception {
    Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    List<List<String>> steps = List.of(
        List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=streams-test-ca", "-keyout", "ca.key", "-out", "ca.crt"),
        List.of("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
            "-keyout", "server.key", "-out", "server.csr"),
        List.of("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
            "-CAcreateserial", "-days", "2", "-extfile", "san.ext", "-out", "server.crt"));
    for (List<String> step : steps) {
      if (!run(step.toArray(String[]::new))) {
        throw new IllegalStateException("failed: " + String.join(" ", step));
      }
    }
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream ca = Files.newInputStream(dir.resolve("ca.crt"))) {
      trust.setCertificateEntry("streams-test-ca", CertificateFactory.getInstance("X.509").generateCertificate(ca));
    }
    try (OutputStream out = Files.newOutputStream(dir.resolve("trust.p12"))) {
      trust.store(out, "changeit".toCharArray());
    }
  }

  private boolean run(String... command) {
    List<String> args = new ArrayList<>(List.of(command));
    try {
      Process process = new ProcessBuilder(args).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(dir.resolve("openssl.log").toFile()).start();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return false;
      }
      return process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Every class and message of a failure's causes: what a client reported, if a hint is missing. */
  private static String causeChain(Throwable failure) {
    StringBuilder chain = new StringBuilder();
    for (Throwable t : causes(failure)) {
      chain.append(" <- ").append(t.getClass().getName()).append(": ").append(t.getMessage());
    }
    return chain.toString();
  }
}
