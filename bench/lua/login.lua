-- POST /api/v1/session (password login) for HW_EMAIL / HW_PASSWORD. Each request is a full
-- argon2id verification plus a new session row.
wrk.method = "POST"
wrk.path = "/api/v1/session"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"email":"' .. os.getenv("HW_EMAIL") .. '","password":"' .. os.getenv("HW_PASSWORD") .. '"}'
