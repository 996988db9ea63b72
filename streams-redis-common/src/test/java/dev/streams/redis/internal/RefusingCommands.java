package dev.streams.redis.internal;

import java.util.List;

/** A fake's base: every command refused, so that a test overrides only what it expects to be used. */
abstract class RefusingCommands implements RedisCommands {

  @Override
  public String get(String key) {
    throw new UnsupportedOperationException("GET");
  }

  @Override
  public ScanPage scan(String cursor, String matchPattern, int count) {
    throw new UnsupportedOperationException("SCAN");
  }

  @Override
  public List<String> mget(List<String> keys) {
    throw new UnsupportedOperationException("MGET");
  }

  @Override
  public String type(String key) {
    throw new UnsupportedOperationException("TYPE");
  }

  @Override
  public String hget(String key, String field) {
    throw new UnsupportedOperationException("HGET");
  }

  @Override
  public HashPage hscan(String key, String cursor, int count) {
    throw new UnsupportedOperationException("HSCAN");
  }

  @Override
  public Object evalsha(String sha1, ScriptReply reply, List<String> keys, List<String> args) {
    throw new UnsupportedOperationException("EVALSHA");
  }

  @Override
  public Object eval(String script, ScriptReply reply, List<String> keys, List<String> args) {
    throw new UnsupportedOperationException("EVAL");
  }

  @Override
  public void publish(String channel, String message) {
    throw new UnsupportedOperationException("PUBLISH");
  }

  @Override
  public void spublish(String channel, String message) {
    throw new UnsupportedOperationException("SPUBLISH");
  }
}
