"""Readers' error reports (纠错): the form on its own page, the one write path and the staff's admin.

Interface: ``feedback_create`` (store a report; raises ``FeedbackRefused`` with a Chinese message),
``report_text`` (what is stored of a reader's text: ``portal.text.clean_text``, tidied), and the views in ``cases.feedback.views``.
"""

from cases.feedback.services import FeedbackRefused, feedback_create, report_text

__all__ = ["FeedbackRefused", "feedback_create", "report_text"]
