"""The upload store: Django's file system storage, except that a full or read-only disk is a clear
refusal (`Unavailable`, 503) rather than a crash, and leaves no partial file behind. The service
that was saving rolls back with it, so no row points at a file that is not there."""

import logging
import os

from django.core.files.storage import FileSystemStorage as DjangoFileSystemStorage
from django.utils.translation import gettext as _

from .errors import Unavailable

log = logging.getLogger(__name__)


class FileSystemStorage(DjangoFileSystemStorage):
    def _save(self, name, content):
        # The name is fixed up front so that a failed write knows which file was its own.
        name = self.get_available_name(name, max_length=getattr(content, "max_length", None))
        path = self.path(name)
        existed = os.path.lexists(path)
        try:
            return super()._save(name, content)
        except OSError as exc:
            if not existed and os.path.lexists(path):
                try:
                    os.remove(path)
                except OSError:
                    log.exception("could not remove the partial upload %s", path)
            log.error("upload store refused %s: %s", name, exc)
            raise Unavailable(_("服务器的文件存储已满或不可写，文件未保存。请稍后再试或联系管理员。")) from exc
