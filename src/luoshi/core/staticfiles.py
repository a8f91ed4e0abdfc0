"""Static files' addresses, worked out once per name and storage.

``{% static %}`` asks the storage for an address on every use (seven on an indicator page): a URL
join each, and with the manifest also a split, a look-up and an unquote. That is a tenth of a
millisecond of CPU on every page for answers that cannot change while the process runs: the files
and their manifest are fixed when the release is deployed. The answers are kept on the storage
object, so a change of settings (after which Django builds a new one) starts afresh, and dropped
when ``collectstatic`` writes a new manifest in the same process. With DEBUG on, or for an
explicit ``force``, the storage is asked every time, as Django's does."""

from django.conf import settings
from django.contrib.staticfiles.storage import StaticFilesStorage as DjangoStaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage

# Names come from templates, a fixed few; a template that builds names from data would otherwise
# grow the table without end.
MOST_REMEMBERED = 1000


class RememberedUrls:
    def url(self, name, *args, **kwargs):
        if args or kwargs or settings.DEBUG:
            return super().url(name, *args, **kwargs)
        urls = self.__dict__.get("_remembered_urls")
        if urls is None:
            urls = self.__dict__["_remembered_urls"] = {}
        found = urls.get(name)
        if found is None:
            found = super().url(name)
            if len(urls) < MOST_REMEMBERED:
                urls[name] = found
        return found

    def forget_urls(self) -> None:
        self.__dict__.pop("_remembered_urls", None)


class StaticFilesStorage(RememberedUrls, DjangoStaticFilesStorage):
    """Django's storage for static files (no manifest: the demo and development)."""


class ManifestStaticFilesStorage(RememberedUrls, CompressedManifestStaticFilesStorage):
    """WhiteNoise's compressed manifest storage (production)."""

    def post_process(self, *args, **kwargs):
        self.forget_urls()
        yield from super().post_process(*args, **kwargs)
        self.forget_urls()
