"""Sessions that end after SESSION_IDLE_MINUTES without a request.

Django's SESSION_SAVE_EVERY_REQUEST writes the session row on every request
(an UPDATE and a commit each time). Here a signed-in session is touched at
most once every SESSION_TOUCH_SECONDS: its expiry moves SESSION_COOKIE_AGE
ahead then, so an idle session ends between SESSION_COOKIE_AGE minus
SESSION_TOUCH_SECONDS and SESSION_COOKIE_AGE after the last request."""

from __future__ import annotations

import time

from django.conf import settings

TOUCHED = "_yjs_touched"


class SessionIdleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.modified or session.is_empty():
            return response
        now = int(time.time())
        if now - int(session.get(TOUCHED, 0)) >= settings.SESSION_TOUCH_SECONDS:
            session[TOUCHED] = now  # modified: SessionMiddleware saves it
        return response
