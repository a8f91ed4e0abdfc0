from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from luoshi.orgs.models import Unit, User


@login_required
def home(request):
    """工作台. Each module adds its own panel as it is built; until then the page shows who the
    user is and what they can reach."""
    user = request.user
    context = {
        "unit_count": Unit.objects.visible_to(user).count(),
        "people_count": User.objects.visible_to(user).filter(is_active=True).count(),
        "oversees": user.oversees.all() if user.role == "leader" else [],
    }
    return render(request, "core/home.html", context)
