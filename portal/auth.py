"""Login checks shared by every sign-in form: django-axes' lockout, for logins that come with a request,
and the rule for what of a typed username reaches the database.

Whatever a sign-in form posts reaches bounded database columns before any password is checked:
django-axes records each failure with the username (``AccessAttempt.username``, 255 characters) and
looks the username up on every attempt. ``axes_username`` (``AXES_USERNAME_CALLABLE``) is the one
definition of that value for every login path: single-line clean text (no NUL, controls or format
characters, portal/text.py), cut to the column. ``LoginForm`` (the admin's sign-in form) refuses a
username longer than any account can have, with Django's own (Chinese) message, before ``authenticate``.
"""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.validators import MaxLengthValidator

from portal.text import clean_text

# AccessAttempt.username and AccessFailureLog.username are CharField(max_length=255).
AXES_USERNAME_MAX_LENGTH = 255


def axes_username(request, credentials: dict | None) -> str | None:
    """The username django-axes records and locks out: what was typed, cleaned and cut to its column."""
    field = str(settings.AXES_USERNAME_FORM_FIELD)
    raw = credentials.get(field) if credentials else getattr(request, "data", request.POST).get(field)
    if raw is None:
        return None
    return clean_text(str(raw), multiline=False)[:AXES_USERNAME_MAX_LENGTH]


class LoginForm(AdminAuthenticationForm):
    """The admin's sign-in form; Django sets the username's maxlength only as an HTML attribute."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


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
