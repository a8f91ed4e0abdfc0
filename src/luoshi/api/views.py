"""Each person's API token page: create (the secret shown once), see last use, revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luoshi.core.errors import Invalid

from . import services
from .access import get_token_for_user
from .forms import TokenForm
from .models import ApiToken


def _page(request, form, *, secret=None, created=None, status=200):
    now = timezone.now()
    tokens = [(token, token.status(now)) for token in ApiToken.objects.filter(user=request.user)]
    context = {"form": form, "tokens": tokens, "secret": secret, "created": created}
    return render(request, "api/tokens.html", context, status=status)


@login_required
def token_list(request):
    if request.method != "POST":
        return _page(request, TokenForm())
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        record, secret = services.token_create(
            user=request.user, name=form.cleaned_data["name"], expires_days=form.cleaned_data["expires_days"]
        )
    except Invalid as exc:
        form.add_error(None, exc.message)
        return _page(request, form, status=400)
    # Rendered, not redirected: the secret exists only in this answer.
    return _page(request, TokenForm(), secret=secret, created=record)


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_token_for_user(request.user, pk)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("已停用令牌“%(name)s”。") % {"name": token.name})
    return redirect("tokens:list")
