from django.contrib.auth.models import AbstractUser
from django.db import models

from yjs.permissions import ROLE_LABELS, Role, user_roles


class Team(models.Model):
    """A locality team of the service."""

    name = models.CharField(max_length=100, unique=True)
    locality = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A member of staff (or a board member) who signs in."""

    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    job_title = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def roles(self) -> frozenset[Role]:
        return user_roles(self)

    @property
    def role_labels(self) -> list[str]:
        return [ROLE_LABELS[r] for r in Role if r in self.roles]
