"""Encryption of credentials at rest and sealing them to one staff member.

The server key (DIR/vault.key, 32 random bytes) encrypts every stored
secret with XSalsa20-Poly1305 (SecretBox). A reveal decrypts it and seals
it with crypto_box_seal to the staff member's X25519 key, so only the
holder of the matching private key can read it.
"""

import json
from functools import lru_cache

from django.conf import settings
from nacl.public import PublicKey, SealedBox
from nacl.secret import SecretBox


@lru_cache(maxsize=1)
def _box():
    return SecretBox((settings.STATE_DIR / "vault.key").read_bytes())


def encrypt(username, password, notes):
    plain = json.dumps({"username": username, "password": password,
                        "notes": notes}).encode()
    return bytes(_box().encrypt(plain))


def seal_for(secret, public_key):
    """Re-encrypts a stored secret to `public_key` (raw 32 bytes)."""
    plain = _box().decrypt(bytes(secret))
    return SealedBox(PublicKey(bytes(public_key))).encrypt(plain)
