"""Placeholder views that fix the URL names; the public site (issue 3) replaces their bodies."""

from django.shortcuts import get_object_or_404, render

from cases.models import Case


def home(request):
    return render(request, "placeholder.html", {"cases": Case.objects.published().in_notice_order()})


def case_list(request):
    return render(request, "placeholder.html", {"cases": Case.objects.published().in_notice_order()})


def case_detail(request, slug):
    case = get_object_or_404(Case.objects.published(), slug=slug)
    return render(request, "placeholder.html", {"cases": [case]})
