"""The passkey button on the union's sign-in page (accounts' `sign_in_options` hook)."""

from wagtail import hooks

from .ceremonies import rp_id


@hooks.register("sign_in_options")
def passkey_sign_in(request) -> dict:
    return {"passkey_signin": getattr(request, "union", None) is not None
            and rp_id(request) is not None}
