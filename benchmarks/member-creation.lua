-- wrk script: members created through the join flow, as MembershipLoad's "members" does, with
-- wrk's small C client instead of a JVM one, so that the client takes less of the machine.
-- Each connection files a join request (anonymous) with the next unused key from KEYS_FILE; the
-- answer's request id and device fingerprint are queued, and the next request of any connection of
-- the thread approves it with that fingerprint, as an administrator who compared it would
-- (membership administrator token). A member counts once its approval answers 200.
-- Env: KEYS_FILE (one key per line, MembershipLoad keys), SERVER_ID, ENVIRONMENT, TOKEN, and
-- WRK_THREADS (wrk's -t).
-- Threads take disjoint keys: thread i of n uses lines i, i+n, i+2n, ...

local threads = {}
local counter = 0

function setup(thread)
  thread:set("index", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local step = tonumber(os.getenv("WRK_THREADS"))
  keys = {}
  local line_number = 0
  for key in io.lines(os.getenv("KEYS_FILE")) do
    if line_number % step == index then
      keys[#keys + 1] = key
    end
    line_number = line_number + 1
  end
  next_key = 1
  run = tostring(index) .. "-" .. tostring(os.time())
  approvals = {}
  approved, joined, refused = 0, 0, 0
  join_path = "/api/v1/join-requests"
  approve_prefix = "/api/v1/environments/" .. os.getenv("ENVIRONMENT") .. "/join-requests/"
  join_headers = { ["Content-Type"] = "application/json" }
  approve_headers = { ["Authorization"] = "Bearer " .. os.getenv("TOKEN"), ["Content-Type"] = "application/json" }
  server_id = os.getenv("SERVER_ID")
end

function request()
  local approval = table.remove(approvals)
  if approval then
    return wrk.format("POST", approve_prefix .. approval.id .. "/approve", approve_headers,
        '{"deviceFingerprint":"' .. approval.fingerprint .. '"}')
  end
  local key = keys[next_key]
  if not key then
    error("KEYS_FILE has too few keys for this run")
  end
  next_key = next_key + 1
  local body = '{"serverId":"' .. server_id .. '","accountHandle":"wrk-' .. run .. '-' .. next_key
      .. '","devicePublicKey":"' .. key .. '"}'
  return wrk.format("POST", join_path, join_headers, body)
end

function response(status, headers, body)
  if status == 202 then
    joined = joined + 1
    approvals[#approvals + 1] = { id = body:match('"id"%s*:%s*"([^"]+)"'),
        fingerprint = body:match('"deviceFingerprint"%s*:%s*"([^"]+)"') }
  elseif status == 200 then
    approved = approved + 1
  else
    refused = refused + 1
  end
end

function done(summary, latency, requests)
  local members, joins, failures = 0, 0, 0
  for _, thread in ipairs(threads) do
    members = members + thread:get("approved")
    joins = joins + thread:get("joined")
    failures = failures + thread:get("refused")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("members: %d in %.2f s = %d/s (join requests %d, other answers %d)\n",
      members, seconds, math.floor(members / seconds), joins, failures))
end
