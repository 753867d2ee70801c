-- Requests GET /api/v1/orgs/<id> once for every id in the file named by HW_IDS (one per line),
-- spread over wrk's threads, then stops. Used to activate N organization actors.
local ids, n = {}, 0
local token = os.getenv("HW_TOKEN")
local counter, threads = 1, {}

function setup(thread)
  thread:set("tid", counter)
  thread:set("nthreads", 0)
  table.insert(threads, thread)
  counter = counter + 1
end

function init(args)
  for line in io.lines(os.getenv("HW_IDS")) do
    n = n + 1
    ids[n] = line
  end
  nthreads = #args > 0 and tonumber(args[1]) or 1
  idx = tid
  errors = 0
end

function request()
  local id = ids[idx] or ids[n]
  idx = idx + nthreads
  return wrk.format("GET", "/api/v1/orgs/" .. id, {["Authorization"] = "Bearer " .. token})
end

function response(status, headers, body)
  if status ~= 200 then errors = errors + 1 end
  if idx > n + nthreads then wrk.thread:stop() end
end
