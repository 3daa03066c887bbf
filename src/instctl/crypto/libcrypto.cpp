// libcrypto (OpenSSL 3), loaded at its first use. instctl does not link it: loading and
// relocating it cost about 0.65 ms at the start of every process, and most commands (`users
// modify`, `invites list`, ...) sign, verify and hash nothing. Each OpenSSL function instctl
// calls is defined here under its own name: on its first call it finds the function in
// libcrypto.so.3, opened with dlopen on the first call of any (core/shared_library.hpp), and
// then calls it. The code that uses OpenSSL includes its headers and calls it as usual; the
// compiler checks each definition below against the header's declaration. A function instctl
// starts to call gets its line here (the link fails until it has one).
//
// When libcurl, which links libssl and so libcrypto, is loaded (net/curl_api.cpp), dlopen
// finds the same libcrypto already mapped, or maps the one libcurl will find: there is one
// OpenSSL in the process either way.

#include "instctl/crypto/libcrypto.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/decoder.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/param_build.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <cstdint>

#include "instctl/core/error.hpp"
#include "instctl/core/shared_library.hpp"

namespace {

const instctl::SharedLibrary& libcrypto() {
  static const instctl::SharedLibrary library(
      "libcrypto.so.3", "keys, signatures, digests and password hashing need OpenSSL 3", "libssl3");
  return library;
}

template <typename F>
F bound(const char* name) {
  F fn = nullptr;
  libcrypto().bind(fn, name);
  return fn;
}

}  // namespace

// NAME's definition: RET NAME PARAMS, calling libcrypto's NAME with ARGS.
#define INSTCTL_LIBCRYPTO(ret, name, params, args)          \
  ret name params {                                         \
    static const auto fn = bound<decltype(&::name)>(#name); \
    return fn args;                                         \
  }

extern "C" {

// Memory, errors, version.
INSTCTL_LIBCRYPTO(void, CRYPTO_free, (void* ptr, const char* file, int line), (ptr, file, line))
INSTCTL_LIBCRYPTO(int, CRYPTO_memcmp, (const void* a, const void* b, size_t len), (a, b, len))
INSTCTL_LIBCRYPTO(void, ERR_clear_error, (void), ())
INSTCTL_LIBCRYPTO(const char*, OpenSSL_version, (int type), (type))

// BIO (PEM text in memory).
INSTCTL_LIBCRYPTO(long, BIO_ctrl, (BIO * bio, int cmd, long larg, void* parg),
                  (bio, cmd, larg, parg))
INSTCTL_LIBCRYPTO(int, BIO_free, (BIO * bio), (bio))
INSTCTL_LIBCRYPTO(BIO*, BIO_new, (const BIO_METHOD* type), (type))
INSTCTL_LIBCRYPTO(BIO*, BIO_new_mem_buf, (const void* buf, int len), (buf, len))
INSTCTL_LIBCRYPTO(const BIO_METHOD*, BIO_s_mem, (void), ())

// Big numbers (JWK moduli, ECDSA signature halves).
INSTCTL_LIBCRYPTO(BIGNUM*, BN_bin2bn, (const unsigned char* s, int len, BIGNUM* ret), (s, len, ret))
INSTCTL_LIBCRYPTO(void, BN_free, (BIGNUM * bn), (bn))
INSTCTL_LIBCRYPTO(int, BN_is_odd, (const BIGNUM* bn), (bn))
INSTCTL_LIBCRYPTO(int, BN_num_bits, (const BIGNUM* bn), (bn))
INSTCTL_LIBCRYPTO(void, ECDSA_SIG_free, (ECDSA_SIG * sig), (sig))
INSTCTL_LIBCRYPTO(ECDSA_SIG*, ECDSA_SIG_new, (void), ())
INSTCTL_LIBCRYPTO(int, ECDSA_SIG_set0, (ECDSA_SIG * sig, BIGNUM* r, BIGNUM* s), (sig, r, s))
INSTCTL_LIBCRYPTO(int, i2d_ECDSA_SIG, (const ECDSA_SIG* sig, unsigned char** out), (sig, out))

// Digests and MACs.
INSTCTL_LIBCRYPTO(int, EVP_Digest,
                  (const void* data, size_t count, unsigned char* md, unsigned int* size,
                   const EVP_MD* type, ENGINE* impl),
                  (data, count, md, size, type, impl))
INSTCTL_LIBCRYPTO(EVP_MD*, EVP_MD_fetch,
                  (OSSL_LIB_CTX * ctx, const char* algorithm, const char* properties),
                  (ctx, algorithm, properties))
INSTCTL_LIBCRYPTO(void, EVP_MD_free, (EVP_MD * md), (md))
INSTCTL_LIBCRYPTO(EVP_MD_CTX*, EVP_MD_CTX_new, (void), ())
INSTCTL_LIBCRYPTO(void, EVP_MD_CTX_free, (EVP_MD_CTX * ctx), (ctx))
INSTCTL_LIBCRYPTO(const EVP_MD*, EVP_sha256, (void), ())
INSTCTL_LIBCRYPTO(unsigned char*, HMAC,
                  (const EVP_MD* evp_md, const void* key, int key_len, const unsigned char* data,
                   size_t data_len, unsigned char* md, unsigned int* md_len),
                  (evp_md, key, key_len, data, data_len, md, md_len))

// Signatures.
INSTCTL_LIBCRYPTO(int, EVP_DigestSignInit,
                  (EVP_MD_CTX * ctx, EVP_PKEY_CTX** pctx, const EVP_MD* type, ENGINE* e,
                   EVP_PKEY* pkey),
                  (ctx, pctx, type, e, pkey))
INSTCTL_LIBCRYPTO(int, EVP_DigestSign,
                  (EVP_MD_CTX * ctx, unsigned char* sigret, size_t* siglen,
                   const unsigned char* tbs, size_t tbslen),
                  (ctx, sigret, siglen, tbs, tbslen))
INSTCTL_LIBCRYPTO(int, EVP_DigestVerifyInit,
                  (EVP_MD_CTX * ctx, EVP_PKEY_CTX** pctx, const EVP_MD* type, ENGINE* e,
                   EVP_PKEY* pkey),
                  (ctx, pctx, type, e, pkey))
INSTCTL_LIBCRYPTO(int, EVP_DigestVerify,
                  (EVP_MD_CTX * ctx, const unsigned char* sigret, size_t siglen,
                   const unsigned char* tbs, size_t tbslen),
                  (ctx, sigret, siglen, tbs, tbslen))
INSTCTL_LIBCRYPTO(int, EVP_PKEY_verify_init, (EVP_PKEY_CTX * ctx), (ctx))
INSTCTL_LIBCRYPTO(int, EVP_PKEY_verify,
                  (EVP_PKEY_CTX * ctx, const unsigned char* sig, size_t siglen,
                   const unsigned char* tbs, size_t tbslen),
                  (ctx, sig, siglen, tbs, tbslen))
INSTCTL_LIBCRYPTO(int, EVP_PKEY_CTX_set_rsa_padding, (EVP_PKEY_CTX * ctx, int pad_mode),
                  (ctx, pad_mode))
INSTCTL_LIBCRYPTO(int, EVP_PKEY_CTX_set_signature_md, (EVP_PKEY_CTX * ctx, const EVP_MD* md),
                  (ctx, md))

// Keys: made, read, written, built from their parameters.
INSTCTL_LIBCRYPTO(void, EVP_PKEY_free, (EVP_PKEY * pkey), (pkey))
INSTCTL_LIBCRYPTO(int, EVP_PKEY_get_base_id, (const EVP_PKEY* pkey), (pkey))
INSTCTL_LIBCRYPTO(EVP_PKEY_CTX*, EVP_PKEY_CTX_new_from_name,
                  (OSSL_LIB_CTX * libctx, const char* name, const char* propquery),
                  (libctx, name, propquery))
INSTCTL_LIBCRYPTO(EVP_PKEY_CTX*, EVP_PKEY_CTX_new_from_pkey,
                  (OSSL_LIB_CTX * libctx, EVP_PKEY* pkey, const char* propquery),
                  (libctx, pkey, propquery))
INSTCTL_LIBCRYPTO(void, EVP_PKEY_CTX_free, (EVP_PKEY_CTX * ctx), (ctx))
INSTCTL_LIBCRYPTO(int, EVP_PKEY_keygen_init, (EVP_PKEY_CTX * ctx), (ctx))
INSTCTL_LIBCRYPTO(int, EVP_PKEY_CTX_set_rsa_keygen_bits, (EVP_PKEY_CTX * ctx, int bits),
                  (ctx, bits))
INSTCTL_LIBCRYPTO(int, EVP_PKEY_generate, (EVP_PKEY_CTX * ctx, EVP_PKEY** pkey), (ctx, pkey))
INSTCTL_LIBCRYPTO(int, EVP_PKEY_fromdata_init, (EVP_PKEY_CTX * ctx), (ctx))
INSTCTL_LIBCRYPTO(int, EVP_PKEY_fromdata,
                  (EVP_PKEY_CTX * ctx, EVP_PKEY** ppkey, int selection, OSSL_PARAM param[]),
                  (ctx, ppkey, selection, param))
INSTCTL_LIBCRYPTO(OSSL_DECODER_CTX*, OSSL_DECODER_CTX_new_for_pkey,
                  (EVP_PKEY * *pkey, const char* input_type, const char* input_struct,
                   const char* keytype, int selection, OSSL_LIB_CTX* libctx, const char* propquery),
                  (pkey, input_type, input_struct, keytype, selection, libctx, propquery))
INSTCTL_LIBCRYPTO(int, OSSL_DECODER_from_data,
                  (OSSL_DECODER_CTX * ctx, const unsigned char** pdata, size_t* pdata_len),
                  (ctx, pdata, pdata_len))
INSTCTL_LIBCRYPTO(void, OSSL_DECODER_CTX_free, (OSSL_DECODER_CTX * ctx), (ctx))
INSTCTL_LIBCRYPTO(EVP_PKEY*, PEM_read_bio_PrivateKey,
                  (BIO * bio, EVP_PKEY** x, pem_password_cb* cb, void* u), (bio, x, cb, u))
INSTCTL_LIBCRYPTO(int, PEM_write_bio_PUBKEY, (BIO * bio, const EVP_PKEY* x), (bio, x))
INSTCTL_LIBCRYPTO(int, PEM_write_bio_PrivateKey,
                  (BIO * bio, const EVP_PKEY* x, const EVP_CIPHER* enc, const unsigned char* kstr,
                   int klen, pem_password_cb* cb, void* u),
                  (bio, x, enc, kstr, klen, cb, u))

// Parameters (key parts, KDF settings).
INSTCTL_LIBCRYPTO(OSSL_PARAM_BLD*, OSSL_PARAM_BLD_new, (void), ())
INSTCTL_LIBCRYPTO(void, OSSL_PARAM_BLD_free, (OSSL_PARAM_BLD * bld), (bld))
INSTCTL_LIBCRYPTO(int, OSSL_PARAM_BLD_push_BN,
                  (OSSL_PARAM_BLD * bld, const char* key, const BIGNUM* bn), (bld, key, bn))
INSTCTL_LIBCRYPTO(OSSL_PARAM*, OSSL_PARAM_BLD_to_param, (OSSL_PARAM_BLD * bld), (bld))
INSTCTL_LIBCRYPTO(void, OSSL_PARAM_free, (OSSL_PARAM * p), (p))
INSTCTL_LIBCRYPTO(OSSL_PARAM, OSSL_PARAM_construct_end, (void), ())
INSTCTL_LIBCRYPTO(OSSL_PARAM, OSSL_PARAM_construct_octet_string,
                  (const char* key, void* buf, size_t bsize), (key, buf, bsize))
INSTCTL_LIBCRYPTO(OSSL_PARAM, OSSL_PARAM_construct_uint32, (const char* key, uint32_t* buf),
                  (key, buf))
INSTCTL_LIBCRYPTO(OSSL_PARAM, OSSL_PARAM_construct_uint64, (const char* key, uint64_t* buf),
                  (key, buf))
INSTCTL_LIBCRYPTO(OSSL_PARAM, OSSL_PARAM_construct_utf8_string,
                  (const char* key, char* buf, size_t bsize), (key, buf, bsize))

// Password hashing (scrypt).
INSTCTL_LIBCRYPTO(EVP_KDF*, EVP_KDF_fetch,
                  (OSSL_LIB_CTX * libctx, const char* algorithm, const char* properties),
                  (libctx, algorithm, properties))
INSTCTL_LIBCRYPTO(void, EVP_KDF_free, (EVP_KDF * kdf), (kdf))
INSTCTL_LIBCRYPTO(EVP_KDF_CTX*, EVP_KDF_CTX_new, (EVP_KDF * kdf), (kdf))
INSTCTL_LIBCRYPTO(void, EVP_KDF_CTX_free, (EVP_KDF_CTX * ctx), (ctx))
INSTCTL_LIBCRYPTO(int, EVP_KDF_derive,
                  (EVP_KDF_CTX * ctx, unsigned char* key, size_t keylen, const OSSL_PARAM params[]),
                  (ctx, key, keylen, params))

}  // extern "C"

namespace instctl::crypto {

std::string openssl_version() {
  try {
    return OpenSSL_version(OPENSSL_VERSION);
  } catch (const Error& e) {
    return std::string("OpenSSL not available: ") + e.what();
  }
}

}  // namespace instctl::crypto
