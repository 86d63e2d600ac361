"""Password hashes: argon2id with OWASP's parameters, older scrypt hashes still verified.

OWASP's password-storage cheat sheet (2024) gives argon2id with 19 MiB of memory, two
passes and one lane as the minimum; a hash made with weaker settings (or with the desk's
earlier scrypt) is replaced at the next sign-in.
"""

from __future__ import annotations

import hashlib
import hmac

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, hash_len=32,
                         salt_len=16)
# Hashed once, so an unknown e-mail costs the same work as a known one (no timing oracle).
_DUMMY = _HASHER.hash("linguadesk: no such account")


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` with a random salt."""
    return _HASHER.hash(password)


def _check_scrypt(stored: str, password: str) -> bool:
    try:
        _scheme, n, r, p, salt, digest = stored.split("$")
        got = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), dklen=32,
                             n=int(n), r=int(r), p=int(p))
    except ValueError:
        return False
    return hmac.compare_digest(got.hex(), digest)


def check_password(stored: str, password: str) -> bool:
    """True when ``password`` matches the stored hash (argon2id, or the older scrypt)."""
    if stored.startswith("scrypt$"):
        return _check_scrypt(stored, password)
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def burn_time(password: str) -> None:
    """Do the work of one check against a hash nobody has, for unknown or inactive accounts."""
    check_password(_DUMMY, password)


def needs_rehash(stored: str) -> bool:
    """True when the hash was made with older or weaker settings than today's."""
    if stored.startswith("scrypt$"):
        return True
    try:
        return _HASHER.check_needs_rehash(stored)
    except InvalidHashError:
        return True
