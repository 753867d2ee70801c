#include "actors/ats/credential_box.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <memory>

namespace hw::ats {

namespace {

hw::error undecryptable() { return {errc::internal, "stored credential cannot be decrypted"}; }
hw::error bad_ring(std::string detail) {
  return {errc::invalid_argument, "ATS key ring: " + std::move(detail)};
}

bool valid_key_id(std::string_view id) {
  if (id.empty() || id.size() > credential_key_id_max) return false;
  for (unsigned char ch : id) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                    ch == '_' || ch == '-';
    if (!ok) return false;
  }
  return true;
}

int hex_value(char ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

struct ctx_free {
  void operator()(EVP_CIPHER_CTX* c) const noexcept { EVP_CIPHER_CTX_free(c); }
};
using ctx_ptr = std::unique_ptr<EVP_CIPHER_CTX, ctx_free>;

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// The parsed header of a sealed value; views into it.
struct parsed {
  std::string_view header;  // version, L, key id (the first part of the AAD)
  std::string_view key_id;
  std::string_view nonce;
  std::string_view ciphertext;
  std::string_view tag;
};

bool parse_sealed(std::string_view s, parsed& p) {
  if (s.size() < 2) return false;
  if (static_cast<unsigned char>(s[0]) != credential_box_version) return false;
  const std::size_t l = static_cast<unsigned char>(s[1]);
  if (l == 0 || l > credential_key_id_max) return false;
  if (s.size() < 2 + l + credential_nonce_size + credential_tag_size) return false;
  p.header = s.substr(0, 2 + l);
  p.key_id = s.substr(2, l);
  p.nonce = s.substr(2 + l, credential_nonce_size);
  const std::size_t n = s.size() - (2 + l + credential_nonce_size + credential_tag_size);
  p.ciphertext = s.substr(2 + l + credential_nonce_size, n);
  p.tag = s.substr(s.size() - credential_tag_size);
  return valid_key_id(p.key_id);
}

}  // namespace

std::string credential_aad(const org_id& org, std::string_view connection_id) {
  std::string a = "hw.ats.credential.v1|";
  a += org.value;
  a += '|';
  a += connection_id;
  return a;
}

credential_key_ring::~credential_key_ring() {
  for (auto& kv : keys_) OPENSSL_cleanse(kv.second.data(), kv.second.size());
}

hw::result<credential_key_ring> credential_key_ring::parse(std::string_view text) {
  const auto semi = text.find(';');
  if (semi == std::string_view::npos) return bad_ring("missing ';current=<key id>'");
  const auto keys = text.substr(0, semi);
  const auto tail = text.substr(semi + 1);
  constexpr std::string_view current_prefix = "current=";
  if (tail.substr(0, current_prefix.size()) != current_prefix)
    return bad_ring("expected ';current=<key id>' after the keys");
  const auto current = tail.substr(current_prefix.size());
  if (!valid_key_id(current)) return bad_ring("current: malformed key id");

  credential_key_ring ring;
  std::size_t pos = 0;
  while (true) {
    const auto comma = keys.find(',', pos);
    const auto entry =
        keys.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    const auto colon = entry.find(':');
    if (colon == std::string_view::npos) return bad_ring("each key is <id>:<64 hex digits>");
    const auto id = entry.substr(0, colon);
    const auto hex = entry.substr(colon + 1);
    if (!valid_key_id(id)) return bad_ring("key id: 1 to 16 characters of [A-Za-z0-9_-]");
    if (hex.size() != 64) return bad_ring("key " + std::string{id} + ": 64 hex digits expected");
    key_bytes k{};
    for (std::size_t i = 0; i < k.size(); ++i) {
      const int hi = hex_value(hex[2 * i]);
      const int lo = hex_value(hex[2 * i + 1]);
      if (hi < 0 || lo < 0) {
        OPENSSL_cleanse(k.data(), k.size());
        return bad_ring("key " + std::string{id} + ": not hexadecimal");
      }
      k[i] = static_cast<unsigned char>(hi * 16 + lo);
    }
    if (!ring.keys_.emplace(std::string{id}, k).second) {
      OPENSSL_cleanse(k.data(), k.size());
      return bad_ring("duplicate key id " + std::string{id});
    }
    OPENSSL_cleanse(k.data(), k.size());
    if (ring.keys_.size() > credential_ring_max_keys) return bad_ring("too many keys");
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  if (!ring.has_key(current)) return bad_ring("current names no key of the ring");
  ring.current_ = std::string{current};
  return ring;
}

bool credential_key_ring::has_key(std::string_view id) const {
  return keys_.find(id) != keys_.end();
}

hw::result<std::string> credential_key_ring::seal(std::string_view plaintext,
                                                  std::string_view aad) const {
  const auto& key = keys_.find(current_)->second;  // parse() guarantees it exists
  std::string out;
  out.reserve(2 + current_.size() + credential_nonce_size + plaintext.size() + credential_tag_size);
  out.push_back(static_cast<char>(credential_box_version));
  out.push_back(static_cast<char>(current_.size()));
  out += current_;
  const std::size_t header_len = out.size();
  out.resize(header_len + credential_nonce_size + plaintext.size() + credential_tag_size);
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  unsigned char* nonce = p + header_len;
  unsigned char* ct = nonce + credential_nonce_size;
  unsigned char* tag = ct + plaintext.size();
  const hw::error failed{errc::internal, "credential encryption failed"};
  if (RAND_bytes(nonce, static_cast<int>(credential_nonce_size)) != 1) return failed;

  ctx_ptr ctx{EVP_CIPHER_CTX_new()};
  int len = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(credential_nonce_size),
                          nullptr) != 1 ||
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, key.data(), nonce) != 1)
    return failed;
  // AAD = header || caller's aad (the header is authenticated too).
  if (EVP_EncryptUpdate(ctx.get(), nullptr, &len, p, static_cast<int>(header_len)) != 1) return failed;
  if (!aad.empty() &&
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, bytes(aad), static_cast<int>(aad.size())) != 1)
    return failed;
  if (!plaintext.empty() &&
      EVP_EncryptUpdate(ctx.get(), ct, &len, bytes(plaintext), static_cast<int>(plaintext.size())) != 1)
    return failed;
  if (EVP_EncryptFinal_ex(ctx.get(), ct + plaintext.size(), &len) != 1) return failed;
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(credential_tag_size),
                          tag) != 1)
    return failed;
  return out;
}

hw::result<std::string> credential_key_ring::open(std::string_view sealed,
                                                  std::string_view aad) const {
  parsed p;
  if (!parse_sealed(sealed, p)) return undecryptable();
  const auto it = keys_.find(p.key_id);
  if (it == keys_.end()) return undecryptable();
  ctx_ptr ctx{EVP_CIPHER_CTX_new()};
  int len = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(credential_nonce_size),
                          nullptr) != 1 ||
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, it->second.data(), bytes(p.nonce)) != 1)
    return undecryptable();
  if (EVP_DecryptUpdate(ctx.get(), nullptr, &len, bytes(p.header), static_cast<int>(p.header.size())) != 1)
    return undecryptable();
  if (!aad.empty() &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, bytes(aad), static_cast<int>(aad.size())) != 1)
    return undecryptable();
  std::string out(p.ciphertext.size(), '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  if (!p.ciphertext.empty() &&
      EVP_DecryptUpdate(ctx.get(), o, &len, bytes(p.ciphertext), static_cast<int>(p.ciphertext.size())) != 1)
    return undecryptable();
  std::array<unsigned char, credential_tag_size> tag{};
  std::copy(p.tag.begin(), p.tag.end(), tag.begin());
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(tag.size()), tag.data()) != 1)
    return undecryptable();
  if (EVP_DecryptFinal_ex(ctx.get(), o + p.ciphertext.size(), &len) != 1) {
    OPENSSL_cleanse(out.data(), out.size());  // never hand out unauthenticated plaintext
    return undecryptable();
  }
  return out;
}

hw::result<std::string> credential_key_ring::key_id_of(std::string_view sealed) {
  parsed p;
  if (!parse_sealed(sealed, p)) return undecryptable();
  return std::string{p.key_id};
}

}  // namespace hw::ats
