from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from evident.lado.selectors import lado_involvement, lado_records_for_child

register = template.Library()


@register.inclusion_tag("lado/_person_notice.html", takes_context=True)
def lado_person_notice(context: Any, person: Any) -> dict[str, Any]:
    """Whether LADO involvement exists, and the records only for those who may read them."""
    user = context["request"].user
    involved = lado_involvement(person=person)
    return {
        "involved": involved,
        "records": lado_records_for_child(user=user, person=person) if involved else [],
        "contact": settings.EVIDENT_LADO_CONTACT,
    }
