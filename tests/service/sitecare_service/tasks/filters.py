"""Query-string filters and sort orders of GET /tasks."""

from django.db.models import Q

from ..accounts.models import User
from ..accounts.roles import STAFF_ROLES
from ..common.errors import invalid
from ..common.views import int_param, list_param
from .models import PRIORITIES, SORT_KEYS, STATUSES


def _sorts():
    """sort value -> keyset ordering. Each `-` sort is its plain form's
    column tuple read backwards, so it is that list exactly reversed (ties
    and tasks without due_at included): the client reads a queue's last
    page as the first page of the reversed sort. The default, -priority,
    is priority_key ascending (most urgent first, then oldest)."""
    plain = {"priority": SORT_KEYS["priority"], "created_at":
             SORT_KEYS["created"], "updated_at": SORT_KEYS["updated"],
             "due_at": SORT_KEYS["due"]}
    out = {}
    for name, cols in plain.items():
        out[name] = [(c, False) for c in cols]
        out["-" + name] = [(c, True) for c in cols]
    # priority_key is minus the rank: ascending it is -priority.
    out["priority"], out["-priority"] = out["-priority"], out["priority"]
    return out


SORTS = _sorts()
DEFAULT_SORT = "-priority"


def ordering(request):
    """The keyset ordering of ?sort=."""
    sort = request.query_params.get("sort") or DEFAULT_SORT
    if sort not in SORTS:
        raise invalid({"sort": [f"Unknown sort: {sort}."]})
    return SORTS[sort]


def _assignee_q(request):
    raw = request.query_params.get("assignee")
    if raw in (None, ""):
        return Q()
    if raw == "me":
        return Q(assignee=request.user)
    if raw == "none":
        return Q(assignee__isnull=True)
    try:
        return Q(assignee_id=int(raw))
    except ValueError:
        raise invalid({"assignee": ["Must be me, none or a staff id."]})


def apply(request, queryset):
    """Applies status, assignee, client, priority and q."""
    statuses = list_param(request, "status", STATUSES)
    if statuses:
        queryset = queryset.filter(status__in=statuses)
    priorities = list_param(request, "priority", PRIORITIES)
    if priorities:
        queryset = queryset.filter(priority__in=priorities)
    client = int_param(request, "client")
    if client is not None:
        queryset = queryset.filter(client_id=client)
    queryset = queryset.filter(_assignee_q(request))
    q = request.query_params.get("q", "").strip()
    if q:
        queryset = queryset.filter(Q(title__icontains=q)
                                   | Q(description__icontains=q))
    return queryset


def clean_changes(request, data):
    """Validates a PATCH body into model field changes (422 otherwise)."""
    if not isinstance(data, dict):
        raise invalid({"non_field_errors": ["Expected a JSON object."]})
    changes, errors = {}, {}
    if "status" in data:
        if data["status"] in STATUSES:
            changes["status"] = data["status"]
        else:
            errors["status"] = [f"Must be one of {', '.join(STATUSES)}."]
    if "priority" in data:
        if data["priority"] in PRIORITIES:
            changes["priority"] = data["priority"]
        else:
            errors["priority"] = [
                f"Must be one of {', '.join(PRIORITIES)}."]
    if "assignee_id" in data:
        _clean_assignee(data["assignee_id"], changes, errors)
    if not changes and not errors:
        errors["non_field_errors"] = [
            "Give at least one of status, priority, assignee_id."]
    if errors:
        raise invalid(errors)
    return changes


def _clean_assignee(value, changes, errors):
    if value is None:
        changes["assignee_id"] = None
        return
    if isinstance(value, bool) or not isinstance(value, int) or \
            not User.objects.filter(id=value, role__in=STAFF_ROLES,
                                    is_active=True).exists():
        errors["assignee_id"] = ["Must be a staff member's id or null."]
        return
    changes["assignee_id"] = value

