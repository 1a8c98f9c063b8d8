"""An upload handler that keeps an oversized upload off the disk. When a request's declared size is over
UPLOAD_MAX_REQUEST_BYTES, its files are skipped as they stream in (the form fields, CSRF token included, are
still read), so the view can answer with a clear message without the server having spooled hundreds of MB."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile


class SkipFilesOfOversizedRequests(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.oversized = (content_length or 0) > settings.UPLOAD_MAX_REQUEST_BYTES

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        if self.oversized:
            raise SkipFile()

    def receive_data_chunk(self, raw_data, start):
        return raw_data  # not oversized: the next handler (memory or a temporary file) takes the data

    def file_complete(self, file_size):
        return None


def request_too_big(request) -> bool:
    """The request declares more bytes than one upload may carry."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > settings.UPLOAD_MAX_REQUEST_BYTES
