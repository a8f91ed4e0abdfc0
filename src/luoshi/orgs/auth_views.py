from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.core.clientaddr import request_client_address as client_address

from . import services


class ThrottledLoginView(auth_views.LoginView):
    """Django's login, refusing an account or address after repeated failures for a while."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        until = services.login_locked_until(username=username, address=client_address(request))
        if until is not None:
            minutes = max(1, int((until - timezone.now()).total_seconds() // 60) + 1)
            form = self.get_form()
            form.errors.clear()
            messages.error(request, _("登录失败次数过多，请 %(minutes)d 分钟后再试。") % {"minutes": minutes})
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        services.login_failed(username=self.request.POST.get("username", ""), address=client_address(self.request))
        return super().form_invalid(form)

    def form_valid(self, form):
        services.login_succeeded(username=form.get_user().get_username(), address=client_address(self.request))
        return super().form_valid(form)
