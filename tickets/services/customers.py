from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from accounts.models import Role, User
from tickets.errors import TicketError
from tickets.models import Customer, Organisation
from tickets.services.text import clean_line


def customer_get_or_create(*, email: str, name: str = "", timezone: str = "UTC") -> Customer:
    """The customer with this email, created (with a portal-only user) if new.

    An email that belongs to a staff account is refused: mail or a web form claiming
    to come from an agent must never be treated as that agent.
    """
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise TicketError("Enter a valid email address.", code="email") from None
    User = get_user_model()
    # The user and, through the one-to-one, its customer row in one query: a returning
    # customer (the common case: every reply and most new tickets) costs one lookup.
    user = (
        User.objects.filter(email__iexact=email)
        .select_related("customer__organisation")
        .order_by("pk")
        .first()
    )
    if user is not None and user.role != Role.CUSTOMER:
        raise TicketError(
            "This address belongs to a staff account and cannot file tickets as a customer.",
            code="staff_email",
        )
    if user is None:
        first, _, last = clean_line(name, 150).partition(" ")
        username = email[:150]
        if User.objects.filter(username=username).exists():
            # An account whose address changed keeps its old address as username.
            username = f"{email[:140]}~{secrets.token_hex(4)}"
        try:
            with transaction.atomic():
                user = User(
                    username=username, email=email, first_name=first[:150], last_name=last[:150]
                )
                user.role = Role.CUSTOMER
                user.set_unusable_password()
                user.save()
        except IntegrityError:  # created concurrently by another request
            user = User.objects.get(email__iexact=email)
    customer = _customer_of(user)
    if customer is not None:
        customer.user = user  # the row in hand: callers reading customer.user cost no query
    if customer is None:
        domain = email.rpartition("@")[2]
        customer, _ = Customer.objects.get_or_create(
            user=user,
            defaults={
                "organisation": Organisation.objects.filter(domain__iexact=domain).first(),
                "timezone": timezone,
            },
        )
    return customer


def _customer_of(user: User) -> Customer | None:
    """The customer row joined to `user` by the lookup above, or None if it has none."""
    try:
        return user.customer
    except Customer.DoesNotExist:
        return None
