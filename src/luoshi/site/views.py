from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from luoshi.orgs.models import Unit, User
from luoshi.tasks import workbench


@login_required
def home(request):
    """我的工作台: who the user is, then what needs them first (luoshi.tasks.workbench)."""
    user = request.user
    context = {
        "unit_count": Unit.objects.visible_to(user).count(),
        "people_count": User.objects.visible_to(user).filter(is_active=True).count(),
        "oversees": user.oversees.all() if user.role == "leader" else [],
        "today": timezone.localdate(),
        "wb": workbench.build(user, timezone.localdate()),
    }
    return render(request, "site/home.html", context)
