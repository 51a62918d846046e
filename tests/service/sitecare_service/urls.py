"""Routes of /api/v1; anything else is a JSON 404."""

from django.urls import include, path

from .accounts import views as accounts
from .billing import views as billing
from .chat import views as chat
from .dashboard import views as dashboard
from .events import views as events
from .tasks import views as tasks
from .vault import views as vault

api = [
    path("auth/csrf", accounts.CsrfView.as_view()),
    path("auth/login", accounts.LoginView.as_view()),
    path("auth/logout", accounts.LogoutView.as_view()),
    path("me", accounts.MeView.as_view()),
    path("me/public-key", accounts.PublicKeyView.as_view()),
    path("me/key-history", accounts.KeyHistoryView.as_view()),
    path("staff", accounts.StaffListView.as_view()),
    path("clients", accounts.ClientListView.as_view()),
    path("clients/<int:client_id>/credentials",
         vault.ClientCredentialsView.as_view()),
    path("credentials/<int:credential_id>/reveal", vault.RevealView.as_view()),
    path("credentials/<int:credential_id>/audit", vault.AuditView.as_view()),
    path("tasks", tasks.TaskListView.as_view()),
    path("tasks/<int:task_id>", tasks.TaskView.as_view()),
    path("tasks/<int:task_id>/comments", tasks.CommentListView.as_view()),
    path("tasks/<int:task_id>/attachments/<int:attachment_id>",
         tasks.AttachmentView.as_view()),
    path("conversations", chat.ConversationListView.as_view()),
    path("conversations/<int:conversation_id>",
         chat.ConversationView.as_view()),
    path("conversations/<int:conversation_id>/messages",
         chat.MessageListView.as_view()),
    path("conversations/<int:conversation_id>/read", chat.ReadView.as_view()),
    path("events", events.EventStreamView.as_view()),
    path("billing/summary", billing.SummaryView.as_view()),
    path("billing/subscriptions", billing.SubscriptionListView.as_view()),
    path("billing/invoices", billing.InvoiceListView.as_view()),
    path("client/auth/login", dashboard.ClientLoginView.as_view()),
    path("client/conversation", dashboard.ConversationView.as_view()),
    path("client/conversation/messages", dashboard.MessagesView.as_view()),
    path("client/tasks", dashboard.TaskListView.as_view()),
    path("client/tasks/<int:task_id>", dashboard.TaskView.as_view()),
    path("client/tasks/<int:task_id>/comments",
         dashboard.CommentView.as_view()),
]

urlpatterns = [path("api/v1/", include(api))]

handler400 = "sitecare_service.common.errors.handler400"
handler403 = "sitecare_service.common.errors.handler403"
handler404 = "sitecare_service.common.errors.handler404"
handler500 = "sitecare_service.common.errors.handler500"
