from django.shortcuts import get_object_or_404

from .models import ApiToken


def get_token_for_user(user, pk) -> ApiToken:
    """One of the user's own tokens; 404 for anyone else's, so their existence is not told."""
    return get_object_or_404(ApiToken, pk=pk, user=user)
