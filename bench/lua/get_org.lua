-- GET one organization with the admin bearer token (HW_TOKEN), path from HW_PATH.
local token = os.getenv("HW_TOKEN")
wrk.method = "GET"
wrk.path = os.getenv("HW_PATH")
wrk.headers["Authorization"] = "Bearer " .. token
