"""Billing endpoints: summary, subscriptions, invoices."""

from django.db.models import Q
from rest_framework.response import Response

from ..common.pagination import page
from ..common.views import StaffView, int_param, list_param
from . import serializers as out
from .models import INVOICE_STATUSES, SUB_STATUSES, Invoice, Subscription
from .service import summary


class SummaryView(StaffView):
    perms = {"GET": "billing.read"}

    def get(self, request):
        return Response(summary())


class SubscriptionListView(StaffView):
    perms = {"GET": "billing.summary"}

    def get(self, request):
        qs = Subscription.objects.select_related("client")
        statuses = list_param(request, "status", SUB_STATUSES)
        if statuses:
            qs = qs.filter(status__in=statuses)
        q = request.query_params.get("q", "").strip()
        if q:
            qs = qs.filter(Q(client__name__icontains=q)
                           | Q(client__company__icontains=q))
        client = int_param(request, "client")
        if client is not None:
            qs = qs.filter(client_id=client)
        full = request.user.can("billing.read")
        return page(request, qs, [("id", False)],
                    lambda s: out.subscription(s, full))


class InvoiceListView(StaffView):
    perms = {"GET": "billing.read"}

    def get(self, request):
        qs = Invoice.objects.select_related("client")
        statuses = list_param(request, "status", INVOICE_STATUSES)
        if statuses:
            qs = qs.filter(status__in=statuses)
        client = int_param(request, "client")
        if client is not None:
            qs = qs.filter(client_id=client)
        return page(request, qs, [("created_at", True), ("id", True)],
                    out.invoice)
