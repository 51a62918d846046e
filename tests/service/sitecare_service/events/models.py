"""The event log behind the Server-Sent Events stream.

Every change that staff clients show live is appended here in the same
transaction as the change itself; each open stream polls for rows after the
last id it sent. `audience` is the permission a staff member needs to
receive the event. Ids come from SQLite AUTOINCREMENT, so they only grow,
even after old rows are pruned.
"""

from django.db import models


class Event(models.Model):
    type = models.CharField(max_length=50)
    data = models.TextField()  # one line of JSON
    audience = models.CharField(max_length=50)
    created_at = models.DateTimeField(db_index=True)
