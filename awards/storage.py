from __future__ import annotations

from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    """Uploaded documents: on disk outside any public path, with no URL of their own.

    Files are served only by views that check permission first.
    """

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL; serve them through a permission-checking view.")
