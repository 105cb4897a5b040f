"""Readers' error reports (纠错): the form on its own page, the one write path and the staff's admin.

Interface: ``feedback_create`` (store a report; raises ``FeedbackRefused`` with a Chinese message),
``clean_text`` (what is stored of a reader's text), and the views in ``cases.feedback.views``.
"""

from cases.feedback.services import FeedbackRefused, clean_text, feedback_create

__all__ = ["FeedbackRefused", "clean_text", "feedback_create"]
