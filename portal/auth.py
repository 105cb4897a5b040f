"""Login checks shared by every sign-in form: django-axes' lockout, for logins that come with a request."""

from axes.backends import AxesStandaloneBackend


class RequestAwareAxesBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for every login that comes with a request.

    Every login form (admin, site) passes the request, so every real login is checked. A call of
    ``authenticate()`` without a request (``Client.login`` in tests, management scripts) cannot be
    tied to an address; plain axes raises there, which would break such callers, so it is let
    through to the password check instead.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
