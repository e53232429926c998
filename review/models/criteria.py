"""Medical-necessity criteria, written by the plan, versioned: a change is a new version and a
review records the version it used."""

from django.db import models


class CriteriaSet(models.Model):
    slug = models.SlugField(max_length=60, help_text="Stable name shared by all versions.")
    version = models.PositiveIntegerField(default=1)
    name = models.CharField(max_length=150)
    code_system = models.CharField(max_length=20, default="cpt")
    codes = models.JSONField(default=list, help_text='Service codes it applies to, e.g. ["72148"].')
    summary = models.TextField(blank=True, help_text="Plain-language summary for letters.")
    # Spanish member letters are Spanish throughout (issue 18): the set's name and summary in
    # Spanish. Blank means "not translated yet": the letter check then refuses a Spanish letter.
    name_es = models.CharField("name (Spanish)", max_length=150, blank=True)
    summary_es = models.TextField("summary (Spanish)", blank=True)
    is_current = models.BooleanField(default=True)
    effective_from = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="criteria_set_version"),
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(is_current=True),
                name="criteria_set_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class Criterion(models.Model):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    sequence = models.PositiveSmallIntegerField()
    text = models.TextField(help_text="The requirement, as the reviewer checks it.")
    plain_language = models.TextField(blank=True, help_text="How a member letter explains it.")
    plain_language_es = models.TextField(
        "plain language (Spanish)", blank=True, help_text="How a Spanish member letter explains it."
    )

    class Meta:
        ordering = ["criteria_set", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "sequence"], name="criterion_sequence"),
        ]

    def __str__(self) -> str:
        return f"{self.sequence}. {self.text[:60]}"
