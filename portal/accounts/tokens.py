"""Tokens of the links in account emails (portal/accounts/emails.py).

* Password reset ("Forgot your password?"): Django's `default_token_generator`, valid
  for PASSWORD_RESET_TIMEOUT (2 hours: the person asked for it a moment ago).
* Invitation ("set your password", sent when an admin creates an account):
  `invitation_token_generator`, valid for ACCOUNT_INVITATION_TIMEOUT (7 days: the person
  did not expect the email and may read it days later).

Both hash in the password and the last sign-in, so a link works once: setting a password
(or signing in) voids it. An invitation also hashes in `User.invited_at`, so sending the
invitation again voids the earlier link. The invitation has its own salt: one kind of
link never works as the other.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "portal.accounts.tokens.InvitationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        # To the microsecond: an invitation sent again within the same second still
        # voids the earlier link (both databases we run on keep microseconds).
        invited = "" if user.invited_at is None else f"{user.invited_at.timestamp():.6f}"
        return f"{super()._make_hash_value(user, timestamp)}{invited}"

    def check_token(self, user, token):
        # Django's check_token compares the age with PASSWORD_RESET_TIMEOUT; an invitation
        # has a timeout of its own, so the check is repeated here with that one.
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            timestamp = base36_to_int(ts_b36)
        except ValueError:
            return False
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(
                self._make_token_with_timestamp(user, timestamp, secret), token
            ):
                break
        else:
            return False
        age = self._num_seconds(self._now()) - timestamp
        return age <= settings.ACCOUNT_INVITATION_TIMEOUT


invitation_token_generator = InvitationTokenGenerator()
password_reset_token_generator = default_token_generator
