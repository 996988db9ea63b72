-- delete: one atomic step (SPEC.md O4, K7). KEYS[1] data key; ARGV[1] group channel, ARGV[2] item
-- channel. Returns the removed document, or nil if there was none; foreign data is left untouched.
local value, failure = read_stream_document(1)
if failure then
  return failure
end
if not value then
  return false
end
redis.call('DEL', KEYS[1])
local message = '{"type":"delete","data":' .. value .. '}'
redis.call('PUBLISH', ARGV[1], message)
redis.call('PUBLISH', ARGV[2], message)
return value
