from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import Team, User


@admin.register(User)
class AttuneUserAdmin(UserAdmin[User]):
    list_display = ("username", "email", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (*UserAdmin.fieldsets, ("Attune", {"fields": ("role",)}))  # type: ignore[misc]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("members", "managers")
