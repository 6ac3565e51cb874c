"""Reviews on the shop's platforms (C10): listed for answering, low ratings still waiting first,
each with its reply form; a reply is kept at once and posted to the platform by the worker.
How the last reading of each platform went is shown on top, in the platform's words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from emporos.access.roles import Permission
from emporos.core import formats
from emporos.core.errors import DomainError, ValidationFailed
from emporos.desk.auth import actor_for, staff_required
from emporos.desk.forms import DeskForm, multiline_text, show_error
from emporos.desk.responses import not_found
from emporos.desk.views.support import filtered_url, page_number
from emporos.feedback import review_poll, review_selectors, review_services, reviews
from emporos.feedback.models import REPLY_MAX_LENGTH, Review
from emporos.feedback.review_selectors import SHOW_ALL, SHOW_UNANSWERED, ReviewFilters
from emporos.feedback.words import platform_name

PAGE_SIZE = 50


class ReviewFilterForm(DeskForm):
    show = forms.ChoiceField(
        label=gettext_lazy("Show"),
        required=False,
        choices=lambda: [("", _("Waiting for an answer")), (SHOW_ALL, _("All reviews"))],
    )
    stars = forms.TypedChoiceField(
        label=gettext_lazy("Stars"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=lambda: [("", _("Any")), *[(str(n), str(n)) for n in range(5, 0, -1)]],
    )


class ReviewReplyForm(DeskForm):
    text = forms.CharField(
        label=gettext_lazy("The shop's public reply"),
        help_text=gettext_lazy("Everyone who reads the review sees it, under the shop's name."),
        max_length=REPLY_MAX_LENGTH,
        validators=[multiline_text],
        error_messages={"required": gettext_lazy("Write the reply first: an empty reply cannot be posted.")},
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )

    def __init__(self, *args: Any, platform: reviews.Platform, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.platform = platform

    def clean_text(self) -> str:
        text = str(self.cleaned_data["text"]).replace("\r\n", "\n").strip()
        length, limit = self.platform.reply_length(text), self.platform.reply_max_length
        if length > limit:
            values = {
                "platform": platform_name(self.platform.code),
                "limit": formats.number(limit, language=get_language()),
            }
            values["length"] = formats.number(length, language=get_language())
            if self.platform.limit_in_bytes:
                message = _(
                    "%(platform)s takes replies of at most %(limit)s bytes (a Greek or Hebrew letter takes two); "
                    "this one has %(length)s. Shorten it."
                )
            else:
                message = _("%(platform)s takes replies of at most %(limit)s characters; this one has %(length)s.")
            raise forms.ValidationError(message % values)
        return text


@dataclass(frozen=True)
class ReviewRow:
    review: Review
    form: ReviewReplyForm | None  # None: the platform is no longer set up, the reply cannot be posted
    is_urgent: bool
    platform_name: str


def _platform(code: str) -> reviews.Platform | None:
    try:
        return reviews.platform(code)
    except reviews.ReviewSourceNotConfigured:
        return None


def _row(review: Review, form: ReviewReplyForm | None = None) -> ReviewRow:
    platform = _platform(review.platform)
    if form is None and platform is not None:
        form = ReviewReplyForm(prefix=f"review-{review.pk}", initial={"text": review.reply_text}, platform=platform)
    waiting = review_selectors.is_waiting(review)
    return ReviewRow(review, form, review.is_low and waiting, platform_name(review.platform))


def reviews_url(query: QueryDict, **changes: str | None) -> str:
    return filtered_url("desk:support_reviews", query, **changes)


def _render(
    request: HttpRequest, *, bound: tuple[int, ReviewReplyForm] | None = None, status: int = 200
) -> HttpResponse:
    form = ReviewFilterForm(request.GET)
    context: dict[str, Any] = {"section": "support", "form": form}
    if not form.is_valid():
        return render(request, "desk/support/reviews.html", context, status=400)
    data = form.cleaned_data
    filters = ReviewFilters(show=data["show"] or SHOW_UNANSWERED, stars=data["stars"])
    page = page_number(request.GET.get("page"))
    found = review_selectors.review_list(filters, page=page, size=PAGE_SIZE)
    rows = [_row(review, bound[1] if bound and bound[0] == review.pk else None) for review in found.rows]
    if bound is not None and all(row.review.pk != bound[0] for row in rows):
        # The review with the refused reply is filtered out of this page: show it on top.
        review = Review.objects.select_related("replied_by", "customer", "order").get(pk=bound[0])
        rows.insert(0, _row(review, bound[1]))
    counts = review_selectors.review_counts()
    context |= {
        "rows": rows,
        "result_count": ngettext("%(n)s review", "%(n)s reviews", found.count)
        % {"n": formats.number(found.count, language=get_language())},
        "counts": counts,
        "sources": [
            (platform_name(code), state) for code, state in review_selectors.source_states(review_poll.configured())
        ],
        "is_filtered": bool(data["show"] or data["stars"]),
        "query": request.GET.urlencode(),
        "previous_page_url": reviews_url(request.GET, page=str(page - 1) if page > 2 else None) if page > 1 else None,
        "next_page_url": reviews_url(request.GET, page=str(page + 1)) if found.has_next else None,
    }
    return render(request, "desk/support/reviews.html", context, status=status)


@staff_required(Permission.ANSWER_CUSTOMERS)
@require_GET
def reviews_page(request: HttpRequest) -> HttpResponse:
    if any("" in values for _name, values in request.GET.lists()):
        return redirect(reviews_url(request.GET))  # a form sent without JavaScript: drop the empty filters
    return _render(request)


@staff_required(Permission.ANSWER_CUSTOMERS)
@require_POST
def reply_to_review(request: HttpRequest, review_id: int) -> HttpResponse:
    """Keep the reply and have it posted; back to the list (its filters kept) with a note. A refused
    reply stays on the list with the reason next to the field."""
    review = Review.objects.filter(pk=review_id).first()
    if review is None:
        return not_found(
            request,
            section="support",
            title=_("There is no such review"),
            message=_("The link may be old. The list shows every review the shop's platforms have."),
            link_url=reverse("desk:support_reviews"),
            link_text=_("Back to the reviews"),
        )
    platform = _platform(review.platform)
    if platform is None:
        messages.error(request, _("This platform is not set up any more; a reply cannot be posted there."))
        return _render(request, status=409)
    form = ReviewReplyForm(request.POST, prefix=f"review-{review.pk}", platform=platform)
    if not form.is_valid():
        return _render(request, bound=(review.pk, form), status=400)
    try:
        review_services.write_reply(
            review=review,
            text=form.cleaned_data["text"],
            actor=actor_for(request),
            author=request.user if isinstance(request.user, User) else None,
        )
    except DomainError as error:
        show_error(form, error)
        return _render(request, bound=(review.pk, form), status=400 if isinstance(error, ValidationFailed) else 409)
    messages.success(
        request, _("Reply kept; it is being posted on %(platform)s.") % {"platform": platform_name(platform.code)}
    )
    return HttpResponseRedirect(reviews_url(request.GET) + f"#review-{review.pk}", status=303)
