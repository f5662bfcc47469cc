from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from yjs.audit.services import Action, audit_record


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    audit_record(user=user, action=Action.SIGN_IN, request=request, summary="Signed in")


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(user=user, action=Action.SIGN_OUT, request=request, summary="Signed out")


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    name = str(credentials.get("username", ""))[:150]
    audit_record(
        user=None,
        action=Action.SIGN_IN_FAILED,
        request=request,
        summary=f"Failed sign-in for {name!r}",
    )
