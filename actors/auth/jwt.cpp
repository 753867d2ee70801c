#include "actors/auth/jwt.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include <nlohmann/json.hpp>

#include "actors/auth/tokens.hpp"

namespace hw::auth {

namespace {

constexpr std::size_t max_token_size = 16 * 1024;

hw::error bad_token(std::string detail) { return hw::error{errc::unauthorized, std::move(detail)}; }

EVP_PKEY* as_pkey(void* p) { return static_cast<EVP_PKEY*>(p); }

struct bn_deleter {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
struct bld_deleter {
  void operator()(OSSL_PARAM_BLD* b) const { OSSL_PARAM_BLD_free(b); }
};
struct params_deleter {
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
struct pkey_ctx_deleter {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
struct md_ctx_deleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

std::unique_ptr<BIGNUM, bn_deleter> to_bn(const std::string& big_endian) {
  return std::unique_ptr<BIGNUM, bn_deleter>{
    BN_bin2bn(reinterpret_cast<const unsigned char*>(big_endian.data()), static_cast<int>(big_endian.size()), nullptr)};
}

}  // namespace

hw::result<jws> parse_jws(std::string_view compact) {
  if (compact.empty()) return bad_token("id_token: missing");
  if (compact.size() > max_token_size) return bad_token("id_token: too large");
  const auto d1 = compact.find('.');
  if (d1 == std::string_view::npos) return bad_token("id_token: not a compact JWS");
  const auto d2 = compact.find('.', d1 + 1);
  if (d2 == std::string_view::npos || compact.find('.', d2 + 1) != std::string_view::npos)
    return bad_token("id_token: not a compact JWS");
  auto header = base64url_decode(compact.substr(0, d1));
  auto payload = base64url_decode(compact.substr(d1 + 1, d2 - d1 - 1));
  auto signature = base64url_decode(compact.substr(d2 + 1));
  if (!header || !payload || !signature) return bad_token("id_token: malformed base64url");
  auto h = nlohmann::json::parse(*header, nullptr, false);
  if (!h.is_object()) return bad_token("id_token: malformed header");
  const auto alg = h.find("alg");
  if (alg == h.end() || !alg->is_string()) return bad_token("id_token: missing alg");
  if (alg->get<std::string>() != "RS256") return bad_token("id_token: alg must be RS256");
  // RFC 7515 §4.1.11: an extension we do not understand must be refused.
  if (h.contains("crit")) return bad_token("id_token: unsupported crit header");
  jws out;
  out.alg = "RS256";
  if (const auto kid = h.find("kid"); kid != h.end()) {
    if (!kid->is_string()) return bad_token("id_token: malformed kid");
    out.kid = kid->get<std::string>();
  }
  if (signature->empty()) return bad_token("id_token: missing signature");
  out.header_json = std::move(*header);
  out.payload_json = std::move(*payload);
  out.signing_input = std::string{compact.substr(0, d2)};
  out.signature = std::move(*signature);
  return out;
}

rsa_public_key::~rsa_public_key() { EVP_PKEY_free(as_pkey(pkey_)); }

rsa_public_key::rsa_public_key(rsa_public_key&& other) noexcept : pkey_(other.pkey_) { other.pkey_ = nullptr; }

rsa_public_key& rsa_public_key::operator=(rsa_public_key&& other) noexcept {
  if (this != &other) {
    EVP_PKEY_free(as_pkey(pkey_));
    pkey_ = other.pkey_;
    other.pkey_ = nullptr;
  }
  return *this;
}

hw::result<rsa_public_key> rsa_public_key::from_jwk(std::string_view n_b64url, std::string_view e_b64url) {
  auto n = base64url_decode(n_b64url);
  auto e = base64url_decode(e_b64url);
  if (!n || !e || n->empty() || e->empty()) return {errc::invalid_argument, "jwk: malformed n or e"};
  auto bn_n = to_bn(*n);
  auto bn_e = to_bn(*e);
  if (!bn_n || !bn_e) return {errc::internal, "jwk: out of memory"};
  const int n_bits = BN_num_bits(bn_n.get());
  if (n_bits < 2048 || n_bits > 8192) return {errc::invalid_argument, "jwk: RSA modulus must be 2048 to 8192 bits"};
  // e must be odd and > 1; cap its size (65537 everywhere in practice).
  if (!BN_is_odd(bn_e.get()) || BN_is_one(bn_e.get()) || BN_num_bits(bn_e.get()) > 64)
    return {errc::invalid_argument, "jwk: bad RSA exponent"};

  std::unique_ptr<OSSL_PARAM_BLD, bld_deleter> bld{OSSL_PARAM_BLD_new()};
  if (!bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1) {
    return {errc::internal, "jwk: cannot build key parameters"};
  }
  std::unique_ptr<OSSL_PARAM, params_deleter> params{OSSL_PARAM_BLD_to_param(bld.get())};
  std::unique_ptr<EVP_PKEY_CTX, pkey_ctx_deleter> ctx{EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr)};
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) return {errc::internal, "jwk: cannot build key"};
  EVP_PKEY* pkey = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &pkey, EVP_PKEY_PUBLIC_KEY, params.get()) != 1 || pkey == nullptr)
    return {errc::invalid_argument, "jwk: invalid RSA key"};
  rsa_public_key out;
  out.pkey_ = pkey;
  return out;
}

bool rsa_public_key::verify_rs256(std::string_view data, std::string_view signature) const {
  if (!pkey_) return false;
  // PKCS#1 v1.5 signatures are exactly the modulus size; anything else is not ours to parse.
  if (signature.size() != static_cast<std::size_t>(EVP_PKEY_get_size(as_pkey(pkey_)))) return false;
  std::unique_ptr<EVP_MD_CTX, md_ctx_deleter> md{EVP_MD_CTX_new()};
  if (!md) return false;
  EVP_PKEY_CTX* pctx = nullptr;  // owned by md
  if (EVP_DigestVerifyInit(md.get(), &pctx, EVP_sha256(), nullptr, as_pkey(pkey_)) != 1) return false;
  if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) return false;
  return EVP_DigestVerify(md.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                          reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
}

int rsa_public_key::bits() const { return pkey_ ? EVP_PKEY_get_bits(as_pkey(pkey_)) : 0; }

namespace {

/// The member `name` of JWK `k` when it is a string; nothing when absent or of another type (a
/// hostile JWKS must not make us throw: json::value() would, on a non-string).
std::optional<std::string> jwk_string(const nlohmann::json& k, const char* name) {
  const auto it = k.find(name);
  if (it == k.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

/// An optional JWK member: absent, or a string equal to `expected`.
bool absent_or(const nlohmann::json& k, const char* name, std::string_view expected) {
  if (k.find(name) == k.end()) return true;
  const auto v = jwk_string(k, name);
  return v && *v == expected;
}

}  // namespace

hw::result<std::vector<jwk_entry>> parse_jwks(std::string_view json) {
  // Provider-controlled input: every member is type-checked before use. The catch is a backstop so
  // that a case missed here still ends as "no usable key", never as an exception in a login.
  try {
    auto doc = nlohmann::json::parse(json, nullptr, false);
    if (!doc.is_object()) return {errc::unavailable, "jwks: not a JSON object"};
    const auto keys = doc.find("keys");
    if (keys == doc.end() || !keys->is_array()) return {errc::unavailable, "jwks: no keys array"};
    std::vector<jwk_entry> out;
    for (const auto& k : *keys) {
      if (!k.is_object()) continue;
      if (jwk_string(k, "kty") != std::optional<std::string>{"RSA"}) continue;
      if (!absent_or(k, "use", "sig") || !absent_or(k, "alg", "RS256")) continue;
      const auto n = jwk_string(k, "n");
      const auto e = jwk_string(k, "e");
      if (!n || !e) continue;
      // A kid that is present but not a string makes the key unusable (select_key could not tell).
      if (k.find("kid") != k.end() && !jwk_string(k, "kid")) continue;
      auto key = rsa_public_key::from_jwk(*n, *e);
      if (!key) continue;
      jwk_entry entry;
      entry.kid = jwk_string(k, "kid");
      entry.key = std::make_shared<const rsa_public_key>(std::move(*key));
      out.push_back(std::move(entry));
    }
    if (out.empty()) return {errc::unavailable, "jwks: no usable RS256 signing key"};
    return out;
  } catch (const nlohmann::json::exception&) {
    return {errc::unavailable, "jwks: malformed document"};
  }
}

std::shared_ptr<const rsa_public_key> select_key(const std::vector<jwk_entry>& keys,
                                                 const std::optional<std::string>& kid) {
  if (!kid) return keys.size() == 1 ? keys.front().key : nullptr;
  for (const auto& k : keys) {
    if (k.kid && *k.kid == *kid) return k.key;
  }
  return nullptr;
}

}  // namespace hw::auth
