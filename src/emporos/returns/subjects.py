"""What a return's timeline entries are about: the return, its order and the order's customer."""

from __future__ import annotations

from emporos.orders.services._write import about_order
from emporos.returns.models import Return
from emporos.timeline.models import SubjectKind
from emporos.timeline.services import About


def about_return(ret: Return) -> list[About]:
    return [About(SubjectKind.RETURN, ret.pk), *about_order(ret.order)]
