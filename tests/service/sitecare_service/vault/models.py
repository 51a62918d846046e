"""Site credentials, encrypted at rest, and the log of every reveal."""

from django.db import models


class Credential(models.Model):
    client = models.ForeignKey("accounts.Client", on_delete=models.CASCADE,
                               related_name="credentials")
    label = models.CharField(max_length=200)
    site_url = models.CharField(max_length=500)
    # SecretBox(nonce + ciphertext) of {"username", "password", "notes"}.
    secret = models.BinaryField()
    updated_at = models.DateTimeField()


class RevealAudit(models.Model):
    credential = models.ForeignKey(Credential, on_delete=models.CASCADE,
                                   related_name="audit")
    staff = models.ForeignKey("accounts.User", on_delete=models.PROTECT)
    purpose = models.TextField()
    at = models.DateTimeField()
