"""The one module that talks to the mail house's SFTP server (STYLE: each outside integration
behind one small module). The server's host key must be configured: a batch names members, and
an unverified server could be anyone."""

import base64
import contextlib
import io
import posixpath

import paramiko
from django.core.exceptions import ImproperlyConfigured

from .conf import mailroom_setting


class SftpError(Exception):
    """The upload did not complete (network, credentials, server); worth retrying later."""


def _host_key() -> paramiko.PKey:
    text = str(mailroom_setting("MAILROOM_SFTP_HOST_KEY")).strip()
    if not text:
        raise ImproperlyConfigured("MAILROOM_SFTP_HOST_KEY is required to send by SFTP.")
    kind, _, rest = text.partition(" ")
    data = base64.b64decode(rest.split()[0])
    return paramiko.PKey.from_type_string(kind, data)


def _client() -> paramiko.SSHClient:
    host = mailroom_setting("MAILROOM_SFTP_HOST")
    port = int(mailroom_setting("MAILROOM_SFTP_PORT"))
    client = paramiko.SSHClient()
    key = _host_key()
    name = host if port == 22 else f"[{host}]:{port}"
    client.get_host_keys().add(name, key.get_name(), key)
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    key_file = mailroom_setting("MAILROOM_SFTP_KEY_FILE")
    client.connect(
        host,
        port=port,
        username=mailroom_setting("MAILROOM_SFTP_USER"),
        password=mailroom_setting("MAILROOM_SFTP_PASSWORD") or None,
        key_filename=key_file or None,
        allow_agent=False,
        look_for_keys=False,
        timeout=30,
    )
    return client


def upload(files: dict[str, bytes]) -> None:
    """Put each file into MAILROOM_SFTP_DIR, under a temporary name first and renamed when
    complete, so the mail house never picks up half a file."""
    directory = mailroom_setting("MAILROOM_SFTP_DIR")
    try:
        client = _client()
        try:
            channel = client.open_sftp()
            for name, data in files.items():
                final = posixpath.join(directory, name)
                partial = final + ".part"
                channel.putfo(io.BytesIO(data), partial)
                with contextlib.suppress(OSError):  # not there yet: the usual case
                    channel.remove(final)
                channel.rename(partial, final)
            channel.close()
        finally:
            client.close()
    except (OSError, paramiko.SSHException) as exc:
        raise SftpError(f"{type(exc).__name__}: {exc}") from exc
