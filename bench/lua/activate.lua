-- Requests GET /api/v1/orgs/<id> for every id in the file named by HW_IDS (one per line), split
-- over wrk's threads by position, and stops a thread once it has the answers for all of its ids.
-- Used to activate N organization actors. Args after `--`: the number of wrk threads.
local counter = 1

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end

function init(args)
  ids, n = {}, 0
  for line in io.lines(os.getenv("HW_IDS")) do
    n = n + 1
    ids[n] = line
  end
  token = os.getenv("HW_TOKEN")
  nthreads = tonumber(args[1] or "1")
  idx = tid
  share = 0
  for i = tid, n, nthreads do share = share + 1 end
  received, ok = 0, 0
end

function request()
  local id = ids[math.min(idx, n)]
  idx = idx + nthreads
  return wrk.format("GET", "/api/v1/orgs/" .. id, {["Authorization"] = "Bearer " .. token})
end

function response(status, headers, body)
  received = received + 1
  if status == 200 then ok = ok + 1 end
  if received >= share then wrk.thread:stop() end
end
