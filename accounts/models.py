from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Upper


class Role(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    AGENT = "agent", "Agent"
    MANAGER = "manager", "Manager"
    ADMIN = "admin", "Admin"


STAFF_ROLES = frozenset({Role.AGENT, Role.MANAGER, Role.ADMIN})


class User(AbstractUser):
    """Everyone who signs in: customers (portal), agents, managers and admins.

    The role decides what a user may see; `tickets.access` is the one place that
    turns a role plus queue/team membership into querysets and permissions.
    """

    role = models.CharField(max_length=16, choices=Role.choices, default=Role.CUSTOMER)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["email"],
                condition=~models.Q(email=""),
                name="accounts_user_email_unique",
            )
        ]
        indexes = [
            # Addresses are looked up case-insensitively (`email__iexact`, UPPER(email) on
            # PostgreSQL) on every ticket creation, inbound mail and portal sign-in: without
            # this index each lookup scanned the whole user table.
            models.Index(Upper("email"), name="accounts_user_email_upper"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_customer(self) -> bool:
        return self.role == Role.CUSTOMER

    @property
    def is_staff_member(self) -> bool:
        """Agents, managers and admins: people who answer tickets."""
        return self.role in STAFF_ROLES

    @property
    def is_manager(self) -> bool:
        return self.role in (Role.MANAGER, Role.ADMIN)

    @property
    def is_admin_role(self) -> bool:
        return self.role == Role.ADMIN


class Team(models.Model):
    """A group of agents with one or more managers; it owns queues."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    members = models.ManyToManyField(User, related_name="teams", blank=True)
    managers = models.ManyToManyField(User, related_name="managed_teams", blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the key is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
