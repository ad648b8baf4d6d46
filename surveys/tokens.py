"""Signed survey links: bound to one survey, expiring, carrying only a preselected rating."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing

_SALT = "attune.survey"


class SurveyLinkExpired(Exception):
    pass


class SurveyLinkInvalid(Exception):
    pass


@dataclass(frozen=True)
class SurveyLink:
    survey_id: int
    rating: int | None


def survey_token(survey_id: int, rating: int | None = None) -> str:
    payload: dict[str, int] = {"s": survey_id}
    if rating is not None:
        payload["r"] = rating
    return signing.dumps(payload, salt=_SALT, compress=False)


def survey_link_read(token: str) -> SurveyLink:
    max_age = settings.ATTUNE_SURVEY_LINK_MAX_AGE_DAYS * 86400
    try:
        data = signing.loads(token, salt=_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise SurveyLinkExpired from None
    except signing.BadSignature:
        raise SurveyLinkInvalid from None
    if not isinstance(data, dict) or not isinstance(data.get("s"), int):
        raise SurveyLinkInvalid
    rating = data.get("r")
    if rating is not None and (not isinstance(rating, int) or not 1 <= rating <= 5):
        raise SurveyLinkInvalid
    return SurveyLink(survey_id=data["s"], rating=rating)
