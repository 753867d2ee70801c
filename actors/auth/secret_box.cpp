#include "actors/auth/secret_box.hpp"

#include <sodium.h>

#include "actors/auth/password_hash.hpp"

namespace hw::auth {

namespace {

hw::error cannot_decrypt() { return hw::error{errc::internal, "stored secret cannot be decrypted"}; }

}  // namespace

std::string seal_secret(const key32& key, std::string_view plaintext) {
  ensure_sodium();
  static_assert(crypto_secretbox_KEYBYTES == std::tuple_size<key32>::value, "key size");
  std::string out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size(), '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(), nonce,
                        key.data());
  return out;
}

hw::result<std::string> open_secret(const key32& key, std::string_view sealed) {
  ensure_sodium();
  if (sealed.size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) return cannot_decrypt();
  const auto* nonce = reinterpret_cast<const unsigned char*>(sealed.data());
  const auto* box = nonce + crypto_secretbox_NONCEBYTES;
  const std::size_t box_len = sealed.size() - crypto_secretbox_NONCEBYTES;
  std::string out(box_len - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(out.data()), box, box_len, nonce,
                                 key.data()) != 0) {
    return cannot_decrypt();
  }
  return out;
}

std::string seal_secret_text(const key32& key, std::string_view plaintext) {
  return base64url_encode(seal_secret(key, plaintext));
}

hw::result<std::string> open_secret_text(const key32& key, std::string_view sealed_text) {
  auto raw = base64url_decode(sealed_text);
  if (!raw) return cannot_decrypt();
  return open_secret(key, *raw);
}

}  // namespace hw::auth
