"""Demo data: deterministic (fixed random seed), times relative to now.

Everything is built in memory with explicit ids and written with
bulk_create in one transaction, tasks and their comments as plain rows
a chunk at a time, with the big tables' indexes built after their rows
(`bulk.loading`): a million tasks seed in about a minute. A handful of hostile strings (terminal escapes, bidi overrides,
path traversal) are planted for the client's sanitiser to face.
"""

import itertools
import random
import uuid
from datetime import timedelta
from operator import attrgetter
from types import SimpleNamespace

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import DateTimeField
from django.utils import timezone

from . import bulk
from .accounts.models import Client, User
from .billing.models import Invoice, Subscription
from .chat.models import Conversation, Message
from .tasks.models import (PRIORITIES, PRIORITY_RANK, STATUSES, Attachment,
                           Comment, Task, due_sort_key, priority_sort_key)
from .vault.crypto import encrypt
from .vault.models import Credential

PASSWORD = "sitecare-demo"
SEED = 20261128

STAFF = [
    ("admin@example.com", "Ada Admin", "admin"),
    ("manager@example.com", "Max Manager", "manager"),
    ("tech@example.com", "Theo Tech", "technician"),
    ("support@example.com", "Sue Support", "support"),
]
CLIENT_ACCOUNT = ("client@example.com", "Carla Client")

FIRST = ["Alice", "Bruno", "Chen", "Dana", "Elif", "Farah", "Goran", "Hana",
         "Ivan", "Jade", "Kofi", "Lena", "Mateo", "Nia", "Omar", "Priya",
         "Quinn", "Rosa", "Sven", "Tara", "Uma", "Viktor", "Wen", "Yusuf"]
LAST = ["Novak", "Okafor", "Silva", "Kowalski", "Haddad", "Lindqvist",
        "Moreau", "Tanaka", "Petrov", "Ortega", "Nguyen", "Brennan"]
BUSINESS = ["Bakery", "Dental", "Yoga Studio", "Law Office", "Plumbing",
            "Bookshop", "Coffee Roasters", "Pet Grooming", "Architects",
            "Florist", "Bike Repair", "Photography", "Tutoring", "Brewery",
            "Vet Clinic", "Landscaping"]
TOWNS = ["Maple", "Harbor", "Granite", "Willow", "Summit", "Riverside",
         "Oak Hill", "Bayview", "Cedar", "Northgate", "Lakeside"]

TASK_TITLES = [
    "Update WordPress core and plugins", "Contact form not sending email",
    "Add new team member to About page", "Homepage hero image too slow",
    "Renew SSL certificate", "Fix broken links on Services page",
    "Set up Google Business profile", "Mobile menu does not open",
    "Migrate blog posts from old site", "Add holiday opening hours",
    "Checkout page shows 500 error", "Improve page speed score",
    "Replace logo with new version", "Add cookie-free analytics",
    "Backup restore test", "Spam comments on blog",
    "Change footer phone number", "Add booking widget",
    "Fix typo on pricing page", "Set up staging site",
]
DESCRIPTIONS = [
    "Customer noticed this yesterday evening.",
    "Please handle before the end of the week if possible.",
    "See the attached screenshot for details.",
    "This has happened twice now, once on mobile and once on desktop.",
    "Low urgency, whenever you have time.",
    "",
]
COMMENTS_STAFF = [
    "Looking into this now.", "Fixed on staging, please check.",
    "Deployed to production.", "Could you send a screenshot?",
    "This needs a plugin update first.", "Done, cache cleared too.",
]
COMMENTS_INTERNAL = [
    "Internal: the hosting plan is nearly out of disk.",
    "Internal: client is on the old PHP version, upgrade first.",
    "Internal: billable, log the time.",
]
COMMENTS_CLIENT = [
    "Thanks!", "Still seeing the problem here.", "Looks great now.",
    "Any update on this?", "Can we also change the colour?",
]
CLIENT_MESSAGES = [
    "Hi, quick question about the site.", "Are you there?",
    "The contact form is broken again.", "Thanks for the quick fix!",
    "Can we schedule a call this week?", "I sent the new photos by email.",
    "When will the new page go live?", "Everything looks good, thanks.",
]
STAFF_MESSAGES = [
    "Hi! Happy to help, what's up?", "On it, I'll report back shortly.",
    "That should be fixed now, could you check?",
    "We've scheduled it for Thursday.", "Got the photos, thank you.",
]
CREDENTIAL_LABELS = ["WordPress admin", "SFTP", "Hosting panel (cPanel)",
                     "Domain registrar"]
PLAN_PRICES = {"basic": 4900, "pro": 14900, "agency": 39900}
CARD_BRANDS = ["visa", "mastercard", "amex", "discover"]
FAILURE_REASONS = ["card_declined: insufficient funds",
                   "card_declined: expired card",
                   "card_declined: do not honor"]

# Planted for the client's sanitiser: the server returns them verbatim.
HOSTILE_TITLES = ["Banner shows \x1b[31mRED\x1b[0m text after update",
                  "Invoice file \u202egnp.exe\u202c looks odd"]
HOSTILE_MESSAGES = ["Did you get my call?\x07\x07 It rang twice \x9b2J",
                    "https://example.com/" + "a" * 2500]
HOSTILE_FILENAMES = ["../../etc/passwd", "scan\x1b]0;pwned\x07.pdf"]


class Ids:
    """Hands out explicit primary keys (bulk_create on SQLite cannot
    return them, and children need their parent's id)."""

    def __init__(self):
        self.next = {}

    def __call__(self, kind):
        self.next[kind] = self.next.get(kind, 0) + 1
        return self.next[kind]


BULK_TABLES = [m._meta.db_table for m in (Task, Comment, Attachment, Message)]


def seed(kind="demo", tasks=300, conversations=40, messages=None):
    """Fills a new database; `kind` is demo or none."""
    rng = random.Random(SEED)
    now = timezone.now().replace(microsecond=0)
    with bulk.loading(BULK_TABLES), transaction.atomic():
        staff = _staff_accounts()
        n_clients = max(1, conversations) if kind == "demo" else 1
        clients = _clients(rng, n_clients)
        _client_account(clients[0], staff[0].password)
        if kind == "none":
            return
        _assign(clients, staff)
        ids = Ids()
        _tasks(rng, now, ids, clients, staff, tasks)
        if messages is None:
            messages = 25 * len(clients)
        _chat(rng, now, ids, clients, staff, messages)
        _credentials(rng, now, clients)
        _billing(rng, now, clients)


def _staff_accounts():
    hashed = make_password(PASSWORD)  # once: PBKDF2 is slow on purpose
    users = [User(email=e, name=n, role=r, password=hashed)
             for e, n, r in STAFF]
    User.objects.bulk_create(users)
    return list(User.objects.order_by("id"))


def _client_account(client, hashed):
    email, name = CLIENT_ACCOUNT
    User.objects.create(email=email, name=name, role="client",
                        password=hashed, client=client)


def _clients(rng, n):
    rows = []
    for i in range(1, n + 1):
        if i == 1:
            name, company = CLIENT_ACCOUNT[1], "Carla's Corner Bakery"
        else:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            company = f"{rng.choice(TOWNS)} {rng.choice(BUSINESS)}"
            if n > 40:
                company += f" #{i}"
        slug = "".join(ch for ch in company.lower() if ch.isalnum())
        rows.append(Client(
            id=i, name=name, company=company,
            email=f"{name.split()[0].lower()}@{slug}.example",
            phone=f"+1-555-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}"
            if rng.random() < 0.7 else None,
            site_url=f"https://www.{slug}.example"))
    Client.objects.bulk_create(rows)
    return list(Client.objects.order_by("id"))


def _assign(clients, staff):
    """tech: clients 1-10; admin: the odd ones; manager: every third."""
    admin, manager, tech = staff[0], staff[1], staff[2]
    through = Client.assigned_staff.through
    rows = []
    for c in clients:
        if c.id <= 10:
            rows.append(through(client_id=c.id, user_id=tech.id))
        if c.id % 2 == 1:
            rows.append(through(client_id=c.id, user_id=admin.id))
        if c.id % 3 == 0:
            rows.append(through(client_id=c.id, user_id=manager.id))
    through.objects.bulk_create(rows)


def _between(rng, start, end):
    span = max(1, int((end - start).total_seconds()))
    return start + timedelta(seconds=rng.randint(0, span))


TASK_CHUNK = 10000


def _tasks(rng, now, ids, clients, staff, n):
    """Written TASK_CHUNK tasks at a time, as plain rows: a million model
    instances would cost more than the inserts (the RNG draws, hence the
    data, are the same as one instance per task would give)."""
    db = _Rows(now)
    for start in range(0, n, TASK_CHUNK):
        tasks, comments, attachments = [], [], []
        for i in range(start, min(n, start + TASK_CHUNK)):
            client = clients[i % len(clients)]
            round_, first = divmod(i, len(clients))
            hostile = HOSTILE_TITLES[round_] if first == 0 and \
                round_ < len(HOSTILE_TITLES) else None
            t = _task(rng, now, ids, client, staff, i, hostile)
            _task_comments(rng, now, ids, t, client, staff, comments)
            _task_attachments(rng, ids, t, attachments, i)
            tasks.append(t)
        db.insert(Task, TASK_COLUMNS, tasks)
        db.insert(Comment, COMMENT_COLUMNS, comments)
        Attachment.objects.bulk_create(attachments, batch_size=500)


TASK_COLUMNS = ("id", "client_id", "title", "description", "status",
                "priority", "priority_rank", "priority_key", "assignee_id",
                "created_at", "updated_at", "due_at", "due_key", "version",
                "comment_count", "public_comment_count", "attachment_count")
COMMENT_COLUMNS = ("id", "task_id", "author_kind", "author_staff_id",
                   "author_client_id", "body", "internal", "created_at",
                   "client_msg_id")


class _Rows:
    """INSERTs of plain objects' attributes, with times in the form Django
    stores them (on SQLite, naive UTC text; all seed times are UTC)."""

    def __init__(self, now):
        self.text_times = connection.vendor == "sqlite"
        assert now.utcoffset() == timedelta(0)

    def _tuples(self, model, columns, rows):
        get = attrgetter(*columns)
        if not self.text_times:
            return [get(r) for r in rows]
        kinds = {f.column: f for f in model._meta.concrete_fields}
        times = [i for i, c in enumerate(columns)
                 if isinstance(kinds[c], DateTimeField)]
        out = []
        for r in rows:
            row = list(get(r))
            for i in times:
                if row[i] is not None:  # "...+00:00" without the offset
                    row[i] = row[i].isoformat(" ")[:-6]
            out.append(row)
        return out

    def insert(self, model, columns, rows):
        if not rows:
            return
        qn = connection.ops.quote_name
        sql = (f"INSERT INTO {qn(model._meta.db_table)} "
               f"({', '.join(qn(c) for c in columns)}) "
               f"VALUES ({', '.join(['%s'] * len(columns))})")
        with connection.cursor() as cur:
            cur.executemany(sql, self._tuples(model, columns, rows))


def _task(rng, now, ids, client, staff, i, hostile_title):
    # Every 20 consecutive tasks cover every (status, priority) pair.
    status = STATUSES[i % len(STATUSES)]
    priority = PRIORITIES[i // len(STATUSES) % len(PRIORITIES)]
    title = hostile_title or rng.choice(TASK_TITLES)
    created = now - timedelta(days=rng.uniform(0, 120))
    due = None
    if rng.random() < 0.45:  # some overdue, some upcoming
        due = (now + timedelta(days=rng.uniform(-20, 30))).replace(
            microsecond=0)
    description = rng.choice(DESCRIPTIONS)  # the draws keep their order
    assignee = rng.choice(staff + [None, None])
    return SimpleNamespace(
        id=ids("task"), client_id=client.id, title=title,
        description=description, status=status,
        priority=priority, priority_rank=PRIORITY_RANK[priority],
        priority_key=priority_sort_key(priority),
        assignee_id=assignee and assignee.id,
        created_at=created, updated_at=_between(rng, created, now),
        due_at=due, due_key=due_sort_key(due), version=rng.randint(1, 4),
        comment_count=0, public_comment_count=0, attachment_count=0)


def _task_comments(rng, now, ids, task, client, staff, out):
    at = task.created_at
    for _ in range(rng.choice((0, 0, 1, 1, 2, 3, 4))):
        at = _between(rng, at, now)
        kind = rng.random()
        internal = kind < 0.25
        by_client = not internal and kind > 0.7
        body = rng.choice(COMMENTS_CLIENT if by_client else
                          COMMENTS_INTERNAL if internal else COMMENTS_STAFF)
        out.append(SimpleNamespace(
            id=ids("comment"), task_id=task.id, body=body, internal=internal,
            created_at=at, author_kind="client" if by_client else "staff",
            author_client_id=client.id if by_client else None,
            author_staff_id=None if by_client else rng.choice(staff).id,
            client_msg_id=None))
        task.comment_count += 1
        task.public_comment_count += 0 if internal else 1


def _task_attachments(rng, ids, task, out, i):
    names = []
    if i == 0:  # the first client's first task carries the hostile names
        names += HOSTILE_FILENAMES
    if rng.random() < 0.12:
        names.append(rng.choice(["screenshot.png", "brief.pdf",
                                 "photo.jpg", "notes.txt"]))
    for name in names:
        data = _file_bytes(rng, name)
        out.append(Attachment(
            id=ids("attachment"), task_id=task.id, filename=name, data=data,
            size=len(data), content_type=_content_type(name),
            created_at=task.created_at))
        task.attachment_count += 1


PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc00000030101009a7a8f5a"
    "0000000049454e44ae426082")


def _file_bytes(rng, name):
    if name.endswith(".png"):
        return PNG_1X1
    lines = [f"line {n}: {rng.random():.6f}" for n in range(rng.randint(3, 40))]
    return ("\n".join(lines) + "\n").encode()


def _content_type(name):
    return {"png": "image/png", "pdf": "application/pdf",
            "jpg": "image/jpeg"}.get(name.rsplit(".", 1)[-1], "text/plain")


def _chat(rng, now, ids, clients, staff, total):
    """Conversations with history; shared read markers give each a
    different unread count (about a third are fully read)."""
    convs = [Conversation(id=c.id, client=c) for c in clients]
    drafts = []  # (created_at, conversation, is_client, body)
    weights = list(itertools.accumulate(
        rng.uniform(0.2, 2.0) for _ in convs))
    for n in range(total):
        conv = rng.choices(convs, cum_weights=weights)[0] \
            if n >= len(convs) else convs[n]
        drafts.append((now - timedelta(minutes=rng.uniform(1, 60 * 24 * 30)),
                       conv, rng.random() < 0.55))
    drafts.sort(key=lambda d: d[0])
    msgs = [_message(rng, ids, staff, *d) for d in drafts]
    by_conv = {c.id: [] for c in convs}
    for m in msgs:
        by_conv[m.conversation.id].append(m)
    _plant_hostile_messages(by_conv[convs[0].id])
    for conv in convs:
        _set_read_marker(rng, conv, by_conv[conv.id])
    Conversation.objects.bulk_create(convs)
    Message.objects.bulk_create(msgs, batch_size=2000)


def _message(rng, ids, staff, at, conv, by_client):
    return Message(
        id=ids("message"), conversation=conv, created_at=at.replace(
            microsecond=0),
        author_kind="client" if by_client else "staff",
        author_client=conv.client if by_client else None,
        author_staff=None if by_client else rng.choice(staff),
        body=rng.choice(CLIENT_MESSAGES if by_client else STAFF_MESSAGES),
        client_msg_id=None if by_client else str(
            uuid.UUID(int=rng.getrandbits(128), version=4)))


def _plant_hostile_messages(msgs):
    mine = [m for m in msgs if m.author_kind == "client"]
    for m, body in zip(mine[-len(HOSTILE_MESSAGES):], HOSTILE_MESSAGES):
        m.body = body


def _set_read_marker(rng, conv, msgs):
    if msgs:
        conv.last_message_at = msgs[-1].created_at
    client_msgs = [m for m in msgs if m.author_kind == "client"]
    unread = 0 if rng.random() < 0.35 else rng.randint(1, 6)
    unread = min(unread, len(client_msgs))
    if unread == 0:
        conv.staff_last_read_id = msgs[-1].id if msgs else 0
    else:
        first_unread = client_msgs[-unread]
        before = [m.id for m in msgs if m.id < first_unread.id]
        conv.staff_last_read_id = before[-1] if before else 0


def _credentials(rng, now, clients):
    rows = []
    for c in clients:
        for label in rng.sample(CREDENTIAL_LABELS, rng.randint(1, 3)):
            user = rng.choice(["admin", "webmaster", "deploy", "owner"])
            password = "".join(rng.choice(
                "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!#%")
                for _ in range(18))
            rows.append(Credential(
                client=c, label=label, site_url=c.site_url,
                secret=encrypt(user, password, f"{label} for {c.company}"),
                updated_at=now - timedelta(days=rng.randint(1, 400))))
    Credential.objects.bulk_create(rows)


SUB_STATUS_CYCLE = ["active"] * 6 + ["trialing", "past_due", "canceled"]


def _billing(rng, now, clients):
    subs, invoices = [], []
    for c in clients:
        sub = _subscription(rng, now, c)
        subs.append(sub)
        invoices += _invoices(rng, now, c, sub)
    Subscription.objects.bulk_create(subs)
    Invoice.objects.bulk_create(invoices, batch_size=2000)


def _subscription(rng, now, client):
    status = SUB_STATUS_CYCLE[client.id % len(SUB_STATUS_CYCLE)]
    plan = rng.choice(list(PLAN_PRICES))
    interval = "year" if rng.random() < 0.2 else "month"
    amount = PLAN_PRICES[plan] * (10 if interval == "year" else 1)
    has_card = status != "trialing" or rng.random() < 0.5
    return Subscription(
        id=client.id, client=client, plan=plan, status=status,
        amount_cents=amount, currency="usd", interval=interval,
        current_period_end=now + timedelta(days=rng.randint(1, 30)),
        cancel_at_period_end=status == "active" and rng.random() < 0.15,
        card_brand=rng.choice(CARD_BRANDS) if has_card else None,
        card_last4=f"{rng.randint(0, 9999):04d}" if has_card else None,
        card_exp_month=rng.randint(1, 12) if has_card else None,
        card_exp_year=now.year + rng.randint(0, 5) if has_card else None)


def _invoices(rng, now, client, sub):
    """A year of invoices (monthly, or one for yearly plans)."""
    if sub.status == "trialing":
        return []
    months = range(12) if sub.interval == "month" else [rng.randint(0, 11)]
    out = []
    for back in months:
        created = now - timedelta(days=30 * back + rng.uniform(0, 3))
        status = _invoice_status(rng, sub, back)
        inv = Invoice(
            number=f"INV-{created:%Y%m}-{client.id:05d}-{back:02d}",
            client=client, subscription=sub, amount_cents=sub.amount_cents,
            currency="usd", status=status, created_at=created,
            stripe_ref=f"in_{rng.getrandbits(64):016x}")
        if status in ("paid", "refunded"):
            inv.paid_at = created + timedelta(minutes=rng.randint(1, 90))
        if status == "refunded":
            inv.refunded_at = min(now, inv.paid_at + timedelta(
                days=rng.randint(1, 10)))
        if status == "failed":
            inv.failure_reason = rng.choice(FAILURE_REASONS)
        out.append(inv)
    return out


def _invoice_status(rng, sub, back):
    if back == 0 and sub.status == "past_due":
        return "failed"
    if back == 0 and rng.random() < 0.15:
        return "open"
    roll = rng.random()
    return "failed" if roll < 0.05 else "refunded" if roll < 0.08 else "paid"
