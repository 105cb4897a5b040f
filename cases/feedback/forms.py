"""The 纠错 form: it only collects what the reader typed; ``feedback_create`` checks and cleans it."""

from django import forms
from django.core.validators import ProhibitNullCharactersValidator

from cases.models import Feedback


class RawTextField(forms.CharField):
    """Text as typed: NUL and other control characters are cleaned by ``feedback_create``, not refused
    here with a message no reader would understand."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]


class FeedbackForm(forms.Form):
    message = RawTextField(
        label="哪里有误",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": Feedback.MESSAGE_MAX}),
        help_text=f"请写明哪一段、哪一句或哪个字有误，以及正确的写法。最多 {Feedback.MESSAGE_MAX} 个字。",
    )
    contact = RawTextField(
        label="联系方式（选填）",
        required=False,
        strip=False,
        widget=forms.TextInput(attrs={"maxlength": Feedback.CONTACT_MAX, "autocomplete": "email"}),
        help_text="电话或电子邮箱，只用于工作人员回复您，不会公开。",
    )
    # A trap for form-filling robots: hidden from people (CSS and aria-hidden), never read otherwise.
    memo = RawTextField(
        label="请勿填写此项",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def is_robot(self) -> bool:
        return bool(self.is_valid() and self.cleaned_data["memo"])
