"""Accounts: staff members, client accounts, clients, login attempts and
the history of staff members' public keys.

One user table holds both kinds of account; `role` tells them apart
(`client` or a staff role). A client account belongs to one Client, the
customer record staff work for.
"""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models

from .roles import CLIENT_ROLE, STAFF_ROLES, permissions_for


class UserManager(BaseUserManager):
    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractBaseUser):
    ROLE_CHOICES = [(r, r) for r in STAFF_ROLES + (CLIENT_ROLE,)]

    email = models.EmailField(unique=True)
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=20, choices=ROLE_CHOICES)
    # X25519 public key, raw 32 bytes; credentials are sealed to it. Only
    # keys.register_public_key sets it, so every value has a history row.
    public_key = models.BinaryField(null=True, blank=True)
    client = models.ForeignKey("accounts.Client", null=True, blank=True,
                               on_delete=models.CASCADE,
                               related_name="accounts")
    is_active = models.BooleanField(default=True)

    USERNAME_FIELD = "email"
    objects = UserManager()

    @property
    def is_staff_member(self):
        return self.role in STAFF_ROLES

    @property
    def permissions(self):
        return permissions_for(self.role)

    def can(self, permission):
        return permission in permissions_for(self.role)


class Client(models.Model):
    name = models.CharField(max_length=200)
    company = models.CharField(max_length=200)
    email = models.EmailField()
    phone = models.CharField(max_length=50, null=True, blank=True)
    site_url = models.CharField(max_length=500)
    assigned_staff = models.ManyToManyField(User, blank=True,
                                            related_name="assigned_clients")


class LoginFailure(models.Model):
    """One failed sign-in, counted per email and per address. A row is
    written before the password is checked (a reservation, see
    ratelimit.py) and deleted again when the password was right."""

    email = models.CharField(max_length=254, db_index=True)
    address = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(db_index=True)



class KeyRegistration(models.Model):
    """One registration of a staff member's public key, kept for good.

    The newest row is the key in force (`User.public_key`); the older ones
    let a staff member see when, and to what, their key was replaced.
    """

    staff = models.ForeignKey(User, on_delete=models.CASCADE,
                              related_name="key_registrations")
    public_key = models.BinaryField()
    registered_at = models.DateTimeField()
