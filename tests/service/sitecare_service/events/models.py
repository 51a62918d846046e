"""The event log behind the Server-Sent Events stream.

Every change that staff clients show live is appended here in the same
transaction as the change itself; each open stream polls for rows after the
last id it sent. `audience` says who receives the event: the permission a
staff member needs, or `staff:<id>` for events about one staff member
(their key changed), which only that member's streams send. Ids come from
SQLite AUTOINCREMENT (or a PostgreSQL sequence), so they only grow, even
after old rows are pruned.
"""

from django.db import models


class Event(models.Model):
    type = models.CharField(max_length=50)
    data = models.TextField()  # one line of JSON
    audience = models.CharField(max_length=50)
    created_at = models.DateTimeField(db_index=True)
