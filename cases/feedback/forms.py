"""The 纠错 form: it only collects what the reader typed; ``feedback_create`` checks and cleans it."""

from django import forms

from cases.models import Feedback


class FeedbackForm(forms.Form):
    message = forms.CharField(
        label="哪里有误",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": Feedback.MESSAGE_MAX}),
        help_text=f"请写明哪一段、哪一句或哪个字有误，以及正确的写法。最多 {Feedback.MESSAGE_MAX} 个字。",
    )
    contact = forms.CharField(
        label="联系方式（选填）",
        required=False,
        strip=False,
        widget=forms.TextInput(attrs={"maxlength": Feedback.CONTACT_MAX, "autocomplete": "email"}),
        help_text="电话或电子邮箱，只用于工作人员回复您，不会公开。",
    )
    # A trap for form-filling robots: hidden from people (CSS and aria-hidden), never read otherwise.
    memo = forms.CharField(
        label="请勿填写此项",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def is_robot(self) -> bool:
        return bool(self.is_valid() and self.cleaned_data["memo"])
