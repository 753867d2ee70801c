-- POST /api/v1/session (password login), rotating over HW_USERS accounts bench-user-<i>@example.com
-- (created by bench/run) so that 16 concurrent logins are 16 people, not one account hammered
-- (the per-account throttle counts attempts in flight). Each request is a full argon2id
-- verification plus a new session row.
local users = tonumber(os.getenv("HW_USERS") or "16")
local password = os.getenv("HW_PASSWORD")
local counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  counter = counter + 1
  local body = '{"email":"bench-user-' .. (counter % users) .. '@example.com","password":"' .. password .. '"}'
  return wrk.format("POST", "/api/v1/session", nil, body)
end
