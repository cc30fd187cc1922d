"""Who is signed in: the JSON Web Tokens a clinic portal issues for its signed-in staff.

The portal signs a short-lived token for the staff member it has signed in; Reconnect verifies
it and takes the staff id from the verified token only (its `sub` claim). Two ways to sign:

- HS256 with a secret shared by the portal and Reconnect (RECONNECT_JWT_SECRET, at least 32
  characters), or
- RS256 with the portal's private key; Reconnect holds only the public key
  (RECONNECT_JWT_PUBLIC_KEY: the PEM text, or the path of a PEM file).

A token must carry `sub` (the staff id) and `exp`; `iat` and `nbf` are checked when present.
When RECONNECT_JWT_ISSUER or RECONNECT_JWT_AUDIENCE are set, `iss` and `aud` must match.
The settings reach the channels through credentials.yml (`${...}` substitution).

With neither a secret nor a key the server is in demo mode: the web widget still needs a token,
but the demo page signs one itself for a demo staff member it lets the visitor pick, with a
key made at start-up (or RECONNECT_DEMO_SECRET, which the tests set so that they can forge
their own), and the REST channel trusts the message metadata as before.

Log lines say why a token was refused, never the token or what it names.
"""
from __future__ import annotations

import logging
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Optional

import jwt

logger = logging.getLogger(__name__)

# A staff id as the clinic's records hold it (reconnect.channels.rest.STAFF_ID).
STAFF_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
MIN_SECRET_CHARS = 32
DEFAULT_IDLE_MINUTES = 15.0
DEMO_TOKEN_MINUTES = 30
LEEWAY_SECONDS = 30
DEMO_ISSUER = "reconnect-demo"


class SignInError(ValueError):
    """A token that signs nobody in; the message is the reason shown to the user."""


class SettingsError(ValueError):
    """A sign-in setting that cannot work; the message names it."""


@dataclass(frozen=True)
class Identity:
    """A verified staff member and when the token that says so expires (epoch seconds)."""

    staff_id: str
    expires_at: float


@dataclass(frozen=True)
class SignInSettings:
    algorithm: str                  # HS256 or RS256
    key: Any                        # the shared secret or the portal's public key (PEM)
    demo: bool                      # no secret or key configured: demo tokens only
    issuer: Optional[str] = None
    audience: Optional[str] = None
    idle_minutes: float = DEFAULT_IDLE_MINUTES

    @property
    def mode_line(self) -> str:
        if self.demo:
            return ("sign-in: DEMO MODE (no RECONNECT_JWT_SECRET or RECONNECT_JWT_PUBLIC_KEY): "
                    "the widget's demo page signs in any demo staff member, and the REST "
                    "channel trusts the staff id in the message metadata. Do not use with "
                    "real client data.")
        checks = ", ".join(filter(None, [f"issuer {self.issuer}" if self.issuer else "",
                                         "audience" if self.audience else ""]))
        return (f"sign-in: verified tokens only ({self.algorithm}"
                f"{', ' + checks if checks else ''}); the widget and the REST channel take "
                f"the staff id from the token; idle sessions end after "
                f"{self.idle_minutes:g} minutes; no demo sign-in")


def _blank(value: Any) -> bool:
    return value is None or not str(value).strip()


def _public_key(value: str) -> str:
    text = value.strip()
    if "-----BEGIN" in text:
        return text
    path = Path(text)
    if not path.is_file():
        raise SettingsError("RECONNECT_JWT_PUBLIC_KEY must be a PEM public key or the path of "
                            "a file holding one")
    return path.read_text(encoding="utf-8")


def _demo_secret(environ: Mapping[str, str]) -> str:
    global _DEMO_SECRET
    configured = environ.get("RECONNECT_DEMO_SECRET", "")
    if configured.strip():
        return configured.strip()
    if _DEMO_SECRET is None:  # one per process, shared by the widget and REST channels
        _DEMO_SECRET = secrets.token_hex(32)
    return _DEMO_SECRET


_DEMO_SECRET: Optional[str] = None


def settings_from(options: Optional[Mapping[str, Any]] = None,
                  environ: Optional[Mapping[str, str]] = None) -> SignInSettings:
    """Sign-in settings from a channel's credentials (jwt_secret, jwt_public_key,
    jwt_issuer, jwt_audience, idle_minutes), falling back to the environment."""
    env = os.environ if environ is None else environ
    opts = dict(options or {})

    def pick(key: str, var: str) -> Optional[str]:
        value = opts.get(key)
        if _blank(value):
            value = env.get(var)
        return None if _blank(value) else str(value).strip()

    secret = pick("jwt_secret", "RECONNECT_JWT_SECRET")
    public = pick("jwt_public_key", "RECONNECT_JWT_PUBLIC_KEY")
    issuer = pick("jwt_issuer", "RECONNECT_JWT_ISSUER")
    audience = pick("jwt_audience", "RECONNECT_JWT_AUDIENCE")
    idle_raw = pick("idle_minutes", "RECONNECT_IDLE_MINUTES")
    try:
        idle = float(idle_raw) if idle_raw else DEFAULT_IDLE_MINUTES
    except ValueError:
        raise SettingsError("RECONNECT_IDLE_MINUTES must be a number of minutes") from None
    if not 0 < idle <= 24 * 60:
        raise SettingsError("RECONNECT_IDLE_MINUTES must be more than 0 and at most 1440")
    if secret and public:
        raise SettingsError("set RECONNECT_JWT_SECRET (HS256) or RECONNECT_JWT_PUBLIC_KEY "
                            "(RS256), not both")
    if secret:
        if len(secret) < MIN_SECRET_CHARS:
            raise SettingsError(f"RECONNECT_JWT_SECRET must be at least {MIN_SECRET_CHARS} "
                                "characters (e.g. `openssl rand -hex 32`)")
        return SignInSettings("HS256", secret, False, issuer, audience, idle)
    if public:
        return SignInSettings("RS256", _public_key(public), False, issuer, audience, idle)
    return SignInSettings("HS256", _demo_secret(env), True, DEMO_ISSUER, None, idle)


def verify(token: Any, settings: SignInSettings, now: Optional[float] = None) -> Identity:
    """The staff member a token signs in, or SignInError with the reason."""
    if not isinstance(token, str) or not token.strip():
        raise SignInError("Please sign in: no sign-in token was given.")
    try:
        claims = jwt.decode(
            token.strip(), settings.key, algorithms=[settings.algorithm],
            issuer=settings.issuer, audience=settings.audience,
            options={"require": ["exp", "sub"]},
            leeway=LEEWAY_SECONDS if now is None else 0)
    except jwt.ExpiredSignatureError:
        raise SignInError("Your sign-in has expired. Please sign in again.") from None
    except jwt.InvalidTokenError as exc:
        logger.info("sign-in: token refused (%s)", type(exc).__name__)
        raise SignInError("Your sign-in could not be verified. Please sign in again."
                          ) from None
    if now is not None and float(claims["exp"]) <= now:
        raise SignInError("Your sign-in has expired. Please sign in again.")
    staff_id = claims.get("sub")
    if not isinstance(staff_id, str) or not STAFF_ID.fullmatch(staff_id):
        logger.info("sign-in: token refused (subject is not a staff id)")
        raise SignInError("Your sign-in could not be verified. Please sign in again.")
    return Identity(staff_id, float(claims["exp"]))


def demo_token(settings: SignInSettings, staff_id: str,
               minutes: float = DEMO_TOKEN_MINUTES) -> str:
    """A short-lived token for a demo staff member; only in demo mode."""
    if not settings.demo:
        raise SettingsError("demo tokens exist only in demo mode")
    now = int(time.time())
    return jwt.encode({"sub": staff_id, "iss": DEMO_ISSUER, "iat": now,
                       "exp": now + int(minutes * 60)}, settings.key, algorithm="HS256")


def bearer(authorization: Optional[str]) -> Optional[str]:
    """The token of an `Authorization: Bearer <token>` header, if any."""
    scheme, _, value = (authorization or "").partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None
