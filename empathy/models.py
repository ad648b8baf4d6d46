"""Stored empathy scores, their daily rollups, and the managers' review of replies."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ReplyScore(models.Model):
    """The analyzer's verdict on one public agent reply, once per analyzer version."""

    message = models.ForeignKey(
        "tickets.Message", on_delete=models.CASCADE, related_name="empathy_scores"
    )
    version = models.CharField(max_length=32)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="empathy_scores"
    )
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="empathy_scores"
    )
    replied_at = models.DateTimeField()
    overall = models.PositiveSmallIntegerField()
    listening = models.PositiveSmallIntegerField()
    validation = models.PositiveSmallIntegerField()
    reflection = models.PositiveSmallIntegerField()
    tone = models.PositiveSmallIntegerField()
    confidence = models.JSONField(default=dict)
    opportunity = models.CharField(max_length=8)
    challenging = models.BooleanField(default=False)
    spans = models.JSONField(default=list)
    suggestions = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "version"], name="reply_score_once")
        ]
        indexes = [
            models.Index(fields=["agent", "replied_at"], name="score_agent_time"),
            models.Index(fields=["version", "overall"], name="score_version_overall"),
            # The dashboard's lowest scores: each agent's replies in score order, read
            # until enough fall in the period (empathy.selectors.lowest_scores).
            models.Index(
                fields=["agent", "version", "overall", "-replied_at"],
                name="score_agent_lowest",
                condition=models.Q(opportunity__in=["normal", "high"]),
            ),
            # The dashboard's random sample: the week's ids and tickets, shuffled without
            # reading the score rows (empathy.selectors.random_sample).
            models.Index(
                fields=["agent", "version", "replied_at", "ticket", "id"],
                name="score_agent_week",
            ),
            # The dashboard's low-CSAT list: the scores of a few thousand low-rated tickets
            # looked up by ticket and read from the index alone (period, agent, score and
            # id are all here), not from the wide score rows (empathy.selectors.low_csat_scores).
            models.Index(
                fields=["ticket", "version", "replied_at", "agent", "overall", "id"],
                name="score_ticket_low_csat",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.overall} for message {self.message_id} ({self.version})"


class ScoringFailure(models.Model):
    """A reply the analyzer could not score after its retries; shown to admins."""

    message = models.ForeignKey("tickets.Message", on_delete=models.CASCADE, related_name="+")
    version = models.CharField(max_length=32)
    error = models.TextField()
    failed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "version"], name="scoring_failure_once")
        ]

    def __str__(self) -> str:
        return f"Scoring failed for message {self.message_id}"


class DailyRollup(models.Model):
    """Per agent and day sums, maintained with each score so dashboards never scan replies."""

    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    version = models.CharField(max_length=32)
    replies = models.PositiveIntegerField(default=0)
    overall_sum = models.PositiveIntegerField(default=0)
    listening_sum = models.PositiveIntegerField(default=0)
    validation_sum = models.PositiveIntegerField(default=0)
    reflection_sum = models.PositiveIntegerField(default=0)
    tone_sum = models.PositiveIntegerField(default=0)
    # Replies where a component reached at least "weak": the dashboard's "share" figures.
    listening_present = models.PositiveIntegerField(default=0)
    validation_present = models.PositiveIntegerField(default=0)
    reflection_present = models.PositiveIntegerField(default=0)
    challenging = models.PositiveIntegerField(default=0)
    # Per component, replies per "level:confidence" ({"validation": {"1:0.85": 3}}): what a
    # team's calibrated thresholds are applied to (empathy.rollups).
    levels = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agent", "day", "version"], name="rollup_unique")
        ]
        indexes = [models.Index(fields=["version", "day"], name="rollup_version_day")]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.day}: {self.replies} replies"


class Review(models.Model):
    """A manager's reading of one reply: their own component levels and feedback."""

    score = models.ForeignKey(ReplyScore, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews_given"
    )
    listening = models.PositiveSmallIntegerField(null=True, blank=True)
    validation = models.PositiveSmallIntegerField(null=True, blank=True)
    reflection = models.PositiveSmallIntegerField(null=True, blank=True)
    tone = models.PositiveSmallIntegerField(null=True, blank=True)
    feedback = models.TextField(blank=True)
    exemplary = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    agent_reply = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["score", "reviewer"], name="one_review_per_manager")
        ]
        indexes = [models.Index(fields=["exemplary", "-created_at"], name="review_exemplary")]

    def __str__(self) -> str:
        return f"Review of score {self.score_id} by {self.reviewer_id}"


class Reflection(models.Model):
    """An agent's private note to self after a challenging interaction; only they see it."""

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections"
    )
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    went_well = models.TextField(blank=True)
    do_differently = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agent", "ticket"], name="one_reflection_per_ticket")
        ]

    def __str__(self) -> str:
        return f"Reflection of {self.agent_id} on #{self.ticket_id}"


class Calibration(models.Model):
    """A team's level thresholds fitted to its managers' reviews, for one analyzer version.

    The latest row for a team and the current version is the one in force; resetting adds
    a row with no thresholds. Stored scores are never rewritten, so every calibration can
    be undone.
    """

    team = models.ForeignKey(
        "accounts.Team", on_delete=models.CASCADE, related_name="empathy_calibrations"
    )
    version = models.CharField(max_length=32)  # the analyzer version whose output was fitted
    # {"validation": {"weak": 1.0, "strong": 2.75}}: only components whose thresholds moved.
    thresholds = models.JSONField(default=dict, blank=True)
    # Per component: n, kappa_before, kappa_after, applied, reason (what the manager read).
    report = models.JSONField(default=dict, blank=True)
    n = models.PositiveIntegerField(default=0)  # reviewed replies used
    # Means over the components that had enough reviews; None when none had.
    kappa_before = models.FloatField(null=True, blank=True)
    kappa_after = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["team", "version", "-created_at"], name="calibration_latest")
        ]

    def __str__(self) -> str:
        return f"Calibration of team {self.team_id} ({self.version})"
