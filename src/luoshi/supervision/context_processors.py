from django.utils.functional import SimpleLazyObject

from .models import Notification


def inbox(request):
    """The unread count for the header's inbox link. Lazy: pages that do not show the header
    (JSON, files) never run the query."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}

    def unread():
        return Notification.objects.filter(recipient=user, read_at__isnull=True).count()

    return {"inbox_unread": SimpleLazyObject(unread)}
