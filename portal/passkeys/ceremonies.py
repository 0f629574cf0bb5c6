"""The WebAuthn ceremonies through py_webauthn: options for the browser and the checks of
its answers. The relying-party id is the hostname of the union's site (never a shared
parent domain), the origin its scheme, host and port. Challenges live in the session,
one at a time: each is for one purpose, expires after CHALLENGE_MAX_AGE seconds and is
taken out of the session by the first answer, right or wrong (a replay finds none)."""

from __future__ import annotations

import secrets
import time
from ipaddress import ip_address

from django.http.request import split_domain_port
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import (
    InvalidAuthenticationResponse,
    InvalidJSONStructure,
    InvalidRegistrationResponse,
)
from webauthn.helpers.parse_authentication_credential_json import (
    parse_authentication_credential_json,
)
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

CHALLENGE_KEY = "passkey_challenge"
CHALLENGE_MAX_AGE = 300  # seconds
TIMEOUT_MS = 120_000


class Refused(Exception):
    """The answer was not accepted; `reason` is a short code for the audit log."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def rp_id(request) -> str | None:
    """The hostname of this request's site, or None where WebAuthn cannot work (an IP
    address is never a valid relying-party id)."""
    host, _port = split_domain_port(request.get_host())
    if not host:
        return None
    try:
        ip_address(host.strip("[]"))
    except ValueError:
        return host
    return None


def origin(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _issue(request, purpose: str, user_handle: bytes = b"") -> bytes:
    challenge = secrets.token_bytes(32)
    request.session[CHALLENGE_KEY] = {"purpose": purpose, "at": int(time.time()),
                                      "challenge": bytes_to_base64url(challenge),
                                      "user_handle": bytes_to_base64url(user_handle)}
    return challenge


def _take(request, purpose: str) -> dict:
    saved = request.session.pop(CHALLENGE_KEY, None)
    if not saved or saved.get("purpose") != purpose:
        raise Refused("challenge")
    if not 0 <= time.time() - saved.get("at", 0) <= CHALLENGE_MAX_AGE:
        raise Refused("expired")
    return {"challenge": base64url_to_bytes(saved["challenge"]),
            "user_handle": base64url_to_bytes(saved.get("user_handle", ""))}


def registration_options(request, *, user, union, user_handle: bytes,
                         existing: list[bytes]) -> str:
    options = generate_registration_options(
        rp_id=rp_id(request), rp_name=union.name, user_id=user_handle,
        user_name=user.get_username(),
        user_display_name=user.get_full_name() or user.get_username(),
        challenge=_issue(request, "register", user_handle), timeout=TIMEOUT_MS,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=c) for c in existing])
    return options_to_json(options)


def verify_registration(request, credential: dict):
    """The verified registration and the user handle its options carried."""
    saved = _take(request, "register")
    try:
        return verify_registration_response(
            credential=credential, expected_challenge=saved["challenge"],
            expected_rp_id=rp_id(request), expected_origin=origin(request),
            require_user_verification=True), saved["user_handle"]
    except (InvalidRegistrationResponse, InvalidJSONStructure, KeyError, TypeError,
            ValueError) as error:
        raise Refused("registration") from error


def authentication_options(request, *, purpose: str, allowed: list[bytes] = ()) -> str:
    """For `signin` no credentials are named (the browser offers the discoverable
    passkeys of this host); for `stepup` the account's own."""
    options = generate_authentication_options(
        rp_id=rp_id(request), challenge=_issue(request, purpose), timeout=TIMEOUT_MS,
        allow_credentials=[PublicKeyCredentialDescriptor(id=c) for c in allowed],
        user_verification=UserVerificationRequirement.REQUIRED)
    return options_to_json(options)


def parse_assertion(credential: dict):
    try:
        return parse_authentication_credential_json(credential)
    except (InvalidJSONStructure, InvalidAuthenticationResponse, KeyError, TypeError,
            ValueError) as error:
        raise Refused("malformed") from error


def verify_assertion(request, *, purpose: str, credential, passkey) -> int:
    """Checks the answer against the stored key; returns the new signature counter.
    Raises Refused("clone") when the counter did not grow."""
    challenge = _take(request, purpose)["challenge"]
    try:
        verified = verify_authentication_response(
            credential=credential, expected_challenge=challenge,
            expected_rp_id=rp_id(request), expected_origin=origin(request),
            credential_public_key=bytes(passkey.public_key),
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=True)
    except InvalidAuthenticationResponse as error:
        message = str(error).lower()
        reason = ("clone" if "sign count" in message
                  else "challenge" if "challenge" in message else "signature")
        raise Refused(reason) from error
    return verified.new_sign_count
