from django.contrib import admin

from empathy.models import DailyRollup, ReplyScore, Review, ScoringFailure


@admin.register(ReplyScore)
class ReplyScoreAdmin(admin.ModelAdmin[ReplyScore]):
    list_display = (
        "message",
        "agent",
        "overall",
        "listening",
        "validation",
        "reflection",
        "tone",
        "version",
    )
    list_filter = ("version", "opportunity")
    raw_id_fields = ("message", "agent", "ticket")


@admin.register(ScoringFailure)
class ScoringFailureAdmin(admin.ModelAdmin[ScoringFailure]):
    list_display = ("message", "version", "error", "failed_at")
    raw_id_fields = ("message",)


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin[Review]):
    list_display = ("score", "reviewer", "exemplary", "created_at", "acknowledged_at")
    raw_id_fields = ("score", "reviewer")


@admin.register(DailyRollup)
class DailyRollupAdmin(admin.ModelAdmin[DailyRollup]):
    list_display = ("agent", "day", "version", "replies", "overall_sum")
    raw_id_fields = ("agent",)
