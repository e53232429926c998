"""A file e-mail backend whose directory comes from the environment, for the Celery worker the
integration tests start (the project settings read no EMAIL_FILE_PATH)."""

import os

from django.core.mail.backends.filebased import EmailBackend as FileEmailBackend


class EmailBackend(FileEmailBackend):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("file_path", os.environ["TEST_EMAIL_DIR"])
        super().__init__(*args, **kwargs)
