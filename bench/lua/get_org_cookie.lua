-- GET one organization with a session cookie (HW_COOKIE: the __Host-hw_session value), path from HW_PATH.
wrk.method = "GET"
wrk.path = os.getenv("HW_PATH")
wrk.headers["Cookie"] = "__Host-hw_session=" .. os.getenv("HW_COOKIE")
