-- How a hash-layout script publishes its events on a single server (L2, E1): classic PUBLISH.
local function publish_event(channel, message)
  redis.call('PUBLISH', channel, message)
end
