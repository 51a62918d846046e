from django.apps import AppConfig


class Config(AppConfig):
    name = "sitecare_service.events"
    label = "events"
