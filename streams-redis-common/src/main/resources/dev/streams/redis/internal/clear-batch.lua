-- clear, one batch: one atomic step (SPEC.md O7, K7). KEYS = data keys of one group, all in one hash
-- slot; ARGV[1] group channel, ARGV[1 + i] item channel of KEYS[i]. Checks every value first: if one
-- is foreign, removes nothing. Skips keys already gone. Returns how many it removed.
local values = {}
for i = 1, #KEYS do
  local value, failure = read_stream_document(i)
  if failure then
    return failure
  end
  values[i] = value
end
local removed = 0
for i = 1, #KEYS do
  local value = values[i]
  if value then
    redis.call('DEL', KEYS[i])
    local message = '{"type":"delete","data":' .. value .. '}'
    redis.call('PUBLISH', ARGV[1], message)
    redis.call('PUBLISH', ARGV[1 + i], message)
    removed = removed + 1
  end
end
return removed
