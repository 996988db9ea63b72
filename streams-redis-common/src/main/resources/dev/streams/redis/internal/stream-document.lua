-- Shared by the scripts that read a stored value before removing it (SPEC.md K7).
-- Reads KEYS[index]: false if absent; raises the STREAMS_FOREIGN error reply if the key holds another
-- type or text that is not a JSON object; else the text.
local function read_stream_document(index)
  local key = KEYS[index]
  local value = redis.pcall('GET', key)
  if type(value) == 'table' and value.err then
    return nil, redis.error_reply('STREAMS_FOREIGN ' .. index .. ' ' .. redis.call('TYPE', key).ok)
  end
  if value == false then
    return false
  end
  -- Jackson reads what cjson reads here: leading whitespace, then an object.
  if string.match(value, '^%s*{') == nil or not pcall(cjson.decode, value) then
    return nil, redis.error_reply('STREAMS_FOREIGN ' .. index .. ' text')
  end
  return value
end
