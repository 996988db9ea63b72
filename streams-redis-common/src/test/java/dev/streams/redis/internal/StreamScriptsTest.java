package dev.streams.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.StreamDataException;
import dev.streams.spi.WireFormat;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StreamScriptsTest {

  @Test
  @DisplayName("E1 — the scripts build event text exactly as WireFormat.eventMessage does")
  void eventTextMatchesTheCodec() {
    String document = "{\"name\":\"Zoë\",\"id\":\"u1\"}";
    for (String type : List.of("create", "update", "delete")) {
      String expected = WireFormat.eventMessage(type, document);
      String prefix = expected.substring(0, expected.length() - document.length() - 1);
      assertThat(expected).endsWith(document + "}");
      String script = type.equals("delete") ? StreamScripts.DELETE.text() + StreamScripts.CLEAR_BATCH.text()
          : StreamScripts.SET.text();
      if (type.equals("delete")) {
        assertThat(script).contains("'" + prefix + "' .. value .. '}'");
      } else {
        assertThat(prefix).isEqualTo("{\"type\":\"" + type + "\",\"data\":");
        assertThat(script).contains("'{\"type\":\"' .. (old and 'update' or 'create') .. '\",\"data\":' .. ARGV[1] .. '}'");
      }
    }
  }

  @Test
  @DisplayName("each script's SHA-1 is that of its exact text, as Redis computes it")
  void sha1() {
    assertThat(LuaScript.of("t", "return 1", RedisCommands.ScriptReply.INTEGER).sha1())
        .isEqualTo("e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
    for (LuaScript script : List.of(StreamScripts.SET, StreamScripts.DELETE, StreamScripts.CLEAR_BATCH)) {
      assertThat(script.text()).as(script.name()).contains("local function certain_document");
    }
    assertThat(StreamScripts.SET.sha1()).hasSize(40).isNotEqualTo(StreamScripts.DELETE.sha1());
  }

  @Test
  @DisplayName("L2, L3 — the hash scripts publish with PUBLISH on a single server and with SPUBLISH on a cluster, and nothing else differs")
  void hashScriptsPublishByTopology() {
    StreamScripts.HashScripts classic = StreamScripts.HASH_CLASSIC;
    StreamScripts.HashScripts sharded = StreamScripts.HASH_SHARDED;
    List<LuaScript> classicScripts = List.of(classic.set(), classic.delete(), classic.clearBatch());
    List<LuaScript> shardedScripts = List.of(sharded.set(), sharded.delete(), sharded.clearBatch());
    for (int i = 0; i < 3; i++) {
      LuaScript plain = classicScripts.get(i);
      LuaScript shard = shardedScripts.get(i);
      assertThat(plain.text()).as(plain.name()).contains("redis.call('PUBLISH'").doesNotContain("SPUBLISH");
      assertThat(shard.text()).as(shard.name()).contains("redis.call('SPUBLISH'");
      assertThat(plain.text().replaceAll("(?m)^--.*\n", "").replace("'PUBLISH'", "'SPUBLISH'"))
          .as(plain.name()).isEqualTo(shard.text().replaceAll("(?m)^--.*\n", ""));
      assertThat(plain.sha1()).isNotEqualTo(shard.sha1());
    }
  }

  @Test
  @DisplayName("K7 — STREAMS_FOREIGN replies name the key by its index; WRONGTYPE names the one key")
  void errorMapping() {
    List<String> keys = List.of("p:g:a b", "p:g:x\ny");
    assertThat(RedisErrors.forScript(new RedisErrorReply("STREAMS_FOREIGN 2 hash", null), keys))
        .isInstanceOf(StreamDataException.class)
        .hasMessageContaining("p:g:x\ny").hasMessageContaining("hash")
        .satisfies(e -> assertThat(((StreamDataException) e).key()).isEqualTo("p:g:x\ny"));
    assertThat(RedisErrors.forScript(new RedisErrorReply("STREAMS_FOREIGN 1 text", null), keys))
        .isInstanceOf(StreamDataException.class).hasMessageContaining("not a JSON object");
    assertThat(RedisErrors.forKey(new RedisErrorReply(
        "WRONGTYPE Operation against a key holding the wrong kind of value", null), "k"))
        .isInstanceOf(StreamDataException.class).hasMessageContaining("'k'");
    assertThat(RedisErrors.forScript(new RedisErrorReply("OOM command not allowed", null), keys))
        .isNotInstanceOf(StreamDataException.class).hasMessageContaining("OOM");
  }
}
