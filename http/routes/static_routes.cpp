// The SPA: "/" and "/app" redirect to "/app/"; "/app/*" is served by static_files.
#include "http/routes/routes.hpp"
#include "http/static_files.hpp"

namespace hw::http_api {

namespace {

void redirect_to_app(const route_context& ctx, responder respond) {
  response res{bhttp::status::permanent_redirect, ctx.req.version()};
  res.set(bhttp::field::location, "/app/");
  respond(std::move(res));
}

void get_app_file(const route_context& ctx, responder respond) {
  respond(ctx.svc.files.serve(ctx, ctx.param("*")));
}

}  // namespace

void add_static_routes(router& r) {
  const auto pub = route_access::public_route();
  r.add(bhttp::verb::get, "/", pub, redirect_to_app);
  r.add(bhttp::verb::get, "/app", pub, redirect_to_app);
  r.add(bhttp::verb::get, "/app/*", pub, get_app_file);
}

}  // namespace hw::http_api
