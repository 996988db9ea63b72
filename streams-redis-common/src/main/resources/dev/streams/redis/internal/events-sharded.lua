-- How a hash-layout script publishes its events on a Redis Cluster (L3, E1): sharded SPUBLISH, which
-- stays on the shard that owns the group's slot; the channels carry the group's hash tag, so they are
-- in the slot of the key the script was given.
local function publish_event(channel, message)
  redis.call('SPUBLISH', channel, message)
end
