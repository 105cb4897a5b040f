"""Placeholder views that fix the URL names; the public site (issue 3) replaces their bodies."""

from django.shortcuts import get_object_or_404, render

from awards.models import AwardTier, Notice, Prefecture, Unit


def prefecture_list(request):
    return render(request, "placeholder.html", {"items": Prefecture.objects.all()})


def prefecture_detail(request, code):
    return render(request, "placeholder.html", {"items": [get_object_or_404(Prefecture, code=code)]})


def unit_detail(request, pk):
    return render(request, "placeholder.html", {"items": [get_object_or_404(Unit, pk=pk)]})


def tier_detail(request, notice_slug, slug):
    tier = get_object_or_404(AwardTier, notice__slug=notice_slug, slug=slug)
    return render(request, "placeholder.html", {"items": [tier]})


def notice_detail(request, slug):
    return render(request, "placeholder.html", {"items": [get_object_or_404(Notice, slug=slug)]})
