// Debian's libsecp256k1-dev (0.2.0 or later): ECDSA, and BIP-340 Schnorr signatures with x-only keys.
#ifndef COINSENTRY_CSECP256K1_SHIM_H
#define COINSENTRY_CSECP256K1_SHIM_H

#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>

/// SECP256K1_CONTEXT_NONE, a macro Swift cannot import as a constant of the right type.
static inline unsigned int csecp256k1_context_none(void) { return SECP256K1_CONTEXT_NONE; }

/// SECP256K1_EC_COMPRESSED.
static inline unsigned int csecp256k1_ec_compressed(void) { return SECP256K1_EC_COMPRESSED; }

#endif
