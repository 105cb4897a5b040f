"""A Word download stays a valid file whatever the database holds: text written before the control
character rule, or by SQL, cannot make python-docx refuse the case (it answered 500)."""

import io

import pytest
from docx import Document
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cases.models import Case, CaseSection
from portal.cache import bump_library_version

pytestmark = pytest.mark.django_db

# Control, format, surrogate-free private and noncharacter code points, beside ordinary Chinese.
odd = st.text(
    alphabet=st.one_of(
        # NUL cannot be stored in PostgreSQL text at all, so it is never stored text to download.
        st.characters(categories=["Cc", "Cf", "Co"], exclude_characters="\x00"),
        st.sampled_from(["\ufffe", "\uffff", "便", "民", " "]),
    ),
    min_size=1,
    max_size=12,
)


def download(client, case):
    response = client.get(f"/cases/{case.slug}.docx")
    assert response.status_code == 200
    return Document(io.BytesIO(response.content))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title_tail=odd, heading=odd, paragraph=odd)
@example(title_tail="\x0c\x08", heading="\x1b", paragraph="\x0b")  # found by an outside check
def test_stored_control_characters_never_break_the_word_download(
    client, library, title_tail, heading, paragraph
):
    case = Case.objects.published().order_by("pk").first()
    section = case.sections.order_by("order").last()
    # As SQL or an older release would have written them: update() skips the save-time text rule.
    Case.objects.filter(pk=case.pk).update(title="案例标题" + title_tail)
    CaseSection.objects.filter(pk=section.pk).update(
        heading="章节" + heading, paragraphs=["段落" + paragraph]
    )
    bump_library_version()

    document = download(client, Case.objects.get(pk=case.pk))
    texts = [p.text for p in document.paragraphs]
    assert texts[0].startswith("案例标题")
    assert any(t.startswith("章节") for t in texts) and any(t.startswith("段落") for t in texts)
    assert all("\x0b" not in t and "\x00" not in t for t in texts)
