-- wrk script for bench/ats: POSTs pre-signed Greenhouse deliveries (bench/gen_webhooks.py) to
-- HW_PATH, each of HW_THREADS threads taking every n-th line of lines [HW_SKIP, HW_SKIP + HW_COUNT)
-- of HW_FILE (HW_COUNT 0: to the end; after the last line it starts over: duplicates), and counts
-- the answers by kind so the run can check that every acknowledged delivery is in the inbox.
local threads = {}
local nthreads = 0

function setup(thread)
  thread:set("index", nthreads)
  nthreads = nthreads + 1
  table.insert(threads, thread)
end

function init(args)
  lines = {}
  local i = 0
  local stride = tonumber(os.getenv("HW_THREADS") or "2")
  local skip = tonumber(os.getenv("HW_SKIP") or "0")
  local count = tonumber(os.getenv("HW_COUNT") or "0")
  for line in io.lines(os.getenv("HW_FILE")) do
    if count > 0 and i >= skip + count then break end
    if i >= skip and (i - skip) % stride == index then
      local id, sig, body = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
      table.insert(lines, wrk.format("POST", os.getenv("HW_PATH"), {
        ["Content-Type"] = "application/json",
        ["Signature"] = sig,
        ["Greenhouse-Event-ID"] = id,
      }, body))
    end
    i = i + 1
  end
  pos = 0
  accepted = 0
  duplicate = 0
  other = 0
end

function request()
  pos = pos + 1
  if pos > #lines then pos = 1 end
  return lines[pos]
end

function response(status, headers, body)
  if status == 200 and body:find('"accepted"', 1, true) then
    accepted = accepted + 1
  elseif status == 200 and body:find('"duplicate"', 1, true) then
    duplicate = duplicate + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local a, d, o = 0, 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("accepted")
    d = d + t:get("duplicate")
    o = o + t:get("other")
  end
  io.write(string.format("webhook_answers accepted=%d duplicate=%d other=%d\n", a, d, o))
end
