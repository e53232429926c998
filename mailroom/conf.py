"""Mail room settings, read when used (tests override them)."""

from django.conf import settings

DEFAULTS = {
    # "download": the manager downloads the batch; "sftp": beat delivers it to the mail house.
    "MAILROOM_HANDOVER": "download",
    "MAILROOM_SFTP_HOST": "",
    "MAILROOM_SFTP_PORT": 22,
    "MAILROOM_SFTP_USER": "",
    "MAILROOM_SFTP_PASSWORD": "",
    "MAILROOM_SFTP_KEY_FILE": "",
    # The server's public key ("ssh-ed25519 AAAA..."): without it nothing is sent (no blind trust).
    "MAILROOM_SFTP_HOST_KEY": "",
    "MAILROOM_SFTP_DIR": ".",
    # When the daily batch is built (local time).
    "MAILROOM_BATCH_HOUR": 17,
}


def mailroom_setting(name: str):
    return getattr(settings, name, DEFAULTS[name])
